import { CaptureDamageError, CaptureFormatError } from './errors.js';
import type { CaptureInterface, CaptureSection, Frame } from './frame.js';
import { MAX_RECORD_HARD, MAX_RECORD_STANDARD } from './pcap.js';
import { RecordStream } from './record-stream.js';
import { type DecryptionSecrets, MAX_SECRETS_BYTES } from './secrets.js';

/** pcapng block types. */
export const PCAPNG_BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CB: 0x00000bad,
  DCB: 0x40000bad,
} as const;

const BLOCK_NAMES: ReadonlyMap<number, string> = new Map([
  [PCAPNG_BLOCK.SHB, 'SHB'],
  [PCAPNG_BLOCK.IDB, 'IDB'],
  [PCAPNG_BLOCK.PB, 'PB'],
  [PCAPNG_BLOCK.SPB, 'SPB'],
  [PCAPNG_BLOCK.NRB, 'NRB'],
  [PCAPNG_BLOCK.ISB, 'ISB'],
  [PCAPNG_BLOCK.EPB, 'EPB'],
  [PCAPNG_BLOCK.DSB, 'DSB'],
  [PCAPNG_BLOCK.CB, 'CB'],
  [PCAPNG_BLOCK.DCB, 'DCB'],
]);

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Largest block we buffer: a packet at the hard record limit plus generous room for options. */
export const MAX_BLOCK_SIZE = MAX_RECORD_HARD + 64 * 1024;
const MIN_BLOCK = 12;
/**
 * Most interface descriptions in one file (all sections together). Each costs about 300 bytes
 * kept for the whole read, so 20-byte blocks could otherwise make memory grow 15 times faster
 * than the file; real captures have a handful.
 */
export const MAX_INTERFACES = 1_000_000;
/** Most section header blocks in one file, for the same reason (about 250 bytes kept each). */
export const MAX_SECTIONS = 1_000_000;

/** Option codes (pcapng draft, section 4). */
const OPT = {
  END: 0,
  COMMENT: 1,
  SHB_HARDWARE: 2,
  SHB_OS: 3,
  SHB_USERAPPL: 4,
  IF_NAME: 2,
  IF_DESCRIPTION: 3,
  IF_SPEED: 8,
  IF_TSRESOL: 9,
  IF_FILTER: 11,
  IF_OS: 12,
  IF_FCSLEN: 13,
  IF_TSOFFSET: 14,
  IF_HARDWARE: 15,
  EPB_FLAGS: 2,
} as const;

interface Option {
  readonly code: number;
  readonly start: number;
  readonly length: number;
}

const utf8 = new TextDecoder('utf-8');

/** Decimal digits a timestamp resolution of `unitsPerSec` ticks per second supports (at most 9). */
export function tsDigitsFor(unitsPerSec: bigint): number {
  let digits = 0;
  let p = 10n;
  while (digits < 9 && p <= unitsPerSec) {
    digits++;
    p *= 10n;
  }
  return digits;
}

/**
 * pcapng: sections in either byte order, interfaces with their own link types and timestamp
 * resolutions, Enhanced, Simple and (obsolete) Packet Blocks, custom blocks as frames;
 * every other block is counted and skipped by its length.
 */
export class PcapngParser extends RecordStream {
  protected peekSize = MIN_BLOCK;
  readonly sections: CaptureSection[] = [];
  /** All interfaces of all sections, in file order (their index is the global interface number). */
  readonly interfaces: CaptureInterface[] = [];
  readonly blockCounts = new Map<string, number>();
  /** Decryption Secrets Blocks read so far, in file order (the array grows as blocks are read). */
  readonly secrets: DecryptionSecrets[] = [];
  private secretsBytes = 0;

  private le = true;
  private sectionIfaces: CaptureInterface[] = [];
  /** Global interface number of each interface of the current section. */
  private sectionGlobal: number[] = [];

  protected recordSize(dv: DataView, o: number): number {
    const type = dv.getUint32(o, this.le);
    let le = this.le;
    if (type === PCAPNG_BLOCK.SHB) {
      const bom = dv.getUint32(o + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else if (this.sections.length === 0) throw new CaptureFormatError('pcapng section header has no valid byte-order magic', o + 8);
      else throw this.damage('section header block has no valid byte-order magic');
    }
    const size = dv.getUint32(o + 4, le);
    if (size < MIN_BLOCK || size % 4 !== 0) {
      throw this.damage(`block length ${size} is ${size < MIN_BLOCK ? 'below the 12-byte minimum' : 'not a multiple of 4'}`);
    }
    if (size > MAX_BLOCK_SIZE) throw this.damage(`block length ${size} exceeds the ${MAX_BLOCK_SIZE}-byte limit`);
    return size;
  }

  protected cutShortMessage(have: number, size: number): string {
    if (size === 0) return `cut short in a block header: ${have} of ${MIN_BLOCK} bytes`;
    return `cut short in the middle of a block: ${have} of ${size} bytes present`;
  }

  protected record(buf: Buffer, dv: DataView, o: number, size: number, out: Frame[]): void {
    const type = dv.getUint32(o, this.le);
    if (type === PCAPNG_BLOCK.SHB) this.readSectionHeader(buf, dv, o, size);
    else if (this.sections.length === 0) throw new CaptureFormatError('pcapng file does not start with a section header block', o);
    if (dv.getUint32(o + size - 4, this.le) !== size) {
      throw this.damage(`block length ${size} does not match its trailing copy ${dv.getUint32(o + size - 4, this.le)}`);
    }
    const name = BLOCK_NAMES.get(type) ?? 'other';
    this.blockCounts.set(name, (this.blockCounts.get(name) ?? 0) + 1);
    switch (type) {
      case PCAPNG_BLOCK.IDB:
        this.readInterface(buf, dv, o, size);
        break;
      case PCAPNG_BLOCK.EPB:
        out.push(this.readPacket(buf, dv, o, size, dv.getUint32(o + 8, this.le), 28));
        break;
      case PCAPNG_BLOCK.PB:
        out.push(this.readPacket(buf, dv, o, size, dv.getUint16(o + 8, this.le), 28));
        break;
      case PCAPNG_BLOCK.SPB:
        out.push(this.readSimplePacket(buf, dv, o, size));
        break;
      case PCAPNG_BLOCK.CB:
      case PCAPNG_BLOCK.DCB:
        out.push(this.readCustom(buf, o, size));
        break;
      case PCAPNG_BLOCK.DSB:
        this.readSecrets(buf, dv, o, size);
        break;
      default:
        break;
    }
  }

  /**
   * A damage report for the block being read, at its offset in the stream (`this.offset`; the
   * `o` the readers get is a position in the current chunk, right only in the first one).
   */
  private damage(reason: string): CaptureDamageError {
    return new CaptureDamageError(reason, this.offset, this.frames + 1);
  }

  /** Walks the options of the block at `o` from `from` (block-relative) to the trailer. */
  private options(dv: DataView, o: number, from: number, size: number): Option[] {
    const list: Option[] = [];
    let p = o + from;
    const end = o + size - 4;
    while (p + 4 <= end) {
      const code = dv.getUint16(p, this.le);
      const length = dv.getUint16(p + 2, this.le);
      if (code === OPT.END) break;
      if (p + 4 + length > end) {
        throw this.damage(`option ${code} of length ${length} overruns its block (${end - p - 4} bytes left)`);
      }
      list.push({ code, start: p + 4, length });
      p += 4 + ((length + 3) & ~3);
    }
    return list;
  }

  private text(buf: Buffer, opt: Option): string {
    let end = opt.start + opt.length;
    while (end > opt.start && buf[end - 1] === 0) end--;
    return utf8.decode(buf.subarray(opt.start, end));
  }

  private readSectionHeader(buf: Buffer, dv: DataView, o: number, size: number): void {
    const le = dv.getUint32(o + 8, true) === BYTE_ORDER_MAGIC;
    if (size < 28) throw this.damage(`section header block of ${size} bytes is shorter than 28`);
    if (this.sections.length >= MAX_SECTIONS) throw this.damage(`more than ${MAX_SECTIONS} sections (the limit)`);
    const major = dv.getUint16(o + 12, le);
    const minor = dv.getUint16(o + 14, le);
    if (!(major === 1 && (minor === 0 || minor === 2))) {
      const why = `pcapng section version ${major}.${minor} is not supported (1.0 and 1.2 only)`;
      if (this.sections.length === 0) throw new CaptureFormatError(why, o + 12);
      throw this.damage(why);
    }
    this.le = le;
    this.sectionIfaces = [];
    this.sectionGlobal = [];
    let hardware: string | undefined;
    let os: string | undefined;
    let application: string | undefined;
    const comments: string[] = [];
    for (const opt of this.options(dv, o, 24, size)) {
      if (opt.code === OPT.COMMENT) comments.push(this.text(buf, opt));
      else if (opt.code === OPT.SHB_HARDWARE) hardware = this.text(buf, opt);
      else if (opt.code === OPT.SHB_OS) os = this.text(buf, opt);
      else if (opt.code === OPT.SHB_USERAPPL) application = this.text(buf, opt);
    }
    this.sections.push({
      index: this.sections.length,
      byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`,
      hardware,
      os,
      application,
      comments,
    });
  }

  private readInterface(buf: Buffer, dv: DataView, o: number, size: number): void {
    if (size < 20) throw this.damage(`interface description block of ${size} bytes is shorter than 20`);
    if (this.interfaces.length >= MAX_INTERFACES) throw this.damage(`more than ${MAX_INTERFACES} interface descriptions (the limit)`);
    let unitsPerSec = 1_000_000n;
    let tsresol: number | undefined;
    let tsOffset = 0n;
    let name: string | undefined;
    let description: string | undefined;
    let os: string | undefined;
    let hardware: string | undefined;
    let filter: string | undefined;
    let fcsLength: number | undefined;
    let speed: bigint | undefined;
    for (const opt of this.options(dv, o, 16, size)) {
      switch (opt.code) {
        case OPT.IF_NAME:
          name = this.text(buf, opt);
          break;
        case OPT.IF_DESCRIPTION:
          description = this.text(buf, opt);
          break;
        case OPT.IF_OS:
          os = this.text(buf, opt);
          break;
        case OPT.IF_HARDWARE:
          hardware = this.text(buf, opt);
          break;
        case OPT.IF_FILTER:
          if (opt.length > 1) filter = this.text(buf, { code: opt.code, start: opt.start + 1, length: opt.length - 1 });
          break;
        case OPT.IF_TSRESOL:
          if (opt.length >= 1) {
            tsresol = buf[opt.start]!;
            const exp = BigInt(tsresol & 0x7f);
            unitsPerSec = (tsresol & 0x80) !== 0 ? 1n << exp : 10n ** exp;
          }
          break;
        case OPT.IF_TSOFFSET:
          if (opt.length >= 8) tsOffset = dv.getBigInt64(opt.start, this.le);
          break;
        case OPT.IF_FCSLEN:
          if (opt.length >= 1) fcsLength = buf[opt.start]!;
          break;
        case OPT.IF_SPEED:
          if (opt.length >= 8) speed = dv.getBigUint64(opt.start, this.le);
          break;
        default:
          break;
      }
    }
    const iface: CaptureInterface = {
      id: this.sectionIfaces.length,
      section: this.sections.length - 1,
      linkType: dv.getUint16(o + 8, this.le),
      snaplen: dv.getUint32(o + 12, this.le),
      tsUnitsPerSec: unitsPerSec,
      tsDigits: tsDigitsFor(unitsPerSec),
      tsresol,
      tsOffset,
      name,
      description,
      os,
      hardware,
      filter,
      fcsLength,
      speed,
    };
    this.sectionIfaces.push(iface);
    this.sectionGlobal.push(this.interfaces.length);
    this.interfaces.push(iface);
  }

  private interfaceFor(id: number): CaptureInterface {
    const iface = this.sectionIfaces[id];
    if (iface === undefined) {
      throw this.damage(`packet names interface ${id} but its section has ${this.sectionIfaces.length}`);
    }
    return iface;
  }

  private checkCapLen(cap: number, room: number, iface: CaptureInterface): void {
    if (cap > room) throw this.damage(`packet claims ${cap} captured bytes but its block holds ${room}`);
    if (cap > MAX_RECORD_STANDARD && cap > iface.snaplen) {
      throw this.damage(`packet claims ${cap} captured bytes, more than the snaplen (${iface.snaplen}) and ${MAX_RECORD_STANDARD}`);
    }
  }

  /** Enhanced Packet Block and the obsolete Packet Block share their layout from byte 12 on. */
  private readPacket(buf: Buffer, dv: DataView, o: number, size: number, ifaceId: number, dataAt: number): Frame {
    if (size < 32) throw this.damage(`packet block of ${size} bytes is shorter than 32`);
    const le = this.le;
    const iface = this.interfaceFor(ifaceId);
    const cap = dv.getUint32(o + 20, le);
    this.checkCapLen(cap, size - dataAt - 4, iface);
    const [tsSec, tsNsec] = timestamp(dv.getUint32(o + 12, le), dv.getUint32(o + 16, le), iface);
    let comments: string[] | undefined;
    let flags: number | undefined;
    for (const opt of this.options(dv, o, dataAt + ((cap + 3) & ~3), size)) {
      if (opt.code === OPT.COMMENT) (comments ??= []).push(this.text(buf, opt));
      else if (opt.code === OPT.EPB_FLAGS && opt.length >= 4) flags = dv.getUint32(opt.start, le);
    }
    return {
      index: ++this.frames,
      kind: 'packet',
      tsSec,
      tsNsec,
      tsDigits: iface.tsDigits,
      hasTimestamp: true,
      capLen: cap,
      origLen: dv.getUint32(o + 24, le),
      linkType: iface.linkType,
      iface: ifaceId,
      ifaceGlobal: this.sectionGlobal[ifaceId]!,
      fileOffset: this.offset,
      // A plain view, as the pcap reader gives: no Buffer made per frame (its `subarray` builds one
      // through a constructor call), and every frame's data has the same shape.
      data: new Uint8Array(dv.buffer, dv.byteOffset + o + dataAt, cap),
      comments,
      flags,
    };
  }

  private readSimplePacket(buf: Buffer, dv: DataView, o: number, size: number): Frame {
    if (size < 16) throw this.damage(`simple packet block of ${size} bytes is shorter than 16`);
    const iface = this.interfaceFor(0);
    const orig = dv.getUint32(o + 8, this.le);
    let cap = Math.min(orig, size - 16);
    if (iface.snaplen !== 0 && cap > iface.snaplen) cap = iface.snaplen;
    return {
      index: ++this.frames,
      kind: 'packet',
      tsSec: 0,
      tsNsec: 0,
      tsDigits: iface.tsDigits,
      hasTimestamp: false,
      capLen: cap,
      origLen: orig,
      linkType: iface.linkType,
      iface: 0,
      ifaceGlobal: this.sectionGlobal[0]!,
      fileOffset: this.offset,
      data: new Uint8Array(dv.buffer, dv.byteOffset + o + 12, cap),
      comments: undefined,
      flags: undefined,
    };
  }

  /**
   * Decryption Secrets Block: secrets type, secrets length, the secrets (padded to 32 bits),
   * options. Kept as a copy for the dissection; a length overrunning the block is damage.
   */
  private readSecrets(buf: Buffer, dv: DataView, o: number, size: number): void {
    if (size < 20) throw this.damage(`decryption secrets block of ${size} bytes is shorter than 20`);
    const type = dv.getUint32(o + 8, this.le);
    const len = dv.getUint32(o + 12, this.le);
    if (len > size - 20) throw this.damage(`decryption secrets of ${len} bytes overrun their block (${size - 20} bytes)`);
    if (this.secretsBytes + len > MAX_SECRETS_BYTES) return;
    this.secretsBytes += len;
    this.secrets.push({ type, data: Uint8Array.from(buf.subarray(o + 16, o + 16 + len)), offset: this.offset });
  }

  /** Custom blocks: Wireshark shows the bytes after the Private Enterprise Number as a frame. */
  private readCustom(buf: Buffer, o: number, size: number): Frame {
    if (size < 16) throw this.damage(`custom block of ${size} bytes is shorter than 16`);
    const len = size - 16;
    return {
      index: ++this.frames,
      kind: 'custom',
      tsSec: 0,
      tsNsec: 0,
      tsDigits: 6,
      hasTimestamp: false,
      capLen: len,
      origLen: len,
      linkType: -1,
      iface: 0,
      ifaceGlobal: -1,
      fileOffset: this.offset,
      data: new Uint8Array(buf.buffer, buf.byteOffset + o + 12, len),
      comments: undefined,
      flags: undefined,
    };
  }
}

/**
 * Converts a 64-bit tick count to seconds and nanoseconds: exact integer arithmetic, number
 * fast path while the tick count fits in 53 bits, bigint otherwise.
 */
function timestamp(high: number, low: number, iface: CaptureInterface): [number, number] {
  const ups = iface.tsUnitsPerSec;
  if (high < 0x200000 && iface.tsOffset === 0n && ups <= 1_000_000_000n && 1_000_000_000n % ups === 0n) {
    const units = high * 0x100000000 + low;
    const u = Number(ups);
    const sec = Math.floor(units / u);
    return [sec, (units - sec * u) * (1_000_000_000 / u)];
  }
  const units = (BigInt(high) << 32n) | BigInt(low);
  const sec = units / ups + iface.tsOffset;
  const nsec = ((units % ups) * 1_000_000_000n) / ups;
  return [Number(sec), Number(nsec)];
}
