import type { Cursor } from '../cursor.js';
import { constants as zlibConstants, gunzipSync, inflateSync } from 'node:zlib';
import { defineProtocol, type Next } from '../protocol.js';
import { carryingTcpPorts, carryingTcpStream, setConversationDissector } from './tcp.js';
import { latin1Text as text } from '../byte-text.js';

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

/** A line's terminator as tshark shows it in the tree (`\\r\\n`, `\\n`, `\\r`, or nothing). */
function ending(d: Uint8Array, ln: Line): string {
  let s = '';
  for (let i = ln.textEnd; i < ln.next; i++) s += d[i] === 0x0d ? '\\r' : '\\n';
  return s;
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
  // Methods (and ICY) are upper-case letters, `_` and `-`: other tokens (header names with their
  // colon) are ruled out without building their text.
  for (let i = p; i < sp; i++) {
    const b = d[i]!;
    if (!((b >= 0x41 && b <= 0x5a) || b === 0x5f || b === 0x2d)) return undefined;
  }
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
  kind: 'request' | 'response' | 'continuation';
  /** Whether tshark adds an HTTP item for it. */
  shown: boolean;
  /** A request line with a URI was read (tshark then treats the connection as HTTP). */
  sawUri?: boolean;
  /** The headers ended with a blank line in this segment. */
  endOfHeaders?: boolean;
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

/** Whether `b` is printable ASCII (tshark's g_ascii_isprint). */
const printable = (b: number): boolean => b >= 0x20 && b <= 0x7e;

/**
 * Reads one message at the cursor position as tshark's HTTP dissector does with reassembly off:
 * a start line (request or status), then every line that is a header (any line with a colon),
 * up to a blank line. A segment that does not start with a start line is a continuation: the
 * same line loop runs (a header-like line still counts as a header). `seen` says a request was
 * seen on this connection before (tshark then calls any other segment HTTP "Continuation").
 * Returns undefined when the message shows nothing at all (a continuation on a connection with
 * no request seen, whose first line is neither a header nor blank).
 */
function readMessage(c: Cursor, end: number, seen: boolean): Message | undefined {
  const d = c.data;
  const first = lineAt(d, c.pos, end);
  const kind = startLineKind(d, first.start, first.textEnd);
  const msg: Message = { kind: kind ?? 'continuation', firstLine: kind === undefined ? 'Continuation' : text(d, first.start, first.textEnd), shown: kind !== undefined || seen };
  let contentLength: number | undefined;
  let chunked = false;
  let lines = 0;
  let sawLine = false;
  // The first line is already read; later ones are read as the loop comes to them.
  let ln = first;
  let lineKind = kind;
  while (c.pos < end && lines++ < MAX_LINES) {
    if (lines > 1) {
      ln = lineAt(d, c.pos, end);
      lineKind = startLineKind(d, ln.start, ln.textEnd);
    }
    if (lineKind !== undefined) {
      msg.shown = true;
      sawLine = true;
      readStartLine(c, ln, lineKind, msg);
      continue;
    }
    if (ln.textEnd === ln.start) {
      // A blank line: the headers end (an unterminated one is the segment's end).
      msg.shown = true;
      if (ln.next > ln.start) c.add('http.end_of_headers', true, ln.start, ln.next - ln.start, ending(d, ln));
      c.seek(ln.next);
      msg.endOfHeaders = true;
      break;
    }
    let colon = -1;
    for (let i = ln.start; i < ln.textEnd; i++) {
      if (d[i] === 0x3a) {
        colon = i - ln.start;
        break;
      }
    }
    if (colon < 0) {
      // Not a header. After a start line or a header, a last line cut by the segment's end is
      // an incomplete header: tshark reads one byte past it (unreassembled, or cut by the snaplen).
      if (sawLine && !ln.terminated) c.need(ln.textEnd - ln.start + 1);
      break;
    }
    msg.shown = true;
    sawLine = true;
    const at = ln.start + colon;
    const name = text(d, ln.start, at).toLowerCase();
    let v = at + 1;
    while (v < ln.textEnd && (d[v] === 0x20 || d[v] === 0x09)) v++;
    // Own names only: a header called `constructor` or `__proto__` is an unknown header.
    const key = Object.hasOwn(HEADERS, name) ? HEADERS[name] : undefined;
    // The line's text and display are built only for a field that is recorded.
    if (key !== undefined) {
      const value = text(d, v, ln.textEnd);
      if (c.wants(key)) c.add(key, value, ln.start, ln.next - ln.start, `${text(d, ln.start, ln.textEnd)}${ending(d, ln)}`);
      if (key === 'http.host') msg.host = value;
      else if (key === 'http.content_type') msg.contentType = value;
      else if (key === 'http.content_encoding') msg.contentEncoding = value;
      else if (key === 'http.content_length_header' && /^\s*\d+\s*$/.test(value)) {
        contentLength = Number(value.trim());
        c.add('http.content_length', BigInt(value.trim()), ln.start, 0);
      } else if (key === 'http.transfer_encoding' && /chunked/i.test(value)) chunked = true;
    } else if (c.wants('http.unknown_header')) {
      const whole = text(d, ln.start, ln.textEnd);
      c.add('http.unknown_header', whole, ln.start, ln.next - ln.start, `${whole}${ending(d, ln)}`);
    }
    c.seek(ln.next);
  }
  if (!msg.shown) return undefined;
  // The body: only what this segment holds (reassembly is off).
  let bodyLen = end - c.pos;
  const repLen = c.repEnd - c.pos;
  if (chunked && msg.endOfHeaders === true && bodyLen > 0) {
    const total = { size: 0 };
    const chunksEnd = endOfChunks(d, c.pos, end, total);
    if (chunksEnd < 0) msg.chunkCut = true;
    else {
      bodyLen = chunksEnd - c.pos;
      msg.emptyBody = total.size === 0;
    }
  } else if (contentLength !== undefined && !chunked) {
    if (repLen < contentLength) msg.bodyCut = true;
    bodyLen = Math.min(bodyLen, contentLength);
  } else if (msg.kind === 'request' && !chunked) {
    // A request without Content-Length or Transfer-Encoding has no body.
    bodyLen = 0;
  } else if (msg.kind === 'response' && !chunked && msg.code !== undefined && (Math.floor(msg.code / 100) === 1 || msg.code === 204 || msg.code === 304)) {
    bodyLen = 0;
  }
  msg.bodyLen = bodyLen;
  msg.chunked = chunked;
  return msg;
}

/** Records a request or status line (`ln`) and its facts on `msg`. */
function readStartLine(c: Cursor, ln: Line, kind: 'request' | 'response', msg: Message): void {
  const d = c.data;
  if (msg.kind === 'continuation') {
    msg.kind = kind;
    msg.firstLine = text(d, ln.start, ln.textEnd);
  }
  c.group(kind === 'request' ? 'http.request' : 'http.response', () => {
    const le = ln.textEnd;
    let p = ln.start;
    if (kind === 'request') {
      const [mlen, uriAt] = token(d, p, le);
      msg.method ??= text(d, p, p + mlen);
      c.add('http.request.method', text(d, p, p + mlen), p, mlen);
      const [ulen, verAt] = token(d, uriAt, le);
      if (ulen > 0) {
        msg.uri ??= text(d, uriAt, uriAt + ulen);
        msg.sawUri = true;
        c.add('http.request.uri', text(d, uriAt, uriAt + ulen), uriAt, ulen);
        if (verAt < le) c.add('http.request.version', text(d, verAt, le), verAt, le - verAt);
      }
    } else {
      const [vlen, codeAt] = token(d, p, le);
      c.add('http.response.version', text(d, p, p + vlen), p, vlen);
      p = codeAt;
      const [clen, phraseAt] = token(d, p, le);
      if (clen >= 3 && d[p]! >= 0x30 && d[p]! <= 0x39 && d[p + 1]! >= 0x30 && d[p + 1]! <= 0x39 && d[p + 2]! >= 0x30 && d[p + 2]! <= 0x39) {
        const code = Number(text(d, p, p + 3));
        msg.code ??= code;
        c.add('http.response.code', code, p, 3);
        if (phraseAt < le) c.add('http.response.phrase', text(d, phraseAt, le), phraseAt, le - phraseAt);
      }
    }
    c.seek(ln.next);
    return true;
  }, ln.next - ln.start, () => `${text(d, ln.start, ln.textEnd)}${ending(d, ln)}`);
}

/** Most chunks read from one body. */
const MAX_CHUNKS = 4096;

/**
 * Reads a chunked body from `pos` as tshark's de-chunker does: a chunk-size line, the chunk's
 * data and the two bytes after it, chunk after chunk. It stops (the body ends there) where no
 * line can be found or the line is empty, and after the last (zero-size) chunk's trailer.
 * Returns where the body ends, or -1 when a chunk's data or the two bytes after it run past
 * `end` (tshark reads past the segment there). `parts` collects the chunks' data.
 */
function endOfChunks(d: Uint8Array, pos: number, end: number, total: { size: number }, parts?: Uint8Array[]): number {
  let p = pos;
  for (let n = 0; n < MAX_CHUNKS; n++) {
    if (p >= end) return p;
    const ln = lineAt(d, p, end);
    if (!ln.terminated || ln.textEnd === ln.start) return p;
    let i = ln.start;
    while (i < ln.textEnd && (d[i] === 0x20 || d[i] === 0x09)) i++;
    if (i + 1 < ln.textEnd && d[i] === 0x30 && (d[i + 1] === 0x78 || d[i + 1] === 0x58)) i += 2;
    let size = 0;
    for (let digits = 0; i < ln.textEnd && digits < 8; i++, digits++) {
      const b = d[i]!;
      const v = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1;
      if (v < 0) break;
      size = size * 16 + v;
    }
    // A size past what is left is cut to it (tshark then reads past the segment all the same).
    if (size > end - p) size = end - p;
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
    parts?.push(d.subarray(p, p + size));
    p += size;
    total.size += size;
    if (p + 2 > end) return -1;
    p += 2;
  }
  return p;
}

/** Most bytes a body is inflated to. */
const MAX_DECODED = 1 << 20;

/**
 * The body as tshark's media dissectors see it: de-chunked, then inflated when its
 * Content-Encoding is gzip or deflate (what this segment holds of it); undefined when it cannot
 * be decoded (another encoding, a chunk past the segment).
 */
function decodedBody(m: Message, d: Uint8Array, at: number, end: number): Uint8Array | undefined {
  let body = d.subarray(at, end);
  if (m.chunked === true) {
    const parts: Uint8Array[] = [];
    if (endOfChunks(d, at, end, { size: 0 }, parts) < 0) return undefined;
    body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
  const enc = (m.contentEncoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity') return body;
  try {
    const options = { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: MAX_DECODED };
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body, options);
    if (enc === 'deflate' || enc === 'x-deflate') return inflateSync(body, options);
  } catch {
    return undefined;
  }
  return undefined;
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

const pngSignature = (d: Uint8Array, p: number, end: number): boolean =>
  end - p >= 8 && d[p] === 0x89 && d[p + 1] === 0x50 && d[p + 2] === 0x4e && d[p + 3] === 0x47 && d[p + 4] === 0x0d && d[p + 5] === 0x0a && d[p + 6] === 0x1a && d[p + 7] === 0x0a;

/** A JPEG starting with a JFIF APP0 segment (the JFIF dissector's HTTP heuristic). */
const jfifSignature = (d: Uint8Array, p: number, end: number): boolean =>
  end - p >= 11 && d[p] === 0xff && d[p + 1] === 0xd8 && d[p + 2] === 0xff && d[p + 3] === 0xe0 && d[p + 6] === 0x4a && d[p + 7] === 0x46 && d[p + 8] === 0x49 && d[p + 9] === 0x46 && d[p + 10] === 0;

/** The dissector one of tshark's HTTP body heuristics (PNG, JFIF) gives a body, or undefined. */
function bodyHeuristic(d: Uint8Array, p: number, end: number): string | undefined {
  if (pngSignature(d, p, end)) return 'png';
  if (jfifSignature(d, p, end)) return 'image-jfif';
  return undefined;
}

/** What each image dissector needs at the start of a body to take it. */
const IMAGE_SIGNATURES: Readonly<Record<string, (d: Uint8Array, p: number, end: number) => boolean>> = {
  'image-gif': (d, p, end) => end - p >= 6 && d[p] === 0x47 && d[p + 1] === 0x49 && d[p + 2] === 0x46 && d[p + 3] === 0x38 && (d[p + 4] === 0x37 || d[p + 4] === 0x39) && d[p + 5] === 0x61,
  'image-jfif': (d, p, end) => end - p >= 20 && d[p] === 0xff && d[p + 1] === 0xd8,
  png: pngSignature,
};

/** Where a message's body at `at` goes, with its media type and whether it is compressed or chunked; undefined to keep it. */
function bodyNext(m: Message, d: Uint8Array, at: number, end: number): Next | undefined {
  const encoded = m.chunked === true || (m.contentEncoding !== undefined && !/^\s*identity\s*$/i.test(m.contentEncoding));
  let protocol = mediaDissector(m.contentType);
  // No dissector for the media type (or no type): tshark tries its HTTP heuristics first.
  if ((protocol === undefined || protocol === 'media') && !encoded) protocol = bodyHeuristic(d, at, end) ?? protocol;
  if (protocol === undefined) return undefined;
  if (protocol === 'data-text-lines' && (encoded ? gzippedXml(m, d, at, end) : startsXml(d, at, end))) protocol = 'xml';
  // An image dissector refuses a body without its signature (tshark then tries its HTTP
  // heuristics, of which PNG's looks for the PNG signature, and ends with the media dissector).
  if (!encoded && IMAGE_SIGNATURES[protocol] !== undefined && !IMAGE_SIGNATURES[protocol]!(d, at, end)) protocol = bodyHeuristic(d, at, end) ?? 'media';
  return { protocol, ctx: { mediaType: m.contentType, encoded, decoded: encoded ? (): Uint8Array | undefined => decodedBody(m, d, at, end) : undefined } };
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
const HTTP_PORT_SET = new Set(HTTP_TCP_PORTS);

/** TCP streams on which a request line with a URI was seen (bounded: the oldest are forgotten). */
const SEEN_REQUESTS = 'http requests seen';
const MAX_SEEN = 100_000;
const newSeenTable = (): Set<number> => new Set<number>();

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
    const d = c.data;
    const stream = carryingTcpStream(c);
    // Reached on ports HTTP is not registered for: tshark's heuristic binds the connection to HTTP.
    const ports = carryingTcpPorts(c);
    if (ports !== undefined && c.below[c.below.length - 1]?.protocol === 'tcp' && !HTTP_PORT_SET.has(ports[0]) && !HTTP_PORT_SET.has(ports[1])) setConversationDissector(c, 'http');
    // Whether a request was seen on this connection (tshark's conv_data->request_uri); outside
    // TCP every segment is taken as HTTP.
    const requests = stream === undefined ? undefined : c.session(SEEN_REQUESTS, newSeenTable);
    let seen = requests === undefined || requests.has(stream!);
    const msgs: Message[] = [];
    let bodyAt: number | undefined;
    let bodyOf: Message | undefined;
    let bodyTo: Next | undefined;
    let guard = 0;
    while (c.pos < end && guard++ < MAX_MESSAGES) {
      // A leading CRLF is skipped (RFC 2616 robustness), when more than three bytes are left.
      if (c.repEnd - c.pos > 3 && c.pos + 1 < end && d[c.pos] === 0x0d && d[c.pos + 1] === 0x0a) c.seek(c.pos + 2);
      if (c.pos >= end) break;
      if (!printable(d[c.pos]!)) {
        // Binary: a continuation of a connection known to be HTTP, otherwise not shown at all.
        if (seen) msgs.push({ kind: 'continuation', firstLine: 'Continuation', shown: true });
        break;
      }
      const m = readMessage(c, end, seen);
      if (m === undefined) break;
      msgs.push(m);
      if (m.sawUri === true && !seen) {
        seen = true;
        if (requests !== undefined) {
          if (requests.size >= MAX_SEEN) requests.delete(requests.values().next().value!);
          requests.add(stream!);
        }
      }
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
    const messages = msgs.filter((m) => m.kind !== 'continuation');
    const first = messages[0];
    const summary = (): string => (messages.length === 0 ? 'Continuation' : messages.map((m) => m.firstLine).join(' , '));
    return {
      summary,
      payloadOffset: bodyAt,
      // The body's dissector shows this message's Info text before its own, as tshark's columns do.
      next: bodyTo === undefined ? undefined : { ...bodyTo, ctx: { ...bodyTo.ctx, carrierInfo: summary } },
      // The first message's facts, and every message of the segment (pipelined requests) for the
      // http table; a segment tshark shows nothing of (binary or unrecognisable bytes on a
      // connection no request was seen on) has no item.
      info: first
        ? { kind: first.kind, method: first.method, uri: first.uri, code: first.code, host: first.host, bodyCut: bodyOf?.bodyCut === true || msgs[msgs.length - 1]!.chunkCut === true, messages: messages.map((m) => ({ kind: m.kind, method: m.method, uri: m.uri, code: m.code, host: m.host })) }
        : msgs.length > 0
          ? { kind: 'continuation' }
          : { kind: 'continuation', noItem: true },
    };
  },
});
