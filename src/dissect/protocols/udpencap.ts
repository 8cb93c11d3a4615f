import { defineProtocol } from '../protocol.js';

/**
 * UDP encapsulation of IPsec (RFC 3948, UDP 4500): a NAT keepalive (one 0xff byte), IKE after a
 * four-zero-byte non-ESP marker, or ESP.
 */
export const udpencap = defineProtocol({
  id: 'udpencap',
  name: 'UDP Encapsulation of IPsec Packets',
  short: 'UDPENCAP',
  bindings: [{ table: 'udp.port', key: 4500 }],
  fields: {
    'udpencap.nat_keepalive': { label: 'NAT-keepalive packet', type: 'none' },
    'udpencap.non_esp_marker': { label: 'Non-ESP Marker', type: 'none' },
  },
  dissect(c) {
    const left = c.reportedRemaining();
    // The peeks signal a truncation when the capture ends before the bytes that decide.
    if (left === 1 && c.peek8() === 0xff) {
      c.bytes('udpencap.nat_keepalive', 1);
      return { summary: 'NAT-keepalive', info: { keepalive: true } };
    }
    if (left >= 4 && c.peek32() === 0) {
      c.bytes('udpencap.non_esp_marker', 4);
      return { summary: 'Non-ESP marker', info: { ike: true }, next: { protocol: 'isakmp' } };
    }
    return { info: {}, next: { protocol: 'esp' } };
  },
});
