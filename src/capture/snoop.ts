import { CaptureDamageError, CaptureFormatError } from './errors.js';
import type { CaptureInterface, Frame } from './frame.js';
import { MAX_RECORD_STANDARD } from './pcap.js';
import { RecordStream } from './record-stream.js';

/** "snoop\0\0\0": Sun snoop (RFC 1761) captures, as Solaris `snoop` writes them. */
export const SNOOP_MAGIC = [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00, 0x00, 0x00] as const;

const HEADER_SIZE = 16;
const RECORD_HEADER = 24;

/** snoop datalink codes → LINKTYPE_ numbers (those Wireshark reads). */
const DATALINKS: Readonly<Record<number, number>> = {
  0: 1, // IEEE 802.3
  2: 6, // IEEE 802.5 token ring
  4: 1, // Ethernet
  8: 10, // FDDI
  0x1a: 242, // IP over InfiniBand
};

/** Big-endian snoop version 2 records: original, included and record lengths, drops, time. */
export class SnoopParser extends RecordStream {
  protected peekSize = HEADER_SIZE;
  iface: CaptureInterface | undefined;
  version = 0;
  private linkType = 1;

  protected recordSize(dv: DataView, o: number): number {
    if (this.iface === undefined) return HEADER_SIZE;
    const incl = dv.getUint32(o + 4);
    const size = dv.getUint32(o + 8);
    if (incl > MAX_RECORD_STANDARD) {
      throw new CaptureDamageError(`record claims ${incl} captured bytes, more than the ${MAX_RECORD_STANDARD}-byte limit`, this.offset, this.frames + 1);
    }
    if (size < RECORD_HEADER + incl || size > RECORD_HEADER + incl + 64) {
      throw new CaptureDamageError(`record length ${size} does not fit its ${incl} captured bytes`, this.offset, this.frames + 1);
    }
    return size;
  }

  protected record(_buf: Buffer, dv: DataView, o: number, _size: number, out: Frame[]): void {
    if (this.iface === undefined) {
      this.readHeader(dv, o);
      return;
    }
    const incl = dv.getUint32(o + 4);
    out.push({
      index: ++this.frames,
      kind: 'packet',
      tsSec: dv.getUint32(o + 16),
      tsNsec: (dv.getUint32(o + 20) * 1000) | 0,
      tsDigits: 6,
      hasTimestamp: true,
      capLen: incl,
      origLen: dv.getUint32(o),
      linkType: this.linkType,
      iface: 0,
      ifaceGlobal: 0,
      fileOffset: this.offset,
      data: new Uint8Array(dv.buffer, dv.byteOffset + o + RECORD_HEADER, incl),
      comments: undefined,
      flags: undefined,
    });
  }

  protected cutShortMessage(have: number, size: number): string {
    if (this.iface === undefined) return `file header cut short: ${have} of ${HEADER_SIZE} bytes`;
    if (size === 0) return `cut short in a record header: ${have} of ${RECORD_HEADER} bytes`;
    return `cut short in the middle of a packet: ${have} of ${size} record bytes present`;
  }

  private readHeader(dv: DataView, o: number): void {
    this.version = dv.getUint32(o + 8);
    if (this.version !== 2) throw new CaptureFormatError(`snoop version ${this.version} is not supported (2 only)`, o + 8);
    const code = dv.getUint32(o + 12);
    const lt = DATALINKS[code];
    if (lt === undefined) throw new CaptureFormatError(`snoop datalink type ${code} is not supported`, o + 12);
    this.linkType = lt;
    this.peekSize = RECORD_HEADER;
    this.iface = {
      id: 0,
      section: 0,
      linkType: lt,
      snaplen: 0,
      tsUnitsPerSec: 1_000_000n,
      tsDigits: 6,
      tsresol: undefined,
      tsOffset: 0n,
      name: undefined,
      description: undefined,
      os: undefined,
      hardware: undefined,
      filter: undefined,
      fcsLength: undefined,
      speed: undefined,
    };
  }
}
