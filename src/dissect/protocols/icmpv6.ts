import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { CHECKSUM_STATUS, ttlBelow, verifyTransportChecksum } from './transport-checksum.js';

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  138: 'Router Renumbering',
  141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2',
  151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation',
  153: 'Multicast Router Termination',
  155: 'RPL Control Message',
};

const UNREACH: Record<number, string> = {
  0: 'no route to destination',
  1: 'communication with destination administratively prohibited',
  2: 'beyond scope of source address',
  3: 'address unreachable',
  4: 'port unreachable',
  5: 'source address failed ingress/egress policy',
  6: 'reject route to destination',
};

const OPTION_TYPES: Record<number, string> = {
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
  7: 'Advertisement Interval',
  8: 'Home Agent Information',
  14: 'Nonce',
  24: 'Route Information',
  25: 'Recursive DNS Server',
  31: 'DNS Search List',
};

const MLDR_TYPES: Record<number, string> = {
  1: 'Mode is include',
  2: 'Mode is exclude',
  3: 'Changed to include mode',
  4: 'Changed to exclude mode',
  5: 'Allow new sources',
  6: 'Block old sources',
};

function readNdOptions(c: Cursor): { linkAddr?: string } {
  const out: { linkAddr?: string } = {};
  let guard = 0;
  while (c.remaining() >= 2 && guard++ < 64) {
    const at = c.pos;
    const type = c.peek8();
    const len = c.peek8(1) * 8;
    if (len === 0) c.malformed('ICMPv6 option with length 0', 'icmpv6.opt.length', at + 1);
    c.group('icmpv6.opt', () => {
      c.u8('icmpv6.opt.type');
      c.u8('icmpv6.opt.length');
      const end = at + len;
      if ((type === 1 || type === 2) && len === 8) {
        out.linkAddr = c.mac('icmpv6.opt.linkaddr');
        c.add(type === 1 ? 'icmpv6.opt.src_linkaddr' : 'icmpv6.opt.target_linkaddr', out.linkAddr, at + 2, 6);
      } else if (type === 3 && len === 32) {
        c.u8('icmpv6.opt.prefix.length');
        c.group('icmpv6.opt.prefix.flag', () => {
          c.flag('icmpv6.opt.prefix.flag.l', 1, 0x80);
          c.flag('icmpv6.opt.prefix.flag.a', 1, 0x40);
          c.flag('icmpv6.opt.prefix.flag.r', 1, 0x20);
          return c.u8();
        }, 1);
        c.u32('icmpv6.opt.prefix.valid_lifetime');
        c.u32('icmpv6.opt.prefix.preferred_lifetime');
        c.skip(4);
        c.ipv6('icmpv6.opt.prefix');
      } else if (type === 5 && len === 8) {
        c.skip(2);
        c.u32('icmpv6.opt.mtu');
      } else if (type === 25 && len >= 24) {
        c.skip(2);
        c.u32('icmpv6.opt.rdnss.lifetime');
        while (c.pos + 16 <= end) c.ipv6('icmpv6.opt.rdnss');
      }
      if (c.pos < end) c.bytes('icmpv6.opt.data', end - c.pos);
      return c.data.subarray(at, end);
    }, len, () => `ICMPv6 Option (${OPTION_TYPES[type] ?? `Unknown ${type}`})`);
  }
  return out;
}

/** Internet Control Message Protocol for IPv6 (echo, errors, neighbour discovery, MLD). */
export const icmpv6 = defineProtocol({
  id: 'icmpv6',
  name: 'Internet Control Message Protocol v6',
  short: 'ICMPv6',
  bindings: [{ table: 'ip.proto', key: 58 }],
  fields: {
    'icmpv6.type': { label: 'Type', type: 'u8', values: TYPES },
    'icmpv6.code': { label: 'Code', type: 'u8' },
    'icmpv6.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'icmpv6.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'icmpv6.reserved': { label: 'Reserved', type: 'bytes' },
    'icmpv6.mtu': { label: 'MTU', type: 'u32' },
    'icmpv6.pointer': { label: 'Pointer', type: 'u32' },
    'icmpv6.echo.identifier': { label: 'Identifier', type: 'u16', base: 'hex' },
    'icmpv6.echo.sequence_number': { label: 'Sequence', type: 'u16' },
    'icmpv6.nd.rs.reserved': { label: 'Reserved', type: 'u32' },
    'icmpv6.nd.ra.cur_hop_limit': { label: 'Cur hop limit', type: 'u8' },
    'icmpv6.nd.ra.flag': { label: 'Flags', type: 'u8', base: 'hex' },
    'icmpv6.nd.ra.flag.m': { label: 'Managed address configuration', type: 'bool', mask: 0x80, tfs: ['Set', 'Not set'] },
    'icmpv6.nd.ra.flag.o': { label: 'Other configuration', type: 'bool', mask: 0x40, tfs: ['Set', 'Not set'] },
    'icmpv6.nd.ra.flag.h': { label: 'Home Agent', type: 'bool', mask: 0x20, tfs: ['Set', 'Not set'] },
    'icmpv6.nd.ra.flag.prf': { label: 'Preference', type: 'u8', mask: 0x18 },
    'icmpv6.nd.ra.router_lifetime': { label: 'Router lifetime (s)', type: 'u16' },
    'icmpv6.nd.ra.reachable_time': { label: 'Reachable time (ms)', type: 'u32' },
    'icmpv6.nd.ra.retrans_timer': { label: 'Retrans timer (ms)', type: 'u32' },
    'icmpv6.nd.ns.reserved': { label: 'Reserved', type: 'u32' },
    'icmpv6.nd.ns.target_address': { label: 'Target Address', type: 'ipv6' },
    'icmpv6.nd.na.flag': { label: 'Flags', type: 'u32', base: 'hex' },
    'icmpv6.nd.na.flag.r': { label: 'Router', type: 'bool', mask: 0x80000000, tfs: ['Set', 'Not set'] },
    'icmpv6.nd.na.flag.s': { label: 'Solicited', type: 'bool', mask: 0x40000000, tfs: ['Set', 'Not set'] },
    'icmpv6.nd.na.flag.o': { label: 'Override', type: 'bool', mask: 0x20000000, tfs: ['Set', 'Not set'] },
    'icmpv6.nd.na.target_address': { label: 'Target Address', type: 'ipv6' },
    'icmpv6.nd.rd.target_address': { label: 'Target Address', type: 'ipv6' },
    'icmpv6.nd.rd.destination_address': { label: 'Destination Address', type: 'ipv6' },
    'icmpv6.opt': { label: 'ICMPv6 Option', type: 'bytes' },
    'icmpv6.opt.type': { label: 'Type', type: 'u8', values: OPTION_TYPES },
    'icmpv6.opt.length': { label: 'Length', type: 'u8' },
    'icmpv6.opt.linkaddr': { label: 'Link-layer address', type: 'ether' },
    'icmpv6.opt.src_linkaddr': { label: 'Source Link-layer address', type: 'ether' },
    'icmpv6.opt.target_linkaddr': { label: 'Target Link-layer address', type: 'ether' },
    'icmpv6.opt.prefix.length': { label: 'Prefix Length', type: 'u8' },
    'icmpv6.opt.prefix.flag': { label: 'Flag', type: 'u8', base: 'hex' },
    'icmpv6.opt.prefix.flag.l': { label: 'On-link flag(L)', type: 'bool', mask: 0x80, tfs: ['Set', 'Not set'] },
    'icmpv6.opt.prefix.flag.a': { label: 'Autonomous address-configuration flag(A)', type: 'bool', mask: 0x40, tfs: ['Set', 'Not set'] },
    'icmpv6.opt.prefix.flag.r': { label: 'Router address flag(R)', type: 'bool', mask: 0x20, tfs: ['Set', 'Not set'] },
    'icmpv6.opt.prefix.valid_lifetime': { label: 'Valid Lifetime', type: 'u32' },
    'icmpv6.opt.prefix.preferred_lifetime': { label: 'Preferred Lifetime', type: 'u32' },
    'icmpv6.opt.prefix': { label: 'Prefix', type: 'ipv6' },
    'icmpv6.opt.mtu': { label: 'MTU', type: 'u32' },
    'icmpv6.opt.rdnss.lifetime': { label: 'Lifetime', type: 'u32' },
    'icmpv6.opt.rdnss': { label: 'Recursive DNS Servers', type: 'ipv6' },
    'icmpv6.opt.data': { label: 'Data', type: 'bytes' },
    'icmpv6.mld.maximum_response_delay': { label: 'Maximum Response Delay [ms]', type: 'u16' },
    'icmpv6.mld.multicast_address': { label: 'Multicast Address', type: 'ipv6' },
    'icmpv6.mldr.nb_mcast_records': { label: 'Number of Multicast Address Records', type: 'u16' },
    'icmpv6.mldr.mar': { label: 'Multicast Address Record', type: 'bytes' },
    'icmpv6.mldr.mar.record_type': { label: 'Record Type', type: 'u8', values: MLDR_TYPES },
    'icmpv6.mldr.mar.aux_data_len': { label: 'Aux Data Len', type: 'u8' },
    'icmpv6.mldr.mar.nb_sources': { label: 'Number of Sources', type: 'u16' },
    'icmpv6.mldr.mar.multicast_address': { label: 'Multicast Address', type: 'ipv6' },
    'icmpv6.mldr.mar.source_address': { label: 'Source Address', type: 'ipv6' },
  },
  dissect(c) {
    const start = c.pos;
    const type = c.u8('icmpv6.type');
    const code = c.u8('icmpv6.code');
    const checksumAt = c.pos;
    const checksum = c.u16('icmpv6.checksum');
    if (c.mode === 'full' && c.reportedRemaining() === c.remaining()) {
      const ok = verifyTransportChecksum(c, start, c.capEnd - start, 58);
      if (ok !== undefined) {
        c.add('icmpv6.checksum.status', ok ? 1 : 0, checksumAt, 0);
        if (!ok) c.expert('warning', `bad ICMPv6 checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'icmpv6.checksum', checksumAt);
      }
    }
    const info: Record<string, unknown> = { type, code };
    let summary = c.summaries ? (TYPES[type] ?? `Unknown ICMPv6 type ${type}`) : '';
    if (type >= 1 && type <= 4) {
      if (type === 2) c.u32('icmpv6.mtu');
      else if (type === 4) c.u32('icmpv6.pointer');
      else c.bytes('icmpv6.reserved', 4);
      if (c.summaries && type === 1 && UNREACH[code] !== undefined) summary += ` (${UNREACH[code]})`;
      return { summary, info, next: c.remaining() > 0 ? { protocol: 'ipv6', ctx: { inError: true } } : undefined };
    }
    if (type === 128 || type === 129) {
      const id = c.u16('icmpv6.echo.identifier');
      const seq = c.u16('icmpv6.echo.sequence_number');
      Object.assign(info, { id, seq });
      if (c.summaries) {
        const hlim = ttlBelow(c);
        summary += ` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}${hlim !== undefined ? `, hop limit=${hlim}` : ''}`;
      }
      return { summary, info, next: c.remaining() > 0 ? { protocol: 'data' } : undefined };
    }
    if (type === 133) {
      c.u32('icmpv6.nd.rs.reserved');
      const o = readNdOptions(c);
      if (c.summaries && o.linkAddr) summary += ` from ${o.linkAddr}`;
    } else if (type === 134) {
      c.u8('icmpv6.nd.ra.cur_hop_limit');
      c.group('icmpv6.nd.ra.flag', () => {
        c.flag('icmpv6.nd.ra.flag.m', 1, 0x80);
        c.flag('icmpv6.nd.ra.flag.o', 1, 0x40);
        c.flag('icmpv6.nd.ra.flag.h', 1, 0x20);
        c.bits('icmpv6.nd.ra.flag.prf', 1, 0x18);
        return c.u8();
      }, 1);
      c.u16('icmpv6.nd.ra.router_lifetime');
      c.u32('icmpv6.nd.ra.reachable_time');
      c.u32('icmpv6.nd.ra.retrans_timer');
      const o = readNdOptions(c);
      if (c.summaries && o.linkAddr) summary += ` from ${o.linkAddr}`;
    } else if (type === 135) {
      c.u32('icmpv6.nd.ns.reserved');
      const target = c.ipv6('icmpv6.nd.ns.target_address');
      const o = readNdOptions(c);
      info['target'] = target;
      if (c.summaries) summary += ` for ${target}${o.linkAddr ? ` from ${o.linkAddr}` : ''}`;
    } else if (type === 136) {
      const flags = c.group('icmpv6.nd.na.flag', () => {
        c.flag('icmpv6.nd.na.flag.r', 4, 0x80000000);
        c.flag('icmpv6.nd.na.flag.s', 4, 0x40000000);
        c.flag('icmpv6.nd.na.flag.o', 4, 0x20000000);
        return c.u32();
      }, 4);
      const target = c.ipv6('icmpv6.nd.na.target_address');
      const o = readNdOptions(c);
      info['target'] = target;
      if (c.summaries) {
        const names = [flags & 0x80000000 ? 'rtr' : '', flags & 0x40000000 ? 'sol' : '', flags & 0x20000000 ? 'ovr' : ''].filter(Boolean);
        summary += ` ${target}${names.length ? ` (${names.join(', ')})` : ''}${o.linkAddr ? ` is at ${o.linkAddr}` : ''}`;
      }
    } else if (type === 137) {
      c.bytes('icmpv6.reserved', 4);
      c.ipv6('icmpv6.nd.rd.target_address');
      c.ipv6('icmpv6.nd.rd.destination_address');
      readNdOptions(c);
    } else if (type === 130 || type === 131 || type === 132) {
      c.u16('icmpv6.mld.maximum_response_delay');
      c.skip(2);
      c.ipv6('icmpv6.mld.multicast_address');
    } else if (type === 143) {
      c.skip(2);
      const n = c.u16('icmpv6.mldr.nb_mcast_records');
      for (let i = 0; i < n; i++) {
        const at = c.pos;
        c.group('icmpv6.mldr.mar', () => {
          c.u8('icmpv6.mldr.mar.record_type');
          const aux = c.u8('icmpv6.mldr.mar.aux_data_len');
          const ns = c.u16('icmpv6.mldr.mar.nb_sources');
          c.ipv6('icmpv6.mldr.mar.multicast_address');
          for (let s = 0; s < ns; s++) c.ipv6('icmpv6.mldr.mar.source_address');
          c.skip(aux * 4);
          return c.data.subarray(at, c.pos);
        });
      }
    }
    return { summary, info };
  },
});
