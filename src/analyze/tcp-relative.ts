/**
 * Relative TCP sequence numbers and scaled windows, as Wireshark's Info column shows them:
 * each direction of a connection counts from its first sequence number seen (its ISN when the
 * SYN was captured), and windows are multiplied by the scale both SYNs announced. Keyed by the
 * address/port 4-tuple; a new SYN restarts a direction. Bounded: past `maxDirections` the
 * oldest directions are forgotten.
 */
interface Direction {
  base: number;
  /** Window scale shift from this side's SYN: -1 none announced, undefined SYN not seen. */
  shift: number | undefined;
}

export interface RelativeSegment {
  readonly seq: number;
  readonly ack: number | undefined;
  readonly window: number;
}

export class TcpRelativeSeq {
  private readonly dirs = new Map<string, Direction>();
  private readonly maxDirections: number;

  constructor(maxDirections = 200_000) {
    this.maxDirections = maxDirections;
  }

  relative(src: string, sport: number, dst: string, dport: number, seq: number, ack: number, flags: number, window: number, wsShift: number | undefined): RelativeSegment {
    const fwdKey = `${src}\u0000${sport}\u0000${dst}\u0000${dport}`;
    const syn = (flags & 0x02) !== 0;
    let fwd = this.dirs.get(fwdKey);
    if (fwd === undefined || (syn && fwd.base !== seq)) {
      if (fwd === undefined && this.dirs.size >= this.maxDirections) this.dirs.delete(this.dirs.keys().next().value!);
      fwd = { base: seq, shift: undefined };
      this.dirs.set(fwdKey, fwd);
    }
    if (syn) fwd.shift = wsShift ?? -1;
    const rev = this.dirs.get(`${dst}\u0000${dport}\u0000${src}\u0000${sport}`);
    const relAck = (flags & 0x10) !== 0 && rev !== undefined ? (ack - rev.base) >>> 0 : undefined;
    // Windows in SYNs are never scaled; afterwards only if both sides announced a scale.
    const scaled = !syn && fwd.shift !== undefined && fwd.shift >= 0 && rev?.shift !== undefined && rev.shift >= 0;
    return { seq: (seq - fwd.base) >>> 0, ack: relAck, window: scaled ? window * 2 ** fwd.shift! : window };
  }
}
