import { defineProtocol } from '../protocol.js';

const FUNCTIONS: Readonly<Record<number, string>> = { 1: 'Reply', 2: 'Forward Data' };

/** Most forward-data hops followed. */
const MAX_HOPS = 64;

/**
 * Ethernet Configuration Test Protocol (loopback, ethertype 0x9000): skip count and functions,
 * little-endian as the protocol defines them; the payload after a Reply is data.
 */
export const loop = defineProtocol({
  id: 'loop',
  name: 'Configuration Test Protocol (loopback)',
  short: 'LOOP',
  bindings: [{ table: 'ethertype', key: 0x9000 }],
  fields: {
    'loop.skipcount': { label: 'skipCount', type: 'u16' },
    'loop.relevant_function': { label: 'Relevant function', type: 'u16', values: FUNCTIONS },
    'loop.function': { label: 'Function', type: 'u16', values: FUNCTIONS },
    'loop.receipt_number': { label: 'Receipt number', type: 'u16' },
    'loop.forwarding_address': { label: 'Forwarding address', type: 'ether' },
  },
  dissect(c) {
    const start = c.pos;
    const skip = c.u16('loop.skipcount', true);
    const relAt = start + 2 + skip;
    let relevant: number | undefined;
    if (relAt + 2 <= c.capEnd) {
      relevant = c.data[relAt]! | (c.data[relAt + 1]! << 8);
      c.add('loop.relevant_function', relevant, relAt, 2);
    }
    const summary = relevant === undefined ? 'Loopback' : FUNCTIONS[relevant] ?? `Unknown function (${relevant})`;
    c.provisional = () => summary;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const fn = c.u16('loop.function', true);
      if (fn === 1) {
        c.u16('loop.receipt_number', true);
        break;
      }
      if (fn !== 2) break;
      c.mac('loop.forwarding_address');
    }
    return { summary, info: { relevant }, next: { protocol: 'data' } };
  },
});
