import { describe, expect, it } from 'vitest';
import { ipv4FromText, ipv6FromText } from '../../src/util/address-text.js';

const hex = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('hex'));

describe('address text', () => {
  it('reads dotted IPv4, leading zeros only when not strict', () => {
    expect(ipv4FromText('192.168.1.2')).toBe(0xc0a80102);
    expect(ipv4FromText('10.0.0.01')).toBe(0x0a000001);
    expect(ipv4FromText('10.0.0.01', true)).toBeUndefined();
    for (const bad of ['1.2.3', '1.2.3.4.5', '1.2.3.256', '1.2.3.x', '']) expect(ipv4FromText(bad)).toBeUndefined();
  });

  it('reads IPv6 with ::, upper case and an IPv4 tail; refuses malformed text', () => {
    expect(hex(ipv6FromText('::'))).toBe('0'.repeat(32));
    expect(hex(ipv6FromText('FD01::183'))).toBe('fd010000000000000000000000000183');
    expect(hex(ipv6FromText('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(ipv6FromText('::ffff:10.0.0.1'))).toBe('00000000000000000000ffff0a000001');
    expect(hex(ipv6FromText('1:2:3:4:5:6:10.0.0.1'))).toBe('0001000200030004000500060a000001');
    expect(ipv6FromText('::ffff:10.0.0.01', true)).toBeUndefined();
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', ':1::', '1:2:3:4:5:6:7', '12345::', 'fe80::1%eth0', '1:2:3:4:5:6:7:10.0.0.1']) {
      expect(ipv6FromText(bad), bad).toBeUndefined();
    }
  });
});
