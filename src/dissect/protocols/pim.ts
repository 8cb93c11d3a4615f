import { finishChecksum, onesSum } from '../checksum.js';
import { defineProtocol } from '../protocol.js';
import { CHECKSUM_STATUS } from './transport-checksum.js';

const TYPES: Record<number, string> = {
  0: 'Hello',
  1: 'Register',
  2: 'Register-stop',
  3: 'Join/Prune',
  4: 'Bootstrap',
  5: 'Assert',
  6: 'Graft',
  7: 'Graft-Ack',
  8: 'Candidate-RP-Advertisement',
  9: 'State-Refresh',
  10: 'DF election',
  11: 'ECMP Redirect',
  12: 'PFM SM',
  13: 'Packed Null-Register',
  14: 'Packed Register-Stop',
};

/** Protocol Independent Multicast version 2 (RFC 7761): the common header; a Register carries an IP packet. */
export const pim = defineProtocol({
  id: 'pim',
  name: 'Protocol Independent Multicast',
  short: 'PIMv2',
  bindings: [{ table: 'ip.proto', key: 103 }],
  fields: {
    'pim.version': { label: 'Version', type: 'u8', mask: 0xf0 },
    'pim.type': { label: 'Type', type: 'u8', mask: 0x0f, values: TYPES },
    'pim.code': { label: 'Code', type: 'u8' },
    'pim.cksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'pim.cksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'pim.register_flag': { label: 'Flags', type: 'u32', base: 'hex' },
    'pim.register_flag.border': { label: 'Border', type: 'bool', mask: 0x80000000 },
    'pim.register_flag.null_register': { label: 'Null-Register', type: 'bool', mask: 0x40000000 },
    'pim.payload': { label: 'Payload', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.bits('pim.version', 1, 0xf0);
    const type = c.bits('pim.type', 1, 0x0f);
    c.skip(1);
    c.u8('pim.code');
    const at = c.pos;
    const sum = c.u16('pim.cksum');
    // A Register's checksum covers only its 8-byte header.
    const end = type === 1 ? Math.min(start + 8, c.capEnd) : c.capEnd;
    if (c.mode === 'full' && c.reportedRemaining() === c.remaining() && end - start >= 4) {
      const ok = finishChecksum(onesSum(c.data, start, end)) === 0;
      c.add('pim.cksum.status', ok ? 1 : 0, at, 0);
      if (!ok) c.expert('warning', `bad PIM checksum 0x${sum.toString(16).padStart(4, '0')}`, 'pim.cksum', at);
    }
    const name = TYPES[type] ?? `Unknown (${type})`;
    const summary = c.summaries ? name : '';
    if (version !== 2) return { summary, info: { version, type }, payloadOffset: c.capEnd };
    if (type === 1) {
      c.group('pim.register_flag', () => {
        c.flag('pim.register_flag.border', 4, 0x80000000);
        c.flag('pim.register_flag.null_register', 4, 0x40000000);
        return c.u32();
      }, 4);
      if (!c.has(1)) return { summary, info: { version, type } };
      const nibble = c.peek8() >> 4;
      return { summary, info: { version, type }, next: nibble === 6 ? { protocol: 'ipv6' } : nibble === 4 ? { protocol: 'ip' } : { protocol: 'data' } };
    }
    // The bodies of the other messages stay part of PIM.
    return { summary, info: { version, type }, payloadOffset: c.capEnd };
  },
});
