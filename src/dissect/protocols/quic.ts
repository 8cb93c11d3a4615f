import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/**
 * QUIC (RFC 9000, v2 RFC 9369, draft-29), found by tshark's UDP heuristic: long headers
 * (version, connection ids, packet type). A client's Initial packet is protected with keys
 * derived from its Destination Connection ID alone, so, as tshark does, it is decrypted and
 * the ClientHello in its CRYPTO frames is shown (`tls.handshake.type`, the SNI). Server
 * Initials need the client's original DCID (conversation state) and are left encrypted.
 */

const V1 = 0x00000001;
const V2 = 0x6b3343cf;

const SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex');
const SALT_D29 = Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex');

function knownVersion(v: number): boolean {
  return v === V1 || v === V2 || (v >>> 8) === 0xff0000 || v === 0;
}

function saltFor(v: number): Buffer | undefined {
  if (v === V1) return SALT_V1;
  if (v === V2) return SALT_V2;
  if (v >= 0xff00001d && v <= 0xff000020) return SALT_D29;
  return undefined;
}

const TYPES_V1 = ['Initial', '0-RTT', 'Handshake', 'Retry'] as const;
const TYPES_V2 = ['Retry', 'Initial', '0-RTT', 'Handshake'] as const;

function hkdfExtract(salt: Buffer, ikm: Uint8Array): Buffer {
  return createHmac('sha256', salt).update(ikm).digest();
}

function hkdfExpandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  // One block suffices: every length asked for is at most 32 bytes (SHA-256).
  return createHmac('sha256', secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, length);
}

/** Reads a QUIC variable-length integer at `p`: [value, length] or undefined past `end`. */
function varint(d: Uint8Array, p: number, end: number): [number, number] | undefined {
  if (p >= end) return undefined;
  const len = 1 << (d[p]! >> 6);
  if (p + len > end) return undefined;
  let v = d[p]! & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + d[p + i]!;
  return [v, len];
}

/**
 * Removes header protection and decrypts an Initial packet with the keys derived from the
 * client's original Destination Connection ID (`client in` for the client's packets,
 * `server in` for the server's); undefined when it does not authenticate.
 */
export function decryptInitial(
  d: Uint8Array,
  start: number,
  pnOffset: number,
  end: number,
  version: number,
  dcid: Uint8Array,
  side: 'client in' | 'server in' = 'client in',
): Uint8Array | undefined {
  const salt = saltFor(version);
  if (salt === undefined || pnOffset + 4 + 16 > end) return undefined;
  const v2 = version === V2;
  const secret = hkdfExpandLabel(hkdfExtract(salt, dcid), side, 32);
  const key = hkdfExpandLabel(secret, v2 ? 'quicv2 key' : 'quic key', 16);
  const iv = hkdfExpandLabel(secret, v2 ? 'quicv2 iv' : 'quic iv', 12);
  const hp = hkdfExpandLabel(secret, v2 ? 'quicv2 hp' : 'quic hp', 16);
  const ecb = createCipheriv('aes-128-ecb', hp, null);
  const mask = ecb.update(d.subarray(pnOffset + 4, pnOffset + 20));
  const first = d[start]! ^ (mask[0]! & 0x0f);
  const pnLen = (first & 3) + 1;
  const header = Buffer.from(d.subarray(start, pnOffset + pnLen));
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    const b = d[pnOffset + i]! ^ mask[1 + i]!;
    header[pnOffset - start + i] = b;
    pn = pn * 256 + b;
  }
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 6; i++) nonce[11 - i]! ^= Math.floor(pn / 256 ** i) & 0xff;
  const body = d.subarray(pnOffset + pnLen, end);
  if (body.length < 16) return undefined;
  try {
    const gcm = createDecipheriv('aes-128-gcm', key, nonce);
    gcm.setAAD(header);
    gcm.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([gcm.update(body.subarray(0, body.length - 16)), gcm.final()]);
  } catch {
    return undefined;
  }
}

/** The CRYPTO stream from offset 0 of a decrypted Initial payload (frames in any order). */
function cryptoStream(p: Uint8Array): Uint8Array {
  const parts: [number, Uint8Array][] = [];
  let i = 0;
  let guard = 0;
  while (i < p.length && guard++ < 4096) {
    const ft = varint(p, i, p.length);
    if (ft === undefined) break;
    const type = ft[0];
    i += ft[1];
    if (type === 0 || type === 1) continue; // PADDING, PING
    if (type === 2 || type === 3) {
      // ACK: largest, delay, range count, first range, ranges, (ECN counts)
      const vals: number[] = [];
      for (let k = 0; k < 4; k++) {
        const v = varint(p, i, p.length);
        if (v === undefined) return join(parts);
        vals.push(v[0]);
        i += v[1];
      }
      for (let r = 0; r < Math.min(vals[2]!, 256) * 2 + (type === 3 ? 3 : 0); r++) {
        const v = varint(p, i, p.length);
        if (v === undefined) return join(parts);
        i += v[1];
      }
      continue;
    }
    if (type === 6) {
      const off = varint(p, i, p.length);
      if (off === undefined) break;
      i += off[1];
      const len = varint(p, i, p.length);
      if (len === undefined) break;
      i += len[1];
      parts.push([off[0], p.subarray(i, Math.min(p.length, i + len[0]))]);
      i += len[0];
      continue;
    }
    break; // another frame type: stop (Initial packets rarely carry others)
  }
  return join(parts);
}

function join(parts: [number, Uint8Array][]): Uint8Array {
  parts.sort((a, b) => a[0] - b[0]);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const [off, data] of parts) {
    if (off > at) break;
    if (off + data.length <= at) continue;
    out.push(data.subarray(at - off));
    at = off + data.length;
  }
  return Buffer.concat(out);
}

/** The session key of the UDP conversation below (addresses and ports, either direction). */
function udpConversation(c: Cursor): string | undefined {
  let ip: Readonly<Record<string, unknown>> | undefined;
  let udp: Readonly<Record<string, unknown>> | undefined;
  for (let i = c.below.length - 1; i >= 0 && ip === undefined; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'udp' && udp === undefined) udp = l.info;
    else if (l.protocol === 'ip' || l.protocol === 'ipv6') ip = l.info;
  }
  if (ip === undefined || udp === undefined) return undefined;
  const a = `${String(ip['src'])}/${String(udp['srcport'])}`;
  const b = `${String(ip['dst'])}/${String(udp['dstport'])}`;
  return a < b ? `quic ${a} ${b}` : `quic ${b} ${a}`;
}

/** Records the ClientHello's type and server name (generated fields: the bytes are decrypted). */
function showClientHello(c: Cursor, s: Uint8Array, at: number): string | undefined {
  if (s.length < 4) return undefined;
  const type = s[0]!;
  c.add('tls.handshake.type', type, at, 0);
  if (type !== 1) return undefined;
  const end = Math.min(s.length, 4 + ((s[1]! << 16) | (s[2]! << 8) | s[3]!));
  let p = 4 + 2 + 32;
  if (p >= end) return undefined;
  p += 1 + s[p]!;
  if (p + 2 > end) return undefined;
  p += 2 + ((s[p]! << 8) | s[p + 1]!);
  if (p + 1 > end) return undefined;
  p += 1 + s[p]!;
  if (p + 2 > end) return undefined;
  const extEnd = Math.min(end, p + 2 + ((s[p]! << 8) | s[p + 1]!));
  p += 2;
  let sni: string | undefined;
  let guard = 0;
  while (p + 4 <= extEnd && guard++ < 1024) {
    const et = (s[p]! << 8) | s[p + 1]!;
    const el = (s[p + 2]! << 8) | s[p + 3]!;
    if (et === 0 && el >= 5 && p + 4 + el <= extEnd) {
      const nl = (s[p + 7]! << 8) | s[p + 8]!;
      if (p + 9 + nl <= p + 4 + el) {
        sni = Buffer.from(s.subarray(p + 9, p + 9 + nl)).toString('latin1');
        c.add('tls.handshake.extensions_server_name', sni, at, 0);
      }
    }
    p += 4 + el;
  }
  return sni;
}

/** tshark's heuristic: a long header with a version it knows and sane connection ids. */
export function looksLikeQuic(d: Uint8Array, p: number, end: number): boolean {
  if (p + 7 > end) return false;
  const b = d[p]!;
  if ((b & 0xc0) !== 0xc0) return false;
  const v = ((d[p + 1]! << 24) | (d[p + 2]! << 16) | (d[p + 3]! << 8) | d[p + 4]!) >>> 0;
  if (!knownVersion(v) || v === 0) return false;
  const dl = d[p + 5]!;
  if (dl > 20 || p + 6 + dl >= end) return false;
  return d[p + 6 + dl]! <= 20;
}

export const quic = defineProtocol({
  id: 'quic',
  name: 'QUIC IETF',
  short: 'QUIC',
  heuristics: [{ table: 'udp.port', test: looksLikeQuic }],
  fields: {
    'quic.header_form': { label: 'Header Form', type: 'u8', mask: 0x80 },
    'quic.fixed_bit': { label: 'Fixed Bit', type: 'bool', mask: 0x40 },
    'quic.long.packet_type': { label: 'Packet Type', type: 'u8', mask: 0x30 },
    'quic.version': { label: 'Version', type: 'u32', base: 'hex' },
    'quic.dcil': { label: 'Destination Connection ID Length', type: 'u8' },
    'quic.dcid': { label: 'Destination Connection ID', type: 'bytes' },
    'quic.scil': { label: 'Source Connection ID Length', type: 'u8' },
    'quic.scid': { label: 'Source Connection ID', type: 'bytes' },
    'quic.token_length': { label: 'Token Length', type: 'u64' },
    'quic.token': { label: 'Token', type: 'bytes' },
    'quic.length': { label: 'Length', type: 'u64' },
    'quic.remaining_payload': { label: 'Remaining Payload', type: 'bytes' },
    'quic.decryption_failed': { label: 'Decryption failed', type: 'bool' },
  },
  dissect(c) {
    const start = c.pos;
    const d = c.data;
    const first = c.peek8();
    c.bits('quic.header_form', 1, 0x80);
    c.flag('quic.fixed_bit', 1, 0x40);
    const version = c.peek32(1);
    const v2 = version === V2;
    const typeBits = (first & 0x30) >> 4;
    c.bits('quic.long.packet_type', 1, 0x30);
    c.skip(1);
    c.u32('quic.version');
    const dl = c.u8('quic.dcil');
    const dcid = c.bytes('quic.dcid', dl);
    const sl = c.u8('quic.scil');
    c.bytes('quic.scid', sl);
    const typeName = (v2 ? TYPES_V2 : TYPES_V1)[typeBits]!;
    const parts = [`${typeName}, DCID=${Buffer.from(dcid).toString('hex')}`];
    let sni: string | undefined;
    if (typeName !== 'Retry') {
      if (typeName === 'Initial') {
        const tl = varint(d, c.pos, c.capEnd);
        if (tl === undefined) c.need(8, 'quic.token_length');
        c.add('quic.token_length', tl![0], c.pos, tl![1]);
        c.skip(tl![1]);
        if (tl![0] > 0) c.bytes('quic.token', tl![0]);
      }
      const ln = varint(d, c.pos, c.capEnd);
      if (ln === undefined) c.need(8, 'quic.length');
      c.add('quic.length', ln![0], c.pos, ln![1]);
      c.skip(ln![1]);
      const pnOffset = c.pos;
      const end = Math.min(c.capEnd, pnOffset + ln![0]);
      if (typeName === 'Initial' && pnOffset + ln![0] <= c.capEnd) {
        // A client Initial decrypts with keys from its own DCID; remember that DCID for the
        // conversation, so the server's Initial (keys from the same DCID) can be read too.
        const key = udpConversation(c);
        let plain = decryptInitial(d, start, pnOffset, end, version, dcid);
        if (plain !== undefined) {
          if (key !== undefined && c.peekSession(key) === undefined) c.setSession(key, Uint8Array.from(dcid));
        } else if (key !== undefined) {
          const original = c.peekSession<Uint8Array>(key);
          if (original !== undefined) plain = decryptInitial(d, start, pnOffset, end, version, original, 'server in');
        }
        if (plain !== undefined) sni = showClientHello(c, cryptoStream(plain), pnOffset);
      }
      if (end > c.pos) c.bytes('quic.remaining_payload', end - c.pos);
      // Coalesced packets follow as further QUIC packets: not split here.
      if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    } else if (c.pos < c.capEnd) {
      c.bytes('quic.remaining_payload', c.capEnd - c.pos);
    }
    return {
      summary: () => parts.join(', '),
      info: { version, type: typeName, sni },
    };
  },
});
