/**
 * Values of each filter type: how a literal is read for a field of that type, how a recorded
 * field value is turned into the same form, and how two of them compare. Forms: integers are
 * numbers (bigints past 2^53), IPv4 addresses 32-bit numbers, IPv6/Ethernet/byte values
 * Uint8Arrays, times bigint nanoseconds, strings JS strings.
 */
import { fieldText, type FieldDecl } from '../dissect/field-types.js';
import type { FieldValue } from '../dissect/tree.js';
import type { FilterType } from './fields.js';
import { ipv4FromText, ipv6FromText } from '../util/address-text.js';

export type Value = number | bigint | boolean | string | Uint8Array;

/** A literal of some type; `prefix` masks addresses (`10.0.0.0/8`, `fe80::/10`). */
export interface Literal {
  readonly value: Value;
  readonly prefix?: number;
}

/** Thrown by the readers below with a message that names the text. */
export class LiteralError extends Error {}

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');

// ------------------------------------------------------------------ integers

const INT_RE = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

/** An integer written in decimal, hex (0x), binary (0b) or octal (leading 0); undefined when it is none. */
export function readInteger(text: string): number | bigint | undefined {
  const m = INT_RE.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[bB]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

const INT_LIMITS: Readonly<Record<string, readonly [bigint, bigint]>> = {
  u8: [0n, 0xffn],
  u16: [0n, 0xffffn],
  u24: [0n, 0xffffffn],
  u32: [0n, 0xffffffffn],
  u40: [0n, 0xffffffffffn],
  u48: [0n, 0xffffffffffffn],
  u64: [0n, 0xffffffffffffffffn],
  framenum: [0n, 0xffffffffn],
  i8: [-0x80n, 0x7fn],
  i16: [-0x8000n, 0x7fffn],
  i32: [-0x80000000n, 0x7fffffffn],
  i64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

function readIntLiteral(text: string, decl: FieldDecl | undefined): number | bigint {
  const v = readInteger(text);
  if (v === undefined) {
    // A value name, as the tree shows it (`ip.proto == TCP`).
    const lower = text.toLowerCase();
    for (const [k, name] of Object.entries(decl?.values ?? {})) if (name.toLowerCase() === lower) return Number(k);
    throw new LiteralError(decl?.values !== undefined ? `"${text}" is neither a number nor one of the value names of this field` : `"${text}" is not a valid number`);
  }
  const limits = decl === undefined ? undefined : INT_LIMITS[decl.type];
  // Wireshark takes a negative value for an unsigned field (nothing equals it); too large is an error.
  if (limits !== undefined && BigInt(v) > limits[1]) throw new LiteralError(`${text} is too large for this field (at most ${limits[1]})`);
  return v;
}

// ------------------------------------------------------------------ addresses and bytes

/** Bytes written as hex: `aa:bb:cc`, `aa-bb-cc`, `aa.bb.cc`, `aabb.ccdd`, `aabbcc`; undefined when not. */
export function readByteString(text: string): Uint8Array | undefined {
  let hex: string;
  if (/^[0-9a-fA-F]$/.test(text)) hex = `0${text}`;
  else if (/^([0-9a-fA-F]{2})+$/.test(text)) hex = text;
  else {
    const groups = text.split(/[:.-]/);
    if (groups.length < 2 || !groups.every((g) => /^([0-9a-fA-F]{2}|[0-9a-fA-F]{4})$/.test(g))) return undefined;
    hex = groups.join('');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function prefixOf(text: string, max: number, what: string): [string, number | undefined] {
  const slash = text.indexOf('/');
  if (slash < 0) return [text, undefined];
  const bits = text.slice(slash + 1);
  if (!/^\d+$/.test(bits)) throw new LiteralError(`"${text}": the prefix length after "/" must be a number`);
  const n = Number(bits);
  if (n > max) throw new LiteralError(`"${text}": an ${what} prefix length is at most ${max}`);
  return [text.slice(0, slash), n];
}

// ------------------------------------------------------------------ times

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NS = 1_000_000_000n;

/** Seconds and a fraction (`1.5`, `-0.25`, `3`) as nanoseconds; undefined when not such a number. */
export function readSeconds(text: string): bigint | undefined {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const ns = BigInt(m[2] || '0') * NS + BigInt(((m[3] ?? '') + '000000000').slice(0, 9));
  return m[1] === '-' ? -ns : ns;
}

/**
 * A date and time as Wireshark takes them: `2024-03-12 10:00:00.25`, `2024-03-12T10:00:00Z`,
 * `2024-03-12`, `Mar 12, 2024 10:00:00.25` (local time unless `Z` or `UTC` says otherwise), as
 * nanoseconds since 1970.
 */
export function readAbsoluteTime(text: string): bigint | undefined {
  const t = text.trim();
  let y: number, mo: number, d: number;
  let rest: string;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/.exec(t);
  if (m) {
    [y, mo, d, rest] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!];
  } else {
    m = /^([A-Za-z]{3})[a-z]*\s+(\d{1,2}),\s*(\d{4})(.*)$/.exec(t);
    if (!m) return undefined;
    const month = MONTHS.indexOf(m[1]!.toLowerCase());
    if (month < 0) return undefined;
    [y, mo, d, rest] = [Number(m[3]), month + 1, Number(m[2]), m[4]!];
  }
  const c = /^(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(rest);
  if (!c) return undefined;
  const [H, M, S] = [Number(c[1] ?? 0), Number(c[2] ?? 0), Number(c[3] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || H > 23 || M > 59 || S > 60) return undefined;
  const zone = c[5];
  let ms: number;
  if (zone === undefined) ms = new Date(y, mo - 1, d, H, M, S).getTime();
  else {
    ms = Date.UTC(y, mo - 1, d, H, M, S);
    const off = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (off) ms -= (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) * 60_000;
  }
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms / 1000) * NS + BigInt(((c[4] ?? '') + '000000000').slice(0, 9));
}

// ------------------------------------------------------------------ literals by type

/** How a value was written: an unquoted word, a quoted string (its bytes), or a character constant. */
export type LiteralText =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly bytes: Uint8Array }
  | { readonly kind: 'char'; readonly code: number };

const TYPE_WORDS: Readonly<Record<FilterType, string>> = {
  int: 'a number',
  bool: 'a boolean (True/False, 1/0)',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  ether: 'an Ethernet address',
  bytes: 'a byte string',
  string: 'a string',
  double: 'a number',
  rel_time: 'a time offset in seconds',
  abs_time: 'a date and time such as "2024-03-12 10:00:00"',
  oid: 'an object identifier',
  none: 'a value',
  protocol: 'a byte string',
};

function shown(l: LiteralText): string {
  if (l.kind === 'word') return `"${l.text}"`;
  if (l.kind === 'char') return `'${String.fromCharCode(l.code)}'`;
  return JSON.stringify(utf8.decode(l.bytes));
}

/** Reads a literal as a value of `type` (`decl` for value names and widths); throws LiteralError. */
export function readLiteral(type: FilterType, l: LiteralText, decl: FieldDecl | undefined): Literal {
  const fail = (): never => {
    throw new LiteralError(`${shown(l)} is not ${TYPE_WORDS[type]}`);
  };
  const text = l.kind === 'word' ? l.text : l.kind === 'string' ? utf8.decode(l.bytes) : undefined;
  switch (type) {
    case 'int':
      if (l.kind === 'char') return { value: l.code };
      if (l.kind === 'string') {
        // A quoted value name is taken; a quoted number is not (as in Wireshark).
        if (readInteger(text!) !== undefined) throw new LiteralError(`${shown(l)}: a number is written without quotes`);
        return { value: readIntLiteral(text!, decl) };
      }
      return { value: readIntLiteral(text!, decl) };
    case 'bool': {
      if (l.kind === 'char') return { value: l.code !== 0 };
      const t = text!;
      const n = l.kind === 'word' ? readInteger(t) : undefined;
      if (n !== undefined) return { value: BigInt(n) !== 0n };
      if (/^true$/i.test(t)) return { value: true };
      if (/^false$/i.test(t)) return { value: false };
      const tfs = decl?.tfs;
      if (tfs !== undefined && tfs[0].toLowerCase() === t.toLowerCase()) return { value: true };
      if (tfs !== undefined && tfs[1].toLowerCase() === t.toLowerCase()) return { value: false };
      return fail();
    }
    case 'ipv4': {
      if (text === undefined) return fail();
      const [addr, prefix] = prefixOf(text, 32, 'IPv4');
      const v = ipv4FromText(addr);
      if (v === undefined) throw new LiteralError(`${shown(l)} is not an IPv4 address`);
      return prefix === undefined ? { value: v } : { value: v, prefix };
    }
    case 'ipv6': {
      if (text === undefined) return fail();
      const [addr, prefix] = prefixOf(text, 128, 'IPv6');
      const v = ipv6FromText(addr);
      if (v === undefined) throw new LiteralError(`${shown(l)} is not an IPv6 address`);
      return prefix === undefined ? { value: v } : { value: v, prefix };
    }
    case 'ether': {
      if (l.kind !== 'word') return fail();
      const b = readByteString(l.text);
      if (b === undefined) return fail();
      if (b.length !== 6) throw new LiteralError(`${shown(l)} has ${b.length} byte${b.length === 1 ? '' : 's'}; an Ethernet address has 6`);
      return { value: b };
    }
    case 'bytes':
    case 'protocol': {
      if (l.kind === 'string') return { value: l.bytes };
      if (l.kind === 'char') return { value: Uint8Array.of(l.code & 0xff) };
      const b = readByteString(l.text);
      if (b !== undefined) return { value: b };
      // A single byte as a number (`tcp.payload[0] == 0x47`).
      const n = readInteger(l.text);
      if (typeof n === 'number' && n >= 0 && n <= 255) return { value: Uint8Array.of(n) };
      return fail();
    }
    case 'string':
    case 'oid':
      if (l.kind === 'char') return { value: String.fromCharCode(l.code) };
      return { value: text! };
    case 'double': {
      if (l.kind !== 'word' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(l.text)) return fail();
      return { value: Number(l.text) };
    }
    case 'rel_time': {
      const ns = l.kind === 'word' ? readSeconds(l.text) : undefined;
      return ns === undefined ? fail() : { value: ns };
    }
    case 'abs_time': {
      const ns = text === undefined ? undefined : readAbsoluteTime(text);
      return ns === undefined ? fail() : { value: ns };
    }
    default:
      return fail();
  }
}

// ------------------------------------------------------------------ recorded values in filter form

function ipv4Number(s: string): number | undefined {
  // Dotted quads as the dissector writes them (no validation needed beyond the shape).
  let v = 0;
  let part = 0;
  let parts = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      v = v * 256 + part;
      part = 0;
      parts++;
    } else if (c >= 48 && c <= 57) part = part * 10 + (c - 48);
    else return undefined;
  }
  return parts === 3 ? v * 256 + part : undefined;
}

/**
 * A recorded field value in the filter form of `type`, or undefined when it has none (a value
 * of an unexpected kind is left out rather than guessed).
 */
export function toFilterValue(type: FilterType, v: FieldValue, decl: FieldDecl | undefined): Value | undefined {
  switch (type) {
    case 'int':
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return undefined;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' || typeof v === 'bigint') return BigInt(v) !== 0n;
      return undefined;
    case 'ipv4':
      if (typeof v === 'string') return ipv4Number(v);
      if (v instanceof Uint8Array && v.length === 4) return ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
      return undefined;
    case 'ipv6':
      if (typeof v === 'string') return ipv6FromText(v);
      return v instanceof Uint8Array && v.length === 16 ? v : undefined;
    case 'ether':
    case 'bytes':
    case 'protocol':
      if (v instanceof Uint8Array) return v;
      if (typeof v === 'string') return readByteString(v) ?? utf8Encoder.encode(v);
      return undefined;
    case 'string':
      if (typeof v === 'string') return v;
      if (v instanceof Uint8Array) return latin1.decode(v);
      return fieldText(decl, v);
    case 'oid':
      return typeof v === 'string' ? v : fieldText(decl, v);
    case 'double':
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : undefined;
    case 'rel_time':
      if (typeof v === 'string') return readSeconds(v);
      if (typeof v === 'number') return BigInt(Math.round(v * 1e9));
      return undefined;
    case 'abs_time':
      if (typeof v === 'string') return readAbsoluteTime(v.replace(/ UTC$/, 'Z'));
      return undefined;
    case 'none':
      return true;
  }
}

// ------------------------------------------------------------------ comparing

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Orders two values of one type (numbers and bigints may meet). */
export function compareValues(a: Value, b: Value): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether `v` equals the literal (within its prefix for addresses). */
export function equalsLiteral(v: Value, lit: Literal): boolean {
  const p = lit.prefix;
  if (p === undefined) return compareValues(v, lit.value) === 0;
  if (typeof v === 'number') {
    if (p === 0) return true;
    return ((v ^ (lit.value as number)) >>> (32 - p)) === 0;
  }
  if (v instanceof Uint8Array && lit.value instanceof Uint8Array) {
    const whole = p >> 3;
    for (let i = 0; i < whole; i++) if (v[i] !== lit.value[i]) return false;
    const bits = p & 7;
    if (bits === 0) return true;
    const mask = (0xff << (8 - bits)) & 0xff;
    return (v[whole]! & mask) === (lit.value[whole]! & mask);
  }
  return false;
}

/** The bytes a value is made of (for slices, `contains`, `len`). */
export function valueBytes(v: Value): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return utf8Encoder.encode(v);
  if (typeof v === 'number') return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  return undefined;
}

/** Whether `hay` holds `needle` as a run of bytes. */
export function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength)) >= 0;
}

/** Text for `matches`: strings as they are, bytes one character per byte. */
export function matchText(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return latin1.decode(v);
  return undefined;
}
