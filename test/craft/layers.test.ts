/**
 * Every buildable layer and option round-trips: built here, dissected by our dissector in full
 * mode, the same values come back under Wireshark's field names, checksums verify, and no layer
 * reports damage. Explicit values are written as given, even wrong ones.
 */
import { describe, expect, it } from 'vitest';
import {
  ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, Dot1Q, Ether, GRE, HTTPRequest, HTTPResponse, ICMP, ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6ND_NA,
  ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
  IPv6ExtHdrRouting, type Layer, NTP, Raw, stack, TCP, TLSClientHello, UDP, VXLAN,
} from '../../src/craft/index.js';
import { CraftValueError } from '../../src/craft/values.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { checkInvariants, field, frameOf, stack as layersOf, values } from '../helpers/dissect.js';
import { FIXED_SET } from './fixed-set.js';

const registry = defaultRegistry();

function dissected(p: Layer, linkType = 1): DissectedPacket {
  return new Dissector(registry, { mode: 'full', strict: true }).dissect(frameOf(p.build(), linkType));
}

/** Dissects, checks the tree's invariants and that no layer is damaged, and returns the packet. */
function clean(p: Layer, linkType = 1): DissectedPacket {
  const d = dissected(p, linkType);
  checkInvariants(d);
  for (const l of d.layers) for (const i of l.issues) expect(i.kind, `${l.protocol}: ${i.message}`).not.toMatch(/malformed|truncated|dissector-bug/);
  return d;
}

/** Each key's values in tree order (a single value is the first occurrence's). */
function expectFields(d: DissectedPacket, want: Readonly<Record<string, unknown>>): void {
  for (const [key, v] of Object.entries(want)) {
    if (Array.isArray(v)) expect(values(d, key), key).toEqual(v);
    else expect(field(d, key).value, key).toEqual(v);
  }
}

const E = (): Layer => Ether({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' });
const V4 = (): Layer => IP({ src: '192.0.2.1', dst: '198.51.100.2' });
const V6 = (): Layer => IPv6({ src: '2001:db8::1', dst: '2001:db8::2' });

describe('layers round-trip through the dissector', () => {
  it('Ethernet, 802.1Q, Raw', () => {
    const d = clean(stack(Ether({ dst: '02:aa:bb:cc:dd:ee', src: '02:00:00:00:00:01', type: 0x88b5 }), Raw({ load: 'hello' })));
    expectFields(d, { 'eth.dst': '02:aa:bb:cc:dd:ee', 'eth.src': '02:00:00:00:00:01', 'eth.type': 0x88b5 });
    expect(Buffer.from(d.frame.data.subarray(14)).toString()).toBe('hello');
    const q = clean(stack(E(), Dot1Q({ vlan: 100, prio: 3, id: 1 }), Dot1Q({ vlan: 7 }), V4(), ICMP()));
    expectFields(q, { 'eth.type': 0x8100, 'vlan.priority': [3, 0], 'vlan.dei': [1, 0], 'vlan.id': [100, 7], 'vlan.etype': [0x8100, 0x0800] });
    expect(layersOf(q)).toBe('eth/vlan/vlan/ip/icmp');
    expect(field(clean(Ether()), 'eth.dst').value).toBe('ff:ff:ff:ff:ff:ff');
  });

  it('ARP request and reply', () => {
    const d = clean(stack(E(), ARP({ op: 'is-at', hwsrc: '02:00:00:00:00:02', psrc: '192.0.2.2', hwdst: '02:00:00:00:00:01', pdst: '192.0.2.1' })));
    expectFields(d, {
      'eth.type': 0x0806, 'arp.hw.type': 1, 'arp.proto.type': 0x0800, 'arp.hw.size': 6, 'arp.proto.size': 4, 'arp.opcode': 2,
      'arp.src.hw_mac': '02:00:00:00:00:02', 'arp.src.proto_ipv4': '192.0.2.2', 'arp.dst.hw_mac': '02:00:00:00:00:01', 'arp.dst.proto_ipv4': '192.0.2.1',
    });
    expect(field(clean(stack(E(), ARP({ pdst: '192.0.2.9' }))), 'arp.opcode').value).toBe(1);
  });

  it('IPv4 fields and options', () => {
    const d = clean(stack(E(), IP({ src: '192.0.2.1', dst: '198.51.100.2', tos: 0xb8, id: 4321, flags: 'DF', ttl: 3, options: ['NOP', ['RR', 2], ['RouterAlert', 0], ['Timestamp', [1000]], 'EOL'] }), ICMP()));
    expectFields(d, {
      'ip.version': 4, 'ip.hdr_len': 48, 'ip.dsfield': 0xb8, 'ip.len': 56, 'ip.id': 4321, 'ip.flags.df': true, 'ip.flags.mf': false, 'ip.frag_offset': 0, 'ip.ttl': 3,
      'ip.proto': 1, 'ip.src': '192.0.2.1', 'ip.dst': '198.51.100.2', 'ip.checksum.status': 1,
      'ip.opt.type': [1, 7, 148, 68, 0], 'ip.opt.ptr': [4, 9], 'ip.rec_rt': ['0.0.0.0', '0.0.0.0'], 'ip.opt.ra': 0, 'ip.opt.time_stamp': 1000,
    });
    const rr = clean(stack(E(), IP({ options: [['RR', ['10.0.0.1', '10.0.0.2']], 'NOP'], flags: 'MF', frag: 0 }), ICMP()));
    expectFields(rr, { 'ip.rec_rt': ['10.0.0.1', '10.0.0.2'], 'ip.opt.ptr': 12, 'ip.flags.mf': true, 'ip.checksum.status': 1 });
    expectFields(clean(stack(IP({ src: '10.1.2.3' }), ICMP()), 228), { 'ip.src': '10.1.2.3', 'ip.dst': '127.0.0.1', 'ip.ttl': 64 });
  });

  it('IPv4 loose and strict source routes, with the final hop in the transport checksum', () => {
    const route = ['198.51.100.7', '203.0.113.9'];
    const lsrr = clean(stack(E(), IP({ src: '192.0.2.1', dst: '192.0.2.254', options: [['LSRR', route], 'NOP'] }), UDP({ sport: 5000, dport: 9 }), Raw({ load: 'x' })));
    // The last address of a route still ahead is where the datagram goes: shown as ip.dst.
    expectFields(lsrr, { 'ip.opt.type': [131, 1], 'ip.opt.len': 11, 'ip.opt.ptr': 4, 'ip.src_rt': '198.51.100.7', 'ip.hdr_len': 32, 'ip.checksum.status': 1, 'udp.checksum.status': 1 });
    expectFields(lsrr, { 'ip.cur_rt': '192.0.2.254', 'ip.dst': '203.0.113.9' });
    const ssrr = clean(stack(E(), IP({ src: '192.0.2.1', dst: '192.0.2.254', options: [['SSRR', route]] }), TCP({ sport: 40000, dport: 80 })));
    expectFields(ssrr, { 'ip.opt.type': [137, 0], 'ip.opt.ptr': 4, 'tcp.checksum.status': 1 });
    // A route already walked (pointer past its end): the header's destination is the final one.
    const walked = clean(stack(E(), IP({ src: '192.0.2.1', dst: '203.0.113.9', options: [['LSRR', route, 12]] }), UDP({ sport: 5000, dport: 9 })));
    expectFields(walked, { 'ip.opt.ptr': 12, 'udp.checksum.status': 1 });
    expect(() => stack(E(), IP({ options: [['LSRR', []]] }), ICMP()).build()).toThrow(/LSRR takes a list of one or more IPv4 addresses/);
  });

  it('IPv6 and its extension headers', () => {
    const d = clean(stack(E(), IPv6({ src: '2001:db8::1', dst: '2001:db8::2', tc: 0x28, fl: 0x12345, hlim: 9 }), IPv6ExtHdrHopByHop({ options: [['RouterAlert', 0]] }),
      IPv6ExtHdrDestOpt({ options: [['PadN', 4]] }), IPv6ExtHdrRouting({ addresses: ['2001:db8::3', '2001:db8::4'], segleft: 0 }), IPv6ExtHdrFragment({ id: 0x1234, offset: 0, m: 0 }),
      ICMPv6EchoRequest({ id: 1, seq: 2 })));
    expectFields(d, {
      'eth.type': 0x86dd, 'ipv6.version': 6, 'ipv6.tclass': 0x28, 'ipv6.flow': 0x12345, 'ipv6.plen': 8 + 8 + 40 + 8 + 8, 'ipv6.nxt': 0, 'ipv6.hlim': 9,
      'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2',
      'ipv6.hopopts.nxt': 60, 'ipv6.hopopts.len': 0, 'ipv6.hopopts.opt.type': [5, 1], 'ipv6.hopopts.opt.router_alert': 0,
      'ipv6.dstopts.nxt': 43, 'ipv6.dstopts.opt.type': [1], 'ipv6.dstopts.opt.length': [4],
      'ipv6.routing.nxt': 44, 'ipv6.routing.len': 4, 'ipv6.routing.type': 0, 'ipv6.routing.segleft': 0, 'ipv6.routing.src.addr': ['2001:db8::3', '2001:db8::4'],
      'ipv6.fraghdr.nxt': 58, 'ipv6.fraghdr.offset': 0, 'ipv6.fraghdr.more': false, 'ipv6.fraghdr.ident': 0x1234,
      'icmpv6.type': 128, 'icmpv6.checksum.status': 1, 'icmpv6.echo.identifier': 1, 'icmpv6.echo.sequence_number': 2,
    });
    expect(layersOf(d)).toBe('eth/ipv6/ipv6.hopopts/ipv6.dstopts/ipv6.routing/ipv6.fraghdr/icmpv6');
    expectFields(clean(stack(V6(), IPv6ExtHdrFragment({ offset: 100, m: 1, id: 9 }), Raw({ load: 'x'.repeat(8) })), 229), { 'ipv6.fraghdr.offset': 100, 'ipv6.fraghdr.more': true, 'ipv6.nxt': 44 });
    expect(field(clean(IPv6(), 229), 'ipv6.nxt').value).toBe(59);
  });

  it('ICMP echo request and reply, and other types', () => {
    const d = clean(stack(E(), V4(), ICMP({ id: 7, seq: 1 }), Raw({ load: 'abcdefgh' })));
    expectFields(d, { 'ip.proto': 1, 'icmp.type': 8, 'icmp.code': 0, 'icmp.ident': 7, 'icmp.seq': 1, 'icmp.checksum.status': 1 });
    expectFields(clean(stack(E(), V4(), ICMP({ type: 'echo-reply', id: 7, seq: 9 }))), { 'icmp.type': 0, 'icmp.seq': 9, 'icmp.checksum.status': 1 });
    const unreach = clean(stack(E(), V4(), ICMP({ type: 'dest-unreach', code: 3 }), IP({ src: '198.51.100.2', dst: '192.0.2.1' }), UDP({ sport: 5000, dport: 6000 })));
    expectFields(unreach, { 'icmp.type': 3, 'icmp.code': 3, 'icmp.checksum.status': 1 });
  });

  it('ICMPv6 echo and neighbour discovery with link-layer address options', () => {
    expectFields(clean(stack(E(), V6(), ICMPv6EchoReply({ id: 3, seq: 4, data: 'ping' }))), { 'ipv6.nxt': 58, 'icmpv6.type': 129, 'icmpv6.echo.identifier': 3, 'icmpv6.echo.sequence_number': 4, 'icmpv6.checksum.status': 1 });
    const ns = clean(stack(E(), IPv6({ src: 'fe80::1', dst: 'ff02::1:ff00:2', hlim: 255 }), ICMPv6ND_NS({ tgt: 'fe80::2' }), ICMPv6NDOptSrcLLAddr({ lladdr: '02:00:00:00:00:01' })));
    expectFields(ns, { 'icmpv6.type': 135, 'icmpv6.nd.ns.target_address': 'fe80::2', 'icmpv6.opt.type': 1, 'icmpv6.opt.length': 1, 'icmpv6.opt.src_linkaddr': '02:00:00:00:00:01', 'icmpv6.checksum.status': 1 });
    const na = clean(stack(E(), IPv6({ src: 'fe80::2', dst: 'fe80::1' }), ICMPv6ND_NA({ tgt: 'fe80::2', R: 0, S: 1, O: 1 }), ICMPv6NDOptDstLLAddr({ lladdr: '02:00:00:00:00:02' })));
    expectFields(na, { 'icmpv6.type': 136, 'icmpv6.nd.na.flag.r': false, 'icmpv6.nd.na.flag.s': true, 'icmpv6.nd.na.flag.o': true, 'icmpv6.nd.na.target_address': 'fe80::2', 'icmpv6.opt.target_linkaddr': '02:00:00:00:00:02', 'icmpv6.checksum.status': 1 });
    const rs = clean(stack(E(), IPv6({ src: 'fe80::1', dst: 'ff02::2' }), ICMPv6ND_RS(), ICMPv6NDOptSrcLLAddr({ lladdr: '02:00:00:00:00:01' })));
    expectFields(rs, { 'icmpv6.type': 133, 'icmpv6.nd.rs.reserved': 0, 'icmpv6.opt.src_linkaddr': '02:00:00:00:00:01', 'icmpv6.checksum.status': 1 });
  });

  it('TCP fields, flags and every option', () => {
    const syn = clean(stack(E(), V4(), TCP({ sport: 40000, dport: 80, seq: 1000, window: 65535, options: [['MSS', 1460], 'NOP', ['WScale', 7], 'SAckOK', ['Timestamp', [12345, 0]]] })));
    expectFields(syn, {
      'ip.proto': 6, 'tcp.srcport': 40000, 'tcp.dstport': 80, 'tcp.seq_raw': 1000, 'tcp.ack_raw': 0, 'tcp.hdr_len': 40, 'tcp.flags': 0x002, 'tcp.flags.syn': true,
      'tcp.window_size_value': 65535, 'tcp.checksum.status': 1, 'tcp.option_kind': [2, 1, 3, 4, 8], 'tcp.options.mss_val': 1460, 'tcp.options.wscale.shift': 7,
      'tcp.options.timestamp.tsval': 12345, 'tcp.options.timestamp.tsecr': 0,
    });
    const ack = clean(stack(E(), V4(), TCP({ sport: 40000, dport: 80, seq: 1001, ack: 5001, flags: 'A', urgptr: 0, options: ['NOP', 'NOP', ['SAck', [6001, 7001, 8001, 9001]], 'EOL'] })));
    expectFields(ack, { 'tcp.ack_raw': 5001, 'tcp.flags': 0x010, 'tcp.option_kind': [1, 1, 5, 0], 'tcp.options.sack_le': [6001, 8001], 'tcp.options.sack_re': [7001, 9001], 'tcp.checksum.status': 1 });
    expectFields(clean(stack(E(), V4(), TCP({ flags: 'FSRPAUEC' }))), { 'tcp.flags': 0x0ff });
    expectFields(clean(stack(E(), V6(), TCP({ flags: 'SA', sport: 22, dport: 40001 }))), { 'ipv6.nxt': 6, 'tcp.flags': 0x012, 'tcp.checksum.status': 1 });
    expectFields(clean(stack(V4(), TCP()), 228), { 'tcp.srcport': 20, 'tcp.dstport': 80, 'tcp.flags': 0x002, 'tcp.window_size_value': 8192, 'tcp.hdr_len': 20 });
  });

  it('UDP over IPv4 and IPv6', () => {
    expectFields(clean(stack(E(), V4(), UDP({ sport: 40000, dport: 9999 }), Raw({ load: 'data' }))), { 'ip.proto': 17, 'udp.srcport': 40000, 'udp.dstport': 9999, 'udp.length': 12, 'udp.checksum.status': 1 });
    expectFields(clean(stack(E(), V6(), UDP({ sport: 1, dport: 9 }), Raw({ load: 'v6' }))), { 'ipv6.nxt': 17, 'udp.length': 10, 'udp.checksum.status': 1 });
  });

  it('DNS queries and answers of every type, with and without compression, over UDP and TCP', () => {
    const answers = (compress: boolean): Layer => stack(E(), V4(), UDP(), DNS({
      id: 0x1234, qr: 1, ra: 1, compress,
      qd: DNSQR({ qname: 'www.example.com' }),
      an: [
        DNSRR({ rrname: 'www.example.com', type: 'CNAME', ttl: 300, rdata: 'web.example.com' }),
        DNSRR({ rrname: 'web.example.com', type: 'A', ttl: 300, rdata: '192.0.2.80' }),
        DNSRR({ rrname: 'web.example.com', type: 'AAAA', ttl: 300, rdata: '2001:db8::80' }),
      ],
      ns: [DNSRR({ rrname: 'example.com', type: 'NS', ttl: 3600, rdata: 'ns1.example.com' })],
      ar: [
        DNSRR({ rrname: 'example.com', type: 'MX', ttl: 3600, preference: 20, rdata: 'mail.example.com' }),
        DNSRR({ rrname: 'example.com', type: 'TXT', ttl: 60, rdata: ['v=spf1 -all', 'hello'] }),
        DNSRR({ rrname: '80.2.0.192.in-addr.arpa', type: 'PTR', rdata: 'web.example.com' }),
      ],
    }));
    const want = {
      'udp.srcport': 53, 'udp.dstport': 53, 'udp.checksum.status': 1, 'dns.id': 0x1234, 'dns.flags.response': true, 'dns.flags.recdesired': true, 'dns.flags.recavail': true,
      'dns.count.queries': 1, 'dns.count.answers': 3, 'dns.count.auth_rr': 1, 'dns.count.add_rr': 3, 'dns.qry.name': 'www.example.com', 'dns.qry.type': 1,
      'dns.resp.name': ['www.example.com', 'web.example.com', 'web.example.com', 'example.com', 'example.com', 'example.com', '80.2.0.192.in-addr.arpa'],
      'dns.resp.type': [5, 1, 28, 2, 15, 16, 12], 'dns.resp.ttl': [300, 300, 300, 3600, 3600, 60, 0],
      'dns.cname': 'web.example.com', 'dns.a': '192.0.2.80', 'dns.aaaa': '2001:db8::80', 'dns.ns': 'ns1.example.com', 'dns.mx.preference': 20,
      'dns.mx.mail_exchange': 'mail.example.com', 'dns.txt': ['v=spf1 -all', 'hello'], 'dns.ptr.domain_name': 'web.example.com',
    };
    const plain = answers(false).build();
    const packed = answers(true).build();
    expect(packed.length).toBeLessThan(plain.length);
    expectFields(clean(answers(false)), want);
    expectFields(clean(answers(true)), want);
    const q = clean(stack(E(), V4(), UDP(), DNS({ qd: [DNSQR({ qname: 'example.com', qtype: 'AAAA' }), 'example.net'], rd: 0, opcode: 'QUERY' })));
    expectFields(q, { 'dns.flags.response': false, 'dns.flags.recdesired': false, 'dns.qry.name': ['example.com', 'example.net'], 'dns.qry.type': [28, 1], 'dns.count.queries': 2 });
    const t = clean(stack(E(), V4(), TCP({ flags: 'PA' }), DNS({ qd: 'example.org' })));
    expectFields(t, { 'tcp.dstport': 53, 'dns.length': 29, 'dns.qry.name': 'example.org', 'tcp.checksum.status': 1 });
  });

  it('BOOTP and DHCP options', () => {
    const d = clean(stack(Ether({ src: '02:00:00:00:00:01' }), IP({ src: '0.0.0.0', dst: '255.255.255.255' }), UDP(), BOOTP({ chaddr: '02:00:00:00:00:01', xid: 0x12345678, flags: 'B', secs: 3 }),
      DHCP({ options: [['message-type', 'discover'], ['client_id', '02:00:00:00:00:01'], ['requested_addr', '192.0.2.10'], ['hostname', 'laptop'], ['param_req_list', [1, 3, 6, 15]], ['vendor_class_id', 'pcapviz'], 'end'] })));
    expectFields(d, {
      'udp.srcport': 68, 'udp.dstport': 67, 'dhcp.type': 1, 'dhcp.hw.type': 1, 'dhcp.hw.len': 6, 'dhcp.id': 0x12345678, 'dhcp.secs': 3, 'dhcp.flags.bc': true,
      'dhcp.hw.mac_addr': ['02:00:00:00:00:01', '02:00:00:00:00:01'], 'dhcp.cookie': '99.130.83.99', 'dhcp.option.type': [53, 61, 50, 12, 55, 60, 255], 'dhcp.option.dhcp': 1,
      'dhcp.client_id.type': 1, 'dhcp.option.requested_ip_address': '192.0.2.10', 'dhcp.option.hostname': 'laptop', 'dhcp.option.request_list_item': [1, 3, 6, 15],
    });
    const ack = clean(stack(E(), IP({ src: '192.0.2.1', dst: '192.0.2.10' }), UDP(), BOOTP({ op: 'BOOTREPLY', yiaddr: '192.0.2.10', siaddr: '192.0.2.1', giaddr: '192.0.2.254', ciaddr: '0.0.0.0' }),
      DHCP({ options: [['message-type', 'ack'], ['server_id', '192.0.2.1'], ['lease_time', 3600], ['renewal_time', 1800], ['rebinding_time', 3150], ['subnet_mask', '255.255.255.0'], ['router', '192.0.2.1'], ['name_server', ['192.0.2.53', '192.0.2.54']], ['domain', 'example.com'], ['broadcast_address', '192.0.2.255']] })));
    expectFields(ack, {
      'udp.srcport': 67, 'udp.dstport': 68, 'dhcp.type': 2, 'dhcp.ip.your': '192.0.2.10', 'dhcp.ip.server': '192.0.2.1', 'dhcp.ip.relay': '192.0.2.254', 'dhcp.option.dhcp': 5,
      'dhcp.option.dhcp_server_id': '192.0.2.1', 'dhcp.option.ip_address_lease_time': 3600, 'dhcp.option.subnet_mask': '255.255.255.0', 'dhcp.option.router': '192.0.2.1',
      'dhcp.option.domain_name_server': ['192.0.2.53', '192.0.2.54'], 'dhcp.option.domain_name': 'example.com', 'dhcp.option.end': 255,
    });
  });

  it('HTTP request and response', () => {
    const req = clean(stack(E(), V4(), TCP({ flags: 'PA' }), HTTPRequest({ method: 'POST', path: '/submit', headers: [['User-Agent', 'pcapviz']], body: 'a=1' })));
    expectFields(req, { 'tcp.dstport': 80, 'http.request.method': 'POST', 'http.request.uri': '/submit', 'http.request.version': 'HTTP/1.1', 'http.host': '198.51.100.2', 'http.user_agent': 'pcapviz', 'http.content_length': 3n });
    const res = clean(stack(E(), V4(), TCP({ flags: 'PA' }), HTTPResponse({ status: 404, headers: [['Content-Type', 'text/plain']] }), Raw({ load: 'hello\n' })));
    expectFields(res, { 'tcp.srcport': 80, 'http.response.code': 404, 'http.response.phrase': 'Not Found', 'http.content_type': 'text/plain', 'http.content_length': 6n });
    expectFields(clean(stack(E(), V4(), TCP({ flags: 'PA' }), HTTPRequest({ host: 'example.com' }))), { 'http.host': 'example.com' });
  });

  it('TLS ClientHello with SNI, ALPN, supported versions, groups and cipher suites', () => {
    const d = clean(stack(E(), V4(), TCP({ flags: 'PA' }), TLSClientHello({ sni: 'example.com', alpn: ['h2', 'http/1.1'], ciphers: [0x1301, 0xc02f], supported_versions: [0x0304], groups: [29], session_id: 'x'.repeat(32) })));
    expectFields(d, {
      'tcp.dstport': 443, 'tls.record.content_type': 22, 'tls.record.version': 0x0301, 'tls.handshake.type': 1, 'tls.handshake.version': 0x0303,
      'tls.handshake.session_id_length': 32, 'tls.handshake.ciphersuite': [0x1301, 0xc02f], 'tls.handshake.extension.type': [0, 10, 16, 43],
      'tls.handshake.extensions_server_name': 'example.com', 'tls.handshake.extensions_alpn_str': ['h2', 'http/1.1'],
      'tls.handshake.extensions.supported_version': [0x0304], 'tls.handshake.extensions_supported_group': [29],
    });
    expectFields(clean(stack(E(), V4(), TCP({ flags: 'PA' }), TLSClientHello())), { 'tls.handshake.extension.type': [10, 43] });
  });

  it('NTP, VXLAN and GRE', () => {
    const ntp = clean(stack(E(), V4(), UDP(), NTP({ mode: 'server', stratum: 2, poll: 6, sent: 0xe9a0b1c200000000n })));
    expectFields(ntp, { 'udp.dstport': 123, 'ntp.flags.li': 0, 'ntp.flags.vn': 4, 'ntp.flags.mode': 4, 'ntp.stratum': 2, 'ntp.ppoll': 6 });
    const vx = clean(stack(E(), V4(), UDP(), VXLAN({ vni: 42 }), Ether({ src: '02:00:00:00:00:03', dst: '02:00:00:00:00:04' }), IP({ src: '10.0.0.1', dst: '10.0.0.2' }), ICMP()));
    expect(layersOf(vx)).toBe('eth/ip/udp/vxlan/eth/ip/icmp');
    expectFields(vx, { 'udp.dstport': 4789, 'vxlan.flag_i': true, 'vxlan.vni': 42, 'eth.src': ['02:00:00:00:00:01', '02:00:00:00:00:03'], 'ip.checksum.status': [1, 1] });
    const gre = clean(stack(E(), V4(), GRE({ chksum_present: 1, key_present: 1, key: 7, seqnum_present: 1, sequence_number: 9 }), IPv6({ src: '2001:db8::a', dst: '2001:db8::b' }), ICMPv6EchoRequest()));
    expectFields(gre, { 'ip.proto': 47, 'gre.flags.checksum': true, 'gre.flags.key': true, 'gre.proto': 0x86dd, 'gre.checksum.status': 1, 'gre.key': 7, 'gre.sequence_number': 9, 'icmpv6.checksum.status': 1 });
    const plain = clean(stack(E(), V4(), GRE(), IP({ src: '10.0.0.1', dst: '10.0.0.2' }), UDP({ sport: 1, dport: 2 })));
    expectFields(plain, { 'gre.proto': 0x0800, 'gre.flags.checksum': false });
    const bridged = clean(stack(E(), V4(), GRE(), Ether({ src: '02:00:00:00:00:05' }), ARP()));
    expectFields(bridged, { 'gre.proto': 0x6558 });
  });

  it('every packet of the fixed tshark set dissects cleanly with good checksums', () => {
    for (const [name, p] of FIXED_SET) {
      const d = clean(p);
      for (const key of ['ip', 'icmp', 'icmpv6', 'tcp', 'udp', 'gre']) for (const s of values(d, `${key}.checksum.status`)) expect(s, `${name} ${key}`).toBe(1);
    }
  });
});

describe('explicit values are kept, even wrong ones', () => {
  it('wrong checksums are written and the dissector reports them bad', () => {
    const d = dissected(stack(E(), IP({ chksum: 0x1234 }), TCP({ chksum: 0xbeef })));
    expectFields(d, { 'ip.checksum': 0x1234, 'ip.checksum.status': 0, 'tcp.checksum': 0xbeef, 'tcp.checksum.status': 0 });
    expectFields(dissected(stack(E(), V4(), UDP({ chksum: 1, sport: 1, dport: 2 }))), { 'udp.checksum': 1, 'udp.checksum.status': 0 });
    expectFields(dissected(stack(E(), V4(), ICMP({ chksum: 2 }))), { 'icmp.checksum': 2, 'icmp.checksum.status': 0 });
    expectFields(dissected(stack(E(), V6(), ICMPv6EchoRequest({ cksum: 3 }))), { 'icmpv6.checksum': 3, 'icmpv6.checksum.status': 0 });
    expectFields(dissected(stack(E(), V4(), GRE({ chksum_present: 1, chksum: 4 }), V4())), { 'gre.checksum': 4, 'gre.checksum.status': 0 });
  });

  it('wrong lengths, protocol numbers, ethertypes and counts are written as given', () => {
    const b = stack(Ether({ type: 0x1234 }), IP({ len: 1000, ihl: 6, proto: 99 }), UDP({ len: 3 })).build();
    expect((b[12]! << 8) | b[13]!).toBe(0x1234);
    expect(b[14]! & 0x0f).toBe(6);
    expect((b[16]! << 8) | b[17]!).toBe(1000);
    expect(b[23]).toBe(99);
    const d = dissected(stack(E(), V4(), UDP(), DNS({ qdcount: 5, qd: 'example.com' })));
    expect(field(d, 'dns.count.queries').value).toBe(5);
    const v6 = stack(IPv6({ plen: 3, nh: 17 }), TCP({ dataofs: 15, sport: 5, dport: 6 })).build();
    expect((v6[4]! << 8) | v6[5]!).toBe(3);
    expect(v6[6]).toBe(17);
    expect(v6[40 + 12]! >> 4).toBe(15);
  });
});

describe('the library form', () => {
  it('over() and stack() build the same packet; over() leaves the stack it is called on unchanged', () => {
    const base = Ether().over(IP({ dst: '8.8.8.8' }));
    const a = base.over(ICMP());
    expect(Buffer.from(a.build())).toEqual(Buffer.from(stack(Ether(), IP({ dst: '8.8.8.8' }), ICMP()).build()));
    expect(base.layers().map((l) => l.name)).toEqual(['Ether', 'IP']);
    expect(a.layers().map((l) => l.name)).toEqual(['Ether', 'IP', 'ICMP']);
    expect(Buffer.from(IP().over('text').build().subarray(20)).toString()).toBe('text');
    expect(a.toString()).toBe('Ether()/IP(dst="8.8.8.8")/ICMP()');
    expect(a.find('IP')?.get('ttl')).toBe(64);
    expect(a.find('IP')?.with({ ttl: 9 }).get('ttl')).toBe(9);
  });

  it('rejects values a field cannot hold', () => {
    expect(() => IP({ ttl: 256 })).toThrow(CraftValueError);
    expect(() => IP({ dst: 'nowhere' })).toThrow('IP.dst: "nowhere" is not an IPv4 address');
    expect(() => TCP({ flags: 'Z' })).toThrow('unknown flag "Z"');
    expect(() => TCP({ options: [['MSS', 1460], ['Timestamp', [1, 2]], ['Timestamp', [1, 2]], ['Timestamp', [1, 2]], ['Timestamp', [1, 2]]] })).toThrow('at most 40 bytes');
    expect(() => (IP as (f: Record<string, unknown>) => Layer)({ nope: 1 })).toThrow('IP has no field "nope"');
  });
});
