/**
 * The protocol hierarchy of captures chosen for the rules they exercise, node for node against
 * tshark's `-z io,phs` (`../shared/corpus/truth/*.json`).
 */
import { describe, expect, it } from 'vitest';
import { captureHierarchy, phsLines, truthOf } from '../helpers/phs-truth.js';

/** Link layers, industrial and telecom protocols, malformed edge cases. */
const LINK_AND_TELECOM: readonly string[] = [
  'tcpdump__ipv6-bad-version.pcap', // IPv6 with version 0: ipv6 then data
  'tcpdump__LINKTYPE_IPV6_invalid.pcap', // raw IPv6 with version 4: ipv6 alone
  'tcpdump__snmp-heapoverflow-1.pcap', // SNMPv3 cut inside msgGlobalData: _ws.short
  'zeek__snmpv3_get_next.pcap',
  'ndpi__sctp.cap', // MEGACO text on SCTP PPID 7
  'tcpdump__lisp_invalid_length.pcap', // a LISP Map-Register read past its datagram
  'zeek__q-in-q.pcap', // BVLC/BACnet/BACapp and SAP/SDP under two 802.1Q tags
  'tcpdump__radiotap-heapoverflow.pcap', // radiotap version 48: wlan_radio, then 802.11 cut short
  'tcpdump__q933-heapoverflow-2.pcap', // Frame Relay: bogus address octets, raw bridged Ethernet, Q.933 after an I-frame control
  'tcpdump__icmp-icmp_print-oobr-2.pcap', // ICMP too short for its first six bytes; VRRP authentication past the IP length
  'arkime__icmp-frame-relay.pcap',
  'pcapplusplus__many_interfaces-1.pcapng', // gQUIC Q025: heuristic, then the conversation
  'tcpdump__quic_handshake.pcap', // IETF QUIC unchanged
  'libpcap__isup_load_generator.pcap', // MTP2 / MTP3 / ISUP
  'scapy__zigbee-join-authenticate.pcap', // 802.15.4, ZigBee NWK/APS/beacon
  'packetnet__80211_per_packet_information.pcap', // PPI; a control frame keeps its trailing bytes
  'packetnet__80211_plus_radiotap_header.pcap', // 802.11 version 3 frames, extension frames (wlan_ext)
  'zeek__radiotap.pcap',
];

/** TCP and UDP payloads handed on as tshark does without reassembly: continuations, PDU tracking, heuristically bound connections, reads past a segment or a first fragment. */
const PAYLOADS: readonly string[] = [
  'arkime__wireshark-retrans.pcap', // HTTP on port 4000 by heuristic: the connection stays HTTP; retransmissions
  'pcapplusplus__nanosecs_big_endian.pcap', // the same on port 8000, HTTP/1.0 response and its continuation
  'pcapplusplus__raw_ip.pcap', // a 1-byte segment before any request: no HTTP item
  'scapy__http_chunk.pcap.gz', // chunked bodies, a chunk past the segment
  'zeek__mpls-in-vlan.pcap', // a binary segment before the request
  'suricata-verify__bug-6887-defrag-ipv6-tcp__frag-ip-tcp.pcap', // TCP in a first IPv6 fragment
  'suricata-verify__bug-6887-defrag-ppp-ipv4-tcp-syn__frag-ppp-ip-tcp-syn.pcap', // a TCP header cut by a fragment
  'suricata-verify__http-mime-truncated__input.pcap', // continuation lines read as headers, cut lines read past
  'tcpdump__tfo-5c1fa7f9ae91.pcap', // a SYN's 4 bytes of data: the Etch heuristic reads past
  'zeek__dns-inverse-query.pcap', // DNS over TCP: a length alone, then a continuation segment
  'zeek__pppoe-over-qinq.pcap', // TLS refusing plain text; out-of-order and spurious retransmissions
  'pcapplusplus__frag_with_padding.pcap', // UDP header ending a first fragment
  'ndpi__1kxun.pcap', // keep-alives, out-of-order, images and JSON in HTTP bodies
];

for (const [title, set] of [
  ['link, telecom, edge cases', LINK_AND_TELECOM],
  ['TCP payloads without reassembly', PAYLOADS],
] as const) {
  describe(`protocol hierarchy against tshark (${title})`, () => {
    for (const name of set) {
      it(name, async () => {
        expect(phsLines(await captureHierarchy(name))).toEqual(phsLines(truthOf(name).phs));
      });
    }
  });
}
