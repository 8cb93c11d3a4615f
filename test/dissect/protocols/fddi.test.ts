import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// zeek__dns-inverse-query.pcap #1 header: async LLC, bit-swapped addresses, SNAP IPv4.
const FDDI = hex(`50 aa00040083a7 aa00040082a7 aaaa03 000000 0800 ${IP4}`);

describe('fddi', () => {
  it('frame control bits, canonical (bit-swapped) addresses with offsets, then LLC/SNAP', () => {
    const p = dissect(FDDI, 10);
    expect(stack(p)).toBe('fddi/llc/ip/udp/data');
    expect(field(p, 'fddi.fc').value).toBe(0x50);
    const clf = field(p, 'fddi.fc.clf');
    expect([clf.value, clf.bits]).toEqual([5, { offset: 0, length: 4 }]);
    expect(field(p, 'fddi.fc.prio').bits).toEqual({ offset: 5, length: 3 });
    const dst = field(p, 'fddi.dst');
    expect([dst.value, dst.offset, dst.length]).toEqual(['55:00:20:00:c1:e5', 1, 6]);
    expect([field(p, 'fddi.src').value, field(p, 'fddi.src').offset]).toEqual(['55:00:20:00:41:e5', 7]);
    expect(layer(p, 'fddi').summary).toBe('Async LLC, Src: 55:00:20:00:41:e5, Dst: 55:00:20:00:c1:e5');
    checkInvariants(p);
  });

  it('a non-LLC frame control leaves the rest as data', () => {
    expect(stack(dissect(hex('41 aa00040083a7 aa00040082a7 0102'), 10))).toBe('fddi/data');
  });

  it('a cut address is truncated', () => {
    const p = dissect(FDDI.subarray(0, 9), 10, {}, FDDI.length);
    expect(layer(p, 'fddi').issues[0]!.kind).toBe('truncated');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(FDDI, 10);
  });
});
