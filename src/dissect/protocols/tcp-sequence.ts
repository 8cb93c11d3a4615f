/**
 * TCP sequence analysis as Wireshark does it: the stream index, relative numbers, scaled windows
 * and the analysis flags of every segment (retransmissions of three kinds, out-of-order, lost and
 * ACKed unseen segments, duplicate ACKs, window updates, full and zero windows, keep-alives, zero
 * window probes, reused ports), with the frame a segment acknowledges, its ACK round trip and the
 * bytes in flight.
 *
 * The rules, checked in this order for every segment (numbers relative, a zero `nextseq` or
 * `lastack` meaning "not known yet", as in Wireshark):
 * - zero window probe: 1 byte at the expected sequence number while the other side's window is 0
 *   (nothing else is checked, and it does not advance the expected number);
 * - zero window: window 0 on a segment without SYN, FIN or RST;
 * - lost segment: the sequence number is past the expected one (not on a RST);
 * - keep-alive: 0 or 1 byte starting one before the expected number, no SYN/FIN/RST;
 * - window update: no data, a new non-zero window, same sequence and ACK as before;
 * - window full: the data reaches the edge of the window the other side announced (known scale);
 * - keep-alive ACK / zero window probe ACK: a repeated ACK right after the other side's keep-alive
 *   or probe (no further checks);
 * - duplicate ACK: no data, same non-zero window, same sequence and ACK as before (a new ACK
 *   number ends the run: data with the same ACK does not);
 * - ACKed unseen segment: the ACK passes everything the other side was seen sending;
 * - for segments with data, SYN or FIN that do not advance the sequence number: a fast
 *   retransmission after two duplicate ACKs asking for it within 20 ms; else out-of-order when
 *   sent within the handshake RTT (3 ms before it is known) of the highest segment; else
 *   spurious when the data was already acknowledged; else a retransmission.
 *
 * Per-packet work allocates nothing unless a flag fires: the state is numbers in per-connection
 * objects, and the result is written to one reused record.
 */
import type { Cursor } from '../cursor.js';

/** Analysis flags (bits of `SegmentAnalysis.flags`). */
export const A_RETRANSMISSION = 0x1;
export const A_LOST_PACKET = 0x2;
export const A_ACK_LOST_PACKET = 0x4;
export const A_KEEP_ALIVE = 0x8;
export const A_DUPLICATE_ACK = 0x10;
export const A_ZERO_WINDOW = 0x20;
export const A_ZERO_WINDOW_PROBE = 0x40;
export const A_ZERO_WINDOW_PROBE_ACK = 0x80;
export const A_KEEP_ALIVE_ACK = 0x100;
export const A_OUT_OF_ORDER = 0x200;
export const A_FAST_RETRANSMISSION = 0x400;
export const A_WINDOW_UPDATE = 0x800;
export const A_WINDOW_FULL = 0x1000;
export const A_REUSED_PORTS = 0x2000;
export const A_SPURIOUS_RETRANSMISSION = 0x4000;

/** A retransmission that is neither fast nor spurious (tshark hands its payload to no dissector). */
export const isPlainRetransmission = (flags: number): boolean => (flags & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) === A_RETRANSMISSION;

/**
 * A segment whose payload tshark hands to no dissector: a plain retransmission or an
 * out-of-order segment (its payload stays a TCP field).
 */
export const payloadNotDissected = (flags: number): boolean => isPlainRetransmission(flags) || (flags & A_OUT_OF_ORDER) !== 0;

/** Most PDUs spanning segments remembered per direction (the oldest are forgotten first). */
const MAX_PDUS = 256;

/** Most unacknowledged segments remembered per direction (Wireshark's limit). */
const MAX_UNACKED = 10_000;
/** Entries per unacknowledged segment in `Direction.ual`: seq, nextseq, frame, seconds, nanoseconds. */
const UAL = 5;

class Direction {
  /**
   * Set by a run that reads only what numbering streams needs of this connection's later
   * segments (`settleSides`); the analysis itself never reads it.
   */
  settled = false;
  /** Whether this side sent a SYN-ACK: it answered the other side's SYN, so it is the server. */
  answeredSyn = false;
  /** The connection's stream index. */
  stream = 0;
  /** First sequence number (the ISN when the SYN was captured): relative numbers count from it. */
  base = 0;
  hasBase = false;
  /** Window scale: -1 not known (no SYN seen), -2 no scaling, else the shift. */
  winScale = -1;
  /** Whether the last segment from this side was a SYN (its window is never scaled). */
  firstAck = true;
  /** Highest relative sequence number expected next (0: none yet), when and in which frame it was set. */
  nextseq = 0;
  nextseqTime = 0;
  /** Highest sequence number up to which everything was seen (for ACKed unseen segments). */
  maxseqtobeacked = 0;
  /** Last acknowledgement sent (relative; 0: none), and when. */
  lastack = 0;
  lastackTime = 0;
  /** Last raw window announced (-1: none). */
  window = -1;
  /** Duplicate ACKs in a row, and the frame of the last ACK that was not one. */
  dupacknum = 0;
  lastnondupack = 0;
  /** Analysis flags of the last segment from this side. */
  lastflags = 0;
  /** Whether bytes in flight are known (not since a gap, until the other side ACKs again). */
  validBif = true;
  /** Segments sent and not yet acknowledged, `UAL` numbers each, oldest first from `ualHead`. */
  ual: number[] = [];
  ualHead = 0;
  /** Lowest sequence and highest next sequence among them. */
  ualLow = 0;
  ualHigh = 0;
  /** The SACK blocks of this side's last segment (raw numbers, of the other side's data), or undefined. */
  sack: readonly (readonly [number, number])[] | undefined = undefined;
  /**
   * PDUs that run past the segment they start in (an application dissector said so): relative
   * sequence number of that segment, where the next PDU starts, and the segment's frame; three
   * numbers each, in the order they were learned (see `trackNextPdu`).
   */
  pdus: number[] = [];
  /** Forgets the sequence state (a SYN with a new ISN on a direction already in use). */
  restart(): void {
    this.nextseq = 0;
    this.maxseqtobeacked = 0;
    this.dupacknum = 0;
    this.ual.length = 0;
    this.ualHead = 0;
    this.pdus.length = 0;
  }

  /**
   * Remembers that a PDU starting in the segment at relative `seq` ends at `nextPdu` (frame
   * `frame`); a later entry for the same segment replaces the earlier one.
   */
  addPdu(seq: number, nextPdu: number, frame: number): void {
    const p = this.pdus;
    for (let i = 0; i < p.length; i += 3) {
      if (p[i] === seq) {
        p[i + 1] = nextPdu;
        p[i + 2] = frame;
        return;
      }
    }
    if (p.length >= MAX_PDUS * 3) p.splice(0, 3);
    p.push(seq, nextPdu, frame);
  }

  /** The remembered PDU starting in the segment with the highest sequence number not above `seq` (index into `pdus`), or -1. */
  pduAtOrBelow(seq: number): number {
    const p = this.pdus;
    let best = -1;
    for (let i = 0; i < p.length; i += 3) {
      const s = p[i]!;
      if (s <= seq && (best < 0 || s > p[best]!)) best = i;
    }
    return best;
  }
}

class Connection {
  readonly dirs: [Direction, Direction] = [new Direction(), new Direction()];
  /** Handshake round trip (SYN to the first ACK without SYN after it), seconds; 0 until known. */
  rtt = 0;
  /** Time of the most recent SYN (0: none). */
  synTime = 0;
  /** The side (0, 1) that sent the first FIN (-1: none): its FINs initiate the closing, the other's undergo it. */
  closer = -1;
  readonly a: string;
  readonly b: string;
  readonly portA: number;
  readonly portB: number;
  readonly hash: number;
  readonly stream: number;
  constructor(a: string, b: string, portA: number, portB: number, hash: number, stream: number) {
    this.a = a;
    this.b = b;
    this.portA = portA;
    this.portB = portB;
    this.hash = hash;
    this.stream = stream;
    this.dirs[0].stream = stream;
    this.dirs[1].stream = stream;
  }
}

/** What analysis found about one segment. The record is reused: read it before the next segment. */
export interface SegmentAnalysis {
  /** Analysis flags (`A_*`); 0 when none fired. */
  flags: number;
  stream: number;
  /** Sequence and acknowledgement numbers relative to each side's first, as Wireshark shows them. */
  relSeq: number;
  relAck: number;
  hasAck: boolean;
  /** The window multiplied by the scale both SYNs announced (the raw window until then). */
  window: number;
  /** For a duplicate ACK: its number in the run and the frame of the ACK it repeats. */
  dupackNum: number;
  dupackFrame: number;
  /** The frame whose data this segment acknowledges (0: none) and the time since it, ns. */
  acksFrame: number;
  ackRttSec: number;
  ackRttNsec: number;
  /** Bytes sent and not yet acknowledged after this segment (-1: not known). */
  bytesInFlight: number;
  /** On a FIN: 1 from the side that closed first, 2 from the other; 0 without FIN. */
  fin: number;
  /**
   * Where the payload meets a PDU an earlier segment started (tshark's PDU tracking without
   * reassembly): -1 when the segment lies inside it (nothing is dissected), else the number of
   * payload bytes that still belong to it (0: none).
   */
  pduSkip: number;
  /** The frame that started that PDU, when the segment continues it (0: it does not). */
  pduFrame: number;
  /** The sending side's state, for `trackNextPdu` (undefined when not analysed). */
  direction: Direction | undefined;
}

const lt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const gt = (a: number, b: number): boolean => ((a - b) | 0) > 0;
const le = (a: number, b: number): boolean => ((a - b) | 0) <= 0;

/** Default out-of-order window before the handshake RTT is known (Wireshark's 3 ms). */
const OOO_DEFAULT = 0.003;
/** A retransmission counts as fast within this time of the last duplicate ACK. */
const FAST_RETRANSMISSION_WINDOW = 0.02;

/**
 * Most TCP connections tracked at once (about 1 to 2 KB each); past it the oldest are forgotten
 * (a later segment starts anew). `DissectOptions.maxTcpConnections` can lower it.
 */
export const MAX_TCP_CONNECTIONS = 300_000;

/**
 * The connections of one capture, found by a numeric hash of the 4-tuple (cheap to compute
 * from the header bytes, no string built per segment); the rare hash collision goes to a
 * second table keyed by the full text.
 */
class ConnectionTable {
  private readonly cap: number;
  private readonly byHash = new Map<number, Connection>();
  private readonly byText = new Map<string, Connection>();
  nextStream = 0;
  readonly result: SegmentAnalysis = {
    flags: 0, stream: 0, relSeq: 0, relAck: 0, hasAck: false, window: 0, dupackNum: 0, dupackFrame: 0,
    acksFrame: 0, ackRttSec: 0, ackRttNsec: 0, bytesInFlight: -1, fin: 0, pduSkip: 0, pduFrame: 0, direction: undefined,
  };

  constructor(cap: number | undefined) {
    this.cap = Math.max(1000, Math.min(MAX_TCP_CONNECTIONS, Math.floor(cap ?? MAX_TCP_CONNECTIONS)));
  }

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
    if (old === undefined && this.byHash.size >= this.cap) this.evict();
    this.byHash.delete(conn.hash);
    this.byHash.set(conn.hash, conn);
  }

  /** Forgets the oldest tenth (insertion order). */
  private evict(): void {
    let n = Math.floor(this.cap / 10);
    for (const k of this.byHash.keys()) {
      this.byHash.delete(k);
      if (--n <= 0) break;
    }
    if (this.byText.size > this.cap / 10) this.byText.clear();
  }
}

const textKey = (a: string, portA: number, b: string, portB: number): string => `${a} ${portA} ${b} ${portB}`;
/** The table of a capture, made on its first TCP segment with the cap the dissector was given. */
let tableCap: number | undefined;
const newTable = (): ConnectionTable => new ConnectionTable(tableCap);

/** A 30-bit mix of two address hashes and two ports, all already in table order. */
function tupleHash(ha: number, pa: number, hb: number, pb: number): number {
  let h = Math.imul(ha ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ hb, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ((pa << 16) | pb), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** Window scaling once a SYN's options are known (Wireshark: no option means no scaling either way). */
function synScaling(fwd: Direction, rev: Direction, synack: boolean): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (synack && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}

/**
 * Removes what `ack` acknowledges from `d`'s unacknowledged segments; the oldest segment ending
 * exactly at `ack` is the one acknowledged (its frame and time go to `r`).
 */
function takeAcked(d: Direction, ack: number, r: SegmentAnalysis, sec: number, nsec: number): void {
  const ual = d.ual;
  if (ual.length === d.ualHead || !gt(ack, d.ualLow)) return;
  let w = d.ualHead;
  let low = 0;
  let first = true;
  for (let i = d.ualHead; i < ual.length; i += UAL) {
    const next = ual[i + 1]!;
    if (ack === next) {
      if (r.acksFrame === 0) {
        r.acksFrame = ual[i + 2]!;
        let s = sec - ual[i + 3]!;
        let ns = nsec - ual[i + 4]!;
        if (ns < 0) {
          ns += 1e9;
          s -= 1;
        }
        r.ackRttSec = s;
        r.ackRttNsec = ns;
      }
      continue;
    }
    if (!gt(next, ack)) continue;
    let seq = ual[i]!;
    if (gt(ack, seq)) seq = ack;
    if (first || lt(seq, low)) low = seq;
    first = false;
    if (w !== i) {
      ual[w] = seq;
      ual[w + 1] = next;
      ual[w + 2] = ual[i + 2]!;
      ual[w + 3] = ual[i + 3]!;
      ual[w + 4] = ual[i + 4]!;
    } else {
      ual[w] = seq;
    }
    w += UAL;
  }
  // A store to `length` calls into V8's runtime: only when something was taken off.
  if (w === d.ualHead) {
    if (ual.length !== 0) ual.length = 0;
    d.ualHead = 0;
  } else {
    if (ual.length !== w) ual.length = w;
    d.ualLow = low;
  }
}

/**
 * A TCP segment's header as analysis reads it, for a run that reads headers from the bytes
 * (`Dissector.tcpSegment`): addresses as the IP dissector gives them (text and `addressHash`),
 * raw sequence numbers, flags, payload length, window, and what the options say (`scanOptions`).
 */
export interface SegmentHeader {
  src: string;
  srcHash: number;
  sport: number;
  dst: string;
  dstHash: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  seglen: number;
  window: number;
  /** Window-scale shift (-1: no option). */
  wsShift: number;
  sack: [number, number][] | undefined;
}

/** Whether a segment's source comes first in table order: by address hash, then by text when the hashes tie, then by port. */
const tableOrder = (src: string, srcHash: number, sport: number, dst: string, dstHash: number, dport: number): boolean =>
  srcHash !== dstHash ? srcHash < dstHash : src !== dst ? src < dst : sport <= dport;

/**
 * The two sides of the tracked connection a segment would join, as the objects a TCP layer's
 * `info.direction` holds for them: `sides[0]` the sender's, `sides[1]` the receiver's. Neither
 * analyses the segment nor opens a connection; false (and `sides` untouched) when none is
 * tracked. A run that may skip a segment's application layers asks before the segment is
 * analysed.
 */
export function connectionSides(c: Cursor, h: SegmentHeader, sides: [object, object]): boolean {
  const table = c.peekSession<ConnectionTable>('tcp connections');
  if (table === undefined) return false;
  const forward = tableOrder(h.src, h.srcHash, h.sport, h.dst, h.dstHash, h.dport);
  const conn = forward
    ? table.get(tupleHash(h.srcHash, h.sport, h.dstHash, h.dport), h.src, h.sport, h.dst, h.dport)
    : table.get(tupleHash(h.dstHash, h.dport, h.srcHash, h.sport), h.dst, h.dport, h.src, h.sport);
  if (conn === undefined) return false;
  sides[0] = conn.dirs[forward ? 0 : 1];
  sides[1] = conn.dirs[forward ? 1 : 0];
  return true;
}

/**
 * Relative numbers count from the ISN: the SYN's sequence number, or, when the SYN was not
 * captured, one before the first number seen (that segment shows Seq=1, as in tshark). An ACK
 * before anything from the other side sets that side's base the same way (Ack=1).
 */
function keepBases(fwd: Direction, rev: Direction, syn: boolean, ackFlag: boolean, seqRaw: number, ackRaw: number): void {
  if (!fwd.hasBase || (syn && fwd.base !== seqRaw)) {
    if (fwd.hasBase) fwd.restart();
    fwd.base = syn ? seqRaw : (seqRaw - 1) >>> 0;
    fwd.hasBase = true;
  }
  if (ackFlag && !rev.hasBase) {
    rev.base = (ackRaw - 1) >>> 0;
    rev.hasBase = true;
  }
}

/**
 * A segment without SYN of a settled connection, whose sides `connectionSides` just found:
 * keeps what `analyzeSegment` keeps with `baseOnly` and returns the stream, without finding the
 * connection again.
 */
export function settledSegment(sides: readonly [object, object], seqRaw: number, ackRaw: number, flags: number): number {
  const fwd = sides[0] as Direction;
  keepBases(fwd, sides[1] as Direction, false, (flags & 0x10) !== 0, seqRaw, ackRaw);
  return fwd.stream;
}

/** Marks both sides from `connectionSides` as settled: a run that will keep only stream numbers for them says so once. */
export function settleSides(sides: readonly [object, object]): void {
  (sides[0] as Direction).settled = true;
  (sides[1] as Direction).settled = true;
}

/** Whether a side from `connectionSides` was settled (`settleSides`). */
export const sideSettled = (side: object): boolean => (side as Direction).settled;

/**
 * Whether a side of a connection (a TCP layer's `info.direction`, or one from `connectionSides`)
 * has sent a SYN-ACK, in any segment analysed so far: it is the connection's server.
 */
export const answeredSyn = (side: object): boolean => (side as Partial<Direction>).answeredSyn === true;

/**
 * Classifies the segment and updates the connection's state; the answer is valid until the next
 * call. With `streamOnly`, only finds (or opens) the connection: `stream` is all that is set.
 * With `baseOnly`, also keeps each side's first sequence number, which is all that numbering
 * later streams needs (a SYN with a new one opens a new stream); the rest of the state is not
 * kept, so only a run that reads nothing else of the connection's later segments asks for it.
 */
export function analyzeSegment(
  c: Cursor,
  src: string,
  srcHash: number,
  sport: number,
  dst: string,
  dstHash: number,
  dport: number,
  seqRaw: number,
  ackRaw: number,
  flags: number,
  seglen: number,
  window: number,
  wsShift: number,
  sack: readonly (readonly [number, number])[] | undefined,
  streamOnly = false,
  baseOnly = false,
): SegmentAnalysis {
  const forward = tableOrder(src, srcHash, sport, dst, dstHash, dport);
  const a = forward ? src : dst;
  const b = forward ? dst : src;
  const portA = forward ? sport : dport;
  const portB = forward ? dport : sport;
  const hash = tupleHash(forward ? srcHash : dstHash, portA, forward ? dstHash : srcHash, portB);
  const syn = (flags & 0x02) !== 0;
  const ackFlag = (flags & 0x10) !== 0;
  tableCap = c.maxTcpConnections;
  const table = c.session('tcp connections', newTable);
  const r = table.result;
  let ta = 0;
  let conn = table.get(hash, a, portA, b, portB);
  // A SYN with a new ISN on a 4-tuple already in use starts a new connection (port reuse).
  // A SYN-ACK with a new ISN is flagged the same way but stays in its connection.
  if (conn !== undefined && syn) {
    const old = conn.dirs[forward ? 0 : 1];
    if (old.hasBase && old.base !== seqRaw) {
      ta |= A_REUSED_PORTS;
      if (!ackFlag) conn = undefined;
    }
  }
  if (conn === undefined) {
    conn = new Connection(a, b, portA, portB, hash, table.nextStream++);
    table.set(conn);
  }
  r.stream = conn.stream;
  r.pduSkip = 0;
  r.pduFrame = 0;
  r.direction = undefined;
  // A segment whose options are broken still belongs to its connection, but is not analysed.
  if (streamOnly) return r;
  const fwd = conn.dirs[forward ? 0 : 1];
  const rev = conn.dirs[forward ? 1 : 0];
  if (syn && ackFlag) fwd.answeredSyn = true;
  keepBases(fwd, rev, syn, ackFlag, seqRaw, ackRaw);
  if (baseOnly) return r;
  if (syn) {
    if (wsShift >= 0) fwd.winScale = wsShift;
    synScaling(fwd, rev, ackFlag);
  }
  const seq = (seqRaw - fwd.base) >>> 0;
  const ack = ackFlag ? (ackRaw - rev.base) >>> 0 : ackRaw;
  const now = c.time;
  const sec = c.tsSec;
  const nsec = c.tsNsec;
  const frame = c.frameNumber;
  const noSynFinRst = (flags & 0x07) === 0;
  const synfin = (flags & 0x03) !== 0 ? 1 : 0;
  r.dupackNum = 0;
  r.dupackFrame = 0;
  r.acksFrame = 0;
  r.bytesInFlight = -1;
  r.fin = 0;
  if (ackFlag) rev.validBif = true;

  checks: {
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      ta |= A_ZERO_WINDOW_PROBE;
      break checks;
    }
    if (window === 0 && noSynFinRst) ta |= A_ZERO_WINDOW;
    if (fwd.nextseq !== 0 && gt(seq, fwd.nextseq) && (flags & 0x04) === 0) {
      ta |= A_LOST_PACKET;
      fwd.validBif = false;
    }
    if ((seglen === 0 || seglen === 1) && seq === ((fwd.nextseq - 1) >>> 0) && noSynFinRst) ta |= A_KEEP_ALIVE;
    if (seglen === 0 && window !== 0 && window !== fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSynFinRst) ta |= A_WINDOW_UPDATE;
    if (seglen > 0 && rev.winScale !== -1 && noSynFinRst) {
      const shift = rev.firstAck || rev.winScale < 0 ? 0 : rev.winScale;
      if (((seq + seglen) >>> 0) === ((rev.lastack + rev.window * (1 << shift)) >>> 0)) ta |= A_WINDOW_FULL;
    }
    if (seglen === 0 && noSynFinRst && seq === fwd.nextseq) {
      if (window !== 0 && window === fwd.window && ack === fwd.lastack && (rev.lastflags & A_KEEP_ALIVE) !== 0) {
        ta |= A_KEEP_ALIVE_ACK;
        break checks;
      }
      if (window === 0 && window === fwd.window && (ack === fwd.lastack || ack === ((fwd.lastack + 1) >>> 0)) && (rev.lastflags & A_ZERO_WINDOW_PROBE) !== 0) {
        ta |= A_ZERO_WINDOW_PROBE_ACK;
        break checks;
      }
      if (window !== 0 && window === fwd.window && ack === fwd.lastack) {
        fwd.dupacknum++;
        ta |= A_DUPLICATE_ACK;
        r.dupackNum = fwd.dupacknum;
        r.dupackFrame = fwd.lastnondupack;
      }
    }
  }
  // A new acknowledgement number ends the run of duplicate ACKs.
  if (ack !== fwd.lastack) {
    fwd.lastnondupack = frame;
    fwd.dupacknum = 0;
  }
  if (ackFlag && rev.maxseqtobeacked !== 0 && gt(ack, rev.maxseqtobeacked)) {
    ta |= A_ACK_LOST_PACKET;
    rev.maxseqtobeacked = ack;
  }
  if ((seglen > 0 || synfin !== 0) && (ta & A_KEEP_ALIVE) === 0) {
    let notAdvanced = fwd.nextseq !== 0 && lt(seq, fwd.nextseq);
    // One byte less than expected with real data: what follows a zero window probe.
    if (seglen > 1 && ((fwd.nextseq - 1) >>> 0) === seq) notAdvanced = false;
    const threshold = conn.rtt > 0 ? conn.rtt : OOO_DEFAULT;
    // Data the other side already acknowledged is a spurious retransmission before anything else.
    if (seglen > 0 && rev.lastack !== 0 && le((seq + seglen) >>> 0, rev.lastack)) ta |= A_SPURIOUS_RETRANSMISSION;
    else if (notAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && now - rev.lastackTime < FAST_RETRANSMISSION_WINDOW) ta |= A_FAST_RETRANSMISSION;
    else if (notAdvanced && now - fwd.nextseqTime < threshold && fwd.nextseq !== ((seq + seglen + synfin) >>> 0)) ta |= A_OUT_OF_ORDER;
    else if (notAdvanced) ta |= A_RETRANSMISSION;
  }
  // Remember the segment, the highest sequence number and what is acknowledged.
  const nextseq = (seq + seglen + synfin) >>> 0;
  if ((seglen > 0 || synfin !== 0) && (fwd.ual.length - fwd.ualHead) / UAL < MAX_UNACKED) {
    const ual = fwd.ual;
    if (ual.length === fwd.ualHead) {
      fwd.ualLow = seq;
      fwd.ualHigh = nextseq;
    } else {
      if (lt(seq, fwd.ualLow)) fwd.ualLow = seq;
      if (gt(nextseq, fwd.ualHigh)) fwd.ualHigh = nextseq;
    }
    ual.push(seq, nextseq, frame, sec, nsec);
  }
  if ((gt(nextseq, fwd.nextseq) || fwd.nextseq === 0) && (ta & A_ZERO_WINDOW_PROBE) === 0) {
    fwd.nextseq = nextseq;
    fwd.nextseqTime = now;
  }
  if ((seq === fwd.maxseqtobeacked || fwd.maxseqtobeacked === 0) && (ta & (A_ZERO_WINDOW_PROBE | A_LOST_PACKET)) === 0) fwd.maxseqtobeacked = fwd.nextseq;
  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastackTime = now;
  fwd.lastflags = ta;
  fwd.sack = sack;
  takeAcked(rev, ack, r, sec, nsec);
  if (seglen !== 0 && fwd.validBif && fwd.ual.length !== fwd.ualHead) {
    let inFlight = (fwd.ualHigh - fwd.ualLow) >>> 0;
    // Data the other side reported received out of order (SACK) is not in flight.
    const blocks = rev.sack;
    if (blocks !== undefined) {
      for (const [le, re] of blocks) {
        const l = (le - fwd.base) >>> 0;
        const h = (re - fwd.base) >>> 0;
        if (!lt(l, fwd.ualLow) && !gt(h, fwd.ualHigh) && gt(h, l)) inFlight = (inFlight - (h - l)) >>> 0;
      }
    }
    if (inFlight > 0 && inFlight < 2_000_000_000) r.bytesInFlight = inFlight;
  }
  // The handshake RTT: from the most recent SYN to the first ACK without SYN after it.
  if (syn && !ackFlag) conn.synTime = now;
  else if (!syn && ackFlag && conn.rtt === 0 && conn.synTime > 0) conn.rtt = now - conn.synTime;
  if ((flags & 0x01) !== 0) {
    if (conn.closer === -1) conn.closer = forward ? 0 : 1;
    r.fin = conn.closer === (forward ? 0 : 1) ? 1 : 2;
  }
  // Windows in SYNs are never scaled; afterwards by the shift this side announced, once known.
  r.window = !syn && fwd.winScale >= 0 ? window * (1 << fwd.winScale) : window;
  fwd.firstAck = syn;
  r.flags = ta;
  r.stream = conn.stream;
  r.direction = fwd;
  if (fwd.pdus.length > 0 && (seq !== 0 || nextseq !== 0)) scanPdus(fwd, seq, nextseq, frame, r);
  r.relSeq = seq;
  r.relAck = ackFlag ? ack : 0;
  r.hasAck = ackFlag;
  return r;
}

/**
 * tshark's PDU tracking when it does not reassemble: a segment that lies wholly inside a PDU an
 * earlier segment started is shown as that PDU's continuation and not dissected; one that
 * starts inside it and goes past its end is dissected from where the next PDU starts.
 */
function scanPdus(d: Direction, seq: number, nextseq: number, frame: number, r: SegmentAnalysis): void {
  const i = d.pduAtOrBelow((seq - 1) >>> 0);
  if (i < 0) return;
  const p = d.pdus;
  const start = p[i]!;
  const nextPdu = p[i + 1]!;
  if (seq > start && seq < nextPdu) r.pduFrame = p[i + 2]!;
  if (seq > start && nextseq <= nextPdu) r.pduSkip = -1;
  else if (seq < nextPdu && nextseq > nextPdu) r.pduSkip = nextPdu - seq;
}

/**
 * Called by an application dissector over TCP whose PDU runs `beyond` bytes past the end of this
 * segment: later segments of the same direction inside that PDU are then not dissected, and one
 * that reaches past it is dissected from where the next PDU starts (tshark's
 * `pinfo->bytes_until_next_pdu` without reassembly). Does nothing outside TCP or without analysis.
 */
export function trackNextPdu(c: Cursor, beyond: number): void {
  if (beyond <= 0) return;
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol !== 'tcp') continue;
    const dir = l.info['direction'];
    const seq = l.info['relSeq'];
    const next = l.info['relNextSeq'];
    if (!(dir instanceof Direction) || typeof seq !== 'number' || typeof next !== 'number' || l.inError) return;
    dir.addPdu(seq, (next + beyond) >>> 0, c.frameNumber);
    return;
  }
}
