import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// libpcap__pcap-invalid-version-2.pcap #1: hello, update, request, ts/pc and hmac messages to ff02::1:6 (Babel at 62)
const BABEL = hex(`
  333300010006b09928c8d64686dd6c00000001b41101fe80000000000000b29928fffec8d646ff020000000000000000
  0000000100061a281a2801b4298d2a0201a804060000e3160190080a00400000ffffa1afffff090200000b0600024fd0
  c1f00c16001ead0fa7cd8d5a1898ec5409c8edda68b3aca21b800c2200328239f283d985047fa4b88597fde3246455c6
  e4dd917b1441c2f3a82b9f7376740c4203e86718cb4c2bb0976c127ab3cccbfa1105a1d158f035bc9fad86b0610a7acd
  27e5a3d5a3090ffb0312d7cbb31834e5d3ea2b68cd1fec3cfb9ce731d16ba8feba8c0c3203e8d2a5b80ff9d006907e3b
  6601c0c255d7d12d6ec61815e413a334e2a0d9271c75afbc086c070c714e3eff3496c20c56fb0c1600647213ced66fe7
  154034ec64cd14ae4142a092df330c4207d02a5d9d55393b19e440fac49bda521e18a7fe77f7ab4a90377009e46e2ffe
  49336435c7e4e7be215996df4f59c167ea1cccdb4ff788da29a30e34d974307adff40c3207d0fe91af27eee137ef489f
  37fee449100cda8ccb3e794d0c4a225d12724a8ce2ffc85811b879cc566fd172269847091ed10c420bb838c4d82883a5
  778500d728d1e243e7579de96fa726c9db7f0805c52e96fefdce7a5fb9af2cb845703926eaab43c3e44989d6ccb158fc
  06db455e9f8d0550b54f
`);

describe('babel', () => {
  it('reads the header and the type and length of every message', () => {
    const p = dissect(BABEL);
    expect(stack(p)).toBe('eth/ipv6/udp/babel');
    expect([field(p, 'babel.magic').value, field(p, 'babel.magic').offset]).toEqual([42, 62]);
    expect(field(p, 'babel.bodylen').value).toBe(424);
    expect(values(p, 'babel.message.type').slice(0, 3)).toEqual([4, 8, 9]);
    expect([field(p, 'babel.message.length').value, field(p, 'babel.message.length').offset]).toEqual([6, 67]);
    expect(layer(p, 'babel').summary).toBe('Babel hello update request ts/pc (obsolete) hmac hmac hmac hmac hmac hmac hmac hmac');
    checkInvariants(p);
  });

  it('another magic stops after the version', () => {
    const odd = BABEL.slice();
    odd[62] = 41;
    const p = dissect(odd);
    expect(values(p, 'babel.message.type')).toEqual([]);
    expect(layer(p, 'babel').summary).toBe('Babel (unknown version)');
  });

  it('every prefix', () => prefixSweep(BABEL));
});
