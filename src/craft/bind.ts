/**
 * What a layer below needs to know of the layer above it: ethertypes, IP protocol numbers,
 * default ports, and the IP pseudo-header for transport checksums.
 */
import type { Layer } from './layer.js';
import type { IPOption } from './layers/ip.js';
import { ByteWriter, parseIPv4, parseIPv6 } from './values.js';

const ETHERTYPES: Readonly<Record<string, number>> = { IP: 0x0800, IPv6: 0x86dd, ARP: 0x0806, Dot1Q: 0x8100, Ether: 0x6558 };

const ICMPV6_LAYERS = ['ICMPv6EchoRequest', 'ICMPv6EchoReply', 'ICMPv6ND_NS', 'ICMPv6ND_NA', 'ICMPv6ND_RS', 'ICMPv6'];

const IP_PROTOCOLS: Readonly<Record<string, number>> = {
  IPv6ExtHdrHopByHop: 0,
  ICMP: 1,
  IP: 4,
  TCP: 6,
  UDP: 17,
  IPv6: 41,
  IPv6ExtHdrRouting: 43,
  IPv6ExtHdrFragment: 44,
  GRE: 47,
  IPv6ExtHdrDestOpt: 60,
  ...Object.fromEntries(ICMPV6_LAYERS.map((n) => [n, 58])),
};

export const IPV6_EXTENSIONS = new Set(['IPv6ExtHdrHopByHop', 'IPv6ExtHdrRouting', 'IPv6ExtHdrFragment', 'IPv6ExtHdrDestOpt']);

/** The ethertype announcing `upper` (`fallback` when there is none or it has none). */
export function etherTypeOf(upper: Layer | undefined, fallback: number): number {
  return upper === undefined ? fallback : (ETHERTYPES[upper.name] ?? fallback);
}

/** The IP protocol / next-header number announcing `upper`. */
export function ipProtoOf(upper: Layer | undefined, fallback: number): number {
  return upper === undefined ? fallback : (IP_PROTOCOLS[upper.name] ?? fallback);
}

/** Default [source, destination] ports for a TCP/UDP header carrying `upper`. */
export function portsOf(upper: Layer | undefined, transport: 'tcp' | 'udp', fallback: readonly [number, number]): readonly [number, number] {
  return upper?.def.ports?.(upper, transport) ?? fallback;
}

/**
 * The pseudo-header of the nearest IP layer below (IPv4 or IPv6, through extension headers),
 * for a transport of protocol `proto` and `length` bytes; undefined when there is none.
 */
export function pseudoHeader(below: readonly Layer[], proto: number, length: number): Uint8Array | undefined {
  let finalDst: string | undefined;
  for (let i = below.length - 1; i >= 0; i--) {
    const l = below[i]!;
    if (l.name === 'IPv6ExtHdrRouting') {
      // RFC 8200 8.1: the pseudo-header holds the final destination of a routing header.
      const addrs = l.get('addresses') as readonly string[];
      if (addrs.length > 0 && (l.has('segleft') ? l.num('segleft') : addrs.length) > 0) finalDst = addrs[addrs.length - 1];
    }
    if (l.name === 'IP') {
      // A source route's last address is where the datagram ends up, and the pseudo-header's.
      const routed = sourceRouteFinal(l.get('options') as readonly IPOption[]);
      return new ByteWriter().bytes(parseIPv4(l.str('src'))).bytes(parseIPv4(routed ?? l.str('dst'))).u8(0).u8(proto).u16(length).done();
    }
    if (l.name === 'IPv6') {
      return new ByteWriter().bytes(parseIPv6(l.str('src'))).bytes(parseIPv6(finalDst ?? l.str('dst'))).u32(length).zeros(3).u8(proto).done();
    }
    if (!IPV6_EXTENSIONS.has(l.name)) return undefined;
  }
  return undefined;
}

/**
 * Where a source-routed datagram ends up: the last address of an LSRR or SSRR option whose
 * pointer is still inside the route (RFC 1122 3.2.1.8; transport checksums use it), else undefined.
 */
export function sourceRouteFinal(options: readonly IPOption[]): string | undefined {
  for (const o of options) {
    if (!Array.isArray(o) || typeof o[0] !== 'string' || !/^(lsrr|ssrr)$/i.test(o[0])) continue;
    const route = o[1] as readonly unknown[];
    const pointer = typeof o[2] === 'number' ? o[2] : 4;
    if (pointer <= 3 + 4 * route.length) return String(route[route.length - 1]);
  }
  return undefined;
}
