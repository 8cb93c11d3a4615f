import { defineProtocol } from '../protocol.js';

const MESSAGES = [
  'pad1', 'padn', 'ack-req', 'ack', 'hello', 'ihu', 'router-id', 'nh', 'update', 'request', 'mh-request', 'ts/pc (obsolete)', 'hmac',
  'source-specific-update', 'source-specific-req', 'source-specific-seqno', 'hmac', 'pc', 'challenge-request', 'challenge-reply',
] as const;

/** Most messages (TLVs) read from one packet. */
const MAX_MESSAGES = 1024;

/** Babel routing protocol (UDP 6696, RFC 8966): the header and the type and length of each message. */
export const babel = defineProtocol({
  id: 'babel',
  name: 'Babel Routing Protocol',
  short: 'Babel',
  bindings: [{ table: 'udp.port', key: 6696 }],
  fields: {
    'babel.magic': { label: 'Magic', type: 'u8' },
    'babel.version': { label: 'Version', type: 'u8' },
    'babel.bodylen': { label: 'Body Length', type: 'u16' },
    'babel.message': { label: 'Message', type: 'u8' },
    'babel.message.type': { label: 'Message Type', type: 'u8', values: Object.fromEntries(MESSAGES.map((m, i) => [i, m])) },
    'babel.message.length': { label: 'Message Length', type: 'u8' },
  },
  dissect(c) {
    const magic = c.u8('babel.magic');
    const version = c.u8('babel.version');
    if (magic !== 42 || version !== 2) return { summary: 'Babel (unknown version)', info: { magic, version } };
    const bodylen = c.u16('babel.bodylen');
    const end = Math.min(c.pos + bodylen, c.capEnd);
    const names: string[] = [];
    c.provisional = () => `Babel ${names.join(' ')}`;
    let n = 0;
    while (c.pos < end && n++ < MAX_MESSAGES) {
      const type = c.peek8();
      const name = MESSAGES[type] ?? 'unknown';
      names.push(name);
      if (type === 0) {
        c.group('babel.message', () => c.u8('babel.message.type'), 1, () => `Message ${name} (${type})`);
        continue;
      }
      const len = c.peek8(1);
      c.group('babel.message', () => {
        c.u8('babel.message.type');
        c.u8('babel.message.length');
        c.skip(len);
        return type;
      }, 2 + len, () => `Message ${name} (${type})`);
    }
    if (n > MAX_MESSAGES) c.expert('note', `more than ${MAX_MESSAGES} messages; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary: `Babel ${names.join(' ')}`, info: { messages: names.length } };
  },
});
