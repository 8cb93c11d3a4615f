import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/** PPP protocol numbers (RFC 1661 and the IANA registry), for the tree and summaries. */
export const PPP_PROTOCOLS: Readonly<Record<number, string>> = {
  0x0021: 'Internet Protocol version 4',
  0x0023: 'OSI Network Layer',
  0x002b: 'Novell IPX',
  0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP',
  0x0031: 'Bridging PDU',
  0x003d: 'PPP Multilink Protocol',
  0x0057: 'Internet Protocol version 6',
  0x00fd: 'PPP Compressed Datagram',
  0x0281: 'MPLS Unicast',
  0x0283: 'MPLS Multicast',
  0x8021: 'Internet Protocol Control Protocol',
  0x8057: 'IPv6 Control Protocol',
  0x80fd: 'Compression Control Protocol',
  0x8281: 'MPLS Control Protocol',
  0xc021: 'Link Control Protocol',
  0xc023: 'Password Authentication Protocol',
  0xc025: 'Link Quality Report',
  0xc223: 'Challenge Handshake Authentication Protocol',
  0xc227: 'Extensible Authentication Protocol',
};

const CHDLC_UNICAST = 0x0f;
const CHDLC_MULTICAST = 0x8f;

/**
 * Point-to-Point Protocol. On PPP links (LINKTYPE_PPP 9, PPP_HDLC 50, raw/null frames that
 * start FF 03, L2TP, PPTP) the HDLC-like address and control bytes are optional (present when
 * the first byte is FF) and a Cisco HDLC address (0F/8F) means the frame is Cisco HDLC. Over
 * PPPoE (`ctx.pppPlain`) there is no address or control. The protocol field is one byte when
 * its low bit is set (protocol-field compression), else two. The FCS is not decoded (Wireshark's
 * default).
 */
export const ppp = defineProtocol({
  id: 'ppp',
  name: 'Point-to-Point Protocol',
  short: 'PPP',
  bindings: [
    { table: 'linktype', key: 9 },
    { table: 'linktype', key: 50 },
    { table: 'ethertype', key: 0x880b },
  ],
  fields: {
    'ppp.address': { label: 'Address', type: 'u8', base: 'hex' },
    'ppp.control': { label: 'Control', type: 'u8', base: 'hex' },
    'ppp.protocol': { label: 'Protocol', type: 'u16', base: 'hex', values: PPP_PROTOCOLS },
    // Shared by the control protocols below (Wireshark declares them under ppp).
    'ppp.code': { label: 'Code', type: 'u8' },
    'ppp.identifier': { label: 'Identifier', type: 'u8', base: 'dec_hex' },
    'ppp.length': { label: 'Length', type: 'u16' },
  },
  dissect(c) {
    const plain = c.ctx['pppPlain'] === true;
    let address: number | undefined;
    if (!plain) {
      const first = c.peek8();
      if (first === CHDLC_UNICAST || first === CHDLC_MULTICAST) return { handoff: 'chdlc' };
      if (first === 0xff) {
        address = c.u8('ppp.address');
        c.u8('ppp.control');
      }
    }
    const at = c.pos;
    const b = c.peek8();
    const protocol = b & 0x01 ? b : c.peek16();
    const n = b & 0x01 ? 1 : 2;
    c.need(n, 'ppp.protocol');
    c.add('ppp.protocol', protocol, at, n);
    c.skip(n);
    const hex = `0x${protocol.toString(16).padStart(4, '0')}`;
    return {
      summary: () => `Protocol: ${PPP_PROTOCOLS[protocol] ?? 'Unknown'} (${hex})`,
      info: { protocol, address },
      next: { table: 'ppp.protocol', keys: [protocol], ctx: { pppPlain: undefined } },
    };
  },
});

const CP_CODES: Record<number, string> = {
  1: 'Configuration Request',
  2: 'Configuration Ack',
  3: 'Configuration Nak',
  4: 'Configuration Reject',
  5: 'Termination Request',
  6: 'Termination Ack',
  7: 'Code Reject',
  8: 'Protocol Reject',
  9: 'Echo Request',
  10: 'Echo Reply',
  11: 'Discard Request',
  12: 'Identification',
  13: 'Time Remaining',
};

/** Code, identifier and length of a control-protocol packet; limits the layer to the length. */
function cpHeader(c: Cursor, codeKey: string, idKey: string, lenKey: string): { code: number; id: number; end: number } {
  const start = c.pos;
  const code = c.u8(codeKey);
  const id = c.u8(idKey);
  const length = c.u16(lenKey);
  if (length < 4) c.malformed(`length ${length} is shorter than the 4-byte header`, lenKey, start + 2);
  c.limit(length, lenKey);
  return { code, id, end: Math.min(start + length, c.repEnd) };
}

/** Type-length options up to `end`; `body` reads an option's value (length excludes the 2-byte head). */
function cpOptions(c: Cursor, prefix: string, end: number, body: (type: number, len: number) => boolean): void {
  let guard = 0;
  while (c.pos < end && guard++ < 64) {
    const at = c.pos;
    c.need(2, `${prefix}.opt.length`);
    const len = c.peek8(1);
    if (len < 2 || at + len > end) c.malformed(`option length ${len} is invalid`, `${prefix}.opt.length`, at + 1);
    const type = c.u8(`${prefix}.opt.type`);
    c.u8(`${prefix}.opt.length`);
    if (len > 2 && !body(type, len - 2)) c.bytes(`${prefix}.opt.data`, len - 2);
    if (c.pos < at + len) c.skip(at + len - c.pos);
  }
  if (c.pos < end) c.expert('warning', 'too many options; the rest is not dissected');
}

/** PPP Link Control Protocol. */
export const lcp = defineProtocol({
  id: 'lcp',
  name: 'PPP Link Control Protocol',
  short: 'PPP LCP',
  bindings: [{ table: 'ppp.protocol', key: 0xc021 }],
  fields: {
    'lcp.opt.type': { label: 'Type', type: 'u8', values: { 1: 'Maximum Receive Unit', 2: 'Async Control Character Map', 3: 'Authentication Protocol', 4: 'Quality Protocol', 5: 'Magic Number', 7: 'Protocol Field Compression', 8: 'Address and Control Field Compression' } },
    'lcp.opt.length': { label: 'Length', type: 'u8' },
    'lcp.opt.mru': { label: 'Maximum Receive Unit', type: 'u16' },
    'lcp.opt.asyncmap': { label: 'Async Control Character Map', type: 'u32', base: 'hex' },
    'lcp.opt.auth_protocol': { label: 'Authentication Protocol', type: 'u16', base: 'hex', values: PPP_PROTOCOLS },
    'lcp.opt.magic_number': { label: 'Magic Number', type: 'u32', base: 'hex' },
    'lcp.opt.data': { label: 'Data', type: 'bytes' },
    'lcp.magic_number': { label: 'Magic Number', type: 'u32', base: 'hex' },
    'lcp.data': { label: 'Data', type: 'bytes' },
    'lcp.message': { label: 'Message', type: 'string' },
    'lcp.rej_proto': { label: 'Rejected Protocol', type: 'u16', base: 'hex', values: PPP_PROTOCOLS },
  },
  dissect(c) {
    const { code, id, end } = cpHeader(c, 'ppp.code', 'ppp.identifier', 'ppp.length');
    if (code >= 1 && code <= 4) {
      cpOptions(c, 'lcp', end, (type, len) => {
        if (type === 1 && len === 2) c.u16('lcp.opt.mru');
        else if (type === 2 && len === 4) c.u32('lcp.opt.asyncmap');
        else if (type === 3 && len >= 2) c.u16('lcp.opt.auth_protocol');
        else if (type === 5 && len === 4) c.u32('lcp.opt.magic_number');
        else return false;
        return true;
      });
    } else if (code >= 9 && code <= 13) {
      c.u32('lcp.magic_number');
      if (code === 12 && c.pos < end) c.ascii('lcp.message', end - c.pos);
      else if (c.pos < end) c.bytes('lcp.data', end - c.pos);
    } else if (code === 8) {
      c.u16('lcp.rej_proto');
      if (c.pos < end) c.bytes('lcp.data', end - c.pos);
    } else if (c.pos < end) {
      c.bytes('lcp.data', end - c.pos);
    }
    return { summary: () => `${CP_CODES[code] ?? `Unknown code ${code}`}`, info: { code, id } };
  },
});

/** PPP IP Control Protocol. */
export const ipcp = defineProtocol({
  id: 'ipcp',
  name: 'PPP IP Control Protocol',
  short: 'PPP IPCP',
  bindings: [{ table: 'ppp.protocol', key: 0x8021 }],
  fields: {
    'ipcp.opt.type': { label: 'Type', type: 'u8', values: { 2: 'IP Compression Protocol', 3: 'IP Address', 129: 'Primary DNS Server IP Address', 130: 'Primary NBNS Server IP Address', 131: 'Secondary DNS Server IP Address', 132: 'Secondary NBNS Server IP Address' } },
    'ipcp.opt.length': { label: 'Length', type: 'u8' },
    'ipcp.opt.ip_address': { label: 'IP Address', type: 'ipv4' },
    'ipcp.opt.pri_dns_address': { label: 'Primary DNS Address', type: 'ipv4' },
    'ipcp.opt.sec_dns_address': { label: 'Secondary DNS Address', type: 'ipv4' },
    'ipcp.opt.data': { label: 'Data', type: 'bytes' },
    'ipcp.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const { code, id, end } = cpHeader(c, 'ppp.code', 'ppp.identifier', 'ppp.length');
    if (code >= 1 && code <= 4) {
      cpOptions(c, 'ipcp', end, (type, len) => {
        if (len !== 4) return false;
        if (type === 3) c.ipv4('ipcp.opt.ip_address');
        else if (type === 129) c.ipv4('ipcp.opt.pri_dns_address');
        else if (type === 131) c.ipv4('ipcp.opt.sec_dns_address');
        else return false;
        return true;
      });
    } else if (c.pos < end) {
      c.bytes('ipcp.data', end - c.pos);
    }
    return { summary: () => `${CP_CODES[code] ?? `Unknown code ${code}`}`, info: { code, id } };
  },
});

const AUTH_CODES = { chap: { 1: 'Challenge', 2: 'Response', 3: 'Success', 4: 'Failure' }, pap: { 1: 'Authenticate-Request', 2: 'Authenticate-Ack', 3: 'Authenticate-Nak' } } as const;

/** PPP Challenge Handshake Authentication Protocol. */
export const chap = defineProtocol({
  id: 'chap',
  name: 'PPP Challenge Handshake Authentication Protocol',
  short: 'PPP CHAP',
  bindings: [{ table: 'ppp.protocol', key: 0xc223 }],
  fields: {
    'chap.code': { label: 'Code', type: 'u8', values: AUTH_CODES.chap },
    'chap.identifier': { label: 'Identifier', type: 'u8' },
    'chap.length': { label: 'Length', type: 'u16' },
    'chap.value_size': { label: 'Value Size', type: 'u8' },
    'chap.value': { label: 'Value', type: 'bytes' },
    'chap.name': { label: 'Name', type: 'string' },
    'chap.message': { label: 'Message', type: 'string' },
  },
  dissect(c) {
    const { code, id, end } = cpHeader(c, 'chap.code', 'chap.identifier', 'chap.length');
    let name: string | undefined;
    if (code === 1 || code === 2) {
      const size = c.u8('chap.value_size');
      c.bytes('chap.value', size);
      if (c.pos < end) name = c.ascii('chap.name', end - c.pos);
    } else if ((code === 3 || code === 4) && c.pos < end) {
      c.ascii('chap.message', end - c.pos);
    }
    const codeName = (AUTH_CODES.chap as Record<number, string>)[code] ?? `Unknown code ${code}`;
    return { summary: () => `${codeName} (NAME='${name ?? ''}')`, info: { code, id, name } };
  },
});

/** PPP Password Authentication Protocol. */
export const pap = defineProtocol({
  id: 'pap',
  name: 'PPP Password Authentication Protocol',
  short: 'PPP PAP',
  bindings: [{ table: 'ppp.protocol', key: 0xc023 }],
  fields: {
    'pap.code': { label: 'Code', type: 'u8', values: AUTH_CODES.pap },
    'pap.identifier': { label: 'Identifier', type: 'u8' },
    'pap.length': { label: 'Length', type: 'u16' },
    'pap.peer_id.length': { label: 'Peer-ID-Length', type: 'u8' },
    'pap.peer_id': { label: 'Peer-ID', type: 'string' },
    'pap.password.length': { label: 'Password-Length', type: 'u8' },
    'pap.password': { label: 'Password', type: 'string' },
    'pap.message.length': { label: 'Message-Length', type: 'u8' },
    'pap.message': { label: 'Message', type: 'string' },
  },
  dissect(c) {
    const { code, id } = cpHeader(c, 'pap.code', 'pap.identifier', 'pap.length');
    let peer: string | undefined;
    if (code === 1) {
      peer = c.ascii('pap.peer_id', c.u8('pap.peer_id.length'));
      c.ascii('pap.password', c.u8('pap.password.length'));
    } else if (code === 2 || code === 3) {
      c.ascii('pap.message', c.u8('pap.message.length'));
    }
    const codeName = (AUTH_CODES.pap as Record<number, string>)[code] ?? `Unknown code ${code}`;
    return { summary: () => (peer !== undefined ? `${codeName} (Peer-ID='${peer}')` : codeName), info: { code, id, peer } };
  },
});
