/**
 * The protocol hierarchy of link-layer, industrial/telecom and malformed-edge-case captures, node
 * for node against tshark's `-z io,phs` (`../shared/corpus/truth/*.json`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtocolHierarchyBuilder, type HierarchyNode } from '../../src/analyze/protocol-hierarchy.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { CAPTURES, TRUTH } from '../helpers/capture-bytes.js';

interface TruthNode {
  name: string;
  frames: number;
  bytes: number;
  children: TruthNode[];
}

/** Every node as `path packets/bytes`, sorted. */
function lines(n: TruthNode | HierarchyNode, path = ''): string[] {
  const here = path === '' ? '' : path;
  const count = 'frames' in n ? n.frames : n.packets;
  const own = here === '' ? [] : [`${here} ${count}/${n.bytes}`];
  return [...own, ...n.children.flatMap((c) => lines(c, `${here}/${c.name}`))].sort();
}

async function hierarchy(name: string): Promise<HierarchyNode> {
  const phs = new ProtocolHierarchyBuilder();
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) phs.add(d.dissect(f));
  await reader.close();
  return phs.finish();
}

const CAPTURE_SET: readonly string[] = [
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

describe('protocol hierarchy against tshark (link, telecom, edge cases)', () => {
  for (const name of CAPTURE_SET) {
    it(name, async () => {
      const truth = JSON.parse(readFileSync(`${TRUTH}${name}.json`, 'utf8')) as { phs: TruthNode };
      expect(lines(await hierarchy(name))).toEqual(lines(truth.phs));
    });
  }
});
