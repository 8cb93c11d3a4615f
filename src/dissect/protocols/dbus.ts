import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const TYPES: Readonly<Record<number, string>> = { 1: 'Method call', 2: 'Method reply', 3: 'Error reply', 4: 'Signal' };

/** Header field codes and the key each string or number is recorded under. */
const HEADER_KEYS: Readonly<Record<number, string>> = {
  1: 'dbus.path',
  2: 'dbus.interface',
  3: 'dbus.member',
  4: 'dbus.error_name',
  5: 'dbus.reply_serial',
  6: 'dbus.destination',
  7: 'dbus.sender',
  8: 'dbus.signature',
  9: 'dbus.unix_fds',
};

/** Most header fields read from one message. */
const MAX_FIELDS = 64;

/** Moves to the next multiple of `n` from the message start. */
function align(c: Cursor, start: number, n: number): void {
  const pad = (n - ((c.pos - start) % n)) % n;
  if (pad > 0) c.skip(Math.min(pad, c.capEnd - c.pos));
}

/**
 * D-Bus messages (LINKTYPE_DBUS 231): the fixed header and the header fields (path, interface,
 * member, destination, sender, signature, ...), in the byte order the message announces.
 */
export const dbus = defineProtocol({
  id: 'dbus',
  name: 'D-Bus',
  short: 'D-Bus',
  bindings: [{ table: 'linktype', key: 231 }],
  fields: {
    'dbus.endianness': { label: 'Endianness', type: 'u8' },
    'dbus.message_type': { label: 'Message Type', type: 'u8', values: TYPES },
    'dbus.flags': { label: 'Message Flags', type: 'u8', base: 'hex' },
    'dbus.version': { label: 'Protocol Version', type: 'u8' },
    'dbus.body_length': { label: 'Message body Length', type: 'u32' },
    'dbus.serial': { label: 'Message Serial (cookie)', type: 'u32' },
    'dbus.field_code': { label: 'Field code', type: 'u8' },
    'dbus.path': { label: 'Path', type: 'string' },
    'dbus.interface': { label: 'Interface', type: 'string' },
    'dbus.member': { label: 'Member', type: 'string' },
    'dbus.error_name': { label: 'Error name', type: 'string' },
    'dbus.reply_serial': { label: 'Reply serial', type: 'u32' },
    'dbus.destination': { label: 'Destination', type: 'string' },
    'dbus.sender': { label: 'Sender', type: 'string' },
    'dbus.signature': { label: 'Signature', type: 'string' },
    'dbus.unix_fds': { label: 'Unix FDs', type: 'u32' },
  },
  dissect(c) {
    const start = c.pos;
    const endian = c.u8('dbus.endianness');
    if (endian !== 0x6c && endian !== 0x42) c.malformed(`endianness marker 0x${endian.toString(16)} is neither 'l' nor 'B'`, 'dbus.endianness');
    const le = endian === 0x6c;
    const type = c.u8('dbus.message_type');
    c.u8('dbus.flags');
    c.u8('dbus.version');
    const bodyLen = c.u32('dbus.body_length', le);
    c.u32('dbus.serial', le);
    const arrayLen = c.u32(undefined, le);
    const fieldsEnd = c.pos + arrayLen;
    const values: Record<string, string | number> = {};
    let n = 0;
    while (c.pos < fieldsEnd && c.pos < c.capEnd && n++ < MAX_FIELDS) {
      align(c, start, 8);
      if (c.pos >= fieldsEnd) break;
      const code = c.u8('dbus.field_code');
      const sigLen = c.u8();
      const sig = c.ascii(undefined, sigLen);
      c.skip(1);
      const key = HEADER_KEYS[code];
      if (sig === 's' || sig === 'o') {
        align(c, start, 4);
        const len = c.u32(undefined, le);
        const at = c.pos;
        const v = c.utf8(undefined, len);
        c.skip(1);
        if (key !== undefined) {
          c.add(key, v, at, len);
          values[key] = v;
        }
      } else if (sig === 'g') {
        const len = c.u8();
        const at = c.pos;
        const v = c.ascii(undefined, len);
        c.skip(1);
        if (key !== undefined) {
          c.add(key, v, at, len);
          values[key] = v;
        }
      } else if (sig === 'u') {
        align(c, start, 4);
        const at = c.pos;
        const v = c.u32(undefined, le);
        if (key !== undefined) {
          c.add(key, v, at, 4);
          values[key] = v;
        }
      } else {
        c.expert('warning', `header field ${code} has an unexpected signature '${sig}'`, 'dbus.field_code');
        break;
      }
    }
    if (n > MAX_FIELDS) c.expert('note', `more than ${MAX_FIELDS} header fields; the rest is not read`);
    align(c, start, 8);
    if (bodyLen > 0) c.skip(Math.min(bodyLen, c.capEnd - c.pos));
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    const member = values['dbus.member'];
    const path = values['dbus.path'];
    const signature = values['dbus.signature'] ?? '';
    let summary = TYPES[type] ?? `Unknown type (${type})`;
    if ((type === 1 || type === 4) && member !== undefined) summary = `${member}() @ ${path ?? ''}`;
    else if (type === 2) summary = `-> '${signature}'`;
    else if (type === 3 && values['dbus.error_name'] !== undefined) summary = `! ${values['dbus.error_name']}`;
    return { summary, info: { type, sender: values['dbus.sender'], destination: values['dbus.destination'] } };
  },
});
