/**
 * Packets and bytes over time, per protocol carried (the graph's `topProtocol`), for charts: a
 * capture of any length gives between 100 and 1,000 intervals. Intervals start at 1 ms; when
 * the capture outgrows 1,000 of them, ten neighbours merge into one (1 ms, 10 ms, 100 ms, 1 s,
 * ...), so memory stays bounded and no packet is dropped. A packet stamped before the first one
 * counts in interval 0 (as io-stats counts it). At most `MAX_SERIES_PROTOCOLS` protocols are
 * told apart; later ones count as `other`.
 */
import type { DissectedPacket } from '../dissect/tree.js';
import { topProtocol } from '../graph/collect.js';
import { RelativeClock } from './traffic-taps.js';

/** Intervals kept before ten merge into one. */
export const MAX_SERIES_INTERVALS = 1000;
/** Distinct protocols kept apart. */
export const MAX_SERIES_PROTOCOLS = 64;
/** The name the protocols past the cap (and the ones a chart leaves out) share. */
export const OTHER_PROTOCOL = 'other';

const FIRST_INTERVAL_NS = 1e6;

export interface ProtocolSeries {
  readonly intervalNs: number;
  /** Intervals from the first packet's to the last one's. */
  readonly intervals: number;
  /** Protocols by bytes, largest first, each with its counts per interval. */
  readonly protocols: readonly { readonly name: string; readonly packets: readonly number[]; readonly bytes: readonly number[]; readonly totalPackets: number; readonly totalBytes: number }[];
}

interface Counts {
  packets: number[];
  bytes: number[];
  totalPackets: number;
  totalBytes: number;
}

export class ProtocolSeriesBuilder {
  private readonly clock = new RelativeClock();
  private intervalNs = FIRST_INTERVAL_NS;
  private last = -1;
  private readonly byProtocol = new Map<string, Counts>();

  add(p: DissectedPacket): void {
    this.clock.at(p.frame);
    const ns = this.clock.sec * 1e9 + this.clock.nsec;
    let i = ns <= 0 ? 0 : Math.floor(ns / this.intervalNs);
    while (i >= MAX_SERIES_INTERVALS) {
      this.merge();
      i = Math.floor(ns / this.intervalNs);
    }
    if (i > this.last) this.last = i;
    let name = topProtocol(p.layers);
    if (!this.byProtocol.has(name) && this.byProtocol.size >= MAX_SERIES_PROTOCOLS) name = OTHER_PROTOCOL;
    let c = this.byProtocol.get(name);
    if (c === undefined) this.byProtocol.set(name, (c = { packets: [], bytes: [], totalPackets: 0, totalBytes: 0 }));
    const len = p.frame.origLen;
    c.packets[i] = (c.packets[i] ?? 0) + 1;
    c.bytes[i] = (c.bytes[i] ?? 0) + len;
    c.totalPackets++;
    c.totalBytes += len;
  }

  /** Ten intervals become one. */
  private merge(): void {
    this.intervalNs *= 10;
    this.last = Math.floor(this.last / 10);
    for (const c of this.byProtocol.values()) {
      c.packets = mergeTen(c.packets);
      c.bytes = mergeTen(c.bytes);
    }
  }

  finish(): ProtocolSeries {
    const n = this.last + 1;
    const dense = (a: readonly number[]): number[] => Array.from({ length: n }, (_, i) => a[i] ?? 0);
    const protocols = [...this.byProtocol.entries()]
      .map(([name, c]) => ({ name, packets: dense(c.packets), bytes: dense(c.bytes), totalPackets: c.totalPackets, totalBytes: c.totalBytes }))
      .sort((a, b) => b.totalBytes - a.totalBytes || a.name.localeCompare(b.name));
    return { intervalNs: this.intervalNs, intervals: n, protocols };
  }
}

function mergeTen(a: readonly number[]): number[] {
  const out: number[] = [];
  a.forEach((v, i) => {
    if (v === undefined) return;
    const j = Math.floor(i / 10);
    out[j] = (out[j] ?? 0) + v;
  });
  return out;
}

/**
 * The series with only the `keep` protocols that carried most bytes; the rest are added into one
 * `other` series (last).
 */
export function topSeries(s: ProtocolSeries, keep: number): ProtocolSeries {
  if (s.protocols.length <= keep) return s;
  const kept = s.protocols.filter((p) => p.name !== OTHER_PROTOCOL).slice(0, keep);
  const rest = s.protocols.filter((p) => !kept.includes(p));
  const sum = (pick: (p: ProtocolSeries['protocols'][number]) => readonly number[]): number[] =>
    Array.from({ length: s.intervals }, (_, i) => rest.reduce((t, p) => t + pick(p)[i]!, 0));
  const other = {
    name: OTHER_PROTOCOL,
    packets: sum((p) => p.packets),
    bytes: sum((p) => p.bytes),
    totalPackets: rest.reduce((t, p) => t + p.totalPackets, 0),
    totalBytes: rest.reduce((t, p) => t + p.totalBytes, 0),
  };
  return { ...s, protocols: [...kept, other] };
}
