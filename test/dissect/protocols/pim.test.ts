import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump various_gre.pcap #67: 802.1Q / IPv4 / GRE (Cisco MetaData) / IPv4 / PIMv2 Hello with five options.
const PACKET = hex(`
  aabbcc000200aabbcc000100 8100 04bd 0800
  45c0005e00990000ff2f24b3 0aac4006 0aac4007
  2000 8909 00000028
  0800 01 01 0001 0000
  45c0003a001f000001672b2a ac110136 e000000d
  20 00 a36a
  0001000200690014000425e4170f00130004000000010015000401000000fdec0000
`);

describe('pim', () => {
  it('reads version, type and a good checksum; the Hello options stay in PIM', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/vlan/ip/gre/cmd/ip/pim');
    const l = layer(p, 'pim');
    expect([l.offset, l.headerLength]).toEqual([74, 38]);
    expect(l.summary).toBe('Hello');
    expect([field(p, 'pim.version').value, field(p, 'pim.version').offset, field(p, 'pim.version').bits]).toEqual([2, 74, { offset: 0, length: 4 }]);
    expect([field(p, 'pim.type').value, field(p, 'pim.type').offset, field(p, 'pim.type').bits]).toEqual([0, 74, { offset: 4, length: 4 }]);
    expect([field(p, 'pim.code').value, field(p, 'pim.code').offset]).toEqual([0, 75]);
    expect([field(p, 'pim.cksum').value, field(p, 'pim.cksum').offset, field(p, 'pim.cksum').length]).toEqual([0xa36a, 76, 2]);
    expect(field(p, 'pim.cksum.status').value).toBe(1);
    expect(l.issues).toEqual([]);
    checkInvariants(p);
  });

  it('a damaged option byte makes the checksum bad', () => {
    const bad = PACKET.slice();
    bad[83] = bad[83]! ^ 0xff; // Hold Time
    const p = dissect(bad);
    expect(field(p, 'pim.cksum.status').value).toBe(0);
    expect(layer(p, 'pim').issues.map((i) => [i.kind, i.fieldKey, i.offset])).toEqual([['expert', 'pim.cksum', 76]]);
    expect(stack(p)).toBe('eth/vlan/ip/gre/cmd/ip/pim');
  });

  it('PIM Register: flags, then the inner IPv4 packet; the checksum covers the 8-byte header only', () => {
    // Built by hand (text2pcap; tshark 4 agrees, checksum correct): PIMv2 Register, Null-Register clear, around an IPv4 header.
    const reg = hex(`
      000000000001 000000000002 0800
      450000300001000040670000 0a000001 0a000002
      2100 deff 00000000
      4500001400010000 40ff0000 0a000003 e0000001
    `);
    const p = dissect(reg);
    expect(stack(p)).toMatch(/^eth\/ip\/pim\/ip/);
    expect(layer(p, 'pim').headerLength).toBe(8);
    expect(layer(p, 'pim').summary).toBe('Register');
    expect([field(p, 'pim.register_flag').offset, field(p, 'pim.register_flag').length]).toEqual([38, 4]);
    expect(field(p, 'pim.register_flag.border').value).toBe(false);
    expect(field(p, 'pim.register_flag.null_register').bits).toEqual({ offset: 1, length: 1 });
    expect(field(p, 'pim.cksum.status').value).toBe(1);
    expect(field(p, 'ip.dst', 1).value).toBe('224.0.0.1');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 77), 1, {}, PACKET.length);
    expect(layer(cut, 'pim').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'pim.cksum']]);
    expect(() => field(cut, 'pim.cksum.status')).toThrow();
  });
});
