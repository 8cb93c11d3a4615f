import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// zeek Teredo.pcap #31: origin indication (obfuscated port and address), then IPv6.
const PACKET = hex(`
  0016cf419c20001d5adccff10800
  4500004c12c500007011959c41379e50c0a80210
  0dd80ed50038d499
  0000 7f7b ac55fed9
  6000000000003b00fe80000000000000708dfe834114a5122001000041379e508000f12ab9c82815
`);

describe('teredo', () => {
  it('decodes the origin indication and hands over to IPv6', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/udp/teredo/ipv6');
    expect([field(p, 'teredo.orig.port').value, field(p, 'teredo.orig.port').offset, field(p, 'teredo.orig.port').length]).toEqual([32900, 44, 2]);
    expect([field(p, 'teredo.orig.addr').value, field(p, 'teredo.orig.addr').offset]).toEqual(['83.170.1.38', 46]);
    expect(layer(p, 'teredo').headerLength).toBe(8);
    expect(field(p, 'ipv6.src').value).toBe('fe80::708d:fe83:4114:a512');
    checkInvariants(p);
  });

  it('a damaged IPv6 version after Teredo is an error in the IPv6 layer, its bytes data (as tshark)', () => {
    const bad = PACKET.slice();
    bad[50] = 0x50;
    const p = dissect(bad);
    expect(stack(p)).toBe('eth/ip/udp/teredo/ipv6/data');
    expect(layer(p, 'ipv6').issues.map((i) => [i.kind, i.severity])).toEqual([['expert', 'error']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(PACKET);
  });
});
