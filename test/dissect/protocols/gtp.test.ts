import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// arkime gtp-iphone.pcap #3 (Linux cooked): GTP-U T-PDU carrying IPv6/ICMPv6 Router Solicitation.
const PACKET = hex(`
  0000030400060000000000000000 0800
  450000540000400040113a34 7f000101 7f000164
  08680868004000b7
  30 ff 0030 7e10b569
  6000000000083aff fe80000000000000fd00018300010001 ff020000000000000000000000000002
  85007eb100000000
`);

describe('gtp', () => {
  it('reads flags, message type, length and TEID, then IPv6', () => {
    const p = dissect(PACKET, 113);
    expect(stack(p)).toBe('sll/ip/udp/gtp/ipv6/icmpv6');
    const g = layer(p, 'gtp');
    expect([g.offset, g.headerLength, g.length]).toEqual([44, 8, 56]);
    expect(g.summary).toBe('T-PDU');
    expect([field(p, 'gtp.flags').value, field(p, 'gtp.flags').offset]).toEqual([0x30, 44]);
    expect([field(p, 'gtp.flags.version').value, field(p, 'gtp.flags.version').bits]).toEqual([1, { offset: 0, length: 3 }]);
    expect([field(p, 'gtp.flags.payload').value, field(p, 'gtp.flags.payload').bits]).toEqual([1, { offset: 3, length: 1 }]);
    expect([field(p, 'gtp.flags.s').value, field(p, 'gtp.flags.s').bits]).toEqual([false, { offset: 6, length: 1 }]);
    expect([field(p, 'gtp.message').value, field(p, 'gtp.message').offset, field(p, 'gtp.message').length]).toEqual([0xff, 45, 1]);
    expect([field(p, 'gtp.length').value, field(p, 'gtp.length').offset, field(p, 'gtp.length').length]).toEqual([48, 46, 2]);
    expect([field(p, 'gtp.teid').value, field(p, 'gtp.teid').offset, field(p, 'gtp.teid').length]).toEqual([0x7e10b569, 48, 4]);
    expect(() => field(p, 'gtp.seq_number')).toThrow();
    expect(field(p, 'ipv6.dst').value).toBe('ff02::2');
    checkInvariants(p);
  });

  it('a length past the captured bytes is reported on gtp.length', () => {
    const bad = PACKET.slice();
    bad[47] = 0x40; // 64 bytes claimed, 48 present
    const p = dissect(bad, 113);
    expect(layer(p, 'gtp').issues.map((i) => [i.kind, i.severity, i.fieldKey])).toEqual([['expert', 'warning', 'gtp.length']]);
    expect(layer(p, 'gtp').issues[0]!.message).toBe('length 72 exceeds the 56 bytes available');
    checkInvariants(p);
  });

  it('version 2 is handed to gtpv2', () => {
    const v2 = PACKET.slice();
    v2[44] = 0x48;
    expect(stack(dissect(v2, 113))).toMatch(/^sll\/ip\/udp\/gtpv2/);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET, 113);
    const cut = dissect(PACKET.subarray(0, 50), 113, {}, PACKET.length);
    expect(layer(cut, 'gtp').issues[0]!.kind).toBe('truncated');
    expect(field(cut, 'gtp.length').value).toBe(48);
  });
});
