import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// No IPComp capture in the corpus: built by hand (text2pcap; tshark 4 agrees).
// IPv4 protocol 108, IPComp header (next header TCP, CPI DEFLATE), 8 bytes of compressed data.
const PACKET = hex(`
  000000000001 000000000002 0800
  45000020000100004 06c666f 0a000001 0a000002
  06 00 0002
  789c010203040506
`);

describe('ipcomp', () => {
  it('reads next header, flags and CPI; the compressed rest is data', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/ipcomp/data');
    const l = layer(p, 'ipcomp');
    expect([l.offset, l.headerLength]).toEqual([34, 4]);
    expect(l.summary).toBe('IPComp (CPI=DEFLATE)');
    expect([field(p, 'ipcomp.next_header').value, field(p, 'ipcomp.next_header').offset, field(p, 'ipcomp.next_header').length]).toEqual([6, 34, 1]);
    expect([field(p, 'ipcomp.flags').value, field(p, 'ipcomp.flags').offset]).toEqual([0, 35]);
    expect([field(p, 'ipcomp.cpi').value, field(p, 'ipcomp.cpi').offset, field(p, 'ipcomp.cpi').length]).toEqual([2, 36, 2]);
    expect([layer(p, 'data').offset, layer(p, 'data').length]).toEqual([38, 8]);
    expect(layer(p, 'ip').issues).toEqual([]);
    checkInvariants(p);
  });

  it('an unnamed CPI is shown in hex; no data when nothing follows', () => {
    const other = PACKET.slice(0, 38);
    other[17] = 0x18; // IP total length 24
    other[25] = 0x77; // header checksum 0x6677
    other[36] = 0x12;
    other[37] = 0x34;
    const p = dissect(other);
    expect(stack(p)).toBe('eth/ip/ipcomp');
    expect(layer(p, 'ipcomp').summary).toBe('IPComp (CPI=0x1234)');
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 37), 1, {}, PACKET.length);
    expect(layer(cut, 'ipcomp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'ipcomp.cpi']]);
    expect(field(cut, 'ipcomp.next_header').value).toBe(6);
  });
});
