import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { carryingTcpPorts, setConversationDissector } from './tcp.js';

/**
 * Transport Layer Security over TCP, record by record, as tshark 4.0 shows a segment with
 * record reassembly off: every record whose header is in the segment (content type, version,
 * length), handshake messages (hellos with their extensions, certificates), change cipher
 * spec, alerts and application data. Without keys nothing is decrypted; an encrypted
 * handshake message is recognised the way tshark does (its type makes no sense).
 *
 * Once a ServerHello selects TLS 1.3, the TCP connection is remembered as TLS 1.3 (in the
 * dissector's per-capture session store): from then on application data records carry
 * `tls.record.opaque_type`, as in tshark.
 */

const CONTENT_TYPES: Record<number, string> = {
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
  24: 'Heartbeat',
};

export const HANDSHAKE_TYPES: Record<number, string> = {
  0: 'Hello Request',
  1: 'Client Hello',
  2: 'Server Hello',
  3: 'Hello Verify Request',
  4: 'New Session Ticket',
  5: 'End of Early Data',
  6: 'Hello Retry Request',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  12: 'Server Key Exchange',
  13: 'Certificate Request',
  14: 'Server Hello Done',
  15: 'Certificate Verify',
  16: 'Client Key Exchange',
  17: 'Client Certificate Request',
  20: 'Finished',
  21: 'Certificate URL',
  22: 'Certificate Status',
  23: 'Supplemental Data',
  24: 'Key Update',
  25: 'Compressed Certificate',
  26: 'EKT Key',
  67: 'Encrypted Extensions',
  254: 'Message Hash',
};

const VERSIONS: Record<number, string> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
  0x0101: 'GMTLS',
};

/** Protocol column names by version. */
const SHORT_NAMES: Record<number, string> = {
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
  0x0101: 'GMTLS',
};

const EXTENSIONS: Record<number, string> = {
  0: 'server_name',
  1: 'max_fragment_length',
  5: 'status_request',
  10: 'supported_groups',
  11: 'ec_point_formats',
  13: 'signature_algorithms',
  16: 'application_layer_protocol_negotiation',
  18: 'signed_certificate_timestamp',
  21: 'padding',
  22: 'encrypt_then_mac',
  23: 'extended_master_secret',
  27: 'compress_certificate',
  35: 'session_ticket',
  41: 'pre_shared_key',
  42: 'early_data',
  43: 'supported_versions',
  45: 'psk_key_exchange_modes',
  51: 'key_share',
  57: 'quic_transport_parameters',
  65281: 'renegotiation_info',
};

const ALERT_LEVELS: Record<number, string> = { 1: 'Warning', 2: 'Fatal' };

/** The stream index of the TCP connection below, if any. */
/** What one TCP stream's earlier records said: the version negotiated. */
interface StreamState {
  readonly tls13: boolean;
  readonly version: number;
}
/** Most TCP streams whose TLS version is remembered (the oldest is forgotten first). */
const MAX_TLS_STREAMS = 300_000;
const newStreamTable = (): Map<number, StreamState> => new Map();

function tcpStream(c: Cursor): number | undefined {
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'tcp') return l.info['stream'] as number | undefined;
  }
  return undefined;
}

/** TLS 1.3 and its drafts as ServerHello's supported_versions says them. */
function isTls13(v: number): boolean {
  return v === 0x0304 || (v & 0xff00) === 0x7f00 || (v & 0xff00) === 0xfb00;
}

/** Most records read from one segment, handshake messages from one record, items from one list. */
const MAX_RECORDS = 256;
const MAX_MESSAGES = 64;
const MAX_ITEMS = 1024;

/** tshark's test that a record header starts here (ssl_looks_like_sslv3). */
function looksLikeRecord(d: Uint8Array, p: number, end: number): boolean {
  if (p + 3 > end) return false;
  const type = d[p]!;
  if (type < 20 || type > 24) return false;
  const v = (d[p + 1]! << 8) | d[p + 2]!;
  return v === 0x0300 || v === 0x0301 || v === 0x0302 || v === 0x0303 || v === 0x0101;
}

/** tshark's TCP heuristic (is_sslv3_or_tls): a handshake or application-data record header. */
export function looksLikeTls(d: Uint8Array, p: number, end: number): boolean {
  if (p + 5 > end) return false;
  const type = d[p]!;
  if (type !== 22 && type !== 23) return false;
  const v = (d[p + 1]! << 8) | d[p + 2]!;
  if (v !== 0x0300 && v !== 0x0301 && v !== 0x0302 && v !== 0x0303 && v !== 0x0101) return false;
  const len = (d[p + 3]! << 8) | d[p + 4]!;
  return len !== 0 && len < 16384 + 2048;
}

export interface TlsState {
  /** The session is TLS 1.3 (a ServerHello selected it). */
  tls13: boolean;
  /** Version for the Protocol column. */
  version: number;
  sni?: string;
  alpn?: string[];
  cipher?: number;
  parts: string[];
  /** What the tls table reads: which hellos were seen, their version fields, what a client offered. */
  clientHello?: boolean;
  serverHello?: boolean;
  helloVersion?: number;
  offeredVersions?: number[];
  offeredCiphers?: number[];
  selectedVersion?: number;
}

/** Reads a vector of `count` bytes of 16-bit values under one key. */
function u16List(c: Cursor, key: string, end: number): number[] {
  const out: number[] = [];
  let n = 0;
  while (c.pos + 2 <= end && n++ < MAX_ITEMS) out.push(c.u16(key));
  if (c.pos < end) c.skip(end - c.pos);
  return out;
}

function readExtension(c: Cursor, hsType: number, st: TlsState): void {
  const at = c.pos;
  const type = c.peek16();
  const len = c.peek16(2);
  const name = EXTENSIONS[type] ?? 'Unknown';
  c.group('tls.handshake.extension', () => {
    c.u16('tls.handshake.extension.type');
    c.u16('tls.handshake.extension.len');
    const end = at + 4 + len;
    if (type === 0 && len >= 2 && hsType === 1) {
      const listLen = c.u16('tls.handshake.extensions_server_name_list_len');
      const listEnd = Math.min(end, c.pos + listLen);
      let n = 0;
      while (c.pos + 3 <= listEnd && n++ < 16) {
        c.u8('tls.handshake.extensions_server_name_type');
        const nl = c.u16('tls.handshake.extensions_server_name_len');
        const sni = c.ascii('tls.handshake.extensions_server_name', nl);
        st.sni ??= sni;
      }
    } else if (type === 16 && len >= 2) {
      const listLen = c.u16('tls.handshake.extensions_alpn_len');
      const listEnd = Math.min(end, c.pos + listLen);
      let n = 0;
      const names: string[] = [];
      while (c.pos + 1 <= listEnd && n++ < 64) {
        const sl = c.u8('tls.handshake.extensions_alpn_str_len');
        names.push(c.ascii('tls.handshake.extensions_alpn_str', sl));
      }
      st.alpn = names;
    } else if (type === 43 && len >= 1) {
      if (hsType === 1) {
        const l = c.u8('tls.handshake.extensions.supported_versions_len');
        st.offeredVersions ??= u16List(c, 'tls.handshake.extensions.supported_version', Math.min(end, c.pos + l));
      } else if (len >= 2) {
        const v = c.u16('tls.handshake.extensions.supported_version');
        if (hsType === 2) st.selectedVersion ??= v;
        if (hsType === 2 && isTls13(v)) {
          st.tls13 = true;
          st.version = 0x0304;
        }
      }
    } else if (type === 10 && len >= 2) {
      const l = c.u16('tls.handshake.extensions_supported_groups_length');
      u16List(c, 'tls.handshake.extensions_supported_group', Math.min(end, c.pos + l));
    } else if (type === 13 && len >= 2) {
      const l = c.u16('tls.handshake.sig_hash_alg_len');
      u16List(c, 'tls.handshake.sig_hash_alg', Math.min(end, c.pos + l));
    } else if (type === 51 && len >= 2) {
      if (hsType === 1) {
        const l = c.u16('tls.handshake.extensions_key_share_client_length');
        const listEnd = Math.min(end, c.pos + l);
        let n = 0;
        while (c.pos + 4 <= listEnd && n++ < 64) {
          c.u16('tls.handshake.extensions_key_share_group');
          const kl = c.u16('tls.handshake.extensions_key_share_key_exchange_length');
          c.bytes('tls.handshake.extensions_key_share_key_exchange', kl);
        }
      } else if (len === 2) {
        c.u16('tls.handshake.extensions_key_share_selected_group');
      } else if (len >= 4) {
        c.u16('tls.handshake.extensions_key_share_group');
        const kl = c.u16('tls.handshake.extensions_key_share_key_exchange_length');
        c.bytes('tls.handshake.extensions_key_share_key_exchange', kl);
      }
    }
    if (c.pos < end) c.bytes('tls.handshake.extension.data', end - c.pos);
    return type;
  }, 4 + len, () => `Extension: ${name} (len=${len})`);
}

function readHello(c: Cursor, hsType: number, msgEnd: number, st: TlsState): void {
  const helloVersion = c.u16('tls.handshake.version');
  if (hsType === 1) st.clientHello = true;
  else st.serverHello = true;
  st.helloVersion ??= helloVersion;
  c.bytes('tls.handshake.random', 32);
  const sidLen = c.u8('tls.handshake.session_id_length');
  if (sidLen > 0) c.bytes('tls.handshake.session_id', sidLen);
  if (hsType === 1) {
    const csLen = c.u16('tls.handshake.cipher_suites_length');
    const csEnd = c.pos + csLen;
    c.group('tls.handshake.ciphersuites', () => {
      st.offeredCiphers ??= u16List(c, 'tls.handshake.ciphersuite', csEnd);
      return csLen;
    }, csLen, () => `Cipher Suites (${csLen >> 1} suites)`);
    const cmLen = c.u8('tls.handshake.comp_methods_length');
    c.group('tls.handshake.comp_methods', () => {
      for (let i = 0; i < cmLen; i++) c.u8('tls.handshake.comp_method');
      return cmLen;
    }, cmLen, () => `Compression Methods (${cmLen} method${cmLen === 1 ? '' : 's'})`);
  } else {
    st.cipher = c.u16('tls.handshake.ciphersuite');
    c.u8('tls.handshake.comp_method');
  }
  if (c.pos + 2 > msgEnd) return;
  const extLen = c.u16('tls.handshake.extensions_length');
  const extEnd = Math.min(msgEnd, c.pos + extLen);
  let n = 0;
  while (c.pos + 4 <= extEnd && n++ < MAX_ITEMS) readExtension(c, hsType, st);
}

function readCertificates(c: Cursor, msgEnd: number): void {
  const total = c.u24('tls.handshake.certificates_length');
  const end = Math.min(msgEnd, c.pos + total);
  c.group('tls.handshake.certificates', () => {
    let n = 0;
    while (c.pos + 3 <= end && n++ < MAX_ITEMS) {
      const l = c.u24('tls.handshake.certificate_length');
      c.bytes('tls.handshake.certificate', l);
    }
    return total;
  }, total, () => `Certificates (${total} bytes)`);
}

/** tshark's is_encrypted_handshake_message (no keys: "maybe encrypted" is always true). */
function encryptedHandshake(d: Uint8Array, p: number, recordLen: number, capEnd: number): boolean {
  if (recordLen < 16) return false;
  if (p + 5 <= capEnd && d[p] === 0 && d[p + 1] === 0 && d[p + 2] === 0 && d[p + 3] === 0 && d[p + 4] === 0) return true;
  if (p + 4 > capEnd) return false;
  if (HANDSHAKE_TYPES[d[p]!] === undefined) return true;
  return ((d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >= 0x10000;
}

function readHandshake(c: Cursor, recordEnd: number, st: TlsState): void {
  const d = c.data;
  if (encryptedHandshake(d, c.pos, recordEnd - c.pos, c.capEnd)) {
    st.parts.push('Encrypted Handshake Message');
    const n = Math.min(recordEnd, c.capEnd) - c.pos;
    c.bytes('tls.handshake.encrypted', n);
    return;
  }
  let n = 0;
  while (c.pos < recordEnd && n++ < MAX_MESSAGES) {
    const at = c.pos;
    const avail = recordEnd - at;
    const msgLen = avail >= 4 && at + 4 <= c.capEnd ? 4 + ((d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) : 0;
    if (msgLen === 0 || avail < msgLen) {
      // The message continues in a later record: a fragment, its type is not shown.
      if (at < c.capEnd) {
        const name = HANDSHAKE_TYPES[d[at]!] ?? 'Encrypted Handshake Message';
        if (n === 1) st.parts.push(`[${name} Fragment]`);
      }
      c.skip(Math.min(recordEnd, c.capEnd) - c.pos);
      return;
    }
    readHandshakeMessage(c, msgLen, st);
  }
}

/**
 * Reads the whole handshake message of `msgLen` bytes at the cursor (type, length, hello
 * fields, TLS 1.2 certificates). TLS records and QUIC CRYPTO frames both carry them.
 */
export function readHandshakeMessage(c: Cursor, msgLen: number, st: TlsState): void {
  const at = c.pos;
  const type = c.data[at]!;
  const name = HANDSHAKE_TYPES[type] ?? `Unknown (${type})`;
  st.parts.push(name);
  c.group('tls.handshake', () => {
    c.u8('tls.handshake.type');
    c.u24('tls.handshake.length');
    const end = at + msgLen;
    if ((type === 1 || type === 2) && msgLen >= 4 + 35) readHello(c, type, end, st);
    else if (type === 11 && msgLen >= 7 && !st.tls13) readCertificates(c, end);
    if (c.pos < end) c.skip(end - c.pos);
    return type;
  }, msgLen, () => `Handshake Protocol: ${name}`);
}

function readRecord(c: Cursor, st: TlsState): boolean {
  const d = c.data;
  const at = c.pos;
  if (!looksLikeRecord(d, at, c.capEnd)) {
    st.parts.push('Continuation Data');
    c.skip(c.capEnd - c.pos);
    return false;
  }
  // With reassembly off, tshark shows nothing of a record the segment does not hold whole.
  if (at + 5 > c.repEnd || at + 5 + ((d[at + 3]! << 8) | d[at + 4]!) > c.repEnd) {
    c.skip(c.capEnd - c.pos);
    return false;
  }
  const type = d[at]!;
  const appData = type === 23 && st.tls13;
  const len = at + 5 <= c.capEnd ? (d[at + 3]! << 8) | d[at + 4]! : 0;
  const recVersion = at + 3 <= c.capEnd ? (d[at + 1]! << 8) | d[at + 2]! : 0;
  const name = SHORT_NAMES[st.tls13 ? 0x0304 : recVersion] ?? 'TLS';
  if (!st.tls13 && st.version === 0) st.version = recVersion;
  c.group('tls.record', () => {
    c.u8(appData ? 'tls.record.opaque_type' : 'tls.record.content_type');
    c.u16('tls.record.version');
    c.u16('tls.record.length');
    const end = c.pos + len;
    if (type === 22) readHandshake(c, end, st);
    else if (type === 20) {
      st.parts.push('Change Cipher Spec');
      if (len > 0) c.bytes('tls.change_cipher_spec', Math.min(len, c.capEnd - c.pos));
    } else if (type === 21) {
      if (len === 2 && c.has(2)) {
        const level = c.u8('tls.alert_message.level');
        const desc = c.u8('tls.alert_message.desc');
        st.parts.push(`Alert (Level: ${ALERT_LEVELS[level] ?? 'Unknown'}, Description: ${desc})`);
      } else {
        st.parts.push('Encrypted Alert');
        c.bytes('tls.alert_message', Math.min(len, c.capEnd - c.pos));
      }
    } else if (type === 23) {
      st.parts.push('Application Data');
      c.bytes('tls.app_data', Math.min(len, c.capEnd - c.pos));
    } else {
      st.parts.push('Heartbeat');
      c.bytes('tls.heartbeat_message', Math.min(len, c.capEnd - c.pos));
    }
    // A record cut by the end of the segment: what was captured was shown; the rest is not here.
    if (c.pos < end) c.seek(Math.min(end, c.capEnd));
    return type;
  }, -1, () => `${name} Record Layer: ${CONTENT_TYPES[type] ?? 'Unknown'} Protocol`);
  return c.pos < c.capEnd;
}

const TLS_TCP_PORTS = [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017];
const TLS_PORT_SET = new Set(TLS_TCP_PORTS);

/** Printable ASCII (tshark's g_ascii_isprint). */
const printable = (b: number): boolean => b >= 0x20 && b <= 0x7e;

export const tls = defineProtocol({
  id: 'tls',
  name: 'Transport Layer Security',
  short: 'TLS',
  bindings: TLS_TCP_PORTS.map((key) => ({ table: 'tcp.port', key })),
  heuristics: [{ table: 'tcp.port', test: looksLikeTls }],
  fields: {
    'tls.record': { label: 'Record Layer', type: 'none' },
    'tls.record.content_type': { label: 'Content Type', type: 'u8', values: CONTENT_TYPES },
    'tls.record.opaque_type': { label: 'Opaque Type', type: 'u8', values: CONTENT_TYPES },
    'tls.record.version': { label: 'Version', type: 'u16', base: 'hex', values: VERSIONS },
    'tls.record.length': { label: 'Length', type: 'u16' },
    'tls.change_cipher_spec': { label: 'Change Cipher Spec Message', type: 'bytes' },
    'tls.alert_message': { label: 'Alert Message', type: 'bytes' },
    'tls.alert_message.level': { label: 'Level', type: 'u8', values: ALERT_LEVELS },
    'tls.alert_message.desc': { label: 'Description', type: 'u8' },
    'tls.app_data': { label: 'Encrypted Application Data', type: 'bytes' },
    'tls.heartbeat_message': { label: 'Heartbeat Message', type: 'bytes' },
    'tls.handshake': { label: 'Handshake Protocol', type: 'none' },
    'tls.handshake.encrypted': { label: 'Encrypted Handshake Message', type: 'bytes' },
    'tls.handshake.type': { label: 'Handshake Type', type: 'u8', values: HANDSHAKE_TYPES },
    'tls.handshake.length': { label: 'Length', type: 'u24' },
    'tls.handshake.version': { label: 'Version', type: 'u16', base: 'hex', values: VERSIONS },
    'tls.handshake.random': { label: 'Random', type: 'bytes' },
    'tls.handshake.session_id_length': { label: 'Session ID Length', type: 'u8' },
    'tls.handshake.session_id': { label: 'Session ID', type: 'bytes' },
    'tls.handshake.cipher_suites_length': { label: 'Cipher Suites Length', type: 'u16' },
    'tls.handshake.ciphersuites': { label: 'Cipher Suites', type: 'none' },
    'tls.handshake.ciphersuite': { label: 'Cipher Suite', type: 'u16', base: 'hex' },
    'tls.handshake.comp_methods_length': { label: 'Compression Methods Length', type: 'u8' },
    'tls.handshake.comp_methods': { label: 'Compression Methods', type: 'none' },
    'tls.handshake.comp_method': { label: 'Compression Method', type: 'u8' },
    'tls.handshake.extensions_length': { label: 'Extensions Length', type: 'u16' },
    'tls.handshake.extension': { label: 'Extension', type: 'none' },
    'tls.handshake.extension.type': { label: 'Type', type: 'u16', values: EXTENSIONS },
    'tls.handshake.extension.len': { label: 'Length', type: 'u16' },
    'tls.handshake.extension.data': { label: 'Data', type: 'bytes' },
    'tls.handshake.extensions_server_name_list_len': { label: 'Server Name list length', type: 'u16' },
    'tls.handshake.extensions_server_name_type': { label: 'Server Name Type', type: 'u8' },
    'tls.handshake.extensions_server_name_len': { label: 'Server Name length', type: 'u16' },
    'tls.handshake.extensions_server_name': { label: 'Server Name', type: 'string' },
    'tls.handshake.extensions_alpn_len': { label: 'ALPN Extension Length', type: 'u16' },
    'tls.handshake.extensions_alpn_str_len': { label: 'ALPN string length', type: 'u8' },
    'tls.handshake.extensions_alpn_str': { label: 'ALPN Next Protocol', type: 'string' },
    'tls.handshake.extensions.supported_versions_len': { label: 'Supported Versions length', type: 'u8' },
    'tls.handshake.extensions.supported_version': { label: 'Supported Version', type: 'u16', base: 'hex' },
    'tls.handshake.extensions_supported_groups_length': { label: 'Supported Groups List Length', type: 'u16' },
    'tls.handshake.extensions_supported_group': { label: 'Supported Group', type: 'u16', base: 'hex' },
    'tls.handshake.sig_hash_alg_len': { label: 'Signature Hash Algorithms Length', type: 'u16' },
    'tls.handshake.sig_hash_alg': { label: 'Signature Algorithm', type: 'u16', base: 'hex' },
    'tls.handshake.extensions_key_share_client_length': { label: 'Client Key Share Length', type: 'u16' },
    'tls.handshake.extensions_key_share_group': { label: 'Group', type: 'u16' },
    'tls.handshake.extensions_key_share_key_exchange_length': { label: 'Key Exchange Length', type: 'u16' },
    'tls.handshake.extensions_key_share_key_exchange': { label: 'Key Exchange', type: 'bytes' },
    'tls.handshake.extensions_key_share_selected_group': { label: 'Selected Group', type: 'u16' },
    'tls.handshake.certificates_length': { label: 'Certificates Length', type: 'u24' },
    'tls.handshake.certificates': { label: 'Certificates', type: 'none' },
    'tls.handshake.certificate_length': { label: 'Certificate Length', type: 'u24' },
    'tls.handshake.certificate': { label: 'Certificate', type: 'bytes' },
  },
  dissect(c) {
    // tshark's TLS dissector refuses a payload whose first four bytes are printable ASCII (plain
    // text, not TLS); the bytes are then data.
    const d = c.data;
    const p = c.pos;
    if (c.capEnd - p > 4 && printable(d[p]!) && printable(d[p + 1]!) && printable(d[p + 2]!) && printable(d[p + 3]!)) return { handoff: 'data' };
    // Recognised on ports TLS is not registered for: tshark's heuristic binds the connection to TLS.
    const ports = carryingTcpPorts(c);
    if (ports !== undefined && c.below[c.below.length - 1]?.protocol === 'tcp' && !TLS_PORT_SET.has(ports[0]) && !TLS_PORT_SET.has(ports[1])) setConversationDissector(c, 'tls');
    const stream = tcpStream(c);
    const streams = c.session('tls streams', newStreamTable);
    const remembered = stream === undefined ? undefined : streams.get(stream);
    const st: TlsState = { tls13: remembered?.tls13 ?? false, version: remembered?.version ?? 0, parts: [] };
    let n = 0;
    while (c.pos < c.capEnd && n++ < MAX_RECORDS) {
      if (!readRecord(c, st)) break;
    }
    const name = SHORT_NAMES[st.tls13 ? 0x0304 : st.version] ?? 'TLS';
    if (stream !== undefined && (st.tls13 || st.version !== 0) && (remembered?.tls13 !== st.tls13 || remembered.version !== st.version)) {
      if (streams.size >= MAX_TLS_STREAMS) streams.delete(streams.keys().next().value!);
      streams.set(stream, { tls13: st.tls13, version: st.version });
    }
    return {
      name,
      summary: () => st.parts.join(', '),
      info: {
        version: name,
        sni: st.sni,
        alpn: st.alpn,
        cipher: st.cipher,
        clientHello: st.clientHello,
        serverHello: st.serverHello,
        helloVersion: st.helloVersion,
        offeredVersions: st.offeredVersions,
        offeredCiphers: st.offeredCiphers,
        selectedVersion: st.selectedVersion,
      },
    };
  },
});
