/**
 * XDR (RFC 4506) reading for ONC RPC and its programs: big-endian 32-bit items, variable-length
 * opaque data and strings padded to four bytes, recorded the way tshark records them (the
 * length as `rpc.opaque_length`, the contents under the caller's key, the padding as
 * `rpc.fill_bytes`).
 */
import type { Cursor } from '../cursor.js';
import type { FieldTable } from '../field-types.js';

/** Fields this module records (declared by the rpc protocol). */
export const XDR_FIELDS: FieldTable = {
  'rpc.opaque_length': { label: 'length', type: 'u32' },
  'rpc.fill_bytes': { label: 'fill bytes', type: 'bytes' },
  'rpc.opaque_data': { label: 'opaque data', type: 'bytes' },
  'rpc.array.len': { label: 'num', type: 'u32' },
  'rpc.value_follows': { label: 'Value Follows', type: 'bool' },
};

/** The padding after `n` bytes of opaque data. */
const pad = (n: number): number => (4 - (n % 4)) % 4;

/**
 * A variable-length opaque item: its length, `n` bytes recorded under `key` (or as
 * `rpc.opaque_data`), and its padding. Past the packet, a read signals as any read does.
 */
export function xdrOpaque(c: Cursor, key = 'rpc.opaque_data', label?: string): Uint8Array {
  const n = c.u32('rpc.opaque_length');
  const at = c.pos;
  const v = c.bytes(undefined, n);
  c.add(key, v, at, n, label === undefined ? undefined : `${label}: ${hexOf(v)}`);
  fill(c, n);
  return v;
}

/** A fixed-length opaque item (a file handle of NFS v2): `n` bytes, padded. */
export function xdrFixed(c: Cursor, key: string, n: number): Uint8Array {
  const v = c.bytes(key, n);
  fill(c, n);
  return v;
}

/** An XDR string (ASCII as tshark shows it; other bytes as their code points). */
export function xdrString(c: Cursor, key: string, label: string, max = 0x10000): string {
  const n = c.u32('rpc.opaque_length');
  const at = c.pos;
  const raw = c.bytes(undefined, n);
  let s = '';
  for (let i = 0; i < raw.length && i < max; i++) s += String.fromCharCode(raw[i]!);
  c.add(key, s, at, n, `${label}: ${s === '' ? '<EMPTY>' : s}`);
  fill(c, n);
  return s;
}

/** Padding after an item of `n` bytes. */
function fill(c: Cursor, n: number): void {
  const p = pad(n);
  if (p > 0) c.bytes('rpc.fill_bytes', p);
}

function hexOf(v: Uint8Array): string {
  let s = '';
  for (let i = 0; i < v.length && i < 64; i++) s += v[i]!.toString(16).padStart(2, '0');
  return v.length > 64 ? `${s}…` : s;
}

/** CRC-32 (IEEE 802.3, as zlib computes it): tshark's file handle hash. */
export function crc32(d: Uint8Array, from: number, to: number): number {
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) {
    crc = (crc ^ d[i]!) >>> 0;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? ((crc >>> 1) ^ 0xedb88320) >>> 0 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
