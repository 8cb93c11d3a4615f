import { beforeEach, describe, expect, it } from 'vitest';
import { ConversationBuilder, EndpointBuilder, type Conversation } from '../../src/analyze/conversations.js';
import type { TrafficType } from '../../src/analyze/traffic-taps.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { conversationJson, endpointJson } from '../../src/render/stats/conversation-table.js';
import { eth, ip, ipv6, layer, malformedRead, packet, quoted, resetFrames, tcp, udp } from './make-packets.js';

const MAC_A = '00:00:00:00:00:0a';
const MAC_B = '00:00:00:00:00:0b';

function conversations(packets: readonly DissectedPacket[], types: readonly TrafficType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'], maxFlows?: number) {
  const b = new ConversationBuilder(types, maxFlows === undefined ? {} : { maxFlows });
  for (const p of packets) b.add(p);
  return b.finish();
}
const json = (rows: readonly Conversation[] | undefined) => (rows ?? []).map(conversationJson);

beforeEach(() => resetFrames());

describe('conversations', () => {
  it('makes the source of the first packet A, counts frame lengths each way, and times from the capture start', () => {
    const r = conversations([
      packet(10, 60, [eth(MAC_A, MAC_B)]), // before the IP conversation: the capture starts here
      packet(10.5, 74, [eth(MAC_B, MAC_A), ip('10.0.0.2', '10.0.0.1'), tcp(80, 40000, 0)]),
      packet(10.75, 66, [eth(MAC_A, MAC_B), ip('10.0.0.1', '10.0.0.2'), tcp(40000, 80, 0)]),
      packet(12, 1514, [eth(MAC_B, MAC_A), ip('10.0.0.2', '10.0.0.1'), tcp(80, 40000, 0)]),
    ]);
    expect(json(r.ip?.rows)).toEqual([
      { a: '10.0.0.2', b: '10.0.0.1', packetsAtoB: 2, bytesAtoB: 1588, packetsBtoA: 1, bytesBtoA: 66, packets: 3, bytes: 1654, start: 0.5, duration: 1.5 },
    ]);
    expect(json(r.tcp?.rows)).toEqual([
      { a: '10.0.0.2', portA: 80, b: '10.0.0.1', portB: 40000, packetsAtoB: 2, bytesAtoB: 1588, packetsBtoA: 1, bytesBtoA: 66, packets: 3, bytes: 1654, start: 0.5, duration: 1.5 },
    ]);
    expect(json(r.eth?.rows)).toMatchObject([{ a: MAC_A, b: MAC_B, packetsAtoB: 2, packetsBtoA: 2, start: 0, duration: 2 }]);
    expect(r.udp?.rows).toEqual([]);
  });

  it('counts every IP header of a tunnelled packet, and keys TCP by the innermost one', () => {
    const r = conversations([
      packet(0, 200, [eth(MAC_A, MAC_B), ip('192.0.2.1', '192.0.2.2'), layer('gre'), ip('10.1.1.1', '10.2.2.2'), tcp(1234, 443, 0)]),
      packet(1, 100, [eth(MAC_B, MAC_A), ip('192.0.2.2', '192.0.2.1'), layer('gre'), ip('10.2.2.2', '10.1.1.1'), tcp(443, 1234, 0)]),
    ]);
    expect(json(r.ip?.rows).map((c) => [c.a, c.b, c.packets, c.bytes])).toEqual([
      ['192.0.2.1', '192.0.2.2', 2, 300],
      ['10.1.1.1', '10.2.2.2', 2, 300],
    ]);
    expect(json(r.tcp?.rows).map((c) => [c.a, c.portA, c.b, c.portB, c.packetsAtoB, c.packetsBtoA])).toEqual([['10.1.1.1', 1234, '10.2.2.2', 443, 1, 1]]);
  });

  it('does not count the headers an ICMP error quotes', () => {
    const r = conversations([
      packet(0, 70, [
        eth(MAC_B, MAC_A),
        ip('10.0.0.254', '10.0.0.1'),
        layer('icmp', { type: 3, code: 3 }),
        quoted(ip('10.0.0.1', '198.51.100.7')),
        quoted(udp(5353, 53)),
        quoted(layer('dns')),
      ]),
    ]);
    expect(json(r.ip?.rows).map((c) => [c.a, c.b])).toEqual([['10.0.0.254', '10.0.0.1']]);
    expect(r.udp?.rows).toEqual([]);
  });

  it('gives one TCP row per tcp.stream, even for the same addresses and ports', () => {
    const r = conversations(
      [
        packet(0, 60, [ip('10.0.0.1', '10.0.0.2'), tcp(1000, 80, 0)]),
        packet(1, 60, [ip('10.0.0.1', '10.0.0.2'), tcp(1000, 80, 0)]),
        packet(5, 60, [ip('10.0.0.1', '10.0.0.2'), tcp(1000, 80, 1)]),
        // A header too short to hold one: tshark gives it no stream and no row.
        packet(6, 60, [ip('10.0.0.1', '10.0.0.2'), tcp(1000, 80, 1, { stream: undefined, short: true })]),
      ],
      ['tcp'],
    );
    expect(json(r.tcp?.rows).map((c) => [c.packets, c.start, c.duration])).toEqual([
      [2, 0, 1],
      [1, 5, 0],
    ]);
  });

  it('gives UDP one row per address/port pair, and splits it where SNMP opens its own conversation', () => {
    const r = conversations(
      [
        packet(0, 80, [ip('10.0.0.1', '10.0.0.2'), udp(5000, 53), layer('dns')]),
        packet(1, 90, [ip('10.0.0.2', '10.0.0.1'), udp(53, 5000), layer('dns')]),
        // SNMP: the first datagram is a stream of its own, the answer and all later ones another.
        packet(2, 100, [ip('10.0.0.1', '10.0.0.3'), udp(6000, 161), layer('snmp')]),
        packet(3, 110, [ip('10.0.0.3', '10.0.0.1'), udp(161, 6000), layer('snmp')]),
        packet(4, 100, [ip('10.0.0.1', '10.0.0.3'), udp(6000, 161), layer('snmp')]),
      ],
      ['udp'],
    );
    expect(json(r.udp?.rows).map((c) => [c.a, c.portA, c.b, c.portB, c.packetsAtoB, c.packetsBtoA, c.start])).toEqual([
      ['10.0.0.1', 5000, '10.0.0.2', 53, 1, 1, 0],
      ['10.0.0.1', 6000, '10.0.0.3', 161, 1, 0, 2],
      ['10.0.0.3', 161, '10.0.0.1', 6000, 1, 1, 3],
    ]);
  });

  it('counts an IPv6 header only once its extension chain is complete (not for later fragments)', () => {
    const first = [ipv6('2001:db8::1', '2001:db8::2', 44), layer('ipv6.fraghdr', { nxt: 17, offset: 0, more: true }), udp(1, 2)];
    const later = [ipv6('2001:db8::1', '2001:db8::2', 44), layer('ipv6.fraghdr', { nxt: 17, offset: 185, more: false }), layer('data')];
    const cut = [ipv6('2001:db8::1', '2001:db8::2', 0), { ...layer('ipv6.hopopts', { nxt: 17 }), issues: [malformedRead()] }];
    const r = conversations([packet(0, 1500, first), packet(0.1, 600, later), packet(0.2, 100, cut)], ['ipv6']);
    expect(json(r.ipv6?.rows).map((c) => [c.packets, c.bytes])).toEqual([[1, 1500]]);
  });

  it("keys TCP and UDP by a type 0 routing header's final destination, the IPv6 row by the header's", () => {
    const r = conversations(
      [packet(0, 120, [ipv6('2001:db8::1', '2001:db8::a', 43), layer('ipv6.routing', { nxt: 17, type: 0, finalDst: '2001:db8::f' }), udp(5000, 53)])],
      ['ipv6', 'udp'],
    );
    expect(json(r.ipv6?.rows).map((c) => c.b)).toEqual(['2001:db8::a']);
    expect(json(r.udp?.rows).map((c) => c.b)).toEqual(['2001:db8::f']);
  });

  it('moves the start back for an earlier timestamp later in the file', () => {
    const r = conversations([packet(5, 60, [ip('10.0.0.1', '10.0.0.2')]), packet(6, 60, [ip('10.0.0.2', '10.0.0.1')]), packet(4.5, 60, [ip('10.0.0.1', '10.0.0.2')])], ['ip']);
    expect(json(r.ip?.rows)[0]).toMatchObject({ start: -0.5, duration: 1.5, packetsAtoB: 2, packetsBtoA: 1 });
  });

  it('counts a packet between equal ends as A to B', () => {
    const r = conversations([packet(0, 60, [ip('127.0.0.1', '127.0.0.1')]), packet(1, 60, [ip('127.0.0.1', '127.0.0.1')])], ['ip']);
    expect(json(r.ip?.rows)[0]).toMatchObject({ packetsAtoB: 2, packetsBtoA: 0 });
  });

  it('retires the flows idle the longest when the cap is reached, keeping their final counts', () => {
    const packets: DissectedPacket[] = [];
    // Flow 1 stays busy; flows 2..5 appear one after the other.
    for (let i = 2; i <= 5; i++) {
      packets.push(packet(i, 100, [ip('10.0.0.1', '10.9.9.9')]));
      packets.push(packet(i + 0.5, 100, [ip('10.0.0.1', `10.0.0.${i}`)]));
    }
    // Flow 2 comes back after it was retired: a new row.
    packets.push(packet(9, 100, [ip('10.0.0.2', '10.0.0.1')]));
    const r = conversations(packets, ['ip'], 2);
    expect(r.ip!.retired).toBeGreaterThan(0);
    const rows = json(r.ip!.rows).map((c) => [c.a, c.b, c.packets]);
    expect(rows).toEqual([
      ['10.0.0.1', '10.9.9.9', 4],
      ['10.0.0.1', '10.0.0.2', 1],
      ['10.0.0.1', '10.0.0.3', 1],
      ['10.0.0.1', '10.0.0.4', 1],
      ['10.0.0.1', '10.0.0.5', 1],
      ['10.0.0.2', '10.0.0.1', 1],
    ]);
    // Nothing lost: every packet is in exactly one row.
    expect(json(r.ip!.rows).reduce((n, c) => n + c.packets, 0)).toBe(packets.length);
  });
});

describe('endpoints', () => {
  it('counts what each address (and port) sent and received', () => {
    const b = new EndpointBuilder(['ip', 'tcp']);
    for (const p of [
      packet(0, 100, [ip('10.0.0.1', '10.0.0.2'), tcp(1000, 80, 0)]),
      packet(1, 300, [ip('10.0.0.2', '10.0.0.1'), tcp(80, 1000, 0)]),
      packet(2, 50, [ip('10.0.0.1', '10.0.0.3'), tcp(1001, 80, 1)]),
    ])
      b.add(p);
    const r = b.finish();
    expect(r.ip!.rows.map(endpointJson)).toEqual([
      { address: '10.0.0.1', packets: 3, bytes: 450, txPackets: 2, txBytes: 150, rxPackets: 1, rxBytes: 300 },
      { address: '10.0.0.2', packets: 2, bytes: 400, txPackets: 1, txBytes: 300, rxPackets: 1, rxBytes: 100 },
      { address: '10.0.0.3', packets: 1, bytes: 50, txPackets: 0, txBytes: 0, rxPackets: 1, rxBytes: 50 },
    ]);
    expect(r.tcp!.rows.map(endpointJson).map((e) => [e.address, e.port, e.packets])).toEqual([
      ['10.0.0.1', 1000, 2],
      ['10.0.0.2', 80, 2],
      ['10.0.0.1', 1001, 1],
      ['10.0.0.3', 80, 1],
    ]);
  });
});
