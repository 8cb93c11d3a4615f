/**
 * Generators of hostile or very large captures for the resource-bound tests: each either returns
 * a small Buffer or streams its bytes (a Readable), so a capture of many gigabytes never exists
 * in memory or on disk.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { encodePcapHeader } from '../../src/capture/write-capture.js';

const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;
const MAX_RSS = new URL('./max-rss.mjs', import.meta.url).pathname;

/** A classic pcap header (microseconds, little-endian). */
export const pcapHeader = (linkType = 1, snaplen = 262_144): Buffer => encodePcapHeader({ linkType, snaplen });

/** A classic pcap record header (little-endian) with the given lengths. */
export function pcapRecordHeader(capLen: number, origLen = capLen, tsSec = 1_700_000_000, tsUsec = 0): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(tsSec, 0);
  b.writeUInt32LE(tsUsec, 4);
  b.writeUInt32LE(capLen >>> 0, 8);
  b.writeUInt32LE(origLen >>> 0, 12);
  return b;
}

/** Ethernet + IPv4 + UDP around `payload`, from a.b.c.d:sport to 10.0.0.1:dport (checksums zero). */
export function udpFrame(src: number, sport: number, dport: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const ipLen = 20 + 8 + payload.length;
  const b = Buffer.alloc(14 + ipLen);
  b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  b.set([0x45, 0, ipLen >> 8, ipLen & 0xff, 0, 0, 0x40, 0, 64, 17, 0, 0], 14);
  b.writeUInt32BE(src >>> 0, 26);
  b.writeUInt32BE(0x0a000001, 30);
  b.writeUInt16BE(sport, 34);
  b.writeUInt16BE(dport, 36);
  b.writeUInt16BE(8 + payload.length, 38);
  b.set(payload, 42);
  return b;
}

/** Ethernet + IPv4 + a TCP SYN (20-byte header) from src:sport to 10.0.0.1:dport (checksums zero). */
export function tcpSynFrame(src: number, sport: number, dport: number): Buffer {
  const b = Buffer.alloc(14 + 40);
  b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  b.set([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0], 14);
  b.writeUInt32BE(src >>> 0, 26);
  b.writeUInt32BE(0x0a000001, 30);
  b.writeUInt16BE(sport, 34);
  b.writeUInt16BE(dport, 36);
  b.writeUInt32BE(1000, 38); // sequence number
  b.set([0x50, 0x02, 0xff, 0xff], 46); // data offset 5, SYN, window 65535
  return b;
}

/**
 * A pcap of `flows × perFlow` packets (UDP datagrams or TCP SYNs), each flow from its own source
 * address 11.0.0.0 + flow number (a flow's packets follow each other), ports fixed. The bytes are
 * made in blocks of 4,096 records; no more than one block is held at a time. Packet i's
 * timestamp is 1,700,000,000 s + i µs.
 */
export function tinyFlowsPcap(flows: number, perFlow = 1, kind: 'udp' | 'tcp' = 'udp'): Readable {
  const frame = kind === 'udp' ? udpFrame(0x0b000000, 40000, 9999) : tcpSynFrame(0x0b000000, 40000, 80);
  const rec = 16 + frame.length;
  const total = flows * perFlow;
  const BLOCK = 4096;
  const template = Buffer.alloc(BLOCK * rec);
  for (let k = 0; k < BLOCK; k++) {
    pcapRecordHeader(frame.length).copy(template, k * rec);
    frame.copy(template, k * rec + 16);
  }
  let i = 0;
  let headerSent = false;
  return new Readable({
    read() {
      if (!headerSent) {
        headerSent = true;
        this.push(pcapHeader());
      }
      if (i >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(BLOCK, total - i);
      const b = Buffer.from(template.subarray(0, n * rec)); // a copy: the stream keeps it until read
      for (let k = 0; k < n; k++, i++) {
        const o = k * rec;
        b.writeUInt32LE(1_700_000_000 + Math.floor(i / 1e6), o);
        b.writeUInt32LE(i % 1e6, o + 4);
        b.writeUInt32BE((0x0b000000 + Math.floor(i / perFlow)) >>> 0, o + 16 + 26);
      }
      this.push(b);
    },
  });
}

/**
 * A pcap of `count` records of `recordBytes` captured bytes each (one UDP packet padded with
 * zeros), made on the fly from one template block: gigabytes without memory or disk.
 */
export function bigPcap(count: number, recordBytes: number): Readable {
  const frame = udpFrame(0x0b000001, 40000, 9999, new Uint8Array(recordBytes - 42));
  const rec = 16 + frame.length;
  const per = Math.max(1, Math.floor((1 << 20) / rec));
  const block = Buffer.alloc(per * rec);
  for (let k = 0; k < per; k++) {
    pcapRecordHeader(frame.length).copy(block, k * rec);
    frame.copy(block, k * rec + 16);
  }
  let i = 0;
  let headerSent = false;
  return new Readable({
    highWaterMark: 4 << 20,
    read() {
      if (!headerSent) {
        headerSent = true;
        this.push(pcapHeader(1, 65_535));
      }
      if (i >= count) {
        this.push(null);
        return;
      }
      const n = Math.min(per, count - i);
      i += n;
      // The same bytes every time: the reader never keeps a view of a chunk after it is done.
      this.push(n === per ? block : block.subarray(0, n * rec));
    },
  });
}

export interface MeasuredRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the CLI process, in bytes. */
  readonly maxRss: number;
  /** Wall-clock time in milliseconds. */
  readonly ms: number;
}

/**
 * Runs the built CLI with `input` piped to its standard input (a Buffer or a stream), and
 * measures its peak RSS (`process.resourceUsage().maxRSS`, recorded at exit by max-rss.mjs).
 */
export async function runMeasured(args: readonly string[], input?: Buffer | Readable, env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pcapviz-rss-'));
  const rssFile = join(dir, 'rss');
  const t0 = performance.now();
  try {
    const child = spawn(process.execPath, ['--import', MAX_RSS, BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', PCAPVIZ_MAX_RSS_FILE: rssFile, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {}); // the CLI may stop reading early (damage); that is its answer
    if (input === undefined) child.stdin.end();
    else if (Buffer.isBuffer(input)) child.stdin.end(input);
    else input.pipe(child.stdin);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    if (input !== undefined && !Buffer.isBuffer(input)) input.destroy();
    const ms = performance.now() - t0;
    let maxRss = Number.NaN;
    try {
      maxRss = Number(readFileSync(rssFile, 'utf8')) * 1024;
    } catch {
      // no figure: the process died before its exit handler ran; NaN fails any bound
    }
    return { status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), maxRss, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mebibytes, for messages. */
export const mib = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(1)} MiB`;
