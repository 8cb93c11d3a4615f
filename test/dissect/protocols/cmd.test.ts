import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump various_gre.pcap #67: 802.1Q / IPv4 / GRE (protocol 0x8909) / Cisco MetaData / IPv4 / PIM Hello.
const PACKET = hex(`
  aabbcc000200aabbcc000100 8100 04bd 0800
  45c0005e00990000ff2f24b3 0aac4006 0aac4007
  2000 8909 00000028
  0800 01 01 0001 0000
  45c0003a001f000001672b2a ac110136 e000000d
  2000a36a0001000200690014000425e4170f00130004000000010015000401000000fdec0000
`);

describe('cmd', () => {
  it('inside GRE the carried type comes first (as tshark reads it)', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/vlan/ip/gre/cmd/ip/pim');
    const l = layer(p, 'cmd');
    expect([l.offset, l.headerLength]).toEqual([46, 8]);
    expect(l.summary).toBe('SGT: 0');
    expect([field(p, 'cmd.type').value, field(p, 'cmd.type').offset, field(p, 'cmd.type').length]).toEqual([0x0800, 46, 2]);
    expect([field(p, 'cmd.version').value, field(p, 'cmd.version').offset]).toEqual([1, 48]);
    expect([field(p, 'cmd.length').value, field(p, 'cmd.length').offset]).toEqual([1, 49]);
    expect([field(p, 'cmd.options').value, field(p, 'cmd.options').offset, field(p, 'cmd.options').length]).toEqual([1, 50, 2]);
    expect([field(p, 'cmd.sgt').value, field(p, 'cmd.sgt').offset, field(p, 'cmd.sgt').length]).toEqual([0, 52, 2]);
    expect(values(p, 'ip.dst')).toEqual(['10.172.64.7', '224.0.0.13']);
    checkInvariants(p);
  });

  it('as an Ethernet type the carried type comes last', () => {
    // Built by hand (text2pcap; tshark 4 agrees): Ethernet 0x8909, SGT 42, then an IPv4 header.
    const eth = hex(`
      000000000001 000000000002 8909
      01 01 0001 002a 0800
      4500001400010000 40ff0000 0a000003 0a000004
    `);
    const p = dissect(eth);
    expect(stack(p)).toMatch(/^eth\/cmd\/ip/);
    expect(layer(p, 'cmd').summary).toBe('SGT: 42');
    expect([field(p, 'cmd.version').offset, field(p, 'cmd.sgt').value, field(p, 'cmd.sgt').offset]).toEqual([14, 42, 18]);
    expect([field(p, 'cmd.type').value, field(p, 'cmd.type').offset]).toEqual([0x0800, 20]);
  });

  it('an unknown carried type goes to data', () => {
    const other = PACKET.slice();
    other[46] = 0x12;
    other[47] = 0x34;
    const p = dissect(other);
    expect(stack(p)).toBe('eth/vlan/ip/gre/cmd/data');
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 53), 1, {}, PACKET.length);
    expect(layer(cut, 'cmd').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'cmd.sgt']]);
    expect(field(cut, 'cmd.options').value).toBe(1);
  });
});
