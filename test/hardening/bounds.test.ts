/**
 * Resource bounds: hostile or huge input ends in a bounded result, in bounded time and memory.
 * Whole captures go through the real CLI (build first); single packets through the dissector.
 * `PCAPVIZ_HEAVY=1` runs the full sizes (10 million flows, 20 GB); CI runs scaled ones.
 * docs/limits.md lists every limit and the figures measured here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  encodeEnhancedPacket,
  encodeInterfaceDescription,
  encodeSectionHeader,
} from '../../src/capture/write-capture.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { checkInvariants, dissect, values } from '../helpers/dissect.js';
import { runCli } from '../helpers/run-cli.js';
import { bigPcap, mib, pcapHeader, pcapRecordHeader, runMeasured, tinyFlowsPcap, udpFrame } from './generate.js';

const HEAVY = process.env['PCAPVIZ_HEAVY'] === '1';
const MiB = 1 << 20;

/** Prints a run's peak RSS and time (docs/limits.md records them). */
const figure = (label: string, r: { maxRss: number; ms: number }): void => {
  console.log(`${label}: peak RSS ${mib(r.maxRss)}, ${(r.ms / 1000).toFixed(1)} s`);
};

/** Dissects and times one packet; the invariants every packet satisfies are checked too. */
/**
 * A guard against hangs and runaway loops, not a speed target (speed is measured by
 * `npm run bench`): these packets dissect in a few milliseconds, and a loop the bounds failed to
 * stop takes seconds to minutes, while a loaded CI machine can stretch a run several times.
 */
const HANG_MS = 2000;

function timed(data: Uint8Array): { p: DissectedPacket; ms: number } {
  const t0 = performance.now();
  const p = dissect(data);
  const ms = performance.now() - t0;
  checkInvariants(p);
  return { p, ms };
}

const counts = (p: DissectedPacket): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const l of p.layers) out[l.protocol] = (out[l.protocol] ?? 0) + 1;
  return out;
};
const messages = (p: DissectedPacket): string[] => p.layers.flatMap((l) => l.issues.map((i) => `${l.protocol}: ${i.message}`));
const ETH = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6];

describe('nesting depth', () => {
  it('IPv6 in IPv6, 40 deep: 16 layers of encapsulation, then a note and the rest as data', () => {
    const inner = 40;
    const bytes: number[] = [...ETH, 0x86, 0xdd];
    for (let i = 0; i < inner; i++) {
      const plen = 40 * (inner - 1 - i) + 8;
      bytes.push(0x60, 0, 0, 0, plen >> 8, plen & 0xff, i === inner - 1 ? 59 : 41, 64, ...new Array(32).fill(i + 1));
    }
    bytes.push(...new Array(8).fill(0xab));
    const { p, ms } = timed(Uint8Array.from(bytes));
    expect(counts(p)).toEqual({ eth: 1, ipv6: 15, data: 1 });
    // eth counts as the first of the 16 layers; the 15th IPv6 header says why it stopped.
    expect(messages(p)).toEqual(['ipv6: more than 16 layers of encapsulation; the rest is not dissected']);
    expect(p.layers[p.layers.length - 1]!.length).toBe(25 * 40 + 8);
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('200 stacked VLAN tags (not encapsulations): 128 headers, then a note', () => {
    const bytes: number[] = [...ETH];
    for (let i = 0; i < 200; i++) bytes.push(0x81, 0x00, 0, 1);
    bytes.push(0x08, 0x00, ...new Array(40).fill(0));
    const { p, ms } = timed(Uint8Array.from(bytes));
    expect(counts(p)).toEqual({ eth: 1, vlan: 127, data: 1 });
    expect(messages(p)).toEqual(['vlan: more than 128 headers; the rest is not dissected']);
    expect(ms).toBeLessThan(HANG_MS);
  });
});

describe('option and record counts', () => {
  it('IPv4 header of 40 one-byte NOP options: 40 options kept, the payload dispatched', () => {
    // IHL 15: a 60-byte header, 40 bytes of NOP options, carrying an empty UDP datagram.
    const ip = Buffer.alloc(60 + 8);
    ip.set([0x4f, 0, 0, 68, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1]);
    ip.fill(1, 20, 60);
    ip.set([0x03, 0xe8, 0x07, 0xd0, 0, 8, 0, 0], 60);
    const { p, ms } = timed(Uint8Array.from([...ETH, 0x08, 0x00, ...ip]));
    expect(values(p, 'ip.opt.type')).toHaveLength(40);
    expect(counts(p)).toEqual({ eth: 1, ip: 1, udp: 1 });
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('TCP header of 40 bytes of NOPs: 40 options kept', () => {
    const ip = Buffer.alloc(20 + 60);
    ip.set([0x45, 0, 0, 80, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1]);
    ip.set([0x03, 0xe8, 0x07, 0xd0, 0, 0, 0, 1, 0, 0, 0, 0, 0xf0, 0x02, 0xff, 0xff, 0, 0, 0, 0], 20);
    ip.fill(1, 40, 80);
    const { p, ms } = timed(Uint8Array.from([...ETH, 0x08, 0x00, ...ip]));
    expect(values(p, 'tcp.option_kind')).toHaveLength(40);
    expect(counts(p)).toEqual({ eth: 1, ip: 1, tcp: 1 });
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('IPv6 with 300 destination-options headers: 128 headers, then a note and the rest as data', () => {
    const ext: number[] = [];
    for (let i = 0; i < 300; i++) ext.push(i === 299 ? 59 : 60, 0, 1, 4, 0, 0, 0, 0);
    const bytes = [...ETH, 0x86, 0xdd, 0x60, 0, 0, 0, ext.length >> 8, ext.length & 0xff, 60, 64, ...new Array(32).fill(1), ...ext];
    const { p, ms } = timed(Uint8Array.from(bytes));
    expect(counts(p)).toEqual({ eth: 1, ipv6: 1, 'ipv6.dstopts': 126, data: 1 });
    expect(messages(p)).toEqual(['ipv6.dstopts: more than 128 headers; the rest is not dissected']);
    expect(p.layers[p.layers.length - 1]!.length).toBe((300 - 126) * 8);
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('IPv6 destination options header of 2,048 bytes of Pad1: 256 options kept, then a note', () => {
    const ext = [59, 255, ...new Array(2046).fill(0)];
    const bytes = [...ETH, 0x86, 0xdd, 0x60, 0, 0, 0, ext.length >> 8, ext.length & 0xff, 60, 64, ...new Array(32).fill(1), ...ext];
    const { p, ms } = timed(Uint8Array.from(bytes));
    expect(values(p, 'ipv6.dstopts.opt.type')).toHaveLength(256);
    expect(messages(p)).toEqual(['ipv6.dstopts: more than 256 options; the rest is not dissected']);
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('DHCP with 3,000 options: 512 kept, then a note; the rest is not dissected', () => {
    const dh = Buffer.alloc(240 + 3000 * 2 + 1);
    dh.set([1, 1, 6]);
    dh.writeUInt32BE(0x63825363, 236);
    for (let i = 0; i < 3000; i++) dh[240 + 2 * i] = 12; // host name, length 0
    dh[240 + 6000] = 255;
    const { p, ms } = timed(udpFrame(0x0a000002, 68, 67, dh));
    expect(values(p, 'dhcp.option.type')).toHaveLength(512);
    expect(messages(p)).toContain('dhcp: more than 512 options; the rest is not dissected');
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('DNS claiming 65,535 questions with 3 present: 3 kept, the layer malformed', () => {
    const dq = Buffer.alloc(12 + 3 * 5);
    dq.writeUInt16BE(0x1234, 0);
    dq.writeUInt16BE(0x0100, 2);
    dq.writeUInt16BE(65535, 4);
    for (let i = 0; i < 3; i++) dq.set([0, 0, 1, 0, 1], 12 + 5 * i);
    const { p, ms } = timed(udpFrame(0x0a000002, 5353, 53, dq));
    expect(values(p, 'dns.qry.name')).toEqual(['<Root>', '<Root>', '<Root>']);
    const dns = p.layers.find((l) => l.protocol === 'dns')!;
    expect(dns.issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(ms).toBeLessThan(HANG_MS);
  });

  it('DNS answer section of 65,535 records, 5,000 present: 5,000 kept in bounded time', () => {
    const n = 5000;
    const d = Buffer.alloc(12 + 11 * n);
    d.writeUInt16BE(0x8180, 2);
    d.writeUInt16BE(65535, 6);
    for (let i = 0; i < n; i++) d.set([0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 0], 12 + 11 * i);
    const { p, ms } = timed(udpFrame(0x0a000002, 53, 5353, d));
    expect(values(p, 'dns.resp.name')).toHaveLength(n);
    expect(p.layers.find((l) => l.protocol === 'dns')!.issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(ms).toBeLessThan(4 * HANG_MS);
  });
});

describe('DNS compression loops', () => {
  const query = (names: Buffer, qd: number): Buffer => {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(0x0100, 2);
    h.writeUInt16BE(qd, 4);
    return Buffer.concat([h, names]);
  };
  const LOOP = '<Name contains a pointer that loops>';

  it('a pointer to itself: the loop marker and a note', () => {
    const { p } = timed(udpFrame(0x0a000002, 5353, 53, query(Buffer.from([0xc0, 12, 0, 1, 0, 1]), 1)));
    expect(values(p, 'dns.qry.name')).toEqual([LOOP]);
    expect(messages(p)).toContain('dns: DNS name compression pointers loop or chain too long; the name is cut');
  });

  it('two pointers pointing at each other', () => {
    // Question 1 at 12 points to 18 (question 2's name), which points back to 12.
    const { p } = timed(udpFrame(0x0a000002, 5353, 53, query(Buffer.from([0xc0, 18, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1]), 2)));
    expect(values(p, 'dns.qry.name')).toEqual([LOOP, LOOP]);
  });

  it('a label then a pointer back to it (a.a.a... until the loop is seen)', () => {
    const { p } = timed(udpFrame(0x0a000002, 5353, 53, query(Buffer.from([1, 0x61, 0xc0, 12, 0, 1, 0, 1]), 1)));
    expect(values(p, 'dns.qry.name')).toEqual([LOOP]);
  });

  it('a label then a pointer back to it in a 2,000-byte message: a loop, not a long name', () => {
    const names = Buffer.alloc(8 + 1992);
    names.set([1, 0x61, 0xc0, 12, 0, 1, 0, 1]);
    const { p } = timed(udpFrame(0x0a000002, 5353, 53, query(names, 1)));
    expect(values(p, 'dns.qry.name')).toEqual([LOOP]);
  });

  it('2,700 questions chained through each other and 7,000 pointing at the chain: names cut after 128 pointers, in linear time', () => {
    // Pointers reach only the first 16 KiB: questions 0..2699 there each point at the next one's
    // name (the last at a root label), and 7,000 more all point at question 0, the longest walk.
    const chained = 2700;
    const more = 7000;
    const names = Buffer.alloc(6 * chained + 5 + 6 * more);
    for (let i = 0; i < chained; i++) {
      const o = 6 * i;
      names.writeUInt16BE(0xc000 | (12 + o + 6), o);
      names.writeUInt16BE(1, o + 2);
      names.writeUInt16BE(1, o + 4);
    }
    names.set([0, 0, 1, 0, 1], 6 * chained); // question 2700: the root, where the chain ends
    for (let i = 0; i < more; i++) names.set([0xc0, 12, 0, 1, 0, 1], 6 * chained + 5 + 6 * i);
    const { p, ms } = timed(udpFrame(0x0a000002, 5353, 53, query(names, chained + 1 + more)));
    const got = values(p, 'dns.qry.name');
    expect(got).toHaveLength(chained + 1 + more);
    // Question i needs 2700 - i pointers: the last 128 chained ones and the root itself are kept.
    expect(got.filter((x) => x === '<Root>')).toHaveLength(128 + 1);
    expect(got.filter((x) => x === LOOP)).toHaveLength(chained - 128 + more);
    // One note for the whole message, not one per name.
    expect(messages(p).filter((m) => m.startsWith('dns: DNS name'))).toHaveLength(1);
    expect(ms).toBeLessThan(4 * HANG_MS);
  });

  it('a 253-character name read through 127 pointers is kept whole', () => {
    // 127 one-letter labels, each followed by a pointer to the next label.
    const parts: number[] = [];
    for (let i = 0; i < 127; i++) {
      const next = 12 + 4 * (i + 1);
      parts.push(1, 0x61 + (i % 26), 0xc0 | (next >> 8), next & 0xff);
    }
    parts.push(0, 0, 1, 0, 1);
    const { p } = timed(udpFrame(0x0a000002, 5353, 53, query(Buffer.from(parts), 1)));
    const name = values(p, 'dns.qry.name')[0] as string;
    expect(name).toHaveLength(253);
    expect(messages(p).filter((m) => m.startsWith('dns: DNS name'))).toEqual([]);
  });
});

/** A pcap of `n` copies of `frame`. */
const smallPcap = (n: number, frame = udpFrame(0x0a000002, 1000, 2000, new Uint8Array(18))): Buffer =>
  Buffer.concat([pcapHeader(1, 65_535), ...Array.from({ length: n }, () => Buffer.concat([pcapRecordHeader(frame.length), frame]))]);

describe('records claiming 4 GB', () => {
  const frame = udpFrame(0x0a000002, 1000, 2000, new Uint8Array(18));

  it('pcap caplen 0xFFFFFFF0 after 2 packets: damage at its byte offset, exit 2, 2 packets counted', async () => {
    const bytes = Buffer.concat([smallPcap(2, frame), pcapRecordHeader(0xfffffff0), frame]);
    const r = await runMeasured(['info', '--format', 'json', '-'], bytes);
    expect(r.status).toBe(2);
    const info = JSON.parse(r.stdout) as { packets: number; damaged: { message: string; offset: number; frame: number } };
    expect(info.packets).toBe(2);
    expect(info.damaged).toEqual({
      message: 'record claims 4294967280 captured bytes, more than the snaplen (65535) and the 262144-byte limit',
      offset: 24 + 2 * (16 + frame.length),
      frame: 3,
    });
    expect(r.stderr).toContain(`<stdin> is damaged: record claims 4294967280 captured bytes`);
    figure('pcap record claiming 4 GB', r);
    expect(r.maxRss).toBeLessThan(200 * MiB);
  });

  it('pcap file on disk: the message names the file and the offset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-bounds-'));
    try {
      const file = join(dir, 'claims-4gb.pcap');
      writeFileSync(file, Buffer.concat([smallPcap(2, frame), pcapRecordHeader(0xffffffff, 60)]));
      const r = runCli(['stats', 'conv', '--type', 'udp', '--format', 'csv', file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `pcapviz: warning: ${file} is damaged: record claims 4294967295 captured bytes, more than the snaplen (65535) and the 262144-byte limit at byte ${24 + 2 * (16 + frame.length)}; 2 packets read before it\n`,
      );
      expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^type,/), expect.stringMatching(/^udp,.*,2,/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const ngHead = (): Buffer => Buffer.concat([encodeSectionHeader(), encodeInterfaceDescription({ linkType: 1, snaplen: 65_535 })]);
  const epb = (): Buffer => encodeEnhancedPacket({ tsSec: 1, tsNsec: 0, data: frame }, { linkType: 1 });

  it('pcapng EPB claiming 0xFFFFFFF0 captured bytes after 30,000 packets (2 MB, many chunks)', async () => {
    const good = epb();
    const bad = Buffer.from(epb());
    bad.writeUInt32LE(0xfffffff0, 20);
    const n = 30_000;
    const bytes = Buffer.concat([ngHead(), ...new Array<Buffer>(n).fill(good), bad]);
    const r = await runMeasured(['info', '--format', 'json', '-'], bytes);
    expect(r.status).toBe(2);
    const info = JSON.parse(r.stdout) as { packets: number; damaged: unknown };
    expect(info.packets).toBe(n);
    expect(info.damaged).toEqual({
      message: `packet claims 4294967280 captured bytes but its block holds ${good.length - 32}`,
      offset: ngHead().length + n * good.length,
      frame: n + 1,
    });
    figure('pcapng EPB claiming 4 GB after 30,000 packets', r);
    expect(r.maxRss).toBeLessThan(200 * MiB);
  });

  it('pcapng block length 0xFFFFFFF0: refused before any allocation', async () => {
    const bad = Buffer.from(epb());
    bad.writeUInt32LE(0xfffffff0, 4);
    const head = ngHead();
    const bytes = Buffer.concat([head, epb(), bad]);
    const r = await runMeasured(['info', '--format', 'json', '-'], bytes);
    expect(r.status).toBe(2);
    const info = JSON.parse(r.stdout) as { packets: number; damaged: unknown };
    expect(info.packets).toBe(1);
    expect(info.damaged).toEqual({
      message: 'block length 4294967280 exceeds the 16842752-byte limit',
      offset: head.length + epb().length,
      frame: 2,
    });
    figure('pcapng block length 4 GB', r);
    expect(r.maxRss).toBeLessThan(200 * MiB);
  });

  it('pcapng block length 16 MB (under the limit) at the end of the stream: cut short, no more', async () => {
    const bad = Buffer.from(epb());
    bad.writeUInt32LE(16 * MiB, 4);
    const head = ngHead();
    const r = await runMeasured(['info', '--format', 'json', '-'], Buffer.concat([head, epb(), bad]));
    expect(r.status).toBe(2);
    const info = JSON.parse(r.stdout) as { packets: number; damaged: { offset: number; frame: number } };
    expect(info.packets).toBe(1);
    expect(info.damaged.offset).toBe(head.length + epb().length);
    figure('pcapng block length 16 MB, cut short', r);
    expect(r.maxRss).toBeLessThan(200 * MiB);
  });
});

describe('a gzip stream that expands more than 1,000 times', () => {
  it('1 GiB of pcap from about 1 MB of gzip: streamed, packet count and bytes exact', async () => {
    const cap = 262_144;
    const per = 64;
    const members = 64;
    const block = Buffer.alloc(per * (16 + cap));
    for (let k = 0; k < per; k++) pcapRecordHeader(cap).copy(block, k * (16 + cap));
    const member = gzipSync(block, { level: 9 });
    // Concatenated gzip members are one gzip stream (RFC 1952 §2.2): one member, many times.
    const gz = Buffer.concat([gzipSync(pcapHeader(1, cap)), ...new Array<Buffer>(members).fill(member)]);
    const expanded = 24 + members * block.length;
    expect(expanded / gz.length).toBeGreaterThan(1000);
    const r = await runMeasured(['info', '--format', 'json', '-'], gz);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { packets: number; dataBytes: number; compression: string };
    expect(info).toMatchObject({ packets: per * members, dataBytes: per * members * cap, compression: 'gzip' });
    figure(`gzip ${mib(gz.length)} → ${mib(expanded)}`, r);
    expect(r.maxRss).toBeLessThan(200 * MiB);
  });
});

describe('pcapng with 100,000 interfaces', () => {
  const frame = udpFrame(0x0a000002, 1000, 2000, new Uint8Array(18));
  const ngWith = (interfaces: number, on: readonly number[]): Buffer => {
    const idb = encodeInterfaceDescription({ linkType: 1, snaplen: 65_535 });
    return Buffer.concat([
      encodeSectionHeader(),
      ...new Array<Buffer>(interfaces).fill(idb),
      ...on.map((iface) => encodeEnhancedPacket({ tsSec: 1, tsNsec: 0, data: frame, iface }, { linkType: 1 })),
    ]);
  };

  it('100,000 interface descriptions, then packets on four of them: every packet read', async () => {
    const on = [0, 1, 50_000, 99_999];
    const r = await runMeasured(['info', '--format', 'json', '-'], ngWith(100_000, on));
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { packets: number; interfaces: { id: number; packets: number }[] };
    expect(info.packets).toBe(4);
    expect(info.interfaces).toHaveLength(100_000);
    expect(info.interfaces.filter((i) => i.packets > 0).map((i) => i.id)).toEqual(on);
    figure('100,000 interfaces', r);
    expect(r.maxRss).toBeLessThan(400 * MiB);
    expect(r.ms).toBeLessThan(30 * HANG_MS);
  });

  it('more than 1,000,000 interfaces: a damage report at the one past the limit, packets before it kept', async () => {
    const bytes = Buffer.concat([
      encodeSectionHeader(),
      encodeInterfaceDescription({ linkType: 1, snaplen: 65_535 }),
      encodeEnhancedPacket({ tsSec: 1, tsNsec: 0, data: frame }, { linkType: 1 }),
      encodeEnhancedPacket({ tsSec: 2, tsNsec: 0, data: frame }, { linkType: 1 }),
      ngWith(1_000_000, []).subarray(encodeSectionHeader().length),
    ]);
    const r = await runMeasured(['stats', 'protocols', '--format', 'json', '-'], bytes);
    expect(r.status).toBe(2);
    const idb = encodeInterfaceDescription({ linkType: 1, snaplen: 65_535 }).length;
    const at = bytes.length - idb;
    expect(r.stderr).toBe(
      `pcapviz: warning: <stdin> is damaged: more than 1000000 interface descriptions (the limit) at byte ${at}; 2 packets read before it\n`,
    );
    figure('1,000,001 interfaces', r);
    expect(r.maxRss).toBeLessThan(800 * MiB);
  });
});

/** Retired rows of a table that retires the eighth idle the longest whenever `cap` are live. */
function expectedRetired(flows: number, cap: number): number {
  const step = Math.max(1, Math.floor(cap / 8));
  let live = 0;
  let retired = 0;
  for (let i = 0; i < flows; i++) {
    if (live >= cap) {
      live -= step;
      retired += step;
    }
    live++;
  }
  return retired;
}

describe('pcapng with more than 1,000,000 sections', () => {
  it('1,000,001 section headers after 2 packets: a damage report at the one past the limit', async () => {
    const frame = udpFrame(0x0a000002, 1000, 2000, new Uint8Array(18));
    const shb = encodeSectionHeader();
    const head = Buffer.concat([
      shb,
      encodeInterfaceDescription({ linkType: 1, snaplen: 65_535 }),
      encodeEnhancedPacket({ tsSec: 1, tsNsec: 0, data: frame }, { linkType: 1 }),
      encodeEnhancedPacket({ tsSec: 2, tsNsec: 0, data: frame }, { linkType: 1 }),
    ]);
    const bytes = Buffer.concat([head, ...new Array<Buffer>(1_000_000).fill(shb)]);
    const r = await runMeasured(['stats', 'protocols', '--format', 'json', '-'], bytes);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `pcapviz: warning: <stdin> is damaged: more than 1000000 sections (the limit) at byte ${bytes.length - shb.length}; 2 packets read before it\n`,
    );
    figure('1,000,001 sections', r);
    expect(r.maxRss).toBeLessThan(800 * MiB);
  });
});

describe('many tiny flows against --max-flows', () => {
  const flows = HEAVY ? 10_000_000 : 300_000;
  const cap = HEAVY ? 100_000 : 3_000;
  const rssBound = (HEAVY ? 800 : 250) * MiB;

  it(`${flows.toLocaleString('en')} one-packet UDP flows, --max-flows ${cap}: retired counts exact, memory bounded`, async () => {
    const r = await runMeasured(
      ['stats', 'conv', '--type', 'ip,udp', '--max-flows', String(cap), '--top', '5', '-n', '--format', 'json', '-'],
      tinyFlowsPcap(flows),
    );
    expect(r.status).toBe(0);
    const retired = expectedRetired(flows, cap);
    expect(r.stderr).toContain(`more than ${cap} ip conversations at once (--max-flows): ${retired} idle ones were retired into final rows`);
    expect(r.stderr).toContain(`more than ${cap} udp conversations at once (--max-flows): ${retired} idle ones were retired into final rows`);
    const out = JSON.parse(r.stdout) as Record<'ip' | 'udp', { packets: number }[]>;
    expect(out.ip).toHaveLength(5);
    expect(out.udp.map((c) => c.packets)).toEqual([1, 1, 1, 1, 1]);
    figure(`${flows} flows, --max-flows ${cap}`, r);
    expect(r.maxRss).toBeLessThan(rssBound);
  }, HEAVY ? 3_600_000 : 60_000);

  const tcpFlows = HEAVY ? 10_000_000 : 100_000;
  const tcpCap = HEAVY ? 100_000 : 2_000;
  // The dissector's TCP analysis keeps no more connections than --max-flows either.
  const tcpRssBound = (HEAVY ? 1024 : 250) * MiB;

  it(`${tcpFlows.toLocaleString('en')} one-SYN TCP connections, stats tcp --max-flows ${tcpCap}: retired count exact, memory bounded`, async () => {
    const r = await runMeasured(
      ['stats', 'tcp', '--max-flows', String(tcpCap), '--top', '3', '-n', '--format', 'json', '-'],
      tinyFlowsPcap(tcpFlows, 1, 'tcp'),
    );
    expect(r.status).toBe(0);
    const retired = expectedRetired(tcpFlows, tcpCap);
    expect(r.stderr).toContain(`more than ${tcpCap} TCP connections at once (--max-flows): ${retired} idle ones were retired into final rows`);
    const out = JSON.parse(r.stdout) as unknown[];
    expect(out).toHaveLength(3);
    figure(`${tcpFlows} TCP connections, --max-flows ${tcpCap}`, r);
    expect(r.maxRss).toBeLessThan(tcpRssBound);
  }, HEAVY ? 3_600_000 : 60_000);
});

describe('a capture of many gigabytes read with flat memory', () => {
  const gb = HEAVY ? 20 : 2;
  const recordBytes = 60_000;
  const count = Math.ceil((gb * 1e9) / (16 + recordBytes));

  it(`${gb} GB generated on the fly into info -: packets and bytes exact, memory flat`, async () => {
    const r = await runMeasured(['info', '--format', 'json', '-'], bigPcap(count, recordBytes));
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { packets: number; dataBytes: number };
    expect(info).toMatchObject({ packets: count, dataBytes: count * recordBytes });
    figure(`${gb} GB (${count} records)`, r);
    expect(r.maxRss).toBeLessThan(250 * MiB);
  }, HEAVY ? 1_800_000 : 60_000);
});
