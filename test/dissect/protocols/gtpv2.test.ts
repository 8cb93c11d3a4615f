import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// No GTPv2 capture in the corpus: built by hand (text2pcap -u 40000,2123; tshark 4 agrees).
// GTPv2-C Echo Request, no TEID, sequence 0x000102, one Recovery IE; Ethernet padding after.
const ECHO = hex(`
  2052454356002053454e44000800
  4500002912340000ff11928a 0a010101 0a020202
  9c40084b0015f927
  40 01 0009 000102 00
  0300010005
  0000000000
`);

// Built by hand (text2pcap -u 2123,2123; tshark 4 agrees): Modify Bearer Request with TEID 0x1a2b3c4d, sequence 7.
const TEID = hex(`
  2052454356002053454e44000800
  4500002812340000ff11928b 0a010101 0a020202
  084b084b00143288
  48 22 0008 1a2b3c4d 000007 00
  000000000000
`);

describe('gtpv2', () => {
  it('GTP on UDP 2123 hands version 2 to gtpv2: flags, type, length, sequence', () => {
    const p = dissect(ECHO);
    expect(stack(p)).toBe('eth/ip/udp/gtpv2/padding');
    const l = layer(p, 'gtpv2');
    expect([l.offset, l.length]).toEqual([42, 13]);
    expect(l.summary).toBe('Echo Request');
    expect([field(p, 'gtpv2.flags').value, field(p, 'gtpv2.flags').offset]).toEqual([0x40, 42]);
    expect([field(p, 'gtpv2.version').value, field(p, 'gtpv2.version').bits]).toEqual([2, { offset: 0, length: 3 }]);
    expect([field(p, 'gtpv2.t').value, field(p, 'gtpv2.t').bits]).toEqual([0, { offset: 4, length: 1 }]);
    expect([field(p, 'gtpv2.message_type').value, field(p, 'gtpv2.message_type').offset]).toEqual([1, 43]);
    expect([field(p, 'gtpv2.msg_length').value, field(p, 'gtpv2.msg_length').offset, field(p, 'gtpv2.msg_length').length]).toEqual([9, 44, 2]);
    expect([field(p, 'gtpv2.seq').value, field(p, 'gtpv2.seq').offset, field(p, 'gtpv2.seq').length]).toEqual([0x102, 46, 3]);
    expect([field(p, 'gtpv2.spare').value, field(p, 'gtpv2.spare').offset]).toEqual([0, 49]);
    expect(() => field(p, 'gtpv2.teid')).toThrow();
    checkInvariants(p);
  });

  it('with the T flag the TEID comes before the sequence number', () => {
    const p = dissect(TEID);
    const l = layer(p, 'gtpv2');
    expect([l.offset, l.length, l.summary]).toEqual([42, 12, 'Modify Bearer Request']);
    expect(field(p, 'gtpv2.t').value).toBe(1);
    expect([field(p, 'gtpv2.teid').value, field(p, 'gtpv2.teid').offset, field(p, 'gtpv2.teid').length]).toEqual([0x1a2b3c4d, 46, 4]);
    expect([field(p, 'gtpv2.seq').value, field(p, 'gtpv2.seq').offset]).toEqual([7, 50]);
    expect(field(p, 'gtpv2.spare').offset).toBe(53);
    checkInvariants(p);
  });

  it('a message length past the UDP payload is reported on gtpv2.msg_length', () => {
    const bad = TEID.slice();
    bad[45] = 0x20;
    const p = dissect(bad);
    expect(layer(p, 'gtpv2').issues.map((i) => [i.kind, i.severity, i.fieldKey])).toEqual([['expert', 'warning', 'gtpv2.msg_length']]);
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(ECHO);
    prefixSweep(TEID);
    const cut = dissect(TEID.subarray(0, 52), 1, {}, TEID.length);
    expect(layer(cut, 'gtpv2').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'gtpv2.seq']]);
    expect(field(cut, 'gtpv2.teid').value).toBe(0x1a2b3c4d);
  });
});
