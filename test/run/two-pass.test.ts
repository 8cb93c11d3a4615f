/**
 * Filtered `list` and `fields` in two passes must give exactly the records one pass gives, while
 * leaving out frames no match depends on; conversation keys must be symmetric and refuse what
 * they cannot key.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { compileFilter } from '../../src/filter/index.js';
import { conversationBucket, conversationKey, conversationTag } from '../../src/run/conversation-key.js';
import { forEachRecord } from '../../src/run/packet-loop.js';
import type { JobSpec } from '../../src/run/packet-jobs.js';
import { dissectPlanned, planMatches, twoPassFilter } from '../../src/run/two-pass.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { frameOf, hex } from '../helpers/dissect.js';
import { udpPacket } from '../helpers/misc-packets.js';
import { runCli } from '../helpers/run-cli.js';

const FILES = [
  'pcapplusplus__example.pcap', // many hosts and TCP connections
  'arkime__wireshark-retrans.pcap', // retransmissions
  'ndpi__fuzz-2006-06-26-2594.pcap', // SIP and RTP, damaged at the end
  'arkime__gtp-iphone.pcap', // SIP and RTP inside GTP tunnels
  'packetnet__udp-ip-fragmented.pcap', // SIP with SDP in IPv4 fragments
  'ndpi__rtsp.pcap', // RTSP with SDP
  'pcapplusplus__four_ipv6_http_streams.pcap', // HTTP over IPv6
  'pcapplusplus__VlanPackets.pcap', // VLAN tags
  'ndpi__1kxun.pcap', // HTTP, TLS, SSDP, LLMNR
].filter((f) => existsSync(CAPTURES + f));

const FILTERS = [
  'tcp.flags.syn == 1',
  'udp.port > 1024 && frame.len > 100',
  'tcp.analysis.retransmission || tcp.len > 1000',
  'ip.src == 10.0.0.0/8 || ipv6',
  'frame.time_delta > 0.5',
  // RTP set up by SIP/SDP on other ports: the signalling matches nothing and must still be read.
  'udp and not udp.port == 5060',
];

const registry = defaultRegistry();
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

async function records(path: string, spec: JobSpec, filter: string, twoPass: boolean): Promise<string> {
  process.env['PCAPVIZ_TWO_PASS'] = twoPass ? '1' : '0';
  process.env['PCAPVIZ_TWO_PASS_MIN_BYTES'] = '0';
  const out: string[] = [];
  const exit = await forEachRecord(
    [path],
    spec,
    { registry, decodeAs: [], parallel: true, filter: compileFilter(filter, registry) },
    { record: (text) => void out.push(String(text)) },
  );
  return `${out.join('\n')}\nexit ${exit}`;
}

describe.skipIf(FILES.length === 0)('two-pass filtered runs', () => {
  it.each(FILES)('list and fields of %s are the same in one pass and in two', async (file) => {
    const list: JobSpec = { kind: 'list', format: 'json', time: 'dd', colour: false, filtered: true };
    const fields: JobSpec = { kind: 'fields', keys: ['frame.number', 'frame.time_delta', 'ip.src', 'tcp.seq', 'tcp.analysis.retransmission', 'dns.qry.name', 'sip.Method', 'rtp.seq', 'http.request.uri', 'tls.handshake.type'], options: {} };
    for (const filter of FILTERS) {
      expect(twoPassFilter(compileFilter(filter, registry), registry)).toBe(true);
      for (const spec of [list, fields]) {
        const one = await records(CAPTURES + file, spec, filter, false);
        const two = await records(CAPTURES + file, spec, filter, true);
        expect(two, `${file} -Y '${filter}'`).toBe(one);
      }
    }
  });

  it('leaves out the frames of conversations after their last match, and still shows every match', async () => {
    const path = CAPTURES + 'pcapplusplus__example.pcap';
    const filter = compileFilter('tcp.flags.syn == 1 && tcp.flags.ack == 0', registry);
    const plan = await planMatches(path, registry, filter);
    expect(plan).toBeDefined();
    const reader = await openCapture(path);
    let shown = 0;
    let dissected = 0;
    let skipped = 0;
    const frames = await dissectPlanned(reader, new Dissector(registry, { mode: 'select', fields: filter.fields, protocols: [...registry.protocols.keys()], summaries: true }), plan!, undefined, (p) => {
      dissected++;
      if (filter.matches(p)) shown++;
    }, () => skipped++);
    await reader.close();
    const one = await records(path, { kind: 'fields', keys: ['frame.number'], options: {} }, 'tcp.flags.syn == 1 && tcp.flags.ack == 0', false);
    expect(shown).toBe(one.split('\n').length - 1);
    expect(shown).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(frames / 2);
    expect(dissected + skipped).toBe(frames);
  });

  it('looks for SIP and SDP in passed-over frames only when a match is a UDP packet, or a TCP packet decoded as RTP', async () => {
    const path = CAPTURES + 'ndpi__fuzz-2006-06-26-2594.pcap'; // SIP, RTP over UDP, and some TCP
    const plan = async (text: string, r = registry): Promise<boolean | undefined> => (await planMatches(path, r, compileFilter(text, r)))?.media;
    expect(await plan('udp')).toBe(true);
    expect(await plan('tcp')).toBe(false);
    // One UDP match is enough.
    expect(await plan('tcp || udp.srcport == 5060')).toBe(true);
    const asRtp = registry.with({ 'tcp.port': { 5060: 'rtp' } });
    expect(await plan('tcp', asRtp)).toBe(true);
  });

  it('reads a TFTP request even when only the transfer it starts (on other ports) matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-two-pass-'));
    try {
      // The server answers from its own port: swap the addresses of the built packet.
      const fromServer = (d: Uint8Array): Uint8Array => {
        const out = d.slice();
        out.set(d.subarray(30, 34), 26);
        out.set(d.subarray(26, 30), 30);
        return out;
      };
      const frames = [
        udpPacket(2000, 69, '\x00\x01file.txt\x00octet\x00'),
        fromServer(udpPacket(3000, 2000, '\x00\x03\x00\x01hello')),
        udpPacket(2000, 3000, '\x00\x04\x00\x01'),
      ];
      const o = { linkType: 1 };
      const path = join(dir, 'tftp.pcap');
      writeFileSync(path, Buffer.concat([encodePcapHeader(o), ...frames.map((data, i) => encodePcapRecord({ tsSec: 1_700_000_000 + i, tsNsec: 0, data }, o))]));
      const spec: JobSpec = { kind: 'list', format: 'table', time: 'r', colour: false, filtered: true };
      const one = await records(path, spec, 'udp.srcport == 3000', false);
      expect(one).toContain('TFTP');
      expect(await records(path, spec, 'udp.srcport == 3000', true)).toBe(one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up when pass 2 would dissect too much: over a quarter of the frames, or half with header packets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-two-pass-'));
    try {
      // 1,000 UDP conversations of 30 datagrams each, interleaved; the last datagram of the
      // first `share` of them is 20 bytes long, the others 21: every frame of those
      // conversations is work for pass 2.
      const capture = (name: string, share: number): string => {
        const o = { linkType: 1 };
        const records: Uint8Array[] = [encodePcapHeader(o)];
        for (let round = 0; round < 30; round++) {
          for (let conv = 0; conv < 1000; conv++) {
            const short = round === 29 && conv < share * 1000;
            const data = udpPacket(10_000 + conv, 53_000, new Uint8Array(short ? 12 : 13));
            records.push(encodePcapRecord({ tsSec: 1_700_000_000 + round, tsNsec: conv, data }, o));
          }
        }
        const path = join(dir, name);
        writeFileSync(path, Buffer.concat(records));
        return path;
      };
      const plan = (path: string, text: string): Promise<unknown> => planMatches(path, registry, compileFilter(text, registry));
      const third = capture('third.pcap', 0.35);
      const most = capture('most.pcap', 0.6);
      // Header fields only: pass 1 reads header packets and keeps a plan up to half the frames.
      expect(await plan(third, 'udp.length == 20')).toBeDefined();
      expect(await plan(most, 'udp.length == 20')).toBeUndefined();
      // The UDP payload is no header field: pass 1 dissects, and gives up past a quarter.
      expect(await plan(third, 'udp.length == 20 && udp.payload')).toBeUndefined();
      expect(await plan(capture('tenth.pcap', 0.1), 'udp.length == 20 && udp.payload')).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes over the frames of a conversation that only shares its bucket with a matching one', async () => {
    // Two UDP conversations in one bucket with different tags, found by trying source ports.
    const seen = new Map<number, { port: number; tag: number }>();
    let pair: [number, number] | undefined;
    for (let port = 10_000; pair === undefined; port++) {
      const key = conversationKey(frameOf(udpPacket(port, 53_000, new Uint8Array(13))));
      const other = seen.get(conversationBucket(key));
      if (other !== undefined && other.tag !== conversationTag(key)) pair = [other.port, port];
      else seen.set(conversationBucket(key), { port, tag: conversationTag(key) });
    }
    const [a, b] = pair;
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-two-pass-'));
    try {
      // Three datagrams each, interleaved; the last of each has 12 bytes of payload (udp.length 20).
      const o = { linkType: 1 };
      const parts: Uint8Array[] = [encodePcapHeader(o)];
      for (let round = 0; round < 3; round++) {
        for (const port of [a, b]) parts.push(encodePcapRecord({ tsSec: 1_700_000_000 + round, tsNsec: port, data: udpPacket(port, 53_000, new Uint8Array(round === 2 ? 12 : 13)) }, o));
      }
      const path = join(dir, 'shared-bucket.pcap');
      writeFileSync(path, Buffer.concat(parts));
      const dissectedPorts = async (text: string): Promise<number[]> => {
        const filter = compileFilter(text, registry);
        const plan = await planMatches(path, registry, filter);
        const reader = await openCapture(path);
        const ports: number[] = [];
        await dissectPlanned(reader, new Dissector(registry, { mode: 'select', fields: ['udp.srcport'], protocols: [] }), plan!, undefined, (p) => {
          ports.push(p.layers.find((l) => l.protocol === 'udp')!.fields.find((f) => f.key === 'udp.srcport')!.value as number);
        }, () => undefined);
        await reader.close();
        return ports;
      };
      // Only the first conversation matches: the other's frames are passed over.
      expect(await dissectedPorts(`udp.srcport == ${a} && udp.length == 20`)).toEqual([a, a, a]);
      // Both match: the bucket is mixed and each frame up to the last match is dissected.
      expect(await dissectedPorts('udp.length == 20')).toEqual([a, b, a, b, a, b]);
      const spec: JobSpec = { kind: 'list', format: 'table', time: 'dd', colour: false, filtered: true };
      for (const text of [`udp.srcport == ${a} && udp.length == 20`, `udp.srcport == ${b} && udp.length == 20`, 'udp.length == 20']) {
        expect(await records(path, spec, text, true), text).toBe(await records(path, spec, text, false));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what the list and fields commands run, with the same output and exit code', () => {
    const path = CAPTURES + 'ndpi__fuzz-2006-06-26-2594.pcap';
    for (const args of [['list', path, '-Y', 'udp and not udp.port == 5060', '-t', 'dd'], ['fields', path, '-Y', 'tcp.flags.syn == 1', '-e', 'frame.number', '-e', 'tcp.analysis.flags', '-e', 'sip.Method']]) {
      const one = runCli(args, undefined, { PCAPVIZ_TWO_PASS: '0' });
      const two = runCli(args, undefined, { PCAPVIZ_TWO_PASS_MIN_BYTES: '0' });
      expect(two.stdout.length).toBeGreaterThan(0);
      expect(two).toEqual(one);
    }
  });

  it('keeps one pass for filters on application fields or on numbering across the capture', () => {
    for (const f of ['http.request', 'dns', 'tls.handshake.extensions_server_name == "a"', 'tcp.stream == 3', 'frame.protocols contains "sip"']) {
      expect(twoPassFilter(compileFilter(f, registry), registry), f).toBe(false);
    }
    expect(twoPassFilter(compileFilter('tcp.port == 80', registry), registry, ['udp.stream'])).toBe(false);
  });
});

describe('conversationKey', () => {
  // Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, TCP 1234 -> 80 (data offset 5), two bytes of payload.
  const tcp4 = (src: string, dst: string, sport: string, dport: string, frag = '4000'): Uint8Array =>
    hex(`000000000002 000000000001 0800  4500002a 0001 ${frag} 40 06 0000 ${src} ${dst}  ${sport} ${dport} 00000001 00000000 5002ffff 0000 0000  abcd`);
  const a = '0a000001';
  const b = '0a000002';

  it('gives both directions of a conversation the same bucket, and tells the payload start', () => {
    const out = new Int32Array(1);
    const k = conversationKey(frameOf(tcp4(a, b, '04d2', '0050')), out);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(out[0]).toBe(14 + 20 + 20);
    expect(conversationKey(frameOf(tcp4(b, a, '0050', '04d2')))).toBe(k);
    expect(conversationKey(frameOf(tcp4(a, b, '04d3', '0050')))).not.toBe(k);
  });

  it('reads through VLAN tags to the same bucket', () => {
    const plain = tcp4(a, b, '04d2', '0050');
    const tagged = new Uint8Array(plain.length + 4);
    tagged.set(plain.subarray(0, 12));
    tagged.set(hex('8100 0064'), 12);
    tagged.set(plain.subarray(12), 16);
    expect(conversationKey(frameOf(tagged))).toBe(conversationKey(frameOf(plain)));
  });

  it('refuses fragments, TFTP, frames without IP and cut headers', () => {
    expect(conversationKey(frameOf(tcp4(a, b, '04d2', '0050', '2000')))).toBe(-1); // more fragments
    expect(conversationKey(frameOf(tcp4(a, b, '04d2', '0050', '0010')))).toBe(-1); // offset 16
    const tftp = hex(`000000000002 000000000001 0800  4500001e 0001 4000 40 11 0000 ${a} ${b}  c000 0045 000a 0000  0001`);
    expect(conversationKey(frameOf(tftp))).toBe(-1);
    expect(conversationKey(frameOf(hex('ffffffffffff 000000000001 0806 0001 0800 0604 0001')))).toBe(-1);
    expect(conversationKey(frameOf(tcp4(a, b, '04d2', '0050').subarray(0, 36)))).toBe(-1);
  });

  it('walks IPv6 hop-by-hop options to the same bucket as without them', () => {
    const addr = (n: string): string => `20010db8000000000000000000000${n}`;
    const v6 = (ext: boolean): Uint8Array =>
      hex(`000000000002 000000000001 86dd  60000000 ${ext ? '001e 00' : '0016 06'} 40 ${addr('001')} ${addr('002')} ${ext ? '0600 0000 0000 0000' : ''}  04d2 0050 00000001 00000000 5002ffff 0000 0000 abcd`);
    const k = conversationKey(frameOf(v6(false)));
    expect(k).toBeGreaterThanOrEqual(0);
    expect(conversationKey(frameOf(v6(true)))).toBe(k);
  });
});
