/**
 * Which worker dissects a frame. Dissection keeps state per conversation (TCP sequence
 * analysis, a TLS stream's version, QUIC keys), so every packet between the same two hosts
 * must reach the same worker: the shard is a symmetric hash of the outermost IPv4/IPv6
 * address pair, found by walking the common link headers. Frames without one all go to
 * shard 0, which keeps them together in capture order.
 */
import type { Frame } from '../../capture/frame.js';
import { addressHash } from '../../dissect/cursor.js';

const isVlanTag = (type: number): boolean => type === 0x8100 || type === 0x88a8 || type === 0x9100;

/** Offset of the outermost IP header times 8 plus its version (4 or 6), or -1. */
export function ipStart(f: Frame): number {
  const d = f.data;
  const n = d.length;
  let p: number;
  let type: number;
  switch (f.linkType) {
    case 1: // Ethernet
      if (n < 14) return -1;
      p = 14;
      type = (d[12]! << 8) | d[13]!;
      while (isVlanTag(type) && p + 4 <= n) {
        type = (d[p + 2]! << 8) | d[p + 3]!;
        p += 4;
      }
      break;
    case 113: // Linux cooked (SLL)
      if (n < 16) return -1;
      p = 16;
      type = (d[14]! << 8) | d[15]!;
      break;
    case 276: // SLL2
      if (n < 20) return -1;
      p = 20;
      type = (d[0]! << 8) | d[1]!;
      break;
    case 101:
    case 228:
    case 229:
    case 12:
    case 14: // raw IP
      p = 0;
      type = n > 0 && d[0]! >> 4 === 6 ? 0x86dd : 0x0800;
      break;
    case 0:
    case 108: // BSD loopback: a 4-byte address family, then IP
      p = 4;
      type = n > 4 && d[4]! >> 4 === 6 ? 0x86dd : 0x0800;
      break;
    default:
      return -1;
  }
  if (type === 0x0800 && p + 20 <= n && d[p]! >> 4 === 4) return p * 8 + 4;
  if (type === 0x86dd && p + 40 <= n && d[p]! >> 4 === 6) return p * 8 + 6;
  return -1;
}

/** Symmetric in `a` and `b` (both directions of a conversation mix the same), int32 throughout. */
export function symmetricMix(a: number, b: number): number {
  const h = Math.imul(a ^ b, 0x9e3779b1) ^ Math.imul((a + b) | 0, 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** The symmetric hash of the address pair of the IP header at `p` (`version` 4 or 6). */
export function addressPairHash(d: Uint8Array, p: number, version: number): number {
  const a = version === 4 ? addressHash(d, p + 12, 4) : addressHash(d, p + 8, 16);
  const b = version === 4 ? addressHash(d, p + 16, 4) : addressHash(d, p + 24, 16);
  return symmetricMix(a | 0, b | 0);
}

/** The shard (0 to `shards` - 1) for a frame. */
export function shardOf(f: Frame, shards: number): number {
  if (f.kind !== 'packet') return 0;
  const at = ipStart(f);
  if (at < 0) return 0;
  return (addressPairHash(f.data, at >> 3, at & 7) >>> 0) % shards;
}
