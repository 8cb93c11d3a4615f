/** Address text as Wireshark prints it, and the address hashes flow tables use. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressHash, formatIpv4, formatIpv6, formatMac, macText } from '../../src/dissect/cursor.js';

/** RFC 5952 text by the WHATWG URL serializer (same rules, except for embedded IPv4). */
function reference(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

// Groups drawn mostly from zero so that runs of zeros of every length and position occur.
const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
const ipv6Bytes = fc.array(group, { minLength: 8, maxLength: 8 }).map((gs) => {
  const b = new Uint8Array(16);
  gs.forEach((g, i) => {
    b[2 * i] = g >> 8;
    b[2 * i + 1] = g & 0xff;
  });
  return b;
});
const embedsIpv4 = (b: Uint8Array): boolean => b.subarray(0, 10).every((x) => x === 0) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0 && (b[12] !== 0 || b[13] !== 0)));

describe('address text', () => {
  it('IPv6 compresses the longest run of zero groups like RFC 5952', () => {
    fc.assert(
      fc.property(ipv6Bytes, (b) => {
        if (!embedsIpv4(b)) expect(formatIpv6(b, 0)).toBe(reference(b));
      }),
      { numRuns: 5000 },
    );
    expect(formatIpv6(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), 0)).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(new Uint8Array(16), 0)).toBe('::');
  });

  it('IPv4-mapped and IPv4-compatible addresses end in dotted quads, as Wireshark prints them', () => {
    const mapped = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(formatIpv6(mapped, 0)).toBe('::ffff:192.0.2.1');
    const compatible = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1, 2, 3]);
    expect(formatIpv6(compatible, 0)).toBe('::10.1.2.3');
    expect(formatIpv6(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 0)).toBe('::1');
  });

  it('IPv4 in dotted decimal', () => {
    expect(formatIpv4(Uint8Array.from([0, 10, 0, 255, 9]), 1)).toBe('10.0.255.9');
  });

  it('cached MAC texts: the same string for the same address, the right text whatever shares its slot', () => {
    const mac = fc.uint8Array({ minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(mac, { minLength: 1, maxLength: 5000 }), (macs) => {
        for (const m of macs) expect(macText(m, 0)).toBe(formatMac(m, 0));
      }),
      { numRuns: 20 },
    );
    // Addresses that differ in one bit only, read from anywhere in a frame.
    const frame = Uint8Array.from([9, 0x00, 0x1b, 0x21, 0x00, 0x00, 0x01, 0x00, 0x1b, 0x21, 0x00, 0x00, 0x03]);
    expect([macText(frame, 1), macText(frame, 7), macText(frame, 1)]).toEqual(['00:1b:21:00:00:01', '00:1b:21:00:00:03', '00:1b:21:00:00:01']);
    expect(macText(frame.slice(), 1)).toBe(macText(frame, 1));
  });

  it('address hashes depend on every byte', () => {
    const a = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const seen = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const b = a.slice();
      b[i] = b[i]! ^ 0x80;
      seen.add(addressHash(b, 0, 16));
    }
    seen.add(addressHash(a, 0, 16));
    expect(seen.size).toBe(17);
    expect(addressHash(Uint8Array.from([10, 0, 0, 1]), 0, 4)).toBe(0x0a000001);
  });
});
