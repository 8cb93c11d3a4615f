/**
 * Where a TCP segment's payload goes, as tshark 4.0 decides it with reassembly off (the corpus
 * truth's settings), and what the hierarchy then shows: retransmissions, out-of-order segments,
 * keep-alives, conversations bound by a heuristic, PDU tracking (DNS over TCP), IP first
 * fragments, reads past a segment ("unreassembled"), HTTP continuations and header lines, TLS
 * refusing plain text, and HTTP bodies cut by the segment's end.
 */
import { describe, expect, it } from 'vitest';
import { hierarchyPath } from '../../src/analyze/protocol-hierarchy.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { frameOf } from '../helpers/dissect.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const ACK = 0x10;
const PSH_ACK = 0x18;
const SYN = 0x02;

interface Seg {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags?: number;
  payload?: Uint8Array;
  /** IPv4 flags/fragment offset word (0x2000: more fragments). */
  frag?: number;
  /** Cut the IP datagram to this many payload bytes (a first fragment). */
  ipPayload?: number;
  /** Client → server (10.0.0.1 → 10.0.0.2), or the other way. */
  reverse?: boolean;
}

/** Ethernet + IPv4 + TCP (20-byte header) + payload. */
function segment(s: Seg): Uint8Array {
  const payload = s.payload ?? new Uint8Array(0);
  const tcp = new Uint8Array(20);
  const v = new DataView(tcp.buffer);
  v.setUint16(0, s.sport);
  v.setUint16(2, s.dport);
  v.setUint32(4, s.seq >>> 0);
  v.setUint32(8, (s.ack ?? 1) >>> 0);
  tcp[12] = 0x50;
  tcp[13] = s.flags ?? PSH_ACK;
  v.setUint16(14, 8192);
  const body = cat(tcp, payload);
  const ipLen = 20 + (s.ipPayload ?? body.length);
  const ip = new Uint8Array(20);
  const iv = new DataView(ip.buffer);
  ip[0] = 0x45;
  iv.setUint16(2, ipLen);
  iv.setUint16(4, 0x1234);
  iv.setUint16(6, s.frag ?? 0);
  ip[8] = 64;
  ip[9] = 6;
  ip.set(s.reverse ? [10, 0, 0, 2, 10, 0, 0, 1] : [10, 0, 0, 1, 10, 0, 0, 2], 12);
  const eth = new Uint8Array([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00]);
  return cat(eth, ip, body.subarray(0, s.ipPayload ?? body.length));
}

/** Dissects segments in order with one dissector (one capture); returns each packet. */
function run(frames: readonly Uint8Array[]): DissectedPacket[] {
  const d = new Dissector(defaultRegistry(), { strict: true });
  return frames.map((data, i) => d.dissect({ ...frameOf(data, 1, data.length, i + 1), tsSec: 1_700_000_000, tsNsec: i * 1_000_000 }));
}

/** tshark's hierarchy path of a packet below `eth/ip`. */
function path(p: DissectedPacket): string {
  const names: string[] = [];
  hierarchyPath(p, (n) => names.push(n));
  return names.join('/').replace(/^eth\/ip\/?/, '');
}

const info = (p: DissectedPacket, protocol: string): Readonly<Record<string, unknown>> => p.layers.find((l) => l.protocol === protocol)!.info;

const GET = enc('GET /index.html HTTP/1.1\r\nHost: example.org\r\n\r\n');
const RESPONSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n';

describe('TCP payload hand-off (tshark 4.0, reassembly off)', () => {
  it('a retransmission and an out-of-order segment keep their payload in TCP; a keep-alive hands it to data', () => {
    const ps = run([
      segment({ sport: 40000, dport: 80, seq: 1, payload: GET }),
      segment({ sport: 40000, dport: 80, seq: 1, payload: GET }), // the same bytes again: a retransmission
      segment({ sport: 40000, dport: 80, seq: 1 + GET.length - 1, flags: ACK, payload: new Uint8Array([0]) }), // keep-alive
    ]);
    expect(path(ps[0]!)).toBe('tcp/http');
    expect(path(ps[1]!)).toBe('tcp');
    expect(info(ps[1]!, 'tcp')['hidePayload']).toBe(true);
    expect(path(ps[2]!)).toBe('tcp/data');
    const ten = enc('0123456789');
    const qs = run([
      segment({ sport: 40100, dport: 80, seq: 1, payload: GET }),
      segment({ sport: 40100, dport: 80, seq: 1 + GET.length + 10, payload: ten }), // a gap: lost segment
      segment({ sport: 40100, dport: 80, seq: 1 + GET.length, payload: ten }), // the gap filled 1 ms later: out-of-order
    ]);
    expect(((info(qs[2]!, 'tcp')['analysis'] as number) & 0x200) !== 0).toBe(true);
    expect(path(qs[2]!)).toBe('tcp');
  });

  it('HTTP found by its heuristic on other ports binds the connection: a later continuation is HTTP', () => {
    const ps = run([
      segment({ sport: 40001, dport: 4000, seq: 1, payload: enc('POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n') }),
      segment({ sport: 40001, dport: 4000, seq: 51, payload: enc('0123456789') }),
      segment({ sport: 4000, dport: 40001, seq: 1, reverse: true, payload: enc('\x00\x01binary') }),
    ]);
    expect(path(ps[0]!)).toBe('tcp/http');
    expect(path(ps[1]!)).toBe('tcp/http');
    expect(ps[1]!.layers.at(-1)!.summary).toBe('Continuation');
    // A binary continuation is HTTP once a request was seen on the connection.
    expect(path(ps[2]!)).toBe('tcp/http');
  });

  it('an HTTP segment that is no message shows nothing until a request was seen on the connection', () => {
    const [binary, text, colon] = run([
      segment({ sport: 40002, dport: 80, seq: 1, flags: ACK, payload: new Uint8Array([0]) }),
      segment({ sport: 40002, dport: 80, seq: 2, payload: enc('just some words\r\nmore') }),
      segment({ sport: 40002, dport: 80, seq: 23, payload: enc('X-Late: header\r\n\r\nbody') }),
    ]);
    expect(path(binary!)).toBe('tcp');
    expect(info(binary!, 'http')['noItem']).toBe(true);
    expect(path(text!)).toBe('tcp');
    // A line with a colon is a header line: the HTTP item is there.
    expect(path(colon!)).toBe('tcp/http');
  });

  it('an HTTP line cut by the segment end after a header is read past (unreassembled)', () => {
    const [p] = run([segment({ sport: 40003, dport: 80, seq: 1, payload: enc('HTTP/1.1 200 OK\r\nServer: x\r\nCache-Contr') })]);
    expect(path(p!)).toBe('tcp/http/_ws.unreassembled');
    const [q] = run([segment({ sport: 40004, dport: 80, seq: 1, payload: enc('HTTP/1.1 200 OK\r\nServer: x\r\nCache-Control: no') })]);
    expect(path(q!)).toBe('tcp/http');
  });

  it('TLS refuses a payload starting with four printable bytes: data', () => {
    const [p, q] = run([
      segment({ sport: 443, dport: 40005, seq: 1, reverse: true, payload: enc('rpa00 more text') }),
      segment({ sport: 443, dport: 40005, seq: 16, reverse: true, payload: new Uint8Array([0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb]) }),
    ]);
    expect(path(p!)).toBe('tcp/data');
    expect(path(q!)).toBe('tcp/tls');
  });

  it('DNS over TCP: a length alone is read past without a DNS item, and the segments inside that message are not dissected', () => {
    const query = new Uint8Array([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1]);
    const ps = run([
      segment({ sport: 40006, dport: 53, seq: 1, payload: new Uint8Array([0, query.length]) }),
      segment({ sport: 40006, dport: 53, seq: 3, payload: query }),
      segment({ sport: 40006, dport: 53, seq: 3 + query.length, payload: cat(new Uint8Array([0, query.length]), query) }),
    ]);
    expect(path(ps[0]!)).toBe('tcp/_ws.unreassembled');
    expect(path(ps[1]!)).toBe('tcp');
    expect(String(info(ps[1]!, 'tcp')['prefix'])).toBe('[Continuation to #1] ');
    expect(path(ps[2]!)).toBe('tcp/dns');
  });

  it('IPv4 first fragments: a cut TCP header is unreassembled, a whole one has no length and hands nothing on', () => {
    const [cut, whole] = run([
      segment({ sport: 40007, dport: 80, seq: 1, flags: SYN, frag: 0x2000, ipPayload: 8 }),
      segment({ sport: 40008, dport: 80, seq: 1, frag: 0x2000, payload: GET, ipPayload: 40 }),
    ]);
    expect(path(cut!)).toBe('tcp/_ws.unreassembled');
    expect(cut!.layers.find((l) => l.protocol === 'tcp')!.fields.some((f) => f.key === 'tcp.seq_raw')).toBe(false);
    expect(path(whole!)).toBe('tcp');
    expect(whole!.layers.find((l) => l.protocol === 'tcp')!.fields.some((f) => f.key === 'tcp.len')).toBe(false);
  });

  it('bodies cut by the segment end: images are read past, JSON that does not parse is also text lines', () => {
    const png = cat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), enc('IHDR'), new Uint8Array(13 + 4), new Uint8Array([0, 0, 0x10, 0]), enc('IDAT'), new Uint8Array(20));
    const [p] = run([segment({ sport: 80, dport: 40009, seq: 1, reverse: true, payload: cat(enc('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 9000\r\n\r\n'), png) })]);
    expect(path(p!)).toBe('tcp/http/png/_ws.unreassembled');
    const whole = png.subarray(0, 8 + 25);
    const [q] = run([segment({ sport: 80, dport: 40010, seq: 1, reverse: true, payload: cat(enc(`HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: ${whole.length}\r\n\r\n`), whole) })]);
    expect(path(q!)).toBe('tcp/http/png');
    const [j] = run([segment({ sport: 80, dport: 40011, seq: 1, reverse: true, payload: enc('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\ncb({"a":1})') })]);
    expect(path(j!)).toBe('tcp/http/json/data-text-lines');
    const [k] = run([segment({ sport: 80, dport: 40012, seq: 1, reverse: true, payload: enc('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":1}') })]);
    expect(path(k!)).toBe('tcp/http/json');
    // A read past a body cut short of its Content-Length, in a text body: none (text is not walked).
    const [t] = run([segment({ sport: 80, dport: 40013, seq: 1, reverse: true, payload: enc(`${RESPONSE_HEAD}<html>`) })]);
    expect(path(t!)).toBe('tcp/http/data-text-lines');
  });

  it('a chunked body whose last complete chunk ends the segment is not read past; a chunk cut by it is', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const [whole, cut] = run([
      segment({ sport: 80, dport: 40014, seq: 1, reverse: true, payload: enc(`${head}5\r\nhello\r\n`) }),
      segment({ sport: 80, dport: 40015, seq: 1, reverse: true, payload: enc(`${head}50\r\nhello`) }),
    ]);
    expect(path(whole!)).toBe('tcp/http');
    expect(path(cut!)).toBe('tcp/http/_ws.unreassembled');
  });
});
