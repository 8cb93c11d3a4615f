/**
 * Field declarations: the one place a field gets its label, type, display base, bit mask and
 * value names. Types and bases follow Wireshark's (FT_UINT16 + BASE_HEX, ...) because the
 * `fields` command must print values exactly as tshark does.
 */
import type { FieldValue } from './tree.js';

export type FieldType =
  | 'u8'
  | 'u16'
  | 'u24'
  | 'u32'
  | 'u40'
  | 'u48'
  | 'u64'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'bool'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'eui64'
  | 'string'
  | 'bytes'
  | 'none'
  | 'protocol'
  | 'double'
  | 'abs_time'
  | 'rel_time'
  | 'framenum'
  | 'oid'
  | 'guid';

export type FieldBase = 'dec' | 'hex' | 'oct' | 'hex_dec' | 'dec_hex';

export interface FieldDecl {
  readonly label: string;
  readonly type: FieldType;
  /** Integer display base (default decimal). */
  readonly base?: FieldBase;
  /** Bit mask inside the field's bytes, for sub-byte and flag fields. */
  readonly mask?: number;
  /**
   * The recorded value is the masked bits times this: Wireshark gives header lengths counted in
   * 32-bit words (`ip.hdr_len`, `tcp.hdr_len`) in bytes, for `fields` and filters alike.
   */
  readonly scale?: number;
  /** Value names shown in the tree (`1` → `A`); never substituted in `fields` output. */
  readonly values?: Readonly<Record<number, string>>;
  /** Text for a true / false boolean (`Set` / `Not set`). */
  readonly tfs?: readonly [string, string];
  /** Unit appended in the tree (`bytes`, `seconds`). */
  readonly unit?: string;
  /** Tree text of the value when the rules above do not say it (`20 bytes (5)`). */
  readonly format?: (value: number) => string;
}

export type FieldTable = Readonly<Record<string, FieldDecl>>;

const HEX_WIDTH: Partial<Record<FieldType, number>> = {
  u8: 2,
  u16: 4,
  u24: 6,
  u32: 8,
  u40: 10,
  u48: 12,
  u64: 16,
  i8: 2,
  i16: 4,
  i32: 8,
  i64: 16,
};

const hex = (v: number | bigint, type: FieldType): string =>
  `0x${v.toString(16).padStart(HEX_WIDTH[type] ?? 2, '0')}`;

/** Bytes as lower-case hex, `:`-separated as tshark prints FT_BYTES. */
export function bytesToHex(b: Uint8Array, sep = ':'): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i > 0) s += sep;
    s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  }
  return s;
}

/** Escapes a string the way tshark's `-T fields` prints strings (control characters only). */
export function escapeFieldString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c !== 0x7f) out += ch; // tshark leaves backslashes as they are
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0b) out += '\\v';
    else if (c === 0x0c) out += '\\f';
    else out += `\\${c.toString(8).padStart(3, '0')}`; // tshark prints other control bytes in octal
  }
  return out;
}

/** A field value as `tshark -T fields` prints it (tshark 4.0 conventions). */
export function fieldText(decl: FieldDecl | undefined, value: FieldValue): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Uint8Array) return bytesToHex(value, ''); // tshark 4.0 prints FT_BYTES without separators
  if (typeof value === 'string') return decl?.type === 'string' ? escapeFieldString(value) : value;
  if (decl === undefined) return decimalText(value);
  switch (decl.base) {
    case 'hex':
    case 'hex_dec':
      return hex(value, decl.type);
    case 'oct':
      return `0${value.toString(8)}`;
    default:
      return decimalText(value);
  }
}

// Decimal texts of the 16-bit values, made once each: ports, lengths and counts fill most
// `fields` cells, and the same few values come back packet after packet.
const DECIMAL: (string | undefined)[] = new Array<string | undefined>(0x10000).fill(undefined);

/** `String(value)`, from the table for integers 0–65535. */
function decimalText(value: number | bigint): string {
  if (typeof value === 'number' && value >= 0 && value <= 0xffff && (value | 0) === value) return (DECIMAL[value] ??= String(value));
  return String(value);
}

/** The bit picture of a masked value, as Wireshark prints it: `.... 0101`. */
export function bitPicture(raw: number, mask: number, bytes: number): string {
  const bits = bytes * 8;
  let out = '';
  for (let i = bits - 1; i >= 0; i--) {
    // 32-bit words with shifts; wider fields (up to 6 bytes) by division.
    const inMask = i < 32 ? ((mask >>> i) & 1) === 1 : Math.floor(mask / 2 ** i) % 2 === 1;
    const set = i < 32 ? ((raw >>> i) & 1) === 1 : Math.floor(raw / 2 ** i) % 2 === 1;
    out += inMask ? (set ? '1' : '0') : '.';
    if (i % 4 === 0 && i > 0) out += ' ';
  }
  return out;
}

/** Bytes shown in a tree line before it is cut with an ellipsis, as Wireshark cuts long values. */
export const TREE_BYTES = 36;

/** The tree text of a value: value names, hex, units, booleans. */
export function valueDisplay(decl: FieldDecl, value: FieldValue): string {
  if (typeof value === 'boolean') {
    const [t, f] = decl.tfs ?? ['True', 'False'];
    return value ? t : f;
  }
  if (value instanceof Uint8Array) {
    if (value.length === 0) return '<MISSING>';
    return value.length > TREE_BYTES ? `${bytesToHex(value.subarray(0, TREE_BYTES), '')}…` : bytesToHex(value, '');
  }
  if (typeof value === 'string') return decl.type === 'string' ? escapeFieldString(value) : value;
  if (decl.format !== undefined) return decl.format(Number(value));
  const name = decl.values?.[Number(value)];
  let text: string;
  switch (decl.base) {
    case 'hex':
      text = name !== undefined ? `${name} (${hex(value, decl.type)})` : hex(value, decl.type);
      break;
    case 'hex_dec':
      text = `${hex(value, decl.type)} (${value})`;
      break;
    case 'dec_hex':
      text = `${value} (${hex(value, decl.type)})`;
      break;
    case 'oct':
      text = `0${value.toString(8)}`;
      break;
    default:
      text = name !== undefined ? `${name} (${value})` : String(value);
  }
  return decl.unit !== undefined ? `${text} ${decl.unit}` : text;
}
