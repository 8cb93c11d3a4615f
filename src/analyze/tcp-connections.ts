/**
 * The state of every TCP connection (one per `tcp.stream`), a pure reducer over dissected packets
 * that reads the TCP layer's `info` (ports, flags, length, stream, analysis flags) and the
 * addresses of the IP layer below it.
 *
 * Per connection: who opened it (the sender of the first SYN; without one, the receiver of the
 * first SYN-ACK; without either, the sender of the first packet), whether the handshake was seen
 * and its round trip (SYN to the originator's first ACK after the SYN-ACK), how it ended (FIN from
 * either side, RST), Zeek's `conn_state` and `history`, packets, frame bytes and payload bytes each
 * way, retransmissions and resets.
 *
 * `history` letters, upper case from the originator and lower case from the responder: S a SYN
 * without ACK, H a SYN-ACK, A a pure ACK, D data, F a FIN, R a RST (each at most once per
 * direction), T a retransmission and W a zero window (again at the 10th, 100th, ... time, as Zeek
 * repeats them).
 */
import { A_FAST_RETRANSMISSION, A_RETRANSMISSION, A_SPURIOUS_RETRANSMISSION, A_ZERO_WINDOW } from '../dissect/protocols/tcp-sequence.js';
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';
import { FlowTable, type FlowRow } from './flow-table.js';

export type ConnState = 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

/** One direction of a connection (`o`: from the originator, `r`: from the responder). */
interface Side {
  packets: number;
  bytes: number;
  payload: number;
  syn: boolean;
  synack: boolean;
  fin: boolean;
  rst: boolean;
  /** Segments carrying RST. */
  resets: number;
  retransmissions: number;
  zeroWindows: number;
}

export interface TcpConnection extends FlowRow {
  readonly stream: number;
  /** Originator and responder addresses and ports. */
  readonly orig: string;
  readonly origPort: number;
  readonly resp: string;
  readonly respPort: number;
  readonly o: Side;
  readonly r: Side;
  startSec: number;
  startNsec: number;
  endSec: number;
  endNsec: number;
  /** Time of the originator's SYN (seconds, float) and the handshake RTT in ns (-1: not seen). */
  synTime: number;
  synSec: number;
  synNsec: number;
  handshakeRttNs: number;
  /** Zeek history letters so far. */
  history: string;
  /** Which side closed or reset first (for the human state). */
  firstClose: 'o' | 'r' | undefined;
}

export interface TcpConnectionReport {
  /** Every connection (live and retired), in order of first packet. */
  readonly rows: readonly TcpConnection[];
  /** Connections retired early because more than `maxFlows` were live. */
  readonly retired: number;
  readonly discarded: number;
  /** Timestamp of the capture's first packet (start times count from it). */
  readonly firstSec: number;
  readonly firstNsec: number;
}

export interface TcpConnectionOptions {
  readonly maxFlows?: number;
  readonly keepFinished?: { readonly count: number; readonly rank: (a: TcpConnection, b: TcpConnection) => number };
}

const newSide = (): Side => ({ packets: 0, bytes: 0, payload: 0, syn: false, synack: false, fin: false, rst: false, resets: 0, retransmissions: 0, zeroWindows: 0 });

const RETRANSMITTED = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION;

/** Whether a count reached 1, 10, 100, ...: when Zeek repeats a T or W letter. */
const isPowerOfTen = (n: number): boolean => {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
};

function ipBelow(layers: readonly LayerNode[], at: number): LayerNode | undefined {
  for (let i = at - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') return l;
  }
  return undefined;
}

export class TcpConnectionBuilder {
  private readonly table: FlowTable<number, TcpConnection>;
  private seq = 0;
  private ordinal = 0;

  constructor(options: TcpConnectionOptions = {}) {
    this.table = new FlowTable<number, TcpConnection>(options);
  }

  private firstSec = 0;
  private firstNsec = 0;
  private started = false;

  add(p: DissectedPacket): void {
    if (!this.started && p.frame.hasTimestamp) {
      this.started = true;
      this.firstSec = p.frame.tsSec;
      this.firstNsec = p.frame.tsNsec;
    }
    const layers = p.layers;
    let at = -1;
    for (let i = 0; i < layers.length; i++) {
      if (layers[i]!.protocol === 'tcp' && !layers[i]!.inError) {
        at = i;
        break;
      }
    }
    if (at < 0) return;
    const tcp = layers[at]!.info;
    const stream = tcp['stream'] as number | undefined;
    if (stream === undefined) return;
    this.ordinal++;
    const ip = ipBelow(layers, at)?.info;
    const src = (ip?.['src'] as string | undefined) ?? '';
    const dst = (ip?.['dst'] as string | undefined) ?? '';
    const sport = tcp['srcport'] as number;
    const dport = tcp['dstport'] as number;
    const flags = (tcp['flags'] as number | undefined) ?? 0;
    const len = Math.max(0, (tcp['len'] as number | undefined) ?? 0);
    const analysis = (tcp['analysis'] as number | undefined) ?? 0;
    const f = p.frame;
    const syn = (flags & 0x02) !== 0;
    const ack = (flags & 0x10) !== 0;
    let c = this.table.get(stream);
    if (c === undefined) {
      // A first SYN-ACK comes from the responder: the originator is the other side.
      const flipped = syn && ack;
      c = {
        seq: this.seq++,
        lastSeen: 0,
        stream,
        orig: flipped ? dst : src,
        origPort: flipped ? dport : sport,
        resp: flipped ? src : dst,
        respPort: flipped ? sport : dport,
        o: newSide(),
        r: newSide(),
        startSec: f.tsSec,
        startNsec: f.tsNsec,
        endSec: f.tsSec,
        endNsec: f.tsNsec,
        synTime: -1,
        synSec: 0,
        synNsec: 0,
        handshakeRttNs: -1,
        history: '',
        firstClose: undefined,
      };
      this.table.add(stream, c);
    }
    c.lastSeen = this.ordinal;
    c.endSec = f.tsSec;
    c.endNsec = f.tsNsec;
    const fromOrig = src === c.orig && sport === c.origPort;
    const side = fromOrig ? c.o : c.r;
    side.packets++;
    side.bytes += f.origLen;
    side.payload += len;
    const letter = (upper: string, seen: boolean): void => {
      if (!seen) c.history += fromOrig ? upper : upper.toLowerCase();
    };
    if ((flags & 0x04) !== 0) {
      letter('R', side.rst);
      side.rst = true;
      side.resets++;
      c.firstClose ??= fromOrig ? 'o' : 'r';
    }
    if (syn && !ack) {
      letter('S', side.syn);
      side.syn = true;
      if (fromOrig && c.synTime < 0) {
        c.synTime = 0;
        c.synSec = f.tsSec;
        c.synNsec = f.tsNsec;
      }
    } else if (syn && ack) {
      letter('H', side.synack);
      side.synack = true;
    } else if (ack && len === 0 && (flags & 0x05) === 0) {
      const seenA = c.history.includes(fromOrig ? 'A' : 'a');
      letter('A', seenA);
      // The handshake RTT: the originator's first ACK after the responder's SYN-ACK.
      if (fromOrig && c.handshakeRttNs < 0 && c.synTime === 0 && c.r.synack) {
        c.handshakeRttNs = (f.tsSec - c.synSec) * 1e9 + (f.tsNsec - c.synNsec);
      }
    }
    if (len > 0) letter('D', c.history.includes(fromOrig ? 'D' : 'd'));
    if ((flags & 0x01) !== 0) {
      letter('F', side.fin);
      side.fin = true;
      c.firstClose ??= fromOrig ? 'o' : 'r';
    }
    if ((analysis & RETRANSMITTED) !== 0) {
      side.retransmissions++;
      if (isPowerOfTen(side.retransmissions)) c.history += fromOrig ? 'T' : 't';
    }
    if ((analysis & A_ZERO_WINDOW) !== 0) {
      side.zeroWindows++;
      if (isPowerOfTen(side.zeroWindows)) c.history += fromOrig ? 'W' : 'w';
    }
  }

  finish(): TcpConnectionReport {
    return { rows: this.table.rows(), retired: this.table.retired, discarded: this.table.discarded, firstSec: this.firstSec, firstNsec: this.firstNsec };
  }
}

/** Zeek's summary of how a connection went. */
export function connState(c: TcpConnection): ConnState {
  const { o, r } = c;
  const established = o.syn && r.synack;
  if (o.rst || r.rst) {
    // Whoever reset first decides, as in Zeek (a reset after both FINs still ends a normal close).
    if (established && o.fin && r.fin) return 'SF';
    const byOrig = o.rst && (!r.rst || c.firstClose === 'o');
    if (byOrig) {
      if (established) return 'RSTO';
      if (o.syn && !r.synack) return 'RSTOS0';
      return 'RSTO';
    }
    if (established) return 'RSTR';
    if (o.syn && !r.synack) return 'REJ';
    if (r.synack && !o.syn) return 'RSTRH';
    return 'RSTR';
  }
  if (!o.syn && !r.synack) return 'OTH';
  if (established) {
    if (o.fin && r.fin) return 'SF';
    if (o.fin) return 'S2';
    if (r.fin) return 'S3';
    return 'S1';
  }
  if (o.syn) return o.fin ? 'SH' : 'S0';
  return r.fin ? 'SHR' : 'OTH';
}

/** The state in words: `established`, `half-closed`, `closed`, `reset`, `SYN sent`, `midstream`. */
export function connStateText(c: TcpConnection): string {
  const { o, r } = c;
  if (o.rst || r.rst) return 'reset';
  if (o.fin && r.fin) return 'closed';
  if (o.fin || r.fin) return 'half-closed';
  if (o.syn && r.synack) return 'established';
  if (o.syn) return 'SYN sent';
  if (r.synack) return 'SYN-ACK sent';
  return 'midstream';
}

/** Duration in nanoseconds, first to last packet. */
export const connDurationNs = (c: TcpConnection): number => (c.endSec - c.startSec) * 1e9 + (c.endNsec - c.startNsec);
