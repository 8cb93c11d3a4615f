import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// small-office.pcapng frame 7: IP6 fe80::3e22:fbff:fe1a:2b3c > ff02::1:ff00:1: ICMP6, neighbor solicitation,
// who has fe80::21b:21ff:fe00:1, source link-address option
const NS = hex(`
  3333ff000001 3c22fb1a2b3c 86dd
  6000000000203aff fe800000000000003e22fbfffe1a2b3c ff0200000000000000000001ff000001
  8700948d 00000000 fe80000000000000021b21fffe000001 0101 3c22fb1a2b3c
`);

describe('icmpv6', () => {
  it('neighbour solicitation: target, and the link-layer address option as a child group', () => {
    const p = dissect(NS);
    expect(stack(p)).toBe('eth/ipv6/icmpv6');
    expect(field(p, 'icmpv6.type')).toMatchObject({ value: 135, offset: 54 });
    expect(field(p, 'icmpv6.nd.ns.target_address')).toMatchObject({ value: 'fe80::21b:21ff:fe00:1', offset: 62, length: 16 });
    const opt = field(p, 'icmpv6.opt');
    expect(opt.children!.map((c) => [c.key, c.value])).toEqual([
      ['icmpv6.opt.type', 1],
      ['icmpv6.opt.length', 1],
      ['icmpv6.opt.linkaddr', '3c:22:fb:1a:2b:3c'],
      ['icmpv6.opt.src_linkaddr', '3c:22:fb:1a:2b:3c'],
    ]);
    expect(field(p, 'icmpv6.checksum.status').value).toBe(1);
    expect(layer(p, 'icmpv6').summary).toBe('Neighbor Solicitation for fe80::21b:21ff:fe00:1 from 3c:22:fb:1a:2b:3c');
    expect(field(p, 'ipv6.hlim').value).toBe(255);
    checkInvariants(p);
  });

  it('an option of length 0 is malformed', () => {
    const bad = NS.slice();
    bad[79] = 0;
    const issues = layer(dissect(bad), 'icmpv6').issues;
    expect(issues.filter((i) => i.kind === 'malformed').map((i) => i.fieldKey)).toEqual(['icmpv6.opt.length']);
    // The changed byte also breaks the checksum: an expert note, not a second failure.
    expect(issues.filter((i) => i.kind === 'expert').map((i) => i.fieldKey)).toEqual(['icmpv6.checksum']);
  });

  it('every prefix', () => prefixSweep(NS));
});
