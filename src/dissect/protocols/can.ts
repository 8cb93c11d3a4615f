import type { Cursor } from '../cursor.js';
import { defineProtocol, type DissectResult } from '../protocol.js';

const EFF = 0x80000000;
const RTR = 0x40000000;
const ERR = 0x20000000;

/** The 8-byte SocketCAN header; the identifier word is little-endian in Linux cooked captures, big-endian otherwise. */
function readCan(c: Cursor, littleEndian: boolean): DissectResult {
  const word = c.peek32(0, littleEndian) >>> 0;
  const extended = (word & EFF) !== 0;
  const id = extended ? word & 0x1fffffff : word & 0x7ff;
  // Recorded as computed values: the bit reader reads big-endian words only.
  const at = c.pos;
  c.skip(4);
  c.add('can.id', id, at, 4);
  c.add('can.flags.xtd', extended, at, 4);
  c.add('can.flags.rtr', (word & RTR) !== 0, at, 4);
  c.add('can.flags.err', (word & ERR) !== 0, at, 4);
  const len = c.u8('can.len');
  c.bytes('can.reserved', 3);
  const dataLen = Math.min(len, 8);
  c.limit(8 + dataLen);
  const hexId = `0x${id.toString(16).padStart(extended ? 8 : 3, '0')}`;
  const summary = (word & ERR) !== 0 ? `ERR: ${id} (${hexId}), Length: ${len}` : `ID: ${id} (${hexId}), Length: ${len}`;
  return { summary, info: { id, extended, len }, next: dataLen > 0 && (word & RTR) === 0 ? { protocol: 'data' } : undefined };
}

const FIELDS = {
  'can.id': { label: 'ID', type: 'u32', base: 'hex' },
  'can.flags.xtd': { label: 'Extended Flag', type: 'bool', mask: EFF },
  'can.flags.rtr': { label: 'Remote Transmission Request Flag', type: 'bool', mask: RTR },
  'can.flags.err': { label: 'Error Message Flag', type: 'bool', mask: ERR },
  'can.len': { label: 'Frame-Length', type: 'u8' },
  'can.reserved': { label: 'Reserved', type: 'bytes' },
} as const;

/** Controller Area Network frames as Linux SocketCAN hands them (Linux cooked protocol 0x000c, LINKTYPE_CAN_SOCKETCAN 227). */
export const can = defineProtocol({
  id: 'can',
  name: 'Controller Area Network',
  short: 'CAN',
  bindings: [
    { table: 'sll.ltype', key: 0x000c },
    { table: 'linktype', key: 227 },
  ],
  fields: FIELDS,
  dissect(c) {
    return readCan(c, c.below.length > 0 && c.below[c.below.length - 1]!.protocol === 'sll');
  },
});
