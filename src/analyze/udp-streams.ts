/**
 * tshark's `udp.stream`: the index of the Wireshark conversation a UDP datagram belongs to.
 * Normally one per address/port pair; but a few protocols open a conversation of their own with
 * the answering port left open (SNMP on any datagram not yet in one of its conversations, TFTP on
 * a request to port 69), and from then on that newer conversation is the one found for the pair,
 * in both directions: the first datagram is a stream of its own, everything after it another.
 *
 * Media sessions announced by SDP (RTP and RTCP endpoints, `info.mediaEndpoints` of the layer
 * that carried the SDP; `learn`) are conversations with the other side left open: a datagram
 * with no exact or TFTP/SNMP conversation belongs to its source endpoint's, else its
 * destination's, so the two directions of an RTP flow are two streams when each side announced
 * its endpoint, and one stream may see several address pairs. Such a conversation is replaced
 * when the endpoint is announced again by a later setup frame (the stream then changes).
 *
 * tshark's `-z conv,udp` keeps one row per stream and address/port pair: `row` gives it.
 *
 * Memory is bounded: past `limit` pairs the oldest are forgotten (a pair seen again then gets a
 * new stream, as a retired conversation row does).
 */
import type { DissectedPacket } from '../dissect/tree.js';

/** Protocols that open a conversation (this side's address and port, the other's address) for a datagram. */
const OPENS_CONVERSATION: Readonly<Record<string, (dstPort: number) => boolean>> = {
  snmp: () => true,
  tftp: (dp) => dp === 69,
};

/** The protocols whose datagrams may open a conversation of their own (see `opensConversation`). */
export const CONVERSATION_OPENERS: readonly string[] = Object.keys(OPENS_CONVERSATION);

/** Whether a datagram to `dstPort` that `carries` that protocol opens a conversation of its own. */
export const opensConversation = (carries: string, dstPort: number): boolean => OPENS_CONVERSATION[carries]?.(dstPort) === true;

interface Conv {
  /** Creation order across both kinds of conversation: the newest match wins. */
  readonly index: number;
  /** Given when a datagram first lands in the conversation. */
  stream: number;
  /** The protocol that opened it (undefined: UDP itself). */
  readonly opener: string | undefined;
  /** Setup frame of a conversation opened by SDP. */
  readonly setup?: number;
  /** Rows past the first address/port pair (conversations with an open side only). */
  pairs?: Map<string, number>;
  firstPair?: string;
}

/** Most extra address/port pairs remembered per open conversation. */
const MAX_PAIRS = 4096;

export class UdpStreams {
  /** Exact conversations by unordered address/port pair. */
  private readonly exact = new Map<string, Conv>();
  /** Conversations with the second port open, by `address port address` (first side first). */
  private readonly open = new Map<string, Conv>();
  /** Conversations with the other side open (SDP media), by `address port`. */
  private readonly media = new Map<string, Conv>();
  private convs = 0;
  private streams = 0;
  private extraRows = 0;
  /** The row (stream and address/port pair) of the last datagram given to `stream`. */
  lastRow = 0;
  private readonly limit: number;

  constructor(limit = 2_000_000) {
    this.limit = Math.max(16, limit);
  }

  /** The stream of a datagram `src:sp → dst:dp` carrying `carries` (the next layer's protocol). */
  stream(src: string, sp: number, dst: string, dp: number, carries: string | undefined): number {
    const a = `${src} ${sp}`;
    const b = `${dst} ${dp}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let conv = this.exact.get(key);
    if (this.open.size > 0) {
      const w = this.open.get(`${a} ${dst}`) ?? this.open.get(`${b} ${src}`);
      if (w !== undefined && (conv === undefined || w.index > conv.index)) conv = w;
    }
    if (conv === undefined && this.media.size > 0) conv = this.media.get(a) ?? this.media.get(b);
    if (conv === undefined) {
      conv = { index: this.convs++, stream: -1, opener: undefined };
      this.remember(this.exact, key, conv);
    }
    if (conv.stream < 0) conv.stream = this.streams++;
    const stream = conv.stream;
    this.lastRow = conv.opener === undefined ? stream : this.rowOf(conv, key);
    // The carried protocol's dissector runs after UDP has found the stream: it opens its own
    // conversation unless the datagram is in one of its conversations already.
    if (carries !== undefined && conv.opener !== carries && opensConversation(carries, dp)) {
      this.remember(this.open, `${a} ${dst}`, { index: this.convs++, stream: -1, opener: carries });
    }
    return stream;
  }

  /**
   * Learns the media endpoints a packet's SDP announced (after the packet's own datagrams were
   * counted: the SDP takes effect once read).
   */
  learn(p: DissectedPacket): void {
    for (const l of p.layers) {
      const m = l.info['mediaEndpoints'];
      if (!Array.isArray(m)) continue;
      for (const e of m as readonly { address?: unknown; port?: unknown; setup?: unknown }[]) {
        if (typeof e.address === 'string' && typeof e.port === 'number' && typeof e.setup === 'number') this.announce(e.address, e.port, e.setup);
      }
    }
  }

  /** A conversation for `address port` with the other side open, set up by frame `setup`. */
  announce(address: string, port: number, setup: number): void {
    const key = `${address} ${port}`;
    const old = this.media.get(key);
    // The one set up by the latest frame is found (re-announcing from the same setup keeps it).
    if (old !== undefined && (old.setup ?? 0) >= setup) return;
    this.media.delete(key);
    this.remember(this.media, key, { index: this.convs++, stream: -1, opener: 'sdp', setup });
  }

  /** The row of an address/port pair in a conversation that can see several. */
  private rowOf(conv: Conv, pair: string): number {
    if (conv.firstPair === undefined) conv.firstPair = pair;
    if (pair === conv.firstPair) return conv.stream;
    conv.pairs ??= new Map();
    let row = conv.pairs.get(pair);
    if (row === undefined) {
      if (conv.pairs.size >= MAX_PAIRS) conv.pairs.clear();
      // Rows past the first pair get numbers no stream has (negative).
      row = -1 - this.extraRows++;
      conv.pairs.set(pair, row);
    }
    return row;
  }

  private remember(map: Map<string, Conv>, key: string, conv: Conv): void {
    if (map.size >= this.limit) {
      // Forget the oldest eighth (Map keeps insertion order).
      let n = Math.floor(this.limit / 8);
      for (const k of map.keys()) {
        map.delete(k);
        if (--n <= 0) break;
      }
    }
    map.set(key, conv);
  }
}
