import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// PcapPlusPlus ipv6_options.pcap #1: IPv6 hop-by-hop, destination options and routing headers, then AH around OSPFv3 Hello.
const PACKET = hex(`
  333300000005c20168b3000186dd
  6e00000000680001 fe800000000000000000000000000002 ff020000000000000000000000000005
  3c00050200000100
  2b000b0109010100
  330200010000000022000000000002100002000000000004
  5904 0000 00000100 00000020 35482148b2435a23dcdd5536
  03010028020202020000000 1f173000000000005010000 13000a0028020202020101010101010101
`);

describe('ah', () => {
  it('reads next header, length, SPI, sequence and ICV, then OSPF', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ipv6/ipv6.hopopts/ipv6.dstopts/ipv6.routing/ah/ospf');
    const a = layer(p, 'ah');
    expect([a.offset, a.headerLength]).toEqual([94, 24]);
    expect(a.summary).toBe('AH (SPI=0x00000100)');
    expect([field(p, 'ah.next_header').value, field(p, 'ah.next_header').offset, field(p, 'ah.next_header').length]).toEqual([89, 94, 1]);
    expect([field(p, 'ah.length').value, field(p, 'ah.length').offset, field(p, 'ah.length').length]).toEqual([4, 95, 1]);
    expect([field(p, 'ah.reserved').offset, field(p, 'ah.reserved').length]).toEqual([96, 2]);
    expect([field(p, 'ah.spi').value, field(p, 'ah.spi').offset, field(p, 'ah.spi').length]).toEqual([0x100, 98, 4]);
    expect([field(p, 'ah.sequence').value, field(p, 'ah.sequence').offset]).toEqual([32, 102]);
    expect([field(p, 'ah.icv').offset, field(p, 'ah.icv').length]).toEqual([106, 12]);
    expect(layer(p, 'ospf').offset).toBe(118);
    checkInvariants(p);
  });

  it('a length shorter than the fixed part is malformed', () => {
    const bad = PACKET.slice();
    bad[95] = 0; // (0 + 2) * 4 = 8 bytes < 12
    const p = dissect(bad);
    expect(layer(p, 'ah').issues.map((i) => [i.kind, i.fieldKey, i.offset])).toEqual([['malformed', 'ah.length', 95]]);
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 110), 1, {}, PACKET.length);
    expect(layer(cut, 'ah').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'ah.icv']]);
    expect(field(cut, 'ah.sequence').value).toBe(32);
  });
});
