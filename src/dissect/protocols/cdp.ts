import { finishChecksum, onesSum } from '../checksum.js';
import { defineProtocol } from '../protocol.js';

const TLV_TYPES: Record<number, string> = {
  0x0001: 'Device ID',
  0x0002: 'Addresses',
  0x0003: 'Port ID',
  0x0004: 'Capabilities',
  0x0005: 'Software version',
  0x0006: 'Platform',
  0x0009: 'VTP Management Domain',
  0x000a: 'Native VLAN',
  0x000b: 'Duplex',
  0x000e: 'Voice VLAN Reply',
  0x0010: 'Power consumption',
  0x0011: 'MTU',
  0x0014: 'System Name',
  0x0016: 'Management Address',
  0x0017: 'Location',
};

const CAPS: [string, number][] = [
  ['cdp.capabilities.router', 0x01],
  ['cdp.capabilities.trans_bridge', 0x02],
  ['cdp.capabilities.src_bridge', 0x04],
  ['cdp.capabilities.switch', 0x08],
  ['cdp.capabilities.host', 0x10],
  ['cdp.capabilities.igmp_capable', 0x20],
  ['cdp.capabilities.repeater', 0x40],
  ['cdp.capabilities.voip_phone', 0x80],
  ['cdp.capabilities.remote', 0x100],
  ['cdp.capabilities.cvta', 0x200],
  ['cdp.capabilities.mac_relay', 0x400],
];

const YES_NO = ['Yes', 'No'] as const;

/**
 * CDP's checksum: the Internet checksum, except that an odd trailing byte is added as the low
 * byte of a word (Cisco's implementation, which Wireshark follows).
 */
function cdpChecksumOk(data: Uint8Array, from: number, to: number): boolean {
  const odd = (to - from) % 2 === 1;
  let sum = onesSum(data, from, odd ? to - 1 : to);
  if (odd) sum += data[to - 1]!;
  return finishChecksum(sum) === 0;
}

/** Cisco Discovery Protocol: version, TTL, checksum, then type-length-value records. */
export const cdp = defineProtocol({
  id: 'cdp',
  name: 'Cisco Discovery Protocol',
  short: 'CDP',
  bindings: [
    { table: 'llc.snap', key: 0x00000c * 0x10000 + 0x2000 },
    // CDP over GRE tunnels (protocol type 0x2000)
    { table: 'gre.proto', key: 0x2000 },
  ],
  fields: {
    'cdp.version': { label: 'Version', type: 'u8' },
    'cdp.ttl': { label: 'TTL', type: 'u8', unit: 'seconds' },
    'cdp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'cdp.checksum.status': { label: 'Checksum Status', type: 'u8', values: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } },
    'cdp.tlv.type': { label: 'Type', type: 'u16', base: 'hex', values: TLV_TYPES },
    'cdp.tlv.len': { label: 'Length', type: 'u16' },
    'cdp.deviceid': { label: 'Device ID', type: 'string' },
    'cdp.number_of_addresses': { label: 'Number of addresses', type: 'u32' },
    'cdp.protocol_type': { label: 'Protocol type', type: 'u8', base: 'hex', values: { 1: 'NLPID', 2: '802.2' } },
    'cdp.protocol_length': { label: 'Protocol length', type: 'u8' },
    'cdp.protocol': { label: 'Protocol', type: 'bytes' },
    'cdp.address_length': { label: 'Address length', type: 'u16' },
    'cdp.nrgyz.ip_address': { label: 'IP Address', type: 'ipv4' },
    'cdp.address': { label: 'Address', type: 'bytes' },
    'cdp.portid': { label: 'Sent through Interface', type: 'string' },
    'cdp.capabilities': { label: 'Capabilities', type: 'u32', base: 'hex' },
    ...Object.fromEntries(CAPS.map(([k, m]) => [k, { label: k, type: 'bool' as const, mask: m, tfs: YES_NO }])),
    'cdp.software_version': { label: 'Software version', type: 'string' },
    'cdp.platform': { label: 'Platform', type: 'string' },
    'cdp.vtp_management_domain': { label: 'VTP Management Domain', type: 'string' },
    'cdp.native_vlan': { label: 'Native VLAN', type: 'u16' },
    'cdp.duplex': { label: 'Duplex', type: 'bool', tfs: ['Full', 'Half'] },
    'cdp.mtu': { label: 'MTU', type: 'u32' },
    'cdp.system_name': { label: 'System Name', type: 'string' },
    'cdp.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.u8('cdp.version');
    c.u8('cdp.ttl');
    const checksumAt = c.pos;
    c.u16('cdp.checksum');
    const end = c.repEnd;
    if (c.mode === 'full' && c.capEnd === c.repEnd) {
      const ok = cdpChecksumOk(c.data, start, end);
      c.add('cdp.checksum.status', ok ? 1 : 0, checksumAt, 0);
      if (!ok) c.expert('warning', 'bad CDP checksum', 'cdp.checksum', checksumAt);
    }
    let deviceId: string | undefined;
    let portId: string | undefined;
    let guard = 0;
    while (c.pos + 4 <= end && guard++ < 128) {
      const at = c.pos;
      const type = c.u16('cdp.tlv.type');
      const len = c.u16('cdp.tlv.len');
      if (len < 4 || at + len > end) c.malformed(`TLV length ${len} is invalid`, 'cdp.tlv.len', at + 2);
      const vend = at + len;
      const n = len - 4;
      switch (type) {
        case 0x0001:
          deviceId = c.ascii('cdp.deviceid', n);
          break;
        case 0x0003:
          portId = c.ascii('cdp.portid', n);
          break;
        case 0x0006:
          c.ascii('cdp.platform', n);
          break;
        case 0x0009:
          c.ascii('cdp.vtp_management_domain', n);
          break;
        case 0x0014:
          c.ascii('cdp.system_name', n);
          break;
        case 0x0005: {
          // One item per line, as Wireshark shows it.
          while (c.pos < vend) {
            let e = c.pos;
            while (e < vend && c.data[e] !== 0x0a && e < c.capEnd) e++;
            const lineLen = e - c.pos;
            c.ascii('cdp.software_version', lineLen);
            if (c.pos < vend) c.skip(1);
          }
          break;
        }
        case 0x0004:
          if (n === 4) {
            c.open('cdp.capabilities');
            for (const [k, m] of CAPS) c.flag(k, 4, m);
            c.close(c.u32());
          }
          break;
        case 0x000a:
          if (n === 2) c.u16('cdp.native_vlan');
          break;
        case 0x000b:
          if (n === 1) {
            c.flag('cdp.duplex', 1, 0xff);
            c.skip(1);
          }
          break;
        case 0x0011:
          if (n === 4) c.u32('cdp.mtu');
          break;
        case 0x0002:
        case 0x0016: {
          const count = c.u32('cdp.number_of_addresses');
          for (let i = 0; i < count && c.pos + 2 <= vend && i < 64; i++) {
            const ptype = c.u8('cdp.protocol_type');
            const plen = c.u8('cdp.protocol_length');
            const proto = c.bytes('cdp.protocol', plen);
            const alen = c.u16('cdp.address_length');
            if (ptype === 1 && plen === 1 && proto[0] === 0xcc && alen === 4) c.ipv4('cdp.nrgyz.ip_address');
            else c.bytes('cdp.address', alen);
          }
          break;
        }
        default:
          break;
      }
      if (c.pos > vend) c.malformed(`TLV 0x${type.toString(16)} overruns its length`, 'cdp.tlv.len', at + 2);
      if (c.pos < vend) c.bytes('cdp.data', vend - c.pos);
    }
    return {
      summary: () => `Device ID: ${deviceId ?? ''}  Port ID: ${portId ?? ''}  `,
      info: { version, deviceId, portId },
    };
  },
});
