import { defineProtocol } from '../protocol.js';
import { dissectDnsMessage } from './dns.js';

/** Link-local Multicast Name Resolution (UDP 5355): DNS messages with the C and T flags; fields are dns.*. */
export const llmnr = defineProtocol({
  id: 'llmnr',
  name: 'Link-local Multicast Name Resolution',
  short: 'LLMNR',
  bindings: [{ table: 'udp.port', key: 5355 }],
  fields: {},
  dissect(c) {
    const r = dissectDnsMessage(c, 'llmnr');
    return { summary: r.summary, info: r.info };
  },
});
