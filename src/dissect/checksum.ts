/** The Internet checksum (RFC 1071) over byte ranges, for IPv4, ICMP, TCP and UDP checks. */

/** One's-complement sum of 16-bit words of `data[from, to)`, added to `sum`, not folded. */
export function onesSum(data: Uint8Array, from: number, to: number, sum = 0): number {
  let i = from;
  for (; i + 1 < to; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < to) sum += data[i]! << 8;
  return sum;
}

/** Folds a sum to 16 bits and complements it: 0 means "the checksum over the data was right". */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Sum of a pseudo-header for TCP/UDP/ICMPv6 over IPv4 or IPv6 (addresses taken from the frame). */
export function pseudoHeaderSum(
  data: Uint8Array,
  srcOffset: number,
  addrLen: 4 | 16,
  proto: number,
  length: number,
): number {
  // Source and destination addresses are adjacent in both IPv4 and IPv6 headers.
  let sum = onesSum(data, srcOffset, srcOffset + 2 * addrLen);
  sum += proto;
  sum += addrLen === 16 ? Math.floor(length / 0x10000) + (length & 0xffff) : length;
  return sum;
}
