import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// scapy ikev2_nat_t.pcapng #14: IKEv2 INFORMATIONAL on UDP 4500 after the four-zero-byte non-ESP marker.
const PACKET = hex(`
  000c2930109e005056eddb320800
  45000060a5e4000080112310 ac100f5c c0a8f583
  11942aca004c501f
  00000000
  89922c915f35570e98d56d32e2a047422e2025200000000200000040000000240fb34e8905b03a3ee5f49f563f361dc9df1f
  e8f86a1d9184a09e0c9755f5c9eb
`);

// Built by hand (text2pcap -u 4500,4500; tshark 4 agrees): a one-byte NAT-keepalive, then Ethernet padding.
const KEEPALIVE = hex(`
  2052454356002053454e44000800
  4500001d12340000ff119296 0a010101 0a020202
  119411940009c6ad
  ff
  0000000000000000000000000000000000
`);

describe('udpencap', () => {
  it('a non-ESP marker: IKE follows (not ESP)', () => {
    const p = dissect(PACKET);
    expect(stack(p)).not.toContain('esp');
    expect(p.layers.slice(0, 4).map((l) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'udpencap']);
    const l = layer(p, 'udpencap');
    expect([l.offset, l.headerLength, l.summary]).toEqual([42, 4, 'Non-ESP marker']);
    expect([field(p, 'udpencap.non_esp_marker').offset, field(p, 'udpencap.non_esp_marker').length]).toEqual([42, 4]);
    expect(p.layers[4]!.offset).toBe(46);
    checkInvariants(p);
  });

  it('a single 0xff byte is a NAT-keepalive; the padding is not part of it', () => {
    const p = dissect(KEEPALIVE);
    expect(stack(p)).toBe('eth/ip/udp/udpencap/padding');
    const l = layer(p, 'udpencap');
    expect([l.offset, l.length, l.summary]).toEqual([42, 1, 'NAT-keepalive']);
    expect([field(p, 'udpencap.nat_keepalive').offset, field(p, 'udpencap.nat_keepalive').length]).toEqual([42, 1]);
    checkInvariants(p);
  });

  it('anything else is ESP, with no udpencap field', () => {
    const esp = PACKET.slice();
    esp[45] = 0x01; // SPI 0x00000001
    const p = dissect(esp);
    expect(stack(p)).toBe('eth/ip/udp/udpencap/esp');
    expect(layer(p, 'udpencap').headerLength).toBe(0);
    expect([field(p, 'esp.spi').value, field(p, 'esp.spi').offset]).toEqual([1, 42]);
    expect(() => field(p, 'udpencap.non_esp_marker')).toThrow();
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    prefixSweep(KEEPALIVE);
    // Cut inside the marker: udpencap cannot decide yet, and says truncated (not ESP, not malformed).
    const inMarker = dissect(PACKET.subarray(0, 44), 1, {}, PACKET.length);
    expect(layer(inMarker, 'udpencap').issues.map((i) => i.kind)).toEqual(['truncated']);
    expect(inMarker.layers.some((l) => l.protocol === 'esp')).toBe(false);
    const cut = dissect(PACKET.subarray(0, 50), 1, {}, PACKET.length);
    expect(layer(cut, 'udpencap').summary).toBe('Non-ESP marker');
    expect([field(cut, 'udpencap.non_esp_marker').offset, cut.layers[4]!.offset]).toEqual([42, 46]);
  });
});
