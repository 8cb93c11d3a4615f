/** The io table (packets, bytes and bits/s per interval): JSON, CSV rows, text and Markdown. */
import { bitsPerSecond, type IoInterval, type IoReport } from '../../analyze/io-stats.js';
import type { Column, Row } from '../table/table.js';
import type { StatsSection } from './sections.js';
import { countText, humanBytes, secondsText } from './units.js';

/** `order` (by time), `packets` or `bytes` (largest first). */
export type IoSort = 'order' | 'packets' | 'bytes';

export function orderIntervals(r: IoReport, sort: IoSort, top: number | undefined): IoInterval[] {
  const rows = [...r.intervals];
  if (sort === 'packets') rows.sort((a, b) => b.packets - a.packets || a.startNs - b.startNs);
  else if (sort === 'bytes') rows.sort((a, b) => b.bytes - a.bytes || a.startNs - b.startNs);
  return top === undefined ? rows : rows.slice(0, top);
}

/** `{interval, duration, packets, bytes, intervals: [{start, end, packets, bytes, bitsPerSecond}]}`, times in seconds. */
export function ioJson(r: IoReport, rows: readonly IoInterval[]): Record<string, unknown> {
  return {
    interval: r.intervalNs / 1e9,
    duration: r.durationNs / 1e9,
    packets: r.packets,
    bytes: r.bytes,
    intervals: rows.map((i) => ({ start: i.startNs / 1e9, end: i.endNs / 1e9, packets: i.packets, bytes: i.bytes, bitsPerSecond: bitsPerSecond(i.bytes, r.intervalNs) })),
  };
}

export const IO_CSV_COLUMNS: readonly Column[] = ['start', 'end', 'packets', 'bytes', 'bitsPerSecond'].map((key) => ({ key, title: key }));

export function ioCells(r: IoReport, rows: readonly IoInterval[]): Row[] {
  return rows.map((i) => ({ start: secondsText(i.startNs), end: secondsText(i.endNs), packets: String(i.packets), bytes: String(i.bytes), bitsPerSecond: String(bitsPerSecond(i.bytes, r.intervalNs)) }));
}

/** Seconds without trailing zeros: `0`, `0.1`, `10`. */
const shortSeconds = (ns: number): string => secondsText(ns).replace(/\.?0+$/, '');

const humanBits = (bps: number): string => {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let v = bps;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${Math.round(v)} ${units[0]!}` : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]!}`;
};

export function ioSection(r: IoReport, rows: readonly IoInterval[], format: 'table' | 'md'): StatsSection {
  const right = 'right' as const;
  // Markdown: start and end apart (Markdown would escape tshark's `<>`).
  const columns: Column[] = [
    ...(format === 'md'
      ? [
          { key: 'start', title: 'Start (s)', align: right },
          { key: 'end', title: 'End (s)', align: right },
        ]
      : [{ key: 'interval', title: 'Interval (s)' }]),
    { key: 'packets', title: 'Packets', align: right },
    { key: 'bytes', title: 'Bytes', align: right },
    { key: 'bps', title: 'Bits/s', align: right },
  ];
  const cells = rows.map((i): Row => ({
    interval: `${shortSeconds(i.startNs)} <> ${shortSeconds(i.endNs)}`,
    start: shortSeconds(i.startNs),
    end: shortSeconds(i.endNs),
    packets: format === 'table' ? countText(i.packets) : String(i.packets),
    bytes: format === 'table' ? humanBytes(i.bytes) : String(i.bytes),
    bps: format === 'table' ? humanBits(bitsPerSecond(i.bytes, r.intervalNs)) : String(bitsPerSecond(i.bytes, r.intervalNs)),
  }));
  const head = `IO statistics: ${shortSeconds(r.intervalNs)} s intervals, duration ${secondsText(r.durationNs, 6)} s, ${format === 'table' ? countText(r.packets) : r.packets} packets, ${format === 'table' ? humanBytes(r.bytes) : `${r.bytes} bytes`}`;
  return { title: head, columns, rows: cells, empty: 'no packets' };
}
