/**
 * A TCP or UDP checksum behind an IPv6 routing header with segments left covers the final
 * destination (RFC 8200 8.1), as Wireshark checks it: the last address of a type 0 list, the
 * first of a segment routing list. Packets built with the crafting API, which sums the same way.
 */
import { describe, expect, it } from 'vitest';
import { Ether, IPv6, IPv6ExtHdrRouting, Raw, stack, TCP, UDP } from '../../../src/craft/index.js';
import { dissect, field } from '../../helpers/dissect.js';

const base = (): ReturnType<typeof IPv6> => IPv6({ src: '2001:db8::1', dst: '2001:db8::2' });

describe('transport checksums behind an IPv6 routing header', () => {
  it('segments left: the sum over the last listed address is Good', () => {
    const p = dissect(stack(Ether(), base(), IPv6ExtHdrRouting({ addresses: ['2001:db8::3', '2001:db8::4'], segleft: 2 }), TCP({ sport: 1234, dport: 80 })).build());
    expect(field(p, 'ipv6.routing.segleft').value).toBe(2);
    expect(field(p, 'tcp.checksum.status').value).toBe(1);
  });

  it('no segments left: the sum over the header destination is Good', () => {
    const p = dissect(stack(Ether(), base(), IPv6ExtHdrRouting({ addresses: ['2001:db8::3'], segleft: 0 }), UDP({ sport: 1, dport: 9 }), Raw({ load: 'x' })).build());
    expect(field(p, 'udp.checksum.status').value).toBe(1);
  });

  it('a checksum over the header destination, with segments left, is Bad', () => {
    // Built without the routing header's effect: the sum covers 2001:db8::2, not the final hop.
    const plain = stack(Ether(), base(), TCP({ sport: 1234, dport: 80 })).build();
    const routed = stack(Ether(), base(), IPv6ExtHdrRouting({ addresses: ['2001:db8::3'], segleft: 1 }), TCP({ sport: 1234, dport: 80 })).build();
    const tcpAt = routed.length - 20;
    routed.set(plain.subarray(plain.length - 20), tcpAt);
    expect(field(dissect(routed), 'tcp.checksum.status').value).toBe(0);
  });
});
