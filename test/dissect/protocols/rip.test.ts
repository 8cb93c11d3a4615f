import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// pcapplusplus__sll.pcap #1: RIPv1 response from 10.0.0.138 (Linux cooked, RIP at 44)
const RESPONSE = hex(`
  00010001000630469a23fbfa000008004500005c00004000401125090a00008a0a0000ff0208020800486fdf02010000
  000200005266803c000000000000000000000001000200000000000000000000000000000000000100020000574449f5
  000000000000000000000001
`);

describe('rip', () => {
  it('reads the header and every route entry (version 1 layout)', () => {
    const p = dissect(RESPONSE, 113);
    expect(stack(p)).toBe('sll/ip/udp/rip');
    expect([field(p, 'rip.command').value, field(p, 'rip.command').offset]).toEqual([2, 44]);
    expect(field(p, 'rip.version').value).toBe(1);
    expect(values(p, 'rip.ip')).toEqual(['82.102.128.60', '0.0.0.0', '87.68.73.245']);
    expect(values(p, 'rip.metric')).toEqual([1, 1, 1]);
    expect(field(p, 'rip.ip').offset).toBe(52);
    expect(values(p, 'rip.netmask')).toEqual([]);
    const l = layer(p, 'rip');
    expect([l.name, l.summary]).toEqual(['RIPv1', 'Response']);
    checkInvariants(p);
  });

  it('version 2 entries carry route tag, netmask and next hop', () => {
    const v2 = RESPONSE.slice();
    v2[45] = 2;
    v2[56] = 255;
    const p = dissect(v2, 113);
    expect(field(p, 'rip.netmask').value).toBe('255.0.0.0');
    expect(layer(p, 'rip').name).toBe('RIPv2');
  });

  it('every prefix', () => prefixSweep(RESPONSE, 113));
});
