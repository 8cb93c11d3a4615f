import type { Writable } from 'node:stream';
import { PCAP_MAGIC } from './pcap.js';
import { PCAPNG_BLOCK } from './pcapng.js';

/** What a writer needs of a packet: a subset of `Frame`, so frames read can be written back. */
export interface PacketToWrite {
  readonly tsSec: number;
  /** Nanoseconds, 0 to 999,999,999. */
  readonly tsNsec: number;
  readonly data: Uint8Array;
  /** On-the-wire length (default: the data length). */
  readonly origLen?: number;
  /** pcapng interface id (default 0). */
  readonly iface?: number;
  readonly comments?: readonly string[] | undefined;
  readonly flags?: number | undefined;
}

export interface PcapFileOptions {
  readonly linkType: number;
  readonly snaplen?: number;
  readonly nanosecond?: boolean;
  readonly bigEndian?: boolean;
}

/** The 24-byte classic pcap file header (version 2.4). */
export function encodePcapHeader(o: PcapFileOptions): Buffer {
  const b = Buffer.alloc(24);
  const le = o.bigEndian !== true;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  dv.setUint32(0, o.nanosecond === true ? PCAP_MAGIC.NSEC : PCAP_MAGIC.USEC, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, o.snaplen ?? 262144, le);
  dv.setUint32(20, o.linkType, le);
  return b;
}

/** One classic pcap record: 16-byte header plus the captured bytes. */
export function encodePcapRecord(p: PacketToWrite, o: PcapFileOptions): Buffer {
  const b = Buffer.alloc(16 + p.data.length);
  const le = o.bigEndian !== true;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  dv.setUint32(0, p.tsSec, le);
  dv.setUint32(4, o.nanosecond === true ? p.tsNsec : Math.floor(p.tsNsec / 1000), le);
  dv.setUint32(8, p.data.length, le);
  dv.setUint32(12, p.origLen ?? p.data.length, le);
  b.set(p.data, 16);
  return b;
}

export interface PcapngSectionOptions {
  readonly bigEndian?: boolean;
  readonly hardware?: string;
  readonly os?: string;
  readonly application?: string;
  readonly comment?: string;
}

export interface PcapngInterfaceOptions {
  readonly linkType: number;
  readonly snaplen?: number;
  /** The `if_tsresol` byte: 6 (µs, the default), 9 (ns), or 0x80 | n for 2^-n. */
  readonly tsresol?: number;
  readonly tsOffset?: bigint;
  readonly name?: string;
  readonly description?: string;
  readonly os?: string;
}

const te = new TextEncoder();

/** Builds pcapng blocks in one byte order. */
class BlockBuilder {
  private readonly parts: Buffer[] = [];
  private size = 0;
  private readonly le: boolean;

  constructor(le: boolean) {
    this.le = le;
  }

  u16(v: number): this {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return this.push(b);
  }

  u32(v: number): this {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return this.push(b);
  }

  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigUInt64LE(BigInt.asUintN(64, v));
    else b.writeBigUInt64BE(BigInt.asUintN(64, v));
    return this.push(b);
  }

  bytes(data: Uint8Array): this {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    const pad = (4 - (data.length % 4)) % 4;
    return pad > 0 ? this.push(Buffer.alloc(pad)) : this;
  }

  option(code: number, value: Uint8Array): this {
    return this.u16(code).u16(value.length).bytes(value);
  }

  textOption(code: number, value: string | undefined): this {
    return value === undefined ? this : this.option(code, te.encode(value));
  }

  endOptions(hadOptions: boolean): this {
    return hadOptions ? this.u32(0) : this;
  }

  /** Wraps the body in type, total length and trailing length. */
  block(type: number): Buffer {
    const total = this.size + 12;
    const head = new BlockBuilder(this.le).u32(type).u32(total);
    const tail = new BlockBuilder(this.le).u32(total);
    return Buffer.concat([...head.parts, ...this.parts, ...tail.parts], total);
  }

  get length(): number {
    return this.size;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
}

export function encodeSectionHeader(o: PcapngSectionOptions = {}): Buffer {
  const b = new BlockBuilder(o.bigEndian !== true).u32(0x1a2b3c4d).u16(1).u16(0).u64(-1n);
  const before = b.length;
  b.textOption(1, o.comment).textOption(2, o.hardware).textOption(3, o.os).textOption(4, o.application);
  return b.endOptions(b.length > before).block(PCAPNG_BLOCK.SHB);
}

export function encodeInterfaceDescription(i: PcapngInterfaceOptions, bigEndian = false): Buffer {
  const b = new BlockBuilder(!bigEndian).u16(i.linkType).u16(0).u32(i.snaplen ?? 0);
  const before = b.length;
  b.textOption(2, i.name).textOption(3, i.description);
  if (i.tsresol !== undefined) b.option(9, Uint8Array.of(i.tsresol));
  b.textOption(12, i.os);
  if (i.tsOffset !== undefined) {
    const v = Buffer.alloc(8);
    if (bigEndian) v.writeBigInt64BE(i.tsOffset);
    else v.writeBigInt64LE(i.tsOffset);
    b.option(14, v);
  }
  return b.endOptions(b.length > before).block(PCAPNG_BLOCK.IDB);
}

/** Ticks per second of an `if_tsresol` value. */
export function unitsPerSecond(tsresol: number | undefined): bigint {
  const r = tsresol ?? 6;
  return (r & 0x80) !== 0 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
}

export function encodeEnhancedPacket(p: PacketToWrite, iface: PcapngInterfaceOptions, bigEndian = false): Buffer {
  const ups = unitsPerSecond(iface.tsresol);
  const secs = BigInt(p.tsSec) - (iface.tsOffset ?? 0n);
  const units = secs * ups + (BigInt(p.tsNsec) * ups) / 1_000_000_000n;
  const b = new BlockBuilder(!bigEndian)
    .u32(p.iface ?? 0)
    .u32(Number(units >> 32n))
    .u32(Number(units & 0xffffffffn))
    .u32(p.data.length)
    .u32(p.origLen ?? p.data.length)
    .bytes(p.data);
  const before = b.length;
  for (const c of p.comments ?? []) b.textOption(1, c);
  if (p.flags !== undefined) b.u16(2).u16(4).u32(p.flags);
  return b.endOptions(b.length > before).block(PCAPNG_BLOCK.EPB);
}

export function encodeSimplePacket(p: PacketToWrite, bigEndian = false): Buffer {
  return new BlockBuilder(!bigEndian).u32(p.origLen ?? p.data.length).bytes(p.data).block(PCAPNG_BLOCK.SPB);
}

/** Writes buffers to a stream, waiting whenever the stream asks for it. */
async function writeAll(out: Writable, buf: Buffer): Promise<void> {
  if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/** Streams a classic pcap file. */
export class PcapWriter {
  private readonly out: Writable;
  private readonly options: PcapFileOptions;
  private started = false;

  constructor(out: Writable, options: PcapFileOptions) {
    this.out = out;
    this.options = options;
  }

  async write(p: PacketToWrite): Promise<void> {
    if (!this.started) {
      this.started = true;
      await writeAll(this.out, encodePcapHeader(this.options));
    }
    await writeAll(this.out, encodePcapRecord(p, this.options));
  }

  /** Writes the header if nothing was written, then ends the stream. */
  async close(): Promise<void> {
    if (!this.started) await writeAll(this.out, encodePcapHeader(this.options));
    this.started = true;
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

/** Streams a pcapng file: call `section` and `addInterface` before writing packets. */
export class PcapngWriter {
  private readonly out: Writable;
  private bigEndian = false;
  private interfaces: PcapngInterfaceOptions[] = [];

  constructor(out: Writable) {
    this.out = out;
  }

  async section(o: PcapngSectionOptions = {}): Promise<void> {
    this.bigEndian = o.bigEndian === true;
    this.interfaces = [];
    await writeAll(this.out, encodeSectionHeader(o));
  }

  /** Adds an interface to the current section; returns its id. */
  async addInterface(i: PcapngInterfaceOptions): Promise<number> {
    this.interfaces.push(i);
    await writeAll(this.out, encodeInterfaceDescription(i, this.bigEndian));
    return this.interfaces.length - 1;
  }

  async write(p: PacketToWrite): Promise<void> {
    const iface = this.interfaces[p.iface ?? 0];
    if (iface === undefined) throw new RangeError(`pcapng writer: no interface ${p.iface ?? 0} in this section`);
    await writeAll(this.out, encodeEnhancedPacket(p, iface, this.bigEndian));
  }

  async writeSimple(p: PacketToWrite): Promise<void> {
    await writeAll(this.out, encodeSimplePacket(p, this.bigEndian));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
