import { defineProtocol } from '../protocol.js';

const SPECIAL_LABELS: Record<number, string> = {
  0: 'IPv4 Explicit-Null',
  1: 'Router Alert',
  2: 'IPv6 Explicit-Null',
  3: 'Implicit-Null',
  7: 'Entropy Label Indicator',
  13: 'Generic Associated Channel Label (GAL)',
  14: 'OAM Alert',
  15: 'Extension',
};

/** Most labels read from one stack (a bound on work; real stacks have a handful). */
const MAX_LABELS = 32;

/**
 * MultiProtocol Label Switching: the whole label stack is one layer (as in Wireshark); after the
 * bottom of the stack the payload is guessed from its first nibble (RFC 4928, 4385, 5586).
 */
export const mpls = defineProtocol({
  id: 'mpls',
  name: 'MultiProtocol Label Switching Header',
  short: 'MPLS',
  bindings: [
    { table: 'ethertype', key: 0x8847 },
    { table: 'ethertype', key: 0x8848 },
    { table: 'ppp.protocol', key: 0x0281 },
    { table: 'ppp.protocol', key: 0x0283 },
    { table: 'udp.port', key: 6635 },
  ],
  fields: {
    'mpls.label': { label: 'MPLS Label', type: 'u32', base: 'dec_hex', mask: 0xfffff000, values: SPECIAL_LABELS },
    'mpls.exp': { label: 'MPLS Experimental Bits', type: 'u32', mask: 0x00000e00 },
    'mpls.bottom': { label: 'MPLS Bottom Of Label Stack', type: 'u32', mask: 0x00000100 },
    'mpls.ttl': { label: 'MPLS TTL', type: 'u32', mask: 0x000000ff },
  },
  dissect(c) {
    const labels: number[] = [];
    const parts: string[] = [];
    let bottom = false;
    while (!bottom) {
      if (labels.length >= MAX_LABELS) {
        c.expert('warning', `more than ${MAX_LABELS} MPLS labels; the rest is not dissected`, 'mpls.label');
        return { summary: parts.join(', '), info: { labels } };
      }
      const label = c.bits('mpls.label', 4, 0xfffff000);
      const exp = c.bits('mpls.exp', 4, 0x00000e00);
      bottom = c.bits('mpls.bottom', 4, 0x00000100) === 1;
      const ttl = c.bits('mpls.ttl', 4, 0x000000ff);
      c.skip(4);
      labels.push(label);
      if (c.summaries) parts.push(`Label: ${label}${SPECIAL_LABELS[label] !== undefined ? ` (${SPECIAL_LABELS[label]})` : ''}, Exp: ${exp}, S: ${bottom ? 1 : 0}, TTL: ${ttl}`);
    }
    const summary = parts.join('; ');
    const info = { labels };
    if (!c.has(1)) return { summary, info, next: c.reportedRemaining() > 0 ? { protocol: 'ip' } : undefined };
    const nibble = c.peek8() >> 4;
    if (nibble === 4) return { summary, info, next: { protocol: 'ip' } };
    if (nibble === 6) return { summary, info, next: { protocol: 'ipv6' } };
    if (nibble === 1) return { summary, info, next: { protocol: 'data' } };
    return { summary, info, next: { protocol: 'pwethheuristic' } };
  },
});
