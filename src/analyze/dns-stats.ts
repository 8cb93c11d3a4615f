/**
 * DNS statistics, close to `tshark -q -z dns,tree`: messages, queries and responses, queries by
 * name and by type, responses by code, unanswered queries and responses to no query seen, and the
 * response time (min/avg/max) of each query answered. A response answers the pending query with
 * the same transaction id between the same addresses and ports (reversed). Only `dns` layers
 * count (not mDNS or LLMNR). Names and types are kept up to `maxKeys` distinct keys; at most
 * `maxKeys` × 10 queries wait for an answer, the oldest then counting as unanswered.
 */
import type { DissectedPacket } from '../dissect/tree.js';
import { DNS_TYPES } from '../dissect/protocols/dns.js';
import { DEFAULT_MAX_KEYS, endpointsBefore, KeyCounts, TimeStats } from './key-counts.js';
import { RelativeClock } from './traffic-taps.js';

/** DNS response codes as Wireshark names them. */
const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Format error',
  2: 'Server failure',
  3: 'No such name',
  4: 'Not implemented',
  5: 'Refused',
  6: 'Name exists',
  7: 'RRset exists',
  8: 'RRset does not exist',
  9: 'Not authoritative',
  10: 'Name out of zone',
};

export const dnsTypeName = (t: number): string => DNS_TYPES[t] ?? `Unknown (${t})`;
export const rcodeName = (r: number): string => RCODE_NAMES[r] ?? `Unknown (${r})`;

export interface DnsReport {
  readonly messages: number;
  readonly queries: number;
  readonly responses: number;
  /** Queries no response was seen for. */
  readonly unanswered: number;
  /** Responses to no query seen. */
  readonly unmatchedResponses: number;
  readonly byName: KeyCounts;
  readonly byType: KeyCounts;
  readonly byRcode: KeyCounts;
  readonly responseTime: ReturnType<TimeStats['summary']>;
}

export class DnsStatsBuilder {
  private readonly clock = new RelativeClock();
  private messages = 0;
  private queries = 0;
  private responses = 0;
  private unmatched = 0;
  private evicted = 0;
  private readonly byName: KeyCounts;
  private readonly byType: KeyCounts;
  private readonly byRcode = new KeyCounts(64);
  private readonly times = new TimeStats();
  /** Pending queries: id, client, server → time (ns after the first packet). */
  private readonly pending = new Map<string, number>();
  private readonly maxPending: number;

  constructor(maxKeys: number = DEFAULT_MAX_KEYS) {
    this.byName = new KeyCounts(maxKeys);
    this.byType = new KeyCounts(maxKeys);
    this.maxPending = maxKeys * 10;
  }

  add(p: DissectedPacket): void {
    const layers = p.layers;
    let clocked = false;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i]!;
      if (l.protocol !== 'dns' || l.inError) continue;
      const info = l.info;
      if (typeof info['id'] !== 'number') continue;
      if (!clocked) {
        this.clock.at(p.frame);
        clocked = true;
      }
      const now = this.clock.sec * 1e9 + this.clock.nsec;
      this.messages++;
      const e = endpointsBefore(layers, i);
      const questions = (info['questions'] as readonly { name: string; type: number }[] | undefined) ?? [];
      if (info['response'] !== true) {
        this.queries++;
        for (const q of questions) {
          this.byName.add(q.name);
          this.byType.add(dnsTypeName(q.type));
        }
        const key = `${info['id']}|${e.src}|${e.srcPort}|${e.dst}|${e.dstPort}`;
        if (!this.pending.has(key)) {
          if (this.pending.size >= this.maxPending) {
            this.pending.delete(this.pending.keys().next().value!);
            this.evicted++;
          }
          this.pending.set(key, now);
        }
      } else {
        this.responses++;
        this.byRcode.add(rcodeName(info['rcode'] as number));
        const key = `${info['id']}|${e.dst}|${e.dstPort}|${e.src}|${e.srcPort}`;
        const asked = this.pending.get(key);
        if (asked === undefined) this.unmatched++;
        else {
          this.pending.delete(key);
          this.times.add(now - asked);
        }
      }
    }
  }

  finish(): DnsReport {
    return {
      messages: this.messages,
      queries: this.queries,
      responses: this.responses,
      unanswered: this.pending.size + this.evicted,
      unmatchedResponses: this.unmatched,
      byName: this.byName,
      byType: this.byType,
      byRcode: this.byRcode,
      responseTime: this.times.summary(),
    };
  }
}
