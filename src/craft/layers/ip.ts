/** Network layers: IPv4 (with options), IPv6 and its extension headers. */
import { ipProtoOf } from '../bind.js';
import { concat, defineLayer, show } from '../layer.js';
import { ByteWriter, CraftValueError, internetChecksum, parseIPv4, parseIPv6, toBytes } from '../values.js';

/**
 * An IPv4 option: 'NOP', 'EOL', ['RR', slots | addresses], ['LSRR', addresses, pointer?],
 * ['SSRR', addresses, pointer?], ['Timestamp', [ms...]], ['RouterAlert', v], or [type, bytes].
 */
export type IPOption = string | readonly [string | number, unknown?, unknown?];

/** An IPv6 hop-by-hop / destination option: ['RouterAlert', v], ['PadN', n], or [type, bytes]. */
export type IPv6Option = string | readonly [string | number, unknown?];

function listOf(v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) throw new CraftValueError(`takes a list, not ${show(v)}`);
  return v;
}

function optName(o: unknown, most = 2): [string | number, unknown, unknown] {
  if (typeof o === 'string') return [o, undefined, undefined];
  if (Array.isArray(o) && o.length >= 1 && o.length <= most && (typeof o[0] === 'string' || typeof o[0] === 'number')) return [o[0] as string | number, o[1], o[2]];
  throw new CraftValueError(`${show(o)} is not an option (a name, or a (name, value) tuple)`);
}

/** Loose (131) and strict (137) source routes: the route's addresses, the pointer at the next one. */
function sourceRoute(type: number, name: string, value: unknown, pointer: unknown): Uint8Array {
  if (!Array.isArray(value) || value.length === 0) throw new CraftValueError(`${name} takes a list of one or more IPv4 addresses`);
  const w = new ByteWriter().u8(type).u8(3 + 4 * value.length).u8(u(pointer, 8, `${name} pointer`, 4));
  for (const a of value) w.bytes(parseIPv4(String(a)));
  return w.done();
}


function byteList(v: unknown, what: string): Uint8Array {
  if (v === undefined || v === null) return new Uint8Array(0);
  if (typeof v === 'string' || v instanceof Uint8Array) return toBytes(v);
  throw new CraftValueError(`${what} takes a string or bytes, not ${show(v)}`);
}

function u(v: unknown, bits: number, what: string, fallback = 0): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new CraftValueError(`${what} takes an integer of ${bits} bits, not ${show(v)}`);
  return v;
}

function encodeIPOption(o: unknown): Uint8Array {
  const [name, value, pointer] = optName(o, 3);
  const w = new ByteWriter();
  if (typeof name === 'number') {
    const body = byteList(value, `option ${name}`);
    if (name === 0 || name === 1) return w.u8(name).done();
    return w.u8(u(name, 8, 'option type')).u8(body.length + 2).bytes(body).done();
  }
  switch (name.toLowerCase()) {
    case 'eol':
      return w.u8(0).done();
    case 'nop':
      return w.u8(1).done();
    case 'rr': {
      const addrs = Array.isArray(value) ? value.map((a) => parseIPv4(String(a))) : [];
      const slots = Array.isArray(value) ? addrs.length : u(value, 8, 'RR slots', 1);
      w.u8(7).u8(3 + 4 * slots).u8(4 + 4 * addrs.length);
      for (const a of addrs) w.bytes(a);
      return w.zeros(4 * (slots - addrs.length)).done();
    }
    case 'lsrr':
      return sourceRoute(131, 'LSRR', value, pointer);
    case 'ssrr':
      return sourceRoute(137, 'SSRR', value, pointer);
    case 'timestamp': {
      const stamps = Array.isArray(value) ? value.map((t) => u(t, 32, 'timestamp')) : [];
      w.u8(68).u8(4 + 4 * Math.max(stamps.length, 1)).u8(5 + 4 * stamps.length).u8(0);
      for (const t of stamps) w.u32(t);
      if (stamps.length === 0) w.zeros(4);
      return w.done();
    }
    case 'routeralert':
    case 'router_alert':
      return w.u8(148).u8(4).u16(u(value, 16, 'RouterAlert')).done();
    default:
      throw new CraftValueError(`unknown IPv4 option "${name}" (known: EOL, NOP, RR, LSRR, SSRR, Timestamp, RouterAlert, or (type, bytes))`);
  }
}

const checkIPOptions = (v: unknown): readonly IPOption[] => {
  const list = listOf(v);
  const total = list.reduce<number>((n, o) => n + encodeIPOption(o).length, 0);
  if (total > 40) throw new CraftValueError(`IPv4 options take at most 40 bytes, these take ${total}`);
  return list as readonly IPOption[];
};

export const IP = defineLayer(
  'IP',
  {
    version: { t: 'uint', bits: 4 },
    ihl: { t: 'uint', bits: 4 },
    tos: { t: 'uint', bits: 8 },
    len: { t: 'uint', bits: 16 },
    id: { t: 'uint', bits: 16 },
    flags: { t: 'flags', bits: 3, names: ['MF', 'DF', 'evil'] },
    frag: { t: 'uint', bits: 13 },
    ttl: { t: 'uint', bits: 8 },
    proto: { t: 'uint', bits: 8, names: { hopopt: 0, icmp: 1, ipip: 4, tcp: 6, udp: 17, ipv6: 41, gre: 47, icmpv6: 58 } },
    chksum: { t: 'uint', bits: 16 },
    src: { t: 'ipv4' },
    dst: { t: 'ipv4' },
    options: { t: 'custom', list: true, check: checkIPOptions },
  },
  {
    defaults: { version: 4, tos: 0, id: 1, flags: 0, frag: 0, ttl: 64, src: '127.0.0.1', dst: '127.0.0.1', options: [] },
    encode: ({ layer: l, payload, upper }) => {
      const opts = concat(...(l.get('options') as readonly IPOption[]).map(encodeIPOption));
      const padded = concat(opts, new Uint8Array((4 - (opts.length % 4)) % 4));
      const hlen = 20 + padded.length;
      const w = new ByteWriter();
      w.u8((l.num('version') << 4) | (l.has('ihl') ? l.num('ihl') : hlen / 4)).u8(l.num('tos'));
      w.u16(l.has('len') ? l.num('len') : hlen + payload.length).u16(l.num('id'));
      w.u16((l.num('flags') << 13) | l.num('frag')).u8(l.num('ttl'));
      w.u8(l.has('proto') ? l.num('proto') : ipProtoOf(upper, 0)).u16(0);
      w.bytes(parseIPv4(l.str('src'))).bytes(parseIPv4(l.str('dst'))).bytes(padded);
      const header = w.done();
      const sum = l.has('chksum') ? l.num('chksum') : internetChecksum([header]);
      header[10] = sum >> 8;
      header[11] = sum & 0xff;
      return concat(header, payload);
    },
  },
);

export const IPv6 = defineLayer(
  'IPv6',
  {
    version: { t: 'uint', bits: 4 },
    tc: { t: 'uint', bits: 8 },
    fl: { t: 'uint', bits: 20 },
    plen: { t: 'uint', bits: 16 },
    nh: { t: 'uint', bits: 8 },
    hlim: { t: 'uint', bits: 8 },
    src: { t: 'ipv6' },
    dst: { t: 'ipv6' },
  },
  {
    defaults: { version: 6, tc: 0, fl: 0, hlim: 64, src: '::1', dst: '::1' },
    encode: ({ layer: l, payload, upper }) => {
      const w = new ByteWriter();
      w.u32(((l.num('version') << 28) >>> 0) + (l.num('tc') << 20) + l.num('fl'));
      w.u16(l.has('plen') ? l.num('plen') : payload.length).u8(l.has('nh') ? l.num('nh') : ipProtoOf(upper, 59)).u8(l.num('hlim'));
      w.bytes(parseIPv6(l.str('src'))).bytes(parseIPv6(l.str('dst')));
      return concat(w.done(), payload);
    },
  },
);

function encodeIPv6Option(o: unknown): Uint8Array {
  const [name, value] = optName(o);
  const w = new ByteWriter();
  if (typeof name === 'number') {
    if (name === 0) return w.u8(0).done();
    const body = byteList(value, `option ${name}`);
    return w.u8(u(name, 8, 'option type')).u8(body.length).bytes(body).done();
  }
  switch (name.toLowerCase()) {
    case 'pad1':
      return w.u8(0).done();
    case 'padn': {
      const n = u(value, 8, 'PadN length', 0);
      return w.u8(1).u8(n).zeros(n).done();
    }
    case 'routeralert':
    case 'router_alert':
      return w.u8(5).u8(2).u16(u(value, 16, 'RouterAlert')).done();
    case 'jumbo':
      return w.u8(0xc2).u8(4).u32(u(value, 32, 'Jumbo')).done();
    default:
      throw new CraftValueError(`unknown IPv6 option "${name}" (known: Pad1, PadN, RouterAlert, Jumbo, or (type, bytes))`);
  }
}

const checkIPv6Options = (v: unknown): readonly IPv6Option[] => {
  const list = listOf(v);
  for (const o of list) encodeIPv6Option(o);
  return list as readonly IPv6Option[];
};

const OPTION_HEADER_FIELDS = {
  nh: { t: 'uint', bits: 8 },
  len: { t: 'uint', bits: 8 },
  options: { t: 'custom', list: true, check: checkIPv6Options },
} as const;

/** Hop-by-hop and destination options headers: options padded to a multiple of 8 bytes. */
function encodeOptionHeader(this: void, { layer: l, payload, upper }: Parameters<typeof IP.def.encode>[0]): Uint8Array {
  let body = concat(...(l.get('options') as readonly IPv6Option[]).map(encodeIPv6Option));
  const pad = (8 - ((body.length + 2) % 8)) % 8;
  if (pad === 1) body = concat(body, Uint8Array.of(0));
  else if (pad > 1) body = concat(body, Uint8Array.of(1, pad - 2), new Uint8Array(pad - 2));
  const w = new ByteWriter().u8(l.has('nh') ? l.num('nh') : ipProtoOf(upper, 59)).u8(l.has('len') ? l.num('len') : (body.length + 2) / 8 - 1);
  return concat(w.bytes(body).done(), payload);
}

export const IPv6ExtHdrHopByHop = defineLayer('IPv6ExtHdrHopByHop', OPTION_HEADER_FIELDS, { defaults: { options: [] }, encode: encodeOptionHeader });
export const IPv6ExtHdrDestOpt = defineLayer('IPv6ExtHdrDestOpt', OPTION_HEADER_FIELDS, { defaults: { options: [] }, encode: encodeOptionHeader });

const checkAddresses = (v: unknown): readonly string[] => {
  const list = listOf(v);
  for (const a of list) parseIPv6(String(a));
  return list.map(String);
};

export const IPv6ExtHdrRouting = defineLayer(
  'IPv6ExtHdrRouting',
  {
    nh: { t: 'uint', bits: 8 },
    len: { t: 'uint', bits: 8 },
    type: { t: 'uint', bits: 8 },
    segleft: { t: 'uint', bits: 8 },
    reserved: { t: 'uint', bits: 32 },
    addresses: { t: 'custom', list: true, check: checkAddresses },
  },
  {
    defaults: { type: 0, reserved: 0, addresses: [] },
    encode: ({ layer: l, payload, upper }) => {
      const addrs = l.get('addresses') as readonly string[];
      const w = new ByteWriter().u8(l.has('nh') ? l.num('nh') : ipProtoOf(upper, 59)).u8(l.has('len') ? l.num('len') : 2 * addrs.length);
      w.u8(l.num('type')).u8(l.has('segleft') ? l.num('segleft') : addrs.length).u32(l.num('reserved'));
      for (const a of addrs) w.bytes(parseIPv6(a));
      return concat(w.done(), payload);
    },
  },
);

export const IPv6ExtHdrFragment = defineLayer(
  'IPv6ExtHdrFragment',
  {
    nh: { t: 'uint', bits: 8 },
    res1: { t: 'uint', bits: 8 },
    offset: { t: 'uint', bits: 13 },
    res2: { t: 'uint', bits: 2 },
    m: { t: 'uint', bits: 1 },
    id: { t: 'uint', bits: 32 },
  },
  {
    defaults: { res1: 0, offset: 0, res2: 0, m: 0, id: 0 },
    encode: ({ layer: l, payload, upper }) => {
      const w = new ByteWriter().u8(l.has('nh') ? l.num('nh') : ipProtoOf(upper, 59)).u8(l.num('res1'));
      w.u16((l.num('offset') << 3) | (l.num('res2') << 1) | l.num('m')).u32(l.num('id'));
      return concat(w.done(), payload);
    },
  },
);
