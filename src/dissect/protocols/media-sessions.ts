/**
 * Media sessions announced by signalling, as Wireshark's SDP dissector sets them up: an SDP
 * media description (`c=` address, `m=` port, RTP/AVP or RTP/SAVP) makes the announced
 * address and port an RTP conversation, and the control port (`a=rtcp:` or port + 1) an RTCP
 * one, each with the other side left open. UDP consults these conversations before its port
 * tables (`mediaConversation`), for datagrams to or from the endpoint, so RTP is found without
 * any port heuristic.
 *
 * Like Wireshark's conversations, each has a setup frame: a later announcement of the same
 * endpoint from another setup frame replaces it (an earlier one never does); the same setup
 * frame updates it in place. The layer that announced media lists the endpoints in its `info`
 * (`mediaEndpoints`), so the UDP stream tracker (src/analyze/udp-streams.ts) can open the same
 * conversations.
 *
 * State is kept per capture (cursor sessions) and bounded.
 */
import { type Cursor, formatIpv6 } from '../cursor.js';
import { BoundedMap } from './flow-key.js';
import { ipv4FromText, ipv6FromText } from '../../util/address-text.js';
import { latin1Text } from '../byte-text.js';

/** What an `a=rtpmap` (and `a=fmtp`) line says about a dynamic payload type. */
export interface PayloadMapping {
  /** Encoding name as written (`AMR`, `telephone-event`). */
  readonly name: string;
  readonly rate: number;
  /** Format parameters (`octet-align` → `1`). */
  readonly fmtp: Map<string, string>;
}

/** One `m=` section of an SDP, reduced to what sets up media. */
export interface MediaDescription {
  /** Connection address (media level, else session level), as IP layers print it. */
  address: string | undefined;
  /** 0 when absent or not a port number. */
  port: number;
  /** `a=rtcp:` port; 0 means the media port + 1. */
  control: number;
  proto: 'rtp' | 'srtp' | 'other';
  readonly payloads: Map<number, PayloadMapping>;
  /** Already made a conversation (an answer is applied after its offer, offer entries once). */
  applied: boolean;
}

/** An endpoint an SDP made a conversation, as layers report it (`info.mediaEndpoints`). */
export interface MediaEndpoint {
  readonly address: string;
  readonly port: number;
  /** The conversation's setup frame. */
  readonly setup: number;
  readonly kind: 'rtp' | 'rtcp';
}

/** What RTP keeps per conversation. */
export interface RtpConversationData {
  payloads: ReadonlyMap<number, PayloadMapping>;
  srtp: boolean;
  /** Last extended sequence number (Wireshark starts at 0x10000). */
  extSeq: number;
}

/** A conversation an SDP set up. */
export interface MediaConversation {
  readonly setup: number;
  /** The protocol packets to or from the endpoint go to. */
  dissector: 'rtp' | 'rtcp';
  /** RTP's data (absent on an RTCP-only conversation). */
  rtp: RtpConversationData | undefined;
  /** The SIP Call-ID of the dialog that announced it. */
  callId: string | undefined;
}

/** Wireshark reads at most four media descriptions per offer/answer exchange. */
export const MAX_MEDIA_DESCRIPTIONS = 4;
/** Most lines read from one description. */
const MAX_LINES = 1024;
/** Most payload type mappings kept per media description. */
const MAX_MAPPINGS = 128;
/** Most conversations one capture keeps. */
const MAX_CONVERSATIONS = 20_000;

const SESSION = 'media conversations';
const newTable = (): BoundedMap<string, MediaConversation> => new BoundedMap(MAX_CONVERSATIONS);

const keyOf = (address: string, port: number): string => `${address} ${port}`;

/** A decimal number made of digits only, at most `max` (Wireshark's ws_strtou*); undefined otherwise. */
function strictUint(s: string, max: number): number | undefined {
  if (s.length === 0 || s.length > 10 || !/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

/** Dotted-quad IPv4 text as inet_pton takes it (no leading zeros), as IP layers print it. */
export function ipv4Text(s: string): string | undefined {
  const n = ipv4FromText(s, true);
  return n === undefined ? undefined : `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** IPv6 text as inet_pton takes it (groups, one `::`, an optional trailing IPv4), printed as IP layers print it. */
export function ipv6Text(s: string): string | undefined {
  const b = ipv6FromText(s, true);
  return b === undefined ? undefined : formatIpv6(b, 0);
}

/** The `c=` address of type IP4/IP6, as IP layers print it (undefined when it is not one). */
function connectionAddress(type: string, text: string): string | undefined {
  if (type === 'IP4') return ipv4Text(text);
  if (type === 'IP6') return ipv6Text(text);
  return undefined;
}

/** Space-separated tokens as Wireshark's SDP reads them (runs of spaces skipped). */
function tokens(value: string): string[] {
  return value.split(' ').filter((t) => t !== '');
}

/**
 * The next space-ended token from `at` (empty tokens between doubled spaces skipped), and where
 * reading goes on: just past its space, or 0 when it ended the line (Wireshark's reader then
 * starts over from the line's beginning).
 */
function token(value: string, at: number): [string, number] {
  let p = at;
  for (;;) {
    const sp = value.indexOf(' ', p);
    if (sp < 0) return [value.slice(p), 0];
    if (sp > p) return [value.slice(p, sp), sp + 1];
    p = sp + 1;
  }
}

/** A `c=` line: network type, address type, then the address up to a '/' (TTL, count). */
function connectionLine(value: string): string | undefined {
  const [net, afterNet] = token(value, 0);
  if (net === '') return undefined;
  const [type, afterType] = token(value, afterNet);
  if (type === '') return undefined;
  const raw = value.slice(afterType);
  const slash = raw.indexOf('/');
  return connectionAddress(type, slash >= 0 ? raw.slice(0, slash) : raw);
}

const MEDIA_PROTOCOLS: Readonly<Record<string, 'rtp' | 'srtp'>> = {
  'RTP/AVP': 'rtp',
  'RTP/AVPF': 'rtp',
  'RTP/SAVP': 'srtp',
  'RTP/SAVPF': 'srtp',
  'UDP/TLS/RTP/SAVP': 'srtp',
  'UDP/TLS/RTP/SAVPF': 'srtp',
};

/**
 * Reads the media descriptions of the SDP in `[from, end)`, appending to `into` (at most
 * four in all: an answer adds to its offer's). Lines end at CR, LF or CRLF; a line shorter than
 * two characters ends the description, as in Wireshark.
 */
export function readMediaDescriptions(d: Uint8Array, from: number, end: number, into: MediaDescription[] = []): MediaDescription[] {
  let sessionAddress: string | undefined;
  let inMedia = false;
  let current: MediaDescription | undefined;
  let p = from;
  for (let n = 0; n < MAX_LINES && p < end; n++) {
    let e = p;
    while (e < end && d[e] !== 0x0d && d[e] !== 0x0a) e++;
    let next = e;
    if (next < end && d[next] === 0x0d) next++;
    if (next < end && d[next] === 0x0a) next++;
    if (e - p < 2) break;
    const type = d[p]!;
    if (d[p + 1] === 0x3d /* = */) {
      const value = latin1Text(d, p + 2, e);
      if (type === 0x63 /* c */) {
        const address = connectionLine(value);
        if (!inMedia) {
          // An address that does not parse leaves the session's as it was.
          if (address !== undefined) sessionAddress = address;
        } else if (current !== undefined) current.address = address;
      } else if (type === 0x6d /* m */) {
        inMedia = true;
        current = undefined;
        if (into.length < MAX_MEDIA_DESCRIPTIONS) {
          current = { address: sessionAddress, port: 0, control: 0, proto: 'other', payloads: new Map(), applied: false };
          into.push(current);
          const t = tokens(value);
          const portText = (t[1] ?? '').split('/')[0]!;
          if (/^[0-9]/.test(portText)) current.port = strictUint(portText, 0xffff) ?? 0;
          current.proto = MEDIA_PROTOCOLS[t[2] ?? ''] ?? 'other';
        }
      } else if (type === 0x61 /* a */ && inMedia && current !== undefined) {
        mediaAttribute(value, current);
      }
    }
    p = next;
  }
  return into;
}

/** The media attributes that change where and how media is read: rtpmap, fmtp, rtcp. */
function mediaAttribute(line: string, m: MediaDescription): void {
  const colon = line.indexOf(':');
  if (colon < 0) return;
  const name = line.slice(0, colon).toLowerCase();
  const value = line.slice(colon + 1).replace(/^[ \t]+/, '');
  if (value === '') return;
  if (name === 'rtpmap') {
    const sp = value.indexOf(' ');
    if (sp < 0) return;
    const slash = value.indexOf('/', sp + 1);
    if (slash < 0) return;
    const pt = strictUint(value.slice(0, sp), 127);
    if (pt === undefined) return;
    const rest = value.slice(slash + 1);
    const slash2 = rest.indexOf('/');
    const rate = strictUint(slash2 >= 0 ? rest.slice(0, slash2) : rest, 0xffffffff) ?? 0;
    if (m.payloads.size >= MAX_MAPPINGS && !m.payloads.has(pt)) return;
    m.payloads.set(pt, { name: value.slice(sp + 1, slash), rate, fmtp: new Map() });
  } else if (name === 'fmtp') {
    const sp = value.indexOf(' ');
    if (sp < 0) return;
    const pt = strictUint(value.slice(0, sp), 127);
    const mapping = pt === undefined ? undefined : m.payloads.get(pt);
    if (mapping === undefined) return;
    for (const param of value.slice(sp + 1).split(';').slice(0, 32)) {
      const p = param.replace(/^[ \t]+/, '');
      const eq = p.indexOf('=');
      mapping.fmtp.set(eq >= 0 ? p.slice(0, eq) : '', eq >= 0 ? p.slice(eq + 1) : p);
    }
  } else if (name === 'rtcp') {
    // Only a bare port number counts ("53020 IN IP4 ..." falls back to the default).
    m.control = strictUint(value, 0xffff) ?? 0;
  }
}

/**
 * Makes conversations of the media descriptions not yet applied (RTP/SRTP with an address and a
 * port), with `setup` as their setup frame. Returns the endpoints it set up, for the layer's info.
 */
export function applyMediaDescriptions(c: Cursor, descriptions: readonly MediaDescription[], setup: number, callId: string | undefined): MediaEndpoint[] {
  const out: MediaEndpoint[] = [];
  for (const m of descriptions) {
    if (m.applied || m.port === 0 || m.proto === 'other' || m.address === undefined) continue;
    m.applied = true;
    addConversation(c, m.address, m.port, setup, 'rtp', m, callId);
    out.push({ address: m.address, port: m.port, setup, kind: 'rtp' });
    const control = m.control !== 0 ? m.control : (m.port + 1) & 0xffff;
    if (control !== m.port) {
      addConversation(c, m.address, control, setup, 'rtcp', m, callId);
      out.push({ address: m.address, port: control, setup, kind: 'rtcp' });
    }
  }
  return out;
}

function addConversation(c: Cursor, address: string, port: number, setup: number, kind: 'rtp' | 'rtcp', m: MediaDescription, callId: string | undefined): void {
  const table = c.session(SESSION, newTable);
  const key = keyOf(address, port);
  let conv = table.get(key);
  // A conversation set up by a later frame stays the one found.
  if (conv !== undefined && conv.setup > setup) return;
  if (conv === undefined || conv.setup !== setup) {
    conv = { setup, dissector: kind, rtp: undefined, callId };
    table.delete(key);
    table.set(key, conv);
  }
  conv.dissector = kind;
  if (callId !== undefined) conv.callId = callId;
  if (kind === 'rtp') {
    const extSeq = conv.rtp?.extSeq ?? 0x10000;
    conv.rtp = { payloads: m.payloads, srtp: m.proto === 'srtp', extSeq };
  }
}

/**
 * The conversation a datagram between two endpoints belongs to: the destination's, else the
 * source's (the order in which Wireshark's UDP and RTP look them up). Costs nothing until an SDP
 * has announced media in the capture.
 */
export function mediaConversation(c: Cursor, src: string, sport: number, dst: string, dport: number): MediaConversation | undefined {
  const table = c.peekSession<BoundedMap<string, MediaConversation>>(SESSION);
  if (table === undefined || table.size === 0) return undefined;
  return table.get(keyOf(dst, dport)) ?? table.get(keyOf(src, sport));
}

/** Addresses and ports of the transport header just below the current layer, when there is one. */
export interface TransportEnds {
  readonly proto: 'udp' | 'tcp';
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
}

export function transportEnds(c: Cursor): TransportEnds | undefined {
  const below = c.below;
  let proto: 'udp' | 'tcp' | undefined;
  let sport = 0;
  let dport = 0;
  for (let i = below.length - 1; i >= 0; i--) {
    const l = below[i]!;
    if (proto === undefined) {
      if (l.protocol !== 'udp' && l.protocol !== 'tcp') continue;
      const sp = l.info['srcport'];
      const dp = l.info['dstport'];
      if (typeof sp !== 'number' || typeof dp !== 'number') return undefined;
      proto = l.protocol;
      sport = sp;
      dport = dp;
    } else if (l.protocol === 'ip' || l.protocol === 'ipv6') {
      const src = l.info['src'];
      const dst = l.info['dst'];
      if (typeof src !== 'string' || typeof dst !== 'string') return undefined;
      return { proto, src, sport, dst, dport };
    }
  }
  return undefined;
}

/** Addresses of the IP header nearest below the current layer (for UDP's own lookup). */
export function ipBelow(c: Cursor): { src: string; dst: string } | undefined {
  const below = c.below;
  for (let i = below.length - 1; i >= 0; i--) {
    const l = below[i]!;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') {
      const src = l.info['src'];
      const dst = l.info['dst'];
      return typeof src === 'string' && typeof dst === 'string' ? { src, dst } : undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- offer/answer bookkeeping

/** How the carrier of an SDP treats it (Wireshark's sdp_exchange_type, plus a resent request). */
export type SdpExchange =
  | { readonly kind: 'offer' }
  | { readonly kind: 'answer'; readonly accept: boolean; readonly requestFrame: number }
  | { readonly kind: 'resend'; readonly originalFrame: number }
  | { readonly kind: 'plain' };

interface Exchange {
  readonly descriptions: MediaDescription[];
  status: 'offer' | 'accepted' | 'rejected' | undefined;
}

interface ExchangeTables {
  /** By the frame of the request (offer) they belong to. */
  readonly requests: BoundedMap<number, Exchange>;
  /** By the frame of an answer. */
  readonly responses: BoundedMap<number, Exchange>;
}

const EXCHANGES = 'sdp exchanges';
const MAX_EXCHANGES = 10_000;
const newExchanges = (): ExchangeTables => ({ requests: new BoundedMap(MAX_EXCHANGES), responses: new BoundedMap(MAX_EXCHANGES) });

/**
 * Sets up the media of the SDP in `[from, end)` carried by the current frame, as Wireshark does
 * for SIP's offer/answer exchange (its preference to delay changes until an answer is off):
 * an offer, and an answer (accepting or rejecting) to a known offer, are applied at once with
 * the request's frame as setup frame; an answer to an offer already answered is ignored; a
 * resent request is not applied again; any other SDP (provisional responses, SAP, RTSP, a
 * resent response) is applied on its own with this frame as setup frame. Returns the endpoints
 * set up.
 */
export function setUpSdpMedia(c: Cursor, from: number, end: number, exchange: SdpExchange, callId: string | undefined): MediaEndpoint[] {
  const frame = c.frameNumber;
  if (exchange.kind === 'plain') {
    // A description read on its own takes effect, unless an offer or answer of this frame
    // already holds the frame's media (Wireshark looks it up by frame number).
    const known = c.peekSession<ExchangeTables>(EXCHANGES);
    if (known !== undefined && (known.requests.has(frame) || known.responses.has(frame))) return [];
    return applyMediaDescriptions(c, readMediaDescriptions(c.data, from, Math.min(end, c.capEnd)), frame, callId);
  }
  const t = c.session(EXCHANGES, newExchanges);
  if (exchange.kind === 'resend') {
    // A resent request shares its original's exchange; otherwise it is read on its own.
    const original = t.requests.get(exchange.originalFrame);
    if (original === undefined) return setUpSdpMedia(c, from, end, { kind: 'plain' }, callId);
    t.requests.set(frame, original);
    return [];
  }
  const requestFrame = exchange.kind === 'offer' ? frame : exchange.requestFrame;
  let x = requestFrame !== 0 ? t.requests.get(requestFrame) : undefined;
  if (x === undefined) {
    x = { descriptions: [], status: undefined };
    if (requestFrame !== 0) t.requests.set(requestFrame, x);
  }
  if (exchange.kind === 'answer') t.responses.set(frame, x);
  if (x.status === 'accepted' || x.status === 'rejected') return [];
  readMediaDescriptions(c.data, from, Math.min(end, c.capEnd), x.descriptions);
  const out = applyMediaDescriptions(c, x.descriptions, requestFrame !== 0 ? requestFrame : frame, callId);
  x.status = exchange.kind === 'offer' ? 'offer' : exchange.accept ? 'accepted' : 'rejected';
  return out;
}

const RTP_NEXT = Object.freeze({ protocol: 'rtp' });
const RTCP_NEXT = Object.freeze({ protocol: 'rtcp' });

/** Whether SDP has announced media in this capture, which may then claim a UDP datagram before the port tables. */
export function mediaTracked(c: Cursor): boolean {
  const table = c.peekSession<BoundedMap<string, MediaConversation>>(SESSION);
  return table !== undefined && table.size > 0;
}

/**
 * For UDP: the protocol of the media conversation a datagram belongs to (RTP or RTCP), before
 * the port tables, in an ICMP error's quote as well. Undefined (at no cost) when no SDP has
 * announced media in the capture.
 */
export function mediaNext(c: Cursor, sport: number, dport: number): { readonly protocol: string } | undefined {
  const table = c.peekSession<BoundedMap<string, MediaConversation>>(SESSION);
  if (table === undefined || table.size === 0) return undefined;
  const ip = ipBelow(c);
  if (ip === undefined) return undefined;
  const conv = table.get(keyOf(ip.dst, dport)) ?? table.get(keyOf(ip.src, sport));
  if (conv === undefined) return undefined;
  return conv.dissector === 'rtp' ? RTP_NEXT : RTCP_NEXT;
}

const SIP_VERSION = Buffer.from('SIP/2.0');
const MEDIA_LINE = Buffer.from('\nm=');

/**
 * Whether a frame may carry signalling that sets up media sessions (a SIP message, an SDP media
 * line) in its bytes from `from` on: for runs that do not dissect every frame (worker threads,
 * the second pass of a filtered run), which must not leave it out since the media may flow
 * between other hosts or ports than the signalling. A cheap byte search; false positives cost
 * only work.
 */
export function mayAnnounceMedia(d: Uint8Array, from = 0): boolean {
  // Shorter than the shorter of the two marks: nothing to find.
  if (d.length - from < MEDIA_LINE.length) return false;
  const b = Buffer.from(d.buffer, d.byteOffset + from, d.byteLength - from);
  return b.indexOf(MEDIA_LINE) >= 0 || b.indexOf(SIP_VERSION) >= 0;
}
