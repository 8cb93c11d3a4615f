import { defineProtocol } from '../protocol.js';

/**
 * Raw IP (LINKTYPE_RAW 101, and the DLT_RAW values 12 and 14 that some platforms write): no
 * link header. Like Wireshark, a PPP header left in place by old Linux drivers goes to PPP, ten
 * zero bytes (an ISDN link that is down) are skipped, and otherwise the version nibble chooses
 * IPv4 or IPv6. The layer has no header of its own.
 */
export const raw = defineProtocol({
  id: 'raw',
  name: 'Raw packet data',
  short: 'Raw',
  bindings: [
    { table: 'linktype', key: 101 },
    { table: 'linktype', key: 12 },
    { table: 'linktype', key: 14 },
  ],
  fields: {},
  dissect(c) {
    const start = c.pos;
    const d = c.data;
    const at16 = (rel: number): number => (c.has(rel + 2) ? (d[start + rel]! << 8) | d[start + rel + 1]! : -1);
    if (at16(0) === 0xff03) return { summary: 'PPP', next: { protocol: 'ppp' } };
    if (at16(6) === 0xff03) return { summary: 'ISDN fake MAC address, PPP', payloadOffset: start + 6, next: { protocol: 'ppp' } };
    if (at16(1) === 0xff03) return { summary: 'ISDN prefix byte, PPP', payloadOffset: start + 1, next: { protocol: 'ppp' } };
    if (c.has(10) && d.subarray(start, start + 10).every((b) => b === 0)) {
      return { summary: 'ISDN link down, IPv4', payloadOffset: start + 10, next: { protocol: 'ip' } };
    }
    if (!c.has(1)) return { summary: 'Raw packet data' };
    const version = c.peek8() >> 4;
    if (version === 4) return { summary: 'IPv4', info: { version }, next: { protocol: 'ip' } };
    if (version === 6) return { summary: 'IPv6', info: { version }, next: { protocol: 'ipv6' } };
    return { summary: 'Raw packet data', info: { version } };
  },
});
