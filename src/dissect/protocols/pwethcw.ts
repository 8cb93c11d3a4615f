import { defineProtocol } from '../protocol.js';

/** Ethernet pseudowire with a control word (RFC 4448): 4 bytes (first nibble 0), then Ethernet. */
export const pwethcw = defineProtocol({
  id: 'pwethcw',
  name: 'PW Ethernet Control Word',
  short: 'PW Eth',
  fields: {
    'pweth.cw.sequence_number': { label: 'PW sequence number (ethernet)', type: 'u16' },
  },
  dissect(c) {
    const start = c.pos;
    const first = c.u16();
    if (first >> 12 !== 0) c.expert('warning', 'the control word does not start with 0000', undefined, start);
    const seq = c.u16('pweth.cw.sequence_number');
    return { summary: c.summaries ? `Sequence number: ${seq}` : '', info: { seq }, next: { protocol: 'eth' } };
  },
});
