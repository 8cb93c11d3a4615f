/**
 * Random field values round-trip: whatever a field can hold, the dissector reads back, with
 * checksums good (fast-check, a fixed seed so a failure repeats).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DNS, DNSQR, Ether, ICMPv6EchoRequest, IP, IPv6, stack, TCP, UDP } from '../../src/craft/index.js';
import { checkInvariants, dissect, field, values } from '../helpers/dissect.js';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((w) => w.map((x) => x.toString(16)).join(':'));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'));
const run = { numRuns: 200, seed: 11 };

describe('random values round-trip', () => {
  it('IPv4 and TCP header fields', () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.nat(255), fc.nat(0xffff), fc.nat(255), fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(0x1ff), fc.nat(0xffff), fc.string({ maxLength: 40 }),
        (src, dst, ttl, id, tos, sport, dport, seq, ack, flags, window, payload) => {
          const d = dissect(stack(Ether(), IP({ src, dst, ttl, id, tos }), TCP({ sport, dport, seq, ack, flags, window }), payload).build());
          checkInvariants(d);
          expect(field(d, 'ip.src').value).toBe(src);
          expect(field(d, 'ip.dst').value).toBe(dst);
          expect(field(d, 'ip.ttl').value).toBe(ttl);
          expect(field(d, 'ip.id').value).toBe(id);
          expect(field(d, 'ip.dsfield').value).toBe(tos);
          expect(field(d, 'ip.checksum.status').value).toBe(1);
          expect(field(d, 'tcp.srcport').value).toBe(sport);
          expect(field(d, 'tcp.dstport').value).toBe(dport);
          expect(field(d, 'tcp.seq_raw').value).toBe(seq);
          expect(field(d, 'tcp.ack_raw').value).toBe(ack);
          expect(field(d, 'tcp.flags').value).toBe(flags);
          expect(field(d, 'tcp.window_size_value').value).toBe(window);
          expect(field(d, 'tcp.checksum.status').value).toBe(1);
        }),
      run,
    );
  });

  it('IPv6, UDP and ICMPv6 with random addresses and payloads', () => {
    fc.assert(
      fc.property(ipv6, ipv6, fc.nat(255), fc.nat(0xfffff), fc.nat(0xffff), fc.nat(0xffff), fc.uint8Array({ maxLength: 64 }), (src, dst, tc, fl, id, seq, data) => {
        const echo = dissect(stack(Ether(), IPv6({ src, dst, tc, fl }), ICMPv6EchoRequest({ id, seq, data })).build());
        checkInvariants(echo);
        expect(field(echo, 'ipv6.tclass').value).toBe(tc);
        expect(field(echo, 'ipv6.flow').value).toBe(fl);
        expect(field(echo, 'icmpv6.echo.identifier').value).toBe(id);
        expect(field(echo, 'icmpv6.checksum.status').value).toBe(1);
        const udp = dissect(stack(Ether(), IPv6({ src, dst }), UDP({ sport: 40000, dport: 9999 }), data).build());
        expect(field(udp, 'udp.length').value).toBe(8 + data.length);
        expect(field(udp, 'udp.checksum.status').value).toBe(1);
      }),
      run,
    );
  });

  it('DNS names, with and without compression', () => {
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat(0xffff), (names, compress, id) => {
        const d = dissect(stack(Ether(), IP(), UDP(), DNS({ id, compress, qd: names.map((qname) => DNSQR({ qname })) })).build());
        checkInvariants(d);
        expect(field(d, 'dns.id').value).toBe(id);
        expect(values(d, 'dns.qry.name')).toEqual(names);
        expect(field(d, 'udp.checksum.status').value).toBe(1);
      }),
      run,
    );
  });
});
