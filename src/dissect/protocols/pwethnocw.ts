import { defineProtocol } from '../protocol.js';

/** Ethernet pseudowire without a control word: an empty layer, then Ethernet. */
export const pwethnocw = defineProtocol({
  id: 'pwethnocw',
  name: 'Ethernet PW (no CW)',
  short: 'PW Eth',
  fields: {},
  dissect() {
    return { next: { protocol: 'eth' } };
  },
});
