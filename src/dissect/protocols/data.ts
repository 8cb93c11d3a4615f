import { defineProtocol } from '../protocol.js';

/** Bytes no dissector claims (Wireshark's `data`). */
export const data = defineProtocol({
  id: 'data',
  name: 'Data',
  short: 'Data',
  fields: {
    'data.data': { label: 'Data', type: 'bytes' },
    'data.len': { label: 'Length', type: 'i32' },
  },
  dissect(c) {
    const start = c.pos;
    const n = c.remaining();
    if (c.wants('data.data')) c.bytes('data.data', n);
    else c.skip(n);
    c.add('data.len', n, start, 0, `Length: ${n}`);
    const missing = c.reportedRemaining();
    if (missing > 0) c.expert('note', `${missing} more bytes were not captured`);
    return { summary: () => `${n} bytes`, info: { length: n } };
  },
});
