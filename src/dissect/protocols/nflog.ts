import { defineProtocol } from '../protocol.js';

const TLV_TYPES: Record<number, string> = {
  1: 'NFULA_PACKET_HDR',
  2: 'NFULA_MARK',
  3: 'NFULA_TIMESTAMP',
  4: 'NFULA_IFINDEX_INDEV',
  5: 'NFULA_IFINDEX_OUTDEV',
  6: 'NFULA_IFINDEX_PHYSINDEV',
  7: 'NFULA_IFINDEX_PHYSOUTDEV',
  8: 'NFULA_HWADDR',
  9: 'NFULA_PAYLOAD',
  10: 'NFULA_PREFIX',
  11: 'NFULA_UID',
  12: 'NFULA_SEQ',
  13: 'NFULA_SEQ_GLOBAL',
  14: 'NFULA_GID',
  15: 'NFULA_HWTYPE',
  16: 'NFULA_HWHEADER',
  17: 'NFULA_HWLEN',
  18: 'NFULA_CT',
  19: 'NFULA_CT_INFO',
};

const FAMILIES: Record<number, string> = { 2: 'IPv4', 10: 'IPv6' };
const IFINDEX_KEYS: Record<number, string> = { 4: 'nflog.ifindex_indev', 5: 'nflog.ifindex_outdev', 6: 'nflog.ifindex_physindev', 7: 'nflog.ifindex_physoutdev' };

/**
 * Linux netfilter NFLOG (LINKTYPE_NFLOG 239): a 4-byte header, then TLVs in host (little-endian)
 * order, each padded to 4 bytes. The NFULA_PAYLOAD TLV carries the packet, an IPv4 or IPv6 one
 * by the header's family. The layer stops at the payload (TLVs after it become padding).
 */
export const nflog = defineProtocol({
  id: 'nflog',
  name: 'Linux Netfilter NFLOG',
  short: 'NFLOG',
  bindings: [{ table: 'linktype', key: 239 }],
  fields: {
    'nflog.family': { label: 'Family', type: 'u8', values: FAMILIES },
    'nflog.version': { label: 'Version', type: 'u8' },
    'nflog.res_id': { label: 'Resource id', type: 'u16' },
    'nflog.tlv': { label: 'TLV', type: 'bytes' },
    'nflog.tlv_length': { label: 'Length', type: 'u16' },
    'nflog.tlv_type': { label: 'Type', type: 'u16', mask: 0x7fff, values: TLV_TYPES },
    'nflog.protocol': { label: 'HW protocol', type: 'u16', base: 'hex' },
    'nflog.hook': { label: 'Netfilter hook', type: 'u8' },
    'nflog.ifindex_indev': { label: 'IFINDEX_INDEV', type: 'u32' },
    'nflog.ifindex_outdev': { label: 'IFINDEX_OUTDEV', type: 'u32' },
    'nflog.ifindex_physindev': { label: 'IFINDEX_PHYSINDEV', type: 'u32' },
    'nflog.ifindex_physoutdev': { label: 'IFINDEX_PHYSOUTDEV', type: 'u32' },
    'nflog.prefix': { label: 'Prefix', type: 'string' },
    'nflog.uid': { label: 'UID', type: 'i32' },
    'nflog.gid': { label: 'GID', type: 'i32' },
    'nflog.tlv_value': { label: 'Value', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const family = c.u8('nflog.family');
    c.u8('nflog.version');
    const resId = c.u16('nflog.res_id');
    let prefix: string | undefined;
    let guard = 0;
    while (c.has(4) && guard++ < 64) {
      const at = c.pos;
      const len = c.peek16(0, true);
      const type = c.peek16(2, true) & 0x7fff;
      if (len < 4) c.malformed(`TLV length ${len} is shorter than its header`, 'nflog.tlv_length', at);
      const vlen = len - 4;
      if (type === 9) {
        c.group('nflog.tlv', () => {
          c.u16('nflog.tlv_length', true);
          c.add('nflog.tlv_type', type, at + 2, 2);
          c.skip(2);
          return c.data.subarray(at, at + 4);
        }, 4, () => `TLV Type: ${TLV_TYPES[type]} (${type}), Length: ${len}`);
        c.limit(at + len - start);
        const next = family === 2 ? 'ip' : family === 10 ? 'ipv6' : undefined;
        return {
          summary: () => `${FAMILIES[family] ?? `Family ${family}`}, resource id ${resId}${prefix ? `, prefix ${prefix}` : ''}`,
          info: { family, resId, prefix },
          next: next !== undefined ? { protocol: next } : undefined,
        };
      }
      c.need(len, 'nflog.tlv_length');
      c.group('nflog.tlv', () => {
        c.u16('nflog.tlv_length', true);
        c.add('nflog.tlv_type', type, at + 2, 2);
        c.skip(2);
        if (type === 1 && vlen >= 3) {
          c.u16('nflog.protocol');
          c.u8('nflog.hook');
        } else if (IFINDEX_KEYS[type] !== undefined && vlen === 4) {
          c.u32(IFINDEX_KEYS[type]);
        } else if (type === 10 && vlen > 0) {
          const b = c.data.subarray(c.pos, c.pos + vlen);
          const z = b.indexOf(0);
          prefix = String.fromCharCode(...b.subarray(0, z < 0 ? vlen : z));
          c.add('nflog.prefix', prefix, c.pos, vlen);
          c.skip(vlen);
        } else if ((type === 11 || type === 14) && vlen === 4) {
          c.add(type === 11 ? 'nflog.uid' : 'nflog.gid', c.dv.getInt32(c.pos), c.pos, 4);
          c.skip(4);
        } else if (vlen > 0 && type !== 3) {
          c.bytes('nflog.tlv_value', vlen);
        }
        if (c.pos < at + len) c.skip(at + len - c.pos);
        return c.data.subarray(at, at + len);
      }, len, () => `TLV Type: ${TLV_TYPES[type] ?? 'Unknown'} (${type}), Length: ${len}`);
      // TLVs are padded to a multiple of 4 bytes.
      const pad = ((len + 3) & ~3) - len;
      if (pad > 0 && c.has(pad)) c.skip(pad);
    }
    return {
      summary: () => `${FAMILIES[family] ?? `Family ${family}`}, resource id ${resId}, no payload`,
      info: { family, resId, prefix },
    };
  },
});
