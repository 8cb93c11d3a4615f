import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump: IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4
const PACKET = hex(`
  0200 0000 0002 0200 0000 0001 0800          # Ethernet
  4500 0020 1234 4000 4011 0000 0a00 0001 0a00 0002   # IPv4 (checksum left 0)
  9c40 270f 000c 0000                          # UDP 40000 -> 9999, length 12
  6869 2121                                    # "hi!!"
`);

describe('udp', () => {
  it('reads ports, length and checksum with their offsets, and hands the payload on', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/udp/data');
    expect([field(p, 'udp.srcport').value, field(p, 'udp.srcport').offset, field(p, 'udp.srcport').length]).toEqual([40000, 34, 2]);
    expect([field(p, 'udp.dstport').value, field(p, 'udp.dstport').offset]).toEqual([9999, 36]);
    expect([field(p, 'udp.length').value, field(p, 'udp.length').offset]).toEqual([12, 38]);
    expect(layer(p, 'udp').summary).toBe('40000 → 9999 Len=4');
    expect(layer(p, 'data').length).toBe(4);
    checkInvariants(p);
  });

  it('a length below 8 is malformed and stops the dissection there', () => {
    const bad = PACKET.slice();
    bad[39] = 7;
    const p = dissect(bad);
    const u = layer(p, 'udp');
    expect(u.issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'udp.length']]);
    expect(stack(p)).toBe('eth/ip/udp');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 37), 1, {}, PACKET.length);
    expect(layer(cut, 'udp').issues[0]!.kind).toBe('truncated');
    expect(field(cut, 'udp.srcport').value).toBe(40000);
  });
});
