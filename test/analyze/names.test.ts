import { describe, expect, it } from 'vitest';
import { NameBook, hostWithoutPort, reverseAddress } from '../../src/analyze/names.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { packet, resetFrames } from './make-packets.js';

async function bookOf(name: string, max?: number): Promise<NameBook> {
  const book = new NameBook(max);
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) book.add(d.dissect(f));
  return book;
}

const ip = (src: string, dst: string) => ({ protocol: 'ip', info: { src, dst } });
const dnsResponse = (records: { name: string; type: number; value: string; section?: number }[], questions: string[]) => ({
  protocol: 'dns',
  info: { response: true, rcode: 0, opcode: 0, questions: questions.map((name) => ({ name, type: 1 })), records: records.map((r) => ({ section: 0, ...r })) },
});

describe('NameBook on corpus captures (tshark shows the same values in dns.a, dns.aaaa, tls SNI, http.host, dhcp option 12)', () => {
  it('DNS: answers name their addresses after the question, glue records after their owner', async () => {
    const b = await bookOf('tcpdump__dns_udp.pcap');
    expect([...b.entries()].map(([a, e]) => [a, e.name])).toEqual([
      ['192.139.46.66', 'www.tcpdump.org'],
      ['198.199.88.104', 'www.tcpdump.org'],
      ['209.87.249.18', 'nic.sandelman.ca'],
      ['2607:f0b0:f::babe:f00d', 'nic.sandelman.ca'],
      ['97.107.133.15', 'sns.cooperix.net'],
      ['2600:3c03::f03c:91ff:fe96:e8ef', 'sns.cooperix.net'],
    ]);
    expect(b.entryOf('192.139.46.66')).toEqual({ name: 'www.tcpdump.org', source: 'dns', frame: 2 });
  });

  it('TLS: the ClientHello server name names the server address', async () => {
    const b = await bookOf('pcapplusplus__SSL-ClientHello1.pcap');
    expect(b.nameOf('173.194.112.80')).toBe('www.google.com');
    const tls = await bookOf('pcapplusplus__tls2.pcap');
    expect(tls.entryOf('2607:f8b0:4005:801::200e')).toEqual({ name: 'www.youtube.com', source: 'tls', frame: 2 });
  });

  it('HTTP Host and DNS together; DNS wins over Host for the same address', async () => {
    const b = await bookOf('zeek__wikipedia.pcap');
    expect(b.entryOf('208.80.152.118')).toEqual({ name: 'bits.wikimedia.org', source: 'http', frame: 12 });
    expect(b.entryOf('208.80.152.3')).toMatchObject({ name: 'upload.wikimedia.org', source: 'dns' });
    const six = await bookOf('pcapplusplus__four_ipv6_http_streams.pcap');
    expect(six.nameOf('2001:618:1:8000::5')).toBe('www.uk6x.com');
  });

  it('DHCP: the host name option names the MAC and the address the server gives it', async () => {
    const b = await bookOf('zeek__dhcp.pcap');
    expect(b.nameOf('128.2.6.189')).toBe('btest.is.cool');
    const k = await bookOf('ndpi__1kxun.pcap');
    expect(k.nameOf('70:3e:ac:f0:f0:07')).toBe('Shen');
    expect(k.nameOf('192.168.3.237')).toBe('Shen');
  });

  it('mDNS answers count as DNS; an inverse query names nothing', async () => {
    expect((await bookOf('zeek__mdns.pcap')).nameOf('10.0.2.7')).toBe('johanna-QEMU-Virtual-Machine.local');
    expect((await bookOf('zeek__dns-inverse-query.pcap')).size).toBe(0);
  });

  it('keeps at most maxEntries addresses and counts the names left out', async () => {
    const b = await bookOf('tcpdump__dns_udp.pcap', 2);
    expect(b.size).toBe(2);
    expect(b.leftOut).toBe(4);
    expect(b.nameOf('209.87.249.18')).toBeUndefined();
  });
});

describe('NameBook rules', () => {
  it('follows a CNAME chain back to the name asked', () => {
    resetFrames();
    const b = new NameBook();
    b.add(
      packet(0, 100, [
        ip('10.0.0.53', '10.0.0.1'),
        dnsResponse(
          [
            { name: 'www.example.com', type: 5, value: 'edge.example.net' },
            { name: 'edge.example.net', type: 5, value: 'a1.cdn.example.org' },
            { name: 'a1.cdn.example.org', type: 1, value: '192.0.2.7' },
            { name: 'a1.cdn.example.org', type: 28, value: '2001:db8::7' },
          ],
          ['www.example.com'],
        ),
      ]),
    );
    expect(b.nameOf('192.0.2.7')).toBe('www.example.com');
    expect(b.nameOf('2001:db8::7')).toBe('www.example.com');
  });

  it('PTR answers name the address of their reverse owner', () => {
    resetFrames();
    const b = new NameBook();
    b.add(packet(0, 100, [ip('10.0.0.53', '10.0.0.1'), dnsResponse([{ name: '7.2.0.192.in-addr.arpa', type: 12, value: 'host7.example.com' }], ['7.2.0.192.in-addr.arpa'])]));
    expect(b.nameOf('192.0.2.7')).toBe('host7.example.com');
    expect(reverseAddress('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa')).toBe('2001:db8::1');
    expect(reverseAddress('300.1.1.1.in-addr.arpa')).toBeUndefined();
  });

  it('an error response names nothing; a more trusted source replaces SNI, not the other way', () => {
    resetFrames();
    const b = new NameBook();
    b.add(packet(0, 100, [ip('10.0.0.1', '192.0.2.9'), { protocol: 'tcp', info: {} }, { protocol: 'tls', info: { clientHello: true, sni: 'vhost.example.com' } }]));
    expect(b.entryOf('192.0.2.9')?.source).toBe('tls');
    b.add(packet(1, 100, [ip('10.0.0.53', '10.0.0.1'), { protocol: 'dns', info: { response: true, rcode: 3, opcode: 0, questions: [], records: [{ name: 'x', type: 1, value: '192.0.2.9', section: 0 }] } }]));
    expect(b.nameOf('192.0.2.9')).toBe('vhost.example.com');
    b.add(packet(2, 100, [ip('10.0.0.53', '10.0.0.1'), dnsResponse([{ name: 'real.example.com', type: 1, value: '192.0.2.9' }], ['real.example.com'])]));
    b.add(packet(3, 100, [ip('10.0.0.1', '192.0.2.9'), { protocol: 'http', info: { kind: 'request', messages: [{ kind: 'request', host: 'other.example.com:8080' }] } }]));
    expect(b.entryOf('192.0.2.9')).toEqual({ name: 'real.example.com', source: 'dns', frame: 3 });
  });

  it('TLS and HTTP names come from the client side: a side that sent a server message is not read again', () => {
    resetFrames();
    const b = new NameBook();
    const server = {};
    const client = {};
    const tcp = (side: object) => ({ protocol: 'tcp', info: { direction: side } });
    // The server side answers with a ServerHello, then (oddly) sends a ClientHello and a request.
    b.add(packet(0, 100, [ip('192.0.2.9', '10.0.0.1'), tcp(server), { protocol: 'tls', info: { serverHello: true } }]));
    expect(b.quietSide(server)).toBe(true);
    expect(b.quietSide(client)).toBe(false);
    b.add(packet(1, 100, [ip('192.0.2.9', '10.0.0.1'), tcp(server), { protocol: 'tls', info: { clientHello: true, sni: 'client.example' } }]));
    b.add(packet(2, 100, [ip('192.0.2.9', '10.0.0.1'), tcp(server), { protocol: 'http', info: { kind: 'request', messages: [{ kind: 'request', host: 'client.example' }] } }]));
    expect(b.nameOf('10.0.0.1')).toBeUndefined();
    // An HTTP response marks its side too; the client side still names the server.
    const web = {};
    b.add(packet(3, 100, [ip('192.0.2.80', '10.0.0.1'), tcp(web), { protocol: 'http', info: { kind: 'response', messages: [{ kind: 'response' }] } }]));
    b.add(packet(4, 100, [ip('192.0.2.80', '10.0.0.1'), tcp(web), { protocol: 'http', info: { kind: 'request', messages: [{ kind: 'request', host: 'client.example' }] } }]));
    expect(b.quietSide(web)).toBe(true);
    expect(b.nameOf('10.0.0.1')).toBeUndefined();
    b.add(packet(5, 100, [ip('10.0.0.1', '192.0.2.9'), tcp(client), { protocol: 'tls', info: { clientHello: true, sni: 'server.example' } }]));
    expect(b.entryOf('192.0.2.9')).toEqual({ name: 'server.example', source: 'tls', frame: 6 });
    expect(b.quietSide(client)).toBe(false);
  });

  it('NetBIOS: unique workstation names from name-service answers and datagram sources', () => {
    resetFrames();
    const b = new NameBook();
    b.add(packet(0, 100, [ip('10.0.0.2', '10.0.0.1'), { protocol: 'nbns', info: { addresses: [{ name: 'WS7<20>', address: '10.0.0.7', group: false }, { name: 'WORKGROUP<00>', address: '10.0.0.8', group: true }] } }]));
    b.add(packet(1, 100, [ip('10.0.0.9', '10.0.0.255'), { protocol: 'nbdgm', info: { source: 'LAPTOP9<00>', sourceIp: '10.0.0.9' } }]));
    b.add(packet(2, 100, [ip('10.0.0.10', '10.0.0.255'), { protocol: 'nbdgm', info: { source: 'WORKGROUP<1d>', sourceIp: '10.0.0.10' } }]));
    expect([...b.entries()].map(([a, e]) => [a, e.name, e.source])).toEqual([
      ['10.0.0.7', 'WS7', 'nbns'],
      ['10.0.0.9', 'LAPTOP9', 'nbdgm'],
    ]);
  });

  it('Host header: the port goes, address literals are not names', () => {
    expect(hostWithoutPort('www.example.com:8080')).toBe('www.example.com');
    expect(hostWithoutPort('192.0.2.1:80')).toBeUndefined();
    expect(hostWithoutPort('[2001:db8::1]:80')).toBeUndefined();
  });
});
