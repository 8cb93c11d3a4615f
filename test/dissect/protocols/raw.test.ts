import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__LINKTYPE_RAW_ipv4.pcap: a DNS query over IPv4, no link header.
const V4 = hex(`
  450000390001000040 11a695c0a80164 09090909
  30390035002519 76 1234010000010000000000000765 78616d706c6503636f6d0000010001
`);
const V6 = hex('6000000000003b40 00000000000000000000000000000001 00000000000000000000000000000001');

describe('raw', () => {
  it('the version nibble chooses IPv4; the raw layer has no header', () => {
    for (const lt of [101, 12, 14]) {
      const p = dissect(V4, lt);
      expect(stack(p)).toBe('raw/ip/udp/dns');
      expect(layer(p, 'raw').headerLength).toBe(0);
      expect(layer(p, 'raw').summary).toBe('IPv4');
      const src = field(p, 'ip.src');
      expect([src.value, src.offset]).toEqual(['192.168.1.100', 12]);
      checkInvariants(p);
    }
  });

  it('version 6 is IPv6', () => {
    expect(stack(dissect(V6, 101))).toBe('raw/ipv6');
  });

  it('FF 03 at the start is PPP in HDLC-like framing', () => {
    const p = dissect(hex(`ff030021 ${Buffer.from(V4).toString('hex')}`), 101);
    expect(stack(p)).toBe('raw/ppp/ip/udp/dns');
    expect(field(p, 'ppp.protocol').value).toBe(0x21);
  });

  it('another version nibble is left as data', () => {
    expect(stack(dissect(hex('50000000'), 101))).toBe('raw/data');
  });

  it('a truncated IPv4 header is the IP layer\'s problem', () => {
    const p = dissect(V4.subarray(0, 10), 101, {}, V4.length);
    expect(layer(p, 'ip').issues[0]!.kind).toBe('truncated');
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(V4, 101);
  });
});
