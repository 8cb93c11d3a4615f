import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, prefixSweep, stack } from '../../helpers/dissect.js';

// A VN-Tag (destination VIF 5, source VIF 3) in front of an 802.1Q tag (VLAN 11) and an ARP request.
const FRAME = hex(`
  ffffffffffff 001b21000001 8926  0005 0003 8100  000b 0806
  0001 0800 06 04 0001 001b21000001 0a000001 000000000000 0a000002
`);

describe('vntag', () => {
  it('reads the VIFs as bit fields and hands on by ethertype', () => {
    const p = dissect(FRAME);
    expect(stack(p)).toBe('eth/vntag/vlan/arp');
    expect(field(p, 'vntag.dst')).toMatchObject({ value: 5, offset: 14, length: 4, bits: { offset: 2, length: 14 } });
    expect(field(p, 'vntag.src')).toMatchObject({ value: 3, bits: { offset: 20, length: 12 } });
    expect(field(p, 'vntag.etype').value).toBe(0x8100);
    expect(field(p, 'vlan.id').value).toBe(11);
    checkInvariants(p);
  });

  it('every prefix', () => prefixSweep(FRAME));
});
