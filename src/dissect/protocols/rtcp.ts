import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { ntpTimeText } from './ntp.js';
import { conversationOf, setupInfo } from './rtp.js';

/**
 * RTP Control Protocol (RFC 3550) on the conversations an SDP announced (the control port, or
 * RTP's own port when RTP hands a packet over), and by Wireshark's UDP heuristic (version 2, a
 * sender or receiver report, goodbye, application or payload-specific feedback packet first, a
 * length that is a multiple of four). Each packet of a compound is a layer of its own, as each
 * is an item of its own in Wireshark's tree: sender and receiver reports with their report
 * blocks and profile-specific extensions, source descriptions, goodbyes with their reason,
 * application packets, RTP/payload-specific feedback headers. The last packet reads the
 * padding and checks the lengths against what was read.
 */

const TYPES: Readonly<Record<number, string>> = {
  192: 'Full Intra-frame Request (H.261)',
  193: 'Negative Acknowledgement (H.261)',
  194: 'SMPTE time-code mapping',
  195: 'Extended inter-arrival jitter report',
  200: 'Sender Report',
  201: 'Receiver Report',
  202: 'Source description',
  203: 'Goodbye',
  204: 'Application specific',
  205: 'Generic RTP Feedback',
  206: 'Payload-specific Feedback',
  207: 'Extended report (RFC 3611)',
  208: 'AVB RTCP packet (IEEE1733)',
  209: 'Receiver Summary Information',
  210: 'Port Mapping',
};
const SR = 200;
const RR = 201;
const SDES = 202;
const BYE = 203;
const APP = 204;
const RTPFB = 205;
const PSFB = 206;
const XR = 207;
const FIR = 192;
const NACK = 193;
const MIN_TYPE = 192;
const MAX_TYPE = 210;

const SDES_TYPES: Readonly<Record<number, string>> = {
  0: 'END',
  1: 'CNAME (user and domain)',
  2: 'NAME (common name)',
  3: 'EMAIL (e-mail address)',
  4: 'PHONE (phone number)',
  5: 'LOC (geographic location)',
  6: 'TOOL (name/version of source app)',
  7: 'NOTE (note about source)',
  8: 'PRIV (private extensions)',
  9: 'H323-CADDR (H.323 callable address)',
  10: 'Application Specific Identifier',
};
const SDES_PRIV = 8;

const RTPFB_FMT: Readonly<Record<number, string>> = {
  1: 'Generic negative acknowledgement (NACK)',
  3: 'Temporary Maximum Media-Stream Bit Rate Request (TMMBR)',
  4: 'Temporary Maximum Media-Stream Bit Rate Notification (TMMBN)',
  5: 'RTCP Rapid Resynchronisation Request (RTCP-SR-REQ)',
  6: 'Rapid Acquisition of Multicast Sessions (RAMS)',
  7: 'Transport-wide Congestion Control (Transport-cc)',
  8: 'Explicit Congestion Notification (ECN)',
  11: 'Congestion Control Feedback (CCFB)',
  31: 'Reserved for future extensions',
};
const PSFB_FMT: Readonly<Record<number, string>> = {
  1: 'Picture Loss Indication',
  2: 'Slice Loss Indication',
  3: 'Reference Picture Selection Indication',
  4: 'Full Intra Request (FIR) Command',
  5: 'Temporal-Spatial Trade-off Request (TSTR)',
  6: 'Temporal-Spatial Trade-off Notification (TSTN)',
  7: 'Video Back Channel Message (VBCM)',
  15: 'Application Layer Feedback',
  31: 'Reserved for future extensions',
};

/** Most report blocks, SDES chunks/items and extensions read per packet. */
const MAX_ITEMS = 256;

/** The compound packet being read, handed from one packet's layer to the next. */
interface Compound {
  readonly start: number;
  /** Where the next packet should start (relative to `start`); `next` of the previous layer. */
  next: number;
  /** Sum of the packets' announced lengths. */
  total: number;
  info: string;
}

/** Wireshark's RTCP heuristic on UDP. */
export function looksLikeRtcp(d: Uint8Array, p: number, end: number): boolean {
  if (p + 2 > end || d[p]! >> 6 !== 2) return false;
  const t = d[p + 1]!;
  if (t !== SR && t !== RR && t !== BYE && t !== APP && t !== PSFB) return false;
  return (end - p) % 4 === 0;
}

const typeName = (t: number): string => TYPES[t] ?? 'Unknown';

/** The length field with its size in bytes. */
function lengthField(c: Cursor): number {
  const at = c.pos;
  const v = c.u16();
  c.add('rtcp.length', v, at, 2, `Length: ${v} (${(v + 1) * 4} bytes)`);
  return v;
}

/** Report blocks (RR and SR), then profile-specific extensions up to the packet's length. */
function reportBlocks(c: Cursor, count: number, length: number, cp: Compound): void {
  const from = c.pos;
  for (let n = 1; n <= count && n <= MAX_ITEMS; n++) {
    c.group('rtcp.report', () => {
      c.u32('rtcp.ssrc.identifier');
      c.group('rtcp.ssrc.contents', () => {
        const at = c.pos;
        const f = c.u8();
        c.add('rtcp.ssrc.fraction', f, at, 1, `Fraction lost: ${f} / 256`);
        const cum = c.u24();
        c.add('rtcp.ssrc.cum_nr', cum >= 0x800000 ? cum - 0x1000000 : cum, at + 1, 3);
        return true;
      }, 4, () => 'SSRC contents');
      c.group('rtcp.ssrc.ext_high', () => {
        const hi = c.u16('rtcp.ssrc.high_cycles');
        const lo = c.u16('rtcp.ssrc.high_seq');
        return hi * 0x10000 + lo;
      }, 4);
      c.u32('rtcp.ssrc.jitter');
      const lsrAt = c.pos;
      const lsr = c.u32();
      c.add('rtcp.ssrc.lsr', lsr, lsrAt, 4, `Last SR timestamp: ${lsr} (0x${lsr.toString(16).padStart(8, '0')})`);
      const dlsrAt = c.pos;
      const dlsr = c.u32();
      c.add('rtcp.ssrc.dlsr', dlsr, dlsrAt, 4, `Delay since last SR timestamp: ${dlsr} (${Math.trunc((dlsr / 65536) * 1000)} milliseconds)`);
      return true;
    }, 24, () => `Source ${n}`);
  }
  if (c.pos - from < length) profileExtensions(c, length - (c.pos - from), cp);
}

/** Profile-specific extensions (Microsoft's types are read as raw data). */
function profileExtensions(c: Cursor, remaining: number, cp: Compound): void {
  cp.info += '(';
  const end = c.pos + remaining;
  let left = remaining;
  for (let n = 0; left !== 0 && n < MAX_ITEMS; n++) {
    c.need(4);
    let len = c.peek16(2);
    if (len < 4) len = 4;
    c.need(len);
    cp.info += 'PSE:Unknown  ';
    c.group('rtcp.pse', () => {
      c.u16('rtcp.profile-specific-extension.type');
      c.u16('rtcp.profile-specific-extension.length');
      c.bytes('rtcp.profile-specific-extension', len - 4);
      return true;
    }, len, () => 'Payload Specific Extension (Unknown)');
    left -= len;
    // A length running past the packet leaves Wireshark reading on until the data ends.
    if (left < 0 && c.pos >= c.capEnd) c.need(1);
  }
  cp.info += ')  ';
  if (c.pos < end) c.seek(Math.min(end, c.capEnd));
}

const XR_BLOCKS: Readonly<Record<number, string>> = {
  1: 'Loss Run Length Encoding Report Block',
  2: 'Duplicate Run Length Encoding Report Block',
  3: 'Packet Receipt Times Report Block',
  4: 'Receiver Reference Time Report Block',
  5: 'DLRR Report Block',
  6: 'Statistics Summary Report Block',
  7: 'VoIP Metrics Report Block',
  8: 'BT XNQ RTCP XR (RFC5093) Report Block',
  9: 'Texas Instruments Extended VoIP Quality Block',
  10: 'Post-repair Loss RLE Report Block',
  11: 'Multicast Acquisition Report Block',
  12: 'Inter-destination Media Synchronization Block',
};

/** Extended report (RFC 3611): the sender, then each block's header and contents (not split up). */
function extendedReport(c: Cursor, length: number): void {
  if (length < 4) {
    c.expert('warning', 'Missing Sender SSRC');
    c.seek(Math.min(c.pos + Math.max(length, 0), c.capEnd));
    return;
  }
  c.u32('rtcp.senderssrc');
  let left = length - 4;
  for (let n = 1; left > 0 && n <= MAX_ITEMS; n++) {
    const at = c.pos;
    c.need(1);
    let content = 0;
    c.group('rtcp.xr.block', () => {
      c.u8('rtcp.xr.bt');
      if (left < 2) {
        c.expert('warning', 'Missing Required Block Headers', undefined, at);
        return true;
      }
      c.u8('rtcp.xr.bs');
      if (left >= 4) {
        const bl = c.u16();
        c.add('rtcp.xr.bl', bl, at + 2, 2, `Length: ${bl} (${bl * 4} bytes)`);
        content = bl * 4;
      } else {
        c.skip(2);
      }
      if (content > left) c.expert('warning', 'Block length is greater than packet length', undefined, at);
      c.group('rtcp.xr.contents', () => {
        c.skip(content);
        return true;
      }, content, () => 'Contents');
      return true;
    }, -1, () => `Block ${n}`);
    if (left < 2) return;
    left -= 4 + content;
  }
}

/** Source description chunks; returns the offset after the last (aligned to 4 bytes from the compound's start). */
function sdesChunks(c: Cursor, count: number, cp: Compound): number {
  let off = c.pos;
  for (let n = 1; n <= count && n <= MAX_ITEMS; n++) {
    c.seek(Math.min(off, c.capEnd));
    c.need(4);
    const ssrc = c.peek32();
    c.group('rtcp.sdes.chunk', () => {
      c.u32('rtcp.ssrc.identifier');
      c.group('rtcp.sdes.items', () => {
        for (let i = 0; i < MAX_ITEMS && c.reportedRemaining() > 0; i++) {
          const type = c.u8('rtcp.sdes.type');
          if (type === 0) break;
          let len = c.u8('rtcp.sdes.length');
          if (len === 0) continue;
          if (type === SDES_PRIV) {
            const prefixAt = c.pos;
            const prefix = c.peek8();
            if (prefix + 1 > len) {
              c.add('rtcp.sdes.prefix.length', prefix, prefixAt, 1, `Prefix length: ${prefix} (bogus, must be <= ${len - 1})`);
              c.skip(Math.min(len, c.capEnd - c.pos));
              c.need(len - Math.min(len, c.capEnd - prefixAt));
              continue;
            }
            c.u8('rtcp.sdes.prefix.length');
            c.ascii('rtcp.sdes.prefix.string', prefix);
            len -= prefix + 1;
            if (len === 0) continue;
          }
          c.ascii('rtcp.sdes.text', len);
        }
        return true;
      }, -1, () => 'SDES items');
      off = c.pos;
      const rel = off - cp.start;
      if (rel % 4 !== 0) off = cp.start + (Math.floor(rel / 4) + 1) * 4;
      return true;
    }, -1, () => `Chunk ${n}, SSRC/CSRC 0x${ssrc.toString(16).toUpperCase()}`);
  }
  return off;
}

/** Goodbye: the sources, then a reason when the packet has room for one; returns the offset after its padding. */
function goodbye(c: Cursor, count: number, length: number, cp: Compound): number {
  for (let n = 1; n <= count && n <= 31; n++) c.u32('rtcp.ssrc.identifier');
  let reasonAt = c.pos;
  if (count * 4 < length) {
    const reasonLen = c.u8('rtcp.sdes.length');
    reasonAt = c.pos;
    c.ascii('rtcp.sdes.text', reasonLen);
  }
  let off = c.pos;
  const rel = off - cp.start;
  if (rel % 4 !== 0) {
    const pad = 4 - (rel % 4);
    for (let i = 0; i < pad; i++) {
      if (off + i >= c.capEnd || c.data[off + i] !== 0) {
        c.expert('warning', 'Reason string is not NULL padded (see RFC3550, section 6.6)', 'rtcp.sdes.text', reasonAt);
        break;
      }
    }
    off += pad;
  }
  return off;
}

export const rtcp = defineProtocol({
  id: 'rtcp',
  name: 'Real-time Transport Control Protocol',
  short: 'RTCP',
  heuristics: [{ table: 'udp.port', test: looksLikeRtcp }],
  fields: {
    'rtcp.setup': { label: 'Stream setup', type: 'string' },
    'rtcp.setup-frame': { label: 'Setup frame', type: 'framenum' },
    'rtcp.setup-method': { label: 'Setup Method', type: 'string' },
    'rtcp.version': { label: 'Version', type: 'u8', mask: 0xc0, values: { 0: 'Old VAT Version', 1: 'First Draft Version', 2: 'RFC 1889 Version' } },
    'rtcp.padding': { label: 'Padding', type: 'bool', mask: 0x20 },
    'rtcp.rc': { label: 'Reception report count', type: 'u8', mask: 0x1f },
    'rtcp.sc': { label: 'Source count', type: 'u8', mask: 0x1f },
    'rtcp.app.subtype': { label: 'Subtype', type: 'u8', mask: 0x1f },
    'rtcp.rtpfb.fmt': { label: 'RTCP Feedback message type (FMT)', type: 'u8', mask: 0x1f, values: RTPFB_FMT },
    'rtcp.psfb.fmt': { label: 'RTCP Feedback message type (FMT)', type: 'u8', mask: 0x1f, values: PSFB_FMT },
    'rtcp.pt': { label: 'Packet type', type: 'u8', values: TYPES },
    'rtcp.length': { label: 'Length', type: 'u16' },
    'rtcp.senderssrc': { label: 'Sender SSRC', type: 'u32', base: 'hex_dec' },
    'rtcp.mediassrc': { label: 'Media source SSRC', type: 'u32', base: 'hex_dec' },
    'rtcp.timestamp.ntp.msw': { label: 'Timestamp, MSW', type: 'u32', base: 'dec_hex' },
    'rtcp.timestamp.ntp.lsw': { label: 'Timestamp, LSW', type: 'u32', base: 'dec_hex' },
    'rtcp.timestamp.ntp': { label: 'MSW and LSW as NTP timestamp', type: 'abs_time' },
    'rtcp.timestamp.rtp': { label: 'RTP timestamp', type: 'u32' },
    'rtcp.sender.packetcount': { label: "Sender's packet count", type: 'u32' },
    'rtcp.sender.octetcount': { label: "Sender's octet count", type: 'u32' },
    'rtcp.report': { label: 'Source', type: 'none' },
    'rtcp.ssrc.identifier': { label: 'Identifier', type: 'u32', base: 'hex_dec' },
    'rtcp.ssrc.contents': { label: 'SSRC contents', type: 'none' },
    'rtcp.ssrc.fraction': { label: 'Fraction lost', type: 'u8' },
    'rtcp.ssrc.cum_nr': { label: 'Cumulative number of packets lost', type: 'i32' },
    'rtcp.ssrc.ext_high': { label: 'Extended highest sequence number received', type: 'u32' },
    'rtcp.ssrc.high_seq': { label: 'Highest sequence number received', type: 'u16' },
    'rtcp.ssrc.high_cycles': { label: 'Sequence number cycles count', type: 'u16' },
    'rtcp.ssrc.jitter': { label: 'Interarrival jitter', type: 'u32' },
    'rtcp.ssrc.lsr': { label: 'Last SR timestamp', type: 'u32' },
    'rtcp.ssrc.dlsr': { label: 'Delay since last SR timestamp', type: 'u32' },
    'rtcp.pse': { label: 'Payload Specific Extension', type: 'none' },
    'rtcp.profile-specific-extension.type': { label: 'Extension Type', type: 'u16', values: {} },
    'rtcp.profile-specific-extension.length': { label: 'Extension Length', type: 'u16' },
    'rtcp.profile-specific-extension': { label: 'Profile-specific extension', type: 'bytes' },
    'rtcp.sdes.chunk': { label: 'Chunk', type: 'none' },
    'rtcp.sdes.items': { label: 'SDES items', type: 'none' },
    'rtcp.sdes.type': { label: 'Type', type: 'u8', values: SDES_TYPES },
    'rtcp.sdes.length': { label: 'Length', type: 'u32' },
    'rtcp.sdes.text': { label: 'Text', type: 'string' },
    'rtcp.sdes.prefix.length': { label: 'Prefix length', type: 'u8' },
    'rtcp.sdes.prefix.string': { label: 'Prefix string', type: 'string' },
    'rtcp.app.name': { label: 'Name (ASCII)', type: 'string' },
    'rtcp.app.data': { label: 'Application specific data', type: 'bytes' },
    'rtcp.app.data_str': { label: 'Application specific data', type: 'string' },
    'rtcp.xr.block': { label: 'Block', type: 'none' },
    'rtcp.xr.bt': { label: 'Type', type: 'u8', values: XR_BLOCKS },
    'rtcp.xr.bs': { label: 'Type Specific', type: 'u8' },
    'rtcp.xr.bl': { label: 'Length', type: 'u16' },
    'rtcp.xr.contents': { label: 'Contents', type: 'none' },
    'rtcp.fci': { label: 'Feedback Control Information (FCI)', type: 'bytes' },
    'rtcp.nack.fsn': { label: 'First sequence number', type: 'u16' },
    'rtcp.nack.blp': { label: 'Bitmask of following lost packets', type: 'u16' },
    'rtcp.padding.data': { label: 'Padding data', type: 'bytes' },
    'rtcp.padding.count': { label: 'Padding count', type: 'u8' },
    'rtcp.length_check': { label: 'RTCP frame length check', type: 'bool' },
  },
  dissect(c) {
    const start = c.pos;
    const prev = c.ctx['rtcpCompound'] as Compound | undefined;
    const cp: Compound = prev !== undefined && prev.start + prev.next === start ? prev : { start, next: 0, total: 0, info: '' };
    const d = c.data;
    // Wireshark reads packets while four bytes are left and the type is one it knows.
    const type = c.has(4) ? d[start + 1]! : -1;
    if (type < MIN_TYPE || type > MAX_TYPE) {
      if (c.pos < c.capEnd) c.seek(c.capEnd);
      return { summary: cp.info, info: { noItem: true } };
    }
    const name = typeName(type);
    cp.info += `${name}   `;
    c.provisional = cp.info;
    const words = (d[start + 2]! << 8) | d[start + 3]!;
    const length = (words + 1) * 4;
    cp.total += length;
    const conv = conversationOf(c);
    if (conv !== undefined) setupInfo(c, 'rtcp', conv, start, false);
    const first = d[start]!;
    const count = first & 0x1f;
    const padding = (first & 0x20) !== 0;
    c.bits('rtcp.version', 1, 0xc0);
    c.flag('rtcp.padding', 1, 0x20);
    let off: number;
    switch (type) {
      case SR:
      case RR: {
        c.bits('rtcp.rc', 1, 0x1f);
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        c.u32('rtcp.senderssrc');
        if (type === SR) {
          const srStart = c.pos;
          const msw = c.peek32();
          const lsw = c.peek32(4);
          const mswAt = c.pos;
          c.u32('rtcp.timestamp.ntp.msw');
          c.u32('rtcp.timestamp.ntp.lsw');
          c.add('rtcp.timestamp.ntp', ntpTimeText(msw, lsw), mswAt, 0);
          c.u32('rtcp.timestamp.rtp');
          c.u32('rtcp.sender.packetcount');
          c.u32('rtcp.sender.octetcount');
          const rest = length - 8 - (c.pos - srStart);
          if (count !== 0) reportBlocks(c, count, rest, cp);
          else if (rest > 0) profileExtensions(c, rest, cp);
        } else {
          reportBlocks(c, count, length - 8, cp);
        }
        off = c.pos;
        break;
      }
      case SDES:
        c.bits('rtcp.sc', 1, 0x1f);
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        off = sdesChunks(c, count, cp);
        break;
      case BYE:
        c.bits('rtcp.sc', 1, 0x1f);
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        off = goodbye(c, count, length - 4, cp);
        break;
      case APP: {
        c.bits('rtcp.app.subtype', 1, 0x1f);
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        c.u32('rtcp.ssrc.identifier');
        const app = c.ascii('rtcp.app.name', 4);
        cp.info += `( ${app} ) subtype=${count}`;
        let dataLen = length - 12;
        if (padding && dataLen > 0) {
          c.need(dataLen);
          dataLen -= d[c.pos + dataLen - 1]!;
        }
        if (dataLen > 0) {
          // Printable data is shown as text, anything else as bytes (as Wireshark does).
          c.need(dataLen);
          let printable = true;
          for (let i = c.pos; i < c.pos + dataLen && printable; i++) printable = d[i]! >= 0x20 && d[i]! < 0x7f;
          if (printable) c.ascii('rtcp.app.data_str', dataLen);
          else c.bytes('rtcp.app.data', dataLen);
        }
        else if (dataLen < 0) c.need(dataLen);
        off = c.pos;
        break;
      }
      case RTPFB:
      case PSFB: {
        c.bits(type === RTPFB ? 'rtcp.rtpfb.fmt' : 'rtcp.psfb.fmt', 1, 0x1f);
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        c.u32('rtcp.senderssrc');
        c.u32('rtcp.mediassrc');
        const fci = length - 12;
        if (fci > 0) c.bytes('rtcp.fci', fci);
        off = c.pos;
        break;
      }
      case FIR:
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        c.u32('rtcp.ssrc.identifier');
        off = c.pos;
        break;
      case NACK:
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        c.u32('rtcp.ssrc.identifier');
        c.u16('rtcp.nack.fsn');
        c.u16('rtcp.nack.blp');
        off = c.pos;
        break;
      case XR:
        c.skip(1);
        c.u8('rtcp.pt');
        lengthField(c);
        extendedReport(c, length - 4);
        off = c.pos;
        break;
      default:
        // Types read only as far as their header (AVB, RSI, port mapping), and types Wireshark
        // does not read at all (it moves one byte on).
        if (type >= 207) {
          c.skip(1);
          c.u8('rtcp.pt');
          lengthField(c);
          c.u32('rtcp.senderssrc');
          off = start + length;
          c.need(off - c.pos);
        } else {
          off = start + 1;
        }
        break;
    }
    cp.next = off - cp.start;
    // Another packet follows when four bytes are left there and its type is one Wireshark knows.
    if (off + 4 <= c.capEnd && d[off + 1]! >= MIN_TYPE && d[off + 1]! <= MAX_TYPE) {
      c.seek(off);
      return { summary: cp.info, info: { type, count }, next: { protocol: 'rtcp', ctx: { rtcpCompound: cp } }, payloadOffset: off };
    }
    if (off <= c.capEnd) c.seek(off);
    // The last packet: its padding, then the length check over the whole compound.
    let endRel = off - cp.start;
    if (padding) {
      const padAt = start + length - 1;
      c.need(1, 'rtcp.padding.count', padAt);
      const padLen = d[padAt]!;
      if (padLen !== 0) {
        c.need(padLen - 1, 'rtcp.padding.data', off);
        if (padLen > 1) c.add('rtcp.padding.data', c.span(off, off + padLen - 1), off, padLen - 1);
        c.seek(off + padLen - 1);
      }
      c.need(1, 'rtcp.padding.count');
      c.u8('rtcp.padding.count');
      endRel = c.pos - cp.start;
    }
    if (endRel === cp.total) {
      c.add('rtcp.length_check', true, cp.start, 0, `RTCP frame length check: OK - ${endRel} bytes`);
    } else {
      c.add('rtcp.length_check', false, cp.start, 0, `RTCP frame length check: Wrong (expected ${cp.total} bytes, found ${endRel})`);
      c.expert('warning', `Incorrect RTCP packet length information (expected ${cp.total} bytes, found ${endRel})`, 'rtcp.length_check', cp.start);
    }
    if (c.pos < c.capEnd) c.seek(c.capEnd);
    return { summary: cp.info, info: { type, count } };
  },
});
