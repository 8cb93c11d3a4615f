import { addressHash, formatIpv6, type Cursor } from '../cursor.js';
import { defineProtocol, type DissectResult, keyedNext } from '../protocol.js';
import { IP_PROTOCOLS } from './ip-protocols.js';

const IP_PROTO_NEXT = keyedNext('ip.proto');

/** Internet Protocol version 6 (the fixed header; extension headers are layers of their own, as in Wireshark). */
export const ipv6 = defineProtocol({
  id: 'ipv6',
  name: 'Internet Protocol Version 6',
  short: 'IPv6',
  bindings: [
    { table: 'ethertype', key: 0x86dd },
    { table: 'ip.proto', key: 41 },
    { table: 'linktype', key: 229 },
    { table: 'ppp.protocol', key: 0x0057 },
  ],
  fields: {
    'ipv6.version': { label: 'Version', type: 'u8', mask: 0xf0 },
    'ipv6.tclass': { label: 'Traffic Class', type: 'u32', base: 'hex', mask: 0x0ff00000 },
    'ipv6.tclass.dscp': { label: 'Differentiated Services Codepoint', type: 'u32', mask: 0x0fc00000 },
    'ipv6.tclass.ecn': { label: 'Explicit Congestion Notification', type: 'u32', mask: 0x00300000 },
    'ipv6.flow': { label: 'Flow Label', type: 'u32', base: 'hex', mask: 0x000fffff },
    'ipv6.plen': { label: 'Payload Length', type: 'u16' },
    'ipv6.nxt': { label: 'Next Header', type: 'u8', values: IP_PROTOCOLS },
    'ipv6.hlim': { label: 'Hop Limit', type: 'u8' },
    'ipv6.src': { label: 'Source Address', type: 'ipv6' },
    'ipv6.dst': { label: 'Destination Address', type: 'ipv6' },
    'ipv6.addr': { label: 'Source or Destination Address', type: 'ipv6' },
  },
  dissect(c) {
    const start = c.pos;
    const version = c.peek8() >> 4;
    if (version !== 6) {
      // tshark flags the version and declines the packet: a protocol that called IPv6 (an
      // Ethertype, IP protocol 41) shows it all as data; the link-type table shows nothing more.
      c.bits('ip.version', 1, 0xf0);
      c.expert('error', `Bogus IPv6 version (${version}, must be 6)`, 'ip.version', start);
      const summary = `Bogus IPv6 version (${version}, must be 6)`;
      if (c.below.length === 0) {
        c.skip(c.remaining());
        return { summary, info: { version } };
      }
      return { summary, info: { version }, payloadOffset: start, next: { protocol: 'data' } };
    }
    c.bits('ip.version', 1, 0xf0);
    c.bits('ipv6.version', 1, 0xf0);
    c.group('ipv6.tclass', () => {
      c.bits('ipv6.tclass.dscp', 4, 0x0fc00000);
      c.bits('ipv6.tclass.ecn', 4, 0x00300000);
      return c.bits(undefined, 4, 0x0ff00000);
    }, 4);
    c.bits('ipv6.flow', 4, 0x000fffff);
    c.skip(4);
    const plen = c.u16('ipv6.plen');
    const nxt = c.u8('ipv6.nxt');
    const hlim = c.u8('ipv6.hlim');
    const src = c.ipv6('ipv6.src');
    const dst = c.ipv6('ipv6.dst');
    if (c.wantsHidden('ipv6.addr')) {
      c.add('ipv6.addr', src, start + 8, 16);
      c.add('ipv6.addr', dst, start + 24, 16);
    }
    const inError = c.ctx['inError'] === true;
    // Payload length 0 with a hop-by-hop header is a jumbogram: its length is in the option.
    if (!(plen === 0 && nxt === 0)) {
      if (inError) {
        if (start + 40 + plen < c.repEnd) c.limit(40 + plen);
      } else {
        c.limit(40 + plen, 'ipv6.plen');
      }
    }
    return {
      summary: () => `${src} → ${dst}`,
      info: c.infoWanted ? { src, dst, srcHash: addressHash(c.data, start + 8, 16), dstHash: addressHash(c.data, start + 24, 16), nxt, hlim, plen, inError } : undefined,
      next: IP_PROTO_NEXT(nxt),
    };
  },
});

const OPTION_TYPES: Record<number, string> = {
  0x00: 'Pad1',
  0x01: 'PadN',
  0x04: 'Tunnel Encapsulation Limit',
  0x05: 'Router Alert',
  0x07: 'CALIPSO',
  0x08: 'SMF_DPD',
  0x26: 'Quick-Start',
  0x31: 'Path MTU',
  0x63: 'RPL Option',
  0x6d: 'MPL Option',
  0xc2: 'Jumbo Payload',
  0xc9: 'Home Address',
};

/** Reads TLV options (hop-by-hop and destination options) up to `end`. */
/** Most options itemised in one hop-by-hop or destination options header (2,048 bytes of Pad1 at most). */
export const MAX_IPV6_TLV_OPTIONS = 256;

function readTlvOptions(c: Cursor, prefix: string, end: number): number | undefined {
  let jumbo: number | undefined;
  let guard = 0;
  while (c.pos < end && guard++ < MAX_IPV6_TLV_OPTIONS) {
    const at = c.pos;
    const type = c.peek8();
    if (type === 0) {
      c.group(`${prefix}.opt`, () => {
        c.u8(`${prefix}.opt.type`);
        return c.span(at, at + 1);
      }, 1, () => 'Pad1');
      continue;
    }
    const len = c.peek8(1);
    if (at + 2 + len > end) c.malformed(`IPv6 option ${type} of length ${len} runs past its header`, `${prefix}.opt.length`, at);
    c.group(`${prefix}.opt`, () => {
      c.u8(`${prefix}.opt.type`);
      c.u8(`${prefix}.opt.length`);
      if (type === 0xc2 && len === 4) jumbo = c.u32(`${prefix}.opt.jumbo`);
      else if (type === 0x05 && len === 2) c.u16(`${prefix}.opt.router_alert`);
      else if (type === 0x01) c.bytes(`${prefix}.opt.padn`, len);
      else if (len > 0) c.bytes(`${prefix}.opt.data`, len);
      return c.span(at, at + 2 + len);
    }, 2 + len, () => `${OPTION_TYPES[type] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`}`);
  }
  if (c.pos < end && guard > MAX_IPV6_TLV_OPTIONS) c.expert('warning', `more than ${MAX_IPV6_TLV_OPTIONS} options; the rest is not dissected`, undefined, c.pos);
  return jumbo;
}

function optionFields(prefix: string, label: string) {
  return {
    [`${prefix}.nxt`]: { label: 'Next Header', type: 'u8', values: IP_PROTOCOLS },
    [`${prefix}.len`]: { label: 'Length', type: 'u8' },
    [`${prefix}.len_oct`]: { label: 'Length', type: 'u16' },
    [`${prefix}.opt`]: { label: `${label} Option`, type: 'bytes' },
    [`${prefix}.opt.type`]: { label: 'Type', type: 'u8', base: 'hex', values: OPTION_TYPES },
    [`${prefix}.opt.length`]: { label: 'Length', type: 'u8' },
    [`${prefix}.opt.padn`]: { label: 'PadN', type: 'bytes' },
    [`${prefix}.opt.jumbo`]: { label: 'Payload Length', type: 'u32' },
    [`${prefix}.opt.router_alert`]: { label: 'Router Alert', type: 'u16' },
    [`${prefix}.opt.data`]: { label: 'Data', type: 'bytes' },
  } as const;
}

function optionsHeader(c: Cursor, prefix: string): DissectResult {
  const start = c.pos;
  const nxt = c.u8(`${prefix}.nxt`);
  const len = c.u8(`${prefix}.len`);
  const bytes = (len + 1) * 8;
  c.add(`${prefix}.len_oct`, bytes, start + 1, 0, `Length: ${bytes} bytes`);
  c.need(bytes - 2, `${prefix}.opt`);
  const jumbo = readTlvOptions(c, prefix, start + bytes);
  if (jumbo !== undefined && c.below[c.below.length - 1]?.protocol === 'ipv6') c.limit(jumbo + bytes);
  return { info: { nxt }, payloadOffset: start + bytes, next: IP_PROTO_NEXT(nxt) };
}

export const ipv6Hopopts = defineProtocol({
  id: 'ipv6.hopopts',
  chained: true,
  name: 'IPv6 Hop-by-Hop Option',
  short: 'IPv6',
  bindings: [{ table: 'ip.proto', key: 0 }],
  fields: optionFields('ipv6.hopopts', 'Hop-by-Hop'),
  dissect: (c) => optionsHeader(c, 'ipv6.hopopts'),
});

export const ipv6Dstopts = defineProtocol({
  id: 'ipv6.dstopts',
  chained: true,
  name: 'Destination Options for IPv6',
  short: 'IPv6',
  bindings: [{ table: 'ip.proto', key: 60 }],
  fields: optionFields('ipv6.dstopts', 'Destination'),
  dissect: (c) => optionsHeader(c, 'ipv6.dstopts'),
});

const ROUTING_TYPES: Record<number, string> = {
  0: 'Source Route',
  2: 'Type 2 Routing',
  3: 'RPL Source Route',
  4: 'Segment Routing',
};

export const ipv6Routing = defineProtocol({
  id: 'ipv6.routing',
  chained: true,
  name: 'Routing Header for IPv6',
  short: 'IPv6',
  bindings: [{ table: 'ip.proto', key: 43 }],
  fields: {
    'ipv6.routing.nxt': { label: 'Next Header', type: 'u8', values: IP_PROTOCOLS },
    'ipv6.routing.len': { label: 'Length', type: 'u8' },
    'ipv6.routing.len_oct': { label: 'Length', type: 'u16' },
    'ipv6.routing.type': { label: 'Type', type: 'u8', values: ROUTING_TYPES },
    'ipv6.routing.segleft': { label: 'Segments Left', type: 'u8' },
    'ipv6.routing.src.reserved': { label: 'Reserved', type: 'u32', base: 'hex' },
    'ipv6.routing.src.addr': { label: 'Address', type: 'ipv6' },
    'ipv6.routing.srh.last_entry': { label: 'Last Entry', type: 'u8' },
    'ipv6.routing.srh.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'ipv6.routing.srh.tag': { label: 'Tag', type: 'u16', base: 'hex' },
    'ipv6.routing.srh.addr': { label: 'Address', type: 'ipv6' },
    'ipv6.routing.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const nxt = c.u8('ipv6.routing.nxt');
    const len = c.u8('ipv6.routing.len');
    const bytes = (len + 1) * 8;
    c.add('ipv6.routing.len_oct', bytes, start + 1, 0, `Length: ${bytes} bytes`);
    const type = c.u8('ipv6.routing.type');
    c.u8('ipv6.routing.segleft');
    const end = start + bytes;
    if (type === 0) {
      c.u32('ipv6.routing.src.reserved');
      while (c.pos + 16 <= end) c.ipv6('ipv6.routing.src.addr');
    } else if (type === 4) {
      c.u8('ipv6.routing.srh.last_entry');
      c.u8('ipv6.routing.srh.flags');
      c.u16('ipv6.routing.srh.tag');
      while (c.pos + 16 <= end) c.ipv6('ipv6.routing.srh.addr');
    }
    if (c.pos < end) c.bytes('ipv6.routing.data', end - c.pos);
    // With segments left, the upper layer's checksum covers the final destination (RFC 8200
    // 8.1): the last address of a type 0 list, the first of a segment routing list (kept in
    // reverse), the home address of type 2.
    const segleft = c.data[start + 3]!;
    const finalDstAt = segleft === 0 || bytes < 24 || start + bytes > c.capEnd ? -1 : type === 0 ? start + 8 + 16 * Math.floor((bytes - 8) / 16) - 16 : type === 2 || type === 4 ? start + 8 : -1;
    return { info: { nxt, type, finalDst: type === 0 && finalDstAt >= 0 ? formatIpv6(c.data, finalDstAt) : undefined, finalDstAt }, payloadOffset: end, next: IP_PROTO_NEXT(nxt) };
  },
});

export const ipv6Fraghdr = defineProtocol({
  id: 'ipv6.fraghdr',
  chained: true,
  name: 'Fragment Header for IPv6',
  short: 'IPv6',
  bindings: [{ table: 'ip.proto', key: 44 }],
  fields: {
    'ipv6.fraghdr.nxt': { label: 'Next header', type: 'u8', values: IP_PROTOCOLS },
    'ipv6.fraghdr.reserved_octet': { label: 'Reserved octet', type: 'u8', base: 'hex' },
    'ipv6.fraghdr.offset': { label: 'Offset', type: 'u16', mask: 0xfff8 },
    'ipv6.fraghdr.reserved_bits': { label: 'Reserved bits', type: 'u16', mask: 0x0006 },
    'ipv6.fraghdr.more': { label: 'More Fragments', type: 'bool', mask: 0x0001, tfs: ['Yes', 'No'] },
    'ipv6.fraghdr.ident': { label: 'Identification', type: 'u32', base: 'hex' },
  },
  dissect(c) {
    const nxt = c.u8('ipv6.fraghdr.nxt');
    c.u8('ipv6.fraghdr.reserved_octet');
    const offset = c.bits('ipv6.fraghdr.offset', 2, 0xfff8);
    c.bits('ipv6.fraghdr.reserved_bits', 2, 0x0006);
    const more = c.flag('ipv6.fraghdr.more', 2, 0x0001);
    c.skip(2);
    const ident = c.u32('ipv6.fraghdr.ident');
    const summary = (): string => `IPv6 fragment (off=${offset * 8} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`;
    if (offset !== 0) return { summary, info: { nxt, offset, more, ident } };
    return { summary, info: { nxt, offset, more, ident }, next: IP_PROTO_NEXT(nxt) };
  },
});
