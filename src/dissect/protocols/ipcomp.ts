import { defineProtocol } from '../protocol.js';
import { IP_PROTOCOLS } from './ip-protocols.js';

const CPI_NAMES: Record<number, string> = { 1: 'OUI', 2: 'DEFLATE', 3: 'LZS', 4: 'V.44' };

/** IP Payload Compression (RFC 3173): a 4-byte header, then compressed data. */
export const ipcomp = defineProtocol({
  id: 'ipcomp',
  name: 'IP Payload Compression',
  short: 'IPComp',
  bindings: [{ table: 'ip.proto', key: 108 }],
  fields: {
    'ipcomp.next_header': { label: 'Next Header', type: 'u8', base: 'hex', values: IP_PROTOCOLS },
    'ipcomp.flags': { label: 'IPComp Flags', type: 'u8', base: 'hex' },
    'ipcomp.cpi': { label: 'IPComp CPI', type: 'u16', base: 'hex', values: CPI_NAMES },
  },
  dissect(c) {
    const nxt = c.u8('ipcomp.next_header');
    c.u8('ipcomp.flags');
    const cpi = c.u16('ipcomp.cpi');
    return {
      summary: c.summaries ? `IPComp (CPI=${CPI_NAMES[cpi] ?? `0x${cpi.toString(16).padStart(4, '0')}`})` : '',
      info: { nxt, cpi },
      next: c.remaining() > 0 ? { protocol: 'data' } : undefined,
    };
  },
});
