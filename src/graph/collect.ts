/**
 * What the graph needs from one capture, gathered in the single summary-mode pass: the
 * conversation rows `stats conv` would print for the tables the graph level draws (so an edge's
 * numbers are those rows' numbers), and, per conversation, which protocols its packets carried
 * (the top protocol of each packet, by packets and bytes), which `stats conv` does not keep.
 */
import { ConversationBuilder, type Conversation } from '../analyze/conversations.js';
import type { Frame } from '../capture/frame.js';
import { DEFAULT_MAX_FLOWS } from '../analyze/flow-table.js';
import type { TrafficTap, TrafficType } from '../analyze/traffic-taps.js';
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';

import type { GraphLayer } from './constants.js';

export type { GraphLayer } from './constants.js';

/** The conversation tables each level is drawn from. */
export const LAYER_TABLES: Readonly<Record<GraphLayer, readonly TrafficType[]>> = {
  eth: ['eth'],
  ip: ['ip', 'ipv6'],
  transport: ['tcp', 'udp'],
  app: ['tcp', 'udp'],
};

/** Packets and bytes of one protocol inside one conversation. */
export interface ProtocolCount {
  packets: number;
  bytes: number;
}

export type ProtocolTally = Map<string, ProtocolCount>;

/** One capture's share of the graph. */
export interface CaptureTraffic {
  readonly file: string;
  /** Rows per table, as `stats conv` counts them. */
  readonly rows: readonly Conversation[];
  /** Rows retired to stay under --max-flows (their counts are in `rows` all the same). */
  readonly retired: number;
  /** Protocols per conversation, keyed by `conversationKey`. */
  readonly protocols: ReadonlyMap<string, ProtocolTally>;
  /** Link-layer addresses: the IP addresses each one sent from (at most a few), for eth labels. */
  readonly macAddresses: ReadonlyMap<string, readonly string[]>;
}

/** Layers that say nothing about what a packet carried. */
const NOT_CARRIED = new Set(['data', 'padding']);

const TRANSPORTS = new Set(['tcp', 'udp', 'sctp']);

/**
 * The protocol a packet carried, as a person would name it: what the innermost TCP, UDP or
 * SCTP header carries (HTTP rather than the body type inside it), the transport itself when it
 * carries nothing dissected, else the innermost layer (ICMP, ARP, ...); undissected payload,
 * padding and what is quoted inside an ICMP error left out.
 */
export function topProtocol(layers: readonly LayerNode[]): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.inError || !TRANSPORTS.has(l.protocol)) continue;
    const next = layers[i + 1];
    return next === undefined || next.inError || NOT_CARRIED.has(next.protocol) ? l.protocol : next.protocol;
  }
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.inError || NOT_CARRIED.has(l.protocol)) continue;
    // IPv6 extension headers belong to IPv6.
    return l.protocol.startsWith('ipv6.') ? 'ipv6' : l.protocol;
  }
  return 'frame';
}

/** The unordered key of a conversation as the graph pairs them (one per address pair, or address/port pair). */
export function conversationKey(type: TrafficType, a: string, portA: number | undefined, b: string, portB: number | undefined): string {
  const x = portA === undefined ? a : `${a} ${portA}`;
  const y = portB === undefined ? b : `${b} ${portB}`;
  return x < y ? `${type}|${x}|${y}` : `${type}|${y}|${x}`;
}

const MAX_MAC_ADDRESSES = 4;

/** Feeds packets of one capture; `finish` gives its `CaptureTraffic`. */
export class GraphCollector {
  private readonly conversations: ConversationBuilder;
  private readonly wanted: ReadonlySet<TrafficType>;
  private readonly protocols = new Map<string, ProtocolTally>();
  /** Each row's tally in `protocols` (rows of one conversation key share it). */
  private readonly tallies = new Map<Conversation, ProtocolTally>();
  private readonly macs = new Map<string, string[]>();
  private readonly withMacs: boolean;
  private readonly file: string;
  private top = '';
  private len = 0;
  /** Source address of the frame's Ethernet tap, until its first IP tap (`tap`, for eth labels). */
  private pendingMac: string | undefined;
  /**
   * Counts the packet's protocol in the tally of a row its taps counted. A row's taps all have
   * its conversation key (its two addresses, and ports), so the key is made once per row.
   */
  private tally(row: Conversation): void {
    let tally = this.tallies.get(row);
    if (tally === undefined) {
      const key = conversationKey(row.type, row.a, row.portA, row.b, row.portB);
      tally = this.protocols.get(key);
      if (tally === undefined) this.protocols.set(key, (tally = new Map()));
      this.tallies.set(row, tally);
    }
    const c = tally.get(this.top);
    if (c === undefined) tally.set(this.top, { packets: 1, bytes: this.len });
    else {
      c.packets++;
      c.bytes += this.len;
    }
  }

  constructor(file: string, layer: GraphLayer, maxFlows = DEFAULT_MAX_FLOWS) {
    this.file = file;
    const types = LAYER_TABLES[layer];
    this.conversations = new ConversationBuilder(types, { maxFlows });
    this.wanted = new Set(types);
    this.withMacs = layer === 'eth';
  }

  add(p: DissectedPacket): void {
    this.conversations.add(p);
    this.top = topProtocol(p.layers);
    this.len = p.frame.origLen;
    const c = this.conversations;
    for (let i = 0; i < c.countedLength; i++) this.tally(c.counted[i]!);
    if (this.withMacs) this.learnMac(p.layers);
  }

  /**
   * Counts a TCP segment without payload read from its headers (`HeaderTaps.payloadless`): its
   * taps come next through `tap`, and it carried nothing but TCP.
   */
  frame(f: Frame): void {
    this.conversations.frame(f);
    this.top = 'tcp';
    this.len = f.origLen;
    this.pendingMac = undefined;
  }

  tap(t: TrafficTap): void {
    const c = this.conversations;
    const n = c.countedLength;
    c.tap(t);
    if (c.countedLength > n) this.tally(c.counted[n]!);
    if (!this.withMacs) return;
    if (t.type === 'eth') this.pendingMac = t.src;
    else if (this.pendingMac !== undefined && (t.type === 'ip' || t.type === 'ipv6')) {
      this.remember(this.pendingMac, t.src);
      this.pendingMac = undefined;
    }
  }

  /** The tables whose taps `tap` reads: the level's, and with Ethernet labels the first IP header's too. */
  get tapTypes(): readonly TrafficType[] {
    return this.withMacs ? [...this.wanted, 'ip', 'ipv6'] : [...this.wanted];
  }

  /** Remembers the IP source address behind an Ethernet source address (the first layers only). */
  private learnMac(layers: readonly LayerNode[]): void {
    const eth = layers[0];
    if (eth?.protocol !== 'eth') return;
    let ip: LayerNode | undefined;
    for (let i = 1; i < layers.length && i < 4; i++) {
      const l = layers[i]!;
      if (l.protocol === 'ip' || l.protocol === 'ipv6') {
        ip = l;
        break;
      }
    }
    const mac = eth.info['src'];
    const addr = ip?.info['src'];
    if (typeof mac !== 'string' || typeof addr !== 'string') return;
    this.remember(mac, addr);
  }

  private remember(mac: string, addr: string): void {
    let list = this.macs.get(mac);
    if (list === undefined) this.macs.set(mac, (list = []));
    if (list.length < MAX_MAC_ADDRESSES && !list.includes(addr)) list.push(addr);
  }

  finish(): CaptureTraffic {
    const report = this.conversations.finish();
    const rows: Conversation[] = [];
    let retired = 0;
    for (const t of Object.values(report)) {
      if (t === undefined) continue;
      rows.push(...t.rows);
      retired += t.retired;
    }
    return { file: this.file, rows, retired, protocols: this.protocols, macAddresses: this.macs };
  }
}
