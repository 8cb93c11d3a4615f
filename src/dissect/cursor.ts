/**
 * A bounded, recording reader over one frame. Protocol code reads linearly (`c.u16('udp.srcport')`);
 * a read past the captured end throws a private signal that the driver turns into a
 * *truncated* issue, a read past the length the packet itself claims a *malformed* one. Fields
 * already read stay in the tree.
 */
import type { KeyLog } from './keylog.js';
import { bitPicture, type FieldDecl, valueDisplay } from './field-types.js';
import type { FieldNode, FieldValue, Issue, IssueSeverity, LayerNode } from './tree.js';

export type DissectMode = 'full' | 'summary' | 'select';

/** Thrown inside the cursor; never escapes `dissectPacket`. */
export class DissectSignal {
  readonly kind: 'truncated' | 'malformed';
  readonly offset: number;
  readonly fieldKey: string | undefined;
  readonly message: string;
  constructor(kind: 'truncated' | 'malformed', offset: number, fieldKey: string | undefined, message: string) {
    this.kind = kind;
    this.offset = offset;
    this.fieldKey = fieldKey;
    this.message = message;
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

const DEC: readonly string[] = Array.from({ length: 256 }, (_, b) => String(b));
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const NO_ISSUES: Issue[] = [];
/** Most session entries one capture keeps (about 100 bytes each). */
const SESSION_LIMIT = 400_000;
const NO_FIELDS: readonly FieldNode[] = Object.freeze([]) as readonly FieldNode[];
const NO_BYTES = new Uint8Array(0);

/** A key's length (up to 63) and last character (7 bits), as an index into a 64 × 128 table. */
function keyShape(key: string): number {
  const n = key.length;
  return (n < 63 ? n : 63) * 128 + (n > 0 ? key.charCodeAt(n - 1) & 127 : 0);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * The bytes `[from, to)` of `buf` as text when all are ASCII (the same in every single-byte
 * decoding and in UTF-8), else undefined. A native slice and a regular-expression test cost far
 * less than a TextDecoder call on the short texts protocol headers carry.
 */
function asciiText(buf: Buffer, from: number, to: number): string | undefined {
  const s = buf.toString('latin1', from, to);
  return NON_ASCII.test(s) ? undefined : s;
}

/** log2 of the slots in each address-text cache. */
const ADDRESS_CACHE_BITS = 12;

/** The big-endian 16-bit value at `p` (the caller has checked the two bytes are there). */
export const u16At = (d: Uint8Array, p: number): number => (d[p]! << 8) | d[p + 1]!;

function readU32(d: Uint8Array, p: number, littleEndian: boolean): number {
  return littleEndian
    ? (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0
    : ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
}

/** Big-endian unsigned integer of 1 to 6 bytes. */
function readUint(d: Uint8Array, p: number, size: number): number {
  switch (size) {
    case 1:
      return d[p]!;
    case 2:
      return (d[p]! << 8) | d[p + 1]!;
    case 3:
      return (d[p]! << 16) | (d[p + 1]! << 8) | d[p + 2]!;
    case 4:
      return readU32(d, p, false);
    default: {
      let v = 0;
      for (let i = 0; i < size; i++) v = v * 256 + d[p + i]!;
      return v;
    }
  }
}

/** Position of the highest set bit counted from the MSB of a `bytes`-wide field, and the span. */
function maskBits(mask: number, bytes: number): { offset: number; length: number } {
  const width = bytes * 8;
  let hi: number;
  let lo: number;
  if (mask > 0 && mask <= 0xffffffff) {
    hi = 31 - Math.clz32(mask);
    lo = 31 - Math.clz32(mask & -mask);
  } else {
    hi = -1;
    lo = -1;
    for (let i = 0; i < width; i++) {
      if (Math.floor(mask / 2 ** i) % 2 === 1) {
        if (lo < 0) lo = i;
        hi = i;
      }
    }
  }
  return { offset: width - 1 - hi, length: hi - lo + 1 };
}

/** Lowest set bit of a mask, as a divisor. */
function maskShift(mask: number): number {
  if (mask > 0 && mask <= 0xffffffff) return (mask & -mask) >>> 0 || 0x80000000;
  let d = 1;
  while (mask > 0 && Math.floor(mask / d) % 2 === 0) d *= 2;
  return d;
}

export class Cursor {
  data: Uint8Array = new Uint8Array(0);
  private view: DataView | undefined;
  /** The frame's timestamp in seconds (for timing heuristics; 0 when the record has none). */
  time = 0;
  /** The same timestamp exactly: whole seconds and nanoseconds (for exact time differences). */
  tsSec = 0;
  tsNsec = 0;
  frameNumber = 0;
  /** The frame's link type (LINKTYPE_ number): for link layers whose variants share one dissector (with or without FCS). */
  linkType = 0;
  private readonly sessions = new Map<string, unknown>();
  /** TLS secrets of this capture, if any were given (QUIC decryption). */
  keyLog: KeyLog | undefined = undefined;
  /** `DissectOptions.maxTcpConnections` (undefined: the TCP analysis default). */
  maxTcpConnections: number | undefined = undefined;
  /** Absolute read position. */
  pos = 0;
  /** Start of the current layer. */
  start = 0;
  /** End of the captured bytes available to this layer. */
  capEnd = 0;
  /** End of the bytes this layer may claim, as lengths in the packet say (may exceed capEnd). */
  repEnd = 0;
  /** Context handed down the stack (e.g. `inError` inside ICMP error quotes). */
  ctx: Readonly<Record<string, unknown>> = {};
  /** Layers dissected so far in this packet (outermost first). */
  below: readonly LayerNode[] = [];
  /**
   * The summary so far, for a layer whose dissection stops on a truncated or malformed read:
   * protocols set it once they have read enough to say something (tshark keeps the Info text
   * written before the fault).
   */
  provisional: string | (() => string) | undefined;
  /** This layer's issues (a shared empty array until the first one is added). */
  issues: Issue[] = NO_ISSUES;

  readonly mode: DissectMode;
  readonly summaries: boolean;
  /** Whether stateful analysis (TCP sequence tracking) runs: off when no field needs it. */
  analysis = true;
  /**
   * Whether `info` records are read by anyone (analysers, lists, layers above that look
   * below): only a `select`-mode run that stops before application layers goes without.
   */
  infoWanted: boolean;
  /** Marks the shapes (length and last character) of wanted keys: a cheap first test. */
  private readonly wantedShapes: Uint8Array;
  private readonly decls: ReadonlyMap<string, FieldDecl>;
  private readonly strict: boolean;
  private readonly recording: boolean;
  private list: FieldNode[] = [];
  /** Where summary mode (nothing) and select mode (a few flat fields) record, reused per layer. */
  private scratch: FieldNode[] = [];
  private depth = 0;
  private readonly openStarts: number[] = [];
  private readonly openKeys: string[] = [];
  private readonly openLists: (FieldNode[] | undefined)[] = [];

  constructor(
    decls: ReadonlyMap<string, FieldDecl>,
    mode: DissectMode,
    wanted: ReadonlySet<string> | undefined,
    summaries: boolean,
    strict: boolean,
  ) {
    this.decls = decls;
    this.mode = mode;
    this.wantedShapes = new Uint8Array(64 * 128);
    for (const k of wanted ?? []) {
      this.wantedShapes[keyShape(k)] = 1;
      this.wantedDecls.set(k, decls.get(k) ?? null);
    }
    this.summaries = summaries;
    this.strict = strict;
    this.recording = mode !== 'summary';
    this.infoWanted = mode !== 'select';
  }

  /**
   * Whether a read of `key` is recorded, once fields are recorded at all: the test is made
   * before calling `record`, so a select-mode run pays no call for the many keys it skips.
   */
  private keeps(key: string): boolean {
    return this.mode === 'full' || this.isWanted(key);
  }

  /**
   * Whether a select-mode run wants `key` (most keys are ruled out by their shape alone). A key
   * found is remembered with its declaration, so that `record`, called next, looks up neither.
   */
  private isWanted(key: string): boolean {
    if (this.wantedShapes[keyShape(key)] !== 1) return false;
    const decl = this.wantedDecls.get(key);
    if (decl === undefined) return false;
    this.foundKey = key;
    this.foundDecl = decl;
    return true;
  }
  /** Select mode: each wanted key's declaration (null when no protocol declares it). */
  private readonly wantedDecls = new Map<string, FieldDecl | null>();
  private foundKey: string | undefined;
  private foundDecl: FieldDecl | null = null;

  /** Whether any field whose key starts with `prefix` would be recorded. */
  wantsAny(prefix: string): boolean {
    if (this.mode !== 'select') return this.mode === 'full';
    let v = this.prefixes.get(prefix);
    if (v === undefined) {
      v = false;
      for (const k of this.wantedDecls.keys()) if (k.startsWith(prefix)) v = true;
      this.prefixes.set(prefix, v);
    }
    return v;
  }
  private readonly prefixes = new Map<string, boolean>();

  /** Starts a frame. */
  resetFrame(data: Uint8Array, time: number, frameNumber: number): void {
    this.data = data;
    this.view = undefined;
    this.buffer = undefined;
    this.time = time;
    this.frameNumber = frameNumber;
  }

  /**
   * State a protocol keeps across the packets of one capture (TCP sequence tracking, a TLS
   * session's version), keyed by the protocol's own strings. Bounded: past `SESSION_LIMIT`
   * entries the oldest are forgotten.
   */
  session<T>(key: string, create: () => T): T {
    let v = this.sessions.get(key) as T | undefined;
    if (v === undefined) {
      if (this.sessions.size >= SESSION_LIMIT) {
        let n = SESSION_LIMIT / 10;
        for (const k of this.sessions.keys()) {
          this.sessions.delete(k);
          if (--n <= 0) break;
        }
      }
      v = create();
      this.sessions.set(key, v);
    }
    return v;
  }

  /** Replaces a session entry. */
  setSession(key: string, value: unknown): void {
    this.sessions.delete(key);
    this.sessions.set(key, value);
  }

  /** An existing session entry, or undefined. */
  peekSession<T>(key: string): T | undefined {
    return this.sessions.get(key) as T | undefined;
  }

  /** A Buffer over the frame's bytes (no copy; offsets as in the frame), made when first asked for. */
  private get frameBuffer(): Buffer {
    return (this.buffer ??= Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength));
  }
  private buffer: Buffer | undefined = undefined;

  /** A DataView over the frame (offsets as in the frame), made when first asked for. */
  get dv(): DataView {
    return (this.view ??= new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength));
  }

  /** Adds an issue to the current layer. */
  addIssue(issue: Issue): void {
    if (this.issues === NO_ISSUES) this.issues = [];
    this.issues.push(issue);
  }

  /** Starts a layer at `start` with the given captured and reported ends; returns its field list. */
  beginLayer(start: number, capEnd: number, repEnd: number, ctx: Readonly<Record<string, unknown>>, below: readonly LayerNode[]): void {
    this.pos = start;
    this.start = start;
    this.repEnd = repEnd;
    this.capEnd = Math.min(capEnd, repEnd);
    this.ctx = ctx;
    this.below = below;
    this.issues = NO_ISSUES;
    this.provisional = undefined;
    // Outside full mode fields land in `scratch`, a fresh array once a layer has kept the last
    // one (or when a layer was dropped, as by a handoff, without taking its fields).
    if (this.scratch.length !== 0) this.scratch = [];
    this.list = this.mode === 'full' ? [] : this.scratch;
    this.depth = 0;
  }

  /** The fields recorded for the layer just dissected (shared empty array when none). */
  takeFields(): readonly FieldNode[] {
    if (this.mode === 'full') return this.list;
    if (this.scratch.length === 0) return NO_FIELDS;
    const kept = this.scratch;
    this.scratch = [];
    return kept;
  }

  // ------------------------------------------------------------------ bounds

  /** Captured bytes left from the position. */
  remaining(): number {
    return this.capEnd - this.pos;
  }

  /** Bytes left as the packet's lengths say (may exceed what was captured). */
  reportedRemaining(): number {
    return this.repEnd - this.pos;
  }

  /** Throws the right signal unless `n` bytes can be read at absolute offset `at`. */
  need(n: number, key?: string, at: number = this.pos): void {
    if (n < 0 || at + n > this.capEnd) this.overrun(n, key, at);
  }

  private overrun(n: number, key: string | undefined, at: number): never {
    const what = key ?? 'field';
    if (n >= 0 && at + n <= this.repEnd) {
      throw new DissectSignal('truncated', at, key, `${what}: ${n} bytes needed at offset ${at}, capture ends at ${this.capEnd}`);
    }
    throw new DissectSignal('malformed', at, key, `${what}: ${n} bytes needed at offset ${at}, packet ends at ${this.repEnd}`);
  }

  /**
   * Limits this layer (and what it carries) to `length` bytes from its start, as a length
   * field says. Bytes after that belong to an outer layer (padding, trailer).
   */
  limit(length: number, key?: string): void {
    const end = this.start + length;
    if (end > this.repEnd) {
      this.expert('warning', `length ${length} exceeds the ${this.repEnd - this.start} bytes available`, key);
      return;
    }
    this.repEnd = end;
    if (this.capEnd > end) this.capEnd = end;
  }

  /** Moves to an absolute offset (must lie within the layer's captured bytes). */
  seek(offset: number): void {
    if (offset > this.capEnd) this.overrun(offset - this.pos, undefined, this.pos);
    this.pos = offset;
  }

  skip(n: number, key?: string): void {
    this.need(n, key);
    this.pos += n;
  }

  // ------------------------------------------------------------------ issues

  expert(severity: IssueSeverity, message: string, key?: string, offset: number = this.pos): void {
    this.addIssue({ kind: 'expert', severity, offset, fieldKey: key, message });
  }

  /** Impossible structure: stops this layer (marked malformed) and the dissection of the packet. */
  malformed(message: string, key?: string, offset: number = this.pos): never {
    throw new DissectSignal('malformed', offset, key, message);
  }

  // ------------------------------------------------------------------ peeking (no recording, no advance)

  peek8(rel = 0): number {
    const at = this.pos + rel;
    if (at + 1 > this.capEnd) this.overrun(1, undefined, at);
    return this.data[at]!;
  }

  peek16(rel = 0, littleEndian = false): number {
    const at = this.pos + rel;
    if (at + 2 > this.capEnd) this.overrun(2, undefined, at);
    const d = this.data;
    return littleEndian ? d[at]! | (d[at + 1]! << 8) : (d[at]! << 8) | d[at + 1]!;
  }

  peek32(rel = 0, littleEndian = false): number {
    const at = this.pos + rel;
    if (at + 4 > this.capEnd) this.overrun(4, undefined, at);
    return readU32(this.data, at, littleEndian);
  }

  /** Whether `n` captured bytes remain (no signal). */
  has(n: number): boolean {
    return this.pos + n <= this.capEnd;
  }

  // ------------------------------------------------------------------ reading with recording

  u8(key?: string): number {
    const p = this.pos;
    if (p + 1 > this.capEnd) this.overrun(1, key, p);
    const v = this.data[p]!;
    this.pos = p + 1;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 1, v);
    return v;
  }

  u16(key?: string, littleEndian = false): number {
    const p = this.pos;
    if (p + 2 > this.capEnd) this.overrun(2, key, p);
    const d = this.data;
    const v = littleEndian ? d[p]! | (d[p + 1]! << 8) : (d[p]! << 8) | d[p + 1]!;
    this.pos = p + 2;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 2, v);
    return v;
  }

  u24(key?: string, littleEndian = false): number {
    const p = this.pos;
    if (p + 3 > this.capEnd) this.overrun(3, key, p);
    const d = this.data;
    const v = littleEndian ? d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) : (d[p]! << 16) | (d[p + 1]! << 8) | d[p + 2]!;
    this.pos = p + 3;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 3, v);
    return v;
  }

  u32(key?: string, littleEndian = false): number {
    const p = this.pos;
    if (p + 4 > this.capEnd) this.overrun(4, key, p);
    const v = readU32(this.data, p, littleEndian);
    this.pos = p + 4;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 4, v);
    return v;
  }

  u64(key?: string, littleEndian = false): bigint {
    const p = this.pos;
    if (p + 8 > this.capEnd) this.overrun(8, key, p);
    const v = this.dv.getBigUint64(p, littleEndian);
    this.pos = p + 8;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 8, v);
    return v;
  }

  /** An unsigned integer of 1 to 6 bytes, big-endian. */
  uint(n: number, key?: string): number {
    const p = this.pos;
    if (p + n > this.capEnd) this.overrun(n, key, p);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.data[p + i]!;
    this.pos = p + n;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, n, v);
    return v;
  }

  /**
   * A sub-byte or flag field: the bits of `mask` in the `size` bytes at the position, shifted
   * down. Does not advance (several fields share the bytes); call `skip(size)` after them.
   */
  bits(key: string | undefined, size: number, mask: number): number {
    const p = this.pos;
    if (p + size > this.capEnd) this.overrun(size, key, p);
    const raw = readUint(this.data, p, size);
    const shift = maskShift(mask);
    const v = size <= 4 ? ((raw & mask) >>> 0) / shift : Math.floor((raw - (raw % shift)) / shift);
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, size, v, raw, mask);
    return v;
  }

  /** A one-or-more-bit flag as a boolean (see `bits`). */
  flag(key: string | undefined, size: number, mask: number): boolean {
    const p = this.pos;
    if (p + size > this.capEnd) this.overrun(size, key, p);
    const raw = readUint(this.data, p, size);
    const v = (raw & mask) !== 0;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, size, v, raw, mask);
    return v;
  }

  bytes(key: string | undefined, n: number): Uint8Array {
    const p = this.pos;
    if (p + n > this.capEnd || n < 0) this.overrun(n, key, p);
    const v = this.data.subarray(p, p + n);
    this.pos = p + n;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, n, v);
    return v;
  }

  /** Text in a single-byte encoding (ASCII/Latin-1), as protocol headers carry it. */
  ascii(key: string | undefined, n: number): string {
    const p = this.pos;
    if (p + n > this.capEnd || n < 0) this.overrun(n, key, p);
    const v = asciiText(this.frameBuffer, p, p + n) ?? latin1.decode(this.data.subarray(p, p + n));
    this.pos = p + n;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, n, v);
    return v;
  }

  utf8(key: string | undefined, n: number): string {
    const p = this.pos;
    if (p + n > this.capEnd || n < 0) this.overrun(n, key, p);
    const v = asciiText(this.frameBuffer, p, p + n) ?? utf8.decode(this.data.subarray(p, p + n));
    this.pos = p + n;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, n, v);
    return v;
  }

  ipv4(key?: string): string {
    const p = this.pos;
    if (p + 4 > this.capEnd) this.overrun(4, key, p);
    const v = this.ipv4Text(p);
    this.pos = p + 4;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 4, v);
    return v;
  }

  ipv6(key?: string): string {
    const p = this.pos;
    if (p + 16 > this.capEnd) this.overrun(16, key, p);
    const v = this.ipv6Text(p);
    this.pos = p + 16;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 16, v);
    return v;
  }

  mac(key?: string): string {
    const p = this.pos;
    if (p + 6 > this.capEnd) this.overrun(6, key, p);
    const v = macText(this.data, p);
    this.pos = p + 6;
    if (key !== undefined && this.recording && this.keeps(key)) this.record(key, p, 6, v);
    return v;
  }

  // ------------------------------------------------------------------ fields built by protocol code

  /**
   * The bytes `[from, to)` as a field's value: a view when fields are recorded, else an empty
   * array (no view made for a value nobody keeps).
   */
  span(from: number, to: number): Uint8Array {
    return this.recording ? this.data.subarray(from, to) : NO_BYTES;
  }

  /** The dotted text of the IPv4 address at `p` (`ipv4TextAt`). */
  ipv4Text(p: number): string {
    return ipv4TextAt(this.data, p);
  }

  /** The text of the IPv6 address at `p` (`ipv6TextAt`). */
  ipv6Text(p: number): string {
    return ipv6TextAt(this.data, p);
  }

  /** Whether a field with this key would be recorded (skip costly work when not). */
  wants(key: string): boolean {
    return this.mode === 'full' || (this.mode === 'select' && this.isWanted(key));
  }

  /**
   * For Wireshark's hidden filter-only fields (`ip.addr`, `tcp.port`): recorded only when
   * asked for by name, so trees for people do not repeat every address.
   */
  wantsHidden(key: string): boolean {
    return this.mode === 'select' && this.isWanted(key);
  }

  /**
   * Whether any of `keys` would be recorded: a protocol reads a run of flag fields one by one
   * only then, and takes their values from the word they share otherwise. `keys` should be one
   * constant array per run (the answer is kept per array).
   */
  recordsAny(keys: readonly string[]): boolean {
    if (this.mode !== 'select') return this.mode === 'full';
    let v = this.runs.get(keys);
    if (v === undefined) this.runs.set(keys, (v = keys.some((k) => this.isWanted(k))));
    return v;
  }
  private readonly runs = new Map<readonly string[], boolean>();

  /** Records a value the protocol computed from `length` bytes at `offset` (0 length: generated). */
  add(key: string, value: FieldValue, offset: number = this.pos, length = 0, display?: string): void {
    if (!this.recording) return;
    this.record(key, offset, length, value, undefined, undefined, length === 0, display);
  }

  /**
   * Opens a field with children at the position: every field recorded until the matching
   * `close` becomes its child. Allocation-free outside full mode (the hot path); groups left
   * open by a truncated or malformed read are closed by the driver (`closeAll`).
   */
  open(key: string): void {
    const d = this.depth++;
    this.openStarts[d] = this.pos;
    this.openKeys[d] = key;
    if (this.mode === 'full') {
      this.openLists[d] = this.list;
      this.list = [];
    }
  }

  /** Closes the innermost open field with its value (`length` -1: as far as was read). */
  close(value: FieldValue, length = -1, display?: string): void {
    const d = --this.depth;
    const start = this.openStarts[d]!;
    const key = this.openKeys[d]!;
    const len = length >= 0 ? length : this.pos - start;
    if (this.mode === 'full') {
      const children = this.list;
      this.list = this.openLists[d]!;
      this.openLists[d] = undefined;
      this.record(key, start, len, value, undefined, undefined, false, display);
      (this.list[this.list.length - 1] as { children: FieldNode[] | undefined }).children = children;
    } else if (this.mode === 'select' && this.isWanted(key)) {
      this.record(key, start, len, value, undefined, undefined, false, display);
    }
  }

  /** Closes every open field (after a signal), each with the bytes it had read as its value. */
  closeAll(): void {
    while (this.depth > 0) this.close(this.data.subarray(this.openStarts[this.depth - 1]!, Math.max(this.openStarts[this.depth - 1]!, this.pos)));
  }

  /**
   * A field with children (options, records, flag words): `fn` reads the children and returns
   * the field's own value. In select mode the children are recorded flat, since only their
   * keys matter there. `length` -1 means "as far as `fn` read".
   */
  group<T extends FieldValue>(key: string, fn: () => T, length = -1, display?: (value: T) => string): T {
    if (!this.recording) return fn();
    this.open(key);
    const v = fn();
    this.close(v, length, display?.(v));
    return v;
  }

  private record(
    key: string,
    offset: number,
    length: number,
    value: FieldValue,
    raw?: number,
    mask?: number,
    generated = false,
    display?: string,
  ): void {
    let decl: FieldDecl | undefined;
    if (this.mode === 'select') {
      if (key !== this.foundKey && !this.isWanted(key)) return;
      decl = this.foundDecl ?? undefined;
    } else decl = this.decls.get(key);
    if (decl?.scale !== undefined && typeof value === 'number') value *= decl.scale;
    if (decl === undefined && this.strict) throw new Error(`field ${key} is not declared by any protocol`);
    const label = decl?.label ?? key;
    let text = '';
    if (this.mode === 'full') {
      if (display !== undefined) text = display;
      else {
        const v = decl ? valueDisplay(decl, value) : String(value);
        text = raw !== undefined && mask !== undefined ? `${bitPicture(raw, mask, length)} = ${label}: ${v}` : `${label}: ${v}`;
      }
    }
    this.list.push({
      key,
      label,
      offset,
      length,
      bits: mask !== undefined && length <= 4 && mask !== 2 ** (length * 8) - 1 ? maskBits(mask, length) : undefined,
      value,
      display: text,
      generated,
      children: undefined,
    });
  }
}

// Recent MAC address texts, direct-mapped by the 48-bit value (keys start as -1, which no
// address equals): shared by every dissector, as the texts depend on the bytes alone.
const macKeys = new Float64Array(1 << ADDRESS_CACHE_BITS).fill(-1);
const macTexts: (string | undefined)[] = new Array<string | undefined>(1 << ADDRESS_CACHE_BITS).fill(undefined);

// Keys start as -1, which no address equals.
const ipv4Keys = new Float64Array(1 << ADDRESS_CACHE_BITS).fill(-1);
const ipv4Texts: (string | undefined)[] = new Array<string | undefined>(1 << ADDRESS_CACHE_BITS).fill(undefined);

/**
 * The dotted text of the IPv4 address at `p`. A capture repeats few addresses many times, so
 * recent texts are kept in a small direct-mapped cache rather than built again for every packet
 * (the same string for the same address while it stays there).
 */
export function ipv4TextAt(d: Uint8Array, p: number): string {
  const n = ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
  const slot = Math.imul(n, 0x9e3779b1) >>> (32 - ADDRESS_CACHE_BITS);
  if (ipv4Keys[slot] === n) return ipv4Texts[slot]!;
  const v = formatIpv4(d, p);
  ipv4Keys[slot] = n;
  ipv4Texts[slot] = v;
  return v;
}

const ipv6Keys = new Int32Array(4 << ADDRESS_CACHE_BITS);
const ipv6Texts: (string | undefined)[] = new Array<string | undefined>(1 << ADDRESS_CACHE_BITS).fill(undefined);

/** The text of the IPv6 address at `p`, from a direct-mapped cache of recent ones (as for IPv4). */
export function ipv6TextAt(d: Uint8Array, p: number): string {
  const w0 = readU32(d, p, false) | 0;
  const w1 = readU32(d, p + 4, false) | 0;
  const w2 = readU32(d, p + 8, false) | 0;
  const w3 = readU32(d, p + 12, false) | 0;
  const slot = Math.imul(w0 ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ Math.imul(w3, 0x9e3779b1), 0x27d4eb2d) >>> (32 - ADDRESS_CACHE_BITS);
  const t = ipv6Texts[slot];
  const at = slot * 4;
  if (t !== undefined && ipv6Keys[at] === w0 && ipv6Keys[at + 1] === w1 && ipv6Keys[at + 2] === w2 && ipv6Keys[at + 3] === w3) return t;
  const text = formatIpv6(d, p);
  ipv6Keys[at] = w0;
  ipv6Keys[at + 1] = w1;
  ipv6Keys[at + 2] = w2;
  ipv6Keys[at + 3] = w3;
  ipv6Texts[slot] = text;
  return text;
}

/**
 * The text of the MAC address at `p`, the same string for the same address while it stays in
 * a small cache: tables keyed by addresses then find keys they have hashed before.
 */
export function macText(d: Uint8Array, p: number): string {
  const hi = (d[p]! << 8) | d[p + 1]!;
  const lo = ((d[p + 2]! << 24) | (d[p + 3]! << 16) | (d[p + 4]! << 8) | d[p + 5]!) >>> 0;
  const key = hi * 0x1_0000_0000 + lo;
  const slot = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - ADDRESS_CACHE_BITS);
  if (macKeys[slot] === key) return macTexts[slot]!;
  const v = formatMac(d, p);
  macKeys[slot] = key;
  macTexts[slot] = v;
  return v;
}

export function formatMac(d: Uint8Array, p: number): string {
  return `${HEX2[d[p]!]}:${HEX2[d[p + 1]!]}:${HEX2[d[p + 2]!]}:${HEX2[d[p + 3]!]}:${HEX2[d[p + 4]!]}:${HEX2[d[p + 5]!]}`;
}

export function formatIpv4(d: Uint8Array, p: number): string {
  return `${DEC[d[p]!]}.${DEC[d[p + 1]!]}.${DEC[d[p + 2]!]}.${DEC[d[p + 3]!]}`;
}

/** RFC 5952 text form: lower case, the longest run of two or more zero groups as `::`. */
export function formatIpv6(d: Uint8Array, p: number): string {
  // The longest run of two or more zero groups becomes `::` (the first such run on a tie).
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (d[p + 2 * i] === 0 && d[p + 2 * i + 1] === 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart + 1;
      }
    } else {
      runStart = -1;
    }
  }
  // IPv4-mapped and IPv4-compatible forms, as Wireshark prints them.
  if (bestStart === 0 && bestLen === 5 && d[p + 10] === 0xff && d[p + 11] === 0xff) return `::ffff:${formatIpv4(d, p + 12)}`;
  if (bestStart === 0 && bestLen === 6 && (d[p + 12] !== 0 || d[p + 13] !== 0)) return `::${formatIpv4(d, p + 12)}`;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += HEX_GROUP(((d[p + 2 * i]! << 8) | d[p + 2 * i + 1]!));
    if (i < 7) s += ':';
  }
  return s;
}

function HEX_GROUP(g: number): string {
  return g < 0x100 ? HEX_SHORT[g]! : `${HEX_SHORT[g >> 8]!}${HEX2[g & 0xff]!}`;
}
/** 0..255 in hex without leading zeros. */
const HEX_SHORT: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16));

/**
 * A 32-bit hash of an address's bytes (the value itself for 4 bytes), for tables keyed by
 * endpoints without building their text per packet.
 */
export function addressHash(d: Uint8Array, p: number, length: number): number {
  if (length === 4) return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i + 3 < length; i += 4) {
    h = Math.imul(h ^ ((d[p + i]! << 24) | (d[p + i + 1]! << 16) | (d[p + i + 2]! << 8) | d[p + i + 3]!), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}
