import type { Cursor } from '../cursor.js';
import { escapeFieldString, type FieldDecl } from '../field-types.js';
import { defineProtocol } from '../protocol.js';
import { BoundedMap } from './flow-key.js';
import { type MediaEndpoint, type SdpExchange, setUpSdpMedia, transportEnds } from './media-sessions.js';
import { sdpBody } from './sdp.js';
import { utf8Text as text } from '../byte-text.js';

/**
 * Session Initiation Protocol (RFC 3261) on UDP/TCP 5060 and, by a heuristic on the first line,
 * on other ports, as tshark 4.0 shows it with header and body reassembly off: the start line,
 * every header (the common ones split into address, tag, sequence and Via parts), and the body
 * as a subtree of the message: SDP (application/sdp) read into sdp.* fields, anything else left
 * as it is (tshark's protocol hierarchy shows nothing under SIP). Several messages in one TCP
 * segment stay in this layer; a TCP segment that does not start a message is a continuation.
 */

/** Methods tshark knows (case-sensitive); others are "Unknown request". */
const METHODS = new Set(['ACK', 'BYE', 'CANCEL', 'DO', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'QAUTH', 'REFER', 'REGISTER', 'SPRACK', 'SUBSCRIBE', 'UPDATE', 'PUBLISH']);

/** Requests whose To tag makes tshark add ", in-dialog". */
const DIALOG_METHODS = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

/** Header fields: the names tshark registers (sip.<key>), numeric ones marked. */
const HEADER_NAMES = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Accept-Resource-Priority', 'Additional-Identity', 'Alert-Info',
  'Allow', 'Allow-Events', 'Answer-Mode', 'Attestation-Info', 'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info',
  'Cellular-Network-Info', 'Contact', 'Content-Disposition', 'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type',
  'CSeq', 'Date', 'Error-Info', 'Event', 'Expires', 'Feature-Caps', 'Flow-Timer', 'From', 'Geolocation', 'Geolocation-Error',
  'Geolocation-Routing', 'History-Info', 'Identity', 'Identity-info', 'Info-Package', 'In-Reply-To', 'Join', 'Max-Breadth',
  'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Min-SE', 'Organization', 'Origination-Id', 'P-Access-Network-Info', 'P-Answer-State',
  'P-Asserted-Identity', 'P-Asserted-Service', 'P-Charge-Info', 'P-Associated-URI', 'P-Called-Party-ID', 'P-Charging-Function-Addresses',
  'P-Charging-Vector', 'P-DCS-Trace-Party-ID', 'P-DCS-OSPS', 'P-DCS-Billing-Info', 'P-DCS-LAES', 'P-DCS-Redirect', 'P-Early-Media',
  'P-Media-Authorization', 'P-Preferred-Identity', 'P-Preferred-Service', 'P-Profile-Key', 'P-Refused-URI-List', 'P-Served-User',
  'P-User-Database', 'P-Visited-Network-ID', 'Path', 'Permission-Missing', 'Priority', 'Priority-Share', 'Priv-Answer-mode', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Reason-Phrase', 'Record-Route', 'Recv-Info',
  'Refer-Sub', 'Refer-To', 'Reject-Contact', 'Relayed-Charge', 'Replaces', 'Reply-To', 'Request-Disposition', 'Require',
  'Resource-Priority', 'Resource-Share', 'Response-Source', 'Restoration-Info', 'Retry-After', 'Route', 'RSeq', 'Security-Client',
  'Security-Server', 'Security-Verify', 'Server', 'Service-Interact-Info', 'Service-Route', 'Session-Expires', 'Session-ID', 'Subject',
  'Subscription-State', 'Supported', 'Target-Dialog', 'Timestamp', 'To', 'Trigger-Consent', 'Unsupported', 'User-Agent', 'Via',
  'Warning', 'WWW-Authenticate', 'Diversion',
];
const NUMERIC_HEADERS = new Set(['Content-Length', 'Expires', 'Max-Breadth', 'Max-Forwards', 'Retry-After', 'RSeq']);
/** Header names whose key differs from the name: [name, key suffix, label]. */
const OTHER_HEADERS: [string, string, string][] = [
  ['Policy-Contact', 'Policy_Contact', 'Policy-Contact'],
  ['Policy-ID', 'Policy_ID', 'Policy-ID'],
  ['Referred-By', 'Referred-by', 'Referred By'],
  ['SIP-ETag', 'ETag', 'ETag'],
  ['SIP-If-Match', 'If_Match', 'If_Match'],
  ['Suppress-If-Match', 'Suppress_If_Match', 'Suppress-If-Match'],
  ['User-to-User', 'uui', 'User-to-User'],
];
const COMPACT: Record<string, string> = {
  a: 'accept-contact', u: 'allow-events', i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type',
  o: 'event', f: 'from', y: 'identity', n: 'identity-info', r: 'refer-to', b: 'referred-by', j: 'reject-contact',
  d: 'request-disposition', x: 'session-expires', s: 'subject', k: 'supported', t: 'to', v: 'via',
};
/** Lower-case header name → field key. */
const HEADER_KEYS = new Map<string, string>([
  ...HEADER_NAMES.map((n): [string, string] => [n.toLowerCase(), `sip.${n}`]),
  ...OTHER_HEADERS.map(([n, k]): [string, string] => [n.toLowerCase(), `sip.${k}`]),
]);

const MAX_LINES = 512;
const MAX_MESSAGES = 16;
const MAX_ITEMS = 64;
/** The longest CSeq method tshark accepts. */
const MAX_CSEQ_METHOD = 16;
/** The longest first token the heuristic accepts (methods and "SIP/2.0" are short). */
const MAX_TOKEN = 32;
/** How far the heuristic looks for the end of the first line. */
const HEURISTIC_SCAN = 8192;

const str = (label: string): FieldDecl => ({ label, type: 'string' });

interface Line {
  start: number;
  textEnd: number;
  next: number;
  terminated: boolean;
}

/** The line at `pos` (ended by CRLF, LF or CR). */
function lineAt(d: Uint8Array, pos: number, end: number): Line {
  let i = pos;
  while (i < end && d[i] !== 0x0a && d[i] !== 0x0d) i++;
  if (i >= end) return { start: pos, textEnd: end, next: end, terminated: false };
  if (d[i] === 0x0d && i + 1 < end && d[i + 1] === 0x0a) return { start: pos, textEnd: i, next: i + 2, terminated: true };
  return { start: pos, textEnd: i, next: i + 1, terminated: true };
}


const SIP2 = [0x53, 0x49, 0x50, 0x2f, 0x32, 0x2e, 0x30]; // "SIP/2.0"

function isSip2(d: Uint8Array, at: number, len: number): boolean {
  if (len !== 7) return false;
  for (let i = 0; i < 7; i++) if (d[at + i] !== SIP2[i]) return false;
  return true;
}

interface StartLine {
  kind: 'request' | 'status';
  /** End of the first token, start of the second, its end, start of the third. */
  t1End: number;
  t2Start: number;
  t2End: number;
  t3Start: number;
}

/** tshark's test of a start line: "SIP/2.0 NNN reason", or "METHOD uri-with-colon SIP/2.0". */
function parseStartLine(d: Uint8Array, from: number, to: number): StartLine | undefined {
  for (let i = from; i < to; i++) if (d[i] === 0) return undefined;
  let s1 = from;
  while (s1 < to && d[s1] !== 0x20) s1++;
  if (s1 >= to || s1 === from) return undefined;
  const t2Start = s1 + 1;
  let s2 = t2Start;
  while (s2 < to && d[s2] !== 0x20) s2++;
  if (s2 >= to) return undefined;
  const t3Start = s2 + 1;
  const t2Len = s2 - t2Start;
  if (isSip2(d, from, s1 - from)) {
    if (t2Len !== 3) return undefined;
    for (let i = t2Start; i < s2; i++) if (d[i]! < 0x30 || d[i]! > 0x39) return undefined;
    return { kind: 'status', t1End: s1, t2Start, t2End: s2, t3Start };
  }
  if (t2Len < 3) return undefined;
  let colon = false;
  for (let i = t2Start + 1; i < s2; i++) if (d[i] === 0x3a) colon = true;
  if (!colon || !isSip2(d, t3Start, to - t3Start)) return undefined;
  return { kind: 'request', t1End: s1, t2Start, t2End: s2, t3Start };
}

/** The SIP heuristic: the first line is a request or status line. */
export function looksLikeSip(d: Uint8Array, offset: number, end: number): boolean {
  // Cheap first: a method (or "SIP/2.0") of printable characters, then a space.
  let i = offset;
  while (i < end && i - offset < MAX_TOKEN && d[i]! > 0x20 && d[i]! < 0x7f) i++;
  if (i === offset || i >= end || d[i] !== 0x20) return false;
  const ln = lineAt(d, offset, Math.min(end, offset + HEURISTIC_SCAN));
  return parseStartLine(d, ln.start, ln.textEnd) !== undefined;
}

interface Uri {
  /** A tel: URI (no host part). */
  tel: boolean;
  user?: string;
  host: string;
  port?: string;
  params: string[];
}

/** A SIP/SIPS/TEL URI split as tshark splits it: user part (with its parameters), host, port, parameters. */
function parseUri(uri: string, withParams: boolean): Uri {
  const colon = uri.indexOf(':');
  let rest = colon >= 0 ? uri.slice(colon + 1) : uri;
  const out: Uri = { tel: uri.slice(0, colon).toLowerCase() === 'tel', host: '', params: [] };
  const at = rest.indexOf('@');
  if (at >= 0) {
    out.user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let i = 0;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    i = close >= 0 ? close + 1 : rest.length;
  } else {
    while (i < rest.length && !':;?'.includes(rest[i]!)) i++;
  }
  out.host = rest.slice(0, i);
  rest = rest.slice(i);
  if (rest.startsWith(':')) {
    let j = 1;
    while (j < rest.length && rest[j] !== ';' && rest[j] !== '?') j++;
    out.port = rest.slice(1, j);
    rest = rest.slice(j);
  }
  if (withParams && rest.startsWith(';')) {
    const q = rest.indexOf('?');
    out.params = (q >= 0 ? rest.slice(1, q) : rest.slice(1)).split(';').filter((p) => p !== '').slice(0, MAX_ITEMS);
  }
  return out;
}

interface NameAddr {
  display?: string | undefined;
  uri: string;
  /** The URI was inside angle brackets (its parameters are its own). */
  bracketed: boolean;
  params: string[];
}

/** A name-addr or addr-spec with header parameters: `"Name" <uri>;tag=x` or `uri;tag=x`. */
function parseNameAddr(v: string): NameAddr {
  let s = v.replace(/^[ \t]+/, '');
  let display: string | undefined;
  if (s.startsWith('"')) {
    let j = 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    display = s.slice(0, Math.min(j + 1, s.length));
    s = s.slice(j + 1);
  }
  const lt = s.indexOf('<');
  let uri: string;
  let after: string;
  let bracketed = false;
  if (lt >= 0) {
    if (display === undefined && lt > 0) display = s.slice(0, lt);
    const gt = s.indexOf('>', lt);
    uri = s.slice(lt + 1, gt >= 0 ? gt : s.length);
    after = gt >= 0 ? s.slice(gt + 1) : '';
    bracketed = true;
  } else {
    const semi = s.indexOf(';');
    uri = (semi >= 0 ? s.slice(0, semi) : s).trim();
    after = semi >= 0 ? s.slice(semi) : '';
  }
  const params = after
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .slice(0, MAX_ITEMS);
  return { display, uri, bracketed, params };
}

/** Splits a header value at commas outside quotes and angle brackets. */
function splitList(v: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < v.length && out.length < MAX_ITEMS; i++) {
    const ch = v[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(v.slice(from, i));
      from = i + 1;
    }
  }
  out.push(v.slice(from));
  return out;
}

/** Generated children of a header (its parts), all tied to the header's bytes. */
interface Span {
  at: number;
  len: number;
}

/** Records a URI's parts under `prefix` (`sip.from`, `sip.to`, `sip.contact`, `sip.r-uri`). */
function uriParts(c: Cursor, prefix: string, uri: Uri, span: Span): void {
  if (uri.tel) return;
  // tshark looks for the "@" from the second character of the user part: a one-character user is not shown.
  if (uri.user !== undefined && uri.user.length > 1) c.add(`${prefix}.user`, uri.user, span.at, span.len);
  c.add(`${prefix}.host`, uri.host, span.at, span.len);
  if (uri.port !== undefined && uri.port !== '') c.add(`${prefix}.port`, uri.port, span.at, span.len);
  for (const p of uri.params) c.add(`${prefix}.param`, p, span.at, span.len);
}

/** From and To: display name, address (with its parts) and tag. */
function fromTo(c: Cursor, which: 'from' | 'to', value: string, span: Span, m: Message): void {
  const na = parseNameAddr(value);
  if (na.display !== undefined) c.add(`sip.${which}.display.info`, na.display, span.at, span.len);
  const uri = parseUri(na.uri, na.bracketed);
  c.group(`sip.${which}.addr`, () => {
    uriParts(c, `sip.${which}`, uri, span);
    return na.uri;
  }, span.len);
  for (const p of na.params) {
    if (p.toLowerCase().startsWith('tag=')) {
      c.add(`sip.${which}.tag`, p.slice(4), span.at, span.len);
      if (which === 'to') m.toTag = true;
    }
  }
}

/** Contact: each address with its URI parts and header parameters; counts bindings for REGISTER. */
function contact(c: Cursor, value: string, span: Span, m: Message): void {
  if (value.trim() === '*') {
    m.contactStar = true;
    return;
  }
  for (const item of splitList(value)) {
    if (item.trim() === '') continue;
    const na = parseNameAddr(item);
    const uri = parseUri(na.uri, na.bracketed);
    m.contacts++;
    if (na.params.some((p) => /^expires\s*=\s*0+$/i.test(p))) m.contactsExpired++;
    else if (!na.params.some((p) => /^expires\s*=/i.test(p))) m.contactsNoExpires++;
    if (na.display !== undefined) c.add('sip.contact.display.info', na.display, span.at, span.len);
    c.group('sip.contact.uri', () => {
      uriParts(c, 'sip.contact', uri, span);
      return na.uri;
    }, span.len);
    for (const p of na.params) c.add('sip.contact.parameter', p, span.at, span.len);
  }
}

/** Via: transport, sent-by address and port, and the common parameters, for each hop in the header. */
function via(c: Cursor, value: string, span: Span): void {
  for (const hop of splitList(value)) {
    const m = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([^\s;]+)\s*/i.exec(hop);
    if (m) c.add('sip.Via.transport', m[1]!, span.at, span.len);
    else if (/^\s*SIP/i.test(hop)) continue;
    const rest = m ? hop.slice(m[0].length) : hop.trim();
    const semi = rest.indexOf(';');
    const sentBy = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
    let host = sentBy;
    let port: string | undefined;
    if (sentBy.startsWith('[')) {
      const close = sentBy.indexOf(']');
      host = sentBy.slice(1, close >= 0 ? close : sentBy.length);
      if (sentBy[close + 1] === ':') port = sentBy.slice(close + 2);
    } else {
      const colon = sentBy.indexOf(':');
      if (colon >= 0) {
        host = sentBy.slice(0, colon);
        port = sentBy.slice(colon + 1);
      }
    }
    c.add('sip.Via.sent-by.address', m ? host : '', span.at, span.len);
    if (port !== undefined && /^\d+$/.test(port.trim()) && Number(port) <= 0xffff) c.add('sip.Via.sent-by.port', Number(port), span.at, span.len);
    if (semi < 0) continue;
    for (const p of rest.slice(semi + 1).split(';').slice(0, MAX_ITEMS)) {
      const eq = p.indexOf('=');
      const name = (eq >= 0 ? p.slice(0, eq) : p).trim().toLowerCase();
      const v = eq >= 0 ? p.slice(eq + 1).trim() : p.trim();
      const key = Object.hasOwn(VIA_PARAMS, name) ? VIA_PARAMS[name] : undefined;
      if (key !== undefined) c.add(key, v, span.at, span.len);
    }
  }
}

const VIA_PARAMS: Record<string, string> = {
  branch: 'sip.Via.branch',
  maddr: 'sip.Via.maddr',
  rport: 'sip.Via.rport',
  received: 'sip.Via.received',
  ttl: 'sip.Via.ttl',
  comp: 'sip.Via.comp',
};

interface Message {
  kind: 'request' | 'status';
  method?: string;
  uri?: string;
  code?: number;
  /** The start line without "SIP/2.0" (what follows "Request: " / "Status: "). */
  line: string;
  cseqMethod?: string;
  /** The CSeq number (set when the message has a CSeq header). */
  cseqSeq?: number;
  toTag: boolean;
  contacts: number;
  contactsExpired: number;
  contactsNoExpires: number;
  contactStar: boolean;
  expiresZero: boolean;
  callId?: string;
  contentType?: string;
  /** The boundary of a multipart body. */
  boundary?: string;
  /** Dissection stopped inside the headers (tshark stops there too, before finishing the Info text). */
  incomplete: boolean;
  /** tshark gives up on a header it cannot take (a CSeq method too long), without calling the message malformed. */
  gaveUp?: boolean;
}

function bindings(n: number): string {
  return `${n} binding${n === 1 ? '' : 's'}`;
}

/** One message's Info text, as tshark builds it. */
function infoText(m: Message): string {
  if (m.incomplete) return `${m.kind === 'request' ? (METHODS.has(m.method!) ? 'Request' : 'Unknown request') : 'Status'}: ${m.line}`;
  let s: string;
  const register = (m.kind === 'request' ? m.method : m.cseqMethod) === 'REGISTER';
  if (m.kind === 'request') {
    s = `${METHODS.has(m.method!) ? 'Request' : 'Unknown request'}: ${m.line}`;
    if (m.toTag && DIALOG_METHODS.has(m.method!)) s += ', in-dialog';
    if (register) {
      const removed = m.contactsExpired + (m.expiresZero ? m.contactsNoExpires : 0);
      if (m.contactStar) s += m.expiresZero ? '  (remove all bindings)' : '';
      else if (m.contacts === 0) s += '  (fetch bindings)';
      else if (removed > 0) s += `  (remove ${bindings(removed)})`;
      else s += `  (${bindings(m.contacts)})`;
    }
  } else {
    s = `Status: ${m.line}`;
    if (m.code === 200) s += ` (${m.cseqMethod ?? ''})`;
    if (register && m.code === 200) s += `  (${bindings(m.contacts)})`;
  }
  return `${s} | `;
}

/** Reads one message from the cursor position; returns the message and where its body is. */
function readMessage(c: Cursor, end: number, sl: StartLine, overTcp: boolean): { m: Message; bodyAt: number; bodyLen: number; contentLength?: number | undefined } {
  const d = c.data;
  const first = lineAt(d, c.pos, end);
  const m: Message = { kind: sl.kind, line: '', toTag: false, contacts: 0, contactsExpired: 0, contactsNoExpires: 0, contactStar: false, expiresZero: false, incomplete: false };
  const lineText = text(d, first.start, first.textEnd);
  if (sl.kind === 'request') {
    m.method = text(d, first.start, sl.t1End);
    m.uri = text(d, sl.t2Start, sl.t2End);
    m.line = text(d, first.start, sl.t2End);
    c.group('sip.Request-Line', () => {
      c.add('sip.Method', m.method!, first.start, sl.t1End - first.start);
      const uri = parseUri(m.uri!, false);
      c.seek(sl.t2Start);
      c.group('sip.r-uri', () => {
        uriParts(c, 'sip.r-uri', uri, { at: sl.t2Start, len: sl.t2End - sl.t2Start });
        c.seek(sl.t2End);
        return m.uri!;
      }, sl.t2End - sl.t2Start);
      c.seek(first.next);
      return lineText;
    }, first.textEnd - first.start);
  } else {
    m.code = Number(text(d, sl.t2Start, sl.t2End));
    m.line = text(d, sl.t2Start, first.textEnd);
    c.group('sip.Status-Line', () => {
      c.add('sip.Status-Code', m.code!, sl.t2Start, 3);
      c.seek(first.next);
      return lineText;
    }, first.textEnd - first.start);
  }
  c.seek(first.next);
  // The headers: the whole rest of the segment is the "Message Header" item's value, as in tshark.
  let contentLength: number | undefined;
  let ended = false;
  const hdrStart = c.pos;
  c.group('sip.msg_hdr', () => {
    let lines = 0;
    while (c.pos < end && lines++ < MAX_LINES) {
      const ln = lineAt(d, c.pos, end);
      if (ln.textEnd === ln.start) {
        c.seek(ln.next);
        ended = true;
        break;
      }
      // Continuation lines (starting with space or tab) belong to the header.
      let last = ln;
      while (last.next < end && (d[last.next] === 0x20 || d[last.next] === 0x09) && lines++ < MAX_LINES) last = lineAt(d, last.next, end);
      const colon = d.subarray(ln.start, last.textEnd).indexOf(0x3a);
      const span: Span = { at: ln.start, len: last.textEnd - ln.start };
      const whole = text(d, ln.start, last.textEnd);
      if (colon < 0) {
        c.expert('warning', 'Header has no colon after the name', undefined, ln.start);
        c.seek(last.next);
        if (!last.terminated) {
          stopInHeader(c, m, overTcp, ln.start, undefined);
          break;
        }
        continue;
      }
      const rawName = whole.slice(0, colon).trim();
      let name = rawName.toLowerCase();
      if (name.length === 1 && COMPACT[name] !== undefined) name = COMPACT[name]!;
      const raw = whole.slice(colon + 1).replace(/^[ \t]+/, '');
      // A string field ends at a NUL, as tshark's do.
      const nul = raw.indexOf('\0');
      const value = nul >= 0 ? raw.slice(0, nul) : raw;
      const key = HEADER_KEYS.get(name);
      const display = escapeFieldString(whole);
      if (key === undefined) c.add('sip.unknown_header', whole, span.at, span.len, display);
      const numeric = key !== undefined && NUMERIC_HEADERS.has(key.slice(4));
      const num = numeric ? Number(/^\s*(\d{1,10})/.exec(value)?.[1] ?? '0') : 0;
      if (!last.terminated) {
        // The data ends inside a header line: as tshark, stop here without finishing the message.
        if (key !== undefined) {
          c.group(key, () => {
            headerParts(c, name, value, span, m);
            c.seek(last.next);
            return numeric ? num : value;
          }, span.len, () => display);
        }
        c.seek(last.next);
        if (!m.gaveUp) stopInHeader(c, m, overTcp, ln.start, key);
        break;
      }
      if (key === undefined) {
        c.seek(last.next);
        continue;
      }
      c.group(key, () => {
        headerParts(c, name, value, span, m);
        c.seek(last.next);
        return numeric ? num : value;
      }, span.len, () => display);
      if (m.gaveUp) break;
      if (name === 'content-length') {
        if (/^\s*\d+\s*$/.test(value)) contentLength = num;
        else c.expert('warning', `Invalid content_length: ${value}`, 'sip.Content-Length', ln.start);
      } else if (name === 'expires' && num === 0 && /^\s*0+\s*$/.test(value)) m.expiresZero = true;
      else if (name === 'content-type') {
        m.contentType = value.split(';')[0]!.trim().toLowerCase();
        const b = /;\s*boundary\s*=\s*"?([^";]+)"?/i.exec(value);
        if (b) m.boundary = b[1]!.trim();
      }
    }
    if (!ended && !m.incomplete) {
      if (overTcp) {
        m.incomplete = true;
        c.expert('note', 'the message continues past this segment; reassembly is off');
      } else c.expert('warning', 'Header not terminated by empty line (CRLF)');
    }
    const all = text(d, hdrStart, end);
    const nul = all.indexOf('\0');
    return nul >= 0 ? all.slice(0, nul) : all;
  }, -1, () => 'Message Header');
  const remaining = end - c.pos;
  const bodyLen = ended ? Math.max(0, Math.min(remaining, contentLength ?? remaining)) : 0;
  return { m, bodyAt: c.pos, bodyLen, contentLength };
}

/**
 * The data ends inside a header line. tshark stops there without finishing the message's Info
 * text. When the capture or an IP fragment cut the message (more bytes were sent than are
 * here), that is all; when the datagram or TCP segment ends there, tshark's read past it fails:
 * the message is malformed (over TCP tshark, not reassembling, calls it unreassembled). The
 * layer keeps its summary, so the issue is added here rather than thrown.
 */
function stopInHeader(c: Cursor, m: Message, _overTcp: boolean, at: number, key: string | undefined): void {
  m.incomplete = true;
  if (c.reportedRemaining() > c.remaining()) c.expert('note', 'the message continues past this segment; reassembly is off', key, at);
  else c.addIssue({ kind: 'malformed', severity: 'error', offset: at, fieldKey: key, message: `header line not terminated: 1 bytes needed at offset ${c.capEnd}, packet ends at ${c.repEnd}` });
}

/**
 * A multipart body (RFC 2046): the SDP parts are read as SDP (tshark goes through its MIME
 * multipart dissector, whose own items are not reproduced, and repeats no Call-ID there).
 * Returns whether one was found.
 */
function multipartSdp(c: Cursor, from: number, end: number, boundary: string, media: MediaEndpoint[]): boolean {
  const d = c.data;
  const stop = Math.min(end, c.capEnd);
  const delim = new TextEncoder().encode(`--${boundary}`);
  const find = (at: number): number => {
    for (let i = at; i + delim.length <= stop; i++) {
      let k = 0;
      while (k < delim.length && d[i + k] === delim[k]) k++;
      if (k === delim.length) return i;
    }
    return -1;
  };
  let found = false;
  let at = find(from);
  for (let n = 0; at >= 0 && n < MAX_ITEMS; n++) {
    let p = at + delim.length;
    if (d[p] === 0x2d && d[p + 1] === 0x2d) break; // the closing delimiter
    p = lineAt(d, p, stop).next;
    // The part's headers, up to an empty line.
    let type = '';
    let lines = 0;
    while (p < stop && lines++ < MAX_LINES) {
      const ln = lineAt(d, p, stop);
      p = ln.next;
      if (ln.textEnd === ln.start) break;
      const h = /^content-type\s*:\s*([^;\s]+)/i.exec(text(d, ln.start, ln.textEnd));
      if (h) type = h[1]!.toLowerCase();
    }
    const next = find(p);
    // The part's body ends before the CRLF that precedes the next delimiter.
    let partEnd = next < 0 ? stop : next;
    if (next >= 0 && partEnd - 2 >= p && d[partEnd - 2] === 0x0d && d[partEnd - 1] === 0x0a) partEnd -= 2;
    if (type === 'application/sdp' && p < partEnd) {
      c.seek(p);
      sdpBody(c, partEnd, undefined);
      // Reached through the multipart body, the description takes effect on its own.
      media.push(...setUpSdpMedia(c, p, partEnd, PLAIN, undefined));
      found = true;
    }
    at = next;
  }
  return found;
}

/** The parts of the headers tshark splits. */
function headerParts(c: Cursor, name: string, value: string, span: Span, m: Message): void {
  switch (name) {
    case 'from':
      fromTo(c, 'from', value, span, m);
      break;
    case 'to':
      fromTo(c, 'to', value, span, m);
      break;
    case 'contact':
      contact(c, value, span, m);
      break;
    case 'via':
      via(c, value, span);
      break;
    case 'cseq': {
      const cs = /^\s*(\d+)\s*(\S*)/.exec(value);
      m.cseqSeq = cs ? Number(cs[1]!.slice(-10)) >>> 0 : 0;
      if (cs) {
        if (cs[1]!.length <= 10 && Number(cs[1]) <= 0xffffffff) c.add('sip.CSeq.seq', Number(cs[1]), span.at, span.len);
        if (!/[A-Za-z]/.test(value.slice(value.indexOf(cs[1]!) + cs[1]!.length))) {
          // No method after the number: tshark gives up on the message here, without an error.
          m.incomplete = true;
          m.gaveUp = true;
        } else if (cs[2]!.length > MAX_CSEQ_METHOD) {
          // tshark gives up on the message here (its Info text stays unfinished).
          c.expert('warning', `CSeq String too big: ${cs[2]!.length} bytes`, 'sip.CSeq', span.at);
          m.incomplete = true;
          m.gaveUp = true;
        } else if (cs[2] !== '') {
          m.cseqMethod = cs[2]!;
          c.add('sip.CSeq.method', cs[2]!, span.at, span.len);
        }
      }
      break;
    }
    case 'call-id':
      m.callId = value;
      c.add('sip.call_id_generated', value, span.at, 0);
      break;
    default:
      break;
  }
}

const HEADER_FIELDS: Record<string, FieldDecl> = Object.fromEntries([
  ...HEADER_NAMES.map((n): [string, FieldDecl] => [`sip.${n}`, NUMERIC_HEADERS.has(n) ? { label: n, type: 'u32' } : str(n)]),
  ...OTHER_HEADERS.map(([, k, label]): [string, FieldDecl] => [`sip.${k}`, str(label)]),
]);

function partFields(prefix: string, what: string): Record<string, FieldDecl> {
  return {
    [`${prefix}.user`]: str(`${what} User Part`),
    [`${prefix}.host`]: str(`${what} Host Part`),
    [`${prefix}.port`]: str(`${what} Host Port`),
  };
}

const PLAIN: SdpExchange = { kind: 'plain' };

/** What SIP remembers per call and direction over UDP, to find resent messages and the request a response answers. */
interface Transaction {
  cseq: number;
  method: string;
  state: 'none' | 'request' | 'provisional' | 'final';
  frame: number;
  code: number;
}

const TRANSACTIONS = 'sip transactions';
/** Most call/direction entries kept per capture. */
const MAX_TRANSACTIONS = 20_000;
const newTransactions = (): BoundedMap<string, Transaction> => new BoundedMap(MAX_TRANSACTIONS);

/**
 * How an SDP body takes effect (Wireshark's SIP): over UDP a resent request or response is
 * recognised per call and direction by its CSeq, and a response is matched to the request it
 * answers; a request offers, a 2xx answers (accepting) and a response from 400 on answers
 * (rejecting) the request's offer; anything else (provisional responses, 3xx) takes effect on
 * its own. TCP responses are never matched. Every UDP message updates the tracking.
 */
function track(c: Cursor, m: Message): { resend: number; request: number } {
  const ends = transportEnds(c);
  let resend = 0;
  let request = 0;
  const method = m.cseqMethod ?? '';
  if (ends !== undefined && ends.proto === 'udp' && c.ctx['inError'] !== true && m.cseqSeq !== undefined) {
    const t = c.session(TRANSACTIONS, newTransactions);
    const id = m.callId ?? '';
    const key = `${id}\u0000${ends.src}\u0000${ends.sport}\u0000${ends.dst}\u0000${ends.dport}`;
    let v = t.get(key);
    let compare = 0;
    if (v !== undefined) {
      compare = v.cseq;
      if (m.cseqSeq !== v.cseq) {
        v.cseq = m.cseqSeq;
        v.method = method;
        v.state = 'none';
        v.frame = 0;
      }
    } else {
      v = { cseq: m.cseqSeq, method, state: 'none', frame: 0, code: 0 };
      t.set(key, v);
    }
    const code = m.code ?? 0;
    if (m.kind === 'request' && m.cseqSeq === compare && v.state === 'request' && method === v.method && method !== 'ACK' && method !== 'CANCEL') resend = v.frame;
    if (m.kind === 'status' && m.cseqSeq === compare && v.state === 'final' && method === v.method && code >= 200 && code === v.code) resend = v.frame;
    if (m.kind === 'request') {
      v.state = 'request';
      if (resend === 0) v.frame = c.frameNumber;
    } else if (code >= 200) {
      v.code = code;
      v.state = 'final';
      if (resend === 0) v.frame = c.frameNumber;
    } else {
      v.state = 'provisional';
    }
    if (m.kind === 'status') {
      const r = t.get(`${id}\u0000${ends.dst}\u0000${ends.dport}\u0000${ends.src}\u0000${ends.sport}`);
      if (r !== undefined && m.cseqSeq === r.cseq && r.state === 'request' && method === r.method) request = r.frame;
    }
  }
  return { resend, request };
}

/** The offer/answer role of a message's SDP body, from what `track` found. */
function sdpExchange(m: Message, resend: number, request: number): SdpExchange {
  if (resend !== 0) return { kind: 'resend', originalFrame: resend };
  if (m.kind === 'request') return { kind: 'offer' };
  const code = m.code ?? 0;
  if (code >= 400) return { kind: 'answer', accept: false, requestFrame: request };
  if (code >= 200 && code <= 299) return { kind: 'answer', accept: true, requestFrame: request };
  return PLAIN;
}

export const sip = defineProtocol({
  id: 'sip',
  name: 'Session Initiation Protocol',
  short: 'SIP',
  bindings: [
    { table: 'udp.port', key: 5060 },
    { table: 'tcp.port', key: 5060 },
  ],
  heuristics: [
    { table: 'udp.port', test: looksLikeSip },
    { table: 'tcp.port', test: looksLikeSip },
  ],
  fields: {
    'sip.Request-Line': str('Request-Line'),
    'sip.Method': str('Method'),
    'sip.r-uri': str('Request-URI'),
    ...partFields('sip.r-uri', 'Request-URI'),
    'sip.Status-Line': str('Status-Line'),
    'sip.Status-Code': { label: 'Status-Code', type: 'u32' },
    'sip.msg_hdr': str('Message Header'),
    ...HEADER_FIELDS,
    'sip.from.display.info': str('SIP from display info'),
    'sip.from.addr': str('SIP from address'),
    ...partFields('sip.from', 'SIP from address'),
    'sip.from.param': str('SIP From URI parameter'),
    'sip.from.tag': str('SIP from tag'),
    'sip.to.display.info': str('SIP to display info'),
    'sip.to.addr': str('SIP to address'),
    ...partFields('sip.to', 'SIP to address'),
    'sip.to.param': str('SIP To URI parameter'),
    'sip.to.tag': str('SIP to tag'),
    'sip.contact.display.info': str('SIP C-URI display info'),
    'sip.contact.uri': str('Contact URI'),
    ...partFields('sip.contact', 'Contact URI'),
    'sip.contact.param': str('Contact URI parameter'),
    'sip.contact.parameter': str('Contact parameter'),
    'sip.CSeq.seq': { label: 'Sequence Number', type: 'u32' },
    'sip.CSeq.method': str('Method'),
    'sip.Via.transport': str('Transport'),
    'sip.Via.sent-by.address': str('Sent-by Address'),
    'sip.Via.sent-by.port': { label: 'Sent-by port', type: 'u16' },
    'sip.Via.branch': str('Branch'),
    'sip.Via.maddr': str('Maddr'),
    'sip.Via.rport': str('RPort'),
    'sip.Via.received': str('Received'),
    'sip.Via.ttl': str('TTL'),
    'sip.Via.comp': str('Comp'),
    'sip.call_id_generated': str('Generated Call-ID'),
    'sip.unknown_header': str('Unrecognised header'),
    'sip.msg_body': { label: 'Message Body', type: 'none' },
    'sip.continuation': { label: 'Continuation data', type: 'bytes' },
  },
  dissect(c) {
    const d = c.data;
    const end = c.capEnd;
    const overTcp = c.below[c.below.length - 1]?.protocol === 'tcp';
    const msgs: Message[] = [];
    const media: MediaEndpoint[] = [];
    let withSdp = false;
    for (let n = 0; n < MAX_MESSAGES && c.pos < end; n++) {
      const first = lineAt(d, c.pos, Math.min(end, c.pos + HEURISTIC_SCAN));
      const sl = parseStartLine(d, first.start, first.textEnd);
      if (sl === undefined) {
        if (n > 0) break;
        // Not a message: on UDP the datagram is not SIP; on TCP the segment continues one.
        if (!overTcp) return { handoff: 'data' };
        c.bytes('sip.continuation', end - c.pos);
        return { summary: 'Continuation', info: { continuation: true } };
      }
      const r = readMessage(c, end, sl, overTcp);
      msgs.push(r.m);
      if (r.m.incomplete) break;
      const tracked = track(c, r.m);
      const exchange = r.bodyLen > 0 && r.m.contentType === 'application/sdp' ? sdpExchange(r.m, tracked.resend, tracked.request) : undefined;
      if (r.bodyLen > 0) {
        // The body is a subtree of the message, as in tshark (whose hierarchy shows no protocol under SIP).
        const bodyEnd = r.bodyAt + r.bodyLen;
        c.group('sip.msg_body', () => {
          if (r.m.contentType === 'application/sdp') {
            sdpBody(c, bodyEnd, r.m.callId);
            media.push(...setUpSdpMedia(c, r.bodyAt, bodyEnd, exchange ?? PLAIN, r.m.callId));
            withSdp = true;
          } else if (r.m.contentType?.startsWith('multipart/') && r.m.boundary !== undefined) {
            withSdp = multipartSdp(c, r.bodyAt, bodyEnd, r.m.boundary, media) || withSdp;
          }
          c.seek(bodyEnd);
          return true;
        }, r.bodyLen, () => 'Message Body');
      }
      // A datagram holds one message (what follows its body is not read).
      if (!overTcp) break;
    }
    if (c.pos < end) c.skip(end - c.pos);
    const first = msgs[0];
    if (first === undefined) {
      // Nothing was captured of a payload the packet says is there.
      c.need(1);
      return { summary: '', info: {} };
    }
    return {
      summary: () => msgs.map(infoText).join(''),
      name: withSdp ? 'SIP/SDP' : undefined,
      info: {
        kind: first.kind,
        method: first.method,
        uri: first.uri,
        code: first.code,
        cseq: first.cseqMethod,
        callId: first.callId,
        messages: msgs.length,
        ...(media.length > 0 ? { mediaEndpoints: media } : {}),
      },
    };
  },
});
