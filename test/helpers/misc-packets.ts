/** Small packet builders for protocol tests: Ethernet + IPv4 + UDP around a payload, lengths filled in. */

/**
 * Ethernet (IPv4 ethertype) and an IPv4 header (protocol `proto`, no checksum) around `payload`,
 * from 10.0.0.`from` to 10.0.0.`to` (MAC addresses 02:00:00:00:00:`from` and `to`).
 */
export function ethIpv4(proto: number, payload: Uint8Array | readonly number[], from = 1, to = 2): Uint8Array {
  const total = 20 + payload.length;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, from, 10, 0, 0, to];
  return Uint8Array.from([2, 0, 0, 0, 0, to, 2, 0, 0, 0, 0, from, 0x08, 0x00, ...ip, ...payload]);
}

/** Ethernet, IPv4 and UDP (no checksum) from `sport` to `dport` around `payload`. */
export function udpPacket(sport: number, dport: number, payload: Uint8Array | string): Uint8Array {
  const p = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const len = 8 + p.length;
  return ethIpv4(17, Uint8Array.from([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...p]));
}
