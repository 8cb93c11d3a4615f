import { beforeEach, describe, expect, it } from 'vitest';
import { hierarchyPath, ProtocolHierarchyBuilder, type HierarchyNode } from '../../src/analyze/protocol-hierarchy.js';
import { A_RETRANSMISSION } from '../../src/dissect/protocols/tcp-sequence.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { eth, ip, ipv6, layer, malformedRead, packet, quoted, resetFrames, tcp, truncatedRead, udp, type LayerSpec } from './make-packets.js';

const path = (p: DissectedPacket): string => {
  const names: string[] = [];
  hierarchyPath(p, (n) => names.push(n));
  return names.join('/');
};
const stack = (...layers: LayerSpec[]): string => path(packet(0, 100, layers));
const E = eth('00:00:00:00:00:01', '00:00:00:00:00:02');
const IP = ip('10.0.0.1', '10.0.0.2');

beforeEach(() => resetFrames());

describe('protocol hierarchy: what tshark puts at the top level of a packet', () => {
  it('nests every protocol under the one before it, a repeated one included', () => {
    expect(stack(E, IP, layer('gre'), ip('10.1.0.1', '10.1.0.2'), udp(1, 2), layer('dns'))).toBe('eth/ip/gre/ip/udp/dns');
  });

  it('a read past a TCP payload is unreassembled (tshark hands TCP payloads on as fragments); a layer without an item shows only its issues', () => {
    expect(stack(E, IP, tcp(1, 2, 0), { ...layer('dns'), issues: [malformedRead(60)] })).toBe('eth/ip/tcp/dns/_ws.unreassembled');
    expect(stack(E, IP, udp(1, 2), { ...layer('dns'), issues: [malformedRead(60)] })).toBe('eth/ip/udp/dns/_ws.malformed');
    expect(stack(E, IP, tcp(1, 2, 0), layer('http', { noItem: true }))).toBe('eth/ip/tcp');
    expect(stack(E, IP, tcp(1, 2, 0), { ...layer('dns', { noItem: true }), issues: [malformedRead(60)] })).toBe('eth/ip/tcp/_ws.unreassembled');
  });

  it('shows data where a transport hands bytes to no dissector, not where a protocol keeps them in its own tree', () => {
    expect(stack(E, IP, udp(9, 9999), layer('data'))).toBe('eth/ip/udp/data');
    expect(stack(E, IP, layer('icmp', { type: 8 }), layer('data'))).toBe('eth/ip/icmp');
    expect(stack(E, IP, udp(123, 123), layer('ntp'), layer('data'))).toBe('eth/ip/udp/ntp');
    // The payload TCP hands to no one (a retransmission, an out-of-order segment, a reset, ...) is a TCP field.
    expect(stack(E, IP, tcp(80, 1000, 0, { analysis: A_RETRANSMISSION, hidePayload: true }), layer('data'))).toBe('eth/ip/tcp');
    expect(stack(E, IP, tcp(80, 1000, 0), layer('data'))).toBe('eth/ip/tcp/data');
  });

  it('leaves out padding, IPv6 extension headers and AH inside IPv6', () => {
    expect(stack(E, IP, tcp(1, 2, 0), layer('padding'))).toBe('eth/ip/tcp');
    expect(stack(E, ipv6('::1', '::2', 0), layer('ipv6.hopopts', { nxt: 43 }), layer('ipv6.routing', { nxt: 51 }), layer('ah', { nxt: 89 }), layer('ospf'))).toBe('eth/ipv6/ospf');
    expect(stack(E, IP, layer('ah', { nxt: 1 }), layer('icmp'))).toBe('eth/ip/ah/icmp');
  });

  it('shows one mpls item per label of the stack', () => {
    expect(stack(E, layer('mpls', { labels: [16, 17] }), IP)).toBe('eth/mpls/mpls/ip');
  });

  it('hides the headers an ICMP error quotes, but not what they carry', () => {
    expect(stack(E, IP, layer('icmp', { type: 3 }), quoted(ip('10.0.0.2', '10.0.0.9')), quoted(udp(5000, 53)), quoted({ ...layer('dns'), issues: [malformedRead()] }))).toBe('eth/ip/icmp/dns');
  });

  it('adds _ws.short after a layer cut by the snaplen, and no item for a layer of which nothing could be read', () => {
    expect(stack(E, IP, { ...tcp(1, 2, 0), issues: [truncatedRead(40)] })).toBe('eth/ip/tcp/_ws.short');
    expect(stack(E, IP, { ...layer('icmp'), offset: 34, issues: [truncatedRead(34)] })).toBe('eth/ip/_ws.short');
  });

  it('adds _ws.malformed for a read past the packet, _ws.unreassembled inside a fragment, nothing for a bogus IP header value', () => {
    expect(stack(E, IP, udp(1, 53), { ...layer('dns'), offset: 42, issues: [malformedRead(60)] })).toBe('eth/ip/udp/dns/_ws.malformed');
    expect(stack(E, ip('10.0.0.1', '10.0.0.2', { mf: true }), udp(1, 53), { ...layer('dns'), offset: 42, issues: [malformedRead(60)] })).toBe('eth/ip/udp/dns/_ws.unreassembled');
    expect(stack(E, { ...layer('ip'), issues: [{ kind: 'malformed', message: 'bogus IP header length 16, must be at least 20' }] })).toBe('eth/ip');
    expect(stack(E, IP, udp(1, 53), { ...layer('dns'), offset: 42, issues: [{ kind: 'malformed', offset: 50, message: 'DNS label with reserved type 0x80' }] })).toBe('eth/ip/udp/dns/_ws.malformed');
  });

  it('starts with pkt_comment for a packet with a comment, and uses Wireshark names', () => {
    expect(path(packet(0, 60, [layer('sll2'), IP], { comments: ['hello'] }))).toBe('pkt_comment/sll/ip');
    expect(stack(E, layer('mpls', { labels: [1] }), layer('pwethheuristic'), layer('pwethcw'), E)).toBe('eth/mpls/pweth.cw/pwethcw/eth');
  });

  it('counts packets and frame lengths per node', () => {
    const b = new ProtocolHierarchyBuilder();
    b.add(packet(0, 100, [E, IP, udp(1, 53), layer('dns')]));
    b.add(packet(1, 60, [E, IP, tcp(1, 2, 0)]));
    b.add(packet(2, 200, [E, IP, udp(1, 53), layer('dns')]));
    const strip = (n: HierarchyNode): unknown => ({ n: n.name, p: n.packets, b: n.bytes, c: n.children.map(strip) });
    expect(strip(b.finish())).toEqual({
      n: 'frame',
      p: 3,
      b: 360,
      c: [{ n: 'eth', p: 3, b: 360, c: [{ n: 'ip', p: 3, b: 360, c: [{ n: 'udp', p: 2, b: 300, c: [{ n: 'dns', p: 2, b: 300, c: [] }] }, { n: 'tcp', p: 1, b: 60, c: [] }] }] }],
    });
  });
});
