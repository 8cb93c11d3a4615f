import { defineProtocol } from '../protocol.js';

const COMMANDS: Readonly<Record<number, string>> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };

/** Most route entries read (a datagram carries at most 25; the bound covers jumbo frames). */
const MAX_ENTRIES = 512;

/** Routing Information Protocol, versions 1 and 2 (UDP 520): the header and each route entry. */
export const rip = defineProtocol({
  id: 'rip',
  name: 'Routing Information Protocol',
  short: 'RIP',
  bindings: [{ table: 'udp.port', key: 520 }],
  fields: {
    'rip.command': { label: 'Command', type: 'u8', values: COMMANDS },
    'rip.version': { label: 'Version', type: 'u8', values: { 1: 'RIPv1', 2: 'RIPv2' } },
    'rip.routing_domain': { label: 'Routing Domain', type: 'u16' },
    'rip.family': { label: 'Address Family', type: 'u16', values: { 2: 'IP', 0xffff: 'Authentication' } },
    'rip.route_tag': { label: 'Route Tag', type: 'u16' },
    'rip.ip': { label: 'IP Address', type: 'ipv4' },
    'rip.netmask': { label: 'Netmask', type: 'ipv4' },
    'rip.next_hop': { label: 'Next Hop', type: 'ipv4' },
    'rip.metric': { label: 'Metric', type: 'u16' },
    'rip.auth.type': { label: 'Authentication type', type: 'u16' },
    'rip.authentication_data': { label: 'Authentication Data', type: 'bytes' },
  },
  dissect(c) {
    const command = c.u8('rip.command');
    const version = c.u8('rip.version');
    const name = COMMANDS[command] ?? `Unknown command (${command})`;
    c.provisional = () => name;
    if (version === 2) c.u16('rip.routing_domain');
    else c.skip(2);
    let n = 0;
    while (c.capEnd - c.pos >= 20 && n < MAX_ENTRIES) {
      const family = c.peek16();
      if (family === 0xffff) {
        c.u16('rip.family');
        c.u16('rip.auth.type');
        c.bytes('rip.authentication_data', 16);
      } else {
        c.u16('rip.family');
        if (version === 2) c.u16('rip.route_tag');
        else c.skip(2);
        c.ipv4('rip.ip');
        if (version === 2) {
          c.ipv4('rip.netmask');
          c.ipv4('rip.next_hop');
        } else c.skip(8);
        c.skip(2);
        c.u16('rip.metric');
      }
      n++;
    }
    if (n === MAX_ENTRIES && c.capEnd - c.pos >= 20) c.expert('note', `more than ${MAX_ENTRIES} entries; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary: name, name: version === 2 ? 'RIPv2' : 'RIPv1', info: { command, version, entries: n } };
  },
});
