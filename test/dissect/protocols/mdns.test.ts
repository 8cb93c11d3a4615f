import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__mdns.pcap #1: mDNS over IPv6, two PTR questions (the second name compressed)
const QUERY = hex(
  '3333000000fb8a3cd6e14dc486dd60089071003511fffd52429ec03c8235883cd6fffee14dc4ff0200000000000000000000000000fb' +
    '14e914e90035c1d8' + '000000000002000000000000045f697070045f746370056c6f63616c00000c0001055f69707073c011000c0001',
);

describe('mdns', () => {
  it('is DNS with the mdns protocol id, dns.* fields and the QU bit split from the class', () => {
    const p = dissect(QUERY);
    expect(stack(p)).toBe('eth/ipv6/udp/mdns');
    expect(values(p, 'dns.qry.name')).toEqual(['_ipp._tcp.local', '_ipps._tcp.local']);
    expect(field(p, 'dns.qry.name', 1).offset).toBe(62 + 12 + 21);
    expect(values(p, 'dns.qry.qu')).toEqual([false, false]);
    expect(field(p, 'dns.query').children!.map((f) => f.key)).toEqual([
      'dns.qry.name', 'dns.qry.name.len', 'dns.count.labels', 'dns.qry.type', 'dns.qry.class', 'dns.qry.qu',
    ]);
    expect(layer(p, 'mdns').summary).toBe('Standard query 0x0000 PTR _ipp._tcp.local, "QM" question PTR _ipps._tcp.local, "QM" question');
    checkInvariants(p);
  });

  it('a pointer past the message is malformed', () => {
    const bad = QUERY.slice();
    bad[bad.length - 5] = 0xff; // the second name's pointer: c011 -> c0ff
    const p = dissect(bad);
    expect(layer(p, 'mdns').issues[0]!.kind).toBe('malformed');
    expect(values(p, 'dns.qry.name')).toEqual(['_ipp._tcp.local']);
  });

  it('every prefix: no throw', () => {
    prefixSweep(QUERY);
  });
});
