/** DNS messages: header, questions (DNSQR) and resource records (DNSRR), names optionally compressed. */
import { concat, defineLayer, Layer, show } from '../layer.js';
import { ByteWriter, CraftValueError, parseIPv4, parseIPv6, toBytes } from '../values.js';

const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 };
const CLASSES = { IN: 1, CH: 3, HS: 4, ANY: 255 };

/** A question or record list: a layer, a name (an A question), or a list of them. */
export type DNSRecords = Layer | string | readonly (Layer | string)[];

function records(kind: 'DNSQR' | 'DNSRR') {
  return (v: unknown): DNSRecords => {
    const list = Array.isArray(v) ? v : [v];
    for (const r of list) {
      if (r instanceof Layer ? r.name !== kind : !(kind === 'DNSQR' && typeof r === 'string')) {
        throw new CraftValueError(`takes ${kind}(...)${kind === 'DNSQR' ? ' or a name' : ''}, or a list of them, not ${show(r)}`);
      }
    }
    return v as DNSRecords;
  };
}

export const DNSQR = defineLayer(
  'DNSQR',
  { qname: { t: 'text' }, qtype: { t: 'uint', bits: 16, names: TYPES }, qclass: { t: 'uint', bits: 16, names: CLASSES } },
  { defaults: { qname: 'www.example.com', qtype: 'A', qclass: 'IN' }, positional: ['qname', 'qtype'], encode: () => new Uint8Array(0) },
);

export const DNSRR = defineLayer(
  'DNSRR',
  {
    rrname: { t: 'text' },
    type: { t: 'uint', bits: 16, names: TYPES },
    rclass: { t: 'uint', bits: 16, names: CLASSES },
    ttl: { t: 'uint', bits: 32 },
    rdlen: { t: 'uint', bits: 16 },
    /** A: "1.2.3.4"; AAAA: "::1"; CNAME/NS/PTR/MX: a name; TXT: a string or a list of strings; else bytes. */
    rdata: { t: 'custom', list: true, check: (v: unknown): string | Uint8Array | readonly string[] => {
      if (typeof v === 'string' || v instanceof Uint8Array) return v;
      if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
      throw new CraftValueError(`takes a string, bytes or a list of strings, not ${show(v)}`);
    } },
    /** MX preference. */
    preference: { t: 'uint', bits: 16 },
  },
  { defaults: { rrname: 'www.example.com', type: 'A', rclass: 'IN', ttl: 0, rdata: '0.0.0.0', preference: 10 }, positional: ['rrname', 'type', 'rdata'], encode: () => new Uint8Array(0) },
);

/** Writes names, pointing back at a suffix already written when compression is on. */
class NameWriter {
  readonly w = new ByteWriter();
  private readonly seen = new Map<string, number>();
  private readonly compress: boolean;

  constructor(compress: boolean) {
    this.compress = compress;
  }

  name(text: string): void {
    const labels = text.replace(/\.$/, '').split('.').filter((x) => x !== '');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.seen.get(suffix);
      if (this.compress && at !== undefined) {
        this.w.u16(0xc000 | at);
        return;
      }
      if (this.w.length < 0x4000) this.seen.set(suffix, this.w.length);
      const bytes = toBytes(labels[i]!);
      if (bytes.length > 63) throw new CraftValueError(`DNS label "${labels[i]}" is longer than 63 bytes`);
      this.w.u8(bytes.length).bytes(bytes);
    }
    this.w.u8(0);
  }
}

function listOf(v: unknown, kind: 'DNSQR' | 'DNSRR'): Layer[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((r) => (typeof r === 'string' ? (kind === 'DNSQR' ? DNSQR({ qname: r }) : DNSRR({ rrname: r })) : (r as Layer)));
}

function rdataOf(out: NameWriter, r: Layer): void {
  const type = r.num('type');
  const v = r.get('rdata');
  const text = typeof v === 'string' ? v : undefined;
  const lenAt = out.w.length;
  out.w.u16(0);
  if (type === TYPES.A && text !== undefined) out.w.bytes(parseIPv4(text));
  else if (type === TYPES.AAAA && text !== undefined) out.w.bytes(parseIPv6(text));
  else if ((type === TYPES.CNAME || type === TYPES.NS || type === TYPES.PTR) && text !== undefined) out.name(text);
  else if (type === TYPES.MX && text !== undefined) {
    out.w.u16(r.num('preference'));
    out.name(text);
  } else if (type === TYPES.TXT && (text !== undefined || Array.isArray(v))) {
    for (const s of text !== undefined ? [text] : (v as string[])) {
      const b = toBytes(s);
      if (b.length > 255) throw new CraftValueError('a TXT string takes at most 255 bytes');
      out.w.u8(b.length).bytes(b);
    }
  } else if (v instanceof Uint8Array || text !== undefined) out.w.bytes(toBytes(v as string | Uint8Array));
  else throw new CraftValueError(`DNSRR rdata for type ${type} takes a string or bytes`);
  out.w.set16(lenAt, r.has('rdlen') ? r.num('rdlen') : out.w.length - lenAt - 2);
}

const bit = { t: 'uint', bits: 1 } as const;

export const DNS = defineLayer(
  'DNS',
  {
    length: { t: 'uint', bits: 16 },
    id: { t: 'uint', bits: 16 },
    qr: bit,
    opcode: { t: 'uint', bits: 4, names: { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } },
    aa: bit,
    tc: bit,
    rd: bit,
    ra: bit,
    z: bit,
    ad: bit,
    cd: bit,
    rcode: { t: 'uint', bits: 4, names: { ok: 0, 'format-error': 1, 'server-failure': 2, 'name-error': 3, 'not-implemented': 4, refused: 5 } },
    qdcount: { t: 'uint', bits: 16 },
    ancount: { t: 'uint', bits: 16 },
    nscount: { t: 'uint', bits: 16 },
    arcount: { t: 'uint', bits: 16 },
    qd: { t: 'custom', list: true, check: records('DNSQR') },
    an: { t: 'custom', list: true, check: records('DNSRR') },
    ns: { t: 'custom', list: true, check: records('DNSRR') },
    ar: { t: 'custom', list: true, check: records('DNSRR') },
    /** Point repeated name suffixes back at their first occurrence (RFC 1035 4.1.4). */
    compress: { t: 'bool' },
  },
  {
    defaults: { id: 0, qr: 0, opcode: 0, aa: 0, tc: 0, rd: 1, ra: 0, z: 0, ad: 0, cd: 0, rcode: 0, compress: false },
    ports: (l, transport) => (transport === 'udp' ? [53, 53] : l.num('qr') === 1 ? [53, 49152] : [49152, 53]),
    encode: ({ layer: l, payload, below }) => {
      const qd = listOf(l.get('qd'), 'DNSQR');
      const sections = [listOf(l.get('an'), 'DNSRR'), listOf(l.get('ns'), 'DNSRR'), listOf(l.get('ar'), 'DNSRR')] as const;
      const out = new NameWriter(l.get('compress') === true);
      const flags =
        (l.num('qr') << 15) | (l.num('opcode') << 11) | (l.num('aa') << 10) | (l.num('tc') << 9) | (l.num('rd') << 8) |
        (l.num('ra') << 7) | (l.num('z') << 6) | (l.num('ad') << 5) | (l.num('cd') << 4) | l.num('rcode');
      out.w.u16(l.num('id')).u16(flags);
      out.w.u16(l.has('qdcount') ? l.num('qdcount') : qd.length);
      (['ancount', 'nscount', 'arcount'] as const).forEach((k, i) => out.w.u16(l.has(k) ? l.num(k) : sections[i]!.length));
      for (const q of qd) {
        out.name(q.str('qname'));
        out.w.u16(q.num('qtype')).u16(q.num('qclass'));
      }
      for (const rrs of sections) {
        for (const r of rrs) {
          out.name(r.str('rrname'));
          out.w.u16(r.num('type')).u16(r.num('rclass')).u32(r.num('ttl'));
          rdataOf(out, r);
        }
      }
      const msg = concat(out.w.done(), payload);
      // Over TCP a message is preceded by its length (RFC 1035 4.2.2).
      if (below[below.length - 1]?.name !== 'TCP' && !l.has('length')) return msg;
      return concat(new ByteWriter().u16(l.has('length') ? l.num('length') : msg.length).done(), msg);
    },
  },
);
