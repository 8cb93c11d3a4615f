import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// small-office.pcapng frame 5: ARP, Request who-has 192.168.1.1 tell 192.168.1.101, length 28
const REQUEST = hex('ffffffffffff 3c22fb1a2b3c 0806 0001 0800 06 04 0001 3c22fb1a2b3c c0a80165 000000000000 c0a80101');

describe('arp', () => {
  it('reads the request with offsets and says who has what', () => {
    const p = dissect(REQUEST);
    expect(stack(p)).toBe('eth/arp');
    expect(field(p, 'arp.opcode')).toMatchObject({ value: 1, offset: 20, length: 2, display: 'Opcode: request (1)' });
    expect(field(p, 'arp.src.hw_mac')).toMatchObject({ value: '3c:22:fb:1a:2b:3c', offset: 22 });
    expect(field(p, 'arp.src.proto_ipv4')).toMatchObject({ value: '192.168.1.101', offset: 28 });
    expect(field(p, 'arp.dst.proto_ipv4')).toMatchObject({ value: '192.168.1.1', offset: 38 });
    expect(layer(p, 'arp').summary).toBe('Who has 192.168.1.1? Tell 192.168.1.101');
    checkInvariants(p);
  });

  it('Ethernet padding after the ARP body becomes eth.padding', () => {
    const padded = Uint8Array.from([...REQUEST, ...new Array(18).fill(0)]);
    const p = dissect(padded);
    expect(stack(p)).toBe('eth/arp/padding');
    expect(field(p, 'eth.padding')).toMatchObject({ offset: 42, length: 18 });
  });

  it('every prefix', () => prefixSweep(REQUEST));
});
