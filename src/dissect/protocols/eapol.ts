import { defineProtocol } from '../protocol.js';

const TYPES: Readonly<Record<number, string>> = {
  0: 'EAP Packet',
  1: 'Start',
  2: 'Logoff',
  3: 'Key',
  4: 'Encapsulated ASF Alert',
  5: 'MKA',
};

const VERSIONS: Readonly<Record<number, string>> = { 1: '802.1X-2001', 2: '802.1X-2004', 3: '802.1X-2010' };

/** Key information bits (IEEE 802.11 RSN key descriptor). */
const KEY_TYPE = 0x0008;
const INSTALL = 0x0040;
const KEY_ACK = 0x0080;
const KEY_MIC = 0x0100;
const SECURE = 0x0200;

/** Which message of the 4-way handshake a key frame is, as tshark numbers them. */
function messageNumber(info: number, dataLen: number): number {
  const ack = (info & KEY_ACK) !== 0;
  const mic = (info & KEY_MIC) !== 0;
  if (ack) return mic ? 3 : 1;
  if (!mic) return 0;
  return (info & SECURE) !== 0 && dataLen === 0 ? 4 : 2;
}

/**
 * IEEE 802.1X authentication (EAPOL, ethertype 0x888e): the header, and for Key frames the
 * RSN/WPA key descriptor (key information, lengths, counters, nonce, MIC) with the handshake's
 * message number.
 */
export const eapol = defineProtocol({
  id: 'eapol',
  name: '802.1X Authentication',
  short: 'EAPOL',
  bindings: [{ table: 'ethertype', key: 0x888e }],
  fields: {
    'eapol.version': { label: 'Version', type: 'u8', values: VERSIONS },
    'eapol.type': { label: 'Type', type: 'u8', values: TYPES },
    'eapol.len': { label: 'Length', type: 'u16' },
    'eapol.keydes.type': { label: 'Key Descriptor Type', type: 'u8', values: { 1: 'RC4 Descriptor', 2: 'EAPOL RSN Key', 254: 'EAPOL WPA Key' } },
    'wlan_rsna_eapol.keydes.msgnr': { label: 'Message number', type: 'u8' },
    'wlan_rsna_eapol.keydes.key_info': { label: 'Key Information', type: 'u16', base: 'hex' },
    'wlan_rsna_eapol.keydes.key_info.keydes_version': { label: 'Key Descriptor Version', type: 'u16', mask: 0x0007 },
    'wlan_rsna_eapol.keydes.key_info.key_type': { label: 'Key Type', type: 'bool', mask: KEY_TYPE },
    'wlan_rsna_eapol.keydes.key_info.install': { label: 'Install', type: 'bool', mask: INSTALL },
    'wlan_rsna_eapol.keydes.key_info.key_ack': { label: 'Key ACK', type: 'bool', mask: KEY_ACK },
    'wlan_rsna_eapol.keydes.key_info.key_mic': { label: 'Key MIC', type: 'bool', mask: KEY_MIC },
    'wlan_rsna_eapol.keydes.key_info.secure': { label: 'Secure', type: 'bool', mask: SECURE },
    'eapol.keydes.key_len': { label: 'Key Length', type: 'u16' },
    'eapol.keydes.replay_counter': { label: 'Replay Counter', type: 'u64' },
    'wlan_rsna_eapol.keydes.nonce': { label: 'WPA Key Nonce', type: 'bytes' },
    'eapol.keydes.key_iv': { label: 'Key IV', type: 'bytes' },
    'wlan_rsna_eapol.keydes.rsc': { label: 'WPA Key RSC', type: 'bytes' },
    'wlan_rsna_eapol.keydes.id': { label: 'WPA Key ID', type: 'bytes' },
    'wlan_rsna_eapol.keydes.mic': { label: 'WPA Key MIC', type: 'bytes' },
    'wlan_rsna_eapol.keydes.data_len': { label: 'WPA Key Data Length', type: 'u16' },
    'wlan_rsna_eapol.keydes.data': { label: 'WPA Key Data', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    c.u8('eapol.version');
    const type = c.u8('eapol.type');
    const len = c.u16('eapol.len');
    c.limit(4 + len);
    let summary = TYPES[type] ?? `Unknown type (0x${type.toString(16).padStart(2, '0')})`;
    c.provisional = () => summary;
    if (type === 3) {
      const desc = c.u8('eapol.keydes.type');
      if (desc === 2 || desc === 254) {
        // The message number needs the key data length, 92 bytes further on.
        const info = c.peek16();
        const dataLen = c.has(94) ? c.peek16(92) : -1;
        const msg = messageNumber(info, dataLen);
        if (msg > 0) {
          c.add('wlan_rsna_eapol.keydes.msgnr', msg, start + 5, 0);
          summary = `Key (Message ${msg} of 4)`;
        }
        c.group('wlan_rsna_eapol.keydes.key_info', () => {
          c.bits('wlan_rsna_eapol.keydes.key_info.keydes_version', 2, 0x0007);
          c.flag('wlan_rsna_eapol.keydes.key_info.key_type', 2, KEY_TYPE);
          c.flag('wlan_rsna_eapol.keydes.key_info.install', 2, INSTALL);
          c.flag('wlan_rsna_eapol.keydes.key_info.key_ack', 2, KEY_ACK);
          c.flag('wlan_rsna_eapol.keydes.key_info.key_mic', 2, KEY_MIC);
          c.flag('wlan_rsna_eapol.keydes.key_info.secure', 2, SECURE);
          return c.u16();
        }, 2);
        c.u16('eapol.keydes.key_len');
        c.u64('eapol.keydes.replay_counter');
        c.bytes('wlan_rsna_eapol.keydes.nonce', 32);
        c.bytes('eapol.keydes.key_iv', 16);
        c.bytes('wlan_rsna_eapol.keydes.rsc', 8);
        c.bytes('wlan_rsna_eapol.keydes.id', 8);
        c.bytes('wlan_rsna_eapol.keydes.mic', 16);
        const n = c.u16('wlan_rsna_eapol.keydes.data_len');
        if (n > 0) c.bytes('wlan_rsna_eapol.keydes.data', n);
      }
    }
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { type } };
  },
});
