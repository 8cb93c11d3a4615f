import type { Cursor } from '../cursor.js';
import { bytesToHex } from '../field-types.js';
import { defineProtocol } from '../protocol.js';
import { NETBIOS_SUFFIXES } from './netbios.js';

const TYPES: Record<number, string> = {
  0x00: 'Session message',
  0x81: 'Session request',
  0x82: 'Positive session response',
  0x83: 'Negative session response',
  0x84: 'Retarget session response',
  0x85: 'Session keep-alive',
};

const ERRORS: Record<number, string> = {
  0x80: 'Not listening on called name',
  0x81: 'Not listening for calling name',
  0x82: 'Called name not present',
  0x83: 'Called name present, but insufficient resources',
  0x8f: 'Unspecified error',
};


const SESSION_MESSAGE = 0x00;
const SESSION_REQUEST = 0x81;
const POSITIVE_RESPONSE = 0x82;
const NEGATIVE_RESPONSE = 0x83;
const RETARGET_RESPONSE = 0x84;
const KEEP_ALIVE = 0x85;

/** Whether 4 bytes at `at` are an SMB, SMB2 or SMB3 transform header's magic. */
function smbMagic(d: Uint8Array, at: number, end: number): boolean {
  if (at + 4 > end) return false;
  const m = d[at]!;
  return (m === 0xff || m === 0xfe || m === 0xfd) && d[at + 1] === 0x53 && d[at + 2] === 0x4d && d[at + 3] === 0x42;
}

interface Header {
  type: number;
  /** Direct-hosted SMB (a session message carrying SMB): a 24-bit length and no flags byte. */
  cifs: boolean;
  flags: number;
  length: number;
}

/** The NBSS header at `at`, as tshark reads it, or undefined when the segment is a continuation. */
function parseHeader(d: Uint8Array, at: number, end: number): Header | undefined {
  if (at + 4 > end) return undefined;
  const type = d[at]!;
  const cifs = type === SESSION_MESSAGE && smbMagic(d, at + 4, end);
  const flags = cifs ? 0 : d[at + 1]!;
  const length = cifs ? (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]! : ((d[at + 2]! << 8) | d[at + 3]!) + (flags & 0x01 ? 0x10000 : 0);
  if (flags & 0xfe) return undefined;
  switch (type) {
    case SESSION_MESSAGE:
      if (length === 0) return undefined;
      break;
    case SESSION_REQUEST:
      if (length < 2 || length > 256) return undefined;
      break;
    case POSITIVE_RESPONSE:
    case KEEP_ALIVE:
      if (length !== 0) return undefined;
      break;
    case NEGATIVE_RESPONSE:
      if (length !== 1) return undefined;
      break;
    case RETARGET_RESPONSE:
      if (length !== 6) return undefined;
      break;
    default:
      return undefined;
  }
  return { type, cifs, flags, length };
}

/** A NetBIOS name in first-level encoding (RFC 1001 14.1) with its scope, as tshark prints it. */
function netbiosName(c: Cursor, key: string, end: number): string {
  const at = c.pos;
  const len = c.u8();
  let text: string;
  let suffix: number | undefined;
  const first = c.pos < end ? c.peek8() : 0;
  if (len === 32 && first >= 0x41 && first <= 0x5a) {
    const raw = c.bytes(undefined, 32);
    let base = '';
    for (let i = 0; i < 32; i += 2) {
      const ch = (((raw[i]! - 0x41) << 4) | (raw[i + 1]! - 0x41)) & 0xff;
      if (i === 30) suffix = ch;
      else base += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : `<${ch.toString(16).padStart(2, '0')}>`;
    }
    text = `${base.replace(/ +$/, '')}<${suffix!.toString(16).padStart(2, '0')}>`;
  } else {
    c.skip(Math.min(len, end - c.pos));
    text = 'Illegal NetBIOS name (1st character not between A and Z in first-level encoding)';
  }
  // The scope: DNS-style labels up to a zero length.
  let guard = 0;
  while (c.pos < end && c.peek8() !== 0 && guard++ < 64) {
    const l = c.u8();
    text += `.${c.ascii(undefined, Math.min(l, end - c.pos))}`;
  }
  if (c.pos < end) c.skip(1);
  const shown = suffix !== undefined && NETBIOS_SUFFIXES[suffix] !== undefined ? `${text} (${NETBIOS_SUFFIXES[suffix]})` : text;
  c.add(key, text, at, c.pos - at, `${key === 'nbss.called_name' ? 'Called' : 'Calling'} name: ${shown}`);
  return text;
}

/**
 * NetBIOS Session Service (RFC 1002) on TCP 139, and the same 4-byte header of direct-hosted
 * SMB on TCP 445. A session message's payload goes to SMB or SMB2 (by its magic), with the
 * message's end in the context so that a following message in the same segment is read as NBSS
 * again. A segment that does not start with a plausible header is a continuation, as in tshark.
 */
export const nbss = defineProtocol({
  id: 'nbss',
  name: 'NetBIOS Session Service',
  short: 'NBSS',
  bindings: [
    { table: 'tcp.port', key: 139 },
    { table: 'tcp.port', key: 445 },
  ],
  fields: {
    'nbss.type': { label: 'Message Type', type: 'u8', base: 'hex', values: TYPES },
    'nbss.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'nbss.flags.e': { label: 'Extend', type: 'bool', mask: 0x01, tfs: ['Add 65536 to length', 'Add 0 to length'] },
    'nbss.length': { label: 'Length', type: 'u24' },
    'nbss.error_code': { label: 'Error code', type: 'u8', base: 'hex', values: ERRORS },
    'nbss.retarget_ip_address': { label: 'Retarget IP address', type: 'ipv4' },
    'nbss.retarget_port': { label: 'Retarget port', type: 'u16' },
    'nbss.continuation_data': { label: 'Continuation data', type: 'bytes' },
    'nbss.called_name': { label: 'Called name', type: 'string' },
    'nbss.calling_name': { label: 'Calling name', type: 'string' },
  },
  dissect(c) {
    const start = c.pos;
    const h = parseHeader(c.data, start, c.capEnd);
    if (h === undefined) {
      // Either the capture stopped inside the header, or this segment continues an earlier message.
      if (c.reportedRemaining() >= 4 && c.remaining() < 4) c.need(4);
      const n = c.remaining();
      const raw = c.bytes('nbss.continuation_data', n);
      return { summary: 'NBSS Continuation Message', info: { continuation: true, length: n, data: n <= 16 ? bytesToHex(raw, '') : undefined } };
    }
    c.u8('nbss.type');
    if (h.cifs) {
      const at = c.pos;
      c.skip(3);
      c.add('nbss.length', h.length, at, 3);
    } else {
      c.group('nbss.flags', () => {
        c.flag('nbss.flags.e', 1, 0x01);
        return c.u8();
      }, 1);
      const at = c.pos;
      c.skip(2);
      c.add('nbss.length', h.length, at, 2);
    }
    const end = c.pos + h.length;
    const info: Record<string, unknown> = { type: h.type, length: h.length };
    let summary = TYPES[h.type]!;
    switch (h.type) {
      case SESSION_MESSAGE: {
        const more = end < c.repEnd;
        const payload = c.pos;
        // SMB when the magic says so (or too little is here to tell), otherwise plain data.
        const avail = Math.min(c.capEnd, end) - payload;
        const m = avail > 0 ? c.data[payload]! : 0xff;
        const looksSmb = avail >= 4 ? smbMagic(c.data, payload, c.capEnd) : m === 0xff || m === 0xfe || m === 0xfd;
        const proto = !looksSmb ? 'data' : m === 0xff ? 'smb' : 'smb2';
        return {
          summary,
          info,
          next: proto === 'data' && !more ? undefined : { protocol: proto, ctx: { nbssEnd: end } },
        };
      }
      case SESSION_REQUEST: {
        const called = netbiosName(c, 'nbss.called_name', end);
        const calling = c.pos < end ? netbiosName(c, 'nbss.calling_name', end) : '';
        summary = `Session request, to ${called} from ${calling}`;
        info['called'] = called;
        info['calling'] = calling;
        break;
      }
      case NEGATIVE_RESPONSE: {
        const code = c.u8('nbss.error_code');
        summary = `Negative session response, ${ERRORS[code] ?? `Unknown (0x${code.toString(16).padStart(2, '0')})`}`;
        break;
      }
      case RETARGET_RESPONSE:
        c.ipv4('nbss.retarget_ip_address');
        c.u16('nbss.retarget_port');
        break;
      default:
        break;
    }
    if (c.pos < end) c.seek(Math.min(end, c.capEnd));
    // Another NBSS message may follow in the same segment.
    return { summary, info, next: end < c.repEnd ? { protocol: 'nbss' } : undefined };
  },
});

/**
 * For SMB and SMB2: where the NBSS message they are in ends (undefined when not over NBSS), and
 * what follows them: another NBSS message when the segment goes on.
 */
export function nbssTail(c: Cursor): { end: number | undefined; next: { protocol: string } | undefined } {
  const end = c.ctx['nbssEnd'];
  if (typeof end !== 'number') return { end: undefined, next: undefined };
  return { end, next: end < c.repEnd ? { protocol: 'nbss' } : undefined };
}
