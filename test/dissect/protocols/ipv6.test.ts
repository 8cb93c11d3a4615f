import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__ipv6-bad-version.pcap #2: ethertype IPv6, but the header's version nibble is 0
const BAD_VERSION = hex(`
  33330000000124843feb3cee86dd0000000000203afffe80000000000000020c29fffe766c14ff020000000000000000
  0000000000018800ab1300000000fe80000000000000020c29fffe766c14020124843feb3cee
`);

describe('ipv6', () => {
  it('a version other than 6 is flagged; the header stays and its bytes become data', () => {
    const p = dissect(BAD_VERSION);
    expect(stack(p)).toBe('eth/ipv6/data');
    const ip6 = layer(p, 'ipv6');
    expect([ip6.offset, ip6.headerLength]).toEqual([14, 0]);
    expect([field(p, 'ip.version').value, field(p, 'ip.version').offset]).toEqual([0, 14]);
    expect(ip6.issues.map((i) => [i.kind, i.severity])).toEqual([['expert', 'error']]);
    expect(ip6.summary).toBe('Bogus IPv6 version (0, must be 6)');
    expect([layer(p, 'data').offset, layer(p, 'data').length]).toEqual([14, BAD_VERSION.length - 14]);
    checkInvariants(p);
  });

  it('reached straight from the link type (raw IPv6), a bad version leaves no data layer', () => {
    // tcpdump__LINKTYPE_IPV6_invalid.pcap in short: LINKTYPE_IPV6 (229), version 4
    const p = dissect(hex('45000039000000004006f9b7c0a80001c0a80002'), 229);
    expect(stack(p)).toBe('ipv6');
    expect(layer(p, 'ipv6').length).toBe(20);
  });

  it('every prefix', () => prefixSweep(BAD_VERSION));
});
