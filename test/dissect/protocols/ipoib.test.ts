import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// tcpdump__ipoib.pcap #1 header: pseudo GRH, destination QPN and GID, Ethertype, reserved.
const IPOIB = hex(`00000000000000000000000000000000 2fa3000a 80000550 fe800000000000000010e000664ab451 0800 0000 ${IP4}`);

describe('ipoib', () => {
  it('destination QPN and GID, type with offsets, then IPv4', () => {
    const p = dissect(IPOIB, 242);
    expect(stack(p)).toBe('ipoib/ip/udp/data');
    const qpn = field(p, 'ipoib.daddr.qpn');
    expect([qpn.value, qpn.offset, qpn.length]).toEqual([0x550, 21, 3]);
    expect([field(p, 'ipoib.dgid').value, field(p, 'ipoib.dgid').offset]).toEqual(['fe80::10:e000:664a:b451', 24]);
    expect([field(p, 'ipoib.daddr').offset, field(p, 'ipoib.daddr').length]).toEqual([20, 20]);
    expect([field(p, 'ipoib.type').value, field(p, 'ipoib.type').offset]).toEqual([0x0800, 40]);
    expect(layer(p, 'ipoib').headerLength).toBe(44);
    expect(layer(p, 'ipoib').summary).toBe('Dst QPN: 0x000550, GID: fe80::10:e000:664a:b451, Type: IPv4');
    checkInvariants(p);
  });

  it('a frame cut inside the header is truncated', () => {
    const p = dissect(IPOIB.subarray(0, 30), 242, {}, IPOIB.length);
    expect(stack(p)).toBe('ipoib');
    expect(layer(p, 'ipoib').issues[0]!.kind).toBe('truncated');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(IPOIB, 242);
  });
});
