/**
 * What the graph tells about an address: internal (private, loopback, link-local), external,
 * or a group address (broadcast, multicast), and which subnet it falls in for `--cluster`.
 */

import { ipv4FromText, ipv6FromText } from '../util/address-text.js';

export type AddressScope = 'internal' | 'external' | 'group';

/** Parses dotted IPv4 into a 32-bit unsigned number; undefined when it is not one. */
export const parseIpv4 = (text: string): number | undefined => ipv4FromText(text);

/** Parses IPv6 text (compressed, or with an embedded IPv4 tail; a `%zone` ignored) into eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  const zone = text.indexOf('%');
  const b = ipv6FromText(zone >= 0 ? text.slice(0, zone) : text);
  return b === undefined ? undefined : Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
}

const inV4 = (n: number, base: string, bits: number): boolean => {
  const b = parseIpv4(base)!;
  const shift = 32 - bits;
  return Math.floor(n / 2 ** shift) === Math.floor(b / 2 ** shift);
};

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/**
 * Internal: RFC 1918, loopback and link-local IPv4; IPv6 unique-local (fc00::/7), link-local
 * (fe80::/10), loopback and unspecified; every unicast MAC address (a device on the local link).
 * Group: broadcast and multicast addresses (IPv4 255.255.255.255 and 224.0.0.0/4, IPv6
 * ff00::/8, MAC addresses with the group bit). Everything else is external.
 */
export function addressScope(address: string): AddressScope {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) {
    if (v4 === 0xffffffff || inV4(v4, '224.0.0.0', 4)) return 'group';
    if (inV4(v4, '10.0.0.0', 8) || inV4(v4, '172.16.0.0', 12) || inV4(v4, '192.168.0.0', 16)) return 'internal';
    if (inV4(v4, '127.0.0.0', 8) || inV4(v4, '169.254.0.0', 16) || v4 === 0) return 'internal';
    return 'external';
  }
  if (MAC.test(address)) return (parseInt(address.slice(0, 2), 16) & 1) === 1 ? 'group' : 'internal';
  const v6 = parseIpv6(address);
  if (v6 !== undefined) {
    const g0 = v6[0]!;
    if (g0 >= 0xff00) return 'group';
    if ((g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80) return 'internal';
    if (v6.slice(0, 7).every((g) => g === 0) && v6[7]! <= 1) return 'internal';
    // IPv4-mapped: the IPv4 address decides.
    if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) return addressScope(`${v6[6]! >>> 8}.${v6[6]! & 255}.${v6[7]! >>> 8}.${v6[7]! & 255}`);
    return 'external';
  }
  return 'external';
}

/** Whether an address is a broadcast or multicast address (`--exclude-broadcast`). */
export const isGroupAddress = (address: string): boolean => addressScope(address) === 'group';

/**
 * The subnet of an address as `10.1.2.0/24` or `2001:db8:0:1::/64`; undefined for addresses
 * that are not IP (MAC addresses) and for group addresses.
 */
export function subnetOf(address: string, v4Bits: number, v6Bits: number): string | undefined {
  if (addressScope(address) === 'group') return undefined;
  const v4 = parseIpv4(address);
  if (v4 !== undefined) {
    const shift = 32 - v4Bits;
    const net = Math.floor(v4 / 2 ** shift) * 2 ** shift;
    return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${v4Bits}`;
  }
  const v6 = parseIpv6(address);
  if (v6 === undefined) return undefined;
  const groups = v6.map((g, i) => {
    const from = i * 16;
    if (from >= v6Bits) return 0;
    const keep = Math.min(16, v6Bits - from);
    return keep === 16 ? g : g & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${formatIpv6Groups(groups)}/${v6Bits}`;
}

/** Eight groups as compressed IPv6 text (the longest run of two or more zero groups becomes ::). */
export function formatIpv6Groups(g: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: readonly number[]): string => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
