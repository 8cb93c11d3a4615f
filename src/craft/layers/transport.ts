/** Transport layers: TCP (with options) and UDP. Checksums cover the IP pseudo-header. */
import { portsOf, pseudoHeader } from '../bind.js';
import { concat, defineLayer, show } from '../layer.js';
import { ByteWriter, CraftValueError, internetChecksum, toBytes } from '../values.js';

/**
 * A TCP option, as Scapy writes them: 'NOP', 'EOL', 'SAckOK', ['MSS', 1460], ['WScale', 7],
 * ['SAck', [left, right, ...]], ['Timestamp', [tsval, tsecr]], or [kind, bytes].
 */
export type TCPOption = string | readonly [string | number, unknown?];

function int(v: unknown, bits: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new CraftValueError(`${what} takes an integer of ${bits} bits, not ${show(v)}`);
  return v;
}

function ints(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new CraftValueError(`${what} takes a list of numbers, not ${show(v)}`);
  return v.map((x) => int(x, 32, what));
}

function encodeTCPOption(o: unknown): Uint8Array {
  let name: unknown;
  let value: unknown;
  if (typeof o === 'string') name = o;
  else if (Array.isArray(o) && o.length >= 1 && o.length <= 2) [name, value] = o as [unknown, unknown];
  else throw new CraftValueError(`${show(o)} is not a TCP option (a name, or a (name, value) tuple)`);
  const w = new ByteWriter();
  if (typeof name === 'number') {
    if (name === 0 || name === 1) return w.u8(name).done();
    const body = value === undefined || value === null ? new Uint8Array(0) : typeof value === 'string' || value instanceof Uint8Array ? toBytes(value) : new Uint8Array(0);
    return w.u8(int(name, 8, 'option kind')).u8(body.length + 2).bytes(body).done();
  }
  switch (String(name).toLowerCase()) {
    case 'eol':
      return w.u8(0).done();
    case 'nop':
      return w.u8(1).done();
    case 'mss':
      return w.u8(2).u8(4).u16(int(value ?? 1460, 16, 'MSS')).done();
    case 'wscale':
      return w.u8(3).u8(3).u8(int(value ?? 0, 8, 'WScale')).done();
    case 'sackok':
      return w.u8(4).u8(2).done();
    case 'sack': {
      const edges = ints(value, 'SAck');
      if (edges.length === 0 || edges.length % 2 !== 0 || edges.length > 8) throw new CraftValueError('SAck takes 1 to 4 (left, right) pairs of edges');
      w.u8(5).u8(2 + 4 * edges.length);
      for (const e of edges) w.u32(e);
      return w.done();
    }
    case 'timestamp': {
      const t = value === undefined ? [0, 0] : ints(value, 'Timestamp');
      if (t.length !== 2) throw new CraftValueError('Timestamp takes (tsval, tsecr)');
      return w.u8(8).u8(10).u32(t[0]!).u32(t[1]!).done();
    }
    default:
      throw new CraftValueError(`unknown TCP option ${show(name)} (known: EOL, NOP, MSS, WScale, SAckOK, SAck, Timestamp, or (kind, bytes))`);
  }
}

const checkTCPOptions = (v: unknown): readonly TCPOption[] => {
  if (!Array.isArray(v)) throw new CraftValueError(`takes a list of options, not ${show(v)}`);
  const total = v.reduce<number>((n, o) => n + encodeTCPOption(o).length, 0);
  if (total > 40) throw new CraftValueError(`TCP options take at most 40 bytes, these take ${total}`);
  return v as readonly TCPOption[];
};

export const TCP = defineLayer(
  'TCP',
  {
    sport: { t: 'uint', bits: 16 },
    dport: { t: 'uint', bits: 16 },
    seq: { t: 'uint', bits: 32 },
    ack: { t: 'uint', bits: 32 },
    dataofs: { t: 'uint', bits: 4 },
    reserved: { t: 'uint', bits: 3 },
    flags: { t: 'flags', bits: 9, names: ['F', 'S', 'R', 'P', 'A', 'U', 'E', 'C', 'N'] },
    window: { t: 'uint', bits: 16 },
    chksum: { t: 'uint', bits: 16 },
    urgptr: { t: 'uint', bits: 16 },
    options: { t: 'custom', list: true, check: checkTCPOptions },
  },
  {
    defaults: { seq: 0, ack: 0, reserved: 0, flags: 'S', window: 8192, urgptr: 0, options: [] },
    encode: ({ layer: l, payload, upper, below }) => {
      const [sport, dport] = portsOf(upper, 'tcp', [20, 80]);
      const opts = concat(...(l.get('options') as readonly TCPOption[]).map(encodeTCPOption));
      const padded = concat(opts, new Uint8Array((4 - (opts.length % 4)) % 4));
      const w = new ByteWriter().u16(l.has('sport') ? l.num('sport') : sport).u16(l.has('dport') ? l.num('dport') : dport);
      w.u32(l.num('seq')).u32(l.num('ack'));
      const offset = l.has('dataofs') ? l.num('dataofs') : (20 + padded.length) / 4;
      w.u16((offset << 12) | (l.num('reserved') << 9) | l.num('flags')).u16(l.num('window')).u16(0).u16(l.num('urgptr'));
      const out = concat(w.bytes(padded).done(), payload);
      const pseudo = pseudoHeader(below, 6, out.length);
      const sum = l.has('chksum') ? l.num('chksum') : pseudo === undefined ? 0 : internetChecksum([pseudo, out]);
      out[16] = sum >> 8;
      out[17] = sum & 0xff;
      return out;
    },
  },
);

export const UDP = defineLayer(
  'UDP',
  { sport: { t: 'uint', bits: 16 }, dport: { t: 'uint', bits: 16 }, len: { t: 'uint', bits: 16 }, chksum: { t: 'uint', bits: 16 } },
  {
    encode: ({ layer: l, payload, upper, below }) => {
      const [sport, dport] = portsOf(upper, 'udp', [53, 53]);
      const w = new ByteWriter().u16(l.has('sport') ? l.num('sport') : sport).u16(l.has('dport') ? l.num('dport') : dport);
      w.u16(l.has('len') ? l.num('len') : 8 + payload.length).u16(0);
      const out = concat(w.done(), payload);
      const pseudo = pseudoHeader(below, 17, out.length);
      let sum = l.has('chksum') ? l.num('chksum') : pseudo === undefined ? 0 : internetChecksum([pseudo, out]);
      if (!l.has('chksum') && pseudo !== undefined && sum === 0) sum = 0xffff;
      out[6] = sum >> 8;
      out[7] = sum & 0xff;
      return out;
    },
  },
);
