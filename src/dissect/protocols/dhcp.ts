import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { latin1Text } from '../byte-text.js';

const MESSAGE_TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
  14: 'Bulk Lease Query', 15: 'Lease Query Done', 16: 'Active LeaseQuery', 17: 'Lease Query Status', 18: 'TLS',
};

const OPTIONS: Record<number, string> = {
  0: 'Padding', 1: 'Subnet Mask', 2: 'Time Offset', 3: 'Router', 4: 'Time Server', 5: 'Name Server',
  6: 'Domain Name Server', 7: 'Log Server', 12: 'Host Name', 15: 'Domain Name', 26: 'Interface MTU',
  28: 'Broadcast Address', 31: 'Perform Router Discover', 33: 'Static Route', 42: 'Network Time Protocol Servers',
  43: 'Vendor-Specific Information', 44: 'NetBIOS over TCP/IP Name Server', 46: 'NetBIOS over TCP/IP Node Type',
  47: 'NetBIOS over TCP/IP Scope', 50: 'Requested IP Address', 51: 'IP Address Lease Time', 52: 'Option Overload',
  53: 'DHCP Message Type', 54: 'DHCP Server Identifier', 55: 'Parameter Request List', 56: 'Message',
  57: 'Maximum DHCP Message Size', 58: 'Renewal Time Value', 59: 'Rebinding Time Value', 60: 'Vendor class identifier',
  61: 'Client identifier', 66: 'TFTP Server Name', 67: 'Bootfile name', 77: 'User Class Information',
  81: 'Client Fully Qualified Domain Name', 82: 'Agent Information Option', 116: 'DHCP Auto-Configuration',
  119: 'Domain Search', 121: 'Classless Static Route', 249: 'Private/Classless Static Route (Microsoft)',
  252: 'Private/Proxy autodiscovery', 255: 'End',
};

/** Options made of IPv4 addresses, by the field Wireshark records them as. */
const ADDRESS_OPTIONS: Record<number, string> = {
  1: 'dhcp.option.subnet_mask', 3: 'dhcp.option.router', 6: 'dhcp.option.domain_name_server',
  28: 'dhcp.option.broadcast_address', 42: 'dhcp.option.ntp_server', 50: 'dhcp.option.requested_ip_address',
  54: 'dhcp.option.dhcp_server_id',
};
const STRING_OPTIONS: Record<number, string> = {
  12: 'dhcp.option.hostname', 15: 'dhcp.option.domain_name', 56: 'dhcp.option.message', 60: 'dhcp.option.vendor_class_id',
};
const U32_OPTIONS: Record<number, string> = {
  51: 'dhcp.option.ip_address_lease_time', 58: 'dhcp.option.renewal_time_value', 59: 'dhcp.option.rebinding_time_value',
};

/** What the options said that analysers read: the message type, the client's host name and requested address. */
interface DhcpOptionsSeen {
  type?: number;
  hostname?: string;
  requestedIp?: string;
}

/** Most options (a run of padding counts as one) itemised in one message; the rest stays undissected. */
export const MAX_DHCP_OPTIONS = 512;

function readOptions(c: Cursor, end: number, out: DhcpOptionsSeen): void {
  let guard = 0;
  while (c.pos < end && guard++ < MAX_DHCP_OPTIONS) {
    const at = c.pos;
    const code = c.peek8();
    if (code === 0) {
      // Wireshark shows a run of padding as one item.
      let n = 0;
      while (at + n < end && at + n < c.capEnd && c.data[at + n] === 0) n++;
      c.bytes('dhcp.option.padding', n);
      continue;
    }
    if (code === 255) {
      c.group('dhcp.option.type', () => {
        c.u8('dhcp.option.end');
        return code;
      }, 1, () => 'Option: (255) End');
      if (c.pos < end) {
        let n = 0;
        while (c.pos + n < end && c.pos + n < c.capEnd && c.data[c.pos + n] === 0) n++;
        if (n > 0) c.bytes('dhcp.option.padding', n);
      }
      return;
    }
    const len = c.peek8(1);
    c.need(2 + len);
    let suffix = '';
    c.group('dhcp.option.type', () => {
      c.skip(1);
      c.u8('dhcp.option.length');
      const vend = c.pos + len;
      if (code === 53 && len === 1) {
        out.type = c.u8('dhcp.option.dhcp');
        suffix = ` (${MESSAGE_TYPES[out.type] ?? 'Unknown'})`;
      } else if (ADDRESS_OPTIONS[code] !== undefined && len % 4 === 0) {
        while (c.pos < vend) {
          const a = c.ipv4(ADDRESS_OPTIONS[code]);
          if (code === 50) out.requestedIp ??= a;
        }
      } else if (STRING_OPTIONS[code] !== undefined) {
        const s = c.ascii(STRING_OPTIONS[code], len);
        if (code === 12) out.hostname ??= s;
      } else if (U32_OPTIONS[code] !== undefined && len === 4) {
        c.u32(U32_OPTIONS[code]);
      } else if (code === 57 && len === 2) {
        c.u16('dhcp.option.dhcp_max_message_size');
      } else if (code === 55) {
        while (c.pos < vend) c.u8('dhcp.option.request_list_item');
      } else if (code === 61 && len >= 1) {
        const t = c.u8('dhcp.client_id.type');
        if (t === 1 && len === 7) c.mac('dhcp.hw.mac_addr');
        else if (len > 1) c.bytes('dhcp.client_id', len - 1);
      } else if (code === 81 && len >= 3) {
        c.group('dhcp.fqdn.flags', () => {
          c.bits('dhcp.fqdn.mbz', 1, 0xf0);
          c.flag('dhcp.fqdn.n', 1, 0x08);
          c.flag('dhcp.fqdn.e', 1, 0x04);
          c.flag('dhcp.fqdn.o', 1, 0x02);
          c.flag('dhcp.fqdn.s', 1, 0x01);
          return c.u8();
        }, 1);
        c.u8('dhcp.fqdn.rcode1');
        c.u8('dhcp.fqdn.rcode2');
        if (len > 3) c.ascii('dhcp.fqdn.name', len - 3);
      } else if (len > 0) {
        c.bytes('dhcp.option.value', len);
      }
      if (c.pos < vend) c.skip(vend - c.pos);
      return code;
    }, 2 + len, () => `Option: (${code}) ${OPTIONS[code] ?? 'Unknown'}${suffix}`);
  }
  if (c.pos < end && guard > MAX_DHCP_OPTIONS) c.expert('warning', `more than ${MAX_DHCP_OPTIONS} options; the rest is not dissected`, undefined, c.pos);
}

/** Walks the option codes and lengths without recording (the cursor does not move). */
function prescan(c: Cursor, from: number): void {
  let p = from;
  let guard = 0;
  while (p < c.repEnd && guard++ < 1024) {
    c.need(1, undefined, p);
    const code = c.data[p]!;
    if (code === 0) {
      p++;
      continue;
    }
    if (code === 255) return;
    c.need(2, undefined, p);
    p += 2 + c.data[p + 1]!;
  }
}

/** Dynamic Host Configuration Protocol (BOOTP with the DHCP options), UDP 67/68. */
export const dhcp = defineProtocol({
  id: 'dhcp',
  name: 'Dynamic Host Configuration Protocol',
  short: 'DHCP',
  bindings: [
    { table: 'udp.port', key: 67 },
    { table: 'udp.port', key: 68 },
  ],
  fields: {
    'dhcp.type': { label: 'Message type', type: 'u8', values: { 1: 'Boot Request', 2: 'Boot Reply' } },
    'dhcp.hw.type': { label: 'Hardware type', type: 'u8', base: 'hex', values: { 1: 'Ethernet' } },
    'dhcp.hw.len': { label: 'Hardware address length', type: 'u8' },
    'dhcp.hops': { label: 'Hops', type: 'u8' },
    'dhcp.id': { label: 'Transaction ID', type: 'u32', base: 'hex' },
    'dhcp.secs': { label: 'Seconds elapsed', type: 'u16' },
    'dhcp.flags': { label: 'Bootp flags', type: 'u16', base: 'hex' },
    'dhcp.flags.bc': { label: 'Broadcast flag', type: 'bool', mask: 0x8000, tfs: ['Broadcast', 'Unicast'] },
    'dhcp.flags.reserved': { label: 'Reserved flags', type: 'u16', base: 'hex', mask: 0x7fff },
    'dhcp.ip.client': { label: 'Client IP address', type: 'ipv4' },
    'dhcp.ip.your': { label: 'Your (client) IP address', type: 'ipv4' },
    'dhcp.ip.server': { label: 'Next server IP address', type: 'ipv4' },
    'dhcp.ip.relay': { label: 'Relay agent IP address', type: 'ipv4' },
    'dhcp.hw.mac_addr': { label: 'Client MAC address', type: 'ether' },
    'dhcp.hw.addr': { label: 'Client hardware address', type: 'bytes' },
    'dhcp.hw.addr_padding': { label: 'Client hardware address padding', type: 'bytes' },
    'dhcp.server': { label: 'Server host name', type: 'string' },
    'dhcp.file': { label: 'Boot file name', type: 'string' },
    'dhcp.cookie': { label: 'Magic cookie', type: 'ipv4' },
    'dhcp.option.type': { label: 'Option', type: 'u8', values: OPTIONS },
    'dhcp.option.length': { label: 'Length', type: 'u8' },
    'dhcp.option.value': { label: 'Value', type: 'bytes' },
    'dhcp.option.padding': { label: 'Padding', type: 'bytes' },
    'dhcp.option.end': { label: 'Option End', type: 'u8' },
    'dhcp.option.dhcp': { label: 'DHCP', type: 'u8', values: MESSAGE_TYPES },
    'dhcp.option.subnet_mask': { label: 'Subnet Mask', type: 'ipv4' },
    'dhcp.option.router': { label: 'Router', type: 'ipv4' },
    'dhcp.option.domain_name_server': { label: 'Domain Name Server', type: 'ipv4' },
    'dhcp.option.broadcast_address': { label: 'Broadcast Address', type: 'ipv4' },
    'dhcp.option.ntp_server': { label: 'Network Time Protocol Server', type: 'ipv4' },
    'dhcp.option.requested_ip_address': { label: 'Requested IP Address', type: 'ipv4' },
    'dhcp.option.dhcp_server_id': { label: 'DHCP Server Identifier', type: 'ipv4' },
    'dhcp.option.hostname': { label: 'Host Name', type: 'string' },
    'dhcp.option.domain_name': { label: 'Domain Name', type: 'string' },
    'dhcp.option.message': { label: 'Message', type: 'string' },
    'dhcp.option.vendor_class_id': { label: 'Vendor class identifier', type: 'string' },
    'dhcp.option.ip_address_lease_time': { label: 'IP Address Lease Time', type: 'u32', unit: 's' },
    'dhcp.option.renewal_time_value': { label: 'Renewal Time Value', type: 'u32', unit: 's' },
    'dhcp.option.rebinding_time_value': { label: 'Rebinding Time Value', type: 'u32', unit: 's' },
    'dhcp.option.dhcp_max_message_size': { label: 'Maximum DHCP Message Size', type: 'u16' },
    'dhcp.option.request_list_item': { label: 'Parameter Request List Item', type: 'u8', values: OPTIONS },
    'dhcp.client_id.type': { label: 'Hardware type', type: 'u8' },
    'dhcp.client_id': { label: 'Client Identifier', type: 'bytes' },
    'dhcp.fqdn.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'dhcp.fqdn.mbz': { label: 'Reserved flags', type: 'u8', base: 'hex', mask: 0xf0 },
    'dhcp.fqdn.n': { label: 'Server DDNS', type: 'bool', mask: 0x08 },
    'dhcp.fqdn.e': { label: 'Encoding', type: 'bool', mask: 0x04, tfs: ['Binary encoding', 'ASCII encoding'] },
    'dhcp.fqdn.o': { label: 'Server overrides', type: 'bool', mask: 0x02 },
    'dhcp.fqdn.s': { label: 'Server', type: 'bool', mask: 0x01 },
    'dhcp.fqdn.rcode1': { label: 'A-RR result', type: 'u8' },
    'dhcp.fqdn.rcode2': { label: 'PTR-RR result', type: 'u8' },
    'dhcp.fqdn.name': { label: 'Client name', type: 'string' },
  },
  dissect(c) {
    // Wireshark first walks the options (for the message type) up to the reported end, so a
    // capture cut inside them shows no DHCP field at all.
    if (c.has(240) && c.dv.getUint32(c.pos + 236) === 0x63825363) prescan(c, c.pos + 240);
    const op = c.u8('dhcp.type');
    const htype = c.u8('dhcp.hw.type');
    const hlen = c.u8('dhcp.hw.len');
    c.u8('dhcp.hops');
    const xid = c.u32('dhcp.id');
    c.u16('dhcp.secs');
    c.group('dhcp.flags', () => {
      c.flag('dhcp.flags.bc', 2, 0x8000);
      c.bits('dhcp.flags.reserved', 2, 0x7fff);
      return c.u16();
    }, 2);
    const clientIp = c.ipv4('dhcp.ip.client');
    const yourIp = c.ipv4('dhcp.ip.your');
    c.ipv4('dhcp.ip.server');
    c.ipv4('dhcp.ip.relay');
    const chaddrAt = c.pos;
    let mac: string | undefined;
    if (htype === 1 && hlen === 6) {
      mac = c.mac('dhcp.hw.mac_addr');
      c.bytes('dhcp.hw.addr_padding', 10);
    } else if (hlen > 0 && hlen <= 16) {
      c.bytes('dhcp.hw.addr', hlen);
      if (hlen < 16) c.bytes('dhcp.hw.addr_padding', 16 - hlen);
    } else c.skip(16);
    c.seek(chaddrAt + 16);
    const cstr = (key: string, n: number): void => {
      const at = c.pos;
      c.need(n);
      let z = 0;
      while (z < n && c.data[at + z] !== 0) z++;
      if (z > 0) c.add(key, latin1Text(c.data, at, at + z), at, n);
      else c.add(key, '', at, n, `${key === 'dhcp.server' ? 'Server host name' : 'Boot file name'} not given`);
      c.skip(n);
    };
    cstr('dhcp.server', 64);
    cstr('dhcp.file', 128);
    const out: DhcpOptionsSeen = {};
    const hasCookie = c.remaining() >= 4 && c.peek32() === 0x63825363;
    if (hasCookie) {
      c.ipv4('dhcp.cookie');
      readOptions(c, c.capEnd, out);
    }
    const name = out.type !== undefined ? 'DHCP' : 'BOOTP';
    const summary = !c.summaries
      ? ''
      : out.type !== undefined
        ? `DHCP ${MESSAGE_TYPES[out.type] ?? 'Unknown Message Type'} - Transaction ID 0x${xid.toString(16)}`
        : `Boot ${op === 1 ? 'Request' : 'Reply'}${mac !== undefined ? ` from ${mac}` : ''}`;
    // hostname (option 12), requestedIp (option 50), clientIp and yourIp: what the name book reads.
    return { summary, name, info: { xid, messageType: out.type, clientMac: mac, hostname: out.hostname, requestedIp: out.requestedIp, clientIp, yourIp } };
  },
});
