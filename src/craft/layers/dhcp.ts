/** BOOTP (the fixed part of a DHCP message) and DHCP (magic cookie and options). */
import { concat, defineLayer, show } from '../layer.js';
import { ByteWriter, CraftValueError, parseIPv4, parseMac, toBytes } from '../values.js';

export const BOOTP = defineLayer(
  'BOOTP',
  {
    op: { t: 'uint', bits: 8, names: { BOOTREQUEST: 1, BOOTREPLY: 2 } },
    htype: { t: 'uint', bits: 8 },
    hlen: { t: 'uint', bits: 8 },
    hops: { t: 'uint', bits: 8 },
    xid: { t: 'uint', bits: 32 },
    secs: { t: 'uint', bits: 16 },
    flags: { t: 'flags', bits: 16, names: [...new Array<string>(15).fill(''), 'B'] },
    ciaddr: { t: 'ipv4' },
    yiaddr: { t: 'ipv4' },
    siaddr: { t: 'ipv4' },
    giaddr: { t: 'ipv4' },
    chaddr: { t: 'mac' },
    sname: { t: 'bytes' },
    file: { t: 'bytes' },
  },
  {
    defaults: { op: 1, htype: 1, hlen: 6, hops: 0, xid: 0, secs: 0, flags: 0, ciaddr: '0.0.0.0', yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0', chaddr: '00:00:00:00:00:00', sname: '', file: '' },
    ports: (l) => (l.num('op') === 2 ? [67, 68] : [68, 67]),
    encode: ({ layer: l, payload }) => {
      const fixed = (b: Uint8Array, n: number): Uint8Array => concat(b.subarray(0, n), new Uint8Array(Math.max(0, n - b.length)));
      const w = new ByteWriter().u8(l.num('op')).u8(l.num('htype')).u8(l.num('hlen')).u8(l.num('hops'));
      w.u32(l.num('xid')).u16(l.num('secs')).u16(l.num('flags'));
      for (const k of ['ciaddr', 'yiaddr', 'siaddr', 'giaddr']) w.bytes(parseIPv4(l.str(k)));
      w.bytes(fixed(parseMac(l.str('chaddr')), 16)).bytes(fixed(l.bytes('sname'), 64)).bytes(fixed(l.bytes('file'), 128));
      return concat(w.done(), payload);
    },
  },
);

const MESSAGE_TYPES: Readonly<Record<string, number>> = { discover: 1, offer: 2, request: 3, decline: 4, ack: 5, nak: 6, release: 7, inform: 8 };

type OptionKind = 'ip' | 'ips' | 'u32' | 'text' | 'bytes' | 'codes' | 'msgtype' | 'clientid';

const OPTIONS: Readonly<Record<string, readonly [number, OptionKind]>> = {
  subnet_mask: [1, 'ip'],
  router: [3, 'ips'],
  name_server: [6, 'ips'],
  hostname: [12, 'text'],
  domain: [15, 'text'],
  broadcast_address: [28, 'ip'],
  requested_addr: [50, 'ip'],
  lease_time: [51, 'u32'],
  'message-type': [53, 'msgtype'],
  server_id: [54, 'ip'],
  param_req_list: [55, 'codes'],
  renewal_time: [58, 'u32'],
  rebinding_time: [59, 'u32'],
  vendor_class_id: [60, 'text'],
  client_id: [61, 'clientid'],
};

/** A DHCP option: 'end', 'pad', [name, value] (names as Scapy's, e.g. 'message-type'), or [code, bytes]. */
export type DHCPOption = string | readonly [string | number, unknown];

function body(kind: OptionKind, v: unknown, name: string): Uint8Array {
  const w = new ByteWriter();
  const fail = (what: string): never => {
    throw new CraftValueError(`DHCP option ${name} takes ${what}, not ${show(v)}`);
  };
  switch (kind) {
    case 'ip':
      return typeof v === 'string' ? parseIPv4(v) : fail('an IPv4 address');
    case 'ips':
      for (const a of Array.isArray(v) ? v : [v]) w.bytes(typeof a === 'string' ? parseIPv4(a) : fail('IPv4 addresses'));
      return w.done();
    case 'u32':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32 ? w.u32(v).done() : fail('a 32-bit integer');
    case 'text':
      return typeof v === 'string' ? toBytes(v) : fail('a string');
    case 'bytes':
      return typeof v === 'string' || v instanceof Uint8Array ? toBytes(v) : fail('bytes');
    case 'codes':
      for (const c of Array.isArray(v) ? v : fail('a list of option codes')) w.u8(typeof c === 'number' && c >= 0 && c < 256 ? c : fail('a list of option codes'));
      return w.done();
    case 'msgtype': {
      const n = typeof v === 'string' ? MESSAGE_TYPES[v.toLowerCase()] : v;
      return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 256 ? w.u8(n).done() : fail(`a message type (${Object.keys(MESSAGE_TYPES).join(', ')} or a number)`);
    }
    case 'clientid':
      // A MAC address is sent as hardware type 1 and the address, as DHCP clients do.
      if (typeof v === 'string' && /^([0-9a-f]{1,2}[:-]){5}[0-9a-f]{1,2}$/i.test(v)) return w.u8(1).bytes(parseMac(v)).done();
      return body('bytes', v, name);
  }
}

function encodeOption(o: unknown): Uint8Array {
  if (typeof o === 'string') {
    if (o.toLowerCase() === 'end') return Uint8Array.of(255);
    if (o.toLowerCase() === 'pad') return Uint8Array.of(0);
    throw new CraftValueError(`DHCP option "${o}" needs a value: ("${o}", value)`);
  }
  if (!Array.isArray(o) || o.length !== 2) throw new CraftValueError(`${show(o)} is not a DHCP option (a (name, value) tuple, 'end' or 'pad')`);
  const [name, value] = o as [unknown, unknown];
  let code: number;
  let data: Uint8Array;
  if (typeof name === 'number' && Number.isInteger(name) && name > 0 && name < 255) {
    code = name;
    data = body('bytes', value, String(name));
  } else {
    const known = typeof name === 'string' ? OPTIONS[name] : undefined;
    if (known === undefined) throw new CraftValueError(`unknown DHCP option ${show(name)} (known: ${Object.keys(OPTIONS).join(', ')}, end, pad, or (code, bytes))`);
    code = known[0];
    data = body(known[1], value, name as string);
  }
  if (data.length > 255) throw new CraftValueError(`DHCP option ${show(name)} takes at most 255 bytes`);
  return new ByteWriter().u8(code).u8(data.length).bytes(data).done();
}

export const DHCP = defineLayer(
  'DHCP',
  {
    options: {
      t: 'custom',
      list: true,
      check: (v: unknown): readonly DHCPOption[] => {
        if (!Array.isArray(v)) throw new CraftValueError(`takes a list of options, not ${show(v)}`);
        for (const o of v) encodeOption(o);
        return v as readonly DHCPOption[];
      },
    },
  },
  {
    defaults: { options: [['message-type', 'discover']] },
    ports: () => [68, 67],
    encode: ({ layer: l, payload }) => {
      const opts = l.get('options') as readonly DHCPOption[];
      const parts = opts.map(encodeOption);
      // The end option is added when the list does not finish with one.
      const last = opts[opts.length - 1];
      if (!(typeof last === 'string' && last.toLowerCase() === 'end')) parts.push(Uint8Array.of(255));
      return concat(Uint8Array.of(0x63, 0x82, 0x53, 0x63), ...parts, payload);
    },
  },
);
