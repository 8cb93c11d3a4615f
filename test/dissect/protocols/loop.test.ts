import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// arkime__mpls-basic.pcap #4: Ethernet loopback Reply (ethertype 0x9000, LOOP at 14)
const REPLY = hex(`
  003096e6fc39003096e6fc39900000000100000000000000000000000000000000000000000000000000000000000000
  000000000000000000000000
`);

describe('loop', () => {
  it('reads skip count, function and receipt number little-endian; the rest is data', () => {
    const p = dissect(REPLY);
    expect(stack(p)).toBe('eth/loop/data');
    expect([field(p, 'loop.skipcount').value, field(p, 'loop.skipcount').offset]).toEqual([0, 14]);
    expect([field(p, 'loop.relevant_function').value, field(p, 'loop.relevant_function').offset]).toEqual([1, 16]);
    expect(field(p, 'loop.function').value).toBe(1);
    expect([field(p, 'loop.receipt_number').value, field(p, 'loop.receipt_number').offset]).toEqual([0, 18]);
    expect(layer(p, 'data').length).toBe(40);
    expect(layer(p, 'loop').summary).toBe('Reply');
    checkInvariants(p);
  });

  it('forward data carries a forwarding address', () => {
    const fwd = REPLY.slice();
    fwd[16] = 2;
    const p = dissect(fwd);
    expect(field(p, 'loop.forwarding_address').value).toBe('00:00:00:00:00:00');
    expect(layer(p, 'loop').summary).toBe('Forward Data');
  });

  it('every prefix', () => prefixSweep(REPLY));
});
