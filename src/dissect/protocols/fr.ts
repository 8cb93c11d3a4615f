import type { Cursor } from '../cursor.js';
import { defineProtocol, type DissectResult } from '../protocol.js';
import { CHDLC_TYPES, chdlcNext } from './chdlc.js';
import { ETHERTYPES } from './ethertypes.js';

const NLPIDS: Record<number, string> = {
  0x00: 'Padding',
  0x08: 'Q.933',
  0x80: 'SNAP',
  0x81: 'ISO CLNP',
  0x82: 'ISO ES-IS',
  0x83: 'ISO IS-IS',
  0x8e: 'IPv6',
  0xb0: 'Data compression protocol',
  0xcc: 'IP',
  0xcf: 'PPP',
};

/** Where an NLPID leads (Wireshark's `fr.nlpid` table). */
const NLPID_NEXT: Record<number, string> = { 0x8e: 'ipv6', 0xcc: 'ip', 0xcf: 'ppp' };

/** Reads the Q.922 address (2 to 4 octets); returns the DLCI, or undefined for a bogus address. */
function readAddress(c: Cursor): number | undefined {
  const start = c.pos;
  const b0 = c.peek8();
  c.open('fr.first_addr_octet');
  c.bits('fr.upper_dlci', 1, 0xfc);
  c.flag('fr.cr', 1, 0x02);
  c.flag('fr.ea', 1, 0x01);
  c.close(c.u8());
  if ((b0 & 0x01) !== 0) {
    c.expert('error', 'Bogus address: at least 2 octets are needed', 'fr.first_addr_octet', start);
    return undefined;
  }
  let dlci = b0 >> 2;
  const b1 = c.peek8();
  c.open('fr.second_addr_octet');
  c.bits('fr.second_dlci', 1, 0xf0);
  c.flag('fr.fecn', 1, 0x08);
  c.flag('fr.becn', 1, 0x04);
  c.flag('fr.de', 1, 0x02);
  c.flag('fr.ea', 1, 0x01);
  c.close(c.u8());
  dlci = (dlci << 4) | (b1 >> 4);
  if ((b1 & 0x01) === 0) {
    let b2 = c.peek8();
    if ((b2 & 0x01) === 0) {
      // Four octets: a third DLCI octet, then the last one.
      c.open('fr.third_addr_octet');
      c.bits('fr.third_dlci', 1, 0xfe);
      c.flag('fr.ea', 1, 0x01);
      c.close(c.u8());
      dlci = (dlci << 7) | (b2 >> 1);
      b2 = c.peek8();
      // Octets without EA after the third are bogus: flagged and skipped up to the last one
      // (the loop ends at the captured end, which stops the layer).
      while ((b2 & 0x01) === 0) {
        c.expert('warning', 'Bogus extra address octet', 'fr.ea');
        c.skip(1);
        b2 = c.peek8();
      }
    }
    c.open('fr.third_addr_octet');
    if ((b2 & 0x02) !== 0) {
      c.bits('fr.dlcore_control', 1, 0xfc);
    } else {
      c.bits('fr.lower_dlci', 1, 0xfc);
      dlci = (dlci << 6) | (b2 >> 2);
    }
    c.flag('fr.dc', 1, 0x02);
    c.flag('fr.ea', 1, 0x01);
    c.close(c.u8());
  }
  c.add('fr.dlci', dlci, start, c.pos - start);
  return dlci;
}

/**
 * Frame Relay (LINKTYPE_FRELAY 107): the Q.922 address, then either a UI control byte (0x03)
 * and an NLPID (0xCC IPv4, 0x8E IPv6, 0x08 Q.933, 0x80 SNAP, a 0x00 pad before it allowed),
 * or Cisco encapsulation: an Ethertype-like protocol number right after the address.
 */
export const fr = defineProtocol({
  id: 'fr',
  name: 'Frame Relay',
  short: 'FR',
  bindings: [{ table: 'linktype', key: 107 }],
  fields: {
    'fr.first_addr_octet': { label: 'First address octet', type: 'u8', base: 'hex' },
    'fr.second_addr_octet': { label: 'Second address octet', type: 'u8', base: 'hex' },
    'fr.third_addr_octet': { label: 'Third address octet', type: 'u8', base: 'hex' },
    'fr.upper_dlci': { label: 'Upper DLCI', type: 'u8', base: 'hex', mask: 0xfc },
    'fr.cr': { label: 'CR', type: 'bool', mask: 0x02 },
    'fr.ea': { label: 'EA', type: 'bool', mask: 0x01 },
    'fr.second_dlci': { label: 'Second DLCI', type: 'u8', base: 'hex', mask: 0xf0 },
    'fr.fecn': { label: 'FECN', type: 'bool', mask: 0x08 },
    'fr.becn': { label: 'BECN', type: 'bool', mask: 0x04 },
    'fr.de': { label: 'DE', type: 'bool', mask: 0x02 },
    'fr.third_dlci': { label: 'Third DLCI', type: 'u8', base: 'hex', mask: 0xfe },
    'fr.lower_dlci': { label: 'Lower DLCI', type: 'u8', base: 'hex', mask: 0xfc },
    'fr.dlcore_control': { label: 'DL-CORE Control', type: 'u8', base: 'hex', mask: 0xfc },
    'fr.dc': { label: 'DC', type: 'bool', mask: 0x02 },
    'fr.dlci': { label: 'DLCI', type: 'u32' },
    'fr.control': { label: 'Control Field', type: 'u16', base: 'hex' },
    'fr.nlpid': { label: 'NLPID', type: 'u8', base: 'hex', values: NLPIDS },
    'fr.snap.oui': { label: 'Organization Code', type: 'u24', base: 'hex' },
    'fr.snap.pid': { label: 'Protocol ID', type: 'u16', base: 'hex' },
    'fr.snaptype': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'fr.chdlctype': { label: 'Type', type: 'u16', base: 'hex', values: CHDLC_TYPES },
  },
  dissect(c) {
    const dlci = readAddress(c) ?? 0;
    const summary = (): string => `DLCI ${dlci}`;
    const control = c.peek8();
    if (control !== 0x03) {
      // DLCI 0 without UI: LAPF signalling; XID: not dissected; both end in data.
      if (dlci === 0 || control === 0xaf) {
        readControl(c);
        return { summary, info: { dlci } };
      }
      // Cisco encapsulation when the two bytes are a Cisco HDLC protocol tshark knows.
      if (c.has(2) && CISCO_TYPES.has(c.peek16())) {
        const type = c.u16('fr.chdlctype');
        return { summary, info: { dlci, type }, next: chdlcNext(type) };
      }
      // RFC 2427 with another control field, if an NLPID we know follows it; else raw
      // Ethernet (with FCS) when its type/length field looks like one; else data.
      if (!looksLikeRfc2427(c)) {
        const at = c.pos + 12;
        if (at + 2 <= c.capEnd) {
          const typeLength = (c.data[at]! << 8) | c.data[at + 1]!;
          if (typeLength <= 1500 || ETHERTYPES[typeLength] !== undefined) {
            return { summary, info: { dlci }, next: { protocol: 'eth', ctx: { ethFcs: true } } };
          }
        }
        return { summary, info: { dlci } };
      }
    }
    readControl(c);
    return readNlpid(c, dlci, summary);
  },
});

/** Cisco HDLC protocol numbers tshark's `chdlc.protocol` table holds. */
const CISCO_TYPES = new Set([0x0111, 0x0600, 0x0800, 0x2000, 0x4242, 0x6003, 0x6558, 0x8035, 0x8038, 0x809b, 0x80f3, 0x8137, 0x86dd, 0x8847, 0x8848, 0xfefe]);

/** NLPIDs that lead somewhere (tshark's fr.osinl, osinl.incl and fr.nlpid tables, and SNAP). */
const KNOWN_NLPIDS = new Set([0x00, 0x08, 0x09, 0x80, 0x81, 0x82, 0x83, 0x8e, 0xb0, 0xcc, 0xcf]);

/** NLPIDs of OSI protocols whose PDU includes the NLPID (Q.933 on Frame Relay, CLNP, ES-IS, IS-IS). */
const NLPID_INCLUDED = new Set([0x00, 0x08, 0x81, 0x82, 0x83]);

/**
 * Whether a frame whose control byte is not UI still looks like RFC 2427: after the control field
 * (one byte for unnumbered frames, two for information and supervisory frames in extended mode,
 * a padding byte before it allowed) comes an NLPID we know.
 */
function looksLikeRfc2427(c: Cursor): boolean {
  let at = c.pos;
  let control = c.data[at]!;
  if (control === 0 && at + 1 < c.capEnd) control = c.data[++at]!;
  at += (control & 0x03) === 0x03 ? 1 : 2;
  return at < c.capEnd && KNOWN_NLPIDS.has(c.data[at]!);
}

/** The Q.922 control field: one byte for unnumbered frames, two (little-endian) for I and S frames. */
function readControl(c: Cursor): void {
  const b = c.peek8();
  if ((b & 0x03) === 0x03) c.u8('fr.control');
  else c.u16('fr.control', true);
}

/** The NLPID (a padding byte before it allowed) and what it leads to. */
function readNlpid(c: Cursor, dlci: number, summary: () => string): DissectResult {
  let nlpid = c.peek8();
  if (nlpid === 0) {
    c.add('fr.nlpid', 0, c.pos, 1, 'Padding');
    c.skip(1);
    nlpid = c.peek8();
  }
  if (NLPID_INCLUDED.has(nlpid)) {
    // The NLPID is the first byte of the protocol's own PDU (Q.933's protocol discriminator).
    return { summary, info: { dlci, nlpid }, next: { table: 'fr.osinl', keys: [nlpid], fallback: { table: 'osinl.incl', keys: [nlpid] } } };
  }
  c.u8('fr.nlpid');
  if (nlpid === 0x80) {
    const oui = c.u24('fr.snap.oui');
    if (oui === 0) {
      const type = c.u16('fr.snaptype');
      return { summary, info: { dlci, nlpid, oui, type }, next: { table: 'ethertype', keys: [type] } };
    }
    const pid = c.u16('fr.snap.pid');
    // 802.1 bridged frames: Ethernet with (PID 1) or without (PID 7) its FCS.
    if (oui === 0x0080c2 && (pid === 0x0001 || pid === 0x0007)) {
      return { summary, info: { dlci, nlpid, oui, pid }, next: { protocol: 'eth', ctx: { ethFcs: pid === 0x0001 } } };
    }
    return { summary, info: { dlci, nlpid, oui, pid }, next: { table: 'llc.snap', keys: [oui * 0x10000 + pid] } };
  }
  const next = NLPID_NEXT[nlpid];
  return { summary, info: { dlci, nlpid }, next: next !== undefined ? { protocol: next } : { table: 'fr.nlpid', keys: [nlpid] } };
}

const Q933_MESSAGES: Record<number, string> = {
  0x01: 'ALERTING', 0x02: 'CALL PROCEEDING', 0x03: 'PROGRESS', 0x05: 'SETUP', 0x07: 'CONNECT',
  0x0f: 'CONNECT ACKNOWLEDGE', 0x45: 'DISCONNECT', 0x4d: 'RELEASE', 0x5a: 'RELEASE COMPLETE',
  0x75: 'STATUS ENQUIRY', 0x7d: 'STATUS',
};

const Q933_ELEMENTS: Record<number, string> = {
  0x00: 'Segmented message', 0x04: 'Bearer capability', 0x08: 'Cause', 0x14: 'Call state',
  0x19: 'Data link connection identifier', 0x1e: 'Progress indicator', 0x4c: 'Connected number',
  0x4d: 'Connected subaddress', 0x51: 'Report type', 0x53: 'Link verification', 0x57: 'PVC status',
  0x6c: 'Calling party number', 0x6d: 'Calling party subaddress', 0x70: 'Called party number',
  0x71: 'Called party subaddress', 0x78: 'Transit network selection', 0x7c: 'Low-layer compatibility',
  0x7e: 'User-user',
};

/** Most information elements read from one message. */
const MAX_ELEMENTS = 512;

/**
 * ITU-T Q.933 call control (on DLCI 0, NLPID 0x08): protocol discriminator, call reference,
 * message type, then the information elements (single-octet shifts, and type-length-value
 * elements whose contents are kept as data).
 */
export const q933 = defineProtocol({
  id: 'q933',
  name: 'Q.933',
  short: 'Q.933',
  bindings: [{ table: 'fr.osinl', key: 0x08 }],
  fields: {
    'q933.disc': { label: 'Protocol discriminator', type: 'u8', base: 'hex', values: { 0x08: 'Q.933' } },
    'q933.call_ref_len': { label: 'Call reference value length', type: 'u8', mask: 0x0f },
    'q933.call_ref_flag': { label: 'Call reference flag', type: 'bool', mask: 0x80, tfs: ['Message sent to originating side', 'Message sent from originating side'] },
    'q933.call_ref': { label: 'Call reference value', type: 'bytes' },
    'q933.message_type': { label: 'Message type', type: 'u8', base: 'hex', values: Q933_MESSAGES },
    'q933.locking_shift_to_codeset': { label: 'Locking shift to codeset', type: 'u8', mask: 0x07 },
    'q933.non_locking_shift_to_codeset': { label: 'Non-locking shift to codeset', type: 'u8', mask: 0x07 },
    'q933.information_element': { label: 'Information element', type: 'u8', base: 'hex', values: Q933_ELEMENTS },
    'q933.length': { label: 'Length', type: 'u8' },
    'q933.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    c.u8('q933.disc');
    const refLen = c.bits('q933.call_ref_len', 1, 0x0f);
    c.skip(1);
    if (refLen > 0) {
      c.flag('q933.call_ref_flag', 1, 0x80);
      // The value without the flag bit.
      const at = c.pos;
      c.need(refLen, 'q933.call_ref');
      const value = Uint8Array.from(c.data.subarray(at, at + refLen));
      value[0] = value[0]! & 0x7f;
      if (c.wants('q933.call_ref')) c.add('q933.call_ref', value, at, refLen);
      c.skip(refLen);
    }
    const type = c.u8('q933.message_type');
    const name = Q933_MESSAGES[type] ?? `Unknown message type (0x${type.toString(16).toUpperCase().padStart(2, '0')})`;
    c.provisional = name;
    for (let n = 0; c.reportedRemaining() > 0; n++) {
      if (n >= MAX_ELEMENTS) {
        c.expert('warning', `more than ${MAX_ELEMENTS} information elements; the rest is not dissected`);
        c.skip(c.remaining());
        break;
      }
      const id = c.peek8();
      if ((id & 0x80) !== 0) {
        // Single-octet elements: shifts (0x9X) and others without a length.
        if ((id & 0xf0) === 0x90) c.bits((id & 0x08) !== 0 ? 'q933.non_locking_shift_to_codeset' : 'q933.locking_shift_to_codeset', 1, 0x07);
        c.skip(1);
        continue;
      }
      c.u8('q933.information_element');
      const len = c.u8('q933.length');
      c.bytes('q933.data', len);
    }
    return { summary: name, info: { type } };
  },
});
