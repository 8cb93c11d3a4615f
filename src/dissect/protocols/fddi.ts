import { defineProtocol } from '../protocol.js';

const FC_NAMES: Record<number, string> = {
  0x0: 'Void frame',
  0x4: 'SMT frame',
  0x5: 'Async LLC',
  0x6: 'Reserved (implementer)',
  0x8: 'Token',
  0xc: 'MAC frame',
  0xd: 'Sync LLC',
};

/** Bit-reverses a byte (FDDI sends addresses least significant bit first). */
function swapBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r = (r << 1) | ((b >> i) & 1);
  return r;
}

function swappedMac(d: Uint8Array, p: number): string {
  const out: string[] = [];
  for (let i = 0; i < 6; i++) out.push(swapBits(d[p + i]!).toString(16).padStart(2, '0'));
  return out.join(':');
}

/**
 * Fiber Distributed Data Interface (LINKTYPE_FDDI 10): frame control, then destination and
 * source addresses, which Wireshark shows bit-swapped into canonical order. Asynchronous LLC
 * frames (frame control 0x50-0x57) carry 802.2 LLC.
 */
export const fddi = defineProtocol({
  id: 'fddi',
  name: 'Fiber Distributed Data Interface',
  short: 'FDDI',
  bindings: [{ table: 'linktype', key: 10 }],
  fields: {
    'fddi.fc': { label: 'Frame Control', type: 'u8', base: 'hex' },
    'fddi.fc.clf': { label: 'Class/Length/Format', type: 'u8', base: 'hex', mask: 0xf0, values: FC_NAMES },
    'fddi.fc.prio': { label: 'Priority', type: 'u8', mask: 0x07 },
    'fddi.dst': { label: 'Destination', type: 'ether' },
    'fddi.src': { label: 'Source', type: 'ether' },
    'fddi.addr': { label: 'Source or Destination Address', type: 'ether' },
  },
  dissect(c) {
    const start = c.pos;
    const fc = c.peek8();
    c.open('fddi.fc');
    c.bits('fddi.fc.clf', 1, 0xf0);
    if ((fc & 0xf0) === 0x50 || (fc & 0xf0) === 0xd0) c.bits('fddi.fc.prio', 1, 0x07);
    c.close(c.u8());
    c.need(12, 'fddi.src');
    const dst = swappedMac(c.data, c.pos);
    c.add('fddi.dst', dst, c.pos, 6);
    if (c.wantsHidden('fddi.addr')) c.add('fddi.addr', dst, c.pos, 6);
    c.skip(6);
    const src = swappedMac(c.data, c.pos);
    c.add('fddi.src', src, c.pos, 6);
    if (c.wantsHidden('fddi.addr')) c.add('fddi.addr', src, c.pos, 6);
    c.skip(6);
    const llc = fc >= 0x50 && fc <= 0x5f;
    const kind = FC_NAMES[fc >> 4] ?? `Frame control 0x${fc.toString(16).padStart(2, '0')}`;
    return {
      summary: () => `${kind}, Src: ${src}, Dst: ${dst}`,
      info: { fc, src, dst },
      payloadOffset: start + 13,
      next: llc ? { protocol: 'llc' } : undefined,
    };
  },
});
