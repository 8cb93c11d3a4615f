import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const OPCODES: Record<number, string> = { 0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh', 9: 'Refresh (alternate opcode)', 15: 'Multi-homed registration' };
const TYPES: Record<number, string> = { 32: 'NB', 33: 'NBSTAT' };

/** A NetBIOS name: a DNS-style label holding the first-level encoding (RFC 1001 14.1), decoded. */
export function nbName(c: Cursor, msgStart: number): string {
  const at = c.pos;
  const len = c.peek8();
  if ((len & 0xc0) === 0xc0) {
    // Compressed: point back into the message.
    c.need(2);
    const target = msgStart + (((len & 0x3f) << 8) | c.peek8(1));
    c.skip(2);
    return target >= msgStart && target < at && c.data[target] === 32 ? decodeFirstLevel(c.data.subarray(target + 1, target + 33)) : '<compressed>';
  }
  c.skip(1);
  const raw = c.bytes(undefined, len);
  let name = len === 32 ? decodeFirstLevel(raw) : new TextDecoder('latin1').decode(raw);
  let guard = 0;
  while (c.peek8() !== 0 && guard++ < 64) {
    const l = c.u8();
    if ((l & 0xc0) !== 0) {
      c.skip(1);
      return name;
    }
    name += '.' + c.ascii(undefined, l);
  }
  c.skip(1);
  return name;
}

function decodeFirstLevel(raw: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < raw.length; i += 2) s += String.fromCharCode(((raw[i]! - 0x41) << 4) | (raw[i + 1]! - 0x41));
  const suffix = s.charCodeAt(15);
  // Unprintable characters as <hh>, as Wireshark shows them (`<01><02>__MSBROWSE__<02>`).
  const base = s
    .slice(0, 15)
    .replace(/ +$/, '')
    .replace(/[^\x20-\x7e]/g, (ch) => `<${ch.charCodeAt(0).toString(16).padStart(2, '0')}>`);
  return `${base}<${suffix.toString(16).padStart(2, '0')}>`;
}

/** NetBIOS Name Service (UDP 137): header, counts and question names. */
export const nbns = defineProtocol({
  id: 'nbns',
  name: 'NetBIOS Name Service',
  short: 'NBNS',
  bindings: [{ table: 'udp.port', key: 137 }],
  fields: {
    'nbns.id': { label: 'Transaction ID', type: 'u16', base: 'hex' },
    'nbns.flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'nbns.flags.response': { label: 'Response', type: 'bool', mask: 0x8000, tfs: ['Message is a response', 'Message is a query'] },
    'nbns.flags.opcode': { label: 'Opcode', type: 'u16', mask: 0x7800, values: OPCODES },
    'nbns.flags.rcode': { label: 'Reply code', type: 'u16', mask: 0x000f },
    'nbns.count.queries': { label: 'Questions', type: 'u16' },
    'nbns.count.answers': { label: 'Answer RRs', type: 'u16' },
    'nbns.count.auth_rr': { label: 'Authority RRs', type: 'u16' },
    'nbns.count.add_rr': { label: 'Additional RRs', type: 'u16' },
    'nbns.name': { label: 'Name', type: 'string' },
    'nbns.type': { label: 'Type', type: 'u16', values: TYPES },
    'nbns.class': { label: 'Class', type: 'u16' },
  },
  dissect(c) {
    const msgStart = c.pos;
    const id = c.u16('nbns.id');
    const flags = c.peek16();
    const response = (flags & 0x8000) !== 0;
    const opcode = (flags >> 11) & 0xf;
    c.group('nbns.flags', () => {
      c.flag('nbns.flags.response', 2, 0x8000);
      c.bits('nbns.flags.opcode', 2, 0x7800);
      if (response) c.bits('nbns.flags.rcode', 2, 0x000f);
      return c.u16();
    }, 2);
    const qd = c.u16('nbns.count.queries');
    const an = c.u16('nbns.count.answers');
    c.u16('nbns.count.auth_rr');
    c.u16('nbns.count.add_rr');
    const names: string[] = [];
    /** NB answers of a positive response: name and the first address given (the name book reads them). */
    const addresses: { name: string; address: string; group: boolean }[] = [];
    const rcode = flags & 0xf;
    const records = Math.min(qd + (response ? an : 0), 64);
    for (let i = 0; i < records && c.remaining() > 0; i++) {
      const at = c.pos;
      const name = nbName(c, msgStart);
      c.add('nbns.name', name, at, c.pos - at);
      const type = c.u16('nbns.type');
      c.u16('nbns.class');
      names.push(`${TYPES[type] ?? type} ${name}`);
      if (i >= qd) {
        c.skip(4);
        const rdlen = c.u16();
        if (type === 0x20 && rcode === 0 && rdlen >= 6 && c.remaining() >= 6) {
          addresses.push({ name, address: `${c.data[c.pos + 2]}.${c.data[c.pos + 3]}.${c.data[c.pos + 4]}.${c.data[c.pos + 5]}`, group: (c.peek16() & 0x8000) !== 0 });
        }
        c.skip(rdlen);
      }
    }
    const summary = c.summaries ? `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${response ? ' response' : ''}${names.length ? ' ' + names[0] : ''}` : '';
    return { summary, info: { id, response, opcode, addresses } };
  },
});
