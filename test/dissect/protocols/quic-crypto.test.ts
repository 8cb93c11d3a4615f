import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  decodePacketNumber,
  headerMask,
  initialKeys,
  initialSecrets,
  nextTrafficSecret,
  openPayload,
  packetKeys,
  QUIC_V1,
  QUIC_V2,
  removeHeaderProtection,
} from '../../../src/dissect/protocols/quic-crypto.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');
const hx = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// The client's Destination Connection ID of the examples in RFC 9001 and RFC 9369, appendix A.
const DCID = h('8394c8f03e515708');

describe('QUIC key derivation (RFC 9001 appendix A)', () => {
  it('derives the v1 Initial secrets and keys of both sides from the DCID', () => {
    const s = initialSecrets(QUIC_V1, DCID)!;
    expect(hx(s.client)).toBe('c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea');
    expect(hx(s.server)).toBe('3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b');
    const c = initialKeys(QUIC_V1, DCID, 'client')!;
    expect([hx(c.key), hx(c.iv), hx(c.hp)]).toEqual(['1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2']);
    const sv = initialKeys(QUIC_V1, DCID, 'server')!;
    expect([hx(sv.key), hx(sv.iv), hx(sv.hp)]).toEqual(['cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314']);
  });

  it('removes the header protection of the client Initial (A.2)', () => {
    // Protected header (packet number 2 in 4 bytes, masked), then the sample at pn offset + 4.
    const packet = Buffer.concat([h('c000000001088394c8f03e5157080000449e7b9aec34'), h('d1b1c98dd7689fb8ec11d242b123dc9b'), Buffer.alloc(16)]);
    const keys = initialKeys(QUIC_V1, DCID, 'client')!;
    expect(hx(headerMask(keys, h('d1b1c98dd7689fb8ec11d242b123dc9b')))).toBe('437b9aec36');
    const u = removeHeaderProtection(packet, 0, 18, packet.length, keys)!;
    expect([u.first, u.pnLength, u.truncatedPn]).toEqual([0xc3, 4, 2]);
    expect(hx(u.header)).toBe('c300000001088394c8f03e5157080000449e00000002');
  });

  it('ChaCha20-Poly1305 short header packet (A.5): keys, key update, mask, packet number, PING', () => {
    const suite = CIPHER_SUITES.get(0x1303)!;
    const secret = h('9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b');
    const k = packetKeys(suite, secret, QUIC_V1);
    expect(hx(k.key)).toBe('c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8');
    expect(hx(k.iv)).toBe('e0459b3474bdd0e44a41c144');
    expect(hx(k.hp)).toBe('25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4');
    expect(hx(nextTrafficSecret(suite, secret, QUIC_V1))).toBe('1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9');
    expect(hx(headerMask(k, h('5e5cd55c41f69080575d7999c25a5bfb')))).toBe('aefefe7d03');
    const packet = h('4cfe4189655e5cd55c41f69080575d7999c25a5bfb');
    const u = removeHeaderProtection(packet, 0, 1, packet.length, k)!;
    expect(hx(u.header)).toBe('4200bff4');
    const pn = decodePacketNumber(654360563, u.truncatedPn, u.pnLength);
    expect(pn).toBe(654360564);
    expect(hx(openPayload(k, pn, u.header, packet.subarray(1 + u.pnLength))!)).toBe('01');
    // One flipped bit of the tag: no plaintext.
    const bad = Buffer.from(packet);
    bad[bad.length - 1]! ^= 1;
    expect(openPayload(k, pn, u.header, bad.subarray(1 + u.pnLength))).toBeUndefined();
  });

  it('recovers packet numbers around the window (RFC 9000 appendix A.3 example)', () => {
    expect(decodePacketNumber(0xa82f30ea, 0x9b32, 2)).toBe(0xa82f9b32);
    expect(decodePacketNumber(-1, 0, 1)).toBe(0);
    expect(decodePacketNumber(300, 0x2c, 1)).toBe(300);
    expect(decodePacketNumber(255, 0x00, 1)).toBe(256);
  });
});

describe('QUIC v2 key derivation (RFC 9369 appendix A)', () => {
  it('uses its own salt and the quicv2 labels', () => {
    const s = initialSecrets(QUIC_V2, DCID)!;
    expect(hx(s.client)).toBe('14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b');
    expect(hx(s.server)).toBe('0263db1782731bf4588e7e4d93b7463907cb8cd8200b5da55a8bd488eafc37c1');
    const c = initialKeys(QUIC_V2, DCID, 'client')!;
    expect([hx(c.key), hx(c.iv), hx(c.hp)]).toEqual(['8b1a0bc121284290a29e0971b5cd045d', '91f73e2351d8fa91660e909f', '45b95e15235d6f45a6b19cbcb0294ba9']);
    const sv = initialKeys(QUIC_V2, DCID, 'server')!;
    expect([hx(sv.key), hx(sv.iv), hx(sv.hp)]).toEqual(['82db637861d55e1d011f19ea71d5d2a7', 'dd13c276499c0249d3310652', 'edf6d05c83121201b436e16877593c3a']);
  });

  it('AES-256-GCM keys come from SHA-384 and are 32 bytes', () => {
    const suite = CIPHER_SUITES.get(0x1302)!;
    const k = packetKeys(suite, Buffer.alloc(48, 7), QUIC_V1);
    expect([k.key.length, k.iv.length, k.hp.length]).toEqual([32, 12, 32]);
    expect(nextTrafficSecret(suite, Buffer.alloc(48, 7), QUIC_V2).length).toBe(48);
    // v1 and v2 labels give different keys from one secret.
    expect(hx(packetKeys(suite, Buffer.alloc(48, 7), QUIC_V2).key)).not.toBe(hx(k.key));
  });
});
