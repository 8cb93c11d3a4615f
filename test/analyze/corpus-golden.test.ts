/**
 * The analysers on real captures against tshark's answers (`../shared/corpus/truth/*.json`:
 * `conv`, `endpoints`, `phs`), for captures that exercise the rules: tunnels, ICMP quotes, IPv6
 * fragments, SNMP's own UDP conversations, retransmissions, MPLS stacks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConversationBuilder, EndpointBuilder } from '../../src/analyze/conversations.js';
import { ProtocolHierarchyBuilder } from '../../src/analyze/protocol-hierarchy.js';
import { TRAFFIC_TYPES } from '../../src/analyze/traffic-taps.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { conversationJson, endpointJson } from '../../src/render/stats/conversation-table.js';
import { hierarchyJson, type HierarchyJson } from '../../src/render/stats/hierarchy-table.js';
import { CAPTURES, TRUTH } from '../helpers/capture-bytes.js';

interface TruthNode {
  name: string;
  frames: number;
  bytes: number;
  children: TruthNode[];
}
interface Truth {
  conv: Record<string, Record<string, unknown>[]>;
  endpoints: Record<string, Record<string, unknown>[]>;
  phs: TruthNode;
}

async function analyse(name: string) {
  const conv = new ConversationBuilder(TRAFFIC_TYPES);
  const ends = new EndpointBuilder(['ip', 'tcp']);
  const phs = new ProtocolHierarchyBuilder();
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) {
    const p = d.dissect(f);
    conv.add(p);
    ends.add(p);
    phs.add(p);
  }
  await reader.close();
  return { conv: conv.finish(), endpoints: ends.finish(), phs: phs.finish() };
}

/** Rows in a stable order, times to the microsecond (the harness's tolerance). */
const rows = (list: readonly Record<string, unknown>[]): string[] =>
  list
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v]))))
    .sort();

const tree = (n: TruthNode | HierarchyJson): unknown => ({
  name: n.name,
  packets: 'frames' in n ? n.frames : n.packets,
  bytes: n.bytes,
  children: n.children.map(tree).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
});

const CAPTURE_SET: readonly [string, { phs: boolean }][] = [
  ['tcpdump__pptp.pcap', { phs: false }], // PPTP control is not dissected yet
  ['zeek__gre-sample.pcap', { phs: true }],
  ['tcpdump__mpls-traceroute.pcap', { phs: true }],
  ['pcapplusplus__ip6_fragments.pcap', { phs: true }],
  ['zeek__snmpv3_get_next.pcap', { phs: true }],
  ['ndpi__snmp.pcap', { phs: true }],
  ['arkime__wireshark-retrans.pcap', { phs: false }], // HTTP continuations are not recognised yet
  ['pcapplusplus__MplsPackets.pcap', { phs: true }],
  ['zeek__icmp-destunreach-udp.pcap', { phs: true }],
  ['tcpdump__ipv6-routing-header.pcap', { phs: true }],
  ['zeek__ipv6-hbh-routing0.pcap', { phs: true }],
];

describe('analysers against tshark on corpus captures', () => {
  for (const [name, o] of CAPTURE_SET) {
    it(name, async () => {
      const truth = JSON.parse(readFileSync(`${TRUTH}${name}.json`, 'utf8')) as Truth;
      const got = await analyse(name);
      for (const type of TRAFFIC_TYPES) {
        expect(rows((got.conv[type]?.rows ?? []).map((c) => ({ ...conversationJson(c) }))), `conv ${type}`).toEqual(rows(truth.conv[type] ?? []));
      }
      for (const type of ['ip', 'tcp'] as const) {
        expect(rows((got.endpoints[type]?.rows ?? []).map((e) => ({ ...endpointJson(e) }))), `endpoints ${type}`).toEqual(rows(truth.endpoints[type] ?? []));
      }
      if (o.phs) expect(tree(hierarchyJson(got.phs))).toEqual(tree(truth.phs));
      else expect([got.phs.packets, got.phs.bytes]).toEqual([truth.phs.frames, truth.phs.bytes]);
    });
  }
});
