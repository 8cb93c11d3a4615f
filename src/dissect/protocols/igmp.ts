import { finishChecksum, onesSum } from '../checksum.js';
import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { CHECKSUM_STATUS } from './transport-checksum.js';

const TYPES: Record<number, string> = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x13: 'DVMRP',
  0x14: 'PIMv1',
  0x15: 'Cisco Trace Messages',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x1e: 'Traceroute Response',
  0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
  0x30: 'Multicast Router Advertisement',
  0x31: 'Multicast Router Solicitation',
  0x32: 'Multicast Router Termination',
};

const RECORD_TYPES: Record<number, string> = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
};

/** Most group records or sources read from one message. */
const MAX_ITEMS = 1024;

/** IGMPv3 "Max Resp Code" / QQIC: values from 128 on are a floating-point encoding. */
function decodeCode(v: number): number {
  return v < 128 ? v : ((v & 0x0f) | 0x10) << (((v >> 4) & 0x07) + 3);
}

function checksum(c: Cursor, start: number): void {
  const at = c.pos;
  const value = c.u16('igmp.checksum');
  if (c.mode === 'full' && c.reportedRemaining() === c.remaining()) {
    const ok = finishChecksum(onesSum(c.data, start, c.capEnd)) === 0;
    c.add('igmp.checksum.status', ok ? 1 : 0, at, 0);
    if (!ok) c.expert('warning', `bad IGMP checksum 0x${value.toString(16).padStart(4, '0')}`, 'igmp.checksum', at);
  }
}

/** Internet Group Management Protocol, versions 1, 2 and 3 (RFC 1112, 2236, 3376). */
export const igmp = defineProtocol({
  id: 'igmp',
  name: 'Internet Group Management Protocol',
  short: 'IGMP',
  bindings: [{ table: 'ip.proto', key: 2 }],
  fields: {
    'igmp.version': { label: 'IGMP Version', type: 'u8' },
    'igmp.type': { label: 'Type', type: 'u8', base: 'hex', values: TYPES },
    'igmp.reserved': { label: 'Reserved', type: 'bytes' },
    'igmp.max_resp': { label: 'Max Resp Time', type: 'u8' },
    'igmp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'igmp.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'igmp.maddr': { label: 'Multicast Address', type: 'ipv4' },
    'igmp.s': { label: 'S', type: 'bool', mask: 0x08, tfs: ['Suppress router side processing', 'Do not suppress router side processing'] },
    'igmp.qrv': { label: 'QRV', type: 'u8', mask: 0x07 },
    'igmp.qqic': { label: 'QQIC', type: 'u8' },
    'igmp.num_src': { label: 'Num Src', type: 'u16' },
    'igmp.saddr': { label: 'Source Address', type: 'ipv4' },
    'igmp.num_grp_recs': { label: 'Num Group Records', type: 'u16' },
    'igmp.record_type': { label: 'Record Type', type: 'u8', values: RECORD_TYPES },
    'igmp.aux_data_len': { label: 'Aux Data Len', type: 'u8' },
    'igmp.aux_data': { label: 'Aux Data', type: 'bytes' },
    'igmp.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const type = c.peek8();
    const len = c.reportedRemaining();
    let version = 0;
    if (type === 0x11) version = len >= 12 ? 3 : c.has(2) && c.peek8(1) === 0 ? 1 : 2;
    else if (type === 0x12) version = 1;
    else if (type === 0x16 || type === 0x17) version = 2;
    else if (type === 0x22) version = 3;
    if (version !== 0) c.add('igmp.version', version, start, 0, `[IGMP Version: ${version}]`);
    c.u8('igmp.type');
    const name = TYPES[type] ?? `Unknown Type: 0x${type.toString(16).padStart(2, '0')}`;
    let summary = name;
    const info: Record<string, unknown> = { type, version };
    if (version === 1 || version === 2) {
      if (version === 1) c.bytes('igmp.reserved', 1);
      else {
        const v = c.u8();
        c.add('igmp.max_resp', v, start + 1, 1, `Max Resp Time: ${(v / 10).toFixed(1)} sec (0x${v.toString(16).padStart(2, '0')})`);
      }
      checksum(c, start);
      const group = c.ipv4('igmp.maddr');
      info['group'] = group;
      if (type === 0x11) summary = group === '0.0.0.0' ? 'Membership Query, general' : `Membership Query, specific for group ${group}`;
      else summary = `${name} group ${group}`;
    } else if (version === 3 && type === 0x11) {
      const code = c.u8();
      c.add('igmp.max_resp', code, start + 1, 1, `Max Resp Time: ${(decodeCode(code) / 10).toFixed(1)} sec (0x${code.toString(16).padStart(2, '0')})`);
      checksum(c, start);
      const group = c.ipv4('igmp.maddr');
      c.flag('igmp.s', 1, 0x08);
      c.bits('igmp.qrv', 1, 0x07);
      c.skip(1);
      const qqic = c.u8();
      c.add('igmp.qqic', decodeCode(qqic), c.pos - 1, 1);
      const n = c.u16('igmp.num_src');
      const sources: string[] = [];
      for (let i = 0; i < Math.min(n, MAX_ITEMS); i++) sources.push(c.ipv4('igmp.saddr'));
      info['group'] = group;
      summary = group === '0.0.0.0' ? 'Membership Query, general' : n === 0 ? `Membership Query, specific for group ${group}` : `Membership Query, specific for group ${group}, source ${sources.join(', ')}`;
    } else if (version === 3) {
      c.bytes('igmp.reserved', 1);
      checksum(c, start);
      c.bytes('igmp.reserved', 2);
      const n = c.u16('igmp.num_grp_recs');
      if (n > MAX_ITEMS) c.expert('warning', `${n} group records; only ${MAX_ITEMS} are read`, 'igmp.num_grp_recs');
      const parts: string[] = [];
      for (let i = 0; i < Math.min(n, MAX_ITEMS); i++) {
        const rtype = c.u8('igmp.record_type');
        const aux = c.u8('igmp.aux_data_len');
        const ns = c.u16('igmp.num_src');
        const group = c.ipv4('igmp.maddr');
        const srcs: string[] = [];
        for (let j = 0; j < ns && j < MAX_ITEMS; j++) srcs.push(c.ipv4('igmp.saddr'));
        if (aux > 0) c.bytes('igmp.aux_data', aux * 4);
        // Exclude mode joins (every source but those listed); include mode with no source leaves.
        const verb = rtype === 2 || rtype === 4 ? 'Join' : rtype === 1 || rtype === 3 ? (srcs.length > 0 ? 'Join' : 'Leave') : rtype === 5 ? 'Allow' : rtype === 6 ? 'Block' : '?';
        parts.push(`/ ${verb} group ${group}${srcs.length > 0 ? ` for source ${srcs.join(', ')}` : ' for any sources'}`);
      }
      summary = `Membership Report ${parts.join(' ')}`.trim();
    } else {
      if (c.remaining() > 0) c.bytes('igmp.data', c.remaining());
    }
    // Bytes after the message (inside the IP payload) stay part of IGMP, as in Wireshark.
    return { summary: c.summaries ? summary : '', info, payloadOffset: Math.max(c.pos, c.capEnd) };
  },
});
