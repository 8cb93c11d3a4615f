import { finishChecksum, onesSum } from '../checksum.js';
import { defineProtocol } from '../protocol.js';
import { CHECKSUM_STATUS } from './transport-checksum.js';

const AUTH_TYPES: Record<number, string> = {
  0: 'No Authentication',
  1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]',
  2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]',
  254: 'Cisco MD5 Authentication',
};

/** Virtual Router Redundancy Protocol, versions 2 (RFC 3768) and 3 (RFC 5798). */
export const vrrp = defineProtocol({
  id: 'vrrp',
  name: 'Virtual Router Redundancy Protocol',
  short: 'VRRP',
  bindings: [{ table: 'ip.proto', key: 112 }],
  fields: {
    'vrrp.typever': { label: 'VRRP message version and type', type: 'u8' },
    'vrrp.version': { label: 'VRRP protocol version', type: 'u8', mask: 0xf0 },
    'vrrp.type': { label: 'VRRP packet type', type: 'u8', mask: 0x0f, values: { 1: 'Advertisement' } },
    'vrrp.virt_rtr_id': { label: 'Virtual Rtr ID', type: 'u8' },
    'vrrp.prio': { label: 'Priority', type: 'u8' },
    'vrrp.addr_count': { label: 'Addr Count', type: 'u8' },
    'vrrp.auth_type': { label: 'Auth Type', type: 'u8', values: AUTH_TYPES },
    'vrrp.adver_int': { label: 'Adver Int', type: 'u8' },
    'vrrp.reserved_mbz': { label: 'Reserved', type: 'u8', mask: 0xf0 },
    'vrrp.short_adver_int': { label: 'Adver Int', type: 'u16', mask: 0x0fff },
    'vrrp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'vrrp.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'vrrp.ip_addr': { label: 'IP Address', type: 'ipv4' },
    'vrrp.ipv6_addr': { label: 'IPv6 Address', type: 'ipv6' },
    'vrrp.auth_string': { label: 'Authentication String', type: 'string' },
    'vrrp.md5_auth_data': { label: 'MD5 Authentication Data', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const tv = c.peek8();
    const version = tv >> 4;
    const type = tv & 0x0f;
    c.group('vrrp.typever', () => {
      c.bits('vrrp.version', 1, 0xf0);
      c.bits('vrrp.type', 1, 0x0f);
      return c.u8();
    }, 1, () => `Version ${version}, Packet type ${type} (${type === 1 ? 'Advertisement' : 'Unknown'})`);
    const vrid = c.u8('vrrp.virt_rtr_id');
    const prio = c.u8('vrrp.prio');
    const count = c.u8('vrrp.addr_count');
    let authType = 0;
    if (version === 3) {
      c.bits('vrrp.reserved_mbz', 1, 0xf0);
      c.bits('vrrp.short_adver_int', 2, 0x0fff);
      c.skip(2);
    } else {
      authType = c.u8('vrrp.auth_type');
      c.u8('vrrp.adver_int');
    }
    const checksumAt = c.pos;
    const checksum = c.u16('vrrp.checksum');
    const below = c.below[c.below.length - 1];
    const v6 = below?.protocol === 'ipv6' || (below !== undefined && below.protocol !== 'ip' && c.below.some((l) => l.protocol === 'ipv6'));
    for (let i = 0; i < count; i++) {
      if (v6) c.ipv6('vrrp.ipv6_addr');
      else c.ipv4('vrrp.ip_addr');
    }
    // Version 2 authentication data, read as tshark reads it: a packet too short for it is malformed.
    if (version !== 3 && authType === 1) {
      c.need(8, 'vrrp.auth_string');
      const raw = c.data.subarray(c.pos, c.pos + 8);
      const nul = raw.indexOf(0);
      c.add('vrrp.auth_string', String.fromCharCode(...raw.subarray(0, nul < 0 ? 8 : nul)), c.pos, 8);
      c.skip(8);
    } else if (version !== 3 && authType === 254) {
      c.bytes('vrrp.md5_auth_data', 16);
    }
    // Version 2 checksums cover the VRRP message only (v3 adds the IP pseudo header; not checked here).
    if (version === 2 && c.mode === 'full' && c.reportedRemaining() === c.remaining()) {
      const ok = finishChecksum(onesSum(c.data, start, c.capEnd)) === 0;
      c.add('vrrp.checksum.status', ok ? 1 : 0, checksumAt, 0);
      if (!ok) c.expert('warning', `bad VRRP checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'vrrp.checksum', checksumAt);
    }
    return {
      summary: c.summaries ? `${type === 1 ? 'Announcement' : `Unknown type ${type}`} (v${version})` : '',
      info: { version, type, vrid, prio },
    };
  },
});
