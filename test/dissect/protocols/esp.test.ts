import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// scapy ikev2_nat_t.pcapng #10: ESP in UDP 4500 (NAT traversal), SPI 0xc1a9656b, sequence 3.
const PACKET = hex(`
  000c2930109e005056eddb320800
  45000094a5e20000801122de ac100f5c c0a8f583
  11942aca0080f857
  c1a9656b 00000003
  989a8211c6983ae3f7ce61c063ad0f2f133a81f82d7f3a05f608866b98acd695f1cef717480e9a8ed0d19d9c830d
  88aeb24490c7d3903cbdf67b412fdb22802d14751ec9c83b0fa02a242d1b36dd70f0e66574c9fd47775902ecfaa5aa26
  c7394f1625d65fbff263eabac32eb4dfc1bd
`);

describe('esp', () => {
  it('reads SPI and sequence; the encrypted rest belongs to ESP', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/udp/udpencap/esp');
    const e = layer(p, 'esp');
    expect([e.offset, e.length, e.headerLength]).toEqual([42, 120, 120]);
    expect(e.summary).toBe('ESP (SPI=0xc1a9656b)');
    expect([field(p, 'esp.spi').value, field(p, 'esp.spi').offset, field(p, 'esp.spi').length]).toEqual([0xc1a9656b, 42, 4]);
    expect([field(p, 'esp.sequence').value, field(p, 'esp.sequence').offset, field(p, 'esp.sequence').length]).toEqual([3, 46, 4]);
    checkInvariants(p);
  });

  // tcpdump esp_truncated.pcap #1: 46 of 65613 bytes captured; ESP cut after the SPI (tshark: "ESP truncated").
  it('a capture cut after the SPI: truncated on esp.sequence, SPI kept', () => {
    const cut = hex(`
      ac2205b28fd40000252079710800
      4500004619016000 3c110000 00fe5cb6 ff7fff79
      1194211 8016a6673
      c0f7d4c3
    `);
    const p = dissect(cut, 1, {}, 65613);
    expect(stack(p)).toBe('eth/ip/udp/udpencap/esp');
    expect(field(p, 'esp.spi').value).toBe(0xc0f7d4c3);
    expect(layer(p, 'esp').issues.map((i) => [i.kind, i.fieldKey, i.offset])).toEqual([['truncated', 'esp.sequence', 46]]);
    expect(() => field(p, 'esp.sequence')).toThrow();
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    // Cut inside the first 4 bytes: UDP encapsulation cannot tell ESP from IKE yet (tshark: UDPENCAP truncated).
    const early = dissect(PACKET.subarray(0, 44), 1, {}, PACKET.length);
    expect(layer(early, 'udpencap').issues.map((i) => i.kind)).toEqual(['truncated']);
    const cut = dissect(PACKET.subarray(0, 48), 1, {}, PACKET.length);
    expect(field(cut, 'esp.spi').value).toBe(0xc1a9656b);
    expect(layer(cut, 'esp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'esp.sequence']]);
  });
});
