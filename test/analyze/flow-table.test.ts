import { describe, expect, it } from 'vitest';
import { FlowTable, type FlowRow, KeyJoiner } from '../../src/analyze/flow-table.js';

interface Row extends FlowRow {
  readonly name: string;
  count: number;
}

describe('FlowTable', () => {
  it('keeps at most the cap live, retiring the rows idle the longest into finished rows', () => {
    const t = new FlowTable<string, Row>({ maxFlows: 16 });
    let seq = 0;
    for (let i = 0; i < 100; i++) {
      const key = `f${i}`;
      t.add(key, { seq: seq++, lastSeen: i, name: key, count: 1 });
      expect(t.liveCount).toBeLessThanOrEqual(16);
    }
    expect(t.retired).toBe(100 - t.liveCount);
    // All rows are still there, in creation order; the newest are live.
    const rows = t.rows();
    expect(rows.map((r) => r.name)).toEqual(Array.from({ length: 100 }, (_, i) => `f${i}`));
    expect(t.get('f99')).toBeDefined();
    expect(t.get('f0')).toBeUndefined();
  });

  it('keeps only the finished rows that can still make a top-N cut', () => {
    const t = new FlowTable<string, Row>({ maxFlows: 8, keepFinished: { count: 3, rank: (a, b) => b.count - a.count } });
    for (let i = 0; i < 5000; i++) t.add(`f${i}`, { seq: i, lastSeen: i, name: `f${i}`, count: i % 97 });
    expect(t.discarded).toBeGreaterThan(0);
    expect(t.rows().length).toBeLessThan(2 * 1024 + 8 + 1);
    const best = [...t.rows()].sort((a, b) => b.count - a.count).slice(0, 3);
    expect(best.map((r) => r.count)).toEqual([96, 96, 96]);
  });
});

describe('KeyJoiner', () => {
  it('gives the joined text for any parts, also once it has forgotten what it held past its limit', () => {
    const j = new KeyJoiner('|', 3);
    const a = j.join('10.0.0.1', '10.0.0.2');
    expect(a).toBe('10.0.0.1|10.0.0.2');
    expect(j.join('10.0.0.1', 443)).toBe('10.0.0.1|443');
    expect(j.join('10.0.0.1', '10.0.0.2')).toBe(a);
    expect(j.join('fe80::1', 'fe80::2')).toBe('fe80::1|fe80::2');
    // A fourth key: everything is forgotten first; texts stay right.
    expect(j.join('192.0.2.1', 53)).toBe('192.0.2.1|53');
    expect(j.join('10.0.0.1', '10.0.0.2')).toBe('10.0.0.1|10.0.0.2');
    expect(j.join('10.0.0.1', 443)).toBe('10.0.0.1|443');
  });
});
