/**
 * The protocol hierarchy of captures whose TCP and UDP payloads need tshark's rules without
 * reassembly (continuations, PDU tracking, heuristically bound connections, reads past a segment
 * or a first fragment), node for node against tshark's `-z io,phs` (`../shared/corpus/truth/*.json`).
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

describe('protocol hierarchy against tshark (TCP payloads without reassembly)', () => {
  for (const name of CAPTURE_SET) {
    it(name, async () => {
      const truth = JSON.parse(readFileSync(`${TRUTH}${name}.json`, 'utf8')) as { phs: TruthNode };
      expect(lines(await hierarchy(name))).toEqual(lines(truth.phs));
    });
  }
});
