/**
 * A frame's conversation as a 32-bit key, read straight from its bytes: a symmetric hash of the
 * outermost IP address pair, the IP protocol and, for TCP, UDP, SCTP, DCCP and UDP-Lite, the
 * port pair (both directions give the same key). The two-pass filter run (`two-pass.ts`) uses
 * it to tell which frames can hold state a later matching frame depends on: its low
 * `CONVERSATION_KEY_BITS` bits pick a bucket (`conversationBucket`), the bits above tell most
 * conversations of one bucket apart (`conversationTag`).
 *
 * Different conversations may share a key; that only costs work, since a key stands for all of
 * them. What cannot be keyed this way gives -1 and is always dissected: frames without
 * an IP header the link walk finds, IP fragments (later fragments carry no ports), IPv6 packets
 * with a fragment or AH header or more than eight extension headers, and TFTP on port 69 (a
 * transfer continues between other ports than its request's). Any other IP protocol (ICMP, GRE,
 * ESP, IP in IP) is keyed by the address pair and the protocol, which puts every conversation
 * inside a tunnel in its tunnel's bucket.
 */
import type { Frame } from '../capture/frame.js';
import { addressPairHash, ipStart, symmetricMix } from './parallel/shard.js';

/** log2 of the number of buckets. */
export const CONVERSATION_KEY_BITS = 19;
const MASK = (1 << CONVERSATION_KEY_BITS) - 1;

/** The bucket of a key (0 to 2^CONVERSATION_KEY_BITS - 1). */
export const conversationBucket = (key: number): number => key & MASK;
/** The bits of a key above its bucket (0 to 2^(32 - CONVERSATION_KEY_BITS) - 1). */
export const conversationTag = (key: number): number => key >>> CONVERSATION_KEY_BITS;
/** 1 for IP protocols whose first four bytes are source and destination ports (TCP, UDP, DCCP, SCTP, UDP-Lite). */
const PORTED = new Uint8Array(256);
for (const p of [6, 17, 33, 132, 136]) PORTED[p] = 1;
/** 1 for the IPv6 extension headers walked to the upper-layer header: hop-by-hop, routing, destination options. */
const IPV6_EXTENSIONS = new Uint8Array(256);
for (const p of [0, 43, 60]) IPV6_EXTENSIONS[p] = 1;
const TFTP_PORT = 69;

/**
 * The frame's conversation key (0 to 2^32 - 1), or -1. With `payload`,
 * its first element is set to where the transport payload starts (-1 when not known).
 */
export function conversationKey(f: Frame, payload?: Int32Array): number {
  if (payload !== undefined) payload[0] = -1;
  if (f.kind !== 'packet') return -1;
  const at = ipStart(f);
  return at < 0 ? -1 : conversationKeyAt(f.data, at, payload);
}

/**
 * The conversation key of the IP header found by `ipStart` (`at`: its offset times 8 plus its
 * version), or -1; `payload` as for `conversationKey` (set to -1 by the caller first).
 */
export function conversationKeyAt(d: Uint8Array, at: number, payload?: Int32Array): number {
  const p = at >> 3;
  const version = at & 7;
  const n = d.length;
  let proto: number;
  let upper: number;
  if (version === 4) {
    const hlen = (d[p]! & 0x0f) * 4;
    // More fragments, or a fragment offset: not the whole datagram.
    if (hlen < 20 || ((d[p + 6]! & 0x3f) | d[p + 7]!) !== 0) return -1;
    proto = d[p + 9]!;
    upper = p + hlen;
  } else {
    proto = d[p + 6]!;
    upper = p + 40;
    for (let guard = 0; IPV6_EXTENSIONS[proto] === 1 && guard < 8; guard++) {
      if (upper + 8 > n) return -1;
      proto = d[upper]!;
      upper += (d[upper + 1]! + 1) * 8;
    }
    // Fragments, AH and anything else chained: left to the dissector.
    if (proto === 44 || proto === 51 || IPV6_EXTENSIONS[proto] === 1) return -1;
  }
  let h = addressPairHash(d, p, version) ^ Math.imul(proto + 1, 0x27d4eb2f);
  if (PORTED[proto] === 1) {
    if (upper + 4 > n) return -1;
    const sport = (d[upper]! << 8) | d[upper + 1]!;
    const dport = (d[upper + 2]! << 8) | d[upper + 3]!;
    if (proto === 17 && (sport === TFTP_PORT || dport === TFTP_PORT)) return -1;
    h = Math.imul(h ^ symmetricMix(sport + 1, dport + 1), 0x165667b1);
    if (payload !== undefined) payload[0] = proto === 6 ? (upper + 13 <= n ? upper + (d[upper + 12]! >> 4) * 4 : -1) : proto === 17 ? upper + 8 : -1;
  } else if (payload !== undefined) payload[0] = upper;
  return (h ^ (h >>> 13)) >>> 0;
}
