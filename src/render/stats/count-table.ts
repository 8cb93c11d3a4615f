/**
 * The renderings the dns, http and tls tables share: a few totals, then lists of counts by key
 * (queries by name, requests by host, ...). JSON: `{TOTAL: n, ..., LIST: [{KEY: k, count: n}],
 * leftOut: {LIST: n}}`; CSV: one row per total and per counted key (`section,key,value`);
 * text and Markdown: a totals table, then one table per list.
 */
import type { KeyCount, KeyCounts } from '../../analyze/key-counts.js';
import type { Column, Row } from '../table/table.js';
import type { StatsSection } from './sections.js';
import { countText, percentText, secondsText } from './units.js';

/** `count` (largest first), `name` (by key), `order` (first seen). */
export type CountSort = 'count' | 'name' | 'order';

export interface CountList {
  /** JSON key of the list (`byName`). */
  readonly key: string;
  /** JSON key of each item's key (`name`). */
  readonly itemKey: string;
  readonly title: string;
  /** Column title of the key (`Name`). */
  readonly column: string;
  readonly counts: KeyCounts;
  /** What `%` is a share of (the text table): this many (e.g. ClientHellos); default the list's sum. */
  readonly of?: number;
}

export interface Timing {
  readonly count: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
}

export interface CountReport {
  readonly title: string;
  /** Totals in order: JSON key, label for people, value. */
  readonly totals: readonly (readonly [string, string, number])[];
  /** A min/avg/max timing (JSON key `responseTime`), or none. */
  readonly timing?: { readonly key: string; readonly label: string; readonly value: Timing | undefined };
  readonly lists: readonly CountList[];
}

export function orderCounts(rows: readonly KeyCount[], sort: CountSort, top: number | undefined): KeyCount[] {
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const compare = sort === 'count' ? (a: KeyCount, b: KeyCount) => b.count - a.count || a.seq - b.seq : sort === 'name' ? (a: KeyCount, b: KeyCount) => text(a.key, b.key) || a.seq - b.seq : (a: KeyCount, b: KeyCount) => a.seq - b.seq;
  const out = [...rows].sort(compare);
  return top === undefined ? out : out.slice(0, top);
}

export function countReportJson(r: CountReport, sort: CountSort, top: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, , value] of r.totals) out[key] = value;
  if (r.timing !== undefined) out[r.timing.key] = r.timing.value ?? null;
  for (const l of r.lists) out[l.key] = orderCounts(l.counts.rows(), sort, top).map((c) => ({ [l.itemKey]: c.key, count: c.count }));
  out['leftOut'] = Object.fromEntries(r.lists.map((l) => [l.key, l.counts.leftOut]));
  return out;
}

export const COUNT_CSV_COLUMNS: readonly Column[] = ['section', 'key', 'value'].map((key) => ({ key, title: key }));

export function countReportCells(r: CountReport, sort: CountSort, top: number | undefined): Row[] {
  const rows: Row[] = r.totals.map(([key, , value]) => ({ section: 'total', key, value: String(value) }));
  const t = r.timing?.value;
  if (r.timing !== undefined && t !== undefined) {
    rows.push({ section: r.timing.key, key: 'count', value: String(t.count) });
    for (const k of ['min', 'avg', 'max'] as const) rows.push({ section: r.timing.key, key: k, value: secondsText(t[k] * 1e9) });
  }
  for (const l of r.lists) {
    for (const c of orderCounts(l.counts.rows(), sort, top)) rows.push({ section: l.key, key: c.key, value: String(c.count) });
    if (l.counts.leftOut > 0) rows.push({ section: 'leftOut', key: l.key, value: String(l.counts.leftOut) });
  }
  return rows;
}

export function countReportSections(r: CountReport, format: 'table' | 'md', sort: CountSort, top: number | undefined): StatsSection[] {
  const right = 'right' as const;
  const num = (n: number): string => (format === 'table' ? countText(n) : String(n));
  const totals: Row[] = r.totals.map(([, label, value]) => ({ what: label, value: num(value) }));
  const t = r.timing?.value;
  if (r.timing !== undefined) {
    const digits = format === 'table' ? 6 : 9;
    totals.push({
      what: r.timing.label,
      value: t === undefined ? 'none measured' : `min ${secondsText(t.min * 1e9, digits)} s, avg ${secondsText(t.avg * 1e9, digits)} s, max ${secondsText(t.max * 1e9, digits)} s (${num(t.count)})`,
    });
  }
  const sections: StatsSection[] = [
    { title: r.title, columns: [{ key: 'what', title: 'Total' }, { key: 'value', title: 'Value', align: right }], rows: totals, empty: 'none' },
  ];
  for (const l of r.lists) {
    const all = l.of ?? l.counts.rows().reduce((n, c) => n + c.count, 0) + l.counts.leftOut;
    const rows = orderCounts(l.counts.rows(), sort, top).map((c): Row => ({ key: c.key, count: num(c.count), share: percentText(c.count, all) }));
    const columns: Column[] = [{ key: 'key', title: l.column }, { key: 'count', title: 'Count', align: right }, ...(format === 'table' ? [{ key: 'share', title: '%', align: right }] : [])];
    const left = l.counts.leftOut > 0 ? ` (${num(l.counts.leftOut)} more past the ${num(l.counts.maxKeys)}-key limit)` : '';
    sections.push({ title: `${l.title}${left}`, columns, rows, empty: 'none' });
  }
  return sections;
}
