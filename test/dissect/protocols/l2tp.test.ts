import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// packetnet l2tp.pcap #1: L2TPv2 data message (offset bit, priority) inside PPPoE session, carrying PPP LCP.
const PACKET = hex(`
  e0a1d718c273001733610000 8864
  11003b1a0036 0021
  45c0003452900000fa11ad2e 6d060148 5f88f263
  06a506a500200000
  0302 4a32 d35e 0000
  ff03c021 0948000cc1343922e7e18ff6
`);

// Built by hand (text2pcap -u 1701,1701; tshark 4 agrees): L2TPv2 SCCRQ with Message Type and Protocol Version AVPs.
const CONTROL = hex(`
  2052454356002053454e44000800
  4500003812340000ff11927b 0a010101 0a020202
  06a506a500241224
  c802 001c 0000 0000 0000 0000
  8008 0000 0000 0001
  8008 0000 0002 0100
`);

describe('l2tp', () => {
  it('data message: flags, tunnel and session, offset, then PPP', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/pppoes/ppp/ip/udp/l2tp/ppp/lcp');
    const l = layer(p, 'l2tp');
    expect([l.offset, l.headerLength]).toEqual([50, 8]);
    expect(l.summary).toBe('Data Message (tunnel id=18994, session id=54110)');
    expect([field(p, 'l2tp.flags').value, field(p, 'l2tp.flags').offset, field(p, 'l2tp.flags').length]).toEqual([0x0302, 50, 2]);
    expect([field(p, 'l2tp.type').value, field(p, 'l2tp.type').bits]).toEqual([0, { offset: 0, length: 1 }]);
    expect([field(p, 'l2tp.offset_bit').value, field(p, 'l2tp.offset_bit').bits]).toEqual([true, { offset: 6, length: 1 }]);
    expect(field(p, 'l2tp.priority').value).toBe(true);
    expect(field(p, 'l2tp.length_bit').value).toBe(false);
    expect([field(p, 'l2tp.version').value, field(p, 'l2tp.version').bits]).toEqual([2, { offset: 12, length: 4 }]);
    expect([field(p, 'l2tp.tunnel').value, field(p, 'l2tp.tunnel').offset]).toEqual([18994, 52]);
    expect([field(p, 'l2tp.session').value, field(p, 'l2tp.session').offset]).toEqual([54110, 54]);
    expect([field(p, 'l2tp.offset').value, field(p, 'l2tp.offset').offset]).toEqual([0, 56]);
    expect(() => field(p, 'l2tp.length')).toThrow();
    expect(values(p, 'ppp.protocol')).toEqual([0x0021, 0xc021]);
    checkInvariants(p);
  });

  it('control message: length, Ns/Nr and the message type AVP', () => {
    const p = dissect(CONTROL);
    expect(stack(p)).toBe('eth/ip/udp/l2tp');
    expect(layer(p, 'l2tp').summary).toBe('Control Message - Start_Control_Request (tunnel id=0, session id=0)');
    expect(field(p, 'l2tp.type').value).toBe(1);
    expect([field(p, 'l2tp.length').value, field(p, 'l2tp.length').offset]).toEqual([28, 44]);
    expect([field(p, 'l2tp.Ns').offset, field(p, 'l2tp.Nr').offset]).toEqual([50, 52]);
    expect(values(p, 'l2tp.avp.length')).toEqual([8, 8]);
    expect(field(p, 'l2tp.avp.length').bits).toEqual({ offset: 6, length: 10 });
    expect(values(p, 'l2tp.avp.type')).toEqual([0, 2]);
    expect([field(p, 'l2tp.avp.type', 1).offset]).toEqual([66]);
    expect([field(p, 'l2tp.avp.message_type').value, field(p, 'l2tp.avp.message_type').offset]).toEqual([1, 60]);
    checkInvariants(p);
  });

  it('an AVP length past the message is malformed', () => {
    const bad = CONTROL.slice();
    bad[63] = 0x10; // second AVP claims 16 bytes, 8 remain
    const p = dissect(bad);
    const issues = layer(p, 'l2tp').issues;
    expect(issues.map((i) => [i.kind, i.fieldKey, i.offset])).toEqual([['malformed', 'l2tp.avp.length', 62]]);
    expect(field(p, 'l2tp.avp.message_type').value).toBe(1);
    checkInvariants(p);
  });

  it('a length shorter than the bytes already read is malformed, the fields kept inside the layer', () => {
    const bad = CONTROL.slice();
    bad[45] = 2; // l2tp.length 0x001c → 2, while flags and length are 4 bytes
    const p = dissect(bad);
    const l2tp = layer(p, 'l2tp');
    expect(l2tp.issues.map((i) => [i.kind, i.fieldKey, i.offset])).toEqual([['malformed', 'l2tp.length', 44]]);
    expect(field(p, 'l2tp.length').value).toBe(2);
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    // A capture cut inside an AVP of a control message is truncated, not malformed.
    prefixSweep(CONTROL);
    expect(layer(dissect(CONTROL.subarray(0, 60), 1, {}, CONTROL.length), 'l2tp').issues.map((i) => i.kind)).toEqual(['truncated']);
    const cut = dissect(PACKET.subarray(0, 55), 1, {}, PACKET.length);
    expect(layer(cut, 'l2tp').issues[0]!.kind).toBe('truncated');
    expect(field(cut, 'l2tp.tunnel').value).toBe(18994);
  });
});
