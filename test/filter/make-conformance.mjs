#!/usr/bin/env node
// Writes conformance.json: for every (capture, filter) below, the frame numbers tshark 4.0
// selects with `-Y FILTER`, run as the corpus truth is made (shared/corpus/README.md: no name
// resolution, reassembly and defragmentation off, an empty configuration). Run once with
// tshark 4.0 installed; the test (conformance.test.ts) compares pcapviz with the file.
//
//   node test/filter/make-conformance.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const CORPUS = join(here, '..', '..', '..', 'shared', 'corpus', 'captures');
const FIXTURES = join(here, '..', '..', 'fixtures');

const PREFS = [
  'tcp.desegment_tcp_streams:FALSE', 'ip.defragment:FALSE', 'ipv6.defragment:FALSE', 'wlan.defragment:FALSE',
  'http.desegment_headers:FALSE', 'http.desegment_body:FALSE', 'tls.desegment_ssl_records:FALSE',
  'tls.desegment_ssl_application_data:FALSE', 'dns.desegment_dns_messages:FALSE', 'sip.desegment_headers:FALSE',
  'sip.desegment_body:FALSE', 'snmp.desegment:FALSE', 'rpc.desegment_rpc_over_tcp:FALSE',
  'rpc.defragment_rpc_over_tcp:FALSE', 'sctp.reassembly:FALSE',
].flatMap((p) => ['-o', p]);

/** Capture (under fixtures/ or the corpus) → filters. */
export const CASES = {
  'fixtures/small-office.pcapng': [
    'tcp.port == 80',
    'tcp.port != 80',
    'tcp.port ~= 80',
    'not tcp.port == 80',
    'tcp.flags.syn == 1',
    'tcp.flags.syn == 1 && tcp.flags.ack == 0',
    'tcp.flags & 0x02',
    'tcp.flags & 0x12 == 0x12',
    'tcp[13] & 0x02',
    'eth.src & ff:00:00:00:00:00 == 3c:00:00:00:00:00',
    'ip[9] == 11 and udp.length > udp.srcport',
    'len(dns.qry.name) > 15 && dns.qry.name matches "\\\\.com$"',
    'tcp.flags.syn == True',
    'tcp.flags.syn == "Not set" && tcp.port == 80',
    'ip.proto == TCP',
    'ip.proto eq 0x11',
    'ip.addr == 192.168.1.0/24 and udp',
    'ip.src == 192.168.1.101/32',
    'ip.dst == 255.255.255.255',
    'ip.src > 200.0.0.0',
    'ip.src == ip.dst',
    'ip.src !== 192.168.1.104',
    'ip.src === 192.168.1.104',
    'ip.addr in {192.168.1.1 .. 192.168.1.10}',
    'ip.addr in {10.0.0.0/8, 198.51.100.10}',
    'ip.host == "192.168.1.1"',
    'eth.addr == ff:ff:ff:ff:ff:ff',
    'eth.dst == ff-ff-ff-ff-ff-ff',
    'eth.dst == ffff.ffff.ffff',
    'eth.src[0:3] == 00:1b:21',
    'eth.dst[4:] == ff:ff',
    'eth.dst[1-2] == ff:ff',
    'eth.dst[0,5] == ff:ff',
    'eth.dst[4:10] == ff:ff',
    'ipv6',
    'ipv6.addr == fe80::/10',
    'ipv6.src == fe80::21b:21ff:fe00:1',
    'icmp || icmpv6',
    'icmp.type == 3 and udp.dstport == 33434',
    'arp.opcode == 2',
    'http',
    'http.request.method == "GET"',
    'http.request.method == GET',
    'http.request.method in {"GET", "HEAD"}',
    'http.host contains "example"',
    'http.host matches "EXAMPLE"',
    'http.host matches "(?-i)EXAMPLE"',
    'tcp contains "GET"',
    'frame contains 47:45:54',
    'tcp.payload[0:3] == "GET"',
    'tcp.payload[0] == 0x47',
    'udp contains 00:35',
    'dns.qry.name[0:3] == "www"',
    'dns.qry.name[-3:] == "com"',
    'dns.flags.response == 0 && dns.qry.type == 1',
    'frame.number <= 3 or frame.number == 100',
    'frame.number in {1..3, 170..200}',
    'frame.len > 1000',
    'frame.len in {60..70}',
    'frame.time_relative >= 4.5 and frame.time_relative < 5',
    'frame.time_delta > 0.5',
    'frame.time >= "2026-03-14 09:26:53.59"',
    'tcp.srcport > tcp.dstport',
    'count(ip.src) == 2',
    'len(http.host) > 3',
    'ip.src#2 == 192.168.1.104',
    '!frame.number == 1 && frame.number < 3',
    'frame.number == 1 or frame.number == 2 and frame.number == 3',
    '(frame.number == 1 or frame.number == 2) and frame.number == 2',
    'tcp.port not in {80, 53}',
    'tcp.options.mss_val == 1460',
    'tcp.len > 0 and not http',
    "tcp.payload[0] == 'G'",
    'http.request.method == "\\x47ET"',
  ],
  'pcapplusplus__sll.pcap': [
    'sll.pkttype == 4',
    'tcp.port == 80 && tcp.flags.syn == 1',
    'dns.qry.name contains "ubuntu"',
    'arp',
    'udp.port in {53, 137}',
    'tcp.analysis.retransmission',
    'tcp.analysis.duplicate_ack || tcp.analysis.lost_segment',
    'tcp.stream == 0 && tcp.len > 1000',
    'tcp.window_size_value < 1000 and tcp.flags.reset == 0',
  ],
  'zeek__wikipedia.pcap': [
    'http.request',
    'http.response.code == 304',
    'http.user_agent matches "firefox"',
    'dns.a',
    'stp',
    'nbns && ip.dst == 141.142.220.255',
    'eth.src[0:3] == 00:24:7e or eth.dst[0:3] == f0:4d:a2',
  ],
  'arkime__wireshark-retrans.pcap': [
    'tcp.analysis.retransmission',
    'tcp.analysis.flags && !tcp.analysis.window_update',
    'tcp.analysis.ack_rtt > 0.01',
    'tcp.seq > 1000 and tcp.len == 0',
    'http.content_type contains "xml"',
  ],
  'zeek__pppoe-over-qinq.pcap': [
    'vlan.id == 20',
    'vlan.id != 20',
    'pppoes && tls',
    'tls.handshake.type == 1',
    'tls.record.content_type == 23',
  ],
  'arkime__gtp-iphone.pcap': [
    'gtp && ipv6',
    'ip.addr#2 == 192.168.0.0/16',
    'ipv6.src[0:4] == fd:00:01:83 and not icmpv6',
    'udp.port == 2152 && dns',
    'sip',
  ],
  'pcapplusplus__DnsPackets.pcap': [
    'dns.flags.response == 1 and dns.count.answers > 2',
    'mdns || llmnr',
    'dns.qry.type in {12, 255}',
    'dns.qry.name matches "^www\\\\."',
    'udp.srcport == 53 && !(dns.flags.rcode == 0)',
    'dns.qry.name == "www.google.com" or dns.resp.name contains "yahoo"',
    'dns.qry.type != 1',
    'dns.qry.type ~= 1',
    'ipv6.dst == ff02::fb',
  ],
  'packetnet__80211_plus_radiotap_header.pcap': [
    'wlan.addr == ff:ff:ff:ff:ff:ff',
    'wlan.addr != ff:ff:ff:ff:ff:ff',
    'wlan.fc.type_subtype == 0x1c && radiotap.dbm_antsignal > -82',
  ],
  'tcpdump__vrrp.pcap': [
    'vrrp.prio >= 100',
    'vrrp && ipv6',
    'ipv6.dst == ff02::12 && vrrp.virt_rtr_id in {40..50} && vrrp.prio > 192',
  ],
};

function run(capture, filter) {
  const env = { ...process.env, LC_ALL: 'C.UTF-8', WIRESHARK_CONFIG_DIR: configDir };
  const r = spawnSync('tshark', ['-n', '-r', capture, ...PREFS, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed on ${filter}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map(Number);
}

const configDir = mkdtempSync(join(tmpdir(), 'pcapviz-wireshark-'));
const version = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
const out = { generator: 'test/filter/make-conformance.mjs', tshark: version, cases: [] };
for (const [capture, filters] of Object.entries(CASES)) {
  const path = capture.startsWith('fixtures/') ? join(FIXTURES, capture.slice('fixtures/'.length)) : join(CORPUS, capture);
  for (const filter of filters) out.cases.push({ capture, filter, frames: run(path, filter) });
}
writeFileSync(join(here, 'conformance.json'), `${JSON.stringify(out, null, 1)}\n`);
console.error(`wrote ${out.cases.length} cases`);
