/**
 * Counts by key with a cap on distinct keys, for the dns, http and tls tables: once `maxKeys`
 * keys are held, occurrences of new keys are not kept but counted (`leftOut`, `leftOutKeys`
 * being at most that many distinct ones), so memory stays bounded whatever the capture holds.
 */
import type { LayerNode } from '../dissect/tree.js';

/** Distinct keys kept per count (per DNS name, URI, SNI, ...): 10,000. */
export const DEFAULT_MAX_KEYS = 10_000;

export interface KeyCount {
  readonly key: string;
  readonly count: number;
  /** Order of first appearance. */
  readonly seq: number;
}

export class KeyCounts {
  private readonly counts = new Map<string, { count: number; seq: number }>();
  /** Occurrences of keys that did not fit. */
  leftOut = 0;
  readonly maxKeys: number;

  constructor(maxKeys: number = DEFAULT_MAX_KEYS) {
    this.maxKeys = maxKeys;
  }

  add(key: string, n = 1): void {
    const c = this.counts.get(key);
    if (c !== undefined) c.count += n;
    else if (this.counts.size < this.maxKeys) this.counts.set(key, { count: n, seq: this.counts.size });
    else this.leftOut += n;
  }

  get size(): number {
    return this.counts.size;
  }

  /** Every key with its count, in order of first appearance. */
  rows(): KeyCount[] {
    return [...this.counts].map(([key, c]) => ({ key, count: c.count, seq: c.seq }));
  }
}

/** Min, average and max of a series of durations in nanoseconds (exact sums below 2^53). */
export class TimeStats {
  count = 0;
  sumNs = 0;
  minNs = Infinity;
  maxNs = -Infinity;

  add(ns: number): void {
    this.count++;
    this.sumNs += ns;
    if (ns < this.minNs) this.minNs = ns;
    if (ns > this.maxNs) this.maxNs = ns;
  }

  /** `{count, min, avg, max}` in seconds; undefined when nothing was measured. */
  summary(): { count: number; min: number; avg: number; max: number } | undefined {
    if (this.count === 0) return undefined;
    return { count: this.count, min: this.minNs / 1e9, avg: this.sumNs / this.count / 1e9, max: this.maxNs / 1e9 };
  }
}

/** The innermost (not quoted) IP addresses and transport ports before layer `end`. */
export interface Endpoints {
  src: string | undefined;
  dst: string | undefined;
  srcPort: number | undefined;
  dstPort: number | undefined;
  /** tcp.stream of the TCP layer, when there is one. */
  stream: number | undefined;
}

export function endpointsBefore(layers: readonly LayerNode[], end: number): Endpoints {
  const e: Endpoints = { src: undefined, dst: undefined, srcPort: undefined, dstPort: undefined, stream: undefined };
  for (let i = 0; i < end; i++) {
    const l = layers[i]!;
    if (l.inError) continue;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') {
      const s = l.info['src'];
      const d = l.info['dst'];
      if (typeof s === 'string' && typeof d === 'string') {
        e.src = s;
        e.dst = d;
      }
    } else if (l.protocol === 'tcp' || l.protocol === 'udp') {
      const sp = l.info['srcport'];
      const dp = l.info['dstport'];
      if (typeof sp === 'number' && typeof dp === 'number') {
        e.srcPort = sp;
        e.dstPort = dp;
      }
      const st = l.info['stream'];
      e.stream = l.protocol === 'tcp' && typeof st === 'number' ? st : undefined;
    }
  }
  return e;
}
