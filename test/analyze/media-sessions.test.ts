/**
 * UDP conversations of media sessions announced by SDP (`udp.stream`, `-z conv,udp`): the
 * stream tracker's rules on hand-made packets, and the analysers on the corpus captures with
 * SIP/SDP and RTP against tshark's answers.
 */
import { describe, expect, it } from 'vitest';
import { ConversationBuilder } from '../../src/analyze/conversations.js';
import { ProtocolHierarchyBuilder } from '../../src/analyze/protocol-hierarchy.js';
import { TRAFFIC_TYPES } from '../../src/analyze/traffic-taps.js';
import { UdpStreams } from '../../src/analyze/udp-streams.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { conversationJson } from '../../src/render/stats/conversation-table.js';
import { hierarchyJson } from '../../src/render/stats/hierarchy-table.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { phsLines, truthOf, type TruthNode } from '../helpers/phs-truth.js';
import { ip, layer, packet, resetFrames, udp } from './make-packets.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';

/** A SIP packet whose SDP announced these endpoints (address, port, setup frame). */
const sdpPacket = (t: number, endpoints: [string, number, number][]): DissectedPacket =>
  packet(t, 400, [ip(A, B), udp(5060, 5060), layer('sip', { mediaEndpoints: endpoints.map(([address, port, setup]) => ({ address, port, setup, kind: 'rtp' })) })]);

const media = (t: number, src: string, sport: number, dst: string, dport: number): DissectedPacket => packet(t, 100, [ip(src, dst), udp(sport, dport), layer('rtp')]);

function udpRows(packets: readonly DissectedPacket[]): unknown[] {
  const b = new ConversationBuilder(['udp']);
  for (const p of packets) b.add(p);
  return (b.finish().udp?.rows ?? []).map((c) => [c.a, c.portA, c.b, c.portB, c.packetsAtoB, c.packetsBtoA]);
}

describe('UDP streams of SDP media sessions', () => {
  it('each announced endpoint is a conversation of its own: the two directions are two rows', () => {
    resetFrames();
    expect(
      udpRows([
        sdpPacket(0, [[A, 4000, 1]]),
        sdpPacket(1, [[B, 5000, 1]]),
        media(2, B, 5000, A, 4000),
        media(3, A, 4000, B, 5000),
        media(4, B, 5000, A, 4000),
        // From an announced endpoint to a third address: the same stream, a row of its own.
        media(5, A, 4000, C, 6000),
      ]),
    ).toEqual([
      [A, 5060, B, 5060, 2, 0],
      [B, 5000, A, 4000, 2, 0],
      [A, 4000, B, 5000, 1, 0],
      [A, 4000, C, 6000, 1, 0],
    ]);
  });

  it('the source endpoint comes first; an exact conversation from before the SDP wins', () => {
    const s = new UdpStreams();
    const early = s.stream(C, 7000, A, 4000, 'data');
    s.announce(A, 4000, 1);
    s.announce(C, 7000, 1);
    expect(s.stream(A, 4000, C, 7000, 'rtp')).toBe(early);
    const fromA = s.stream(A, 4000, B, 9, 'rtp');
    const fromB = s.stream(B, 9, A, 4000, 'rtp');
    expect(fromB).toBe(fromA);
    // Announced again by a later setup frame: a new stream; by the same or an earlier one: kept.
    s.announce(A, 4000, 1);
    expect(s.stream(A, 4000, B, 9, 'rtp')).toBe(fromA);
    s.announce(A, 4000, 5);
    const later = s.stream(A, 4000, B, 9, 'rtp');
    expect(later).not.toBe(fromA);
    s.announce(A, 4000, 3);
    expect(s.stream(A, 4000, B, 9, 'rtp')).toBe(later);
  });
});


async function analyse(name: string) {
  const conv = new ConversationBuilder(TRAFFIC_TYPES);
  const phs = new ProtocolHierarchyBuilder();
  const reader = await openCapture(`${CAPTURES}${name}`);
  const d = new Dissector(defaultRegistry(), { mode: 'summary', summaries: false, strict: true });
  for await (const f of reader) {
    const p = d.dissect(f);
    conv.add(p);
    phs.add(p);
  }
  await reader.close();
  return { conv: conv.finish(), phs: phs.finish() };
}

const rows = (list: readonly Record<string, unknown>[]): string[] =>
  list
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v]))))
    .sort();


describe('media sessions against tshark on corpus captures', () => {
  it('arkime__gtp-iphone.pcap: SIP over TCP in GTP, AMR both ways, RTCP, RTP in ICMPv6 errors', async () => {
    const name = 'arkime__gtp-iphone.pcap';
    const truth = truthOf<{ conv: Record<string, Record<string, unknown>[]>; phs: TruthNode }>(name);
    const got = await analyse(name);
    for (const type of TRAFFIC_TYPES) {
      expect(rows((got.conv[type]?.rows ?? []).map((c) => ({ ...conversationJson(c) }))), `conv ${type}`).toEqual(rows(truth.conv[type] ?? []));
    }
    expect(phsLines(hierarchyJson(got.phs))).toEqual(phsLines(truth.phs));
  });

  it('ndpi__fuzz-2006-06-26-2594.pcap: RTP from the endpoint an INVITE offered, one redundant-audio packet', async () => {
    const name = 'ndpi__fuzz-2006-06-26-2594.pcap';
    const truth = truthOf<{ conv: Record<string, Record<string, unknown>[]>; phs: TruthNode }>(name);
    const got = await analyse(name);
    const rtp = (l: string[]): string[] => l.filter((p) => p.includes('/rtp'));
    expect(rtp(phsLines(hierarchyJson(got.phs)))).toEqual(rtp(phsLines(truth.phs)));
    expect(rtp(phsLines(truth.phs))).toEqual(['/eth/ip/udp/rtp 7/1498', '/eth/ip/udp/rtp/text 1/214']);
    expect(rows((got.conv['udp']?.rows ?? []).map((c) => ({ ...conversationJson(c) })))).toEqual(rows(truth.conv['udp'] ?? []));
  });
});
