/** `stats expert`: expert notes, TCP analysis flags, malformed and truncated packets, as `tshark -z expert`. */
import { ExpertBuilder, type ExpertReport, type ExpertRow } from '../../analyze/expert.js';
import { EXPERT_CSV_COLUMNS, expertCells, expertJson, expertSections } from '../../render/stats/expert-table.js';
import { orderRows } from '../../render/stats/order.js';
import { type RenderContext, sortFor, type StatsTableDef } from './table.js';

export const expert: StatsTableDef<ExpertReport> = {
  name: 'expert',
  describe: 'expert notes and TCP analysis flags by severity, group and message, with first frames',
  sorts: ['order', 'packets', 'name'],
  reducer() {
    const b = new ExpertBuilder();
    return { add: (p) => b.add(p), finish: () => b.finish() };
  },
  warnings: (r) => (r.dropped > 0 ? [`more than ${r.rows.length} distinct expert messages: ${r.dropped} later ones were left out`] : []),
  json: (r, c) => ({ rows: rows(r, c).map(expertJson), malformedPackets: r.malformedPackets, truncatedPackets: r.truncatedPackets, packets: r.packets }),
  csvColumns: () => EXPERT_CSV_COLUMNS,
  csvRows: (r, c) => rows(r, c).map(expertCells),
  sections: (r, format, c) => expertSections(r, rows(r, c), format),
};

const SEVERITY = { error: 0, warning: 1, note: 2, chat: 3 } as const;

/** `order`: by severity, then first appearance (tshark's order); `packets`: most frequent first; `name`: by message. */
function rows(r: ExpertReport, c: RenderContext): ExpertRow[] {
  const sort = sortFor(expert, c.settings);
  const compare =
    sort === 'packets'
      ? (a: ExpertRow, b: ExpertRow) => b.count - a.count || a.seq - b.seq
      : sort === 'name'
        ? (a: ExpertRow, b: ExpertRow) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0) || a.seq - b.seq
        : (a: ExpertRow, b: ExpertRow) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.seq - b.seq;
  return orderRows(r.rows, compare, c.settings.top);
}
