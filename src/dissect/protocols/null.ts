import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

/** BSD AF_ values as they appear in capture files (the same on every platform except IPv6). */
const FAMILIES: Record<number, string> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk LAP',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

/** Families Wireshark hands to a known dissector (others go to the `null.family` table). */
const FAMILY_PROTOCOLS: Record<number, string> = { 2: 'ip', 24: 'ipv6', 28: 'ipv6', 30: 'ipv6' };

/**
 * The AF_ value of a LINKTYPE_NULL header, written in the capturing host's byte order: read
 * little-endian, then undo a byte swap the way Wireshark does (a BSD AF_ value never has its
 * top byte set; a 16-bit AF_ in the first two bytes comes from IRIX-style headers).
 */
function hostOrderFamily(b0: number, b1: number, b2: number, b3: number): number {
  const le = (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
  if ((le & 0xffff0000) === 0) return le;
  if ((le & 0xff000000) === 0 && (le & 0x00ff0000) >>> 0 < 0x00060000) return le >>> 16;
  return ((b3 | (b2 << 8) | (b1 << 16) | (b0 << 24)) >>> 0);
}

/**
 * BSD loopback encapsulation (LINKTYPE_NULL, and LINKTYPE_LOOP through the `null.loop`
 * hand-off): a 4-byte address family, or an Ethertype when the value exceeds 1500.
 */
export const nullProto = defineProtocol({
  id: 'null',
  name: 'Null/Loopback',
  short: 'Null',
  bindings: [{ table: 'linktype', key: 0 }],
  fields: {
    'null.type': { label: 'Type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'null.family': { label: 'Family', type: 'u32', values: FAMILIES },
  },
  dissect(c) {
    const start = c.pos;
    const loop = c.ctx['handedOffFrom'] === 'null.loop';
    const ctx = { handedOffFrom: undefined };
    // PPP in HDLC-like framing on a loopback link: Wireshark checks for FF 03 first and hands
    // the whole frame to PPP, with no null header.
    if (!loop && c.has(2) && c.peek16() === 0xff03) return { handoff: 'ppp' };
    c.need(4, 'null.family');
    const d = c.data;
    const value = loop ? c.peek32() : hostOrderFamily(d[start]!, d[start + 1]!, d[start + 2]!, d[start + 3]!);
    if (!loop && value > 1500) {
      const type = value & 0xffff;
      c.add('null.type', type, start, 4);
      c.skip(4);
      return {
        summary: () => `Type: ${ETHERTYPES[type] ?? `0x${type.toString(16).padStart(4, '0')}`}`,
        info: { type },
        next: { table: 'ethertype', keys: [type], ctx },
      };
    }
    c.add('null.family', value, start, 4);
    c.skip(4);
    const proto = FAMILY_PROTOCOLS[value];
    return {
      summary: () => `Family: ${FAMILIES[value] ?? 'Unknown'} (${value})`,
      info: { family: value },
      next: proto !== undefined ? { protocol: proto, ctx } : { table: 'null.family', keys: [value], ctx },
    };
  },
});

/** LINKTYPE_LOOP (OpenBSD): the same header in network byte order, shown by Wireshark as `null`. */
export const nullLoop = defineProtocol({
  id: 'null.loop',
  name: 'OpenBSD loopback',
  short: 'Null',
  bindings: [{ table: 'linktype', key: 108 }],
  fields: {},
  dissect: () => ({ handoff: 'null' }),
});
