/** ICMP and ICMPv6 (echo, neighbour discovery and its link-layer address options). */
import { pseudoHeader } from '../bind.js';
import { type BuildContext, concat, defineLayer } from '../layer.js';
import { ByteWriter, internetChecksum, parseIPv6, parseMac } from '../values.js';

const ICMP_TYPES = {
  'echo-reply': 0,
  'dest-unreach': 3,
  'source-quench': 4,
  redirect: 5,
  'echo-request': 8,
  'router-advertisement': 9,
  'router-solicitation': 10,
  'time-exceeded': 11,
  'parameter-problem': 12,
  'timestamp-request': 13,
  'timestamp-reply': 14,
};

/** Types whose second word is an identifier and a sequence number. */
const ECHO_LIKE = new Set([0, 8, 13, 14, 15, 16, 17, 18]);

export const ICMP = defineLayer(
  'ICMP',
  {
    type: { t: 'uint', bits: 8, names: ICMP_TYPES },
    code: { t: 'uint', bits: 8 },
    chksum: { t: 'uint', bits: 16 },
    id: { t: 'uint', bits: 16 },
    seq: { t: 'uint', bits: 16 },
    unused: { t: 'uint', bits: 32 },
  },
  {
    defaults: { type: 8, code: 0, id: 0, seq: 0, unused: 0 },
    encode: ({ layer: l, payload }) => {
      const w = new ByteWriter().u8(l.num('type')).u8(l.num('code')).u16(0);
      if (ECHO_LIKE.has(l.num('type'))) w.u16(l.num('id')).u16(l.num('seq'));
      else w.u32(l.num('unused'));
      const out = concat(w.done(), payload);
      const sum = l.has('chksum') ? l.num('chksum') : internetChecksum([out]);
      out[2] = sum >> 8;
      out[3] = sum & 0xff;
      return out;
    },
  },
);

/** Writes an ICMPv6 message: type, code, checksum (over the pseudo-header), then `body`. */
function icmpv6(b: BuildContext, type: number, body: Uint8Array): Uint8Array {
  const l = b.layer;
  const out = concat(new ByteWriter().u8(l.has('type') ? l.num('type') : type).u8(l.num('code')).u16(0).done(), body, b.payload);
  const pseudo = pseudoHeader(b.below, 58, out.length);
  const sum = l.has('cksum') ? l.num('cksum') : internetChecksum(pseudo === undefined ? [out] : [pseudo, out]);
  out[2] = sum >> 8;
  out[3] = sum & 0xff;
  return out;
}

const COMMON = { type: { t: 'uint', bits: 8 }, code: { t: 'uint', bits: 8 }, cksum: { t: 'uint', bits: 16 } } as const;

const ECHO = { ...COMMON, id: { t: 'uint', bits: 16 }, seq: { t: 'uint', bits: 16 }, data: { t: 'bytes' } } as const;

function echo(type: number) {
  return (b: BuildContext): Uint8Array => icmpv6(b, type, concat(new ByteWriter().u16(b.layer.num('id')).u16(b.layer.num('seq')).done(), b.layer.bytes('data')));
}

export const ICMPv6EchoRequest = defineLayer('ICMPv6EchoRequest', ECHO, { defaults: { code: 0, id: 0, seq: 0, data: '' }, encode: echo(128) });
export const ICMPv6EchoReply = defineLayer('ICMPv6EchoReply', ECHO, { defaults: { code: 0, id: 0, seq: 0, data: '' }, encode: echo(129) });

export const ICMPv6ND_RS = defineLayer(
  'ICMPv6ND_RS',
  { ...COMMON, res: { t: 'uint', bits: 32 } },
  { defaults: { code: 0, res: 0 }, encode: (b) => icmpv6(b, 133, new ByteWriter().u32(b.layer.num('res')).done()) },
);

export const ICMPv6ND_NS = defineLayer(
  'ICMPv6ND_NS',
  { ...COMMON, res: { t: 'uint', bits: 32 }, tgt: { t: 'ipv6' } },
  { defaults: { code: 0, res: 0, tgt: '::' }, encode: (b) => icmpv6(b, 135, new ByteWriter().u32(b.layer.num('res')).bytes(parseIPv6(b.layer.str('tgt'))).done()) },
);

export const ICMPv6ND_NA = defineLayer(
  'ICMPv6ND_NA',
  { ...COMMON, R: { t: 'uint', bits: 1 }, S: { t: 'uint', bits: 1 }, O: { t: 'uint', bits: 1 }, res: { t: 'uint', bits: 29 }, tgt: { t: 'ipv6' } },
  {
    defaults: { code: 0, R: 1, S: 0, O: 1, res: 0, tgt: '::' },
    encode: (b) => {
      const l = b.layer;
      const word = ((l.num('R') << 31) | (l.num('S') << 30) | (l.num('O') << 29) | l.num('res')) >>> 0;
      return icmpv6(b, 136, new ByteWriter().u32(word).bytes(parseIPv6(l.str('tgt'))).done());
    },
  },
);

function lladdrOption(type: number) {
  return ({ layer: l, payload }: BuildContext): Uint8Array =>
    concat(new ByteWriter().u8(l.has('type') ? l.num('type') : type).u8(l.has('len') ? l.num('len') : 1).bytes(parseMac(l.str('lladdr'))).done(), payload);
}

const LLADDR = { type: { t: 'uint', bits: 8 }, len: { t: 'uint', bits: 8 }, lladdr: { t: 'mac' } } as const;

export const ICMPv6NDOptSrcLLAddr = defineLayer('ICMPv6NDOptSrcLLAddr', LLADDR, { defaults: { lladdr: '00:00:00:00:00:00' }, encode: lladdrOption(1) });
export const ICMPv6NDOptDstLLAddr = defineLayer('ICMPv6NDOptDstLLAddr', LLADDR, { defaults: { lladdr: '00:00:00:00:00:00' }, encode: lladdrOption(2) });
