import { defineProtocol } from '../protocol.js';

const FIELD_TYPES: Record<number, string> = {
  2: '802.11-Common',
  3: '802.11n MAC Extensions',
  4: '802.11n MAC+PHY Extensions',
  5: 'Spectrum Map',
  6: 'Process Info',
  7: 'Capture Info',
  8: 'Aggregation Extension',
  9: '802.3 Extension',
  30002: 'GPS Tagging',
};

/**
 * Per-Packet Information header (LINKTYPE_PPI 192): little-endian version, flags, length and
 * the DLT of the packet that follows, then type-length fields. The 802.11-Common field tells
 * whether an 802.11 frame ends with an FCS. 802.11 goes through `wlan_radio` as in Wireshark.
 */
export const ppi = defineProtocol({
  id: 'ppi',
  name: 'PPI Packet Header',
  short: 'PPI',
  bindings: [{ table: 'linktype', key: 192 }],
  fields: {
    'ppi.version': { label: 'Version', type: 'u8' },
    'ppi.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'ppi.length': { label: 'Header length', type: 'u16' },
    'ppi.dlt': { label: 'DLT', type: 'u32' },
    'ppi.field_type': { label: 'Field type', type: 'u16', values: FIELD_TYPES },
    'ppi.field_len': { label: 'Field length', type: 'u16' },
    'ppi.80211-common.tsft': { label: 'TSFT', type: 'u64' },
    'ppi.80211-common.flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'ppi.80211-common.rate': { label: 'Rate', type: 'u16' },
    'ppi.80211-common.chan.freq': { label: 'Channel frequency', type: 'u16' },
    'ppi.80211-common.chan.flags': { label: 'Channel flags', type: 'u16', base: 'hex' },
    'ppi.80211-common.fhss.hopset': { label: 'FHSS hopset', type: 'u8', base: 'hex' },
    'ppi.80211-common.fhss.pattern': { label: 'FHSS pattern', type: 'u8', base: 'hex' },
    'ppi.80211-common.dbm.antsignal': { label: 'dBm antenna signal', type: 'i8' },
    'ppi.80211-common.dbm.antnoise': { label: 'dBm antenna noise', type: 'i8' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.u8('ppi.version');
    c.u8('ppi.flags');
    const length = c.u16('ppi.length', true);
    const dlt = c.u32('ppi.dlt', true);
    if (length < 8) c.malformed(`header length ${length} is shorter than 8`, 'ppi.length', start + 2);
    const end = start + length;
    c.need(length - 8, 'ppi.length');
    let fcs = false;
    let guard = 0;
    while (c.pos + 4 <= end && guard++ < 64) {
      const at = c.pos;
      const type = c.u16('ppi.field_type', true);
      const len = c.u16('ppi.field_len', true);
      if (at + 4 + len > end) c.malformed(`field length ${len} runs past the header`, 'ppi.field_len', at + 2);
      if (type === 2 && len >= 20) {
        c.u64('ppi.80211-common.tsft', true);
        const flags = c.u16('ppi.80211-common.flags', true);
        fcs = (flags & 0x0001) !== 0;
        c.u16('ppi.80211-common.rate', true);
        c.u16('ppi.80211-common.chan.freq', true);
        c.u16('ppi.80211-common.chan.flags', true);
        c.u8('ppi.80211-common.fhss.hopset');
        c.u8('ppi.80211-common.fhss.pattern');
        c.add('ppi.80211-common.dbm.antsignal', c.dv.getInt8(c.pos), c.pos, 1);
        c.add('ppi.80211-common.dbm.antnoise', c.dv.getInt8(c.pos + 1), c.pos + 1, 1);
        c.skip(2);
      }
      c.seek(at + 4 + len);
    }
    c.seek(end);
    return {
      summary: () => `PPI version ${version}, ${length} bytes`,
      info: { version, length, dlt, fcs },
      next: dlt === 105 ? { protocol: 'wlan_radio', ctx: { wlanFcs: fcs } } : { table: 'linktype', keys: [dlt] },
    };
  },
});
