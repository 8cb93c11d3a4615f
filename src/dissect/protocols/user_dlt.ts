import { defineProtocol } from '../protocol.js';

/**
 * The user-defined link types (LINKTYPE_USER0..15, 147-162): tshark says the encapsulation is
 * not handled unless configured, and shows the bytes as data under `user_dlt`.
 */
export const userDlt = defineProtocol({
  id: 'user_dlt',
  name: 'DLT User',
  short: 'USER_DLT',
  bindings: Array.from({ length: 16 }, (_, i) => ({ table: 'linktype', key: 147 + i })),
  fields: {},
  dissect(c) {
    c.expert('warning', 'user encapsulation not handled (no dissector is configured for this user link type)');
    return { summary: '', info: {}, next: { protocol: 'data' } };
  },
});
