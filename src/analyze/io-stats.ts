/**
 * Packets, bytes and bits/s per interval, as `tshark -q -z io,stat,INTERVAL` counts them: the
 * interval of a packet is its time after the capture's first packet divided by the interval
 * (rounded down); bytes are frame lengths; every interval from the first to the last packet's is
 * a row, empty ones included. A packet stamped before the first one counts in interval 0.
 * At most `MAX_IO_INTERVALS` intervals are kept; later packets are counted in `leftOut`.
 */
import type { Frame } from '../capture/frame.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { RelativeClock } from './traffic-taps.js';

/** Most intervals one table holds (a million rows; about 16 MB). */
export const MAX_IO_INTERVALS = 1_000_000;

export interface IoInterval {
  /** Start and end in nanoseconds after the first packet. */
  readonly startNs: number;
  readonly endNs: number;
  readonly packets: number;
  readonly bytes: number;
}

export interface IoReport {
  readonly intervalNs: number;
  /** Time of the last packet after the first, in nanoseconds (tshark's "Duration"). */
  readonly durationNs: number;
  readonly intervals: readonly IoInterval[];
  readonly packets: number;
  readonly bytes: number;
  /** Packets past the last interval kept. */
  readonly leftOut: number;
}

export class IoStatsBuilder {
  private readonly clock = new RelativeClock();
  private packets: number[] = [];
  private bytes: number[] = [];
  private last = -1;
  private maxNs = 0;
  private total = 0;
  private totalBytes = 0;
  private left = 0;
  readonly intervalNs: number;
  readonly maxIntervals: number;

  constructor(intervalNs: number, maxIntervals: number = MAX_IO_INTERVALS) {
    if (!(intervalNs >= 1) || !Number.isInteger(intervalNs)) throw new RangeError(`bad interval ${intervalNs} ns`);
    this.intervalNs = intervalNs;
    this.maxIntervals = maxIntervals;
  }

  add(p: DissectedPacket): void {
    this.frame(p.frame);
  }

  /** Counts a frame: only its time and length are read, so it needs no dissecting. */
  frame(f: Frame): void {
    this.clock.at(f);
    const ns = this.clock.sec * 1e9 + this.clock.nsec;
    const len = f.origLen;
    this.total++;
    this.totalBytes += len;
    if (ns > this.maxNs) this.maxNs = ns;
    const i = ns <= 0 ? 0 : Math.floor(ns / this.intervalNs);
    if (i >= this.maxIntervals) {
      this.left++;
      return;
    }
    while (this.last < i) {
      this.packets.push(0);
      this.bytes.push(0);
      this.last++;
    }
    this.packets[i]!++;
    this.bytes[i]! += len;
  }

  /** Taps carry nothing this table reads (`frame` counted the frame). */
  tap(): void {}

  finish(): IoReport {
    const intervals: IoInterval[] = this.packets.map((n, i) => ({
      startNs: i * this.intervalNs,
      endNs: (i + 1) * this.intervalNs,
      packets: n,
      bytes: this.bytes[i]!,
    }));
    return { intervalNs: this.intervalNs, durationNs: this.maxNs, intervals, packets: this.total, bytes: this.totalBytes, leftOut: this.left };
  }
}

/** Bits per second over a whole interval. */
export const bitsPerSecond = (bytes: number, intervalNs: number): number => (bytes * 8 * 1e9) / intervalNs;

/** `100ms`, `1s`, `10s`, `1m`, `0.5s`, `250us` → nanoseconds; a bare number is seconds; undefined if unreadable. */
export function parseInterval(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)?\s*$/.exec(text);
  if (m === null) return undefined;
  const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] ?? 's']!;
  const ns = Math.round(Number(m[1]) * unit);
  return ns >= 1 && Number.isSafeInteger(ns) ? ns : undefined;
}
