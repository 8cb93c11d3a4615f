import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// A loopback UDP datagram (10.0.0.1:1024 -> 10.0.0.2:9999, 4 bytes) behind a 4-byte family.
const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
const LE = hex(`02000000 ${IP4}`); // family 2 written by a little-endian host
const BE = hex(`00000002 ${IP4}`); // the same written by a big-endian host
// IPv6 loopback (Darwin AF_INET6 = 30), no payload.
const V6 = hex(`1e000000 6000000000003b40 00000000000000000000000000000001 00000000000000000000000000000001`);

describe('null', () => {
  it('reads the family in the capturing host order, with its offset, then IPv4', () => {
    for (const bytes of [LE, BE]) {
      const p = dissect(bytes, 0);
      expect(stack(p)).toBe('null/ip/udp/data');
      const f = field(p, 'null.family');
      expect([f.value, f.offset, f.length]).toEqual([2, 0, 4]);
      expect(layer(p, 'null').summary).toBe('Family: IP (2)');
      checkInvariants(p);
    }
  });

  it('family 30 (Darwin) is IPv6', () => {
    const p = dissect(V6, 0);
    expect(stack(p)).toBe('null/ipv6');
    expect(field(p, 'null.family').value).toBe(30);
  });

  it('a value above 1500 is an Ethertype (null.type), as in a fuzzed capture', () => {
    // ndpi__fuzz-2021-10-13.pcap: 00 2f 00 6c -> type 0x006c, unknown: data.
    const p = dissect(hex('002f006c 65cb0000 0095067f'), 0);
    const t = field(p, 'null.type');
    expect([t.value, t.offset, t.length]).toEqual([0x006c, 0, 4]);
    expect(stack(p)).toBe('null/data');
  });

  it('LINKTYPE_LOOP (108) reads the family in network order and is shown as null', () => {
    const p = dissect(BE, 108);
    expect(stack(p)).toBe('null/ip/udp/data');
    expect(field(p, 'null.family').value).toBe(2);
  });

  it('a 2-byte frame is truncated', () => {
    const p = dissect(LE.subarray(0, 2), 0, {}, LE.length);
    expect(layer(p, 'null').issues[0]!.kind).toBe('truncated');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(LE, 0);
    prefixSweep(BE, 108);
  });
});
