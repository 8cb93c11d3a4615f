import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// packetnet gre_all_options.pcap #1: GRE with checksum, key and sequence number around IPv4/ICMP.
const PACKET = hex(`
  aabbcc000400aabbcc0001000800
  4500008800110000ff2fbd31cb007101c0000202
  b000 0800 6e7c 0000 0001d97c 00000005
  45000064000c0000ff01a3880a0102010a010202
  080038660004000000000000000845d8abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd
`);

describe('gre', () => {
  it('reads every optional field at its offset and hands the payload to IPv4', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/gre/ip/icmp/data');
    expect([field(p, 'gre.proto').value, field(p, 'gre.proto').offset, field(p, 'gre.proto').length]).toEqual([0x0800, 36, 2]);
    expect(field(p, 'gre.flags.checksum').value).toBe(true);
    expect(field(p, 'gre.flags.key').bits).toEqual({ offset: 2, length: 1 });
    expect(field(p, 'gre.flags.routing').value).toBe(false);
    expect([field(p, 'gre.checksum').value, field(p, 'gre.checksum').offset]).toEqual([0x6e7c, 38]);
    expect(field(p, 'gre.checksum.status').value).toBe(1);
    expect([field(p, 'gre.offset').value, field(p, 'gre.offset').offset]).toEqual([0, 40]);
    expect([field(p, 'gre.key').value, field(p, 'gre.key').offset, field(p, 'gre.key').length]).toEqual([0x1d97c, 42, 4]);
    expect([field(p, 'gre.sequence_number').value, field(p, 'gre.sequence_number').offset]).toEqual([5, 46]);
    expect(layer(p, 'gre').headerLength).toBe(16);
    expect(layer(p, 'gre').summary).toBe('Encapsulated IP');
    expect(values(p, 'ip.src')).toEqual(['203.0.113.1', '10.1.2.1']);
    checkInvariants(p);
  });

  it('a damaged checksum is reported and the dissection goes on', () => {
    const bad = PACKET.slice();
    bad[39] = bad[39]! ^ 0xff;
    const p = dissect(bad);
    expect(field(p, 'gre.checksum.status').value).toBe(0);
    expect(layer(p, 'gre').issues.map((i) => i.fieldKey)).toEqual(['gre.checksum']);
    expect(stack(p)).toBe('eth/ip/gre/ip/icmp/data');
  });

  it('PPTP enhanced GRE: payload length, call id and acknowledgment', () => {
    const pptp = hex(`
      000000000001 000000000002 0800
      4500002c00000000402f0000 0a000001 0a000002
      3081 880b 0004 0010 00000001 00000002
      ff03c021
    `);
    const p = dissect(pptp);
    expect(field(p, 'gre.flags.version').value).toBe(1);
    expect([field(p, 'gre.key.payload_length').value, field(p, 'gre.key.call_id').value, field(p, 'gre.key.call_id').offset]).toEqual([4, 16, 40]);
    expect([field(p, 'gre.sequence_number').value, field(p, 'gre.ack_number').value, field(p, 'gre.ack_number').offset]).toEqual([1, 2, 46]);
    expect(() => field(p, 'gre.key')).toThrow();
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 44), 1, {}, PACKET.length);
    expect(layer(cut, 'gre').issues[0]!.kind).toBe('truncated');
    expect(field(cut, 'gre.proto').value).toBe(0x0800);
  });
});
