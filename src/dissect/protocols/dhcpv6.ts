import { defineProtocol } from '../protocol.js';

const TYPES: Record<number, string> = {
  1: 'Solicit', 2: 'Advertise', 3: 'Request', 4: 'Confirm', 5: 'Renew', 6: 'Rebind', 7: 'Reply', 8: 'Release',
  9: 'Decline', 10: 'Reconfigure', 11: 'Information-request', 12: 'Relay-forw', 13: 'Relay-reply',
};
const OPTIONS: Record<number, string> = {
  1: 'Client Identifier', 2: 'Server Identifier', 3: 'Identity Association for Non-temporary Address', 4: 'Identity Association for Temporary Address',
  5: 'IA Address', 6: 'Option Request', 7: 'Preference', 8: 'Elapsed time', 9: 'Relay Message', 13: 'Status code',
  14: 'Rapid Commit', 16: 'Vendor Class', 17: 'Vendor-specific Information', 18: 'Interface-Id', 23: 'DNS recursive name server',
  24: 'Domain Search List', 25: 'Identity Association for Prefix Delegation', 26: 'IA Prefix', 39: 'Fully Qualified Domain Name',
};

/** DHCPv6 (UDP 546/547): message type, transaction id, options (type, length, value). */
export const dhcpv6 = defineProtocol({
  id: 'dhcpv6',
  name: 'DHCPv6',
  short: 'DHCPv6',
  bindings: [
    { table: 'udp.port', key: 546 },
    { table: 'udp.port', key: 547 },
  ],
  fields: {
    'dhcpv6.msgtype': { label: 'Message type', type: 'u8', values: TYPES },
    'dhcpv6.xid': { label: 'Transaction ID', type: 'u24', base: 'hex' },
    'dhcpv6.hopcount': { label: 'Hopcount', type: 'u8' },
    'dhcpv6.linkaddr': { label: 'Link address', type: 'ipv6' },
    'dhcpv6.peeraddr': { label: 'Peer address', type: 'ipv6' },
    'dhcpv6.option': { label: 'Option', type: 'bytes' },
    'dhcpv6.option.type': { label: 'Option', type: 'u16', values: OPTIONS },
    'dhcpv6.option.length': { label: 'Length', type: 'u16' },
    'dhcpv6.option.value': { label: 'Value', type: 'bytes' },
    'dhcpv6.elapsed_time': { label: 'Elapsed time', type: 'u16' },
    'dhcpv6.requested_option_code': { label: 'Requested Option code', type: 'u16', values: OPTIONS },
  },
  dissect(c) {
    const type = c.u8('dhcpv6.msgtype');
    let xid: number | undefined;
    if (type === 12 || type === 13) {
      c.u8('dhcpv6.hopcount');
      c.ipv6('dhcpv6.linkaddr');
      c.ipv6('dhcpv6.peeraddr');
    } else xid = c.u24('dhcpv6.xid');
    let guard = 0;
    while (c.remaining() >= 4 && guard++ < 256) {
      const at = c.pos;
      const code = c.peek16();
      const len = c.peek16(2);
      c.group('dhcpv6.option', () => {
        c.u16('dhcpv6.option.type');
        c.u16('dhcpv6.option.length');
        if (code === 8 && len === 2) c.u16('dhcpv6.elapsed_time');
        else if (code === 6 && len % 2 === 0) for (let i = 0; i < len; i += 2) c.u16('dhcpv6.requested_option_code');
        else if (len > 0) c.bytes('dhcpv6.option.value', len);
        return c.data.subarray(at, c.pos);
      }, -1, () => `${OPTIONS[code] ?? `Unknown (${code})`}`);
    }
    const summary = c.summaries ? `${TYPES[type] ?? `Unknown (${type})`}${xid !== undefined ? ` XID: 0x${xid.toString(16)}` : ''}` : '';
    return { summary, info: { type, xid } };
  },
});
