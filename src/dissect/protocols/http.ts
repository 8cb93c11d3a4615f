import type { Cursor } from '../cursor.js';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { defineProtocol, type Next } from '../protocol.js';

/**
 * Hypertext Transfer Protocol 1.x, as tshark 4.0 shows it with header and body reassembly off:
 * each TCP segment is read on its own. A segment that starts with a request or status line
 * is a message (start line, headers, the body handed on as data); any other segment of an
 * HTTP port is a continuation (the layer is there, with no request or response fields).
 */

/** Request methods tshark recognises (an `M-` prefix, RFC 2774, is allowed before them). */
const METHODS = new Set([
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'PATCH', 'LABEL',
  'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN',
  'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY',
  'MKWORKSPACE', 'RPC_CONNECT', 'RPC_IN_DATA', 'UNSUBSCRIBE', 'RPC_OUT_DATA', 'VERSION-CONTROL', 'BASELINE-CONTROL',
  'SSTP_DUPLEX_POST',
]);

/** Headers with their own field (lower-case name → key), as tshark's header table. */
const HEADERS: Readonly<Record<string, string>> = {
  authorization: 'http.authorization',
  'proxy-authorization': 'http.proxy_authorization',
  'proxy-authenticate': 'http.proxy_authenticate',
  'www-authenticate': 'http.www_authenticate',
  'content-type': 'http.content_type',
  'content-length': 'http.content_length_header',
  'content-encoding': 'http.content_encoding',
  'transfer-encoding': 'http.transfer_encoding',
  upgrade: 'http.upgrade',
  'user-agent': 'http.user_agent',
  host: 'http.host',
  connection: 'http.connection',
  cookie: 'http.cookie',
  accept: 'http.accept',
  referer: 'http.referer',
  'accept-language': 'http.accept_language',
  'accept-encoding': 'http.accept_encoding',
  date: 'http.date',
  'cache-control': 'http.cache_control',
  server: 'http.server',
  location: 'http.location',
  'sec-websocket-accept': 'http.sec_websocket_accept',
  'sec-websocket-extensions': 'http.sec_websocket_extensions',
  'sec-websocket-key': 'http.sec_websocket_key',
  'sec-websocket-protocol': 'http.sec_websocket_protocol',
  'sec-websocket-version': 'http.sec_websocket_version',
  'set-cookie': 'http.set_cookie',
  'last-modified': 'http.last_modified',
  'x-forwarded-for': 'http.x_forwarded_for',
};

const LABELS: Readonly<Record<string, string>> = {
  'http.authorization': 'Authorization',
  'http.proxy_authorization': 'Proxy-Authorization',
  'http.proxy_authenticate': 'Proxy-Authenticate',
  'http.www_authenticate': 'WWW-Authenticate',
  'http.content_type': 'Content-Type',
  'http.content_length_header': 'Content-Length',
  'http.content_encoding': 'Content-Encoding',
  'http.transfer_encoding': 'Transfer-Encoding',
  'http.upgrade': 'Upgrade',
  'http.user_agent': 'User-Agent',
  'http.host': 'Host',
  'http.connection': 'Connection',
  'http.cookie': 'Cookie',
  'http.accept': 'Accept',
  'http.referer': 'Referer',
  'http.accept_language': 'Accept-Language',
  'http.accept_encoding': 'Accept Encoding',
  'http.date': 'Date',
  'http.cache_control': 'Cache-Control',
  'http.server': 'Server',
  'http.location': 'Location',
  'http.sec_websocket_accept': 'Sec-WebSocket-Accept',
  'http.sec_websocket_extensions': 'Sec-WebSocket-Extensions',
  'http.sec_websocket_key': 'Sec-WebSocket-Key',
  'http.sec_websocket_protocol': 'Sec-WebSocket-Protocol',
  'http.sec_websocket_version': 'Sec-WebSocket-Version',
  'http.set_cookie': 'Set-Cookie',
  'http.last_modified': 'Last-Modified',
  'http.x_forwarded_for': 'X-Forwarded-For',
};

const latin1 = new TextDecoder('latin1');

/** Most lines (start line and headers) read from one message. */
const MAX_LINES = 512;
/** Most messages read from one segment. */
const MAX_MESSAGES = 64;

interface Line {
  /** Start of the line. */
  readonly start: number;
  /** End of the text (before CR/LF). */
  readonly textEnd: number;
  /** Start of the next line. */
  readonly next: number;
  /** Whether a line terminator was found. */
  readonly terminated: boolean;
}

/** The line at `pos` (terminated by CRLF, LF or CR, as tshark's tvb_find_line_end). */
function lineAt(d: Uint8Array, pos: number, end: number): Line {
  let i = pos;
  while (i < end && d[i] !== 0x0a && d[i] !== 0x0d) i++;
  if (i >= end) return { start: pos, textEnd: end, next: end, terminated: false };
  if (d[i] === 0x0d && i + 1 < end && d[i + 1] === 0x0a) return { start: pos, textEnd: i, next: i + 2, terminated: true };
  return { start: pos, textEnd: i, next: i + 1, terminated: true };
}

function text(d: Uint8Array, from: number, to: number): string {
  return latin1.decode(d.subarray(from, to));
}

type StartKind = 'request' | 'response' | undefined;

/** What the start line is, as tshark's is_http_request_or_reply decides. */
export function startLineKind(d: Uint8Array, from: number, to: number): StartKind {
  let p = from;
  if (to - p >= 2 && d[p] === 0x4d && d[p + 1] === 0x2d) p += 2; // "M-"
  if (to - p >= 5 && d[p] === 0x48 && d[p + 1] === 0x54 && d[p + 2] === 0x54 && d[p + 3] === 0x50 && d[p + 4] === 0x2f) return 'response';
  let sp = p;
  while (sp < to && sp - p <= 16 && d[sp] !== 0x20) sp++;
  const n = sp - p;
  if (n < 3 || n > 16) return undefined;
  const token = text(d, p, sp);
  if (token === 'ICY') return 'response';
  return METHODS.has(token) ? 'request' : undefined;
}

/** Length of the token at `p` (up to a space or the end) and where the next token starts. */
function token(d: Uint8Array, p: number, end: number): [number, number] {
  let i = p;
  while (i < end && d[i] !== 0x20) i++;
  const len = i - p;
  while (i < end && d[i] === 0x20) i++;
  return [len, i];
}

/** tshark's test for a header line: printable token characters up to a colon. */
function headerColon(d: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const ch = d[i]!;
    if (ch === 0x3a) return i > from ? i : -1;
    if (ch <= 0x20 || ch >= 0x7f) return -1;
    if ('()<>@,;\\"/[]?={}'.includes(String.fromCharCode(ch))) return -1;
  }
  return -1;
}

interface Message {
  kind: 'request' | 'response';
  firstLine: string;
  method?: string;
  uri?: string;
  code?: number;
  host?: string;
  contentType?: string;
  bodyLen?: number;
  chunked?: boolean;
  /** A chunk runs past the end of this segment (tshark reads past it: unreassembled). */
  chunkCut?: boolean;
  /** The body goes on in later segments (Content-Length beyond this one). */
  bodyCut?: boolean;
  contentEncoding?: string;
  /** Chunked, and every chunk was empty: nothing to hand on. */
  emptyBody?: boolean;
}

/** Reads one message at the cursor position; returns undefined for a continuation. */
function readMessage(c: Cursor, end: number): Message | undefined {
  const d = c.data;
  const first = lineAt(d, c.pos, end);
  const kind = startLineKind(d, first.start, first.textEnd);
  if (kind === undefined) return undefined;
  const msg: Message = { kind, firstLine: text(d, first.start, first.textEnd) };
  c.group(kind === 'request' ? 'http.request' : 'http.response', () => {
    const le = first.textEnd;
    let p = first.start;
    if (kind === 'request') {
      const [mlen, uriAt] = token(d, p, le);
      msg.method = text(d, p, p + mlen);
      c.add('http.request.method', msg.method, p, mlen);
      const [ulen, verAt] = token(d, uriAt, le);
      if (ulen > 0) {
        msg.uri = text(d, uriAt, uriAt + ulen);
        c.add('http.request.uri', msg.uri, uriAt, ulen);
        if (verAt < le) c.add('http.request.version', text(d, verAt, le), verAt, le - verAt);
      }
    } else {
      const [vlen, codeAt] = token(d, p, le);
      c.add('http.response.version', text(d, p, p + vlen), p, vlen);
      p = codeAt;
      const [clen, phraseAt] = token(d, p, le);
      if (clen >= 3 && d[p]! >= 0x30 && d[p]! <= 0x39 && d[p + 1]! >= 0x30 && d[p + 1]! <= 0x39 && d[p + 2]! >= 0x30 && d[p + 2]! <= 0x39) {
        msg.code = Number(text(d, p, p + 3));
        c.add('http.response.code', msg.code, p, 3);
        if (phraseAt < le) c.add('http.response.phrase', text(d, phraseAt, le), phraseAt, le - phraseAt);
      }
    }
    c.seek(first.next);
    return true;
  }, first.next - first.start, () => `${msg.firstLine}\\r\\n`);
  let contentLength: number | undefined;
  let chunked = false;
  let lines = 0;
  let endOfHeaders = false;
  while (c.pos < end && lines++ < MAX_LINES) {
    const ln = lineAt(d, c.pos, end);
    if (ln.textEnd === ln.start && ln.terminated) {
      c.add('http.end_of_headers', true, ln.start, ln.next - ln.start, '\\r\\n');
      c.seek(ln.next);
      endOfHeaders = true;
      break;
    }
    const colon = headerColon(d, ln.start, ln.textEnd);
    if (colon < 0) break; // not a header: the body starts here
    const name = text(d, ln.start, colon).toLowerCase();
    let v = colon + 1;
    while (v < ln.textEnd && (d[v] === 0x20 || d[v] === 0x09)) v++;
    const value = text(d, v, ln.textEnd);
    const key = HEADERS[name];
    const whole = text(d, ln.start, ln.textEnd);
    if (key !== undefined) {
      c.add(key, value, ln.start, ln.next - ln.start, `${whole}\\r\\n`);
      if (key === 'http.host') msg.host = value;
      else if (key === 'http.content_type') msg.contentType = value;
      else if (key === 'http.content_encoding') msg.contentEncoding = value;
      else if (key === 'http.content_length_header' && /^\s*\d+\s*$/.test(value)) {
        contentLength = Number(value.trim());
        c.add('http.content_length', BigInt(value.trim()), ln.start, 0);
      } else if (key === 'http.transfer_encoding' && /chunked/i.test(value)) chunked = true;
    } else {
      c.add('http.unknown_header', whole, ln.start, ln.next - ln.start, `${whole}\\r\\n`);
    }
    c.seek(ln.next);
  }
  // The body: only what this segment holds (reassembly is off).
  let bodyLen = end - c.pos;
  if (chunked && endOfHeaders && bodyLen > 0) {
    const total = { size: 0 };
    const chunksEnd = endOfChunks(d, c.pos, end, total);
    if (chunksEnd < 0) msg.chunkCut = true;
    else {
      bodyLen = chunksEnd - c.pos;
      msg.emptyBody = total.size === 0;
    }
  } else if (contentLength !== undefined && !chunked) {
    if (bodyLen < contentLength) msg.bodyCut = true;
    bodyLen = Math.min(bodyLen, contentLength);
  } else if (kind === 'request' && !chunked && endOfHeaders) bodyLen = 0;
  msg.bodyLen = bodyLen;
  msg.chunked = chunked;
  return msg;
}

/** Most chunks read from one body. */
const MAX_CHUNKS = 4096;

/**
 * Where a chunked body starting at `pos` ends (after the last chunk's trailer), or -1 when a
 * chunk-size line or a chunk's data runs past `end`.
 */
function endOfChunks(d: Uint8Array, pos: number, end: number, total: { size: number }): number {
  let p = pos;
  for (let n = 0; n < MAX_CHUNKS; n++) {
    const ln = lineAt(d, p, end);
    if (!ln.terminated) return -1;
    let size = 0;
    let digits = 0;
    for (let i = ln.start; i < ln.textEnd && digits < 8; i++, digits++) {
      const b = d[i]!;
      const v = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1;
      if (v < 0) break;
      size = size * 16 + v;
    }
    if (digits === 0) return -1;
    p = ln.next;
    if (size === 0) {
      // Trailer lines up to an empty one (a body may end right after the last chunk's line).
      for (let t = 0; t < MAX_LINES && p < end; t++) {
        const tl = lineAt(d, p, end);
        if (!tl.terminated) return -1;
        p = tl.next;
        if (tl.textEnd === tl.start) break;
      }
      return p;
    }
    if (p + size > end) return -1;
    p += size;
    total.size += size;
    const crlf = lineAt(d, p, end);
    if (!crlf.terminated || crlf.textEnd !== crlf.start) return -1;
    p = crlf.next;
  }
  return p;
}

/** Bodies of these media types go to the named dissector (tshark's `media_type` table). */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  'text/html': 'data-text-lines',
  'text/plain': 'data-text-lines',
  'text/css': 'data-text-lines',
  'text/javascript': 'data-text-lines',
  'text/x-javascript': 'data-text-lines',
  'application/x-javascript': 'data-text-lines',
  'text/richtext': 'data-text-lines',
  'text/enriched': 'data-text-lines',
  'text/rfc822-headers': 'data-text-lines',
  'text/tab-separated-values': 'data-text-lines',
  'text/uri-list': 'data-text-lines',
  'text/vnd.sun.j2me.app-descriptor': 'data-text-lines',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'application/json': 'json',
  'application/json-rpc': 'json',
  'application/jsonrequest': 'json',
  'image/gif': 'image-gif',
  'image/jpeg': 'image-jfif',
  'image/jpg': 'image-jfif',
  'image/pjpeg': 'image-jfif',
  'image/png': 'png',
  'application/x-www-form-urlencoded': 'urlencoded-form',
  'application/octet-stream': 'data',
};

/**
 * The dissector a body of this Content-Type goes to, `media` for a type no dissector takes;
 * undefined without a Content-Type (tshark shows such a body as data inside the HTTP tree).
 */
export function mediaDissector(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
  const known = MEDIA_TYPES[type];
  if (known !== undefined) return known;
  if (type.startsWith('multipart/')) return 'mime_multipart';
  if (type.endsWith('+xml')) return 'xml';
  if (type.endsWith('+json')) return 'json';
  return 'media';
}

/** `<?xml` at `p`: tshark's text-lines dissector hands such a body to XML. */
function startsXml(d: Uint8Array, p: number, end: number): boolean {
  return end - p >= 5 && d[p] === 0x3c && d[p + 1] === 0x3f && d[p + 2] === 0x78 && d[p + 3] === 0x6d && d[p + 4] === 0x6c;
}

/** Most compressed bytes inflated to look at a body's start. */
const MAX_INFLATE = 16384;

/** A gzip body (not chunked) whose inflated text starts with `<?xml` (tshark inflates what it has). */
function gzippedXml(m: Message, d: Uint8Array, at: number, end: number): boolean {
  if (m.chunked === true || !/^\s*(x-)?gzip\s*$/i.test(m.contentEncoding ?? '') || end - at < 18 || d[at] !== 0x1f || d[at + 1] !== 0x8b) return false;
  try {
    const out = gunzipSync(d.subarray(at, Math.min(end, at + MAX_INFLATE)), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 65536 });
    return startsXml(out, 0, out.length);
  } catch {
    return false;
  }
}

/** Where a message's body at `at` goes, with its media type and whether it is compressed or chunked; undefined to keep it. */
function bodyNext(m: Message, d: Uint8Array, at: number, end: number): Next | undefined {
  let protocol = mediaDissector(m.contentType);
  if (protocol === undefined) return undefined;
  const encoded = m.chunked === true || (m.contentEncoding !== undefined && !/^\s*identity\s*$/i.test(m.contentEncoding));
  if (protocol === 'data-text-lines' && (encoded ? gzippedXml(m, d, at, end) : startsXml(d, at, end))) protocol = 'xml';
  return { protocol, ctx: { mediaType: m.contentType, encoded } };
}

/** The cheap test tshark's heuristic applies on TCP: a first line starting or ending with `HTTP/1.1`. */
export function looksLikeHttp11(d: Uint8Array, offset: number, end: number): boolean {
  const ln = lineAt(d, offset, Math.min(end, offset + 4096));
  if (!ln.terminated) return false;
  const len = ln.textEnd - ln.start;
  if (len === 8 || len < 8) return false;
  const is11 = (p: number): boolean => text(d, p, p + 8).toUpperCase() === 'HTTP/1.1';
  return is11(ln.textEnd - 8) || is11(ln.start);
}

const HTTP_TCP_PORTS = [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371];

export const http = defineProtocol({
  id: 'http',
  name: 'Hypertext Transfer Protocol',
  short: 'HTTP',
  bindings: [...HTTP_TCP_PORTS.map((key) => ({ table: 'tcp.port', key })), { table: 'sctp.port', key: 80 }],
  heuristics: [{ table: 'tcp.port', test: looksLikeHttp11 }],
  fields: {
    'http.request': { label: 'Request', type: 'bool' },
    'http.response': { label: 'Response', type: 'bool' },
    'http.request.line': { label: 'Request line', type: 'string' },
    'http.response.line': { label: 'Response line', type: 'string' },
    'http.request.method': { label: 'Request Method', type: 'string' },
    'http.request.uri': { label: 'Request URI', type: 'string' },
    'http.request.version': { label: 'Request Version', type: 'string' },
    'http.response.version': { label: 'Response Version', type: 'string' },
    'http.response.code': { label: 'Status Code', type: 'u16' },
    'http.response.phrase': { label: 'Response Phrase', type: 'string' },
    ...Object.fromEntries(Object.entries(LABELS).map(([k, label]) => [k, { label, type: 'string' as const }])),
    'http.content_length': { label: 'Content length', type: 'u64' },
    'http.unknown_header': { label: 'Unknown header', type: 'string' },
    'http.end_of_headers': { label: 'End of headers', type: 'bool' },
    'http.chunked': { label: 'Chunked', type: 'bool' },
    'http.file_data': { label: 'File Data', type: 'string' },
  },
  dissect(c) {
    const end = c.capEnd;
    const msgs: Message[] = [];
    let bodyAt: number | undefined;
    let bodyOf: Message | undefined;
    let bodyTo: Next | undefined;
    let guard = 0;
    while (c.pos < end && guard++ < MAX_MESSAGES) {
      const m = readMessage(c, end);
      if (m === undefined) break;
      msgs.push(m);
      const n = m.bodyLen ?? 0;
      if (n <= 0) continue;
      if (m.chunked) c.add('http.chunked', true, c.pos, 0, 'Chunked transfer coding');
      if (m.chunkCut === true) {
        // tshark's chunk reader reads past the segment: the rest stays here, unreassembled.
        c.addIssue({ kind: 'malformed', severity: 'error', offset: c.pos, fieldKey: undefined, message: `chunked body: ${end - c.pos + 1} bytes needed at offset ${c.pos}, packet ends at ${end}` });
        c.skip(end - c.pos);
        break;
      }
      const next = m.emptyBody === true ? undefined : bodyNext(m, c.data, c.pos, end);
      if (c.pos + n >= end && next !== undefined) {
        // The body runs to the end of the segment: handed to the dissector of its media type.
        bodyAt = c.pos;
        bodyOf = m;
        bodyTo = next;
        break;
      }
      if (next === undefined && m.emptyBody !== true) {
        // No media type: tshark shows the body as data inside the HTTP tree.
        const at = c.pos;
        if (c.wants('data.data')) c.bytes('data.data', n);
        else c.skip(n);
        c.add('data.len', n, at, 0, `Length: ${n}`);
        continue;
      }
      if (c.wants('http.file_data')) c.add('http.file_data', text(c.data, c.pos, c.pos + n), c.pos, n, `File Data: ${n} bytes`);
      c.skip(n);
    }
    // Anything else (a continuation segment, bytes after the last message) stays in this layer.
    if (bodyAt === undefined && c.pos < end) c.skip(end - c.pos);
    const first = msgs[0];
    const summary = (): string => (msgs.length === 0 ? 'Continuation' : msgs.map((m) => m.firstLine).join(' , '));
    return {
      summary,
      payloadOffset: bodyAt,
      // The body's dissector shows this message's Info text before its own, as tshark's columns do.
      next: bodyTo === undefined ? undefined : { ...bodyTo, ctx: { ...bodyTo.ctx, carrierInfo: summary } },
      // The first message's facts, and every message of the segment (pipelined requests) for the http table.
      info: first
        ? { kind: first.kind, method: first.method, uri: first.uri, code: first.code, host: first.host, bodyCut: bodyOf?.bodyCut === true || msgs[msgs.length - 1]!.chunkCut === true, messages: msgs.map((m) => ({ kind: m.kind, method: m.method, uri: m.uri, code: m.code, host: m.host })) }
        : { kind: 'continuation' },
    };
  },
});
