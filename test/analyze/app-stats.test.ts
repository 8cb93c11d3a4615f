/**
 * The io, dns, http and tls reducers on corpus captures, against what tshark 4.0 says for the same
 * files (the numbers in the comments come from `tshark -q -z io,stat,N`, `-z dns,tree`,
 * `-z http,tree`, `-z http_req,tree`, and `-T fields -e http.time` / `-Y tls.handshake.type==N`).
 */
import { describe, expect, it } from 'vitest';
import { DnsStatsBuilder } from '../../src/analyze/dns-stats.js';
import { HttpStatsBuilder } from '../../src/analyze/http-stats.js';
import { IoStatsBuilder, parseInterval } from '../../src/analyze/io-stats.js';
import { KeyCounts } from '../../src/analyze/key-counts.js';
import { TlsStatsBuilder, cipherSuiteName, tlsVersionName } from '../../src/analyze/tls-stats.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { packet, resetFrames } from './make-packets.js';

async function feed(name: string, ...reducers: { add(p: DissectedPacket): void }[]): Promise<void> {
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) {
    const p = d.dissect(f);
    for (const r of reducers) r.add(p);
  }
}

const counts = (k: KeyCounts): [string, number][] => k.rows().map((r) => [r.key, r.count]);
const WIKI = 'zeek__wikipedia.pcap';

describe('io: packets and bytes per interval as tshark -z io,stat', () => {
  it('1 s, 500 ms and 10 s intervals on zeek__wikipedia.pcap', async () => {
    const one = new IoStatsBuilder(parseInterval('1s')!);
    const half = new IoStatsBuilder(parseInterval('500ms')!);
    const ten = new IoStatsBuilder(parseInterval('10s')!);
    await feed(WIKI, one, half, ten);
    const r = one.finish();
    // tshark -z io,stat,1: 5/613, 102/22392, 7/479, 3/212, 8/644, 3/244, 8/676; duration 6.378866 s
    expect(r.intervals.map((i) => [i.packets, i.bytes])).toEqual([[5, 613], [102, 22392], [7, 479], [3, 212], [8, 644], [3, 244], [8, 676]]);
    expect(r.durationNs).toBe(6_378_866_000);
    expect([r.packets, r.bytes]).toEqual([136, 25260]);
    // tshark -z io,stat,0.5: the empty interval 1.0 <> 1.5 is a row too
    expect(half.finish().intervals.map((i) => i.packets)).toEqual([4, 1, 0, 102, 5, 2, 1, 2, 1, 7, 1, 2, 8]);
    expect(ten.finish().intervals.map((i) => [i.startNs, i.endNs, i.packets, i.bytes])).toEqual([[0, 10e9, 136, 25260]]);
  });

  it('parses interval lengths and refuses nonsense', () => {
    expect(['100ms', '1s', '10s', '1m', '0.5', '250us'].map(parseInterval)).toEqual([1e8, 1e9, 1e10, 6e10, 5e8, 250_000]);
    expect(['', 'fast', '-1s', '0s', '1 parsec'].map(parseInterval)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('keeps at most maxIntervals intervals and counts later packets', () => {
    resetFrames();
    const b = new IoStatsBuilder(1e9, 3);
    for (const t of [0, 0.5, 1, 2.9, 3, 7]) b.add(packet(t, 100, []));
    const r = b.finish();
    expect(r.intervals.map((i) => i.packets)).toEqual([2, 1, 1]);
    expect(r.leftOut).toBe(2);
  });
});

describe('dns: as tshark -z dns,tree', () => {
  it('zeek__wikipedia.pcap: queries, responses, codes, types and response times', async () => {
    const b = new DnsStatsBuilder();
    await feed(WIKI, b);
    const r = b.finish();
    // tshark: 28 packets, 14 queries, 14 responses, 4 "No such name"; 0 unsolicited responses;
    // request-response time: 14 matched, min 0.317 ms, avg 0.38 ms, max 0.435 ms
    expect([r.messages, r.queries, r.responses, r.unanswered, r.unmatchedResponses]).toEqual([28, 14, 14, 0, 0]);
    expect(counts(r.byRcode)).toEqual([['No error', 10], ['No such name', 4]]);
    // tshark counts types over queries and responses (AAAA 18, A 10): here queries only.
    expect(counts(r.byType)).toEqual([['AAAA', 9], ['A', 5]]);
    expect(counts(r.byName)).toEqual([['upload.wikimedia.org', 8], ['upload.wikimedia.org.ncsa.uiuc.edu', 4], ['meta.wikimedia.org', 2]]);
    expect(r.responseTime!.count).toBe(14);
    expect(r.responseTime!.min).toBeCloseTo(0.000317, 9);
    expect(r.responseTime!.max).toBeCloseTo(0.000435, 9);
    expect(r.responseTime!.avg).toBeCloseTo(0.00038, 5);
  });

  it('matches by id and reversed addresses/ports; counts unanswered queries and unmatched responses', () => {
    resetFrames();
    const b = new DnsStatsBuilder();
    const at = (t: number, src: string, sp: number, dst: string, dp: number, info: Record<string, unknown>) =>
      b.add(packet(t, 80, [{ protocol: 'ip', info: { src, dst } }, { protocol: 'udp', info: { srcport: sp, dstport: dp } }, { protocol: 'dns', info }]));
    const q = (id: number, name: string) => ({ id, response: false, rcode: 0, questions: [{ name, type: 1 }] });
    const a = (id: number, rcode = 0) => ({ id, response: true, rcode, questions: [] });
    at(0, '10.0.0.1', 5000, '10.0.0.53', 53, q(1, 'a.example'));
    at(0.25, '10.0.0.53', 53, '10.0.0.1', 5000, a(1));
    at(1, '10.0.0.1', 5001, '10.0.0.53', 53, q(2, 'b.example'));
    at(1.5, '10.0.0.53', 53, '10.0.0.1', 5009, a(2, 3)); // other port: not the answer
    const r = b.finish();
    expect([r.queries, r.responses, r.unanswered, r.unmatchedResponses]).toEqual([2, 2, 1, 1]);
    expect(r.responseTime).toEqual({ count: 1, min: 0.25, avg: 0.25, max: 0.25 });
    expect(counts(r.byRcode)).toEqual([['No error', 1], ['No such name', 1]]);
  });
});

describe('http: as tshark -z http,tree and http_req,tree', () => {
  it('zeek__wikipedia.pcap: 15 GET, 15 × 304, hosts and response times', async () => {
    const b = new HttpStatsBuilder();
    await feed(WIKI, b);
    const r = b.finish();
    expect([r.packets, r.requests, r.responses, r.other, r.unanswered, r.unmatchedResponses]).toEqual([30, 15, 15, 0, 0, 0]);
    expect(counts(r.byMethod)).toEqual([['GET', 15]]);
    expect(counts(r.byStatus)).toEqual([['304 Not Modified', 15]]);
    expect(counts(r.byHost).sort()).toEqual([['bits.wikimedia.org', 1], ['meta.wikimedia.org', 1], ['upload.wikimedia.org', 12], ['www.wikipedia.org', 1]]);
    expect(r.byUri.size).toBe(15);
    // tshark http.time over the 15 responses: 0.059782 to 0.061293 s
    expect(r.responseTime!.count).toBe(15);
    expect(r.responseTime!.min).toBeCloseTo(0.059782, 9);
    expect(r.responseTime!.max).toBeCloseTo(0.061293, 9);
  });

  it('answers requests in order per TCP stream; pipelined requests each count', () => {
    resetFrames();
    const b = new HttpStatsBuilder();
    const seg = (t: number, stream: number, messages: Record<string, unknown>[]) =>
      b.add(packet(t, 200, [{ protocol: 'ip', info: { src: '10.0.0.1', dst: '10.0.0.2' } }, { protocol: 'tcp', info: { srcport: 1, dstport: 80, stream } }, { protocol: 'http', info: { messages } }]));
    seg(0, 0, [{ kind: 'request', method: 'GET', uri: '/a', host: 'h' }, { kind: 'request', method: 'GET', uri: '/b', host: 'h' }]);
    seg(1, 0, [{ kind: 'response', code: 200 }]);
    seg(3, 0, [{ kind: 'response', code: 404 }]);
    seg(4, 1, [{ kind: 'response', code: 500 }]);
    const r = b.finish();
    expect([r.requests, r.responses, r.unanswered, r.unmatchedResponses]).toEqual([2, 3, 0, 1]);
    expect(r.responseTime).toEqual({ count: 2, min: 1, avg: 2, max: 3 });
    expect(counts(r.byStatus)).toEqual([['200 OK', 1], ['404 Not Found', 1], ['500 Internal Server Error', 1]]);
  });
});

describe('tls: hellos, SNI, versions, ALPN, suites', () => {
  it('pcapplusplus__tls2.pcap: 323 ClientHellos, SNI counts as tshark filters them', async () => {
    const b = new TlsStatsBuilder();
    await feed('pcapplusplus__tls2.pcap', b);
    const r = b.finish();
    // tshark -Y tls.handshake.type==1: 323 frames; SNI nav.smartscreen.microsoft.com in 14
    expect(r.clientHellos).toBe(323);
    expect(counts(r.sni).find(([k]) => k === 'nav.smartscreen.microsoft.com')).toEqual(['nav.smartscreen.microsoft.com', 14]);
    expect(counts(r.alpnChosen).sort()).toEqual([['h2', 57], ['http/1.1', 47]]);
  });

  it('pcapplusplus__tls1_3.pcap: versions and suites chosen by the two ServerHellos', async () => {
    const b = new TlsStatsBuilder();
    await feed('pcapplusplus__tls1_3.pcap', b);
    const r = b.finish();
    expect([r.clientHellos, r.serverHellos]).toEqual([2, 2]);
    expect(counts(r.versionsChosen)).toEqual([['TLS 1.3 draft 28', 1], ['TLS 1.3', 1]]);
    expect(counts(r.ciphersChosen)).toEqual([['TLS_AES_256_GCM_SHA384', 1], ['TLS_AES_128_GCM_SHA256', 1]]);
  });

  it('GREASE values count as one key', async () => {
    const b = new TlsStatsBuilder();
    await feed('pcapplusplus__tls_grease.pcap', b);
    const r = b.finish();
    expect(r.clientHellos).toBe(1);
    expect(counts(r.ciphersOffered).filter(([k]) => k === 'GREASE')).toEqual([['GREASE', 1]]);
    expect([tlsVersionName(0x3a3a), tlsVersionName(0x0303), cipherSuiteName(0xc02f), cipherSuiteName(0x1234)]).toEqual(['GREASE', 'TLS 1.2', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', '0x1234']);
  });
});

describe('bounded counts', () => {
  it('keeps maxKeys distinct keys and counts the occurrences of the rest', () => {
    const k = new KeyCounts(2);
    for (const x of ['a', 'b', 'a', 'c', 'd', 'c', 'b']) k.add(x);
    expect(counts(k)).toEqual([['a', 2], ['b', 2]]);
    expect(k.leftOut).toBe(3);
  });
});
