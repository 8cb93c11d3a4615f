import type { Cursor } from '../cursor.js';
import { defineProtocol, type Next } from '../protocol.js';
import { mediaConversation, type MediaConversation, transportEnds } from './media-sessions.js';

/**
 * Real-Time Transport Protocol (RFC 3550) on the UDP conversations an SDP announced
 * (`media-sessions.ts`): there is no port heuristic, as in Wireshark by default. The fixed
 * header, CSRCs, the header extension (RFC 5285 one- and two-byte forms), padding, and the
 * payload, handed on by the payload type: a dynamic type by the encoding name the SDP mapped
 * it to (AMR, AMR-WB, telephone-event, red), a static one by number (RFC 2198 redundancy on
 * 99, RTP events on 100 and 101, as Wireshark's preferences have them). Packets of another
 * version show the version and go on to UDP's port tables; a marker bit with a payload type
 * that collides with RTCP (RFC 5761) is RTCP.
 */

/** Payload type names (RFC 3551), as Wireshark names them. */
const PAYLOAD_TYPES: Readonly<Record<number, string>> = {
  0: 'ITU-T G.711 PCMU',
  1: 'USA Federal Standard FS-1016',
  2: 'ITU-T G.721',
  3: 'GSM 06.10',
  4: 'ITU-T G.723',
  5: 'DVI4 8000 samples/s',
  6: 'DVI4 16000 samples/s',
  7: 'Experimental linear predictive encoding from Xerox PARC',
  8: 'ITU-T G.711 PCMA',
  9: 'ITU-T G.722',
  10: '16-bit uncompressed audio, stereo',
  11: '16-bit uncompressed audio, monaural',
  12: 'Qualcomm Code Excited Linear Predictive coding',
  13: 'Comfort noise',
  14: 'MPEG-I/II Audio',
  15: 'ITU-T G.728',
  16: 'DVI4 11025 samples/s',
  17: 'DVI4 22050 samples/s',
  18: 'ITU-T G.729',
  19: 'Comfort noise (old)',
  25: 'Sun CellB video encoding',
  26: 'JPEG-compressed video',
  28: "'nv' program",
  31: 'ITU-T H.261',
  32: 'MPEG-I/II Video',
  33: 'MPEG-II transport streams',
  34: 'ITU-T H.263',
};

/** The name Wireshark gives a payload type number (0-127). */
export function payloadTypeName(pt: number): string {
  const known = PAYLOAD_TYPES[pt];
  if (known !== undefined) return known;
  if (pt >= 96 && pt <= 127) return `DynamicRTP-Type-${pt}`;
  if (pt >= 72 && pt <= 76) return 'Reserved for RTCP conflict avoidance';
  return pt >= 0 && pt <= 127 ? 'Unassigned' : `Unknown (${pt})`;
}

/** Payload dissectors by the encoding name an SDP maps a dynamic type to (case does not matter). */
const BY_ENCODING: Readonly<Record<string, string>> = {
  amr: 'amr',
  'amr-wb': 'amr',
  'telephone-event': 'rtpevent',
  red: 'red',
};

/** Payload dissectors by payload type number (Wireshark's defaults: RFC 2198 on 99, events on 100 and 101). */
const BY_NUMBER: Readonly<Record<number, string>> = {
  99: 'red',
  100: 'rtpevent',
  101: 'rtpevent',
};

/** RTCP packet types 192-223 seen as RTP payload types 64-95 with the marker set (RFC 5761). */
const FIRST_RTCP_CONFLICT = 64;
const LAST_RTCP_CONFLICT = 95;

const VERSIONS = { 0: 'Old VAT Version', 1: 'First Draft Version', 2: 'RFC 1889 Version' };

/** RFC 5285 header extension profiles. */
const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

/** The conversation an RTP or RTCP packet belongs to (the destination's first). */
export function conversationOf(c: Cursor): MediaConversation | undefined {
  const ends = transportEnds(c);
  return ends === undefined ? undefined : mediaConversation(c, ends.src, ends.sport, ends.dst, ends.dport);
}

/** "Stream setup by SDP (frame N)" with its children, as RTP and RTCP show it. */
export function setupInfo(c: Cursor, prefix: 'rtp' | 'rtcp', conv: MediaConversation, at: number, withCallId: boolean): void {
  if (!c.wants(`${prefix}.setup`) && !c.wants(`${prefix}.setup-frame`) && !c.wants(`${prefix}.setup-method`)) return;
  c.group(
    `${prefix}.setup`,
    () => {
      c.add(`${prefix}.setup-frame`, conv.setup, at, 0);
      c.add(`${prefix}.setup-method`, 'SDP', at, 0);
      if (withCallId && conv.callId !== undefined) c.add('sip.call_id_generated', conv.callId, at, 0);
      return '';
    },
    0,
    () => `Stream setup by SDP (frame ${conv.setup})`,
  );
}

/** Wireshark's extended sequence number: the 16-bit number placed next to the last one seen. */
function extendSeq(previous: number, seq: number): number {
  let ext = (previous & 0xffff0000) + seq;
  if (ext + 0x8000 < previous) ext += 0x10000;
  else if (previous + 0x8000 < ext) ext -= 0x10000;
  return ext >>> 0;
}

/** RFC 5285 header extension elements (one-byte form): id and length in one byte, zero bytes pad. */
function oneByteElements(c: Cursor, end: number): void {
  let guard = 0;
  while (c.pos < end && guard++ < 256) {
    const padStart = c.pos;
    while (c.pos < end && c.data[c.pos] === 0) c.pos++;
    if (c.pos > padStart) c.add('rtp.padding.data', c.span(padStart, c.pos), padStart, c.pos - padStart);
    if (c.pos >= end) return;
    const b = c.data[c.pos]!;
    const id = b >> 4;
    // Identifier 15 stops the list; an element running past the extension is left alone.
    if (id === 15) return;
    const len = (b & 0x0f) + 1;
    if (c.pos + len + 1 > end) return;
    c.group('rtp.ext.rfc5285', () => {
      const at = c.pos;
      c.add('rtp.ext.rfc5285.id', id, at, 1);
      c.add('rtp.ext.rfc5285.len', len, at, 1);
      c.skip(1);
      c.bytes('rtp.ext.rfc5285.data', len);
      return true;
    }, len + 1, () => 'RFC 5285 Header Extension (One-Byte Header)');
  }
}

/**
 * RFC 5285 header extension elements (two-byte form): id and length bytes, zero bytes pad. An
 * element running past the extension is malformed (Wireshark's read fails there).
 */
function twoByteElements(c: Cursor, extEnd: number, appbits: number, appAt: number): void {
  const end = Math.min(extEnd, c.capEnd);
  let guard = 0;
  while (c.pos + 2 < end && guard++ < 256) {
    const padStart = c.pos;
    while (c.data[c.pos] === 0) {
      if (c.pos + 2 >= end) return;
      c.pos++;
    }
    if (c.pos > padStart) c.add('rtp.padding.data', c.span(padStart, c.pos), padStart, c.pos - padStart);
    const id = c.data[c.pos]!;
    const len = c.data[c.pos + 1]!;
    if (c.pos + 2 + len > extEnd) c.malformed('RFC 5285 element runs past the header extension', 'rtp.ext.rfc5285.len', c.pos + 1);
    c.group('rtp.ext.rfc5285', () => {
      const at = c.pos;
      c.add('rtp.ext.rfc5285.appbits', appbits, appAt, 1);
      c.add('rtp.ext.rfc5285.id', id, at, 1);
      c.add('rtp.ext.rfc5285.len', len, at + 1, 1);
      c.skip(2);
      if (len > 0) c.bytes('rtp.ext.rfc5285.data', len);
      return true;
    }, len + 2, () => 'RFC 5285 Header Extension (Two-Byte Header)');
  }
}

export const rtp = defineProtocol({
  id: 'rtp',
  name: 'Real-Time Transport Protocol',
  short: 'RTP',
  fields: {
    'rtp.setup': { label: 'Stream setup', type: 'string' },
    'rtp.setup-frame': { label: 'Setup frame', type: 'framenum' },
    'rtp.setup-method': { label: 'Setup Method', type: 'string' },
    'rtp.version': { label: 'Version', type: 'u8', mask: 0xc0, values: VERSIONS },
    'rtp.padding': { label: 'Padding', type: 'bool', mask: 0x20 },
    'rtp.ext': { label: 'Extension', type: 'bool', mask: 0x10 },
    'rtp.cc': { label: 'Contributing source identifiers count', type: 'u8', mask: 0x0f },
    'rtp.marker': { label: 'Marker', type: 'bool', mask: 0x80 },
    'rtp.p_type': { label: 'Payload type', type: 'u8', mask: 0x7f },
    'rtp.seq': { label: 'Sequence number', type: 'u16' },
    'rtp.extseq': { label: 'Extended sequence number', type: 'u32' },
    'rtp.timestamp': { label: 'Timestamp', type: 'u32' },
    'rtp.ssrc': { label: 'Synchronization Source identifier', type: 'u32', base: 'hex_dec' },
    'rtp.csrc.items': { label: 'Contributing Source identifiers', type: 'none' },
    'rtp.csrc.item': { label: 'CSRC item', type: 'u32', base: 'hex_dec' },
    'rtp.ext.profile': { label: 'Defined by profile', type: 'u16', base: 'hex_dec' },
    'rtp.ext.len': { label: 'Extension length', type: 'u16' },
    'rtp.hdr_exts': { label: 'Header extensions', type: 'none' },
    'rtp.hdr_ext': { label: 'Header extension', type: 'u32', base: 'hex_dec' },
    'rtp.ext.rfc5285': { label: 'RFC 5285 Header Extension', type: 'none' },
    'rtp.ext.rfc5285.id': { label: 'Identifier', type: 'u8' },
    'rtp.ext.rfc5285.len': { label: 'Length', type: 'u8' },
    'rtp.ext.rfc5285.appbits': { label: 'Application Bits', type: 'u8' },
    'rtp.ext.rfc5285.data': { label: 'Extension Data', type: 'bytes' },
    'rtp.payload': { label: 'Payload', type: 'bytes' },
    'rtp.padding.data': { label: 'Padding data', type: 'bytes' },
    'rtp.padding.count': { label: 'Padding count', type: 'u8' },
    'rtp.red.header': { label: 'Header', type: 'none' },
    'rtp.follow': { label: 'Follow', type: 'bool', mask: 0x80, tfs: ['Set', 'Not set'] },
    'rtp.timestamp-offset': { label: 'Timestamp offset', type: 'u16', mask: 0xfffc },
    'rtp.block-length': { label: 'Block length', type: 'u16', mask: 0x03ff },
    'srtp.enc_payload': { label: 'SRTP Encrypted Payload', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const d = c.data;
    c.need(1, undefined, start);
    const b0 = d[start]!;
    const version = b0 >> 6;
    const ends = transportEnds(c);
    if (version !== 2) {
      // Wireshark shows the version, then lets UDP's port tables and heuristics have the packet.
      c.bits('rtp.version', 1, 0xc0);
      c.skip(1);
      return {
        summary: `Unknown RTP version ${version}`,
        info: { version },
        payloadOffset: start,
        next: ends !== undefined && ends.proto === 'udp' ? { table: 'udp.port', keys: ends.sport <= ends.dport ? [ends.sport, ends.dport] : [ends.dport, ends.sport] } : undefined,
      };
    }
    c.need(2, undefined, start);
    const b1 = d[start + 1]!;
    const marker = (b1 & 0x80) !== 0;
    const pt = b1 & 0x7f;
    if (marker && pt >= FIRST_RTCP_CONFLICT && pt <= LAST_RTCP_CONFLICT) return { handoff: 'rtcp' };
    // Wireshark reads the whole fixed header before it adds its item.
    c.need(12, undefined, start);
    const seq = (d[start + 2]! << 8) | d[start + 3]!;
    const ts = c.peek32(4);
    const ssrc = c.peek32(8);
    const conv = ends === undefined ? undefined : mediaConversation(c, ends.src, ends.sport, ends.dst, ends.dport);
    const data = conv?.rtp;
    const srtp = data?.srtp === true;
    const mapping = pt >= 96 && pt <= 127 ? data?.payloads.get(pt) : undefined;
    const ptName = mapping?.name ?? payloadTypeName(pt);
    const summary = `PT=${ptName}, SSRC=0x${ssrc.toString(16).toUpperCase()}, Seq=${seq}, Time=${ts}${marker ? ', Mark' : ''}`;
    c.provisional = summary;
    let extSeq: number | undefined;
    if (data !== undefined) {
      extSeq = extendSeq(data.extSeq, seq);
      data.extSeq = extSeq;
    }
    if (conv !== undefined && data !== undefined) setupInfo(c, 'rtp', conv, start, true);
    c.bits('rtp.version', 1, 0xc0);
    const padding = c.flag('rtp.padding', 1, 0x20);
    const ext = c.flag('rtp.ext', 1, 0x10);
    const cc = c.bits('rtp.cc', 1, 0x0f);
    c.skip(1);
    c.flag('rtp.marker', 1, 0x80);
    c.add('rtp.p_type', pt, start + 1, 1, `Payload type: ${ptName} (${pt})`);
    c.skip(1);
    c.u16('rtp.seq');
    if (extSeq !== undefined) c.add('rtp.extseq', extSeq, start + 2, 0);
    c.u32('rtp.timestamp');
    c.u32('rtp.ssrc');
    if (cc > 0) {
      c.group('rtp.csrc.items', () => {
        for (let i = 0; i < cc; i++) {
          const at = c.pos;
          const v = c.u32();
          c.add('rtp.csrc.item', v, at, 4, `CSRC item ${i}: 0x${v.toString(16).toUpperCase()}`);
        }
        return true;
      }, cc * 4, () => `Contributing Source identifiers (${cc} items)`);
    }
    if (ext) {
      const profileAt = c.pos;
      const profile = c.u16('rtp.ext.profile');
      const words = c.u16('rtp.ext.len');
      if (words > 0) {
        const extEnd = c.pos + words * 4;
        if (profile === ONE_BYTE_PROFILE) {
          oneByteElements(c, Math.min(extEnd, c.capEnd));
        } else if ((profile & TWO_BYTE_MASK) === TWO_BYTE_PROFILE) {
          twoByteElements(c, extEnd, profile & 0x0f, profileAt + 1);
        } else {
          c.group('rtp.hdr_exts', () => {
            for (let i = 0; i < words; i++) c.u32('rtp.hdr_ext');
            return true;
          }, words * 4);
        }
        c.seek(Math.min(extEnd, c.capEnd));
        c.need(extEnd - c.pos);
      }
    }
    const headerEnd = c.pos;
    const reportedEnd = c.repEnd;
    const info = { pt, seq, ssrc, marker, timestamp: ts, ...(mapping !== undefined ? { encoding: mapping.name } : {}) };
    const name = srtp ? 'SRTP' : undefined;
    let payloadEnd = reportedEnd;
    if (padding) {
      if (c.capEnd < reportedEnd) {
        // The padding count is in the last byte, which was not captured: the rest stays RTP's.
        c.expert('warning', 'Frame has padding, but not all the frame data was captured', undefined, headerEnd);
        c.seek(c.capEnd);
        return { summary, name, info };
      }
      let count = d[reportedEnd - 1]!;
      let dataLen = reportedEnd - headerEnd - count;
      if (dataLen < 0) {
        count = reportedEnd - headerEnd;
        dataLen = 0;
      }
      payloadEnd = headerEnd + dataLen;
      if (dataLen > 0) c.add(srtp ? 'srtp.enc_payload' : 'rtp.payload', c.span(headerEnd, payloadEnd), headerEnd, dataLen);
      c.seek(payloadEnd);
      if (count > 1) c.bytes('rtp.padding.data', count - 1);
      if (c.pos < reportedEnd) c.u8('rtp.padding.count');
    } else if (reportedEnd > headerEnd) {
      const len = Math.min(c.capEnd, reportedEnd) - headerEnd;
      c.add(srtp ? 'srtp.enc_payload' : 'rtp.payload', c.span(headerEnd, headerEnd + len), headerEnd, len);
      c.seek(headerEnd + len);
    }
    // The payload goes to a dissector by its encoding name (a dynamic type the SDP mapped) or
    // its number; an encoding no dissector takes stays RTP's payload.
    const target = srtp || payloadEnd <= headerEnd ? undefined : mapping !== undefined ? BY_ENCODING[mapping.name.toLowerCase()] : BY_NUMBER[pt];
    if (target === undefined) {
      if (c.pos < c.capEnd) c.seek(c.capEnd);
      return { summary, name, info };
    }
    const next: Next =
      target === 'red'
        ? { protocol: 'text', ctx: { text: redundantAudio, rtpPayloadEnd: payloadEnd, rtpPayloads: data?.payloads } }
        : { protocol: target, ctx: { rtpPayloadEnd: payloadEnd, rtpEncoding: mapping?.name } };
    return { summary, name, info, next, payloadOffset: headerEnd };
  },
});

/**
 * RFC 2198 redundant audio, as Wireshark shows it: a text item (no protocol of its own, `text`
 * in the hierarchy) with the block headers and each block's payload.
 */
function redundantAudio(c: Cursor): { summary: string; name: string } {
  const carrier = c.below[c.below.length - 1];
  const out = { summary: typeof carrier?.summary === 'string' ? carrier.summary : '', name: 'RTP' };
  const end = Math.min((c.ctx['rtpPayloadEnd'] as number | undefined) ?? c.repEnd, c.repEnd);
  const payloads = c.ctx['rtpPayloads'] as ReadonlyMap<number, { name: string }> | undefined;
  const lengths: number[] = [];
  let follow = true;
  for (let n = 1; follow && c.pos < end; n++) {
    const at = c.pos;
    const b = c.peek8();
    follow = (b & 0x80) !== 0;
    const pt = b & 0x7f;
    const name = (pt >= 96 && pt <= 127 ? payloads?.get(pt)?.name : undefined) ?? payloadTypeName(pt);
    let len = -1;
    c.group('rtp.red.header', () => {
      c.need(follow ? 4 : 1);
      c.flag('rtp.follow', 1, 0x80);
      c.add('rtp.p_type', pt, at, 1, `.${bitsOf(pt)} = Payload type: ${name} (${pt})`);
      c.skip(1);
      if (follow) {
        c.bits('rtp.timestamp-offset', 2, 0xfffc);
        c.skip(1);
        len = c.bits('rtp.block-length', 2, 0x03ff);
        c.skip(2);
      }
      return true;
    }, follow ? 4 : 1, () => `Header ${n}: PT=${name}${len >= 0 ? `, len=${len}` : ''}`);
    lengths.push(len);
  }
  if (follow) {
    // The last header (follow bit clear) is missing.
    c.need(1);
  }
  for (const len of lengths) {
    const n = len < 0 ? end - c.pos : len;
    c.need(n);
    if (n > 0) c.bytes('rtp.payload', n);
  }
  if (c.pos < c.capEnd) c.seek(c.capEnd);
  return out;
}

/** The seven bits of a payload type as a bit picture after the follow bit (`110 0101`). */
function bitsOf(pt: number): string {
  const s = pt.toString(2).padStart(7, '0');
  return `${s.slice(0, 3)} ${s.slice(3)}`;
}
