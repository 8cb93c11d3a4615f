/** Small packet builders for protocol tests: Ethernet + IPv4 + UDP around a payload, lengths filled in. */

/** Ethernet (IPv4 ethertype) and an IPv4 header (protocol `proto`, no checksum) around `payload`. */
export function ethIpv4(proto: number, payload: Uint8Array): Uint8Array {
  const total = 20 + payload.length;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  return Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, ...ip, ...payload]);
}

/** Ethernet, IPv4 and UDP (no checksum) from `sport` to `dport` around `payload`. */
export function udpPacket(sport: number, dport: number, payload: Uint8Array | string): Uint8Array {
  const p = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const len = 8 + p.length;
  return ethIpv4(17, Uint8Array.from([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...p]));
}
