import { defineProtocol } from '../protocol.js';

/** Alignment and size of the fields of the default radiotap namespace, by present bit. */
const LAYOUT: readonly (readonly [align: number, size: number])[] = [
  [8, 8], // 0 TSFT
  [1, 1], // 1 Flags
  [1, 1], // 2 Rate
  [2, 4], // 3 Channel
  [2, 2], // 4 FHSS
  [1, 1], // 5 dBm antenna signal
  [1, 1], // 6 dBm antenna noise
  [2, 2], // 7 Lock quality
  [2, 2], // 8 TX attenuation
  [2, 2], // 9 dB TX attenuation
  [1, 1], // 10 dBm TX power
  [1, 1], // 11 Antenna
  [1, 1], // 12 dB antenna signal
  [1, 1], // 13 dB antenna noise
  [2, 2], // 14 RX flags
  [2, 2], // 15 TX flags
  [1, 1], // 16 RTS retries
  [1, 1], // 17 data retries
  [4, 8], // 18 XChannel
  [1, 3], // 19 MCS
  [4, 8], // 20 A-MPDU status
  [2, 12], // 21 VHT
  [8, 12], // 22 timestamp
  [2, 12], // 23 HE
  [2, 12], // 24 HE-MU
  [2, 6], // 25 HE-MU-other-user
  [1, 1], // 26 0-length PSDU
  [2, 4], // 27 L-SIG
];

export const RADIOTAP_FLAG_FCS = 0x10;
export const RADIOTAP_FLAG_DATAPAD = 0x20;

/**
 * IEEE 802.11 radiotap header (LINKTYPE_IEEE802_11_RADIOTAP 127): little-endian, a chain of
 * present-flag words, then the fields those words announce, each aligned to its natural size
 * from the start of the header. The fields of the first (default namespace) word are read;
 * the Flags field tells whether the 802.11 frame ends with an FCS and whether its header is
 * padded. The frame follows at the header's length, through the `wlan_radio` pseudo-layer.
 */
export const radiotap = defineProtocol({
  id: 'radiotap',
  name: 'IEEE 802.11 Radiotap Capture header',
  short: 'Radiotap',
  bindings: [{ table: 'linktype', key: 127 }],
  fields: {
    'radiotap.version': { label: 'Header revision', type: 'u8' },
    'radiotap.pad': { label: 'Header pad', type: 'u8' },
    'radiotap.length': { label: 'Header length', type: 'u16' },
    'radiotap.present.word': { label: 'Present flags word', type: 'u32', base: 'hex' },
    'radiotap.mactime': { label: 'MAC timestamp', type: 'u64' },
    'radiotap.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'radiotap.flags.cfp': { label: 'CFP', type: 'bool', mask: 0x01 },
    'radiotap.flags.preamble': { label: 'Preamble', type: 'bool', mask: 0x02, tfs: ['Short', 'Long'] },
    'radiotap.flags.wep': { label: 'WEP', type: 'bool', mask: 0x04 },
    'radiotap.flags.frag': { label: 'Fragmentation', type: 'bool', mask: 0x08 },
    'radiotap.flags.fcs': { label: 'FCS at end', type: 'bool', mask: 0x10 },
    'radiotap.flags.datapad': { label: 'Data Pad', type: 'bool', mask: 0x20 },
    'radiotap.flags.badfcs': { label: 'Bad FCS', type: 'bool', mask: 0x40 },
    'radiotap.flags.shortgi': { label: 'Short GI', type: 'bool', mask: 0x80 },
    'radiotap.datarate': { label: 'Data rate (Mb/s)', type: 'double' },
    'radiotap.channel.freq': { label: 'Channel frequency', type: 'u32' },
    'radiotap.channel.flags': { label: 'Channel flags', type: 'u16', base: 'hex' },
    'radiotap.dbm_antsignal': { label: 'Antenna signal', type: 'i8', unit: 'dBm' },
    'radiotap.dbm_antnoise': { label: 'Antenna noise', type: 'i8', unit: 'dBm' },
    'radiotap.antenna': { label: 'Antenna', type: 'u32' },
    'radiotap.db_antsignal': { label: 'dB antenna signal', type: 'u8' },
    'radiotap.db_antnoise': { label: 'dB antenna noise', type: 'u8' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.u8('radiotap.version');
    c.u8('radiotap.pad');
    const length = c.u16('radiotap.length', true);
    if (version !== 0) {
      // An unknown version: tshark reads no further and hands what follows the header to 802.11.
      c.expert('error', `unknown radiotap version ${version}`, 'radiotap.version', start);
      c.seek(start + Math.max(length, 4));
      return {
        summary: () => `Radiotap Header v${version}, Length ${length} (invalid)`,
        info: { length, version },
        next: { protocol: 'wlan_radio', ctx: { wlanFcs: false, wlanDatapad: false, wlanBadFcs: false } },
      };
    }
    if (length < 8) c.malformed(`header length ${length} is shorter than 8`, 'radiotap.length', start + 2);
    const end = start + length;
    c.need(length - 4, 'radiotap.length');
    // The chain of present words: bit 31 says another word follows.
    const words: number[] = [];
    let guard = 0;
    do {
      if (c.pos + 4 > end) c.malformed('present flags run past the header', 'radiotap.present.word');
      words.push(c.u32('radiotap.present.word', true));
    } while ((words[words.length - 1]! & 0x80000000) !== 0 && guard++ < 32);
    const present = words[0]!;
    let flags = 0;
    let freq: number | undefined;
    let signal: number | undefined;
    let rate: number | undefined;
    const d = c.data;
    // Fields of the first word only, and only while each one's size is known.
    for (let bit = 0; bit < LAYOUT.length; bit++) {
      if ((present & (1 << bit)) === 0) continue;
      const [align, size] = LAYOUT[bit]!;
      const rel = c.pos - start;
      const pad = (align - (rel % align)) % align;
      if (c.pos + pad + size > end) break;
      c.skip(pad);
      const at = c.pos;
      switch (bit) {
        case 0:
          c.u64('radiotap.mactime', true);
          break;
        case 1:
          flags = d[at]!;
          c.open('radiotap.flags');
          for (const [k, m] of [['cfp', 0x01], ['preamble', 0x02], ['wep', 0x04], ['frag', 0x08], ['fcs', 0x10], ['datapad', 0x20], ['badfcs', 0x40], ['shortgi', 0x80]] as const) {
            c.flag(`radiotap.flags.${k}`, 1, m);
          }
          c.close(c.u8());
          break;
        case 2:
          rate = d[at]! / 2;
          c.add('radiotap.datarate', rate, at, 1);
          c.skip(1);
          break;
        case 3:
          freq = c.u16('radiotap.channel.freq', true);
          c.u16('radiotap.channel.flags', true);
          break;
        case 5:
          signal = c.dv.getInt8(at);
          c.add('radiotap.dbm_antsignal', signal, at, 1);
          c.skip(1);
          break;
        case 6:
          c.add('radiotap.dbm_antnoise', c.dv.getInt8(at), at, 1);
          c.skip(1);
          break;
        case 11:
          c.u8('radiotap.antenna');
          break;
        case 12:
          c.u8('radiotap.db_antsignal');
          break;
        case 13:
          c.u8('radiotap.db_antnoise');
          break;
        default:
          c.skip(size);
      }
    }
    c.seek(end);
    const fcs = (flags & RADIOTAP_FLAG_FCS) !== 0;
    return {
      summary: () => `Radiotap Header v0, Length ${length}`,
      info: { length, present, flags, fcs, freq, signal, rate },
      next: { protocol: 'wlan_radio', ctx: { wlanFcs: fcs, wlanDatapad: (flags & RADIOTAP_FLAG_DATAPAD) !== 0, wlanBadFcs: (flags & 0x40) !== 0 } },
    };
  },
});
