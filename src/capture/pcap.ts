import { CaptureDamageError, CaptureFormatError } from './errors.js';
import type { CaptureFormat, CaptureInterface, Frame } from './frame.js';
import { RecordStream } from './record-stream.js';

/** Magic numbers of classic pcap files, as read little-endian from the first 4 bytes. */
export const PCAP_MAGIC = {
  USEC: 0xa1b2c3d4,
  NSEC: 0xa1b23c4d,
  /** Alexey Kuznetzov's "modified" pcap: 24-byte record headers. */
  MODIFIED: 0xa1b2cd34,
} as const;

const FILE_HEADER_SIZE = 24;
/** Records up to this size are read whatever the snaplen says (Wireshark's standard maximum). */
export const MAX_RECORD_STANDARD = 256 * 1024;
/** No record is ever read above this, whatever the header claims: memory stays bounded. */
export const MAX_RECORD_HARD = 16 * 1024 * 1024;

/** Bits of the pcap link-type field that must be zero (between the link type and the FCS bits). */
const LINKTYPE_RESERVED_MASK = 0x03ff0000;

export interface PcapHeader {
  readonly format: CaptureFormat;
  readonly byteOrder: 'little' | 'big';
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly thiszone: number;
  readonly sigfigs: number;
  readonly snaplen: number;
  /** The whole 32-bit link-type field (FCS length bits included). */
  readonly linkTypeField: number;
  readonly linkType: number;
}

/** Which of the 4 magic orders a pcap file starts with, or undefined. */
export function pcapMagicOf(b: Uint8Array): { format: CaptureFormat; littleEndian: boolean } | undefined {
  if (b.length < 4) return undefined;
  const le = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  const be = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  for (const [m, format] of [
    [PCAP_MAGIC.USEC, 'pcap'],
    [PCAP_MAGIC.NSEC, 'nsecpcap'],
    [PCAP_MAGIC.MODIFIED, 'modpcap'],
  ] as const) {
    if (le === m) return { format, littleEndian: true };
    if (be === m) return { format, littleEndian: false };
  }
  return undefined;
}

/**
 * Classic pcap, all variants: microsecond and nanosecond, either byte order, modified
 * (Kuznetzov) records, and pre-2.3 files whose record lengths are stored the other way round.
 */
export class PcapParser extends RecordStream {
  protected peekSize = FILE_HEADER_SIZE;
  header: PcapHeader | undefined;
  iface: CaptureInterface | undefined;

  private le = true;
  private recHeader = 16;
  private nsScale = 1000;
  private swapLengths = false;
  private maybeSwapped = false;
  private maxCapLen = MAX_RECORD_STANDARD;
  private linkType = 1;

  protected recordSize(dv: DataView, o: number): number {
    if (this.header === undefined) return FILE_HEADER_SIZE;
    let cap = dv.getUint32(o + 8, this.le);
    if (this.swapLengths) {
      const orig = dv.getUint32(o + 12, this.le);
      if (!this.maybeSwapped || cap > orig) cap = orig;
    }
    if (cap > this.maxCapLen) {
      throw new CaptureDamageError(
        `record claims ${cap} captured bytes, more than the snaplen (${this.header.snaplen}) and the ${this.maxCapLen}-byte limit`,
        this.offset,
        this.frames + 1,
      );
    }
    return this.recHeader + cap;
  }

  protected record(_buf: Buffer, dv: DataView, o: number, _size: number, out: Frame[]): void {
    if (this.header === undefined) {
      this.readHeader(dv, o);
      return;
    }
    let cap = dv.getUint32(o + 8, this.le);
    let orig = dv.getUint32(o + 12, this.le);
    if (this.swapLengths && (!this.maybeSwapped || cap > orig)) {
      const t = cap;
      cap = orig;
      orig = t;
    }
    this.pushFrame(dv, o, cap, orig, out);
  }

  /** The per-record hot path: size check and frame in one call, for the common record layouts. */
  protected override step(buf: Buffer, dv: DataView, o: number, avail: number, out: Frame[]): number {
    if (this.header === undefined || this.swapLengths) return super.step(buf, dv, o, avail, out);
    const le = this.le;
    const cap = dv.getUint32(o + 8, le);
    const size = this.recHeader + cap;
    if (cap > this.maxCapLen) this.recordSize(dv, o); // throws the damage report
    if (size > avail) return -1;
    this.pushFrame(dv, o, cap, dv.getUint32(o + 12, le), out);
    return size;
  }

  private pushFrame(dv: DataView, o: number, cap: number, orig: number, out: Frame[]): void {
    const le = this.le;
    out.push({
      index: ++this.frames,
      kind: 'packet',
      tsSec: dv.getUint32(o, le),
      // 32-bit signed, as Wireshark stores it: an out-of-range fraction wraps the same way there.
      tsNsec: (dv.getUint32(o + 4, le) * this.nsScale) | 0,
      tsDigits: this.nsScale === 1 ? 9 : 6,
      hasTimestamp: true,
      capLen: cap,
      origLen: orig,
      linkType: this.linkType,
      iface: 0,
      ifaceGlobal: 0,
      fileOffset: this.offset,
      // The DataView's buffer and offset: a Buffer's `buffer` getter is a call into V8's runtime per frame.
      data: new Uint8Array(dv.buffer, dv.byteOffset + o + this.recHeader, cap),
      comments: undefined,
      flags: undefined,
    });
  }

  protected cutShortMessage(have: number, size: number): string {
    if (this.header === undefined) return `file header cut short: ${have} of ${FILE_HEADER_SIZE} bytes`;
    if (size === 0) return `cut short in a record header: ${have} of ${this.recHeader} bytes`;
    return `cut short in the middle of a packet: ${have - this.recHeader} of ${size - this.recHeader} captured bytes present`;
  }

  private readHeader(dv: DataView, o: number): void {
    const magic = pcapMagicOf(new Uint8Array(dv.buffer, dv.byteOffset + o, 4));
    if (magic === undefined) throw new CaptureFormatError('not a pcap file header', o);
    const le = magic.littleEndian;
    const versionMajor = dv.getUint16(o + 4, le);
    const versionMinor = dv.getUint16(o + 6, le);
    if (versionMajor < 2) {
      throw new CaptureFormatError(`pcap version ${versionMajor}.${versionMinor} is not supported (2.x only)`, o + 4);
    }
    const linkTypeField = dv.getUint32(o + 20, le);
    if ((linkTypeField & LINKTYPE_RESERVED_MASK) !== 0) {
      throw new CaptureFormatError(
        `pcap link-type field 0x${linkTypeField.toString(16).padStart(8, '0')} has reserved bits set`,
        o + 20,
      );
    }
    const snaplen = dv.getUint32(o + 16, le);
    this.le = le;
    this.nsScale = magic.format === 'nsecpcap' ? 1 : 1000;
    this.recHeader = magic.format === 'modpcap' ? 24 : 16;
    this.peekSize = this.recHeader;
    // Before format 2.3 the record header held the original length first; in 2.3 both orders exist.
    this.swapLengths = versionMajor === 2 && versionMinor <= 3;
    this.maybeSwapped = versionMajor === 2 && versionMinor === 3;
    this.maxCapLen = Math.max(MAX_RECORD_STANDARD, Math.min(snaplen, MAX_RECORD_HARD));
    this.linkType = linkTypeField & 0xffff;
    this.header = {
      format: magic.format,
      byteOrder: le ? 'little' : 'big',
      versionMajor,
      versionMinor,
      thiszone: dv.getInt32(o + 8, le),
      sigfigs: dv.getUint32(o + 12, le),
      snaplen,
      linkTypeField,
      linkType: this.linkType,
    };
    this.iface = {
      id: 0,
      section: 0,
      linkType: this.linkType,
      snaplen,
      tsUnitsPerSec: magic.format === 'nsecpcap' ? 1_000_000_000n : 1_000_000n,
      tsDigits: magic.format === 'nsecpcap' ? 9 : 6,
      tsresol: undefined,
      tsOffset: 0n,
      name: undefined,
      description: undefined,
      os: undefined,
      hardware: undefined,
      filter: undefined,
      fcsLength: (linkTypeField & 0x04000000) !== 0 ? ((linkTypeField >>> 28) & 0xf) * 2 : undefined,
      speed: undefined,
    };
  }
}
