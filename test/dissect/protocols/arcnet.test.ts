import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// tcpdump__arcnet-rfc1201-arp-icmp-http.pcap #3 header: RFC 1201 IP from 0xbe to 0x50.
const LINUX = hex(`be 50 a8e7 d4 00 0166 ${IP4}`);

describe('arcnet', () => {
  it('Linux ARCNET (129): stations, offset, protocol id, split flag, sequence, then IPv4', () => {
    const p = dissect(LINUX, 129);
    expect(stack(p)).toBe('arcnet/ip/udp/data');
    expect([field(p, 'arcnet.src').value, field(p, 'arcnet.dst').value]).toEqual([0xbe, 0x50]);
    expect([field(p, 'arcnet.offset').offset, field(p, 'arcnet.offset').length]).toEqual([2, 2]);
    expect([field(p, 'arcnet.protID').value, field(p, 'arcnet.protID').offset]).toEqual([0xd4, 4]);
    expect([field(p, 'arcnet.split_flag').value, field(p, 'arcnet.sequence').value, field(p, 'arcnet.sequence').offset]).toEqual([0, 358, 6]);
    expect(layer(p, 'arcnet').headerLength).toBe(8);
    expect(layer(p, 'arcnet').summary).toBe('Src: 0xbe, Dst: 0x50, RFC 1201 IP');
    checkInvariants(p);
  });

  it('plain ARCNET (7) has no offset field', () => {
    const p = dissect(hex(`be 50 d4 00 0166 ${IP4}`), 7);
    expect(stack(p)).toBe('arcnet/ip/udp/data');
    expect(values(p, 'arcnet.offset')).toEqual([]);
    expect(layer(p, 'arcnet').headerLength).toBe(6);
  });

  it('an exception packet (split flag 0xFF) reads the padding and the protocol id again', () => {
    const p = dissect(hex(`be 50 d4 ff ffff d4 00 0166 ${IP4}`), 7);
    expect(stack(p)).toBe('arcnet/ip/udp/data');
    expect(field(p, 'arcnet.exception_flag').offset).toBe(3);
    expect(values(p, 'arcnet.protID')).toEqual([0xd4, 0xd4]);
  });

  it('a cut header is truncated', () => {
    const p = dissect(LINUX.subarray(0, 6), 129, {}, LINUX.length);
    expect(layer(p, 'arcnet').issues[0]!.kind).toBe('truncated');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(LINUX, 129);
  });
});
