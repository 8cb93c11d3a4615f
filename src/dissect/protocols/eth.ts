import { macText } from '../cursor.js';
import { defineProtocol, keyedNext } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

const ETHERTYPE_NEXT = keyedNext('ethertype');

const LG = 'LG bit';
const IG = 'IG bit';
const LG_TFS = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] as const;
const IG_TFS = ['Group address (multicast/broadcast)', 'Individual address (unicast)'] as const;

/** Ethernet II and IEEE 802.3 (length field, then LLC). */
export const eth = defineProtocol({
  id: 'eth',
  name: 'Ethernet II',
  short: 'Ethernet',
  bindings: [
    { table: 'linktype', key: 1 },
    { table: 'ethertype', key: 0x6558 }, // transparent Ethernet bridging (GRE, NVGRE)
  ],
  fields: {
    'eth.dst': { label: 'Destination', type: 'ether' },
    'eth.dst.lg': { label: LG, type: 'bool', mask: 0x020000, tfs: LG_TFS },
    'eth.dst.ig': { label: IG, type: 'bool', mask: 0x010000, tfs: IG_TFS },
    'eth.src': { label: 'Source', type: 'ether' },
    'eth.src.lg': { label: LG, type: 'bool', mask: 0x020000, tfs: LG_TFS },
    'eth.src.ig': { label: IG, type: 'bool', mask: 0x010000, tfs: IG_TFS },
    'eth.addr': { label: 'Address', type: 'ether' },
    'eth.type': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'eth.len': { label: 'Length', type: 'u16' },
    'eth.padding': { label: 'Padding', type: 'bytes' },
    'eth.trailer': { label: 'Trailer', type: 'bytes' },
    'eth.fcs': { label: 'Frame check sequence', type: 'u32', base: 'hex' },
  },
  dissect(c) {
    const start = c.pos;
    let dst = '';
    let src = '';
    let lazy: EthAddresses | undefined;
    if (c.infoWanted && !c.wantsAny('eth.')) {
      // Nothing recorded: the addresses are formatted only if someone reads them.
      lazy = new EthAddresses(c.data, start);
      c.skip(12);
    } else if (c.infoWanted || c.wantsAny('eth.')) {
      c.open('eth.dst');
      c.flag('eth.dst.lg', 3, 0x020000);
      c.flag('eth.dst.ig', 3, 0x010000);
      dst = c.mac();
      c.close(dst);
      c.open('eth.src');
      c.flag('eth.src.lg', 3, 0x020000);
      c.flag('eth.src.ig', 3, 0x010000);
      src = c.mac();
      c.close(src);
    } else {
      c.skip(12); // fields-only run that wants no Ethernet field: addresses are not formatted
    }
    if (c.wantsHidden('eth.addr')) {
      c.add('eth.addr', dst, start, 6);
      c.add('eth.addr', src, start + 6, 6);
    }
    const type = c.peek16();
    const summary = !c.summaries ? undefined : lazy !== undefined ? (): string => `Src: ${lazy.src}, Dst: ${lazy.dst}` : (): string => `Src: ${src}, Dst: ${dst}`;
    // Type 0 is not an 802.3 length for Wireshark: it stays an (unknown) Ethernet II type.
    if (type <= 1500 && type !== 0) {
      c.u16('eth.len');
      c.limit(14 + type, 'eth.len');
      return { name: 'IEEE 802.3', summary, info: c.infoWanted ? (lazy?.with('length', type) ?? { src, dst, length: type }) : undefined, next: { protocol: 'llc' } };
    }
    c.u16('eth.type');
    return { summary, info: c.infoWanted ? (lazy?.with('type', type) ?? { src, dst, type }) : undefined, next: ETHERTYPE_NEXT(type) };
  },
});

/**
 * The `info` of an Ethernet layer whose addresses nobody may read (a list of IP packets shows
 * IP addresses): `src` and `dst` are formatted on first read.
 */
class EthAddresses {
  private readonly data: Uint8Array;
  private readonly at: number;
  private srcText: string | undefined;
  private dstText: string | undefined;
  type: number | undefined;
  length: number | undefined;

  constructor(data: Uint8Array, at: number) {
    this.data = data;
    this.at = at;
  }

  get dst(): string {
    return (this.dstText ??= macText(this.data, this.at));
  }

  get src(): string {
    return (this.srcText ??= macText(this.data, this.at + 6));
  }

  with(key: 'type' | 'length', value: number): Readonly<Record<string, unknown>> {
    this[key] = value;
    return this as unknown as Readonly<Record<string, unknown>>;
  }

  toJSON(): Record<string, unknown> {
    return this.type !== undefined ? { src: this.src, dst: this.dst, type: this.type } : { src: this.src, dst: this.dst, length: this.length };
  }
}
