import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// PcapPlusPlus Vxlan1.pcap #1: VXLAN (group policy extension) around Ethernet/IPv4/ICMP.
const PACKET = hex(`
  00163e0871cf36dc851eb3400800
  45000086d2c2400040115150c0a8cb01c0a8ca01
  b05d12b50072e9a9
  8848 0064 2dc6c1 00
  00308801000200163e37f6040800
  45000054000040004001234fc0a8cb03c0a8cb05080005ed050c0002fde297510000000096fd020000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637
`);

describe('vxlan', () => {
  it('reads flags, group policy and VNI, then Ethernet', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/udp/vxlan/eth/ip/icmp/data');
    expect([field(p, 'vxlan.flags').value, field(p, 'vxlan.flags').offset]).toEqual([0x8848, 42]);
    expect(field(p, 'vxlan.flag_g').value).toBe(true);
    expect(field(p, 'vxlan.flag_i').value).toBe(true);
    expect(field(p, 'vxlan.flag_i').bits).toEqual({ offset: 4, length: 1 });
    expect([field(p, 'vxlan.gbp').value, field(p, 'vxlan.gbp').offset]).toEqual([100, 44]);
    expect([field(p, 'vxlan.vni').value, field(p, 'vxlan.vni').offset, field(p, 'vxlan.vni').length]).toEqual([3000001, 46, 3]);
    expect(layer(p, 'vxlan').summary).toBe('VNI: 3000001');
    expect(values(p, 'ip.dst')).toEqual(['192.168.202.1', '192.168.203.5']);
    checkInvariants(p);
  });

  it('UDP 8472 is not VXLAN (as tshark 4.0)', () => {
    const other = PACKET.slice();
    other[36] = 0x21;
    other[37] = 0x18;
    expect(stack(dissect(other))).toBe('eth/ip/udp/data');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 47), 1, {}, PACKET.length);
    expect(layer(cut, 'vxlan').issues[0]!.kind).toBe('truncated');
  });
});
