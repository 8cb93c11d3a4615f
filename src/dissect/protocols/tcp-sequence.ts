/**
 * Per-direction TCP sequence tracking, the part of Wireshark's sequence analysis that decides
 * what a segment is: a retransmission (its payload is not handed to the application
 * dissector, as tshark does), a spurious retransmission, out-of-order, or a keep-alive.
 */
import type { Cursor } from '../cursor.js';

interface Direction {
  /** Sequence number expected next (valid when `seen`). */
  nextseq: number;
  nextseqTime: number;
  seen: boolean;
  /** Last acknowledgement this side sent (valid when `acked`). */
  lastack: number;
  acked: boolean;
  /** Time of this side's SYN, for the handshake RTT. */
  synTime: number;
  /** Last window this side announced, and its run of duplicate ACKs. */
  window: number;
  dupacks: number;
  /** When this side last sent a segment with an ACK. */
  ackTime: number;
  /** First sequence number seen (the ISN when the SYN was captured): relative numbers count from it. */
  base: number;
  hasBase: boolean;
  /** Window scale shift this side's SYN announced: -1 none, undefined SYN not seen. */
  shift: number | undefined;
}

interface Connection {
  readonly dirs: [Direction, Direction];
  /** The endpoints as first seen, in table order (checked on every hit: keys are hashes). */
  readonly a: string;
  readonly b: string;
  readonly portA: number;
  readonly portB: number;
  readonly hash: number;
  /** Handshake round trip (SYN to the ACK of the SYN-ACK), seconds; 0 until known. */
  rtt: number;
  /** The ISN of the SYN that opened it: a new SYN with another ISN starts a new connection. */
  isn: number;
  stream: number;
}

export interface SegmentAnalysis {
  readonly kind: SegmentKind;
  readonly stream: number;
  /** Sequence and acknowledgement numbers relative to each side's first, as Wireshark shows them. */
  readonly relSeq: number;
  readonly relAck: number | undefined;
  /** The window multiplied by the scale both SYNs announced (the raw window until then). */
  readonly window: number;
}

export type SegmentKind =
  | 'retransmission'
  | 'fast_retransmission'
  | 'spurious_retransmission'
  | 'out_of_order'
  | 'keep_alive'
  | 'duplicate_ack'
  | undefined;

/** A retransmission counts as fast after two duplicate ACKs, within this time of the last ACK. */
const FAST_RETRANSMISSION_WINDOW = 0.02;

const newDir = (): Direction => ({ nextseq: 0, nextseqTime: 0, seen: false, lastack: 0, acked: false, synTime: 0, window: -1, dupacks: 0, ackTime: 0, base: 0, hasBase: false, shift: undefined });
const lt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const le = (a: number, b: number): boolean => ((a - b) | 0) <= 0;

/** Default out-of-order window before the handshake RTT is known (Wireshark's 3 ms). */
const OOO_DEFAULT = 0.003;

/** Most TCP connections tracked at once; past it the oldest are forgotten (a later segment starts anew). */
export const MAX_TCP_CONNECTIONS = 300_000;

/**
 * The connections of one capture, found by a numeric hash of the 4-tuple (cheap to compute
 * from the header bytes, no string built per segment); the rare hash collision goes to a
 * second table keyed by the full text.
 */
class ConnectionTable {
  private readonly byHash = new Map<number, Connection>();
  private readonly byText = new Map<string, Connection>();
  nextStream = 0;

  get(hash: number, a: string, portA: number, b: string, portB: number): Connection | undefined {
    const conn = this.byHash.get(hash);
    if (conn === undefined) return undefined;
    if (conn.portA === portA && conn.portB === portB && conn.a === a && conn.b === b) return conn;
    return this.byText.get(textKey(a, portA, b, portB));
  }

  set(conn: Connection): void {
    const old = this.byHash.get(conn.hash);
    if (old !== undefined && !(old.portA === conn.portA && old.portB === conn.portB && old.a === conn.a && old.b === conn.b)) {
      this.byText.set(textKey(conn.a, conn.portA, conn.b, conn.portB), conn);
      return;
    }
    if (old === undefined && this.byHash.size >= MAX_TCP_CONNECTIONS) this.evict();
    this.byHash.delete(conn.hash);
    this.byHash.set(conn.hash, conn);
  }

  /** Forgets the oldest tenth (insertion order). */
  private evict(): void {
    let n = MAX_TCP_CONNECTIONS / 10;
    for (const k of this.byHash.keys()) {
      this.byHash.delete(k);
      if (--n <= 0) break;
    }
    if (this.byText.size > MAX_TCP_CONNECTIONS / 10) this.byText.clear();
  }
}

const textKey = (a: string, portA: number, b: string, portB: number): string => `${a} ${portA} ${b} ${portB}`;
const newTable = (): ConnectionTable => new ConnectionTable();

/** A 30-bit mix of two address hashes and two ports, all already in table order. */
function tupleHash(ha: number, pa: number, hb: number, pb: number): number {
  let h = Math.imul(ha ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ hb, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ((pa << 16) | pb), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** Classifies the segment and updates the connection's state. */
export function analyzeSegment(
  c: Cursor,
  src: string,
  srcHash: number,
  sport: number,
  dst: string,
  dstHash: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  seglen: number,
  window: number,
  wsShift: number | undefined,
): SegmentAnalysis {
  // Table order: by address hash, then by text when the hashes tie, then by port.
  const forward = srcHash !== dstHash ? srcHash < dstHash : src !== dst ? src < dst : sport <= dport;
  const a = forward ? src : dst;
  const b = forward ? dst : src;
  const portA = forward ? sport : dport;
  const portB = forward ? dport : sport;
  const hash = tupleHash(forward ? srcHash : dstHash, portA, forward ? dstHash : srcHash, portB);
  const syn = (flags & 0x02) !== 0;
  const ackFlag = (flags & 0x10) !== 0;
  const table = c.session('tcp connections', newTable);
  let conn = table.get(hash, a, portA, b, portB);
  // A SYN with a new ISN on a 4-tuple already in use starts a new connection (port reuse).
  if (conn === undefined || (syn && !ackFlag && conn.isn !== seq && conn.dirs[forward ? 0 : 1].seen)) {
    conn = { dirs: [newDir(), newDir()], a, b, portA, portB, hash, rtt: 0, isn: seq, stream: table.nextStream++ };
    table.set(conn);
  }
  const fwd = conn.dirs[forward ? 0 : 1];
  const rev = conn.dirs[forward ? 1 : 0];
  // Relative numbers count from the ISN: the SYN's sequence number, or, when the SYN was not
  // captured, one before the first number seen (that segment shows Seq=1, as in tshark). An
  // ACK before anything from the other side sets that side's base the same way (Ack=1).
  if (!fwd.hasBase || (syn && fwd.base !== seq)) {
    fwd.base = syn ? seq : (seq - 1) >>> 0;
    fwd.hasBase = true;
  }
  if (ackFlag && !rev.hasBase) {
    rev.base = (ack - 1) >>> 0;
    rev.hasBase = true;
  }
  if (syn) fwd.shift = wsShift ?? -1;
  const now = c.time;
  const synfin = (flags & 0x03) !== 0 ? 1 : 0;
  let kind: SegmentKind;
  const keepAlive = (seglen === 0 || seglen === 1) && fwd.seen && seq === ((fwd.nextseq - 1) >>> 0) && (flags & 0x07) === 0;
  if (keepAlive) {
    kind = 'keep_alive';
  } else if (seglen > 0 || synfin > 0) {
    const notAdvanced = fwd.seen && lt(seq, fwd.nextseq);
    const threshold = conn.rtt > 0 ? conn.rtt : OOO_DEFAULT;
    if (notAdvanced && rev.dupacks >= 2 && rev.lastack === seq && now - rev.ackTime < FAST_RETRANSMISSION_WINDOW) kind = 'fast_retransmission';
    else if (notAdvanced && now - fwd.nextseqTime < threshold && fwd.nextseq !== ((seq + seglen + synfin) >>> 0)) kind = 'out_of_order';
    else if (seglen > 0 && rev.acked && le((seq + seglen) >>> 0, rev.lastack)) kind = 'spurious_retransmission';
    else if (notAdvanced) kind = 'retransmission';
  }
  // Duplicate ACK: no data, no SYN/FIN/RST, same window, same ACK, at the expected sequence.
  if (kind === undefined && seglen === 0 && (flags & 0x07) === 0 && ackFlag && fwd.acked && ack === fwd.lastack && window !== 0 && window === fwd.window && fwd.seen && seq === fwd.nextseq) {
    fwd.dupacks++;
    kind = 'duplicate_ack';
  } else if (ackFlag && (!fwd.acked || ack !== fwd.lastack)) {
    fwd.dupacks = 0;
  }
  fwd.window = window;
  const next = (seq + seglen + synfin) >>> 0;
  if (!fwd.seen || lt(fwd.nextseq, next)) {
    fwd.nextseq = next;
    fwd.nextseqTime = now;
    fwd.seen = true;
  }
  if (ackFlag) {
    fwd.lastack = ack;
    fwd.acked = true;
    fwd.ackTime = now;
  }
  // The handshake RTT: from the client's SYN to its first ACK after the server's SYN-ACK.
  if (syn && !ackFlag) fwd.synTime = now;
  else if (!syn && ackFlag && conn.rtt === 0 && fwd.synTime > 0 && rev.seen) conn.rtt = now - fwd.synTime;
  // Windows in SYNs are never scaled; afterwards only when both sides announced a scale.
  const scaled = !syn && fwd.shift !== undefined && fwd.shift >= 0 && rev.shift !== undefined && rev.shift >= 0;
  return {
    kind,
    stream: conn.stream,
    relSeq: (seq - fwd.base) >>> 0,
    relAck: ackFlag && rev.hasBase ? (ack - rev.base) >>> 0 : undefined,
    window: scaled ? window * 2 ** fwd.shift! : window,
  };
}
