/**
 * tshark's `udp.stream`: the index of the Wireshark conversation a UDP datagram belongs to.
 * Normally one per address/port pair; but a few protocols open a conversation of their own with
 * the answering port left open (SNMP on any datagram not yet in one of its conversations, TFTP on
 * a request to port 69), and from then on that newer conversation is the one found for the pair,
 * in both directions: the first datagram is a stream of its own, everything after it another.
 *
 * Memory is bounded: past `limit` pairs the oldest are forgotten (a pair seen again then gets a
 * new stream, as a retired conversation row does).
 */

/** Protocols that open a conversation (this side's address and port, the other's address) for a datagram. */
const OPENS_CONVERSATION: Readonly<Record<string, (dstPort: number) => boolean>> = {
  snmp: () => true,
  tftp: (dp) => dp === 69,
};

interface Conv {
  /** Creation order across both kinds of conversation: the newest match wins. */
  readonly index: number;
  /** Given when a datagram first lands in the conversation. */
  stream: number;
  /** The protocol that opened it (undefined: UDP itself). */
  readonly opener: string | undefined;
}

export class UdpStreams {
  /** Exact conversations by unordered address/port pair. */
  private readonly exact = new Map<string, Conv>();
  /** Conversations with the second port open, by `address port address` (first side first). */
  private readonly open = new Map<string, Conv>();
  private convs = 0;
  private streams = 0;
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
    if (conv === undefined) {
      conv = { index: this.convs++, stream: -1, opener: undefined };
      this.remember(this.exact, key, conv);
    }
    if (conv.stream < 0) conv.stream = this.streams++;
    const stream = conv.stream;
    // The carried protocol's dissector runs after UDP has found the stream: it opens its own
    // conversation unless the datagram is in one of its conversations already.
    if (carries !== undefined && conv.opener !== carries && OPENS_CONVERSATION[carries]?.(dp) === true) {
      this.remember(this.open, `${a} ${dst}`, { index: this.convs++, stream: -1, opener: carries });
    }
    return stream;
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
