import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump geneve.pcap #1: Geneve with one critical option (class Standard, type 0x80) around Ethernet/IPv4/ICMP.
const PACKET = hex(`
  001b213cac30001b213cab640800
  4500008edfad400040113 2af14000001 14000002
  314a17c1007a0000
  0240 6558 00000a 00
  00008001 0000000c
  fe71d883724fb69ed24951480800
  45000054bda2400040014104 1e000001 1e000002
  08002c5429520017f1a2ce540000000017780c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637
`);

describe('geneve', () => {
  it('reads the header and a critical option, then Ethernet', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/udp/geneve/eth/ip/icmp/data');
    const g = layer(p, 'geneve');
    expect([g.offset, g.headerLength]).toEqual([42, 16]);
    expect(g.summary).toBe('VNI: 0x00000a');
    expect([field(p, 'geneve.version').value, field(p, 'geneve.version').offset, field(p, 'geneve.version').bits]).toEqual([0, 42, { offset: 0, length: 2 }]);
    expect([field(p, 'geneve.flags').value, field(p, 'geneve.flags').offset]).toEqual([0x40, 43]);
    expect(field(p, 'geneve.flags.critical').value).toBe(true);
    expect(field(p, 'geneve.flags.critical').bits).toEqual({ offset: 1, length: 1 });
    expect(field(p, 'geneve.flags.oam').value).toBe(false);
    expect([field(p, 'geneve.proto_type').value, field(p, 'geneve.proto_type').offset, field(p, 'geneve.proto_type').length]).toEqual([0x6558, 44, 2]);
    expect([field(p, 'geneve.vni').value, field(p, 'geneve.vni').offset, field(p, 'geneve.vni').length]).toEqual([10, 46, 3]);
    expect([field(p, 'geneve.option').offset, field(p, 'geneve.option').length]).toEqual([50, 8]);
    expect([field(p, 'geneve.option.class').value, field(p, 'geneve.option.class').offset]).toEqual([0, 50]);
    expect([field(p, 'geneve.option.type').value, field(p, 'geneve.option.type').offset]).toEqual([0x80, 52]);
    expect(field(p, 'geneve.option.type.critical').value).toBe(true);
    expect([field(p, 'geneve.option.length').value, field(p, 'geneve.option.length').offset]).toEqual([8, 53]);
    expect([field(p, 'geneve.option.unknown.data').offset, field(p, 'geneve.option.unknown.data').length]).toEqual([54, 4]);
    expect(values(p, 'ip.src')).toEqual(['20.0.0.1', '30.0.0.1']);
    checkInvariants(p);
  });

  it('an option length past the options is malformed', () => {
    const bad = PACKET.slice();
    bad[53] = 0x03; // 16-byte option in 8 bytes of options
    const p = dissect(bad);
    const issues = layer(p, 'geneve').issues;
    expect(issues.map((i) => [i.kind, i.fieldKey])).toContainEqual(['malformed', 'geneve.option.length']);
    checkInvariants(p);
  });

  it('an unknown version stops at the first byte with a warning', () => {
    const v1 = PACKET.slice();
    v1[42] = 0x42;
    const p = dissect(v1);
    expect(layer(p, 'geneve').summary).toBe('Unknown version 1');
    expect(layer(p, 'geneve').issues.map((i) => i.fieldKey)).toEqual(['geneve.version']);
    expect(stack(p)).toBe('eth/ip/udp/geneve/data');
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 54), 1, {}, PACKET.length);
    expect(layer(cut, 'geneve').issues[0]!.kind).toBe('truncated');
    expect(field(cut, 'geneve.vni').value).toBe(10);
  });
});
