import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

/** Whether 14 bytes at `at` look like an Ethernet header carrying a well-known Ethernet type. */
export function looksLikeEthernet(data: Uint8Array, at: number, end: number): boolean {
  if (at + 14 > end) return false;
  const type = (data[at + 12]! << 8) | data[at + 13]!;
  // Both addresses must be plausible: the source a unicast address.
  if ((data[at + 6]! & 0x01) !== 0) return false;
  return ETHERTYPES[type] !== undefined;
}

/**
 * Wireshark's "Ethernet PW (CW heuristic)": an empty layer deciding whether an MPLS payload is an
 * Ethernet pseudowire with or without a control word.
 */
export const pwethheuristic = defineProtocol({
  id: 'pwethheuristic',
  name: 'Ethernet PW (CW heuristic)',
  short: 'PW Eth',
  fields: {},
  dissect(c) {
    const end = c.capEnd;
    if (looksLikeEthernet(c.data, c.pos, end)) return { next: { protocol: 'pwethnocw' } };
    if (c.has(1) && c.peek8() >> 4 === 0) return { next: { protocol: 'pwethcw' } };
    return { next: { protocol: 'pwethnocw' } };
  },
});
