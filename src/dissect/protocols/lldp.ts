import type { Cursor } from '../cursor.js';
import { bytesToHex, escapeFieldString } from '../field-types.js';
import { defineProtocol } from '../protocol.js';

const TLV_TYPES: Record<number, string> = {
  0: 'End of LLDPDU',
  1: 'Chassis Id',
  2: 'Port Id',
  3: 'Time to Live',
  4: 'Port Description',
  5: 'System Name',
  6: 'System Description',
  7: 'System Capabilities',
  8: 'Management Address',
  127: 'Organization Specific',
};

const CHASSIS_SUBTYPES: Record<number, string> = {
  0: 'Reserved',
  1: 'Chassis component',
  2: 'Interface alias',
  3: 'Port component',
  4: 'MAC address',
  5: 'Network address',
  6: 'Interface name',
  7: 'Locally assigned',
};
const CHASSIS_ABBREV: Record<number, string> = { 1: 'CC', 2: 'IA', 3: 'PC', 4: 'MA', 5: 'NA', 6: 'IN', 7: 'LA' };

const PORT_SUBTYPES: Record<number, string> = {
  0: 'Reserved',
  1: 'Interface alias',
  2: 'Port component',
  3: 'MAC address',
  4: 'Network address',
  5: 'Interface name',
  6: 'Agent circuit Id',
  7: 'Locally assigned',
};
const PORT_ABBREV: Record<number, string> = { 1: 'IA', 2: 'PC', 3: 'MA', 4: 'NA', 5: 'IN', 6: 'AC', 7: 'LA' };

/** IANA address family numbers, as LLDP uses them. */
const FAMILIES: Record<number, string> = { 1: 'IPv4', 2: 'IPv6', 6: '802 (includes all 802 media plus Ethernet)' };
const INTERFACE_SUBTYPES: Record<number, string> = { 1: 'Unknown', 2: 'ifIndex', 3: 'System port number' };

const OUI_IEEE_8021 = 0x0080c2;
const OUI_IEEE_8023 = 0x00120f;
const OUI_TIA = 0x0012bb;
const OUI_NAMES: Record<number, string> = {
  [OUI_IEEE_8021]: 'IEEE',
  [OUI_IEEE_8023]: 'Ieee 802.3',
  [OUI_TIA]: 'Telecommunications Industry Association TR-41 Committee',
};
const IEEE_8021_SUBTYPES: Record<number, string> = {
  1: 'Port VLAN ID',
  2: 'Port and Protocol VLAN ID',
  3: 'VLAN Name',
  4: 'Protocol Identity',
  5: 'VID Usage Digest',
  6: 'Management VID',
  7: 'Link Aggregation',
  8: 'Congestion Notification',
  9: 'ETS Configuration',
  10: 'ETS Recommendation',
  11: 'Priority Flow Control Configuration',
  12: 'Application Priority',
  13: 'EVB',
  14: 'CDCP',
};
const IEEE_8023_SUBTYPES: Record<number, string> = {
  1: 'MAC/PHY Configuration/Status',
  2: 'Power Via MDI',
  3: 'Link Aggregation',
  4: 'Maximum Frame Size',
  5: 'EEE (Energy Efficient Ethernet)',
  7: 'Additional Ethernet Capabilities',
};
const MEDIA_SUBTYPES: Record<number, string> = {
  1: 'Media Capabilities',
  2: 'Network Policy',
  3: 'Location Identification',
  4: 'Extended Power-via-MDI',
  5: 'Inventory - Hardware Revision',
  6: 'Inventory - Firmware Revision',
  7: 'Inventory - Software Revision',
  8: 'Inventory - Serial Number',
  9: 'Inventory - Manufacturer Name',
  10: 'Inventory - Model Name',
  11: 'Inventory - Asset ID',
};

const CAPABILITIES: [string, number, string][] = [
  ['other', 0x01, 'Other'],
  ['repeater', 0x02, 'Repeater'],
  ['bridge', 0x04, 'Bridge'],
  ['wlan_access_pt', 0x08, 'WLAN access point'],
  ['router', 0x10, 'Router'],
  ['telephone', 0x20, 'Telephone'],
  ['docsis_cable_device', 0x40, 'DOCSIS cable device'],
  ['station_only', 0x80, 'Station only'],
];

const PMD_CAPS: [string, number, string][] = [
  ['1000base_tfd', 0x0001, '1000BASE-T (full duplex mode)'],
  ['1000base_t', 0x0002, '1000BASE-T (half duplex mode)'],
  ['1000base_xfd', 0x0004, '1000BASE-X (-LX, -SX, -CX full duplex mode)'],
  ['1000base_x', 0x0008, '1000BASE-X (-LX, -SX, -CX half duplex mode)'],
  ['fdx_bpause', 0x0010, 'Asymmetric and Symmetric PAUSE (for full-duplex links)'],
  ['fdx_spause', 0x0020, 'Symmetric PAUSE (for full-duplex links)'],
  ['fdx_apause', 0x0040, 'Asymmetric PAUSE (for full-duplex links)'],
  ['fdx_pause', 0x0080, 'PAUSE (for full-duplex links)'],
  ['100base_t2fd', 0x0100, '100BASE-T2 (full duplex mode)'],
  ['100base_t2', 0x0200, '100BASE-T2 (half duplex mode)'],
  ['100base_txfd', 0x0400, '100BASE-TX (full duplex mode)'],
  ['100base_tx', 0x0800, '100BASE-TX (half duplex mode)'],
  ['100base_t4', 0x1000, '100BASE-T4'],
  ['10base_tfd', 0x2000, '10BASE-T (full duplex mode)'],
  ['10base_t', 0x4000, '10BASE-T (half duplex mode)'],
  ['other', 0x8000, 'Other or unknown'],
];

const CAPABLE = ['Capable', 'Not capable'] as const;
/** Most TLVs read from one LLDPDU (a full-size frame holds about 750 empty ones). */
const MAX_TLVS = 512;

const text = (label: string) => ({ label, type: 'none' as const });
const oui = (v: number): string => {
  const s = `${(v >> 16).toString(16).padStart(2, '0')}:${((v >> 8) & 0xff).toString(16).padStart(2, '0')}:${(v & 0xff).toString(16).padStart(2, '0')}`;
  return OUI_NAMES[v] !== undefined ? `${s} (${OUI_NAMES[v]})` : s;
};

/** An ASN.1 object identifier's dotted text, from its BER content bytes. */
function oidText(b: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** Reads an address of `n` bytes after its family byte: IPv4 and IPv6 as addresses, the rest as bytes. */
function address(c: Cursor, family: number, n: number, ip4: string, ip6: string, other: string): string {
  if (family === 1 && n === 4) return c.ipv4(ip4);
  if (family === 2 && n === 16) return c.ipv6(ip6);
  return bytesToHex(c.bytes(other, n), '');
}

interface Summary {
  parts: string[];
  /** Set when a mandatory TLV is missing: the whole Info column. */
  invalid: string | undefined;
}

/** Chassis Id TLV body: subtype and the id; returns the text shown in the Info column. */
function chassisId(c: Cursor, n: number): string {
  const subtype = c.u8('lldp.chassis.subtype');
  const len = n - 1;
  if (subtype === 4 && len === 6) return c.mac('lldp.chassis.id.mac');
  if (subtype === 5 && len >= 1) {
    const family = c.u8('lldp.network_address.subtype');
    return address(c, family, len - 1, 'lldp.chassis.id.ip4', 'lldp.chassis.id.ip6', 'lldp.chassis.id');
  }
  const id = c.bytes('lldp.chassis.id', len);
  return subtype === 3 || subtype === 4 || subtype === 5 ? bytesToHex(id, '') : escapeFieldString(String.fromCharCode(...id));
}

/** Port Id TLV body. */
function portId(c: Cursor, n: number): string {
  const subtype = c.u8('lldp.port.subtype');
  const len = n - 1;
  if (subtype === 3 && len === 6) return c.mac('lldp.port.id.mac');
  if (subtype === 4 && len >= 1) {
    const family = c.u8('lldp.network_address.subtype');
    return address(c, family, len - 1, 'lldp.port.id.ip4', 'lldp.port.id.ip6', 'lldp.port.id');
  }
  const at = c.pos;
  const id = c.ascii('lldp.port.id', len);
  return subtype === 2 ? bytesToHex(c.data.subarray(at, at + len), '') : escapeFieldString(id);
}

function capabilities(c: Cursor, key: string): void {
  c.group(key, () => {
    for (const [name, mask] of CAPABILITIES) c.flag(`${key}.${name}`, 2, mask);
    return c.u16();
  }, 2);
}

/** Management Address TLV body. */
function managementAddress(c: Cursor, end: number): void {
  const alen = c.u8('lldp.mgn.address.len');
  if (alen < 1) c.malformed(`management address string length ${alen}`, 'lldp.mgn.address.len', c.pos - 1);
  const family = c.u8('lldp.mgn.address.subtype');
  address(c, family, alen - 1, 'lldp.mgn.addr.ip4', 'lldp.mgn.addr.ip6', 'lldp.mgn.addr.hex');
  c.u8('lldp.mgn.interface.subtype');
  c.u32('lldp.mgn.interface.number');
  const olen = c.u8('lldp.mgn.obj.len');
  if (olen > 0) {
    if (c.pos + olen > end) c.malformed(`OID length ${olen} runs past the TLV`, 'lldp.mgn.obj.len', c.pos - 1);
    const at = c.pos;
    const b = c.bytes(undefined, olen);
    c.add('lldp.mgn.obj.id', oidText(b), at, olen);
  }
}

/** Organizationally specific TLV body: the OUI, the subtype, and the common IEEE ones. Returns the title. */
function organizational(c: Cursor, end: number): string {
  const org = c.u24('lldp.orgtlv.oui');
  const orgName = OUI_NAMES[org] ?? 'Unknown';
  if (org === OUI_IEEE_8021) {
    const sub = c.u8('lldp.ieee.802_1.subtype');
    if (sub === 1 && end - c.pos >= 2) c.u16('lldp.ieee.802_1.port_vlan.id');
    else if (sub === 3 && end - c.pos >= 3) {
      c.u16('lldp.ieee.802_1.vlan.id');
      const nlen = c.u8('lldp.ieee.802_1.vlan.name_len');
      if (c.pos + nlen > end) c.malformed(`VLAN name length ${nlen} runs past the TLV`, 'lldp.ieee.802_1.vlan.name_len', c.pos - 1);
      c.ascii('lldp.ieee.802_1.vlan.name', nlen);
    }
    return `${orgName} - ${IEEE_8021_SUBTYPES[sub] ?? 'Unknown'}`;
  }
  if (org === OUI_IEEE_8023) {
    const sub = c.u8('lldp.ieee.802_3.subtype');
    if (sub === 1 && end - c.pos >= 5) {
      c.group('lldp.ieee.802_3.mac_phy_auto_neg_status', () => {
        c.flag('lldp.ieee.802_3.mac_phy_auto_neg_status.supported', 1, 0x01);
        c.flag('lldp.ieee.802_3.mac_phy_auto_neg_status.enabled', 1, 0x02);
        return c.u8();
      }, 1);
      c.group('lldp.ieee.802_3.pmd_auto_neg_advertised_caps', () => {
        for (const [name, mask] of PMD_CAPS) c.flag(`lldp.ieee.802_3.pmd_auto_neg_advertised_caps.${name}`, 2, mask);
        return c.u16();
      }, 2);
      c.u16('lldp.ieee.802_3.pmd_mau_type');
    } else if (sub === 4 && end - c.pos >= 2) c.u16('lldp.ieee.802_3.max_frame_size');
    return `${orgName} - ${IEEE_8023_SUBTYPES[sub] ?? 'Unknown'}`;
  }
  if (org === OUI_TIA) {
    const sub = c.u8('lldp.media.subtype');
    return `${orgName} - ${MEDIA_SUBTYPES[sub] ?? 'Unknown'}`;
  }
  const sub = c.u8('lldp.unknown_subtype');
  if (end > c.pos) c.bytes('lldp.unknown_subtype.content', end - c.pos);
  return `${orgName} - Unknown (${sub})`;
}

/** Link Layer Discovery Protocol (IEEE 802.1AB): a list of type-length-value records. */
export const lldp = defineProtocol({
  id: 'lldp',
  name: 'Link Layer Discovery Protocol',
  short: 'LLDP',
  bindings: [{ table: 'ethertype', key: 0x88cc }],
  fields: {
    'lldp.tlv': text('TLV'),
    'lldp.tlv.type': { label: 'TLV Type', type: 'u16', mask: 0xfe00, values: TLV_TYPES },
    'lldp.tlv.len': { label: 'TLV Length', type: 'u16', mask: 0x01ff },
    'lldp.chassis.subtype': { label: 'Chassis Id Subtype', type: 'u8', values: CHASSIS_SUBTYPES },
    'lldp.chassis.id': { label: 'Chassis Id', type: 'bytes' },
    'lldp.chassis.id.mac': { label: 'Chassis Id', type: 'ether' },
    'lldp.chassis.id.ip4': { label: 'Chassis Id', type: 'ipv4' },
    'lldp.chassis.id.ip6': { label: 'Chassis Id', type: 'ipv6' },
    'lldp.network_address.subtype': { label: 'Network Address family', type: 'u8', values: FAMILIES },
    'lldp.port.subtype': { label: 'Port Id Subtype', type: 'u8', values: PORT_SUBTYPES },
    'lldp.port.id': { label: 'Port Id', type: 'string' },
    'lldp.port.id.mac': { label: 'Port Id', type: 'ether' },
    'lldp.port.id.ip4': { label: 'Port Id', type: 'ipv4' },
    'lldp.port.id.ip6': { label: 'Port Id', type: 'ipv6' },
    'lldp.time_to_live': { label: 'Seconds', type: 'u16' },
    'lldp.port.desc': { label: 'Port Description', type: 'string' },
    'lldp.tlv.system.name': { label: 'System Name', type: 'string' },
    'lldp.tlv.system.desc': { label: 'System Description', type: 'string' },
    'lldp.tlv.system_cap': { label: 'Capabilities', type: 'u16', base: 'hex' },
    ...Object.fromEntries(CAPABILITIES.map(([k, m, label]) => [`lldp.tlv.system_cap.${k}`, { label, type: 'bool' as const, mask: m, tfs: CAPABLE }])),
    'lldp.tlv.enable_system_cap': { label: 'Enabled Capabilities', type: 'u16', base: 'hex' },
    ...Object.fromEntries(CAPABILITIES.map(([k, m, label]) => [`lldp.tlv.enable_system_cap.${k}`, { label, type: 'bool' as const, mask: m, tfs: CAPABLE }])),
    'lldp.mgn.address.len': { label: 'Address String Length', type: 'u8' },
    'lldp.mgn.address.subtype': { label: 'Address Subtype', type: 'u8', values: FAMILIES },
    'lldp.mgn.addr.ip4': { label: 'Management Address', type: 'ipv4' },
    'lldp.mgn.addr.ip6': { label: 'Management Address', type: 'ipv6' },
    'lldp.mgn.addr.hex': { label: 'Management Address', type: 'bytes' },
    'lldp.mgn.interface.subtype': { label: 'Interface Subtype', type: 'u8', values: INTERFACE_SUBTYPES },
    'lldp.mgn.interface.number': { label: 'Interface Number', type: 'u32' },
    'lldp.mgn.obj.len': { label: 'OID String Length', type: 'u8' },
    'lldp.mgn.obj.id': { label: 'Object Identifier', type: 'oid' },
    'lldp.orgtlv.oui': { label: 'Organization Unique Code', type: 'u24', format: oui },
    'lldp.ieee.802_1.subtype': { label: 'IEEE 802.1 Subtype', type: 'u8', base: 'hex', values: IEEE_8021_SUBTYPES },
    'lldp.ieee.802_1.port_vlan.id': { label: 'Port VLAN Identifier', type: 'u16', base: 'dec_hex' },
    'lldp.ieee.802_1.vlan.id': { label: 'VLAN Identifier', type: 'u16', base: 'dec_hex' },
    'lldp.ieee.802_1.vlan.name_len': { label: 'VLAN Name Length', type: 'u8' },
    'lldp.ieee.802_1.vlan.name': { label: 'VLAN Name', type: 'string' },
    'lldp.ieee.802_3.subtype': { label: 'IEEE 802.3 Subtype', type: 'u8', base: 'hex', values: IEEE_8023_SUBTYPES },
    'lldp.ieee.802_3.mac_phy_auto_neg_status': { label: 'Auto-Negotiation Support/Status', type: 'u8', base: 'hex' },
    'lldp.ieee.802_3.mac_phy_auto_neg_status.supported': { label: 'Auto-Negotiation', type: 'bool', mask: 0x01, tfs: ['Supported', 'Not supported'] },
    'lldp.ieee.802_3.mac_phy_auto_neg_status.enabled': { label: 'Auto-Negotiation', type: 'bool', mask: 0x02, tfs: ['Enabled', 'Not enabled'] },
    'lldp.ieee.802_3.pmd_auto_neg_advertised_caps': { label: 'PMD Auto-Negotiation Advertised Capability', type: 'u16', base: 'hex' },
    ...Object.fromEntries(PMD_CAPS.map(([k, m, label]) => [`lldp.ieee.802_3.pmd_auto_neg_advertised_caps.${k}`, { label, type: 'bool' as const, mask: m, tfs: CAPABLE }])),
    'lldp.ieee.802_3.pmd_mau_type': { label: 'Operational MAU Type', type: 'u16', base: 'hex' },
    'lldp.ieee.802_3.max_frame_size': { label: 'Maximum Frame Size', type: 'u16' },
    'lldp.media.subtype': { label: 'Media Subtype', type: 'u8', base: 'hex', values: MEDIA_SUBTYPES },
    'lldp.unknown_subtype': { label: 'Unknown Subtype', type: 'u8' },
    'lldp.unknown_subtype.content': { label: 'Unknown Subtype Content', type: 'bytes' },
  },
  dissect(c) {
    const s: Summary = { parts: [], invalid: undefined };
    const info: Record<string, unknown> = {};
    let index = 0;
    let ended = false;
    while (c.remaining() > 0 && index < MAX_TLVS) {
      const at = c.pos;
      const head = c.peek16();
      const type = head >> 9;
      const len = head & 0x01ff;
      // The first three TLVs must be Chassis Id, Port Id and Time to Live, in that order.
      const expected = index < 3 ? index + 1 : undefined;
      if (expected !== undefined && type !== expected) {
        const what = ['Chassis ID', 'Port ID', 'Time-to-Live'][index]!;
        c.expert('warning', `Invalid ${what} (0x${type.toString(16).padStart(2, '0')}), expected (0x${expected.toString(16).padStart(2, '0')})`, 'lldp.tlv.type');
        s.invalid = `Invalid ${what} TLV`;
        c.skip(c.remaining());
        break;
      }
      index++;
      const end = at + 2 + len;
      if (end > c.repEnd) c.malformed(`TLV length ${len} runs past the LLDPDU`, 'lldp.tlv.len', at);
      let title = TLV_TYPES[type] ?? 'Unknown TLV';
      c.group('lldp.tlv', () => {
        c.bits('lldp.tlv.type', 2, 0xfe00);
        c.bits('lldp.tlv.len', 2, 0x01ff);
        c.skip(2);
        switch (type) {
          case 0:
            title = 'End of LLDPDU';
            break;
          case 1: {
            if (len < 2) c.malformed(`Chassis Id TLV length ${len} is too short`, 'lldp.tlv.len', at);
            const subtype = c.peek8();
            const id = chassisId(c, len);
            info['chassis'] = id;
            title = `Chassis Subtype = ${CHASSIS_SUBTYPES[subtype] ?? 'Reserved'}, Id: ${id}`;
            s.parts.push(`${CHASSIS_ABBREV[subtype] ?? 'Unknown'}/${id}`);
            break;
          }
          case 2: {
            if (len < 2) c.malformed(`Port Id TLV length ${len} is too short`, 'lldp.tlv.len', at);
            const subtype = c.peek8();
            const id = portId(c, len);
            info['port'] = id;
            title = `Port Subtype = ${PORT_SUBTYPES[subtype] ?? 'Reserved'}, Id: ${id}`;
            s.parts.push(`${PORT_ABBREV[subtype] ?? 'Unknown'}/${id}`);
            break;
          }
          case 3: {
            if (len < 2) c.malformed(`Time to Live TLV length ${len} is too short`, 'lldp.tlv.len', at);
            const ttl = c.u16('lldp.time_to_live');
            info['ttl'] = ttl;
            title = `Time To Live = ${ttl} sec`;
            s.parts.push(String(ttl));
            break;
          }
          case 4: {
            const v = escapeFieldString(c.ascii('lldp.port.desc', len));
            title = `Port Description = ${v}`;
            break;
          }
          case 5: {
            const v = escapeFieldString(c.ascii('lldp.tlv.system.name', len));
            info['systemName'] = v;
            title = `System Name = ${v}`;
            s.parts.push(`SysN=${v}`);
            break;
          }
          case 6: {
            const v = escapeFieldString(c.ascii('lldp.tlv.system.desc', len));
            title = `System Description = ${v}`;
            s.parts.push(`SysD=${v}`);
            break;
          }
          case 7:
            title = 'Capabilities';
            if (len >= 4) {
              capabilities(c, 'lldp.tlv.system_cap');
              capabilities(c, 'lldp.tlv.enable_system_cap');
            }
            break;
          case 8:
            if (len >= 9) managementAddress(c, end);
            break;
          case 127:
            if (len >= 4) title = organizational(c, end);
            break;
          default:
            title = 'Unknown TLV';
            break;
        }
        if (c.pos > end) c.malformed(`TLV type ${type} reads past its length ${len}`, 'lldp.tlv.len', at);
        c.seek(end);
        return c.data.subarray(at, end);
      }, -1, () => title);
      if (type === 0) {
        ended = true;
        break;
      }
    }
    if (index >= MAX_TLVS && c.remaining() > 0) c.expert('note', `more than ${MAX_TLVS} TLVs: the rest are not read`);
    // Bytes after the End TLV are the frame's padding, not LLDP.
    if (ended) c.limit(c.pos - c.start);
    return {
      summary: () => s.invalid ?? s.parts.map((p) => `${p} `).join(''),
      info,
    };
  },
});
