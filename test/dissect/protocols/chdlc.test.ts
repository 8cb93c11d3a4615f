import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__HDLC.pcap #1: SLARP keepalive, 6 bytes of link padding after the 14-byte body.
const SLARP = hex('8f 00 8035  00000002 00000005 00000002 ffff  0078f0a20000');
// tcpdump__HDLC.pcap #7: ICMP echo request over IPv4 (payload shortened, lengths fixed).
const ICMP = hex('0f 00 0800  4500001c00000000ff01a7de0a0000010a000002 0800f7ff00000000');

describe('chdlc', () => {
  it('address, control, protocol with offsets; SLARP keepalive; padding after it', () => {
    const p = dissect(SLARP, 104);
    expect(stack(p)).toBe('chdlc/slarp/padding');
    expect([field(p, 'chdlc.address').value, field(p, 'chdlc.address').offset]).toEqual([0x8f, 0]);
    expect([field(p, 'chdlc.control').value, field(p, 'chdlc.control').offset]).toEqual([0, 1]);
    const pr = field(p, 'chdlc.protocol');
    expect([pr.value, pr.offset, pr.length]).toEqual([0x8035, 2, 2]);
    expect([field(p, 'slarp.ptype').value, field(p, 'slarp.ptype').offset]).toEqual([2, 4]);
    expect([field(p, 'slarp.mysequence').value, field(p, 'slarp.yoursequence').value]).toEqual([5, 2]);
    expect([field(p, 'slarp.reliability').value, field(p, 'slarp.reliability').offset]).toEqual([0xffff, 16]);
    expect(layer(p, 'slarp').summary).toBe('Line keepalive, outgoing sequence 5, returned sequence 2');
    expect(layer(p, 'chdlc').summary).toBe('Multicast, Protocol: SLARP');
    checkInvariants(p);
  });

  it('an Ethertype protocol goes to IPv4', () => {
    const p = dissect(ICMP, 104);
    expect(stack(p).startsWith('chdlc/ip')).toBe(true);
    expect(field(p, 'ip.src').value).toBe('10.0.0.1');
  });

  it('a keepalive whose reliability is not 0xFFFF gets a warning', () => {
    const bad = SLARP.slice();
    bad[16] = 0;
    const p = dissect(bad, 104);
    expect(layer(p, 'slarp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['expert', 'slarp.reliability']]);
  });

  it('a cut SLARP body is truncated', () => {
    const p = dissect(SLARP.subarray(0, 10), 104, {}, SLARP.length);
    expect(layer(p, 'slarp').issues[0]!.kind).toBe('truncated');
    expect(field(p, 'slarp.ptype').value).toBe(2);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(SLARP, 104);
    prefixSweep(ICMP, 104);
  });
});
