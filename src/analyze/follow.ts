/**
 * `follow`: the payload of one TCP or UDP stream, in order, as chunks (one per segment or
 * datagram that brought new bytes), each marked with the side that sent it. A pure reducer over
 * dissected packets.
 *
 * TCP bytes are placed by sequence number, per direction: a retransmission brings nothing new and
 * is left out, an overlapping segment gives only its bytes past what was already delivered, and a
 * segment after a gap waits until the gap is filled; when the other side acknowledges past the
 * gap, the bytes were sent but not captured: a `[N bytes missing in capture file]` chunk stands for them
 * (as in tshark) and the waiting segments follow.
 */
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';
import { UdpStreams } from './udp-streams.js';

export interface FollowChunk {
  /** 0: the side that sent the stream's first packet; 1: the other. */
  readonly node: 0 | 1;
  readonly frame: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly data: Uint8Array;
}

export interface FollowReport {
  readonly proto: 'tcp' | 'udp';
  readonly stream: number;
  /** Address and port of each node; undefined when the stream was not found. */
  readonly nodes: readonly [{ host: string; port: number }, { host: string; port: number }] | undefined;
  readonly chunks: readonly FollowChunk[];
  /** Bytes left out as already delivered (retransmissions, overlaps). */
  readonly duplicateBytes: number;
  /** Bytes never captured (gaps the other side acknowledged). */
  readonly missingBytes: number;
  /** Bytes of gaps nothing acknowledged (the segments after them are given at the end). */
  readonly waitingBytes: number;
}

interface Pending {
  readonly seq: number;
  readonly frame: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly data: Uint8Array;
}

interface DirState {
  started: boolean;
  /** Next sequence number expected (raw, unsigned). */
  next: number;
  pending: Pending[];
}

const diff = (a: number, b: number): number => (a - b) | 0;

function ipBelow(layers: readonly LayerNode[], at: number): LayerNode | undefined {
  for (let i = at - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') return l;
  }
  return undefined;
}

/** The payload bytes a layer carries (its own header left out), within what was captured. */
function payloadOf(p: DissectedPacket, l: LayerNode): Uint8Array {
  const data = p.frame.data;
  const start = Math.min(l.offset + l.headerLength, data.length);
  return data.subarray(start, Math.min(l.offset + l.length, data.length));
}

export class FollowBuilder {
  private nodes: [{ host: string; port: number }, { host: string; port: number }] | undefined;
  private readonly chunks: FollowChunk[] = [];
  private readonly dirs: [DirState, DirState] = [
    { started: false, next: 0, pending: [] },
    { started: false, next: 0, pending: [] },
  ];
  private readonly udpStreams = new UdpStreams();
  private duplicate = 0;
  private missing = 0;

  private readonly proto: 'tcp' | 'udp';
  private readonly stream: number;

  constructor(proto: 'tcp' | 'udp', stream: number) {
    this.proto = proto;
    this.stream = stream;
  }

  add(p: DissectedPacket): void {
    this.addPacket(p);
    // Media sessions an SDP in this packet announced shape the UDP streams of later packets.
    if (this.proto === 'udp') this.udpStreams.learn(p);
  }

  private addPacket(p: DissectedPacket): void {
    const layers = p.layers;
    let at = -1;
    for (let i = 0; i < layers.length; i++) {
      if (layers[i]!.protocol === this.proto && !layers[i]!.inError) {
        at = i;
        break;
      }
    }
    if (at < 0) return;
    const l = layers[at]!;
    const info = l.info;
    const ip = ipBelow(layers, at)?.info;
    const src = (ip?.['src'] as string | undefined) ?? '';
    const dst = (ip?.['dst'] as string | undefined) ?? '';
    const sport = info['srcport'] as number;
    const dport = info['dstport'] as number;
    const stream =
      this.proto === 'tcp' ? (info['stream'] as number | undefined) : this.udpStreams.stream(src, sport, dst, dport, layers[at + 1]?.protocol);
    if (stream !== this.stream) return;
    this.nodes ??= [
      { host: src, port: sport },
      { host: dst, port: dport },
    ];
    const node: 0 | 1 = src === this.nodes[0].host && sport === this.nodes[0].port ? 0 : 1;
    const f = p.frame;
    if (this.proto === 'udp') {
      const data = payloadOf(p, l);
      if (data.length > 0) this.chunks.push({ node, frame: f.index, tsSec: f.tsSec, tsNsec: f.tsNsec, data });
      return;
    }
    const flags = (info['flags'] as number | undefined) ?? 0;
    const seq = (info['seq'] as number | undefined) ?? 0;
    const len = Math.max(0, (info['len'] as number | undefined) ?? 0);
    // The other side acknowledging past a gap: those bytes were sent but not captured.
    const other = this.dirs[node === 0 ? 1 : 0];
    if ((flags & 0x10) !== 0 && other.pending.length > 0) this.skipGap(other, node === 0 ? 1 : 0, (info['ack'] as number | undefined) ?? 0);
    const d = this.dirs[node];
    if (!d.started) {
      d.started = true;
      d.next = (flags & 0x02) !== 0 ? (seq + 1) >>> 0 : seq;
    }
    if (len === 0) return;
    // The captured payload (a snaplen cut gives fewer bytes than the segment length).
    const data = payloadOf(p, l).subarray(0, len);
    // Nothing captured of it (snaplen): tshark leaves such a segment out altogether.
    if (data.length === 0) return;
    this.place(d, node, { seq, frame: f.index, tsSec: f.tsSec, tsNsec: f.tsNsec, data });
  }

  private place(d: DirState, node: 0 | 1, s: Pending): void {
    const off = diff(d.next, s.seq);
    if (off < 0) {
      // After a gap: wait for what comes before it.
      d.pending.push(s);
      return;
    }
    if (off >= s.data.length) {
      this.duplicate += s.data.length;
      return;
    }
    this.duplicate += off;
    const fresh = s.data.subarray(off);
    // Copied: frame buffers may be reused once the packet is done.
    this.chunks.push({ node, frame: s.frame, tsSec: s.tsSec, tsNsec: s.tsNsec, data: fresh.slice() });
    d.next = (d.next + fresh.length) >>> 0;
    this.drain(d, node);
  }

  /** Delivers waiting segments the expected number has reached. */
  private drain(d: DirState, node: 0 | 1): void {
    for (let progress = true; progress && d.pending.length > 0; ) {
      progress = false;
      for (let i = 0; i < d.pending.length; i++) {
        const s = d.pending[i]!;
        if (diff(d.next, s.seq) >= 0) {
          d.pending.splice(i, 1);
          this.place(d, node, s);
          progress = true;
          break;
        }
      }
    }
  }

  /** Marks the bytes before the lowest waiting segment as missing when `ack` passes it, and delivers what follows. */
  private skipGap(d: DirState, node: 0 | 1, ack: number): void {
    while (d.pending.length > 0) {
      let low = d.pending[0]!;
      for (const s of d.pending) if (diff(s.seq, low.seq) < 0) low = s;
      if (diff(ack, low.seq) <= 0) return;
      const missing = diff(low.seq, d.next);
      if (missing > 0) {
        this.chunks.push({ node, frame: low.frame, tsSec: low.tsSec, tsNsec: low.tsNsec, data: new TextEncoder().encode(`[${missing} bytes missing in capture file]`) });
        this.missing += missing;
      }
      d.next = low.seq;
      this.drain(d, node);
    }
  }

  finish(): FollowReport {
    // Segments still waiting behind a gap nothing acknowledged: given at the end, in sequence order, unmarked (as tshark does).
    let waiting = 0;
    for (const node of [0, 1] as const) {
      const d = this.dirs[node];
      while (d.pending.length > 0) {
        d.pending.sort((a, b) => diff(a.seq, b.seq));
        waiting += diff(d.pending[0]!.seq, d.next) > 0 ? diff(d.pending[0]!.seq, d.next) : 0;
        d.next = d.pending[0]!.seq;
        this.drain(d, node);
      }
    }
    return { proto: this.proto, stream: this.stream, nodes: this.nodes, chunks: this.chunks, duplicateBytes: this.duplicate, missingBytes: this.missing, waitingBytes: waiting };
  }
}
