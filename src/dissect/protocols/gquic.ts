import type { Cursor } from '../cursor.js';
import { defineProtocol, type Next } from '../protocol.js';

/**
 * Google QUIC (gQUIC, versions Q0xx) before it took the IETF header: the public header (flags,
 * 64-bit connection id, version, diversification nonce, packet number), then either an
 * unencrypted handshake (message authentication hash, private flags, frames whose STREAM data
 * is a CHLO/SHLO/REJ tag-value message) or an encrypted payload. A UDP conversation whose
 * first packet the heuristic recognises stays gQUIC for its later packets, which carry neither
 * version nor connection id (`gquicConversation`, asked by UDP).
 */

const SESSION = 'gquic';
/** Most conversations remembered per capture. */
const MAX_CONVERSATIONS = 10_000;
/** Most frames, and tags in one message, read from one packet. */
const MAX_FRAMES = 256;
const MAX_TAGS = 256;

interface Conversation {
  /** The version number (25 for Q025), 0 until a packet with a version was seen. */
  version: number;
  /** The server's port (443 unless a Client Hello went to another port). */
  serverPort: number;
}

type Table = Map<string, Conversation>;

const MESSAGES: Record<string, string> = { CHLO: 'Client Hello', SHLO: 'Server Hello', REJ: 'Rejection', PRST: 'Public Reset' };

const FRAME_TYPES: Record<number, string> = {
  0x00: 'PADDING', 0x01: 'RST_STREAM', 0x02: 'CONNECTION_CLOSE', 0x03: 'GOAWAY', 0x04: 'WINDOW_UPDATE',
  0x05: 'BLOCKED', 0x06: 'STOP_WAITING', 0x07: 'PING',
};

/** The key of the UDP conversation of the packet being read (addresses and ports, either order). */
function conversationKey(below: Cursor['below'], sport?: number, dport?: number): string | undefined {
  let ip: Readonly<Record<string, unknown>> | undefined;
  let udp: Readonly<Record<string, unknown>> | undefined;
  for (let i = below.length - 1; i >= 0 && ip === undefined; i--) {
    const l = below[i]!;
    if (l.protocol === 'udp' && udp === undefined) udp = l.info;
    else if (l.protocol === 'ip' || l.protocol === 'ipv6') ip = l.info;
  }
  const sp = sport ?? udp?.['srcport'];
  const dp = dport ?? udp?.['dstport'];
  if (ip === undefined || ip['src'] === undefined || sp === undefined || dp === undefined) return undefined;
  const a = `${String(ip['src'])}/${String(sp)}`;
  const b = `${String(ip['dst'])}/${String(dp)}`;
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

const GQUIC_NEXT: Next = { protocol: 'gquic' };

/** Whether this capture has shown a gQUIC conversation, which may then claim a UDP datagram before the port tables. */
export function gquicTracked(c: Cursor): boolean {
  return c.peekSession<Table>(SESSION) !== undefined;
}

/** For UDP: gQUIC when this datagram's conversation was recognised as gQUIC earlier in the capture. */
export function gquicConversation(c: Cursor, sport: number, dport: number): Next | undefined {
  const t = c.peekSession<Table>(SESSION);
  if (t === undefined) return undefined;
  const key = conversationKey(c.below, sport, dport);
  return key !== undefined && t.has(key) ? GQUIC_NEXT : undefined;
}

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/**
 * tshark's heuristic: the version and connection-id flags set and a version `Q02x`, `Q03x` or
 * `Q04x` after the 8-byte connection id; or (Q046 and later) the long-header bit and `Q04x`/`Q05x`.
 */
export function looksLikeGquic(d: Uint8Array, p: number, end: number): boolean {
  if (end - p < 13) return false;
  const flags = d[p]!;
  if ((flags & 0x80) !== 0) return d[p + 1] === 0x51 && d[p + 2] === 0x30 && (d[p + 3] === 0x34 || d[p + 3] === 0x35) && isDigit(d[p + 4]!);
  if ((flags & 0x01) === 0 || (flags & 0x08) === 0) return false;
  return d[p + 9] === 0x51 && d[p + 10] === 0x30 && d[p + 11]! >= 0x32 && d[p + 11]! <= 0x34;
}

/** Length of a packet number, an ACK's largest observed or missing-packet field from 2 flag bits. */
const SIZES = [1, 2, 4, 6] as const;

/** An unsigned integer of `n` bytes (up to 8) in the connection's byte order. */
function readUint(c: Cursor, key: string | undefined, n: number, little: boolean): bigint {
  const at = c.pos;
  c.need(n, key);
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(c.data[at + (little ? n - 1 - i : i)]!);
  c.skip(n);
  if (key !== undefined) c.add(key, v, at, n);
  return v;
}

/** Lengths the STREAM frame type byte gives: stream id, offset, data length fields. */
function streamLengths(type: number): [number, number, number] {
  const ooo = (type & 0x1c) >> 2;
  return [(type & 0x03) + 1, ooo === 0 ? 0 : ooo + 1, (type & 0x20) !== 0 ? 2 : 0];
}

/**
 * Whether the packet's frames (after the hash and private flags) reach a STREAM frame carrying a
 * CHLO, SHLO or REJ message, or end in a complete CONNECTION_CLOSE: then it is not encrypted. A
 * walk over the bytes only; nothing is recorded.
 */
function isUnencrypted(c: Cursor, at: number, pkn: number, conv: Conversation, srcPort: number, dstPort: number): boolean {
  const d = c.data;
  const end = c.capEnd;
  const little = conv.version < 39;
  const u16 = (p: number): number => (little ? d[p]! | (d[p + 1]! << 8) : (d[p]! << 8) | d[p + 1]!);
  if (end - at <= 13) return false;
  let p = at + 12 + (conv.version < 34 ? 1 : 0);
  for (let n = 0; p < c.repEnd && n < MAX_FRAMES; n++) {
    if (end - p <= 1) return false;
    const type = d[p]!;
    if ((type & 0xe0) === 0) {
      p++;
      switch (type) {
        case 0x00:
          return false;
        case 0x01:
          p += 16;
          break;
        case 0x02: {
          p += 4;
          if (end - p <= 2) return false;
          const len = u16(p);
          p += 2;
          if (end - p === len) return true;
          break;
        }
        case 0x03: {
          p += 8;
          if (end - p <= 2) return false;
          p += 2 + u16(p);
          break;
        }
        case 0x04:
          p += 12;
          break;
        case 0x05:
          p += 4;
          break;
        case 0x06:
          p += (conv.version < 34 ? 1 : 0) + pkn;
          break;
        default:
          break;
      }
    } else if ((type & 0x80) !== 0) {
      const [sid, off, dlen] = streamLengths(type);
      p += 1 + sid + off + dlen;
      if (end - p <= 4) return false;
      const tag = String.fromCharCode(d[p]!, d[p + 1]!, d[p + 2]!, d[p + 3]!);
      if (tag === 'CHLO' || tag === 'SHLO' || tag === 'REJ\0') {
        if (tag === 'CHLO' && srcPort !== 443) conv.serverPort = dstPort;
        return true;
      }
    } else if ((type & 0x40) !== 0) {
      const largest = SIZES[(type & 0x0c) >> 2]!;
      const missing = SIZES[type & 0x03]!;
      p++;
      if (conv.version < 34) {
        p += 1 + largest + 2;
        if (end - p <= 1) return false;
        const stamps = d[p++]!;
        if (stamps > 0) p += 5 + (stamps - 1) * 3;
        if ((type & 0x20) !== 0) {
          if (end - p <= 1) return false;
          p += 1 + d[p]! * (missing + 1);
          if (end - p <= 1) return false;
          p += 1 + d[p]! * largest;
        }
      } else {
        p += largest + 2;
        let blocks = 0;
        if ((type & 0x20) !== 0) {
          if (end - p <= 1) return false;
          blocks = d[p++]!;
        }
        p += missing + blocks * (1 + missing);
        if (end - p <= 1) return false;
        const stamps = d[p++]!;
        if (stamps > 0) p += 5 + (stamps - 1) * 3;
      }
    } else {
      p++;
    }
  }
  return false;
}

/** A tag-value message (CHLO, SHLO, REJ, PRST): tag, count, padding, the index and the values. */
function readMessage(c: Cursor, end: number, info: Record<string, unknown>): string {
  const tag = c.ascii('gquic.tag', 4).replace(/\0+$/, '');
  const count = c.u16('gquic.tag_number', true);
  c.bytes('gquic.padding', 2);
  const valuesAt = c.pos + count * 8;
  let previousEnd = 0;
  for (let i = 0; i < count; i++) {
    if (i >= MAX_TAGS) {
      c.expert('warning', `more than ${MAX_TAGS} tags; the rest is not dissected`, 'gquic.tags');
      break;
    }
    const at = c.pos;
    c.need(8, 'gquic.tags');
    const type = String.fromCharCode(c.data[at]!, c.data[at + 1]!, c.data[at + 2]!, c.data[at + 3]!).replace(/\0+$/, '');
    const offsetEnd = (c.data[at + 4]! | (c.data[at + 5]! << 8) | (c.data[at + 6]! << 16) | (c.data[at + 7]! << 24)) >>> 0;
    let len = offsetEnd - previousEnd;
    const from = valuesAt + previousEnd;
    // A value running past the packet is cut there, as tshark does (flagged).
    if (len < 0 || from + len > end) {
      c.expert('warning', `tag ${type} runs past the message`, 'gquic.tag_offset_length', at + 4);
      len = Math.max(0, end - from);
    }
    c.group('gquic.tags', () => {
      // Shown without the zero bytes that pad a short tag.
      c.add('gquic.tag_type', type, at, 4);
      c.skip(4);
      c.u32('gquic.tag_offset_end', true);
      c.add('gquic.tag_offset_length', len, at + 4, 0);
      if (from + len <= c.capEnd && len > 0) {
        c.add('gquic.tag_value', c.span(from, from + len), from, len);
        const text = (): string => Buffer.from(c.data.buffer, c.data.byteOffset + from, len).toString('latin1');
        if (type === 'SNI') {
          const sni = text();
          info['sni'] = sni;
          c.add('gquic.tag.sni', sni, from, len);
        } else if (type === 'VER') c.add('gquic.tag.version', text(), from, len);
        else if (type === 'UAID') c.add('gquic.tag.uaid', text(), from, len);
        else if (type === 'PDMD') c.add('gquic.tag.pdmd', text(), from, len);
      }
      return type;
    }, 8, (t) => `Tag/value: ${t} (l=${len})`);
    previousEnd += len;
  }
  if (count > 0) c.seek(Math.min(valuesAt + previousEnd, c.capEnd));
  return tag;
}

/** The frames of an unencrypted packet; returns the handshake message's tag, if one was read. */
function readFrames(c: Cursor, pkn: number, conv: Conversation, info: Record<string, unknown>): string | undefined {
  const little = conv.version < 39;
  let message: string | undefined;
  for (let n = 0; c.reportedRemaining() > 0; n++) {
    if (n >= MAX_FRAMES) {
      c.expert('warning', `more than ${MAX_FRAMES} frames; the rest is not dissected`, 'gquic.frame');
      c.skip(c.remaining());
      break;
    }
    const type = c.peek8();
    let stop = false;
    c.group('gquic.frame', () => {
      c.u8('gquic.frame_type');
      if ((type & 0x80) !== 0) {
        const [sid, off, dlen] = streamLengths(type);
        readUint(c, 'gquic.stream_id', sid, little);
        if (off > 0) readUint(c, 'gquic.stream_offset', off, little);
        const len = dlen > 0 ? Number(readUint(c, 'gquic.data_len', 2, little)) : c.reportedRemaining();
        const end = Math.min(c.pos + len, c.repEnd);
        if (message === undefined && len >= 8) message = readMessage(c, end, info);
        if (c.pos < end) c.skip(end - c.pos);
      } else if ((type & 0x40) !== 0) {
        // ACK: the rest of the packet is not read field by field.
        c.skip(c.remaining());
        stop = true;
      } else if (type === 0x00) {
        const n = c.remaining();
        c.add('gquic.frame_type.padding.length', n, c.pos, 0);
        if (n > 0) c.bytes('gquic.frame_type.padding', n);
        stop = true;
      } else if (type === 0x06) {
        if (conv.version < 34) c.u8('gquic.frame_type.sw.send_entropy');
        readUint(c, 'gquic.frame_type.sw.least_unacked_delta', pkn, little);
      } else if (type === 0x07) {
        // PING: no payload.
      } else {
        c.skip(c.remaining());
        stop = true;
      }
      return type;
    }, -1, () => `${FRAME_TYPES[type] ?? ((type & 0x80) !== 0 ? 'STREAM' : (type & 0x40) !== 0 ? 'ACK' : 'Unknown')} frame`);
    if (stop) break;
  }
  return message;
}

export const gquic = defineProtocol({
  id: 'gquic',
  name: 'GQUIC (Google Quick UDP Internet Connections)',
  short: 'GQUIC',
  leaf: true,
  heuristics: [{ table: 'udp.port', test: looksLikeGquic }],
  fields: {
    'gquic.puflags': { label: 'Public Flags', type: 'u8', base: 'hex' },
    'gquic.puflags.version': { label: 'Version', type: 'bool', mask: 0x01, tfs: ['Yes', 'No'] },
    'gquic.puflags.reset': { label: 'Reset', type: 'bool', mask: 0x02, tfs: ['Yes', 'No'] },
    'gquic.puflags.nonce': { label: 'Diversification nonce', type: 'bool', mask: 0x04, tfs: ['Yes', 'No'] },
    'gquic.puflags.cid': { label: 'CID Length', type: 'bool', mask: 0x08, tfs: ['Yes', 'No'] },
    'gquic.puflags.cid.old': { label: 'CID Length', type: 'u8', base: 'hex', mask: 0x0c, values: { 0: '0 Byte', 1: '1 Bytes', 2: '4 Bytes', 3: '8 Bytes' } },
    'gquic.puflags.pkn': { label: 'Packet Number Length', type: 'u8', base: 'hex', mask: 0x30, values: { 0: '1 Byte', 1: '2 Bytes', 2: '4 Bytes', 3: '6 Bytes' } },
    'gquic.puflags.mpth': { label: 'Multipath', type: 'bool', mask: 0x40, tfs: ['Yes', 'No'] },
    'gquic.puflags.rsv': { label: 'Reserved', type: 'u8', base: 'hex', mask: 0x80 },
    'gquic.header_form': { label: 'Header Form', type: 'u8', mask: 0x80 },
    'gquic.cid': { label: 'CID', type: 'u64' },
    'gquic.version': { label: 'Version', type: 'string' },
    'gquic.diversification_nonce': { label: 'Diversification nonce', type: 'bytes' },
    'gquic.packet_number': { label: 'Packet Number', type: 'u64' },
    'gquic.message_authentication_hash': { label: 'Message Authentication Hash', type: 'bytes' },
    'gquic.prflags': { label: 'Private Flags', type: 'u8', base: 'hex' },
    'gquic.prflags.entropy': { label: 'Entropy', type: 'bool', mask: 0x01, tfs: ['Yes', 'No'] },
    'gquic.prflags.fecg': { label: 'FEC Group', type: 'bool', mask: 0x02, tfs: ['Yes', 'No'] },
    'gquic.prflags.fec': { label: 'FEC', type: 'bool', mask: 0x04, tfs: ['Yes', 'No'] },
    'gquic.prflags.rsv': { label: 'Reserved', type: 'u8', base: 'hex', mask: 0xf8 },
    'gquic.frame': { label: 'Frame', type: 'none' },
    'gquic.frame_type': { label: 'Frame Type', type: 'u8', base: 'hex', values: FRAME_TYPES },
    'gquic.frame_type.padding.length': { label: 'Padding Length', type: 'u32' },
    'gquic.frame_type.padding': { label: 'Padding', type: 'bytes' },
    'gquic.frame_type.sw.send_entropy': { label: 'Send Entropy', type: 'u8' },
    'gquic.frame_type.sw.least_unacked_delta': { label: 'Least unacked delta', type: 'u64' },
    'gquic.stream_id': { label: 'Stream ID', type: 'u32' },
    'gquic.stream_offset': { label: 'Offset', type: 'u64' },
    'gquic.data_len': { label: 'Data Length', type: 'u32' },
    'gquic.tag': { label: 'Tag', type: 'string' },
    'gquic.tag_number': { label: 'Tag Number', type: 'u16' },
    'gquic.padding': { label: 'Padding', type: 'bytes' },
    'gquic.tags': { label: 'Tag/value', type: 'none' },
    'gquic.tag_type': { label: 'Tag Type', type: 'string' },
    'gquic.tag_offset_end': { label: 'Tag offset end', type: 'u32' },
    'gquic.tag_offset_length': { label: 'Tag length', type: 'u32' },
    'gquic.tag_value': { label: 'Tag/value', type: 'bytes' },
    'gquic.tag.sni': { label: 'Server Name Indication', type: 'string' },
    'gquic.tag.version': { label: 'Version', type: 'string' },
    'gquic.tag.uaid': { label: "Client's User Agent ID", type: 'string' },
    'gquic.tag.pdmd': { label: 'Proof demand', type: 'string' },
    'gquic.payload': { label: 'Payload', type: 'bytes' },
  },
  dissect(c) {
    const table = c.session<Table>(SESSION, () => new Map());
    const key = conversationKey(c.below);
    let conv = key === undefined ? undefined : table.get(key);
    if (conv === undefined) {
      conv = { version: 0, serverPort: 443 };
      if (key !== undefined) {
        if (table.size >= MAX_CONVERSATIONS) table.delete(table.keys().next().value!);
        table.set(key, conv);
      }
    }
    const udp = c.below[c.below.length - 1];
    const srcPort = (udp?.info['srcport'] as number | undefined) ?? 0;
    const dstPort = (udp?.info['dstport'] as number | undefined) ?? 0;
    const start = c.pos;
    const flags = c.peek8();
    const info: Record<string, unknown> = {};
    if ((flags & 0x80) !== 0) {
      // Q046 and later: an IETF-style long header; its protection is not removed.
      c.bits('gquic.header_form', 1, 0x80);
      c.skip(1);
      const version = c.ascii('gquic.version', 4);
      conv.version = Number(version.substring(1)) || conv.version;
      c.bytes('gquic.payload', c.remaining());
      return { summary: 'Long Header (Encrypted)', info: { version } };
    }
    // The version, read ahead: it decides the flag layout and the byte order.
    const cidLen = (flags & 0x08) !== 0 ? 8 : 0;
    if ((flags & 0x01) !== 0 && c.has(1 + cidLen + 4)) {
      const d = c.data;
      const at = start + 1 + cidLen;
      if (d[at] === 0x51 && isDigit(d[at + 1]!) && isDigit(d[at + 2]!) && isDigit(d[at + 3]!)) {
        conv.version = (d[at + 1]! - 0x30) * 100 + (d[at + 2]! - 0x30) * 10 + (d[at + 3]! - 0x30);
      }
    }
    const little = conv.version < 39;
    c.group('gquic.puflags', () => {
      c.flag('gquic.puflags.version', 1, 0x01);
      c.flag('gquic.puflags.reset', 1, 0x02);
      if (conv.version < 33) c.bits('gquic.puflags.cid.old', 1, 0x0c);
      else {
        c.flag('gquic.puflags.nonce', 1, 0x04);
        c.flag('gquic.puflags.cid', 1, 0x08);
      }
      c.bits('gquic.puflags.pkn', 1, 0x30);
      c.flag('gquic.puflags.mpth', 1, 0x40);
      c.bits('gquic.puflags.rsv', 1, 0x80);
      return c.u8();
    }, 1);
    const cid = cidLen > 0 ? readUint(c, 'gquic.cid', 8, little) : 0n;
    const cidText = cid !== 0n ? `, CID: ${cid}` : '';
    if ((flags & 0x01) !== 0) {
      if (srcPort === conv.serverPort) {
        // Version negotiation: the server lists the versions it supports.
        for (let i = 0; c.remaining() >= 4 && i < 64; i++) c.ascii('gquic.version', 4);
        return { summary: `Version Negotiation${cidText}`, info };
      }
      info['version'] = c.ascii('gquic.version', 4);
    }
    if ((flags & 0x02) !== 0) {
      const message = readMessage(c, c.repEnd, info);
      return { summary: `Public Reset${cidText}`, info: { ...info, message } };
    }
    if (conv.version >= 33 && (flags & 0x04) !== 0 && srcPort === conv.serverPort) c.bytes('gquic.diversification_nonce', 32);
    const pknLen = SIZES[(flags & 0x30) >> 4]!;
    const pkn = readUint(c, 'gquic.packet_number', pknLen, little);
    c.provisional = `PKN: ${pkn}${cidText}`;
    let what = 'Payload (Encrypted)';
    if (isUnencrypted(c, c.pos, pknLen, conv, srcPort, dstPort)) {
      c.bytes('gquic.message_authentication_hash', 12);
      if (conv.version < 34) {
        c.group('gquic.prflags', () => {
          c.flag('gquic.prflags.entropy', 1, 0x01);
          c.flag('gquic.prflags.fecg', 1, 0x02);
          c.flag('gquic.prflags.fec', 1, 0x04);
          c.bits('gquic.prflags.rsv', 1, 0xf8);
          return c.u8();
        }, 1);
      }
      const message = readFrames(c, pknLen, conv, info);
      if (message !== undefined) {
        what = MESSAGES[message] ?? message;
        info['message'] = message;
      } else what = 'Connection Close';
    } else if (c.remaining() > 0) {
      c.bytes('gquic.payload', c.remaining());
    }
    info['pkn'] = pkn;
    return { summary: `${what}, PKN: ${pkn}${cidText}`, info };
  },
});
