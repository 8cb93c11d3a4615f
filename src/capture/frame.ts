/**
 * What a capture reader yields: one record of a capture file, with its bytes as a view into
 * the chunk it was read from (copied once only when the record straddled two chunks).
 */

/** The container format, named as capinfos names it. */
export type CaptureFormat = 'pcap' | 'nsecpcap' | 'modpcap' | 'pcapng' | 'snoop';

/**
 * `packet` is a captured packet. `custom` is a pcapng Custom Block (CB/DCB): Wireshark shows
 * it as a frame of its own and counts it in frame numbers, so we do too.
 */
export type FrameKind = 'packet' | 'custom';

export interface Frame {
  /** 1-based record number, as Wireshark numbers frames. */
  readonly index: number;
  readonly kind: FrameKind;
  /**
   * Timestamp: whole seconds since the epoch and the fraction in nanoseconds, exactly as the
   * file records them. The fraction is not normalised: a pcap record whose microsecond field
   * holds 1,000,000 keeps `tsNsec` 1e9, as Wireshark keeps it.
   */
  readonly tsSec: number;
  readonly tsNsec: number;
  /** Decimal digits of the timestamp's resolution (6 for µs pcap, 9 for ns, per interface in pcapng). */
  readonly tsDigits: number;
  /** False for records that carry no timestamp (pcapng Simple Packet Blocks, custom blocks). */
  readonly hasTimestamp: boolean;
  readonly capLen: number;
  readonly origLen: number;
  /** LINKTYPE_ number (low 16 bits of the pcap header field; the IDB's for pcapng); -1 for custom blocks. */
  readonly linkType: number;
  /** pcapng interface id within its section (0 for pcap). */
  readonly iface: number;
  /** Interface number across the whole file (pcapng sections renumber interfaces). */
  readonly ifaceGlobal: number;
  /** Byte offset of the record header in the (decompressed) capture stream. */
  readonly fileOffset: number;
  /** The captured bytes: a view, never a copy made for this frame alone. */
  readonly data: Uint8Array;
  /** pcapng `opt_comment` values of the packet block. */
  readonly comments: readonly string[] | undefined;
  /** pcapng `epb_flags` (direction, reception type, FCS length, link-layer errors). */
  readonly flags: number | undefined;
}

/** What a frame made from bytes in memory (built, fuzzed, or a test's) may set; the rest defaults. */
export interface MemoryFrameOptions {
  readonly index?: number;
  readonly linkType?: number;
  readonly origLen?: number;
  readonly tsSec?: number;
  readonly tsNsec?: number;
  readonly tsDigits?: number;
  readonly comments?: readonly string[] | undefined;
}

/** A packet frame around bytes held in memory: interface 0, no file offset, no flags. */
export function memoryFrame(data: Uint8Array, o: MemoryFrameOptions = {}): Frame {
  return {
    index: o.index ?? 1,
    kind: 'packet',
    tsSec: o.tsSec ?? 0,
    tsNsec: o.tsNsec ?? 0,
    tsDigits: o.tsDigits ?? 9,
    hasTimestamp: true,
    capLen: data.length,
    origLen: o.origLen ?? data.length,
    linkType: o.linkType ?? 1,
    iface: 0,
    ifaceGlobal: 0,
    fileOffset: 0,
    data,
    comments: o.comments,
    flags: undefined,
  };
}

/**
 * Where times count from, for code that sees only some of a capture's frames (frames spread
 * over threads): the first frame with a timestamp, and the last one before this frame.
 */
export interface TimeReference {
  readonly firstSec: number;
  readonly firstNsec: number;
  readonly prevSec: number;
  readonly prevNsec: number;
  /** False when no earlier frame had a timestamp. */
  readonly hasPrevious: boolean;
}

/** One interface of the capture: the pcap file header, or a pcapng Interface Description Block. */
export interface CaptureInterface {
  readonly id: number;
  readonly section: number;
  readonly linkType: number;
  /** 0 when the file says "no limit" (pcapng) or leaves it unset. */
  readonly snaplen: number;
  /** Ticks per second of this interface's timestamps, and the decimal digits they resolve. */
  readonly tsUnitsPerSec: bigint;
  readonly tsDigits: number;
  /** The raw `if_tsresol` byte, when the IDB had one. */
  readonly tsresol: number | undefined;
  readonly tsOffset: bigint;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly os: string | undefined;
  readonly hardware: string | undefined;
  readonly filter: string | undefined;
  readonly fcsLength: number | undefined;
  readonly speed: bigint | undefined;
}

/** A pcapng Section Header Block's facts (pcap files have one implicit section). */
export interface CaptureSection {
  readonly index: number;
  readonly byteOrder: 'little' | 'big';
  readonly version: string;
  readonly hardware: string | undefined;
  readonly os: string | undefined;
  readonly application: string | undefined;
  readonly comments: readonly string[];
}

/** Where and why reading stopped early. Packets before it were all delivered. */
export interface CaptureDamage {
  readonly message: string;
  /** Byte offset in the (decompressed) stream where the bad record or block starts. */
  readonly offset: number;
  /** The number the next frame would have had. */
  readonly frame: number;
}
