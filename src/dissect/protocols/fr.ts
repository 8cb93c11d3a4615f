import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
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
const NLPID_NEXT: Record<number, string> = { 0x08: 'q933', 0x8e: 'ipv6', 0xcc: 'ip', 0xcf: 'ppp' };

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
    if ((b2 & 0x01) === 0) c.malformed('address longer than 4 octets', 'fr.ea');
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
    'fr.control': { label: 'Control Field', type: 'u8', base: 'hex' },
    'fr.nlpid': { label: 'NLPID', type: 'u8', base: 'hex', values: NLPIDS },
    'fr.snap.oui': { label: 'Organization Code', type: 'u24', base: 'hex' },
    'fr.snap.pid': { label: 'Protocol ID', type: 'u16', base: 'hex' },
    'fr.snaptype': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'fr.chdlctype': { label: 'Type', type: 'u16', base: 'hex', values: CHDLC_TYPES },
  },
  dissect(c) {
    const dlci = readAddress(c);
    if (dlci === undefined) return { summary: 'Bogus address', info: {} };
    const summary = (): string => `DLCI ${dlci}`;
    const control = c.peek8();
    if (control !== 0x03) {
      // DLCI 0 without UI: LAPF signalling; XID: not dissected. Otherwise Cisco encapsulation.
      if (dlci === 0 || control === 0xaf || control === 0xbf) return { summary, info: { dlci } };
      const type = c.u16('fr.chdlctype');
      return { summary, info: { dlci, type }, next: chdlcNext(type) };
    }
    c.u8('fr.control');
    let nlpid = c.peek8();
    if (nlpid === 0) {
      c.skip(1);
      nlpid = c.peek8();
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
    return {
      summary,
      info: { dlci, nlpid },
      next: next !== undefined ? { protocol: next } : { table: 'fr.nlpid', keys: [nlpid] },
    };
  },
});

/** ITU-T Q.933 call control on DLCI 0 (identified; the messages are not dissected). */
export const q933 = defineProtocol({
  id: 'q933',
  name: 'Q.933',
  short: 'Q.933',
  fields: {
    'q933.disc': { label: 'Protocol discriminator', type: 'u8', base: 'hex' },
    'q933.call_ref_len': { label: 'Call reference value length', type: 'u8' },
    'q933.call_ref': { label: 'Call reference value', type: 'bytes' },
    'q933.message_type': { label: 'Message type', type: 'u8', base: 'hex' },
  },
  dissect(c) {
    // Q.933 includes its protocol discriminator (the NLPID byte just read by FR).
    const disc = c.data[c.pos - 1]!;
    c.add('q933.disc', disc, c.pos - 1, 0);
    const refLen = c.bits('q933.call_ref_len', 1, 0x0f);
    c.skip(1);
    if (refLen > 0) c.bytes('q933.call_ref', refLen);
    const type = c.u8('q933.message_type');
    return { summary: () => `Message type 0x${type.toString(16).padStart(2, '0')}`, info: { type } };
  },
});
