import { describe, expect, it } from 'vitest';
import { MAX_SERIES_INTERVALS, MAX_SERIES_PROTOCOLS, OTHER_PROTOCOL, ProtocolSeriesBuilder, topSeries } from '../../src/analyze/protocol-series.js';
import type { DissectedPacket, LayerNode } from '../../src/dissect/tree.js';

/** A packet at `ns` after time 0 whose only layer is `protocol`, `len` bytes long. */
function packet(ns: number, protocol: string, len = 100): DissectedPacket {
  const layer = { protocol, name: protocol, offset: 0, headerLength: len, length: len, summary: '', info: {}, fields: [], issues: [], inError: false } as unknown as LayerNode;
  return { frame: { tsSec: Math.floor(ns / 1e9), tsNsec: ns % 1e9, origLen: len, capLen: len }, frameFields: [], layers: [layer] } as unknown as DissectedPacket;
}

describe('ProtocolSeriesBuilder', () => {
  it('counts packets and bytes per 1 ms interval while the capture is short', () => {
    const b = new ProtocolSeriesBuilder();
    b.add(packet(0, 'arp', 60));
    b.add(packet(500_000, 'arp', 42));
    b.add(packet(2_100_000, 'icmp', 98));
    const s = b.finish();
    expect(s.intervalNs).toBe(1e6);
    expect(s.intervals).toBe(3);
    expect(s.protocols.map((p) => [p.name, p.packets, p.bytes])).toEqual([
      ['arp', [2, 0, 0], [102, 0, 0]],
      ['icmp', [0, 0, 1], [0, 0, 98]],
    ]);
  });

  it('merges ten intervals into one as the capture grows, keeping every packet', () => {
    const b = new ProtocolSeriesBuilder();
    // 5,000 packets over 50 s: 1 ms → 10 ms → 100 ms intervals (500 of them).
    for (let i = 0; i < 5000; i++) b.add(packet(i * 10_000_000, i % 2 === 0 ? 'dns' : 'tls', 10));
    const s = b.finish();
    expect(s.intervalNs).toBe(1e8);
    expect(s.intervals).toBe(500);
    expect(s.intervals).toBeLessThanOrEqual(MAX_SERIES_INTERVALS);
    for (const p of s.protocols) {
      expect(p.totalPackets).toBe(2500);
      expect(p.packets.reduce((a, x) => a + x, 0)).toBe(2500);
      expect(p.packets.every((n) => n === 5)).toBe(true);
    }
  });

  it('counts a packet stamped before the first one in interval 0', () => {
    const b = new ProtocolSeriesBuilder();
    b.add(packet(5_000_000, 'udp'));
    b.add(packet(1_000_000, 'udp'));
    expect(b.finish().protocols[0]!.packets).toEqual([2]);
  });

  it(`tells ${MAX_SERIES_PROTOCOLS} protocols apart and counts the rest as other`, () => {
    const b = new ProtocolSeriesBuilder();
    for (let i = 0; i < MAX_SERIES_PROTOCOLS + 5; i++) b.add(packet(0, `p${i}`));
    const s = b.finish();
    expect(s.protocols).toHaveLength(MAX_SERIES_PROTOCOLS + 1);
    expect(s.protocols.find((p) => p.name === OTHER_PROTOCOL)!.totalPackets).toBe(5);
  });

  it('topSeries keeps the protocols with most bytes and adds up the rest', () => {
    const b = new ProtocolSeriesBuilder();
    b.add(packet(0, 'a', 500));
    b.add(packet(0, 'b', 300));
    b.add(packet(1_000_000, 'c', 200));
    b.add(packet(1_000_000, 'd', 100));
    const s = topSeries(b.finish(), 2);
    expect(s.protocols.map((p) => [p.name, p.bytes])).toEqual([
      ['a', [500, 0]],
      ['b', [300, 0]],
      ['other', [0, 300]],
    ]);
  });
});
