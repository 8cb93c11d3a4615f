import { defineProtocol } from '../protocol.js';

const MESSAGES: Readonly<Record<number, string>> = {
  1: 'PATH Message. ',
  2: 'RESV Message. ',
  3: 'PATH ERROR Message. ',
  4: 'RESV ERROR Message. ',
  5: 'PATH TEAR Message. ',
  6: 'RESV TEAR Message. ',
  7: 'CONFIRM Message. ',
  10: 'RESV TEAR CONFIRM Message. ',
  12: 'BUNDLE Message. ',
  13: 'ACK Message. ',
  15: 'SREFRESH Message. ',
  20: 'HELLO Message. ',
  21: 'NOTIFY Message. ',
};

/** Most objects read from one message. */
const MAX_OBJECTS = 256;

/**
 * Resource ReserVation Protocol (IP protocol 46): the common header and each object's length,
 * class and C-type; the SESSION and SENDER TEMPLATE objects of IPv4 sessions are described in
 * the summary as tshark does.
 */
export const rsvp = defineProtocol({
  id: 'rsvp',
  name: 'Resource ReserVation Protocol (RSVP)',
  short: 'RSVP',
  bindings: [{ table: 'ip.proto', key: 46 }],
  fields: {
    'rsvp.version': { label: 'RSVP Version', type: 'u8', mask: 0xf0 },
    'rsvp.flags': { label: 'Flags', type: 'u8', base: 'hex', mask: 0x0f },
    'rsvp.msg': { label: 'Message Type', type: 'u8', values: MESSAGES },
    'rsvp.message_checksum': { label: 'Message Checksum', type: 'u16', base: 'hex' },
    'rsvp.sending_ttl': { label: 'Sending TTL', type: 'u8' },
    'rsvp.message_length': { label: 'Message length', type: 'u16' },
    'rsvp.length': { label: 'Length', type: 'u16' },
    'rsvp.object': { label: 'Object class', type: 'u8' },
    'rsvp.ctype': { label: 'C-type', type: 'u32' },
  },
  dissect(c) {
    c.bits('rsvp.version', 1, 0xf0);
    c.bits('rsvp.flags', 1, 0x0f);
    c.skip(1);
    const type = c.u8('rsvp.msg');
    let summary = MESSAGES[type] ?? `Unknown (${type}). `;
    c.provisional = () => summary;
    c.u16('rsvp.message_checksum');
    c.u8('rsvp.sending_ttl');
    c.skip(1);
    const length = c.u16('rsvp.message_length');
    if (length >= 8 && length <= c.reportedRemaining() + 8) c.limit(length);
    let n = 0;
    while (c.capEnd - c.pos >= 4 && n++ < MAX_OBJECTS) {
      const at = c.pos;
      const len = c.u16('rsvp.length');
      const cls = c.u8('rsvp.object');
      const ctype = c.u8();
      c.add('rsvp.ctype', ctype, at + 3, 1);
      if (len < 4) {
        c.expert('warning', `object length ${len} is less than 4`, 'rsvp.length');
        break;
      }
      const d = c.data;
      if (cls === 1 && ctype === 1 && len >= 12 && c.has(8)) {
        const dst = `${d[at + 4]}.${d[at + 5]}.${d[at + 6]}.${d[at + 7]}`;
        summary += `SESSION: IPv4, Destination ${dst}, Protocol ${d[at + 8]}, Port ${(d[at + 10]! << 8) | d[at + 11]!}. `;
      } else if (cls === 11 && ctype === 1 && len >= 12 && c.has(8)) {
        const src = `${d[at + 4]}.${d[at + 5]}.${d[at + 6]}.${d[at + 7]}`;
        summary += `SENDER TEMPLATE: IPv4, Sender ${src}, Port ${(d[at + 10]! << 8) | d[at + 11]!}. `;
      }
      c.seek(Math.min(at + len, c.capEnd));
    }
    if (n > MAX_OBJECTS) c.expert('note', `more than ${MAX_OBJECTS} objects; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { type } };
  },
});
