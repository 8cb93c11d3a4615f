import { finishChecksum, onesSum } from '../checksum.js';
import { defineProtocol } from '../protocol.js';
import { CHECKSUM_STATUS } from './transport-checksum.js';

/** Protocol type names as Wireshark's GRE shows them (`Generic Routing Encapsulation (IP)`). */
const GRE_TYPES: Record<number, string> = {
  0x0000: 'Possible GRE keepalive packet',
  0x0800: 'IP',
  0x0806: 'ARP',
  0x0bbb: 'Cisco Discovery Protocol',
  0x2000: 'CDP',
  0x22eb: 'ERSPAN III',
  0x6558: 'Transparent Ethernet bridging',
  0x6559: 'Frame Relay',
  0x86dd: 'IPv6',
  0x8137: 'IPX',
  0x880b: 'PPP',
  0x881b: '3GPP2',
  0x883e: 'WCCP',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x88be: 'ERSPAN',
  0x8909: 'CiscoMetaData',
  0x894f: 'NSH',
};

const GRE_PPP = 0x880b;
const GRE_WCCP = 0x883e;

/** Generic Routing Encapsulation (RFC 1701/2784/2890) and PPTP's enhanced GRE (RFC 2637). */
export const gre = defineProtocol({
  id: 'gre',
  name: 'Generic Routing Encapsulation',
  short: 'GRE',
  bindings: [{ table: 'ip.proto', key: 47 }],
  fields: {
    'gre.flags_and_version': { label: 'Flags and Version', type: 'u16', base: 'hex' },
    'gre.flags.checksum': { label: 'Checksum Bit', type: 'bool', mask: 0x8000, tfs: ['Yes', 'No'] },
    'gre.flags.routing': { label: 'Routing Bit', type: 'bool', mask: 0x4000, tfs: ['Yes', 'No'] },
    'gre.flags.key': { label: 'Key Bit', type: 'bool', mask: 0x2000, tfs: ['Yes', 'No'] },
    'gre.flags.sequence_number': { label: 'Sequence Number Bit', type: 'bool', mask: 0x1000, tfs: ['Yes', 'No'] },
    'gre.flags.strict_source_route': { label: 'Strict Source Route Bit', type: 'bool', mask: 0x0800, tfs: ['Yes', 'No'] },
    'gre.flags.recursion_control': { label: 'Recursion control', type: 'u16', mask: 0x0700 },
    'gre.flags.ack': { label: 'Acknowledgment', type: 'bool', mask: 0x0080, tfs: ['Yes', 'No'] },
    'gre.flags.reserved_ppp': { label: 'Flags (Reserved)', type: 'u16', mask: 0x0078 },
    'gre.flags.reserved': { label: 'Flags (Reserved)', type: 'u16', mask: 0x00f8 },
    'gre.flags.version': { label: 'Version', type: 'u16', mask: 0x0007, values: { 0: 'GRE', 1: 'Enhanced GRE' } },
    'gre.proto': { label: 'Protocol Type', type: 'u16', base: 'hex', values: GRE_TYPES },
    'gre.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'gre.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'gre.offset': { label: 'Offset', type: 'u16' },
    'gre.key': { label: 'Key', type: 'u32', base: 'hex' },
    'gre.key.payload_length': { label: 'Payload Length', type: 'u16' },
    'gre.key.call_id': { label: 'Call ID', type: 'u16' },
    'gre.sequence_number': { label: 'Sequence Number', type: 'u32' },
    'gre.ack_number': { label: 'Acknowledgment Number', type: 'u32' },
    'gre.routing': { label: 'Routing', type: 'none' },
    'gre.routing.address_family': { label: 'Address Family', type: 'u16' },
    'gre.routing.sre_offset': { label: 'SRE Offset', type: 'u8' },
    'gre.routing.src_length': { label: 'SRE Length', type: 'u8' },
    'gre.routing.information': { label: 'Routing Information', type: 'bytes' },
    'gre.wccp.redirect_header': { label: 'Redirect Header', type: 'none' },
    'gre.wccp.dynamic_service': { label: 'Dynamic Service', type: 'bool', mask: 0x01 },
    'gre.wccp.alternative_bucket_used': { label: 'Alternative bucket used', type: 'bool', mask: 0x02 },
    'gre.wccp.redirect_header_valid': { label: 'WCCP Redirect header is valid', type: 'bool', mask: 0x04 },
    'gre.wccp.service_id': { label: 'Service ID', type: 'u8' },
    'gre.wccp.alternative_bucket': { label: 'Alternative Bucket', type: 'u8' },
    'gre.wccp.primary_bucket': { label: 'Primary Bucket', type: 'u8' },
  },
  dissect(c) {
    const start = c.pos;
    const fv = c.peek16();
    const type = c.peek16(2);
    const version = fv & 0x0007;
    const isPpp = type === GRE_PPP && version === 1;
    c.group('gre.flags_and_version', () => {
      c.flag('gre.flags.checksum', 2, 0x8000);
      c.flag('gre.flags.routing', 2, 0x4000);
      c.flag('gre.flags.key', 2, 0x2000);
      c.flag('gre.flags.sequence_number', 2, 0x1000);
      c.flag('gre.flags.strict_source_route', 2, 0x0800);
      c.bits('gre.flags.recursion_control', 2, 0x0700);
      if (version === 1) {
        c.flag('gre.flags.ack', 2, 0x0080);
        c.bits('gre.flags.reserved_ppp', 2, 0x0078);
      } else {
        c.bits('gre.flags.reserved', 2, 0x00f8);
      }
      c.bits('gre.flags.version', 2, 0x0007);
      return c.u16();
    }, 2);
    c.u16('gre.proto');
    const info: Record<string, unknown> = { proto: type, version };
    if ((fv & 0xc000) !== 0) {
      const checksumAt = c.pos;
      const checksum = c.u16('gre.checksum');
      if ((fv & 0x8000) !== 0 && c.mode === 'full' && c.reportedRemaining() === c.remaining()) {
        const ok = finishChecksum(onesSum(c.data, start, c.capEnd)) === 0;
        c.add('gre.checksum.status', ok ? 1 : 0, checksumAt, 0);
        if (!ok) c.expert('warning', `bad GRE checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'gre.checksum', checksumAt);
      }
      c.u16('gre.offset');
    }
    if ((fv & 0x2000) !== 0) {
      if (isPpp) {
        info['payloadLength'] = c.u16('gre.key.payload_length');
        info['callId'] = c.u16('gre.key.call_id');
      } else {
        info['key'] = c.u32('gre.key');
      }
    }
    if ((fv & 0x1000) !== 0) info['seq'] = c.u32('gre.sequence_number');
    if (isPpp && (fv & 0x0080) !== 0) info['ack'] = c.u32('gre.ack_number');
    if ((fv & 0x4000) !== 0) {
      const routingAt = c.pos;
      c.group('gre.routing', () => {
        for (let guard = 0; ; guard++) {
          if (guard >= 64) {
            c.expert('warning', 'more than 64 source route entries; the rest is not dissected', 'gre.routing');
            break;
          }
          const af = c.u16('gre.routing.address_family');
          c.u8('gre.routing.sre_offset');
          const len = c.u8('gre.routing.src_length');
          if (af === 0 && len === 0) break;
          if (len > 0) c.bytes('gre.routing.information', len);
        }
        return c.data.subarray(routingAt, c.pos);
      }, -1, () => 'Routing');
    }
    const name = GRE_TYPES[type] ?? `0x${type.toString(16).padStart(4, '0').toUpperCase()} (unknown)`;
    const summary = c.summaries ? `Encapsulated ${name}` : '';
    if (c.reportedRemaining() <= 0) return { summary, info };
    // WCCPv2 adds a 4-byte redirect header unless the payload starts like an IPv4 header.
    if (type === GRE_WCCP && c.has(1) && (c.peek8() & 0xf0) !== 0x40) {
      c.group('gre.wccp.redirect_header', () => {
        c.flag('gre.wccp.dynamic_service', 1, 0x01);
        c.flag('gre.wccp.alternative_bucket_used', 1, 0x02);
        c.flag('gre.wccp.redirect_header_valid', 1, 0x04);
        c.skip(1);
        c.u8('gre.wccp.service_id');
        c.u8('gre.wccp.alternative_bucket');
        c.u8('gre.wccp.primary_bucket');
        return c.data.subarray(c.pos - 4, c.pos);
      }, 4, () => 'Redirect Header');
      return { summary, info, next: { protocol: 'ip' } };
    }
    // Protocols reach GRE's payload through the Ethernet type table (see family-tunnel.ts).
    // PPP in GRE (PPTP) comes with HDLC-like address and control bytes: Wireshark's ppp_hdlc.
    if (type === GRE_PPP) return { summary, info, next: { protocol: 'ppp' } };
    // tshark looks in gre.proto first (CDP is 0x2000 there only), then in the ethertypes.
    return { summary, info, next: type === 0 ? undefined : { table: 'gre.proto', keys: [type], fallback: { table: 'ethertype', keys: [type] } } };
  },
});
