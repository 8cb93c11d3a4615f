import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';
import { udpPacket } from '../../helpers/misc-packets.js';

// A Map-Register (M bit), key 1 with 20 bytes of authentication data, one mapping record
// 10.0.0.0/24 with one locator 192.168.0.1 (tshark: "Map-Register for 10.0.0.0/24"); LISP at 42.
const REGISTER = udpPacket(4342, 4342, hex(`
  300001 01 1122334455667788 0001 0014 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  000005a0 01 18 1000 0000 0001 0a000000
  01 64 ff 00 0005 0001 c0a80001
`));

// tcpdump__lisp_invalid_length.pcap #1: a Map-Register in a UDP datagram of 8 payload bytes
const SHORT = hex(`
  7fa35e000176004b51ae7e00080045000f778d00000040116b280d01010101fe0179003d10f600103536364000171d00
  200001abde1de11a23000101143b3cbfd73e011b0001000000eebccddf1d000420014e010001000201011b0100011d01
  010197063ea29001010101ff5f
`);

describe('lisp', () => {
  it('reads a Map-Register: flags, nonce, authentication data, a mapping record and its locator', () => {
    const p = dissect(REGISTER);
    expect(stack(p)).toBe('eth/ip/udp/lisp');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('lisp.type')).toEqual([3, 42, 3]);
    expect(field(p, 'lisp.type').bits).toEqual({ offset: 0, length: 4 });
    expect([field(p, 'lisp.mreg.flags.wmn').value, field(p, 'lisp.mreg.flags.xtrid').value]).toEqual([true, false]);
    expect(f('lisp.records')).toEqual([1, 45, 1]);
    expect(f('lisp.nonce')).toEqual([0x1122334455667788n, 46, 8]);
    expect(f('lisp.keyid')).toEqual([1, 54, 2]);
    expect(f('lisp.authlen')).toEqual([20, 56, 2]);
    expect(field(p, 'lisp.auth').length).toBe(20);
    expect(f('lisp.mapping.ttl')).toEqual([1440, 78, 4]);
    expect(f('lisp.mapping.eid.masklen')).toEqual([24, 83, 1]);
    expect(field(p, 'lisp.mapping.auth').value).toBe(true);
    expect(f('lisp.mapping.eid.ipv4')).toEqual(['10.0.0.0', 90, 4]);
    expect(f('lisp.loc.weight')).toEqual([100, 95, 1]);
    expect([field(p, 'lisp.loc.flags.local').value, field(p, 'lisp.loc.flags.probe').value, field(p, 'lisp.loc.flags.reach').value]).toEqual([true, false, true]);
    expect(f('lisp.loc.locator')).toEqual(['192.168.0.1', 102, 4]);
    expect(layer(p, 'lisp').summary).toBe('Map-Register for 10.0.0.0/24');
    checkInvariants(p);
  });

  it('a message longer than its datagram is malformed (read past the UDP length)', () => {
    const p = dissect(SHORT);
    expect(stack(p)).toBe('eth/ip/udp/lisp/padding');
    expect(values(p, 'lisp.records')).toEqual([23]);
    expect(layer(p, 'lisp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'lisp.nonce']]);
    expect(layer(p, 'lisp').summary).toBe('Map-Register');
  });

  it('an unknown address family is malformed', () => {
    const bad = REGISTER.slice();
    bad[89] = 0x09;
    expect(layer(dissect(bad), 'lisp').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('lisp-data: the data-plane header, then the inner IPv4 packet', () => {
    const inner = hex('4500001c0001000040110000c0a80001c0a80002 0035 0035 0008 0000');
    const p = dissect(udpPacket(1234, 4341, Uint8Array.from([...hex('c0 123456 00000001'), ...inner])));
    expect(stack(p)).toBe('eth/ip/udp/lisp-data/ip/udp');
    expect([field(p, 'lisp-data.nonce').value, field(p, 'lisp-data.nonce').offset]).toEqual([0x123456, 43]);
    expect(field(p, 'lisp-data.lsb').value).toBe(1);
  });

  it('every prefix', () => prefixSweep(REGISTER));
});
