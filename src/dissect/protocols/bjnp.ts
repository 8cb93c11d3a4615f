import { defineProtocol } from '../protocol.js';

const TYPES: Readonly<Record<number, string>> = {
  0x01: 'Printer Command',
  0x02: 'Scanner Command',
  0x81: 'Printer Response',
  0x82: 'Scanner Response',
};

const CODES: Readonly<Record<number, string>> = {
  0x01: 'Discover',
  0x10: 'Print Job Details',
  0x11: 'Request Closure',
  0x20: 'Get Printer Status',
  0x21: 'Print',
  0x30: 'Get Printer Identity',
  0x32: 'Scan Job Details',
};

/** Canon BJNP printer and scanner discovery (UDP 8611-8614): the 16-byte header and its payload. */
export const bjnp = defineProtocol({
  id: 'bjnp',
  name: 'Canon BJNP',
  short: 'BJNP',
  bindings: [8611, 8612, 8613, 8614].map((key) => ({ table: 'udp.port', key })),
  fields: {
    'bjnp.id': { label: 'Id', type: 'string' },
    'bjnp.type': { label: 'Type', type: 'u8', values: TYPES },
    'bjnp.code': { label: 'Code', type: 'u8', values: CODES },
    'bjnp.seq_no': { label: 'Sequence Number', type: 'u32' },
    'bjnp.session_id': { label: 'Session Id', type: 'u16' },
    'bjnp.payload_len': { label: 'Payload Length', type: 'u32' },
    'bjnp.payload': { label: 'Payload', type: 'bytes' },
  },
  dissect(c) {
    c.ascii('bjnp.id', 4);
    const type = c.u8('bjnp.type');
    const code = c.u8('bjnp.code');
    const summary = `${TYPES[type] ?? `Unknown type (${type})`}: ${CODES[code] ?? `Unknown code (${code})`}`;
    c.provisional = () => summary;
    c.u32('bjnp.seq_no');
    c.u16('bjnp.session_id');
    const len = c.u32('bjnp.payload_len');
    if (len > 0) c.bytes('bjnp.payload', Math.min(len, c.capEnd - c.pos));
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { type, code } };
  },
});
