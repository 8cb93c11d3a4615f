import { defineProtocol } from '../protocol.js';

/**
 * IP Encapsulating Security Payload (RFC 4303). Without keys the payload cannot be read: like
 * tshark, the SPI and sequence number are shown and the rest belongs to ESP.
 */
export const esp = defineProtocol({
  id: 'esp',
  name: 'Encapsulating Security Payload',
  short: 'ESP',
  bindings: [{ table: 'ip.proto', key: 50 }],
  fields: {
    'esp.spi': { label: 'ESP SPI', type: 'u32', base: 'hex_dec' },
    'esp.sequence': { label: 'ESP Sequence', type: 'u32' },
  },
  dissect(c) {
    const spi = c.u32('esp.spi');
    const seq = c.u32('esp.sequence');
    return {
      summary: c.summaries ? `ESP (SPI=0x${spi.toString(16).padStart(8, '0')})` : '',
      info: { spi, seq },
      payloadOffset: c.capEnd,
    };
  },
});
