import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// ndpi__1kxun.pcap #1: LLMNR query 0xe6a1 ANY jason-PC
const QUERY = hex(
  '01005e0000fc48d2246331000800450000363a8a00000111d85cc0a8052ce00000fce8b314eb002229fb' +
    'e6a100000001000000000000086a61736f6e2d50430000ff0001',
);

describe('llmnr', () => {
  it('is DNS with LLMNR flags (conflict, tentative) and dns.* fields', () => {
    const p = dissect(QUERY);
    expect(stack(p)).toBe('eth/ip/udp/llmnr');
    expect(field(p, 'dns.id').value).toBe(0xe6a1);
    expect(field(p, 'dns.flags').children!.map((f) => f.key)).toEqual([
      'dns.flags.response', 'dns.flags.opcode', 'dns.flags.conflict', 'dns.flags.truncated', 'dns.flags.tentative',
      'dns.flags.z', 'dns.flags.checkdisable',
    ]);
    expect([field(p, 'dns.qry.name').value, field(p, 'dns.qry.type').value]).toEqual(['jason-PC', 255]);
    expect(layer(p, 'llmnr').summary).toBe('Standard query 0xe6a1 ANY jason-PC');
    checkInvariants(p);
  });

  it('a query cut inside its type is malformed and shows no name', () => {
    const p = dissect(QUERY.subarray(0, QUERY.length - 3));
    expect(layer(p, 'llmnr').issues[0]!.kind).toBe('malformed');
    expect(() => field(p, 'dns.qry.name')).toThrow();
  });

  it('every prefix: no throw', () => prefixSweep(QUERY));
});
