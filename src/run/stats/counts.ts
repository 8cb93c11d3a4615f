/** What the dns, http and tls tables share: a report of totals and counts, rendered alike. */
import type { KeyCounts } from '../../analyze/key-counts.js';
import { COUNT_CSV_COLUMNS, countReportCells, countReportJson, countReportSections, type CountReport, type CountSort } from '../../render/stats/count-table.js';
import type { CaptureReader } from '../../capture/read-capture.js';
import { type RenderContext, sortFor, type StatsReducer, type StatsSettings, type StatsTableDef } from './table.js';

/** A counting table from its reducer and the view of its result as totals and lists. */
export function countTable<R>(
  name: string,
  describe: string,
  reducer: (s: StatsSettings, capture: CaptureReader) => StatsReducer<R>,
  view: (r: R) => CountReport,
): StatsTableDef<R> {
  const def: StatsTableDef<R> = {
    name,
    describe,
    sorts: ['count', 'name', 'order'],
    reducer,
    warnings: (r) => leftOutWarnings(name, view(r).lists),
    json: (r, c) => countReportJson(view(r), sort(c), c.settings.top),
    csvColumns: () => COUNT_CSV_COLUMNS,
    csvRows: (r, c) => countReportCells(view(r), sort(c), c.settings.top),
    sections: (r, format, c) => countReportSections(view(r), format, sort(c), c.settings.top),
  };
  const sort = (c: RenderContext): CountSort => sortFor(def as StatsTableDef<unknown>, c.settings) as CountSort;
  return def;
}

function leftOutWarnings(table: string, lists: readonly { key: string; counts: KeyCounts }[]): string[] {
  return lists
    .filter((l) => l.counts.leftOut > 0)
    .map((l) => `${table}: more than ${l.counts.maxKeys} distinct keys in ${l.key}: ${l.counts.leftOut} occurrences of later keys are left out of it`);
}
