import { defineProtocol } from '../protocol.js';
import { dissectDnsMessage } from './dns.js';

/** Multicast DNS (UDP 5353): a DNS message with the QU and cache-flush bits; fields are dns.*. */
export const mdns = defineProtocol({
  id: 'mdns',
  name: 'Multicast Domain Name System',
  short: 'MDNS',
  bindings: [{ table: 'udp.port', key: 5353 }],
  fields: {},
  dissect(c) {
    const r = dissectDnsMessage(c, 'mdns');
    return { summary: r.summary, info: r.info };
  },
});
