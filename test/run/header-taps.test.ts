/**
 * `stats conv` and `stats endpoints` read plain frames from their headers (`HeaderTaps`): their
 * tables and the name book must be exactly those of a run that dissects every frame
 * (`PCAPVIZ_HEADER_PACKETS=0`), on every corpus capture, when frames of one connection are read
 * both ways, and where UDP streams depend on what a datagram carries (SNMP, TFTP, SIP with SDP).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FLOWS } from '../../src/analyze/flow-table.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write-capture.js';
import { addressHash, ipv4TextAt, ipv6TextAt } from '../../src/dissect/cursor.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { scanOptions } from '../../src/dissect/protocols/tcp.js';
import type { SegmentHeader } from '../../src/dissect/protocols/tcp-sequence.js';
import { HeaderPackets } from '../../src/run/header-packet.js';
import { HeaderTaps } from '../../src/run/header-taps.js';
import { collectTraffic } from '../../src/run/run-graph.js';
import type { GraphLayer } from '../../src/graph/collect.js';
import { NameBook } from '../../src/analyze/names.js';
import { collectStats, renderStats, type CaptureStats } from '../../src/run/run-stats.js';
import { STATS_TABLE_DEFS } from '../../src/run/stats/index.js';
import type { StatsSettings } from '../../src/run/stats/table.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { ethIpv4, udpPacket } from '../helpers/misc-packets.js';

const registry = defaultRegistry();
const defsOf = (...names: string[]) => names.map((t) => STATS_TABLE_DEFS.find((d) => d.name === t)!);
const DEFS = defsOf('conv', 'endpoints');
const settings = (types: string[], names: boolean): StatsSettings => ({ types, format: 'json', top: undefined, sort: undefined, maxFlows: DEFAULT_MAX_FLOWS, names, intervalNs: 1e9 });

/** Frames the header taps took in the runs since the last call. */
let taken = 0;
const feed = HeaderTaps.prototype.feed;
HeaderTaps.prototype.feed = function (this: HeaderTaps, ...args: Parameters<HeaderTaps['feed']>): boolean {
  const r = feed.apply(this, args);
  if (r) taken++;
  return r;
};
afterAll(() => {
  HeaderTaps.prototype.feed = feed;
});

/** The JSON of conv and endpoints, the name book's entries and the exit code, with header taps on or off. */
async function run(file: string, s: StatsSettings, headers: boolean, defs = DEFS): Promise<{ text: string; names: unknown[]; exit: number; taken: number }> {
  const results: CaptureStats[] = [];
  taken = 0;
  if (!headers) process.env['PCAPVIZ_HEADER_PACKETS'] = '0';
  try {
    const exit = await collectStats([file], registry, defs, s, (r) => results.push(r));
    const names = results.flatMap((r): unknown[] => [...(r.names?.entries() ?? []), ['left out', r.names?.leftOut ?? -1]]);
    return { text: results.length === 0 ? '' : renderStats(results, false, defs, s), names, exit, taken };
  } finally {
    delete process.env['PCAPVIZ_HEADER_PACKETS'];
  }
}

/**
 * Writes `frames` as a pcap, runs `s` over it with header taps off and on, requires the same
 * tables, name book and exit code, and returns the run with taps on.
 */
async function bothWays(frames: readonly Uint8Array[], s: StatsSettings): Promise<Awaited<ReturnType<typeof run>>> {
  const dir = mkdtempSync(join(tmpdir(), 'pcapviz-taps-'));
  try {
    const path = join(dir, 'made.pcap');
    writeFileSync(path, Buffer.concat([encodePcapHeader({ linkType: 1 }), ...frames.map((data, i) => encodePcapRecord({ tsSec: 1_700_000_000 + i, tsNsec: 0, data }, { linkType: 1 }))]));
    const full = await run(path, s, false);
    const fast = await run(path, s, true);
    expect(fast.text).toBe(full.text);
    expect(fast.names).toEqual(full.names);
    expect(fast.exit).toBe(full.exit);
    return fast;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The corpus captures of up to 4 MiB. */
const corpusFiles = (): string[] =>
  readdirSync(CAPTURES)
    .filter((n) => !/\.(txt|out|md|tsv)$/.test(n) && statSync(CAPTURES + n).size <= 4 << 20)
    .map((n) => CAPTURES + n);

const TYPES = ['eth', 'ip', 'ipv6', 'tcp'];
const ALL_TYPES = [...TYPES, 'udp'];

describe('conversation and endpoint taps read from headers', () => {
  it('give the tables and the name book of a full dissection on every corpus capture', async () => {
    const files = corpusFiles();
    let compared = 0;
    let framesTaken = 0;
    for (const file of files) {
      for (const types of [TYPES, ALL_TYPES]) {
        for (const names of [true, false]) {
          const s = settings(types, names);
          const full = await run(file, s, false);
          expect(full.taken).toBe(0);
          const fast = await run(file, s, true);
          expect({ file, types, names, text: fast.text, book: fast.names, exit: fast.exit }).toEqual({ file, types, names, text: full.text, book: full.names, exit: full.exit });
          framesTaken += fast.taken;
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(800);
    // The comparison means something only if many frames were read from headers.
    expect(framesTaken).toBeGreaterThan(100_000);
  }, 600_000);

  it('give the io table of a full dissection on every corpus capture, alone and with conversations', async () => {
    const files = corpusFiles();
    let framesTaken = 0;
    for (const file of files) {
      for (const defs of [defsOf('io'), defsOf('conv', 'io')]) {
        const s = { ...settings(ALL_TYPES, false), intervalNs: 1e8 };
        const full = await run(file, s, false, defs);
        const fast = await run(file, s, true, defs);
        expect({ file, text: fast.text, exit: fast.exit }).toEqual({ file, text: full.text, exit: full.exit });
        framesTaken += fast.taken;
      }
    }
    expect(framesTaken).toBeGreaterThan(100_000);
  }, 600_000);

  describe('frames of one connection read both ways', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-taps-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /**
     * The capture with every third IPv4 frame given four bytes of IP options (NOP, NOP, NOP,
     * EOL): such frames are not plain and are dissected, the others are read from headers.
     */
    async function withOptions(name: string): Promise<{ path: string; changed: number }> {
      const reader = await openCapture(`${CAPTURES}${name}`);
      const chunks: Buffer[] = [];
      let linkType = -1;
      let ipv4 = 0;
      let changed = 0;
      for await (const f of reader) {
        if (linkType < 0) {
          linkType = f.linkType;
          chunks.push(encodePcapHeader({ linkType, nanosecond: true }));
        }
        let data = f.data;
        if (f.linkType === 1 && data.length >= 34 && data[12] === 0x08 && data[13] === 0x00 && data[14] === 0x45 && ipv4++ % 3 === 1) {
          const out = new Uint8Array(data.length + 4);
          out.set(data.subarray(0, 34), 0);
          out.set([1, 1, 1, 0], 34);
          out.set(data.subarray(34), 38);
          out[14] = 0x46;
          const total = ((out[16]! << 8) | out[17]!) + 4;
          out[16] = total >> 8;
          out[17] = total & 0xff;
          data = out;
          changed++;
        }
        chunks.push(encodePcapRecord({ tsSec: f.tsSec, tsNsec: f.tsNsec, data, origLen: f.origLen + (data === f.data ? 0 : 4) }, { linkType, nanosecond: true }));
      }
      await reader.close();
      const path = join(dir, name);
      writeFileSync(path, Buffer.concat(chunks));
      return { path, changed };
    }

    for (const name of ['pcapplusplus__tls2.pcap', 'zeek__wikipedia.pcap', 'arkime__wireshark-retrans.pcap']) {
      it(`${name}: same tables, streams and names either way`, async () => {
        const { path, changed } = await withOptions(name);
        expect(changed).toBeGreaterThan(10);
        for (const names of [true, false]) {
          const s = settings(TYPES, names);
          const full = await run(path, s, false);
          const fast = await run(path, s, true);
          expect(fast.taken).toBeGreaterThan(changed);
          expect(fast.text).toBe(full.text);
          expect(fast.names).toEqual(full.names);
        }
        // The connections are those of the capture before the change (options move no packet
        // to another connection); their byte counts, and so their order, differ.
        const rows = (text: string): string[] =>
          (JSON.parse(text) as { conv: { tcp: { a: string; portA: number; b: string; portB: number; packets: number }[] } }).conv.tcp.map((r) => `${r.a} ${r.portA} ${r.b} ${r.portB} ${r.packets}`).sort();
        const before = await run(`${CAPTURES}${name}`, settings(TYPES, false), true);
        expect(rows((await run(path, settings(TYPES, false), true)).text)).toEqual(rows(before.text));
      });
    }
  });
});

describe('TCP analysis of segments read from headers', () => {
  const u16 = (d: Uint8Array, p: number): number => (d[p]! << 8) | d[p + 1]!;
  const u32 = (d: Uint8Array, p: number): number => ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;

  /**
   * Every plain TCP segment of the capture analysed through `tcpSegment` by one dissector (the
   * other frames dissected) and dissected by another: the same stream, flags and relative numbers.
   */
  async function compare(name: string): Promise<number> {
    const headers = HeaderPackets.create(registry, [], [])!;
    const dissected = new Dissector(registry, { mode: 'summary' });
    const read = new Dissector(registry, { mode: 'summary', summaries: false });
    const reader = await openCapture(`${CAPTURES}${name}`);
    let segments = 0;
    for await (const f of reader) {
      const tcp = dissected.dissect(f).layers.find((l) => l.protocol === 'tcp' && !l.inError);
      const layers = headers.read(f)?.layers;
      const last = layers?.[layers.length - 1];
      if (last?.protocol !== 'tcp') {
        read.dissect(f);
        continue;
      }
      const d = f.data;
      const ip = headers.ipAt >> 3;
      const v4 = (headers.ipAt & 7) === 4;
      const [sa, da, n] = v4 ? [ip + 12, ip + 16, 4] : [ip + 8, ip + 24, 16];
      const text = v4 ? ipv4TextAt : ipv6TextAt;
      const at = last.offset;
      const h: SegmentHeader = {
        src: text(d, sa),
        srcHash: addressHash(d, sa, n),
        sport: u16(d, at),
        dst: text(d, da),
        dstHash: addressHash(d, da, n),
        dport: u16(d, at + 2),
        seq: u32(d, at + 4),
        ack: u32(d, at + 8),
        flags: u16(d, at + 12) & 0x0fff,
        seglen: last.length - last.headerLength,
        window: u16(d, at + 14),
        wsShift: -1,
        sack: undefined,
      };
      if (last.headerLength > 20 && !scanOptions(d, at + 20, at + last.headerLength, h)) {
        read.dissect(f);
        continue;
      }
      const a = read.tcpSegment(f, h, false);
      const info = tcp!.info;
      // The summary shows the relative acknowledgement and the scaled window.
      const shown = / Seq=\d+(?: Ack=(\d+))? Win=(\d+)/.exec(tcp!.summary ?? '')!;
      expect({ frame: f.index, stream: a.stream, flags: a.flags, seq: a.relSeq, ack: a.hasAck ? a.relAck : undefined, window: a.window }).toEqual({
        frame: f.index,
        stream: info['stream'],
        flags: info['analysis'],
        seq: info['relSeq'],
        ack: shown[1] === undefined ? undefined : Number(shown[1]),
        window: Number(shown[2]),
      });
      segments++;
    }
    await reader.close();
    return segments;
  }

  for (const name of ['arkime__wireshark-retrans.pcap', 'zeek__retransmit-fast009.pcap', 'pcapplusplus__tls2.pcap', 'zeek__wikipedia.pcap']) {
    it(`${name}: the same analysis as the TCP dissector's`, async () => {
      expect(await compare(name)).toBeGreaterThan(10);
    });
  }
});

/** An Ethernet/IPv4/TCP frame from 10.0.0.`from`:`sport` to 10.0.0.`to`:`dport`. */
function tcpFrame(from: number, sport: number, to: number, dport: number, seq: number, ack: number, flags: number, payload = ''): Uint8Array {
  const word = (v: number): number[] => [24, 16, 8, 0].map((s) => (v >>> s) & 0xff);
  const tcp = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ...word(seq), ...word(ack), 0x50, flags, 0xff, 0xff, 0, 0, 0, 0];
  return ethIpv4(6, [...tcp, ...Buffer.from(payload, 'latin1')], from, to);
}

/** An Ethernet/IPv4/TCP frame between 10.0.0.1:40000 (client) and 10.0.0.2:8080 (HTTP). */
const segment = (fromClient: boolean, seq: number, ack: number, flags: number, payload = ''): Uint8Array =>
  fromClient ? tcpFrame(1, 40000, 2, 8080, seq, ack, flags, payload) : tcpFrame(2, 8080, 1, 40000, seq, ack, flags, payload);

describe('streams numbered from headers alone', () => {

  it('a SYN with a new sequence number on the same ports opens a new stream, read either way', async () => {
    const SYN = 0x02;
    const ACK = 0x10;
    const frames = [
      segment(true, 1000, 0, SYN),
      segment(false, 5000, 1001, SYN | ACK),
      segment(true, 1001, 5001, ACK),
      segment(true, 1001, 5001, ACK | 0x08, 'GET / HTTP/1.1\r\nHost: a.example\r\n\r\n'),
      segment(true, 1036, 5001, ACK | 0x01),
      // The same ports again with a new ISN.
      segment(true, 9000, 0, SYN),
      segment(false, 7000, 9001, SYN | ACK),
      segment(true, 9001, 7001, ACK),
      segment(true, 9001, 7001, ACK | 0x08, 'GET / HTTP/1.1\r\nHost: b.example\r\n\r\n'),
    ];
    for (const names of [false, true]) {
      const fast = await bothWays(frames, settings(['tcp'], names));
      expect(fast.taken).toBeGreaterThan(names ? 4 : 8);
      const rows = (JSON.parse(fast.text) as { conv: { packetsAtoB: number; packetsBtoA: number }[] }).conv;
      expect(rows.map((r) => [r.packetsAtoB, r.packetsBtoA])).toEqual([[4, 1], [3, 1]]);
    }
  });
});

describe('the server side of a connection names nothing', () => {
  const SYN = 0x02;
  const ACK = 0x10;
  const PSH = 0x08;
  // The server side sends (oddly) a request naming the client, then the client one naming the server.
  const requests = [
    segment(false, 5001, 1001, ACK | PSH, 'GET / HTTP/1.1\r\nHost: client.example\r\n\r\n'),
    segment(true, 1001, 5041, ACK | PSH, 'GET / HTTP/1.1\r\nHost: server.example\r\n\r\n'),
  ];

  async function namesOf(frames: readonly Uint8Array[]): Promise<{ names: [string, { name: string }][]; taken: number }> {
    const fast = await bothWays(frames, settings(['tcp'], true));
    // The book's entries, without its count of names left out.
    return { names: (fast.names as [string, { name: string }][]).filter(([a]) => a !== 'left out'), taken: fast.taken };
  }

  it('after its SYN-ACK, read either way; without the handshake its request still names', async () => {
    const handshake = [segment(true, 1000, 0, SYN), segment(false, 5000, 1001, SYN | ACK), segment(true, 1001, 5001, ACK)];
    const withHandshake = await namesOf([...handshake, ...requests]);
    expect(withHandshake.names.map(([a, e]) => [a, e.name])).toEqual([['10.0.0.2', 'server.example']]);
    // The handshake and the server's request are read from headers; the client's request is dissected.
    expect(withHandshake.taken).toBe(4);
    const without = await namesOf(requests);
    expect(without.names.map(([a, e]) => [a, e.name])).toEqual([
      ['10.0.0.1', 'client.example'],
      ['10.0.0.2', 'server.example'],
    ]);
  });
});

describe('DNS responses read from headers', () => {
  const labels = (name: string): number[] => [...name.split('.').flatMap((l) => [l.length, ...Buffer.from(l, 'latin1')]), 0];
  /** A DNS message naming 192.0.2.`last` `name` (one question, one A answer); `klass` is the answer's class field. */
  const message = (id: number, name: string, last: number, klass = 1): number[] => [
    ...[id >> 8, id & 0xff, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...labels(name), 0, 1, 0, 1],
    ...[0xc0, 0x0c, 0, 1, klass >> 8, klass & 0xff, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, last],
  ];
  /** A DNS response from 10.0.0.1:`sport` to 10.0.0.2:`port` naming 192.0.2.`last` `name`. */
  const response = (id: number, port: number, name: string, last: number, sport = 53): Uint8Array => udpPacket(sport, port, Uint8Array.from(message(id, name, last)));
  const learned = (names: unknown[]) => (names as [string, { name: string; frame: number }][]).filter(([a]) => a !== 'left out').map(([a, e]) => [a, e.name, e.frame]);

  it('responses are read there by the DNS dissector, and the book ends the same', async () => {
    const frames = [response(1, 40001, 'a.example', 1), response(2, 40002, 'a.example', 1), response(3, 40003, 'b.example', 2), response(4, 40004, 'a.example', 1), response(5, 40005, 'b.example', 2)];
    const fast = await bothWays(frames, settings(['ip'], true));
    // None is dissected: the first of each name is read there, the repeats are known by their bytes.
    expect(fast.taken).toBe(5);
    expect(learned(fast.names)).toEqual([
      ['192.0.2.1', 'a.example', 1],
      ['192.0.2.2', 'b.example', 3],
    ]);
  });

  it('mDNS and LLMNR responses name hosts read there as well; a cache-flush class is still IN', async () => {
    const mdns = udpPacket(5353, 5353, Uint8Array.from(message(0, 'printer.local', 7, 0x8001)));
    const llmnr = udpPacket(5355, 40000, Uint8Array.from(message(9, 'desk', 8)));
    const fast = await bothWays([mdns, llmnr], settings(['ip'], true));
    expect(fast.taken).toBe(2);
    expect(learned(fast.names)).toEqual([
      ['192.0.2.7', 'printer.local', 1],
      ['192.0.2.8', 'desk', 2],
    ]);
  });

  it('a response the DNS dissector finds malformed or cut is dissected, and names what a dissected one names', async () => {
    const bytes = message(1, 'c.example', 3);
    // The answer's data length says 8 bytes: it runs past the message.
    const longAnswer = [...bytes.slice(0, -6), 0, 8, ...bytes.slice(-4)];
    // A second answer whose name is a pointer past the message.
    const badPointer = [...bytes.slice(0, 6), 0, 2, ...bytes.slice(8), 0xc0, 0xff, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 192, 0, 2, 4];
    const frames = [udpPacket(53, 40001, Uint8Array.from(longAnswer)), udpPacket(53, 40002, Uint8Array.from(badPointer)), response(2, 40003, 'd.example', 5)];
    const fast = await bothWays(frames, settings(['ip'], true));
    expect(fast.taken).toBe(1);
    expect(learned(fast.names).map(([a]) => a)).toContain('192.0.2.5');
  });

  it('a datagram whose lower port leads to another protocol is dissected as that protocol', async () => {
    // From mDNS's port 5353 to NTP's 123: the lower port's entry, NTP, comes first.
    const fast = await bothWays([response(1, 123, 'e.example', 6, 5353), response(2, 40000, 'f.example', 7)], settings(['ip'], true));
    expect(fast.taken).toBe(1);
    expect(learned(fast.names)).toEqual([['192.0.2.7', 'f.example', 2]]);
  });

  it('mutated responses: the same tables and book either way', async () => {
    const base = message(0x1234, 'www.example.org', 9);
    const frames = fc.sample(
      // One byte changed anywhere, and one message in four cut short.
      fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.oneof({ arbitrary: fc.constant(base.length), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: base.length }), weight: 1 })).map(([at, value, cut]) => {
        const m = base.slice(0, Math.max(12, cut));
        if (at < m.length) m[at] = value;
        m[2] = m[2]! | 0x80; // still a response
        return udpPacket(53, 40000 + (at % 1000), Uint8Array.from(m));
      }),
      { numRuns: 400, seed: 7 },
    );
    const fast = await bothWays(frames, settings(ALL_TYPES, true));
    expect(fast.taken).toBeGreaterThan(100);
  });
});

describe('UDP streams where a datagram opens a conversation or SDP announces media', () => {
  const datagram = (from: number, sport: number, to: number, dport: number, payload: string | readonly number[]): Uint8Array => {
    const p = typeof payload === 'string' ? [...Buffer.from(payload, 'latin1')] : payload;
    const len = 8 + p.length;
    return ethIpv4(17, [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...p], from, to);
  };
  const pushed = (from: number, sport: number, to: number, dport: number, seq: number, payload: string): Uint8Array => tcpFrame(from, sport, to, dport, seq, 1, 0x18, payload);
  interface Row {
    a: string;
    portA: number;
    b: string;
    portB: number;
    packetsAtoB: number;
    packetsBtoA: number;
  }
  /** The UDP rows (the table itself when it is the only type) in first-seen order: addresses, ports and packets each way. */
  const udpRows = (text: string): unknown[] => {
    const conv = (JSON.parse(text) as { conv: (Row & { start: number })[] | { udp: (Row & { start: number })[] } }).conv;
    return (Array.isArray(conv) ? conv : conv.udp).sort((x, y) => x.start - y.start).map((r) => [r.a, r.portA, r.b, r.portB, r.packetsAtoB, r.packetsBtoA]);
  };
  /** Both ways with and without names; the run with taps on and names off. */
  const check = async (frames: readonly Uint8Array[], types = ['udp']): Promise<Awaited<ReturnType<typeof run>>> => {
    await bothWays(frames, settings(types, true));
    return bothWays(frames, settings(types, false));
  };
  // SNMPv2c get-request and response (request id 1, no variables).
  const snmp = (pdu: number): number[] => [0x30, 0x18, 2, 1, 1, 4, 6, ...Buffer.from('public'), pdu, 0x0b, 2, 1, 1, 2, 1, 0, 2, 1, 0, 0x30, 0];
  const dns = datagram(1, 40000, 9, 53, [0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1]);

  it('SNMP: the first datagram is a stream of its own, the rest another; other datagrams are read from headers', async () => {
    const fast = await check([dns, datagram(1, 6000, 3, 161, snmp(0xa0)), datagram(3, 161, 1, 6000, snmp(0xa2)), datagram(1, 6000, 3, 161, snmp(0xa0)), dns]);
    expect(udpRows(fast.text)).toEqual([
      ['10.0.0.1', 40000, '10.0.0.9', 53, 2, 0],
      ['10.0.0.1', 6000, '10.0.0.3', 161, 1, 0],
      ['10.0.0.3', 161, '10.0.0.1', 6000, 1, 1],
    ]);
    expect(fast.taken).toBe(2);
  });

  it('TFTP: a second request from the same port lands in the conversation the first opened', async () => {
    const rrq = datagram(1, 40000, 3, 69, [0, 1, ...Buffer.from('a.txt\0octet\0')]);
    const data = datagram(3, 50000, 1, 40000, [0, 3, 0, 1, ...Buffer.from('hello')]);
    const ack = datagram(1, 40000, 3, 50000, [0, 4, 0, 1]);
    const fast = await check([rrq, data, ack, rrq]);
    expect(udpRows(fast.text)).toEqual([
      ['10.0.0.1', 40000, '10.0.0.3', 69, 1, 0],
      ['10.0.0.3', 50000, '10.0.0.1', 40000, 1, 1],
      ['10.0.0.1', 40000, '10.0.0.3', 69, 1, 0],
    ]);
    // The data and its acknowledgement are read from headers.
    expect(fast.taken).toBe(2);
  });

  /** A SIP message whose SDP offers audio at 10.0.0.`host`:`port`. */
  const sip = (startLine: string, cseq: number, host: number, port: number): string => {
    const sdp = `v=0\r\no=x ${cseq} ${cseq} IN IP4 10.0.0.${host}\r\ns=-\r\nc=IN IP4 10.0.0.${host}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\n`;
    return `${startLine}\r\nVia: SIP/2.0/UDP 10.0.0.1:5060\r\nFrom: <sip:a@10.0.0.1>;tag=1\r\nTo: <sip:b@10.0.0.2>\r\nCall-ID: c1@10.0.0.1\r\nCSeq: ${cseq} INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
  };
  // RTP version 2, PCMU, sequence 1.
  const rtp = (from: number, sport: number, to: number, dport: number): Uint8Array => datagram(from, sport, to, dport, [0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xff]);

  it('a DNS response to an endpoint SDP offered for media is RTP, and names nothing', async () => {
    // Its id's first byte, 0x80, makes it a well-formed RTP version 2 header too.
    const answer = [0x80, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
    const frames = [datagram(1, 5060, 2, 5060, sip('INVITE sip:b@10.0.0.2 SIP/2.0', 1, 1, 4000)), datagram(9, 53, 1, 4000, answer), datagram(9, 53, 1, 4002, answer)];
    // With UDP rows the INVITE is dissected (it announces media), so the media conversation is known.
    const fast = await bothWays(frames, settings(['ip', 'udp'], true));
    // Only the response to a port no media was offered on names 192.0.2.1. Once media is
    // announced, DNS responses are dissected: none is read from headers.
    expect((fast.names as [string, { frame: number }][]).filter(([a]) => a === '192.0.2.1').map(([, e]) => e.frame)).toEqual([3]);
    expect(fast.taken).toBe(0);
  });

  it('SIP over UDP: RTP to an endpoint offered again by a later INVITE is a new stream', async () => {
    const fast = await check([
      datagram(1, 5060, 2, 5060, sip('INVITE sip:b@10.0.0.2 SIP/2.0', 1, 1, 4000)),
      rtp(2, 5000, 1, 4000),
      rtp(2, 5000, 1, 4000),
      datagram(1, 5060, 2, 5060, sip('INVITE sip:b@10.0.0.2 SIP/2.0', 2, 1, 4000)),
      rtp(2, 5000, 1, 4000),
    ]);
    expect(udpRows(fast.text)).toEqual([
      ['10.0.0.1', 5060, '10.0.0.2', 5060, 2, 0],
      ['10.0.0.2', 5000, '10.0.0.1', 4000, 2, 0],
      ['10.0.0.2', 5000, '10.0.0.1', 4000, 1, 0],
    ]);
    expect(fast.taken).toBe(3);
  });

  it('SIP over TCP: each side offering its endpoint makes the two directions of RTP two rows', async () => {
    const fast = await check(
      [
        pushed(1, 40000, 2, 5060, 1, sip('INVITE sip:b@10.0.0.2 SIP/2.0', 1, 1, 4000)),
        pushed(2, 5060, 1, 40000, 1, sip('SIP/2.0 200 OK', 1, 2, 5000)),
        rtp(2, 5000, 1, 4000),
        rtp(1, 4000, 2, 5000),
        rtp(2, 5000, 1, 4000),
      ],
      ['tcp', 'udp'],
    );
    expect(udpRows(fast.text)).toEqual([
      ['10.0.0.2', 5000, '10.0.0.1', 4000, 2, 0],
      ['10.0.0.1', 4000, '10.0.0.2', 5000, 1, 0],
    ]);
    expect(fast.taken).toBe(3);
  });
});

describe('graph taps of TCP segments without payload', () => {
  /** What the graph is built from, as plain data, with header packets on or off. */
  async function traffic(file: string, layer: GraphLayer, headers: boolean): Promise<unknown> {
    taken = 0;
    if (!headers) process.env['PCAPVIZ_HEADER_PACKETS'] = '0';
    try {
      const book = new NameBook();
      const { exit, captures } = await collectTraffic([file], layer, DEFAULT_MAX_FLOWS, [], book);
      const plain = captures.map((c) => ({
        rows: c.rows,
        retired: c.retired,
        protocols: [...c.protocols].map(([k, t]) => [k, [...t]]),
        macs: [...c.macAddresses],
      }));
      return { exit, plain, names: [...book.entries()] };
    } finally {
      delete process.env['PCAPVIZ_HEADER_PACKETS'];
    }
  }

  it('give what a full dissection gives on every corpus capture, at every level', async () => {
    let framesTaken = 0;
    for (const file of corpusFiles()) {
      for (const layer of ['ip', 'eth', 'transport'] as const) {
        const full = await traffic(file, layer, false);
        expect(taken).toBe(0);
        const fast = await traffic(file, layer, true);
        framesTaken += taken;
        expect({ file, layer, fast }).toEqual({ file, layer, fast: full });
      }
    }
    expect(framesTaken).toBeGreaterThan(30_000);
  }, 600_000);
});
