import { finishChecksum, onesSum, pseudoHeaderSum } from '../checksum.js';
import type { Cursor } from '../cursor.js';
import { finalDestination } from './ip.js';

/**
 * Verifies a TCP/UDP/ICMPv6 checksum over the layer starting at `start` with the pseudo header
 * of the nearest IP layer below. Returns undefined when it cannot be checked (bytes missing,
 * no IP below, inside an ICMP error quote), else whether it is right.
 */
export function verifyTransportChecksum(c: Cursor, start: number, length: number, proto: number): boolean | undefined {
  if (c.ctx['inError'] === true || start + length > c.capEnd || length < 0) return undefined;
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'ip') {
      // A source route still to be walked ends at its last address, which the sum covers.
      const hlen = (c.data[l.offset]! & 0x0f) * 4;
      const routed = hlen > 20 && l.offset + hlen <= c.capEnd ? finalDestination(c.data, l.offset + 20, l.offset + hlen) : -1;
      const sum = routed < 0 ? pseudoHeaderSum(c.data, l.offset + 12, 4, proto, length) : onesSum(c.data, l.offset + 12, l.offset + 16) + onesSum(c.data, routed, routed + 4) + proto + length;
      return finishChecksum(onesSum(c.data, start, start + length, sum)) === 0;
    }
    if (l.protocol === 'ipv6') {
      // A routing header with segments left names the final destination the sum covers.
      let finalDst = -1;
      for (let j = i + 1; j < c.below.length; j++) {
        const r = c.below[j]!;
        if (r.protocol === 'ipv6.routing' && typeof r.info['finalDstAt'] === 'number' && r.info['finalDstAt'] >= 0) finalDst = r.info['finalDstAt'];
      }
      const sum = finalDst < 0 ? pseudoHeaderSum(c.data, l.offset + 8, 16, proto, length) : onesSum(c.data, l.offset + 8, l.offset + 24) + onesSum(c.data, finalDst, finalDst + 16) + proto + Math.floor(length / 0x10000) + (length & 0xffff);
      return finishChecksum(onesSum(c.data, start, start + length, sum)) === 0;
    }
  }
  return undefined;
}

/** The IPv4 TTL or IPv6 hop limit of the nearest IP layer below, for summaries. */
export function ttlBelow(c: Cursor): number | undefined {
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'ip') return l.info['ttl'] as number;
    if (l.protocol === 'ipv6') return l.info['hlim'] as number;
  }
  return undefined;
}

export const CHECKSUM_STATUS: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };
