import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const TYPES: Readonly<Record<number, string>> = { 1: 'Handshake Initiation', 2: 'Handshake Response', 3: 'Cookie Reply', 4: 'Transport Data' };

/** The fixed size of each message type (Transport Data: at least this, a multiple of 16 past it). */
const SIZES: Readonly<Record<number, number>> = { 1: 148, 2: 92, 3: 64, 4: 32 };

/** tshark's WireGuard heuristic: a known type, three zero bytes, and that type's exact length. */
export function looksLikeWireGuard(d: Uint8Array, offset: number, end: number): boolean {
  const len = end - offset;
  if (len < 4) return false;
  const type = d[offset]!;
  if (type < 1 || type > 4 || d[offset + 1] !== 0 || d[offset + 2] !== 0 || d[offset + 3] !== 0) return false;
  if (type === 4) return len >= 32 && len % 16 === 0;
  return len === SIZES[type];
}

const hex32 = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(8, '0')}`;

/** A 32-byte key shown as base64, as tshark shows it. */
function key32(c: Cursor, key: string): void {
  const at = c.pos;
  const b = c.bytes(undefined, 32);
  if (c.wants(key)) c.add(key, Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'), at, 32);
}

/** WireGuard (found by tshark's heuristic on UDP): message type, indices, counters. */
export const wg = defineProtocol({
  id: 'wg',
  name: 'WireGuard Protocol',
  short: 'WireGuard',
  heuristics: [{ table: 'udp.port', test: looksLikeWireGuard }],
  fields: {
    'wg.type': { label: 'Type', type: 'u8', values: TYPES },
    'wg.reserved': { label: 'Reserved', type: 'bytes' },
    'wg.sender': { label: 'Sender', type: 'u32', base: 'hex' },
    'wg.receiver': { label: 'Receiver', type: 'u32', base: 'hex' },
    'wg.ephemeral': { label: 'Ephemeral', type: 'string' },
    'wg.mac1': { label: 'mac1', type: 'bytes' },
    'wg.mac2': { label: 'mac2', type: 'bytes' },
    'wg.nonce': { label: 'Nonce', type: 'bytes' },
    'wg.encrypted_cookie': { label: 'Encrypted Cookie', type: 'bytes' },
    'wg.counter': { label: 'Counter', type: 'u64' },
  },
  dissect(c) {
    const type = c.u8('wg.type');
    c.bytes('wg.reserved', 3);
    const name = TYPES[type] ?? `Unknown (${type})`;
    c.provisional = () => name;
    let summary = name;
    if (type === 1) {
      const sender = c.u32('wg.sender', true);
      key32(c, 'wg.ephemeral');
      c.skip(48 + 28); // encrypted static key, encrypted timestamp
      c.bytes('wg.mac1', 16);
      c.bytes('wg.mac2', 16);
      summary = `${name}, sender=${hex32(sender)}`;
    } else if (type === 2) {
      const sender = c.u32('wg.sender', true);
      const receiver = c.u32('wg.receiver', true);
      key32(c, 'wg.ephemeral');
      c.skip(16); // encrypted empty
      c.bytes('wg.mac1', 16);
      c.bytes('wg.mac2', 16);
      summary = `${name}, sender=${hex32(sender)}, receiver=${hex32(receiver)}`;
    } else if (type === 3) {
      const receiver = c.u32('wg.receiver', true);
      c.bytes('wg.nonce', 24);
      c.bytes('wg.encrypted_cookie', 32);
      summary = `${name}, receiver=${hex32(receiver)}`;
    } else if (type === 4) {
      const receiver = c.u32('wg.receiver', true);
      const counter = c.u64('wg.counter', true);
      const datalen = c.capEnd - c.pos - 16;
      summary = `${name}, receiver=${hex32(receiver)}, counter=${counter}, datalen=${Math.max(datalen, 0)}`;
    }
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { type } };
  },
});
