import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const TYPE_SUBTYPES: Record<number, string> = {
  0x00: 'Association Request',
  0x01: 'Association Response',
  0x02: 'Reassociation Request',
  0x03: 'Reassociation Response',
  0x04: 'Probe Request',
  0x05: 'Probe Response',
  0x08: 'Beacon frame',
  0x09: 'ATIM',
  0x0a: 'Disassociate',
  0x0b: 'Authentication',
  0x0c: 'Deauthentication',
  0x0d: 'Action',
  0x0e: 'Action No Ack',
  0x18: '802.11 Block Ack Req',
  0x19: '802.11 Block Ack',
  0x1a: 'Power-Save poll',
  0x1b: 'Request-to-send',
  0x1c: 'Clear-to-send',
  0x1d: 'Acknowledgement',
  0x1e: 'CF-End (Control-frame)',
  0x1f: 'CF-End + CF-Ack (Control-frame)',
  0x20: 'Data',
  0x24: 'Null function (No data)',
  0x28: 'QoS Data',
  0x2c: 'QoS Null function (No data)',
};

const MGT_TYPES: Record<number, string> = { 0: 'Management frame', 1: 'Control frame', 2: 'Data frame', 3: 'Extension' };

/**
 * 802.11 radio information: a pseudo-layer without bytes that Wireshark puts between the
 * capture header (radiotap, PPI) and the 802.11 frame. It passes the header's findings on.
 */
export const wlanRadio = defineProtocol({
  id: 'wlan_radio',
  name: '802.11 radio information',
  short: '802.11 radio',
  fields: {},
  dissect: () => ({ summary: '802.11 radio information', next: { protocol: 'wlan' } }),
});

/** The capture header's hints apply to this frame only. */
const CLEAR = { wlanFcs: undefined, wlanDatapad: undefined, wlanBadFcs: undefined };

const hex = (v: number, w: number): string => `0x${v.toString(16).padStart(w, '0')}`;

/** Reads an address with the given keys (the same bytes under several names, as Wireshark does). */
function address(c: Cursor, at: number, keys: readonly string[]): string {
  c.need(6, keys[0], at);
  const d = c.data;
  const v = Array.from(d.subarray(at, at + 6), (b) => b.toString(16).padStart(2, '0')).join(':');
  for (const k of keys) c.add(k, v, at, 6);
  if (c.wantsHidden('wlan.addr')) c.add('wlan.addr', v, at, 6);
  return v;
}

/**
 * IEEE 802.11 MAC frames (LINKTYPE_IEEE802_11 105, or after radiotap/PPI): frame control,
 * duration, addresses named by the DS bits as tshark names them (ra/ta/da/sa/bssid/staa),
 * sequence control, QoS and HT control. Unprotected data goes to LLC, protected data stays
 * data, management frames continue as `wlan.mgt`. An FCS announced by the capture header
 * (`ctx.wlanFcs`) is excluded from the payload.
 */
export const wlan = defineProtocol({
  id: 'wlan',
  name: 'IEEE 802.11 wireless LAN',
  short: '802.11',
  bindings: [{ table: 'linktype', key: 105 }],
  fields: {
    'wlan.fc.type_subtype': { label: 'Type/Subtype', type: 'u16', base: 'hex', values: TYPE_SUBTYPES },
    'wlan.fc': { label: 'Frame Control Field', type: 'u16', base: 'hex' },
    'wlan.fc.version': { label: 'Version', type: 'u8', mask: 0x03 },
    'wlan.fc.type': { label: 'Type', type: 'u8', mask: 0x0c, values: MGT_TYPES },
    'wlan.fc.subtype': { label: 'Subtype', type: 'u8', mask: 0xf0 },
    'wlan.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'wlan.fc.ds': { label: 'DS status', type: 'u8', base: 'hex', mask: 0x03 },
    'wlan.fc.tods': { label: 'To DS', type: 'bool', mask: 0x01 },
    'wlan.fc.fromds': { label: 'From DS', type: 'bool', mask: 0x02 },
    'wlan.fc.frag': { label: 'More Fragments', type: 'bool', mask: 0x04 },
    'wlan.fc.retry': { label: 'Retry', type: 'bool', mask: 0x08 },
    'wlan.fc.pwrmgt': { label: 'PWR MGT', type: 'bool', mask: 0x10 },
    'wlan.fc.moredata': { label: 'More Data', type: 'bool', mask: 0x20 },
    'wlan.fc.protected': { label: 'Protected flag', type: 'bool', mask: 0x40 },
    'wlan.fc.order': { label: '+HTC/Order flag', type: 'bool', mask: 0x80 },
    'wlan.duration': { label: 'Duration', type: 'u16', unit: 'microseconds' },
    'wlan.ra': { label: 'Receiver address', type: 'ether' },
    'wlan.ta': { label: 'Transmitter address', type: 'ether' },
    'wlan.da': { label: 'Destination address', type: 'ether' },
    'wlan.sa': { label: 'Source address', type: 'ether' },
    'wlan.bssid': { label: 'BSS Id', type: 'ether' },
    'wlan.staa': { label: 'STA address', type: 'ether' },
    'wlan.addr': { label: 'Hardware address', type: 'ether' },
    'wlan.frag': { label: 'Fragment number', type: 'u16' },
    'wlan.seq': { label: 'Sequence number', type: 'u16' },
    'wlan.qos': { label: 'Qos Control', type: 'u16', base: 'hex' },
    'wlan.qos.tid': { label: 'TID', type: 'u16' },
    'wlan.qos.amsdupresent': { label: 'Payload Type', type: 'bool', tfs: ['A-MSDU', 'MSDU'] },
    'wlan.htc': { label: 'HT Control (+HTC)', type: 'u32', base: 'hex' },
    'wlan.fcs': { label: 'Frame check sequence', type: 'u32', base: 'hex' },
  },
  dissect(c) {
    const start = c.pos;
    const d = c.data;
    c.need(2, 'wlan.fc');
    const b0 = d[start]!;
    const flags = d[start + 1]!;
    const type = (b0 >> 2) & 0x03;
    const subtype = b0 >> 4;
    const typeSubtype = (type << 4) | subtype;
    c.add('wlan.fc.type_subtype', typeSubtype, start, 1);
    c.open('wlan.fc');
    c.bits('wlan.fc.version', 1, 0x03);
    c.bits('wlan.fc.type', 1, 0x0c);
    c.bits('wlan.fc.subtype', 1, 0xf0);
    c.skip(1);
    c.open('wlan.flags');
    c.bits('wlan.fc.ds', 1, 0x03);
    c.flag('wlan.fc.tods', 1, 0x01);
    c.flag('wlan.fc.fromds', 1, 0x02);
    c.flag('wlan.fc.frag', 1, 0x04);
    c.flag('wlan.fc.retry', 1, 0x08);
    c.flag('wlan.fc.pwrmgt', 1, 0x10);
    c.flag('wlan.fc.moredata', 1, 0x20);
    c.flag('wlan.fc.protected', 1, 0x40);
    c.flag('wlan.fc.order', 1, 0x80);
    c.close(c.u8());
    c.close((b0 << 8) | flags, 2);
    // The FCS, when the capture header announces one, is not part of the payload.
    const fcs = c.ctx['wlanFcs'] === true;
    if (fcs) {
      const total = c.repEnd - start;
      if (total >= 6) {
        const fcsAt = c.repEnd - 4;
        if (fcsAt + 4 <= c.capEnd && c.wants('wlan.fcs')) c.add('wlan.fcs', c.dv.getUint32(fcsAt, true), fcsAt, 0);
        c.limit(total - 4);
      }
    }
    if ((b0 & 0x03) !== 0) {
      // A protocol version other than 0: tshark reads no further; the rest (to the FCS) stays here.
      c.skip(c.remaining());
      return { summary: `Unknown protocol version: ${b0 & 0x03}`, info: { type, subtype, typeSubtype, version: b0 & 0x03 } };
    }
    const duration = c.u16('wlan.duration', true);
    const ds = flags & 0x03;
    const protectedFrame = (flags & 0x40) !== 0;
    const order = (flags & 0x80) !== 0;
    let src: string | undefined;
    let dst: string | undefined;
    let bssid: string | undefined;
    const info: Record<string, unknown> = { type, subtype, typeSubtype, ds, duration, protected: protectedFrame };
    const name = TYPE_SUBTYPES[typeSubtype] ?? `Unrecognized (Reserved frame) (${hex(typeSubtype, 2)})`;
    const at = start + 4;
    if (type === 1) {
      // Control frames: the receiver, and for most a transmitter; no sequence number.
      const ra = address(c, at, ['wlan.ra']);
      dst = ra;
      c.skip(6);
      if (subtype === 0x8 || subtype === 0x9 || subtype === 0xa || subtype === 0xb || subtype === 0xe || subtype === 0xf) {
        const key = subtype === 0xa ? ['wlan.ta'] : subtype === 0xe || subtype === 0xf ? ['wlan.bssid'] : ['wlan.ta'];
        src = address(c, at + 6, key);
        c.skip(6);
      }
      Object.assign(info, { ra, ta: src });
      // What follows the addresses (BAR/BA control, padding) stays in the control frame.
      c.skip(c.remaining());
      return { name: '802.11', summary: () => `${name}, Flags=${flagText(flags)}`, info };
    }
    if (type === 3) {
      // Extension frames: the receiver address, then the extension frame's own body.
      Object.assign(info, { ra: address(c, at, ['wlan.ra']) });
      c.skip(6);
      return { summary: () => `${name}, Flags=${flagText(flags)}`, info, next: { protocol: 'wlan_ext', ctx: CLEAR } };
    }
    const a1 = at;
    const a2 = at + 6;
    const a3 = at + 12;
    c.need(18, 'wlan.bssid', at);
    if (type === 0) {
      dst = address(c, a1, ['wlan.ra', 'wlan.da']);
      src = address(c, a2, ['wlan.ta', 'wlan.sa']);
      bssid = address(c, a3, ['wlan.bssid']);
    } else if (ds === 0) {
      address(c, a1, ['wlan.ra']);
      address(c, a2, ['wlan.ta']);
      dst = address(c, a1, ['wlan.da']);
      src = address(c, a2, ['wlan.sa']);
      bssid = address(c, a3, ['wlan.bssid']);
    } else if (ds === 1) {
      address(c, a1, ['wlan.ra']);
      address(c, a2, ['wlan.ta']);
      dst = address(c, a3, ['wlan.da']);
      src = address(c, a2, ['wlan.sa']);
      bssid = address(c, a1, ['wlan.bssid']);
      address(c, a2, ['wlan.staa']);
    } else if (ds === 2) {
      address(c, a1, ['wlan.ra']);
      address(c, a2, ['wlan.ta']);
      dst = address(c, a1, ['wlan.da']);
      src = address(c, a3, ['wlan.sa']);
      bssid = address(c, a2, ['wlan.bssid']);
      address(c, a1, ['wlan.staa']);
    } else {
      address(c, a1, ['wlan.ra']);
      address(c, a2, ['wlan.ta']);
      dst = address(c, a3, ['wlan.da']);
    }
    c.skip(18);
    const seqAt = c.pos;
    const seqCtl = c.peek16(0, true);
    c.add('wlan.frag', seqCtl & 0x0f, seqAt, 2);
    c.add('wlan.seq', seqCtl >> 4, seqAt, 2);
    c.skip(2);
    if (type === 2 && ds === 3) {
      src = address(c, c.pos, ['wlan.sa']);
      c.skip(6);
    }
    Object.assign(info, { src, dst, bssid, seq: seqCtl >> 4, frag: seqCtl & 0x0f });
    const seqNo = seqCtl >> 4;
    const fn = seqCtl & 0x0f;
    const summary = (): string => `${name}, SN=${seqNo}, FN=${fn}, Flags=${flagText(flags)}`;
    if (type === 0) {
      if (order) c.u32('wlan.htc', true);
      return { summary, info, next: { protocol: 'wlan.mgt', ctx: { ...CLEAR, wlanSubtype: subtype } } };
    }
    // Data frames.
    let amsdu = false;
    if ((subtype & 0x08) !== 0) {
      const qosAt = c.pos;
      const qos = c.peek16(0, true);
      amsdu = (qos & 0x80) !== 0;
      c.group('wlan.qos', () => {
        c.add('wlan.qos.tid', qos & 0x0f, qosAt, 2);
        c.add('wlan.qos.amsdupresent', amsdu, qosAt, 2);
        c.skip(2);
        return qos;
      }, 2);
      if (order) c.u32('wlan.htc', true);
    }
    if (c.ctx['wlanDatapad'] === true) {
      const pad = (4 - ((c.pos - start) % 4)) % 4;
      if (pad > 0 && c.has(pad)) c.skip(pad);
    }
    // Subtypes with bit 2 set carry no data (Null, QoS Null, CF-Ack/Poll without data).
    if ((subtype & 0x04) !== 0 || c.reportedRemaining() <= 0) return { summary, info };
    if (protectedFrame || amsdu) return { summary, info };
    return { summary, info, next: { protocol: 'llc', ctx: CLEAR } };
  },
});

/** The body of an 802.11 extension frame (DMG and S1G beacons, ...): identified, kept whole. */
export const wlanExt = defineProtocol({
  id: 'wlan_ext',
  name: 'IEEE 802.11 wireless LAN extension frame',
  short: '802.11',
  fields: {
    'wlan_ext.body': { label: 'Extension frame body', type: 'bytes' },
  },
  dissect(c) {
    if (c.remaining() > 0) c.bytes('wlan_ext.body', c.remaining());
    return { summary: '' };
  },
});

/** The frame-control flags as letters, most significant bit first (`.p.....T`). */
function flagText(f: number): string {
  const chars = 'opmPRMFT';
  let s = '';
  for (let i = 0; i < 8; i++) s += (f & (0x80 >> i)) !== 0 ? chars[i] : '.';
  return s;
}

const MGT_FIXED: Record<number, readonly string[]> = {
  0: ['capabilities', 'listen_ival'],
  1: ['capabilities', 'status_code', 'aid'],
  2: ['capabilities', 'listen_ival', 'current_ap'],
  3: ['capabilities', 'status_code', 'aid'],
  4: [],
  5: ['timestamp', 'beacon', 'capabilities'],
  8: ['timestamp', 'beacon', 'capabilities'],
  10: ['reason_code'],
  11: ['auth.alg', 'auth_seq', 'status_code'],
  12: ['reason_code'],
};

const TAG_NAMES: Record<number, string> = {
  0: 'SSID parameter set',
  1: 'Supported Rates',
  3: 'DS Parameter set',
  5: 'Traffic Indication Map (TIM)',
  7: 'Country Information',
  42: 'ERP Information',
  45: 'HT Capabilities (802.11n D1.10)',
  48: 'RSN Information',
  50: 'Extended Supported Rates',
  61: 'HT Information (802.11n D1.10)',
  127: 'Extended Capabilities',
  221: 'Vendor Specific',
};

/** 802.11 management frame body: fixed parameters by subtype, then tagged parameters. */
export const wlanMgt = defineProtocol({
  id: 'wlan.mgt',
  name: 'IEEE 802.11 Wireless Management',
  short: '802.11 MGT',
  fields: {
    'wlan.fixed.all': { label: 'Fixed parameters', type: 'none' },
    'wlan.fixed.timestamp': { label: 'Timestamp', type: 'u64' },
    'wlan.fixed.beacon': { label: 'Beacon Interval', type: 'u32' },
    'wlan.fixed.capabilities': { label: 'Capabilities Information', type: 'u16', base: 'hex' },
    'wlan.fixed.listen_ival': { label: 'Listen Interval', type: 'u16', base: 'hex' },
    'wlan.fixed.status_code': { label: 'Status code', type: 'u16', base: 'hex' },
    'wlan.fixed.aid': { label: 'Association ID', type: 'u16', base: 'hex' },
    'wlan.fixed.reason_code': { label: 'Reason code', type: 'u16', base: 'hex' },
    'wlan.fixed.auth.alg': { label: 'Authentication Algorithm', type: 'u16' },
    'wlan.fixed.auth_seq': { label: 'Authentication SEQ', type: 'u16', base: 'hex' },
    'wlan.fixed.current_ap': { label: 'Current AP', type: 'ether' },
    'wlan.fixed.category_code': { label: 'Category code', type: 'u16' },
    'wlan.tagged.all': { label: 'Tagged parameters', type: 'none' },
    'wlan.tag': { label: 'Tag', type: 'none' },
    'wlan.tag.number': { label: 'Tag Number', type: 'u8', values: TAG_NAMES },
    'wlan.tag.length': { label: 'Tag length', type: 'u32' },
    'wlan.ssid': { label: 'SSID', type: 'bytes' },
    'wlan.supported_rates': { label: 'Supported Rates', type: 'u8', base: 'hex' },
    'wlan.ds.current_channel': { label: 'Current Channel', type: 'u8' },
    'wlan.tag.data': { label: 'Tag Data', type: 'bytes' },
  },
  dissect(c) {
    const subtype = Number(c.ctx['wlanSubtype'] ?? -1);
    const fixed = MGT_FIXED[subtype];
    let ssid: string | undefined;
    if (fixed !== undefined && fixed.length > 0) {
      c.group('wlan.fixed.all', () => {
        for (const f of fixed) {
          const key = `wlan.fixed.${f}`;
          if (f === 'timestamp') c.u64(key, true);
          else if (f === 'beacon') {
            c.add(key, c.peek16(0, true), c.pos, 2);
            c.skip(2);
          } else if (f === 'current_ap') c.mac(key);
          else if (f === 'aid') {
            c.add(key, c.peek16(0, true) & 0x3fff, c.pos, 2);
            c.skip(2);
          } else c.u16(key, true);
        }
        return '';
      }, -1, () => 'Fixed parameters');
    } else if (subtype === 13 || subtype === 14) {
      c.group('wlan.fixed.all', () => {
        c.add('wlan.fixed.category_code', c.peek8(), c.pos, 1);
        c.skip(1);
        return '';
      }, -1, () => 'Fixed parameters');
      // Action bodies vary by category: the rest stays data.
      return { summary: 'Action', info: { subtype } };
    }
    if (c.remaining() >= 2 && subtype !== 9) {
      c.group('wlan.tagged.all', () => {
        let guard = 0;
        while (c.remaining() >= 2 && guard++ < 256) {
          const num = c.peek8();
          const len = c.peek8(1);
          c.need(2 + len, 'wlan.tag.length');
          c.group('wlan.tag', () => {
            c.u8('wlan.tag.number');
            c.add('wlan.tag.length', len, c.pos, 1);
            c.skip(1);
            if (num === 0) {
              const b = c.bytes('wlan.ssid', len);
              ssid = String.fromCharCode(...b);
            } else if (num === 1 || num === 50) {
              for (let i = 0; i < len; i++) c.u8('wlan.supported_rates');
            } else if (num === 3 && len === 1) {
              c.u8('wlan.ds.current_channel');
            } else if (len > 0) {
              c.bytes('wlan.tag.data', len);
            }
            return '';
          }, 2 + len, () => `Tag: ${TAG_NAMES[num] ?? `Unknown (${num})`}`);
        }
        return '';
      }, -1, () => 'Tagged parameters');
    }
    return { summary: () => (ssid !== undefined ? `SSID=${ssid}` : ''), info: { subtype, ssid } };
  },
});
