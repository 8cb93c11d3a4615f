import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// pcapplusplus__null_loopback.pcap #2: scanner discovery to 172.16.1.255:8612 (BSD loopback, BJNP at 32)
const DISCOVER = hex(`
  020000004500002cc169000040115dc3ac100175ac1001ffd84921a4001817ae424a4e42020100000000000000000000
`);

describe('bjnp', () => {
  it('reads the 16-byte header', () => {
    const p = dissect(DISCOVER, 0);
    expect(stack(p)).toBe('null/ip/udp/bjnp');
    expect([field(p, 'bjnp.id').value, field(p, 'bjnp.id').offset]).toEqual(['BJNB', 32]);
    expect(field(p, 'bjnp.type').value).toBe(2);
    expect(field(p, 'bjnp.code').value).toBe(1);
    expect([field(p, 'bjnp.payload_len').value, field(p, 'bjnp.payload_len').offset]).toEqual([0, 44]);
    expect(layer(p, 'bjnp').summary).toBe('Scanner Command: Discover');
    checkInvariants(p);
  });

  it('a payload length past the datagram reads what there is', () => {
    const big = DISCOVER.slice();
    big[47] = 9;
    const p = dissect(big, 0);
    expect(field(p, 'bjnp.payload_len').value).toBe(9);
    checkInvariants(p);
  });

  it('every prefix', () => prefixSweep(DISCOVER, 0));
});
