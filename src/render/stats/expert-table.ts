/** `stats expert`: expert notes counted as `tshark -z expert` counts them (JSON, CSV, sections). */
import type { ExpertReport, ExpertRow } from '../../analyze/expert.js';
import type { Column, Row } from '../table/table.js';
import type { StatsSection } from './sections.js';
import { countText } from './units.js';

/** One row of `stats expert --format json`. */
export interface ExpertJson {
  severity: string;
  group: string;
  protocol: string;
  message: string;
  field: string | null;
  count: number;
  firstFrame: number;
}

export const expertJson = (r: ExpertRow): ExpertJson => ({
  severity: r.severity,
  group: r.group,
  protocol: r.protocol,
  message: r.message,
  field: r.field ?? null,
  count: r.count,
  firstFrame: r.firstFrame,
});

export const EXPERT_CSV_COLUMNS: readonly Column[] = ['severity', 'group', 'protocol', 'message', 'field', 'count', 'firstFrame'].map((k) => ({ key: k, title: k }));

export function expertCells(r: ExpertRow): Row {
  return { severity: r.severity, group: r.group, protocol: r.protocol, message: r.message, field: r.field ?? '', count: String(r.count), firstFrame: String(r.firstFrame) };
}

/** tshark's section titles, in its order. */
const TITLES: readonly [ExpertRow['severity'], string][] = [
  ['error', 'Errors'],
  ['warning', 'Warns'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
];

const COLUMNS: readonly Column[] = [
  { key: 'count', title: 'Frequency', align: 'right' },
  { key: 'group', title: 'Group' },
  { key: 'protocol', title: 'Protocol' },
  { key: 'message', title: 'Summary' },
  { key: 'firstFrame', title: 'First frame', align: 'right' },
];

/** One section per severity that occurs (with its total, as `Notes (102)`), then the packet counts. */
export function expertSections(report: ExpertReport, rows: readonly ExpertRow[], format: 'table' | 'md'): StatsSection[] {
  const human = format === 'table';
  const out: StatsSection[] = [];
  for (const [severity, title] of TITLES) {
    const mine = rows.filter((r) => r.severity === severity);
    if (mine.length === 0) continue;
    const total = report.rows.filter((r) => r.severity === severity).reduce((n, r) => n + r.count, 0);
    out.push({
      title: `${title} (${human ? countText(total) : total})`,
      columns: COLUMNS,
      empty: '',
      rows: mine.map((r) => ({ count: human ? countText(r.count) : String(r.count), group: r.group, protocol: r.protocol, message: r.message, firstFrame: String(r.firstFrame) })),
    });
  }
  out.push({
    title: 'Packets',
    columns: [
      { key: 'what', title: 'What' },
      { key: 'count', title: 'Packets', align: 'right' },
    ],
    empty: '',
    rows: [
      { what: 'malformed', count: String(report.malformedPackets) },
      { what: 'truncated (snaplen)', count: String(report.truncatedPackets) },
      { what: 'all', count: String(report.packets) },
    ],
  });
  return out;
}
