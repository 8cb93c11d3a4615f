import { defineProtocol } from '../protocol.js';
import { IP_PROTOCOLS } from './ip-protocols.js';

/** IP Authentication Header (RFC 4302), then the protocol it protects. */
export const ah = defineProtocol({
  id: 'ah',
  name: 'Authentication Header',
  short: 'AH',
  bindings: [{ table: 'ip.proto', key: 51 }],
  fields: {
    'ah.next_header': { label: 'Next header', type: 'u8', values: IP_PROTOCOLS },
    'ah.length': { label: 'Length', type: 'u8' },
    'ah.reserved': { label: 'Reserved', type: 'bytes' },
    'ah.spi': { label: 'AH SPI', type: 'u32', base: 'hex' },
    'ah.sequence': { label: 'AH Sequence', type: 'u32' },
    'ah.icv': { label: 'AH ICV', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const nxt = c.u8('ah.next_header');
    const lenAt = c.pos;
    const len = c.u8();
    const bytes = (len + 2) * 4;
    c.add('ah.length', len, lenAt, 1, `Length: ${len} (${bytes} bytes)`);
    c.bytes('ah.reserved', 2);
    const spi = c.u32('ah.spi');
    const seq = c.u32('ah.sequence');
    if (bytes < 12) c.malformed(`AH length ${bytes} is shorter than its fixed part`, 'ah.length', lenAt);
    if (bytes > 12) c.bytes('ah.icv', bytes - 12);
    return {
      summary: c.summaries ? `AH (SPI=0x${spi.toString(16).padStart(8, '0')})` : '',
      info: { spi, seq, nxt },
      payloadOffset: start + bytes,
      next: { table: 'ip.proto', keys: [nxt] },
    };
  },
});
