/**
 * Conversations, counted as `tshark -q -z conv,TYPE` counts them: one row per address pair
 * (eth, ip, ipv6), per tcp.stream (tcp) and per address/port pair (udp); bytes are frame lengths
 * (`frame.len`); A is the source of the row's first packet; times are relative to the capture's
 * first packet. Feed every dissected packet once (`add`), then read the rows (`finish`).
 */
import type { Frame } from '../capture/frame.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { DEFAULT_MAX_FLOWS, FlowTable, type FlowRow, type FlowTableOptions, KeyJoiner } from './flow-table.js';
import { compareTime, forEachTap, RelativeClock, timeSeconds, type TrafficTap, type TrafficType } from './traffic-taps.js';
import { UdpStreams } from './udp-streams.js';

export interface Conversation extends FlowRow {
  readonly type: TrafficType;
  readonly a: string;
  readonly b: string;
  /** TCP and UDP only. */
  readonly portA: number | undefined;
  readonly portB: number | undefined;
  /** tcp.stream of a TCP row. */
  readonly stream: number | undefined;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  /** First and last packet: seconds and nanoseconds after the capture's first packet. */
  startSec: number;
  startNsec: number;
  stopSec: number;
  stopNsec: number;
}

export const conversationPackets = (c: Conversation): number => c.packetsAtoB + c.packetsBtoA;
/** Start, in seconds after the capture's first packet, as tshark prints it. */
export const conversationStart = (c: Conversation): number => timeSeconds(c.startSec, c.startNsec);
/** Duration in seconds, as tshark computes it: the difference of the two times in seconds. */
export const conversationDuration = (c: Conversation): number => timeSeconds(c.stopSec, c.stopNsec) - timeSeconds(c.startSec, c.startNsec);
/** Exact start and duration in nanoseconds (integers while they stay below 2^53 ns, 104 days). */
export const conversationStartNs = (c: Conversation): number => c.startSec * 1e9 + c.startNsec;
export const conversationDurationNs = (c: Conversation): number => (c.stopSec - c.startSec) * 1e9 + (c.stopNsec - c.startNsec);
export const conversationBytes = (c: Conversation): number => c.bytesAtoB + c.bytesBtoA;

export interface TableResult<R> {
  readonly rows: readonly R[];
  /** Rows retired to keep within the live-flow cap (still in `rows` unless `discarded`). */
  readonly retired: number;
  /** Retired rows left out because they could not make the `--top` selection. */
  readonly discarded: number;
}

export type ConversationReport = Partial<Record<TrafficType, TableResult<Conversation>>>;


export class ConversationBuilder {
  private readonly tables = new Map<TrafficType, FlowTable<string | number, Conversation>>();
  private readonly wanted: ReadonlySet<TrafficType>;
  private readonly clock = new RelativeClock();
  private readonly udp: UdpStreams;
  private packets = 0;
  private seq = 0;
  private len = 0;
  private readonly visit = (t: TrafficTap): void => this.count(t);
  /** Keys of address-pair rows (eth, ip, ipv6): the unordered pair, `lower|higher`. */
  private readonly pairs: KeyJoiner;
  /**
   * The rows the current frame's taps counted, in tap order, are the first `countedLength` of
   * `counted` (for readers that tally per row; the array is reused, not truncated, per frame).
   */
  readonly counted: Conversation[] = [];
  countedLength = 0;

  constructor(types: readonly TrafficType[], options: FlowTableOptions<Conversation> = {}) {
    this.wanted = new Set(types);
    for (const t of types) this.tables.set(t, new FlowTable(options));
    this.udp = new UdpStreams(2 * (options.maxFlows ?? DEFAULT_MAX_FLOWS));
    this.pairs = new KeyJoiner('|', 2 * (options.maxFlows ?? DEFAULT_MAX_FLOWS));
  }

  add(p: DissectedPacket): void {
    this.frame(p.frame);
    forEachTap(p, this.wanted, this.visit);
    if (this.wanted.has('udp')) this.udp.learn(p);
  }

  /**
   * Counts a frame whose taps come next through `tap` (taps read without dissecting it; UDP rows
   * need the dissected packet, `add`).
   */
  frame(f: Frame): void {
    this.packets++;
    this.clock.at(f);
    this.len = f.origLen;
    this.countedLength = 0;
  }

  tap(t: TrafficTap): void {
    if (this.wanted.has(t.type)) this.count(t);
  }

  /** tcp.stream for TCP, udp.stream for UDP, the unordered address pair otherwise. */
  private key(t: TrafficTap): string | number {
    if (t.type === 'tcp') return t.stream!;
    if (t.type === 'udp') {
      this.udp.stream(t.src, t.srcPort!, t.dst, t.dstPort!, t.carries);
      return this.udp.lastRow;
    }
    return t.src < t.dst ? this.pairs.join(t.src, t.dst) : this.pairs.join(t.dst, t.src);
  }

  private count(t: TrafficTap): void {
    const table = this.tables.get(t.type)!;
    const key = this.key(t);
    const { sec, nsec } = this.clock;
    let row = table.get(key);
    if (row === undefined) {
      row = {
        seq: this.seq++,
        lastSeen: this.packets,
        type: t.type,
        a: t.src,
        b: t.dst,
        portA: t.srcPort,
        portB: t.dstPort,
        stream: t.type === 'tcp' ? t.stream : undefined,
        packetsAtoB: 0,
        bytesAtoB: 0,
        packetsBtoA: 0,
        bytesBtoA: 0,
        startSec: sec,
        startNsec: nsec,
        stopSec: sec,
        stopNsec: nsec,
      };
      table.add(key, row);
    }
    this.counted[this.countedLength++] = row;
    row.lastSeen = this.packets;
    if (t.src === row.a && t.dst === row.b && t.srcPort === row.portA && t.dstPort === row.portB) {
      row.packetsAtoB++;
      row.bytesAtoB += this.len;
    } else {
      row.packetsBtoA++;
      row.bytesBtoA += this.len;
    }
    // As tshark: a later timestamp moves the end, an earlier one (out-of-order file) the start.
    if (compareTime(sec, nsec, row.stopSec, row.stopNsec) > 0) {
      row.stopSec = sec;
      row.stopNsec = nsec;
    } else if (compareTime(sec, nsec, row.startSec, row.startNsec) < 0) {
      row.startSec = sec;
      row.startNsec = nsec;
    }
  }

  finish(): ConversationReport {
    const out: ConversationReport = {};
    for (const [type, table] of this.tables) out[type] = { rows: table.rows(), retired: table.retired, discarded: table.discarded };
    return out;
  }
}

export interface Endpoint extends FlowRow {
  readonly type: TrafficType;
  readonly address: string;
  /** TCP and UDP only. */
  readonly port: number | undefined;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

export const endpointPackets = (e: Endpoint): number => e.txPackets + e.rxPackets;
export const endpointBytes = (e: Endpoint): number => e.txBytes + e.rxBytes;

export type EndpointReport = Partial<Record<TrafficType, TableResult<Endpoint>>>;

/**
 * Endpoints, as `tshark -q -z endpoints,TYPE` counts them: every tap counts a packet sent by its
 * source and received by its destination (TCP and UDP endpoints are address and port).
 */
export class EndpointBuilder {
  private readonly tables = new Map<TrafficType, FlowTable<string, Endpoint>>();
  private readonly wanted: ReadonlySet<TrafficType>;
  private packets = 0;
  private seq = 0;
  private len = 0;
  private readonly visit = (t: TrafficTap): void => {
    const table = this.tables.get(t.type)!;
    this.count(table, t.type, t.src, t.srcPort, true);
    this.count(table, t.type, t.dst, t.dstPort, false);
  };

  /** Keys of TCP and UDP endpoints: `address port`. */
  private readonly ports: KeyJoiner;

  constructor(types: readonly TrafficType[], options: FlowTableOptions<Endpoint> = {}) {
    this.wanted = new Set(types);
    for (const t of types) this.tables.set(t, new FlowTable(options));
    this.ports = new KeyJoiner(' ', 2 * (options.maxFlows ?? DEFAULT_MAX_FLOWS));
  }

  add(p: DissectedPacket): void {
    this.frame(p.frame);
    forEachTap(p, this.wanted, this.visit);
  }

  /** Counts a frame whose taps come next through `tap` (taps read without dissecting it). */
  frame(f: Frame): void {
    this.packets++;
    this.len = f.origLen;
  }

  tap(t: TrafficTap): void {
    if (this.wanted.has(t.type)) this.visit(t);
  }

  private count(table: FlowTable<string, Endpoint>, type: TrafficType, address: string, port: number | undefined, sent: boolean): void {
    const key = port === undefined ? address : this.ports.join(address, port);
    let row = table.get(key);
    if (row === undefined) {
      row = { seq: this.seq++, lastSeen: this.packets, type, address, port, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0 };
      table.add(key, row);
    }
    row.lastSeen = this.packets;
    if (sent) {
      row.txPackets++;
      row.txBytes += this.len;
    } else {
      row.rxPackets++;
      row.rxBytes += this.len;
    }
  }

  finish(): EndpointReport {
    const out: EndpointReport = {};
    for (const [type, table] of this.tables) out[type] = { rows: table.rows(), retired: table.retired, discarded: table.discarded };
    return out;
  }
}
