import { defineProtocol } from '../protocol.js';

const TLV_TYPES: Record<number, string> = {
  1: 'MAC-Address',
  5: 'Identity',
  7: 'Version',
  8: 'Platform',
  10: 'Uptime',
  11: 'Software-ID',
  12: 'Board',
  14: 'Unpack',
  15: 'IPv6-Address',
  16: 'Interface name',
  17: 'IPv4-Address',
};

/** Text TLVs and the key each is recorded under. */
const TEXT_KEYS: Record<number, string> = {
  5: 'mndp.identity',
  7: 'mndp.version',
  8: 'mndp.platform',
  11: 'mndp.softwareid',
  12: 'mndp.board',
  16: 'mndp.interfacename',
};

/** Most TLVs read from one announcement. */
const MAX_TLVS = 256;

/**
 * MikroTik Neighbor Discovery Protocol (UDP 5678): a 2-byte header and a sequence number, then
 * type-length-value records (MAC address, identity, version, platform, uptime, software id,
 * board, unpack, addresses, interface name).
 */
export const mndp = defineProtocol({
  id: 'mndp',
  name: 'Mikrotik Neighbor Discovery Protocol',
  short: 'MNDP',
  leaf: true,
  bindings: [{ table: 'udp.port', key: 5678 }],
  fields: {
    'mndp.header.unknown': { label: 'Header Unknown', type: 'bytes' },
    'mndp.header.seqno': { label: 'SeqNo', type: 'u16' },
    'mndp.tlv': { label: 'TLV', type: 'none' },
    'mndp.tlv.type': { label: 'TlvType', type: 'u16', values: TLV_TYPES },
    'mndp.tlv.length': { label: 'TlvLength', type: 'u16' },
    'mndp.tlv.data': { label: 'TlvData', type: 'bytes' },
    'mndp.mac': { label: 'MAC-Address', type: 'ether' },
    'mndp.softwareid': { label: 'Software-ID', type: 'string' },
    'mndp.version': { label: 'Version', type: 'string' },
    'mndp.identity': { label: 'Identity', type: 'string' },
    'mndp.uptime': { label: 'Uptime', type: 'rel_time' },
    'mndp.platform': { label: 'Platform', type: 'string' },
    'mndp.board': { label: 'Board', type: 'string' },
    'mndp.unpack': { label: 'Unpack', type: 'u8', values: { 1: 'None' } },
    'mndp.ipv6address': { label: 'IPv6-Address', type: 'ipv6' },
    'mndp.interfacename': { label: 'Interface name', type: 'string' },
    'mndp.ipv4address': { label: 'IPv4-Address', type: 'ipv4' },
  },
  dissect(c) {
    c.bytes('mndp.header.unknown', 2);
    const seq = c.u16('mndp.header.seqno');
    const info: Record<string, unknown> = { seq };
    for (let i = 0; c.reportedRemaining() > 0; i++) {
      if (i >= MAX_TLVS) {
        c.expert('warning', `more than ${MAX_TLVS} TLVs; the rest is not dissected`, 'mndp.tlv');
        c.skip(c.remaining());
        break;
      }
      const at = c.pos;
      const type = c.peek16();
      c.group('mndp.tlv', () => {
        c.u16('mndp.tlv.type');
        const len = c.u16('mndp.tlv.length');
        const textKey = TEXT_KEYS[type];
        if (type === 1 && len === 6) info['mac'] = c.mac('mndp.mac');
        else if (type === 10 && len === 4) {
          // Seconds, little-endian.
          const secs = c.u32(undefined, true);
          c.add('mndp.uptime', `${secs}.000000000`, c.pos - 4, 4, `Uptime: ${secs}.000000000 seconds`);
        } else if (type === 14 && len === 1) c.u8('mndp.unpack');
        else if (type === 15 && len === 16) c.ipv6('mndp.ipv6address');
        else if (type === 17 && len === 4) c.ipv4('mndp.ipv4address');
        else if (textKey !== undefined && len > 0) {
          const text = c.utf8(textKey, len);
          if (type === 5) info['identity'] = text;
        } else if (len > 0) c.bytes('mndp.tlv.data', len);
        return type;
      }, -1, () => `T ${type}, L ${c.data[at + 2]! * 256 + c.data[at + 3]!}: ${TLV_TYPES[type] ?? 'Unknown'}`);
    }
    const udp = c.below[c.below.length - 1];
    return { summary: () => (udp?.protocol === 'udp' ? udp.summary : ''), info };
  },
});
