import type { Cursor } from '../cursor.js';
import type { Next } from '../protocol.js';
import { defineProtocol } from '../protocol.js';
import { gquicConversation } from './gquic.js';
import {
  CIPHER_SUITES,
  type CipherSuite,
  decodePacketNumber,
  initialKeys,
  nextTrafficSecret,
  openPayload,
  type PacketKeys,
  packetKeys,
  QUIC_V2,
  removeHeaderProtection,
} from './quic-crypto.js';
import { HANDSHAKE_TYPES, readHandshakeMessage, type TlsState } from './tls.js';

/**
 * QUIC (RFC 9000, v2 RFC 9369, drafts 29-32), found by tshark's UDP heuristic (a long header
 * with a version it knows) and then by its UDP conversation or connection ID, as tshark does.
 * Every packet of a datagram (coalesced packets) is read.
 *
 * Decryption follows RFC 9001. Initial packets are protected with keys from the client's first
 * Destination Connection ID, so they are always decrypted. Handshake, 0-RTT and 1-RTT packets
 * need the TLS secrets of the connection (`Cursor.keyLog`: a key log file, or the capture's
 * Decryption Secrets Blocks), found by the ClientHello's client random; the cipher suite is the
 * ServerHello's. CRYPTO frames are reassembled per encryption level and direction into TLS
 * handshake messages (`tls.handshake.*`); a message carried whole by one CRYPTO frame is read
 * in place (its fields lie over the encrypted bytes they decrypt to), one reassembled from
 * several frames gets generated fields. A packet that cannot be decrypted keeps its payload
 * opaque. Without secrets, nothing is tried beyond the Initial packets.
 */

const V1 = 0x00000001;
const V2 = QUIC_V2;

function knownVersion(v: number): boolean {
  return v === V1 || v === V2 || (v >>> 8) === 0xff0000 || v === 0;
}

const TYPES_V1 = ['Initial', '0-RTT', 'Handshake', 'Retry'] as const;
const TYPES_V2 = ['Retry', 'Initial', '0-RTT', 'Handshake'] as const;
type LongType = (typeof TYPES_V1)[number];

/** Encryption levels, each with its own keys and CRYPTO stream (0-RTT and 1-RTT share packet numbers). */
const EPOCH = { INITIAL: 0, ZERO_RTT: 1, HANDSHAKE: 2, ONE_RTT: 3 } as const;
type Epoch = (typeof EPOCH)[keyof typeof EPOCH];
/** 0: client to server, 1: server to client. */
type Dir = 0 | 1;

/** The key log labels of each level's secrets, client's then server's. */
const SECRET_LABELS: Record<Epoch, readonly [string, string | undefined]> = {
  [EPOCH.INITIAL]: ['', ''],
  [EPOCH.ZERO_RTT]: ['CLIENT_EARLY_TRAFFIC_SECRET', undefined],
  [EPOCH.HANDSHAKE]: ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET'],
  [EPOCH.ONE_RTT]: ['CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'],
};

/** Bounds on what one capture keeps. */
const MAX_CONNECTIONS = 10_000;
const MAX_CIDS = 40_000;
/** CRYPTO bytes held per stream while a message is incomplete, and out-of-order bytes waiting. */
const MAX_CRYPTO_HELD = 256 * 1024;
const MAX_CRYPTO_PENDING = 64 * 1024;
/** Packets read from one datagram, frames from one packet, ACK ranges from one frame, key updates. */
const MAX_PACKETS = 16;
const MAX_FRAMES = 1024;
const MAX_ACK_RANGES = 256;
const MAX_KEY_UPDATES = 64;

/** Bytes of one CRYPTO stream (one level, one direction) not yet made into messages. */
interface CryptoStream {
  /** Stream offset of the first byte not yet received in order. */
  next: number;
  /** Bytes from the start of the next message up to `next`. */
  held: Uint8Array;
  pending: Map<number, Uint8Array>;
  pendingBytes: number;
  /** Gave up (a message too large to hold): nothing more is read from this stream. */
  broken: boolean;
}

interface Connection {
  readonly version: number;
  /** The client's address and port (`addr/port`), as the first Initial came from it. */
  readonly client: string;
  /** The client's first Destination Connection ID (the Initial keys come from it). */
  readonly originalDcid: Uint8Array;
  readonly initial: readonly [PacketKeys, PacketKeys];
  clientCid: Uint8Array;
  serverCid: Uint8Array | undefined;
  clientRandom: Uint8Array | undefined;
  /** Cipher suites the ClientHello offered (for 0-RTT before a ServerHello) and the one chosen. */
  offered: number[];
  suite: CipherSuite | undefined;
  /** Keys per `epoch*2+dir` (null: the logged secret does not fit the suite; undefined: not derived yet). */
  keys: (PacketKeys | null | undefined)[];
  /** 1-RTT secrets and keys by key generation, per direction; the current generation. */
  appSecrets: [Uint8Array[], Uint8Array[]];
  appKeys: [PacketKeys[], PacketKeys[]];
  generation: [number, number];
  /** Largest packet number per packet number space and direction (`space*2+dir`). */
  largest: number[];
  crypto: (CryptoStream | undefined)[];
}

interface QuicTable {
  readonly byUdp: Map<string, Connection>;
  readonly byCid: Map<string, Connection>;
  readonly cidLengths: Set<number>;
}

const SESSION = 'quic connections';
const newTable = (): QuicTable => ({ byUdp: new Map(), byCid: new Map(), cidLengths: new Set() });

const hexOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Reads a QUIC variable-length integer at `p`: [value, length] or undefined past `end`. */
function varint(d: Uint8Array, p: number, end: number): [number, number] | undefined {
  if (p >= end) return undefined;
  const len = 1 << (d[p]! >> 6);
  if (p + len > end) return undefined;
  let v = d[p]! & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + d[p + i]!;
  return [v, len];
}

/** The UDP datagram's ends: `addr/port` of source and destination (undefined outside UDP over IP). */
function udpEnds(below: Cursor['below'], sport?: number, dport?: number): { src: string; dst: string } | undefined {
  let ip: Readonly<Record<string, unknown>> | undefined;
  let udp: Readonly<Record<string, unknown>> | undefined;
  for (let i = below.length - 1; i >= 0 && ip === undefined; i--) {
    const l = below[i]!;
    if (l.protocol === 'udp' && udp === undefined) udp = l.info;
    else if (l.protocol === 'ip' || l.protocol === 'ipv6') ip = l.info;
  }
  if (ip === undefined || ip['src'] === undefined) return undefined;
  const sp = sport ?? udp?.['srcport'];
  const dp = dport ?? udp?.['dstport'];
  if (sp === undefined || dp === undefined) return undefined;
  return { src: `${String(ip['src'])}/${String(sp)}`, dst: `${String(ip['dst'])}/${String(dp)}` };
}

const convKey = (e: { src: string; dst: string }): string => (e.src < e.dst ? `${e.src} ${e.dst}` : `${e.dst} ${e.src}`);

function remember<K, V>(m: Map<K, V>, k: K, v: V, max: number): void {
  if (!m.has(k) && m.size >= max) m.delete(m.keys().next().value!);
  m.set(k, v);
}

function addCid(t: QuicTable, cid: Uint8Array, conn: Connection): void {
  if (cid.length === 0) return;
  remember(t.byCid, hexOf(cid), conn, MAX_CIDS);
  t.cidLengths.add(cid.length);
}

/** The connection whose connection ID starts at `p`, and that ID's length. */
function connectionByCid(t: QuicTable, d: Uint8Array, p: number, end: number): [Connection, number] | undefined {
  for (const len of t.cidLengths) {
    if (p + len > end) continue;
    const conn = t.byCid.get(hexOf(d.subarray(p, p + len)));
    if (conn !== undefined) return [conn, len];
  }
  return undefined;
}

const QUIC_NEXT: Next = { protocol: 'quic' };

/**
 * For UDP: the QUIC dissector when this datagram belongs to a QUIC connection seen earlier in
 * the capture (its UDP conversation, or a short header naming a known connection ID), as
 * tshark's conversation and short-header heuristic do; else Google QUIC for a conversation it
 * recognised earlier. Captures without either pay two lookups.
 */
export function quicConversation(c: Cursor, sport: number, dport: number): Next | undefined {
  const t = c.peekSession<QuicTable>(SESSION);
  // Google QUIC keeps its own conversations (its later packets carry no version).
  if (t === undefined) return gquicConversation(c, sport, dport);
  const ends = udpEnds(c.below, sport, dport);
  if (ends !== undefined && t.byUdp.has(convKey(ends))) return QUIC_NEXT;
  const p = c.pos;
  if (p < c.capEnd && (c.data[p]! & 0x80) === 0 && connectionByCid(t, c.data, p + 1, c.capEnd) !== undefined) return QUIC_NEXT;
  return gquicConversation(c, sport, dport);
}

/** Whether this capture has shown a QUIC connection, which may then claim a UDP datagram before the port tables. */
export function quicTracked(c: Cursor): boolean {
  return c.peekSession<QuicTable>(SESSION) !== undefined;
}

/** tshark's heuristic: a long header with a version it knows and sane connection ids. */
export function looksLikeQuic(d: Uint8Array, p: number, end: number): boolean {
  if (p + 7 > end) return false;
  const b = d[p]!;
  if ((b & 0x80) === 0) return false;
  const v = ((d[p + 1]! << 24) | (d[p + 2]! << 16) | (d[p + 3]! << 8) | d[p + 4]!) >>> 0;
  if (!knownVersion(v) || v === 0) return false;
  const dl = d[p + 5]!;
  if (dl > 20 || p + 6 + dl >= end) return false;
  return d[p + 6 + dl]! <= 20;
}

/** Thrown inside a decrypted payload when a frame runs past it: the rest of the payload is left alone. */
class FrameOverrun {
  readonly at: number;
  constructor(at: number) {
    this.at = at;
  }
}

/** What one datagram's dissection carries from packet to packet. */
interface Datagram {
  readonly table: QuicTable;
  readonly ends: { src: string; dst: string } | undefined;
  conn: Connection | undefined;
  /** The frame's own bytes (the cursor may read a decrypted copy meanwhile). */
  readonly wire: Uint8Array;
  tls: TlsState;
  /** Summary of the packet being read (tshark's Info shows the last one). */
  parts: string[];
  sni: string | undefined;
}

/** Suite offered and chosen in a hello: ClientHello random and suites, ServerHello suite. */
function helloFacts(msg: Uint8Array, conn: Connection, dir: Dir): void {
  const type = msg[0]!;
  if (msg.length < 4 + 2 + 32 + 1) return;
  let p = 38;
  const sid = msg[p]!;
  p += 1 + sid;
  if (type === 1 && dir === 0) {
    conn.clientRandom = Uint8Array.from(msg.subarray(6, 38));
    if (p + 2 > msg.length) return;
    const n = (msg[p]! << 8) | msg[p + 1]!;
    const suites: number[] = [];
    for (let i = p + 2; i + 2 <= Math.min(msg.length, p + 2 + n); i += 2) suites.push((msg[i]! << 8) | msg[i + 1]!);
    conn.offered = suites;
  } else if (type === 2 && dir === 1) {
    if (p + 2 > msg.length) return;
    conn.suite = CIPHER_SUITES.get((msg[p]! << 8) | msg[p + 1]!);
  }
}

/** The server name of a ClientHello held apart from the frame (reassembled from several frames). */
function clientHelloSni(s: Uint8Array): string | undefined {
  const end = s.length;
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
  let guard = 0;
  while (p + 4 <= extEnd && guard++ < 1024) {
    const et = (s[p]! << 8) | s[p + 1]!;
    const el = (s[p + 2]! << 8) | s[p + 3]!;
    if (et === 0 && el >= 5 && p + 4 + el <= extEnd) {
      const nl = (s[p + 7]! << 8) | s[p + 8]!;
      if (p + 9 + nl <= p + 4 + el) return Buffer.from(s.subarray(p + 9, p + 9 + nl)).toString('latin1');
    }
    p += 4 + el;
  }
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * A CRYPTO frame's data (`len` bytes at frame offset `at`, stream offset `off`): added to its
 * stream, and every handshake message it completes is recorded.
 */
function cryptoData(c: Cursor, g: Datagram, conn: Connection, epoch: Epoch, dir: Dir, off: number, at: number, len: number): void {
  const idx = epoch * 2 + dir;
  const s = (conn.crypto[idx] ??= { next: 0, held: new Uint8Array(0), pending: new Map(), pendingBytes: 0, broken: false });
  if (s.broken || off + len <= s.next) return;
  const data = c.data.subarray(at, at + len);
  if (off > s.next) {
    if (s.pendingBytes + len <= MAX_CRYPTO_PENDING && !s.pending.has(off)) {
      s.pending.set(off, Uint8Array.from(data));
      s.pendingBytes += len;
    }
    return;
  }
  s.held = concat(s.held, data.subarray(s.next - off));
  s.next = off + len;
  for (let again = true; again && s.pending.size > 0; ) {
    again = false;
    for (const [o, piece] of s.pending) {
      if (o > s.next) continue;
      s.pending.delete(o);
      s.pendingBytes -= piece.length;
      if (o + piece.length > s.next) {
        s.held = concat(s.held, piece.subarray(s.next - o));
        s.next = o + piece.length;
      }
      again = true;
    }
  }
  let n = 0;
  while (s.held.length >= 4 && n++ < 64) {
    const h: Uint8Array = s.held;
    const msgLen = 4 + ((h[1]! << 16) | (h[2]! << 8) | h[3]!);
    if (msgLen > MAX_CRYPTO_HELD) {
      s.broken = true;
      c.expert('note', `handshake message of ${msgLen} bytes: too large to reassemble`, 'tls.handshake.length', at);
      break;
    }
    if (h.length < msgLen) break;
    const msgStart = s.next - h.length;
    const msg = h.subarray(0, msgLen);
    helloFacts(msg, conn, dir);
    if (msgStart >= off && msgStart + msgLen <= off + len) {
      // The whole message lies in this frame: read it in place.
      readMessageInPlace(c, g, at + (msgStart - off), msgLen);
    } else {
      const type = msg[0]!;
      const name = HANDSHAKE_TYPES[type] ?? `Unknown (${type})`;
      g.tls.parts.push(name);
      c.group('tls.handshake', () => {
        c.add('tls.handshake.type', type, at, 0);
        c.add('tls.handshake.length', msgLen - 4, at, 0);
        if (type === 1) {
          const sni = clientHelloSni(msg);
          if (sni !== undefined) {
            g.sni ??= sni;
            c.add('tls.handshake.extensions_server_name', sni, at, 0);
          }
        }
        return type;
      }, 0, () => `Handshake Protocol: ${name} (reassembled, ${msgLen} bytes)`);
    }
    s.held = h.subarray(msgLen);
  }
  if (s.held.length > MAX_CRYPTO_HELD) {
    s.broken = true;
    s.held = new Uint8Array(0);
  } else if (s.held.length > 0 && s.held.buffer === c.data.buffer) {
    s.held = Uint8Array.from(s.held);
  }
}

/**
 * Reads one handshake message lying whole at `at` with the TLS dissector's fields. The layer's
 * ends are the message's meanwhile: a length inside it pointing past it is malformed.
 */
function readMessageInPlace(c: Cursor, g: Datagram, at: number, msgLen: number): void {
  const savedCap = c.capEnd;
  const savedRep = c.repEnd;
  c.seek(at);
  c.capEnd = at + msgLen;
  c.repEnd = at + msgLen;
  try {
    readHandshakeMessage(c, msgLen, g.tls);
    g.sni ??= g.tls.sni;
  } finally {
    c.capEnd = savedCap;
    c.repEnd = savedRep;
  }
}

/** Frame names in the Info column, as tshark abbreviates them. */
const FRAME_NAMES: Record<number, string> = {
  0x00: 'PADDING', 0x01: 'PING', 0x02: 'ACK', 0x03: 'ACK_ECN', 0x04: 'RS', 0x05: 'SS', 0x06: 'CRYPTO', 0x07: 'NT',
  0x10: 'MD', 0x11: 'MSD', 0x12: 'MS', 0x13: 'MS', 0x14: 'DB', 0x15: 'SDB', 0x16: 'SB', 0x17: 'SB',
  0x18: 'NCI', 0x19: 'RC', 0x1a: 'PC', 0x1b: 'PR', 0x1c: 'CC', 0x1d: 'CC', 0x1e: 'DONE', 0x30: 'DG', 0x31: 'DG',
  0xaf: 'AF', 0x2f5: 'TS',
};

const FRAME_TYPES: Record<number, string> = {
  0x00: 'PADDING', 0x01: 'PING', 0x02: 'ACK', 0x03: 'ACK', 0x04: 'RESET_STREAM', 0x05: 'STOP_SENDING', 0x06: 'CRYPTO',
  0x07: 'NEW_TOKEN', 0x08: 'STREAM', 0x09: 'STREAM', 0x0a: 'STREAM', 0x0b: 'STREAM', 0x0c: 'STREAM', 0x0d: 'STREAM',
  0x0e: 'STREAM', 0x0f: 'STREAM', 0x10: 'MAX_DATA', 0x11: 'MAX_STREAM_DATA', 0x12: 'MAX_STREAMS (BIDI)',
  0x13: 'MAX_STREAMS (UNI)', 0x14: 'DATA_BLOCKED', 0x15: 'STREAM_DATA_BLOCKED', 0x16: 'STREAMS_BLOCKED (BIDI)',
  0x17: 'STREAMS_BLOCKED (UNI)', 0x18: 'NEW_CONNECTION_ID', 0x19: 'RETIRE_CONNECTION_ID', 0x1a: 'PATH_CHALLENGE',
  0x1b: 'PATH_RESPONSE', 0x1c: 'CONNECTION_CLOSE', 0x1d: 'CONNECTION_CLOSE (Application)', 0x1e: 'HANDSHAKE_DONE',
  0x30: 'DATAGRAM', 0x31: 'DATAGRAM', 0xaf: 'ACK_FREQUENCY', 0x2f5: 'TIME_STAMP',
};

/** Reads the frames of a decrypted payload lying (in the cursor's bytes) from the cursor to `to`. */
function readFrames(c: Cursor, g: Datagram, conn: Connection, epoch: Epoch, dir: Dir, to: number): void {
  const d = c.data;
  const v = (key?: string): number => {
    const r = varint(d, c.pos, to);
    if (r === undefined) throw new FrameOverrun(c.pos);
    if (key !== undefined) c.add(key, r[0], c.pos, r[1]);
    c.pos += r[1];
    return r[0];
  };
  const b = (key: string, n: number): Uint8Array => {
    if (c.pos + n > to) throw new FrameOverrun(c.pos);
    return c.bytes(key, n);
  };
  let n = 0;
  let inFrame = false;
  try {
    while (c.pos < to && n++ < MAX_FRAMES) {
      const at = c.pos;
      const peek = varint(d, at, to);
      if (peek === undefined) throw new FrameOverrun(at);
      const type = peek[0];
      const name = FRAME_TYPES[type];
      if (name === undefined) {
        c.expert('note', `unknown QUIC frame type 0x${type.toString(16)}: the rest of the payload is not read`, 'quic.frame_type', at);
        g.parts.push(`Unknown (0x${type.toString(16)})`);
        c.seek(to);
        break;
      }
      let label = FRAME_NAMES[type] ?? name;
      inFrame = true;
      c.group('quic.frame', () => {
        if (type >= 0x08 && type <= 0x0f) {
          c.flag('quic.stream.fin', 1, 0x01);
          c.flag('quic.stream.len', 1, 0x02);
          c.flag('quic.stream.off', 1, 0x04);
        }
        v('quic.frame_type');
        if (type === 0x00) {
          let e = c.pos;
          while (e < to && d[e] === 0) e++;
          c.pos = e;
          c.add('quic.padding_length', e - at, at, 0);
        } else if (type === 0x02 || type === 0x03) {
          v('quic.ack.largest_acknowledged');
          v('quic.ack.ack_delay');
          const ranges = v('quic.ack.ack_range_count');
          v('quic.ack.first_ack_range');
          if (ranges > MAX_ACK_RANGES) throw new FrameOverrun(c.pos);
          for (let i = 0; i < ranges; i++) {
            v('quic.ack.gap');
            v('quic.ack.ack_range');
          }
          if (type === 0x03) {
            v('quic.ack.ect0_count');
            v('quic.ack.ect1_count');
            v('quic.ack.ecn_ce_count');
          }
        } else if (type === 0x04) {
          v('quic.rsts.stream_id');
          v('quic.rsts.application_error_code');
          v('quic.rsts.final_size');
        } else if (type === 0x05) {
          v('quic.ss.stream_id');
          v('quic.ss.application_error_code');
        } else if (type === 0x06) {
          const off = v('quic.crypto.offset');
          const len = v('quic.crypto.length');
          const dataAt = c.pos;
          if (dataAt + len > to) throw new FrameOverrun(dataAt);
          cryptoData(c, g, conn, epoch, dir, off, dataAt, len);
          c.pos = dataAt + len;
        } else if (type === 0x07) {
          const len = v('quic.nt.length');
          b('quic.nt.token', len);
        } else if (type >= 0x08 && type <= 0x0f) {
          const id = v('quic.stream.stream_id');
          if ((type & 0x04) !== 0) v('quic.stream.offset');
          const len = (type & 0x02) !== 0 ? v('quic.stream.length') : to - c.pos;
          b('quic.stream_data', len);
          label = `STREAM(${id})`;
        } else if (type === 0x10) {
          v('quic.md.maximum_data');
        } else if (type === 0x11) {
          v('quic.msd.stream_id');
          v('quic.msd.maximum_stream_data');
        } else if (type === 0x12 || type === 0x13) {
          v('quic.ms.max_streams');
        } else if (type === 0x14) {
          v('quic.sb.stream_data_limit');
        } else if (type === 0x15) {
          v('quic.sdb.stream_id');
          v('quic.sb.stream_data_limit');
        } else if (type === 0x16 || type === 0x17) {
          v('quic.sib.stream_limit');
        } else if (type === 0x18) {
          v('quic.nci.sequence');
          v('quic.nci.retire_prior_to');
          if (c.pos + 1 > to) throw new FrameOverrun(c.pos);
          const len = c.u8('quic.nci.connection_id.length');
          const cid = b('quic.nci.connection_id', len);
          b('quic.nci.stateless_reset_token', 16);
          addCid(g.table, Uint8Array.from(cid), conn);
        } else if (type === 0x19) {
          v('quic.rci.sequence');
        } else if (type === 0x1a) {
          b('quic.path_challenge.data', 8);
        } else if (type === 0x1b) {
          b('quic.path_response.data', 8);
        } else if (type === 0x1c || type === 0x1d) {
          v(type === 0x1c ? 'quic.cc.error_code' : 'quic.cc.error_code.app');
          if (type === 0x1c) v('quic.cc.frame_type');
          const len = v('quic.cc.reason_phrase.length');
          if (c.pos + len > to) throw new FrameOverrun(c.pos);
          c.utf8('quic.cc.reason_phrase', len);
        } else if (type === 0x30 || type === 0x31) {
          const len = type === 0x31 ? v('quic.dg.length') : to - c.pos;
          b('quic.dg', len);
        } else if (type === 0xaf) {
          v('quic.af.sequence_number');
          v('quic.af.ack_eliciting_threshold');
          v('quic.af.request_max_ack_delay');
          if (c.pos + 1 > to) throw new FrameOverrun(c.pos);
          c.u8('quic.af.last_byte');
        } else if (type === 0x2f5) {
          v('quic.ts');
        }
        return type;
      }, -1, () => name);
      inFrame = false;
      g.parts.push(label);
    }
  } catch (e) {
    if (!(e instanceof FrameOverrun)) throw e;
    // Close the frame's group (the only one open: nested reads signal through the driver).
    if (inFrame && c.mode !== 'summary') c.close(0);
    c.expert('warning', 'a QUIC frame runs past the end of its packet', 'quic.frame', e.at);
    c.pos = to;
  }
}

/** The keys of one level and direction, derived on first use (null when the secret is not known). */
function keysFor(c: Cursor, conn: Connection, epoch: Epoch, dir: Dir, suite: CipherSuite | undefined): PacketKeys | undefined {
  if (epoch === EPOCH.INITIAL) return conn.initial[dir];
  const idx = epoch * 2 + dir;
  const known = conn.keys[idx];
  if (known !== undefined) return known ?? undefined;
  const label = SECRET_LABELS[epoch][dir];
  const keyLog = c.keyLog;
  if (label === undefined || keyLog === undefined || conn.clientRandom === undefined || suite === undefined) return undefined;
  const secret = keyLog.secret(label, conn.clientRandom);
  // Not remembered as missing: a secrets block later in the capture may still bring it.
  if (secret === undefined) return undefined;
  if (secret.length !== suite.hashLength) {
    conn.keys[idx] = null;
    return undefined;
  }
  const keys = packetKeys(suite, secret, conn.version);
  conn.keys[idx] = keys;
  if (epoch === EPOCH.ONE_RTT) {
    conn.appSecrets[dir] = [secret];
    conn.appKeys[dir] = [keys];
  }
  return keys;
}

/** 1-RTT keys of generation `gen` (key updates derive each from the one before). */
function appKeys(conn: Connection, dir: Dir, gen: number): PacketKeys | undefined {
  const secrets = conn.appSecrets[dir];
  const keys = conn.appKeys[dir];
  if (gen < 0 || gen > MAX_KEY_UPDATES || keys.length === 0) return undefined;
  const suite = keys[0]!.suite;
  while (keys.length <= gen) {
    const s = nextTrafficSecret(suite, secrets[secrets.length - 1]!, conn.version);
    secrets.push(s);
    const k = packetKeys(suite, s, conn.version);
    // Header protection keys do not change with key updates (RFC 9001 section 6).
    keys.push({ ...k, hp: keys[0]!.hp });
  }
  return keys[gen];
}

interface Opened {
  readonly plain: Buffer;
  readonly pn: number;
  readonly pnLength: number;
  readonly first: number;
}

/** Removes protection from the packet at `start` (packet number at `pnOffset`, ends at `end`). */
function openPacket(d: Uint8Array, start: number, pnOffset: number, end: number, keys: PacketKeys, largest: number): Opened | undefined {
  const h = removeHeaderProtection(d, start, pnOffset, end, keys);
  if (h === undefined) return undefined;
  const pn = decodePacketNumber(largest, h.truncatedPn, h.pnLength);
  const plain = openPayload(keys, pn, h.header, d.subarray(pnOffset + h.pnLength, end));
  return plain === undefined ? undefined : { plain, pn, pnLength: h.pnLength, first: h.first };
}

/** 1-RTT packets: the current key generation, the next one if the key phase bit flipped, the one before. */
function openOneRtt(d: Uint8Array, start: number, pnOffset: number, end: number, conn: Connection, dir: Dir): Opened | undefined {
  const base = appKeys(conn, dir, 0);
  if (base === undefined) return undefined;
  const h = removeHeaderProtection(d, start, pnOffset, end, base);
  if (h === undefined) return undefined;
  const phase = (h.first >> 2) & 1;
  const cur = conn.generation[dir];
  const tries = (cur & 1) === phase ? [cur] : [cur + 1, cur - 1];
  const pn = decodePacketNumber(conn.largest[2 * 2 + dir]!, h.truncatedPn, h.pnLength);
  for (const gen of tries) {
    const keys = appKeys(conn, dir, gen);
    if (keys === undefined) continue;
    const plain = openPayload(keys, pn, h.header, d.subarray(pnOffset + h.pnLength, end));
    if (plain !== undefined) {
      if (gen > cur) conn.generation[dir] = gen;
      return { plain, pn, pnLength: h.pnLength, first: h.first };
    }
  }
  return undefined;
}

/** Packet number space of a level: Initial, Handshake, application data (0-RTT and 1-RTT). */
const SPACE: Record<Epoch, number> = { [EPOCH.INITIAL]: 0, [EPOCH.ZERO_RTT]: 2, [EPOCH.HANDSHAKE]: 1, [EPOCH.ONE_RTT]: 2 };

/**
 * Reads a decrypted payload: the frames are read from a copy of the frame with the plaintext
 * laid over the ciphertext, so every field sits over the bytes it was decrypted from.
 */
function readPlain(c: Cursor, g: Datagram, conn: Connection, epoch: Epoch, dir: Dir, opened: Opened, from: number, to: number): void {
  const overlay = Uint8Array.from(g.wire);
  overlay.set(opened.plain, from);
  const time = c.time;
  const frameNumber = c.frameNumber;
  c.resetFrame(overlay, time, frameNumber);
  try {
    readFrames(c, g, conn, epoch, dir, to);
  } finally {
    c.resetFrame(g.wire, time, frameNumber);
  }
}

function newConnection(version: number, client: string, dcid: Uint8Array, scid: Uint8Array, initial: readonly [PacketKeys, PacketKeys]): Connection {
  return {
    version,
    client,
    originalDcid: Uint8Array.from(dcid),
    initial,
    clientCid: Uint8Array.from(scid),
    serverCid: undefined,
    clientRandom: undefined,
    offered: [],
    suite: undefined,
    keys: [],
    appSecrets: [[], []],
    appKeys: [[], []],
    generation: [0, 0],
    largest: [-1, -1, -1, -1, -1, -1],
    crypto: [],
  };
}

/** Initial keys of both sides from a client's first DCID (undefined for versions without a known salt). */
function initialPair(version: number, dcid: Uint8Array): readonly [PacketKeys, PacketKeys] | undefined {
  const client = initialKeys(version, dcid, 'client');
  const server = initialKeys(version, dcid, 'server');
  return client === undefined || server === undefined ? undefined : [client, server];
}

/** Reads one long-header packet; returns false when nothing can follow it in the datagram. */
function readLongPacket(c: Cursor, g: Datagram): boolean {
  const d = c.data;
  const start = c.pos;
  const first = c.peek8();
  const version = c.peek32(1);
  const v2 = version === V2;
  c.bits('quic.header_form', 1, 0x80);
  c.flag('quic.fixed_bit', 1, 0x40);
  if (version !== 0) c.bits(v2 ? 'quic.long.packet_type_v2' : 'quic.long.packet_type', 1, 0x30);
  c.skip(1);
  c.u32('quic.version');
  const dl = c.u8('quic.dcil');
  const dcid = c.bytes('quic.dcid', dl);
  const sl = c.u8('quic.scil');
  const scid = c.bytes('quic.scid', sl);
  const cidText = dl > 0 ? `DCID=${hexOf(dcid)}` : `SCID=${hexOf(scid)}`;
  if (version === 0) {
    g.parts = ['Version Negotiation', cidText];
    let n = 0;
    while (c.pos + 4 <= c.capEnd && n++ < 256) c.u32('quic.supported_version');
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return false;
  }
  const typeName: LongType = (v2 ? TYPES_V2 : TYPES_V1)[(first & 0x30) >> 4]!;
  g.parts = [typeName, cidText];
  if (typeName === 'Retry') {
    const rest = c.capEnd - c.pos;
    if (rest > 16) c.bytes('quic.retry_token', rest - 16);
    if (c.capEnd - c.pos >= 16) c.bytes('quic.retry_integrity_tag', 16);
    else if (c.pos < c.capEnd) c.bytes('quic.remaining_payload', c.capEnd - c.pos);
    return false;
  }
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
  const whole = pnOffset + ln![0] <= c.capEnd;
  const end = Math.min(c.capEnd, pnOffset + ln![0]);
  const epoch: Epoch = typeName === 'Initial' ? EPOCH.INITIAL : typeName === 'Handshake' ? EPOCH.HANDSHAKE : EPOCH.ZERO_RTT;

  let opened: Opened | undefined;
  let tried = false;
  let dir: Dir = 0;
  let conn = g.conn;
  if (whole) {
    const ends = g.ends;
    dir = conn !== undefined && ends !== undefined && ends.src !== conn.client ? 1 : 0;
    if (conn !== undefined) {
      const space = SPACE[epoch] * 2 + dir;
      if (epoch === EPOCH.ZERO_RTT) {
        // 0-RTT keys use the resumed session's suite: the ServerHello's if seen, else one offered.
        const suites = conn.suite !== undefined ? [conn.suite] : conn.offered.map((id) => CIPHER_SUITES.get(id)).filter((s) => s !== undefined);
        for (const suite of suites.slice(0, 3)) {
          const label = SECRET_LABELS[EPOCH.ZERO_RTT][0];
          const secret = c.keyLog !== undefined && conn.clientRandom !== undefined && c.keyLog.size > 0 ? c.keyLog.secret(label, conn.clientRandom) : undefined;
          if (secret === undefined || secret.length !== suite.hashLength || dir !== 0) break;
          tried = true;
          opened = openPacket(d, start, pnOffset, end, packetKeys(suite, secret, conn.version), conn.largest[space]!);
          if (opened !== undefined) break;
        }
      } else if (epoch === EPOCH.INITIAL || (c.keyLog !== undefined && c.keyLog.size > 0)) {
        const keys = keysFor(c, conn, epoch, dir, conn.suite);
        if (keys !== undefined) {
          tried = true;
          opened = openPacket(d, start, pnOffset, end, keys, conn.largest[space]!);
        }
      }
    }
    if (opened === undefined && epoch === EPOCH.INITIAL && dir === 0) {
      // A client's first Initial (or one opening a new connection on the same ports).
      const pair = initialPair(version, dcid);
      const o = pair === undefined ? undefined : openPacket(d, start, pnOffset, end, pair[0], -1);
      if (o !== undefined && pair !== undefined && ends !== undefined) {
        conn = newConnection(version, ends.src, dcid, scid, pair);
        g.conn = conn;
        remember(g.table.byUdp, convKey(ends), conn, MAX_CONNECTIONS);
        addCid(g.table, scid, conn);
        addCid(g.table, dcid, conn);
        opened = o;
      } else if (o !== undefined && pair !== undefined) {
        // Not over UDP and IP: the packet is read, nothing is remembered.
        conn = newConnection(version, '', dcid, scid, pair);
        opened = o;
      } else if (pair !== undefined) {
        tried = true;
      }
    }
    if (opened !== undefined && conn !== undefined) {
      const space = SPACE[epoch] * 2 + dir;
      if (opened.pn > conn.largest[space]!) conn.largest[space] = opened.pn;
      if (dir === 1 && conn.serverCid === undefined && scid.length > 0) {
        conn.serverCid = Uint8Array.from(scid);
        addCid(g.table, scid, conn);
      }
    }
  }
  if (opened !== undefined) {
    const o = opened;
    c.add('quic.packet_number', o.pn, pnOffset, o.pnLength);
    g.parts.push(`PKN: ${o.pn}`);
    const from = pnOffset + o.pnLength;
    const to = end - 16;
    c.seek(from);
    const sealed = g.wire.subarray(from, end);
    const owner = conn!;
    c.group('quic.payload', () => {
      readPlain(c, g, owner, epoch, dir, o, from, to);
      c.seek(end);
      return sealed;
    }, end - from, () => `Payload (${end - from} bytes, decrypted)`);
  } else {
    if (tried) c.expert('note', `${typeName} packet could not be decrypted`, 'quic.decryption_failed', pnOffset);
    if (end > c.pos) c.bytes('quic.remaining_payload', end - c.pos);
  }
  return whole;
}

/** Reads one short-header (1-RTT) packet, which runs to the end of the datagram. */
function readShortPacket(c: Cursor, g: Datagram): void {
  const d = c.data;
  const start = c.pos;
  const end = c.capEnd;
  let conn = g.conn;
  let dcidLen: number | undefined;
  const byCid = connectionByCid(g.table, d, start + 1, end);
  if (byCid !== undefined && (conn === undefined || byCid[0] === conn)) {
    conn = byCid[0];
    dcidLen = byCid[1];
  }
  if (conn === undefined) {
    c.group('quic.short', () => {
      c.bits('quic.header_form', 1, 0x80);
      c.flag('quic.fixed_bit', 1, 0x40);
      c.flag('quic.spin_bit', 1, 0x20);
      c.skip(1);
      return 0;
    }, 1, () => 'QUIC Short Header (unknown connection)');
    c.expert('note', 'short header of an unknown QUIC connection', 'quic.connection.unknown', start);
    if (c.pos < end) c.bytes('quic.remaining_payload', end - c.pos);
    g.parts = ['Protected Payload'];
    return;
  }
  const dir: Dir = g.ends !== undefined && g.ends.src !== conn.client ? 1 : 0;
  dcidLen ??= dir === 1 ? conn.clientCid.length : (conn.serverCid?.length ?? 0);
  const pnOffset = start + 1 + dcidLen;
  let opened: Opened | undefined;
  let tried = false;
  // A datagram cut by the snaplen cannot authenticate: not tried.
  if (c.keyLog !== undefined && c.keyLog.size > 0 && pnOffset < end && c.capEnd >= c.repEnd) {
    if (keysFor(c, conn, EPOCH.ONE_RTT, dir, conn.suite) !== undefined) {
      tried = true;
      opened = openOneRtt(d, start, pnOffset, end, conn, dir);
    }
  }
  const o = opened;
  c.group('quic.short', () => {
    c.bits('quic.header_form', 1, 0x80);
    c.flag('quic.fixed_bit', 1, 0x40);
    c.flag('quic.spin_bit', 1, 0x20);
    if (o !== undefined) c.add('quic.key_phase', (o.first & 0x04) !== 0, start, 0);
    c.skip(1);
    const dcid = c.bytes('quic.dcid', dcidLen);
    if (o !== undefined) c.add('quic.packet_number', o.pn, pnOffset, o.pnLength);
    g.parts = [`Protected Payload (KP${o === undefined ? '?' : (o.first >> 2) & 1})`, `DCID=${hexOf(dcid)}`];
    return 0;
  }, o === undefined ? 1 + dcidLen : 1 + dcidLen + o.pnLength, () => `QUIC Short Header DCID=${hexOf(d.subarray(start + 1, start + 1 + dcidLen))}${o === undefined ? '' : ` PKN=${o.pn}`}`);
  if (o === undefined) {
    if (tried) c.expert('note', '1-RTT packet could not be decrypted', 'quic.decryption_failed', pnOffset);
    if (c.pos < end) c.bytes('quic.protected_payload', end - c.pos);
    return;
  }
  const space = 2 * 2 + dir;
  if (o.pn > conn.largest[space]!) conn.largest[space] = o.pn;
  g.parts.push(`PKN: ${o.pn}`);
  const from = pnOffset + o.pnLength;
  const sealed = g.wire.subarray(from, end);
  c.seek(from);
  c.group('quic.protected_payload', () => {
    readPlain(c, g, conn, EPOCH.ONE_RTT, dir, o, from, end - 16);
    c.seek(end);
    return sealed;
  }, end - from, () => `Protected Payload (${end - from} bytes, decrypted)`);
}

export const quic = defineProtocol({
  id: 'quic',
  name: 'QUIC IETF',
  short: 'QUIC',
  heuristics: [{ table: 'udp.port', test: looksLikeQuic }],
  fields: {
    'quic.packet_length': { label: 'Packet Length', type: 'u32' },
    'quic.header_form': { label: 'Header Form', type: 'u8', mask: 0x80 },
    'quic.fixed_bit': { label: 'Fixed Bit', type: 'bool', mask: 0x40 },
    'quic.spin_bit': { label: 'Spin Bit', type: 'bool', mask: 0x20 },
    'quic.key_phase': { label: 'Key Phase Bit', type: 'bool' },
    'quic.long.packet_type': { label: 'Packet Type', type: 'u8', mask: 0x30 },
    'quic.long.packet_type_v2': { label: 'Packet Type', type: 'u8', mask: 0x30 },
    'quic.version': { label: 'Version', type: 'u32', base: 'hex' },
    'quic.supported_version': { label: 'Supported Version', type: 'u32', base: 'hex' },
    'quic.dcil': { label: 'Destination Connection ID Length', type: 'u8' },
    'quic.dcid': { label: 'Destination Connection ID', type: 'bytes' },
    'quic.scil': { label: 'Source Connection ID Length', type: 'u8' },
    'quic.scid': { label: 'Source Connection ID', type: 'bytes' },
    'quic.token_length': { label: 'Token Length', type: 'u64' },
    'quic.token': { label: 'Token', type: 'bytes' },
    'quic.length': { label: 'Length', type: 'u64' },
    'quic.packet_number': { label: 'Packet Number', type: 'u64' },
    'quic.short': { label: 'QUIC Short Header', type: 'none' },
    'quic.payload': { label: 'Payload', type: 'bytes' },
    'quic.protected_payload': { label: 'Protected Payload', type: 'bytes' },
    'quic.remaining_payload': { label: 'Remaining Payload', type: 'bytes' },
    'quic.retry_token': { label: 'Retry Token', type: 'bytes' },
    'quic.retry_integrity_tag': { label: 'Retry Integrity Tag', type: 'bytes' },
    'quic.decryption_failed': { label: 'Failed to decrypt handshake', type: 'none' },
    'quic.connection.unknown': { label: 'Unknown QUIC connection', type: 'none' },
    'quic.frame': { label: 'Frame', type: 'none' },
    'quic.frame_type': { label: 'Frame Type', type: 'u64', values: FRAME_TYPES },
    'quic.padding_length': { label: 'Padding Length', type: 'u32' },
    'quic.ack.largest_acknowledged': { label: 'Largest Acknowledged', type: 'u64' },
    'quic.ack.ack_delay': { label: 'ACK Delay', type: 'u64' },
    'quic.ack.ack_range_count': { label: 'ACK Range Count', type: 'u64' },
    'quic.ack.first_ack_range': { label: 'First ACK Range', type: 'u64' },
    'quic.ack.gap': { label: 'Gap', type: 'u64' },
    'quic.ack.ack_range': { label: 'ACK Range', type: 'u64' },
    'quic.ack.ect0_count': { label: 'ECT(0) Count', type: 'u64' },
    'quic.ack.ect1_count': { label: 'ECT(1) Count', type: 'u64' },
    'quic.ack.ecn_ce_count': { label: 'ECN-CE Count', type: 'u64' },
    'quic.rsts.stream_id': { label: 'Stream ID', type: 'u64' },
    'quic.rsts.application_error_code': { label: 'Application Error code', type: 'u64' },
    'quic.rsts.final_size': { label: 'Final Size', type: 'u64' },
    'quic.ss.stream_id': { label: 'Stream ID', type: 'u64' },
    'quic.ss.application_error_code': { label: 'Application Error code', type: 'u64' },
    'quic.crypto.offset': { label: 'Offset', type: 'u64' },
    'quic.crypto.length': { label: 'Length', type: 'u64' },
    'quic.nt.length': { label: '(Token) Length', type: 'u64' },
    'quic.nt.token': { label: 'Token', type: 'bytes' },
    'quic.stream.fin': { label: 'Fin', type: 'bool', mask: 0x01 },
    'quic.stream.len': { label: 'Len(gth)', type: 'bool', mask: 0x02 },
    'quic.stream.off': { label: 'Off(set)', type: 'bool', mask: 0x04 },
    'quic.stream.stream_id': { label: 'Stream ID', type: 'u64' },
    'quic.stream.offset': { label: 'Offset', type: 'u64' },
    'quic.stream.length': { label: 'Length', type: 'u64' },
    'quic.stream_data': { label: 'Stream Data', type: 'bytes' },
    'quic.md.maximum_data': { label: 'Maximum Data', type: 'u64' },
    'quic.msd.stream_id': { label: 'Stream ID', type: 'u64' },
    'quic.msd.maximum_stream_data': { label: 'Maximum Stream Data', type: 'u64' },
    'quic.ms.max_streams': { label: 'Max Streams', type: 'u64' },
    'quic.sb.stream_data_limit': { label: 'Stream Data Limit', type: 'u64' },
    'quic.sdb.stream_id': { label: 'Stream ID', type: 'u64' },
    'quic.sib.stream_limit': { label: 'Stream Limit', type: 'u64' },
    'quic.nci.sequence': { label: 'Sequence', type: 'u64' },
    'quic.nci.retire_prior_to': { label: 'Retire Prior To', type: 'u64' },
    'quic.nci.connection_id.length': { label: 'Connection ID Length', type: 'u8' },
    'quic.nci.connection_id': { label: 'Connection ID', type: 'bytes' },
    'quic.nci.stateless_reset_token': { label: 'Stateless Reset Token', type: 'bytes' },
    'quic.rci.sequence': { label: 'Sequence', type: 'u64' },
    'quic.path_challenge.data': { label: 'Data', type: 'bytes' },
    'quic.path_response.data': { label: 'Data', type: 'bytes' },
    'quic.cc.error_code': { label: 'Error code', type: 'u64' },
    'quic.cc.error_code.app': { label: 'Application Error code', type: 'u64' },
    'quic.cc.frame_type': { label: 'Frame Type', type: 'u64' },
    'quic.cc.reason_phrase.length': { label: 'Reason phrase Length', type: 'u64' },
    'quic.cc.reason_phrase': { label: 'Reason phrase', type: 'string' },
    'quic.dg.length': { label: 'Datagram Length', type: 'u64' },
    'quic.dg': { label: 'Datagram', type: 'bytes' },
    'quic.af.sequence_number': { label: 'Sequence Number', type: 'u64' },
    'quic.af.ack_eliciting_threshold': { label: 'Ack-Eliciting Threshold', type: 'u64' },
    'quic.af.request_max_ack_delay': { label: 'Request Max Ack Delay', type: 'u64' },
    'quic.af.last_byte': { label: 'Last Byte', type: 'u8', base: 'hex' },
    'quic.ts': { label: 'Time Stamp', type: 'u64' },
  },
  dissect(c) {
    const ends = udpEnds(c.below);
    const table = c.session(SESSION, newTable);
    const g: Datagram = {
      table,
      ends,
      conn: ends === undefined ? undefined : table.byUdp.get(convKey(ends)),
      wire: c.data,
      tls: { tls13: true, version: 0x0304, parts: [] },
      parts: [],
      sni: undefined,
    };
    c.provisional = () => g.parts.join(', ');
    let version: number | undefined;
    let type: string | undefined;
    let n = 0;
    while (c.pos < c.capEnd && n++ < MAX_PACKETS) {
      const start = c.pos;
      const long = (c.data[start]! & 0x80) !== 0;
      if (long && n > 1 && !looksLikeQuic(c.data, start, c.capEnd)) {
        // Bytes after the last packet of a datagram that are not another packet.
        c.bytes('quic.remaining_payload', c.capEnd - start);
        break;
      }
      let more = true;
      c.group('quic.packet_length', () => {
        if (long) {
          version ??= c.peek32(1);
          more = readLongPacket(c, g);
          type ??= g.parts[0];
        } else {
          readShortPacket(c, g);
          more = false;
          type ??= '1-RTT';
        }
        return c.pos - start;
      }, -1, (len) => `QUIC ${long ? g.parts[0] : 'Short Header'} packet, ${String(len)} bytes`);
      if (!more) break;
    }
    if (c.pos < c.capEnd) c.bytes('quic.remaining_payload', c.capEnd - c.pos);
    const parts = g.parts;
    return {
      summary: () => parts.join(', '),
      info: { version, type, sni: g.sni },
    };
  },
});
