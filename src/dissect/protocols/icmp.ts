import { finishChecksum, onesSum } from '../checksum.js';
import { defineProtocol } from '../protocol.js';
import { CHECKSUM_STATUS, ttlBelow } from './transport-checksum.js';

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  30: 'Traceroute',
  40: 'Photuris',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

const UNREACH: Record<number, string> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};
const REDIRECT: Record<number, string> = {
  0: 'Redirect for network',
  1: 'Redirect for host',
  2: 'Redirect for TOS and network',
  3: 'Redirect for TOS and host',
};
const TIME_EXCEEDED: Record<number, string> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };

/** Types whose body quotes the offending IP header and the start of its payload. */
const ERROR_TYPES = new Set([3, 4, 5, 11, 12]);

/** Internet Control Message Protocol. */
export const icmp = defineProtocol({
  id: 'icmp',
  name: 'Internet Control Message Protocol',
  short: 'ICMP',
  bindings: [{ table: 'ip.proto', key: 1 }],
  fields: {
    'icmp.type': { label: 'Type', type: 'u8', values: TYPES },
    'icmp.code': { label: 'Code', type: 'u8' },
    'icmp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'icmp.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'icmp.ident': { label: 'Identifier (BE)', type: 'u16', base: 'dec_hex' },
    'icmp.ident_le': { label: 'Identifier (LE)', type: 'u16', base: 'dec_hex' },
    'icmp.seq': { label: 'Sequence Number (BE)', type: 'u16', base: 'dec_hex' },
    'icmp.seq_le': { label: 'Sequence Number (LE)', type: 'u16', base: 'dec_hex' },
    'icmp.unused': { label: 'Unused', type: 'bytes' },
    'icmp.length': { label: 'Length', type: 'u8' },
    'icmp.mtu': { label: 'MTU of next hop', type: 'u16' },
    'icmp.redir_gw': { label: 'Gateway address', type: 'ipv4' },
    'icmp.pointer': { label: 'Pointer', type: 'u32' },
    'icmp.originate_timestamp': { label: 'Originate timestamp', type: 'u32' },
    'icmp.receive_timestamp': { label: 'Receive timestamp', type: 'u32' },
    'icmp.transmit_timestamp': { label: 'Transmit timestamp', type: 'u32' },
    'icmp.address_mask': { label: 'Address Mask', type: 'ipv4' },
    'icmp.num_addrs': { label: 'Number of addresses', type: 'u8' },
    'icmp.addr_entry_size': { label: 'Address entry size', type: 'u8' },
    'icmp.lifetime': { label: 'Lifetime', type: 'u16' },
    'icmp.router_address': { label: 'Router address', type: 'ipv4' },
    'icmp.pref_level': { label: 'Preference level', type: 'i32' },
  },
  dissect(c) {
    const start = c.pos;
    // tshark reads the first six bytes (type, code, checksum, RFC 4884 length) before it adds
    // anything: a message shorter than that leaves no ICMP item, only the error.
    c.need(6);
    const type = c.u8('icmp.type');
    const codeNames = type === 3 ? UNREACH : type === 5 ? REDIRECT : type === 11 ? TIME_EXCEEDED : undefined;
    const code = c.u8('icmp.code');
    const checksumAt = c.pos;
    const checksum = c.u16('icmp.checksum');
    if (c.mode === 'full' && c.ctx['inError'] !== true && c.reportedRemaining() === c.remaining()) {
      const ok = finishChecksum(onesSum(c.data, start, c.capEnd)) === 0;
      c.add('icmp.checksum.status', ok ? 1 : 0, checksumAt, 0);
      if (!ok) c.expert('warning', `bad ICMP checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'icmp.checksum', checksumAt);
    }
    const typeName = TYPES[type] ?? `Unknown ICMP (obsolete or malformed?)`;
    const codeName = codeNames?.[code];
    let summary = c.summaries ? `${typeName}${codeName !== undefined ? ` (${codeName})` : ''}` : '';
    const info: Record<string, unknown> = { type, code };
    if (type === 0 || type === 8 || type === 13 || type === 14 || type === 15 || type === 16 || type === 17 || type === 18 || type === 42 || type === 43) {
      const idAt = c.pos;
      const id = c.u16('icmp.ident');
      if (c.wants('icmp.ident_le')) c.add('icmp.ident_le', ((id & 0xff) << 8) | (id >> 8), idAt, 2);
      const seq = c.u16('icmp.seq');
      if (c.wants('icmp.seq_le')) c.add('icmp.seq_le', ((seq & 0xff) << 8) | (seq >> 8), idAt + 2, 2);
      Object.assign(info, { id, seq });
      if (type === 13 || type === 14) {
        c.u32('icmp.originate_timestamp');
        c.u32('icmp.receive_timestamp');
        c.u32('icmp.transmit_timestamp');
      } else if (type === 17 || type === 18) {
        c.ipv4('icmp.address_mask');
      }
      if (c.summaries && (type === 0 || type === 8)) {
        const ttl = ttlBelow(c);
        summary += `  id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${((seq & 0xff) << 8) | (seq >> 8)}${ttl !== undefined ? `, ttl=${ttl}` : ''}`;
      }
      return { summary, info, next: c.remaining() > 0 ? { protocol: 'data' } : undefined };
    }
    if (type === 9) {
      const n = c.u8('icmp.num_addrs');
      c.u8('icmp.addr_entry_size');
      c.u16('icmp.lifetime');
      for (let i = 0; i < n && c.has(8); i++) {
        c.ipv4('icmp.router_address');
        c.u32('icmp.pref_level');
      }
      return { summary, info };
    }
    if (ERROR_TYPES.has(type)) {
      if (type === 5) {
        c.ipv4('icmp.redir_gw');
      } else if (type === 3 && code === 4) {
        c.bytes('icmp.unused', 2);
        c.u16('icmp.mtu');
      } else if (type === 12) {
        c.bits('icmp.pointer', 4, 0xff000000);
        c.skip(4);
      } else {
        c.bytes('icmp.unused', 4);
      }
      return { summary, info, next: c.remaining() > 0 ? { protocol: 'ip', ctx: { inError: true } } : undefined };
    }
    return { summary, info, next: c.remaining() > 0 ? { protocol: 'data' } : undefined };
  },
});
