/**
 * A fixed set of crafted packets, one per layer and option, for the tshark check (run live
 * where tshark is installed, and stored as a verdict for where it is not).
 */
import {
  ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, Dot1Q, Ether, GRE, HTTPRequest, HTTPResponse, ICMP, ICMPv6EchoReply, ICMPv6EchoRequest,
  ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
  IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, type Layer, NTP, Raw, stack, TCP, TLSClientHello, UDP, VXLAN,
} from '../../src/craft/index.js';

const E = (): Layer => Ether({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' });
const V4 = (): Layer => IP({ src: '192.0.2.1', dst: '198.51.100.2' });
const V6 = (): Layer => IPv6({ src: '2001:db8::1', dst: '2001:db8::2' });

export const FIXED_SET: readonly (readonly [string, Layer])[] = [
  ['ether-raw', stack(E(), Raw({ load: 'hello' }))],
  ['dot1q', stack(E(), Dot1Q({ vlan: 100, prio: 3 }), V4(), ICMP())],
  ['arp-request', stack(Ether({ src: '02:00:00:00:00:01' }), ARP({ hwsrc: '02:00:00:00:00:01', psrc: '192.0.2.1', pdst: '192.0.2.2' }))],
  ['arp-reply', stack(E(), ARP({ op: 'is-at', hwsrc: '02:00:00:00:00:02', psrc: '192.0.2.2', hwdst: '02:00:00:00:00:01', pdst: '192.0.2.1' }))],
  ['ipv4-options', stack(E(), IP({ src: '192.0.2.1', dst: '198.51.100.2', options: ['NOP', ['RR', 2], ['RouterAlert', 0], ['Timestamp', [1000]], 'EOL'] }), ICMP())],
  ['ipv4-lsrr', stack(E(), IP({ src: '192.0.2.1', dst: '192.0.2.254', options: [['LSRR', ['198.51.100.7', '203.0.113.9']], 'NOP'] }), UDP({ sport: 5000, dport: 9 }), Raw({ load: 'route' }))],
  ['ipv4-ssrr', stack(E(), IP({ src: '192.0.2.1', dst: '192.0.2.254', options: [['SSRR', ['203.0.113.9']], 'NOP'] }), TCP({ sport: 40000, dport: 80 }))],
  ['icmp-echo', stack(E(), V4(), ICMP({ id: 7, seq: 1 }), Raw({ load: 'abcdefgh' }))],
  ['icmp-echo-reply', stack(E(), V4(), ICMP({ type: 'echo-reply', id: 7, seq: 1 }))],
  ['ipv6-hbh', stack(E(), V6(), IPv6ExtHdrHopByHop({ options: [['RouterAlert', 0]] }), ICMPv6EchoRequest({ id: 1, seq: 1 }))],
  ['ipv6-routing', stack(E(), V6(), IPv6ExtHdrRouting({ addresses: ['2001:db8::3'], segleft: 0 }), UDP(), DNS({ qd: DNSQR({ qname: 'example.com' }) }))],
  ['ipv6-fragment', stack(E(), V6(), IPv6ExtHdrFragment({ id: 0x1234 }), ICMPv6EchoRequest({ id: 2, seq: 2 }))],
  ['ipv6-destopt', stack(E(), V6(), IPv6ExtHdrDestOpt({ options: [['PadN', 4]] }), ICMPv6EchoRequest())],
  ['icmpv6-echo-reply', stack(E(), V6(), ICMPv6EchoReply({ id: 3, seq: 4, data: 'ping' }))],
  ['icmpv6-ns', stack(E(), IPv6({ src: 'fe80::1', dst: 'ff02::1:ff00:2', hlim: 255 }), ICMPv6ND_NS({ tgt: 'fe80::2' }), ICMPv6NDOptSrcLLAddr({ lladdr: '02:00:00:00:00:01' }))],
  ['icmpv6-na', stack(E(), IPv6({ src: 'fe80::2', dst: 'fe80::1', hlim: 255 }), ICMPv6ND_NA({ tgt: 'fe80::2', S: 1 }), ICMPv6NDOptDstLLAddr({ lladdr: '02:00:00:00:00:02' }))],
  ['icmpv6-rs', stack(E(), IPv6({ src: 'fe80::1', dst: 'ff02::2', hlim: 255 }), ICMPv6ND_RS(), ICMPv6NDOptSrcLLAddr({ lladdr: '02:00:00:00:00:01' }))],
  ['tcp-syn-options', stack(E(), V4(), TCP({ sport: 40000, dport: 80, seq: 1000, options: [['MSS', 1460], 'NOP', ['WScale', 7], 'SAckOK', ['Timestamp', [12345, 0]]] }))],
  ['tcp-ack-sack', stack(E(), V4(), TCP({ sport: 40000, dport: 80, seq: 1001, ack: 5001, flags: 'A', options: ['NOP', 'NOP', ['SAck', [6001, 7001]], 'NOP', 'EOL'] }))],
  ['tcp-v6', stack(E(), V6(), TCP({ sport: 40001, dport: 22, flags: 'SA', seq: 10, ack: 11 }))],
  ['udp-raw', stack(E(), V4(), UDP({ sport: 40000, dport: 9999 }), Raw({ load: 'data' }))],
  ['dns-query', stack(E(), V4(), UDP(), DNS({ id: 0x1234, qd: [DNSQR({ qname: 'example.com', qtype: 'AAAA' })] }))],
  [
    'dns-answers',
    stack(E(), V4(), UDP(), DNS({
      id: 0x1234, qr: 1, ra: 1, compress: true,
      qd: DNSQR({ qname: 'www.example.com' }),
      an: [
        DNSRR({ rrname: 'www.example.com', type: 'CNAME', ttl: 300, rdata: 'web.example.com' }),
        DNSRR({ rrname: 'web.example.com', type: 'A', ttl: 300, rdata: '192.0.2.80' }),
        DNSRR({ rrname: 'web.example.com', type: 'AAAA', ttl: 300, rdata: '2001:db8::80' }),
      ],
      ns: [DNSRR({ rrname: 'example.com', type: 'NS', ttl: 3600, rdata: 'ns1.example.com' })],
      ar: [DNSRR({ rrname: 'example.com', type: 'MX', ttl: 3600, preference: 10, rdata: 'mail.example.com' }), DNSRR({ rrname: 'example.com', type: 'TXT', ttl: 60, rdata: ['v=spf1 -all', 'hello'] })],
    })),
  ],
  ['dns-ptr', stack(E(), V4(), UDP(), DNS({ qr: 1, qd: DNSQR({ qname: '2.100.51.198.in-addr.arpa', qtype: 'PTR' }), an: DNSRR({ rrname: '2.100.51.198.in-addr.arpa', type: 'PTR', rdata: 'host.example.com' }) }))],
  ['dns-tcp', stack(E(), V4(), TCP({ flags: 'PA' }), DNS({ qd: 'example.org' }))],
  [
    'dhcp-discover',
    stack(Ether({ src: '02:00:00:00:00:01' }), IP({ src: '0.0.0.0', dst: '255.255.255.255' }), UDP(), BOOTP({ chaddr: '02:00:00:00:00:01', xid: 0x12345678, flags: 'B' }),
      DHCP({ options: [['message-type', 'discover'], ['client_id', '02:00:00:00:00:01'], ['requested_addr', '192.0.2.10'], ['hostname', 'laptop'], ['param_req_list', [1, 3, 6, 15]], 'end'] })),
  ],
  [
    'dhcp-ack',
    stack(E(), IP({ src: '192.0.2.1', dst: '192.0.2.10' }), UDP(), BOOTP({ op: 'BOOTREPLY', chaddr: '02:00:00:00:00:01', xid: 0x12345678, yiaddr: '192.0.2.10' }),
      DHCP({ options: [['message-type', 'ack'], ['server_id', '192.0.2.1'], ['lease_time', 3600], ['subnet_mask', '255.255.255.0'], ['router', '192.0.2.1'], ['name_server', ['192.0.2.53', '192.0.2.54']], ['domain', 'example.com']] })),
  ],
  ['http-request', stack(E(), V4(), TCP({ flags: 'PA' }), HTTPRequest({ path: '/index.html', headers: [['User-Agent', 'pcapviz']] }))],
  ['http-response', stack(E(), V4(), TCP({ flags: 'PA' }), HTTPResponse({ headers: [['Content-Type', 'text/plain']] }), Raw({ load: 'hello\n' }))],
  ['tls-client-hello', stack(E(), V4(), TCP({ flags: 'PA' }), TLSClientHello({ sni: 'example.com', alpn: ['h2', 'http/1.1'] }))],
  ['ntp', stack(E(), V4(), UDP(), NTP({ sent: 0xe9a0b1c200000000n }))],
  ['vxlan', stack(E(), V4(), UDP(), VXLAN({ vni: 42 }), Ether({ src: '02:00:00:00:00:03', dst: '02:00:00:00:00:04' }), IP({ src: '10.0.0.1', dst: '10.0.0.2' }), ICMP())],
  ['gre', stack(E(), V4(), GRE(), IP({ src: '10.0.0.1', dst: '10.0.0.2' }), UDP({ sport: 40000, dport: 9999 }), Raw({ load: 'x' }))],
  ['gre-key-checksum', stack(E(), V4(), GRE({ chksum_present: 1, key_present: 1, key: 7, seqnum_present: 1, sequence_number: 9 }), IPv6({ src: '2001:db8::a', dst: '2001:db8::b' }), ICMPv6EchoRequest())],
];
