import { describe, expect, it } from 'vitest';
import { looksLikeWireGuard } from '../../../src/dissect/protocols/wg.js';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// pcapplusplus__WireGuard.pcap #3: Transport Data, 10.9.0.1:43462 → 10.9.0.2:51820 (WireGuard at 42)
const DATA = hex(`
  a2e63494b5833a36e5bf5af808004500009c024c0000401163f10a0900010a090002a9c6ca6c008814ae0400000006f4
  7dab0000000000000000a4ebc12ee3f990da18033a0789c04e2700f6f5c271d42ac4b4d6262e666549b445a7436e829b
  ffb6ac65f05648bc0c391fe7c5884874376127164940188f03dba67af8388eaab76c593628bf9dc7be03346d912e916d
  ad862545454701364f2d2486d7ced4c8642ce547ddb26ef6a46b
`);

describe('wg', () => {
  it('is found by the heuristic and reads receiver and counter (little-endian)', () => {
    const p = dissect(DATA);
    expect(stack(p)).toBe('eth/ip/udp/wg');
    expect([field(p, 'wg.type').value, field(p, 'wg.type').offset]).toEqual([4, 42]);
    expect([field(p, 'wg.receiver').value, field(p, 'wg.receiver').offset]).toEqual([0xab7df406, 46]);
    expect(field(p, 'wg.counter').value).toBe(0n);
    expect(layer(p, 'wg').summary).toBe('Transport Data, receiver=0xAB7DF406, counter=0, datalen=96');
    checkInvariants(p);
  });

  it('the heuristic wants zero reserved bytes and the exact size of the type', () => {
    expect(looksLikeWireGuard(DATA, 42, DATA.length)).toBe(true);
    expect(looksLikeWireGuard(DATA, 42, DATA.length - 1)).toBe(false);
    const odd = DATA.slice();
    odd[43] = 1;
    expect(looksLikeWireGuard(odd, 42, odd.length)).toBe(false);
    expect(stack(dissect(odd))).toBe('eth/ip/udp/data');
  });

  it('every prefix', () => prefixSweep(DATA));
});
