import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__dhcp.pcap #1: DHCP Discover, transaction 0x7c0, options 53, 50, 12, 255
const DISCOVER = hex(
  'ffffffffffff90b11c99492908004500012500010000401179c800000000ffffffff00440043011132a7' +
    '01010600000007c00000000000000000000000000000000000000000' + '90b11c994929' + '00'.repeat(10) + '00'.repeat(192) +
    '638253633501013204c0a8d3c20c0d62746573742e69732e636f6f6cff',
);

describe('dhcp', () => {
  it('reads the BOOTP header and every option as a group with children', () => {
    const p = dissect(DISCOVER);
    expect(stack(p)).toBe('eth/ip/udp/dhcp');
    expect([field(p, 'dhcp.id').value, field(p, 'dhcp.id').offset]).toEqual([0x7c0, 46]);
    expect(field(p, 'dhcp.hw.mac_addr').value).toBe('90:b1:1c:99:49:29');
    expect(field(p, 'dhcp.cookie').value).toBe('99.130.83.99');
    expect(values(p, 'dhcp.option.type')).toEqual([53, 50, 12, 255]);
    const t = field(p, 'dhcp.option.type');
    expect(t.display).toBe('Option: (53) DHCP Message Type (Discover)');
    expect(t.children!.map((f) => f.key)).toEqual(['dhcp.option.length', 'dhcp.option.dhcp']);
    expect([field(p, 'dhcp.option.dhcp').value, field(p, 'dhcp.option.dhcp').offset]).toEqual([1, 284]);
    expect(field(p, 'dhcp.option.requested_ip_address').value).toBe('192.168.211.194');
    expect(field(p, 'dhcp.option.hostname').value).toBe('btest.is.cool');
    expect(layer(p, 'dhcp').summary).toBe('DHCP Discover - Transaction ID 0x7c0');
    checkInvariants(p);
  });

  it('an option running past the end is cut: no DHCP field is shown (as Wireshark)', () => {
    const cut = dissect(DISCOVER.subarray(0, DISCOVER.length - 5), 1, {}, DISCOVER.length);
    expect(layer(cut, 'dhcp').issues[0]!.kind).toBe('truncated');
    expect(values(cut, 'dhcp.option.dhcp')).toEqual([]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(DISCOVER);
  });
});
