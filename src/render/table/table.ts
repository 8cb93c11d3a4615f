import { csvCell, escapeControl, markdownCell } from '../text-safety.js';

export interface Column {
  readonly key: string;
  readonly title: string;
  readonly align?: 'left' | 'right';
}

export type Row = Readonly<Record<string, string>>;

export type TableFormat = 'table' | 'csv' | 'md';

/** Renders rows as an aligned text table, CSV (RFC 4180) or a Markdown table. */
export function renderTable(columns: readonly Column[], rows: readonly Row[], format: TableFormat): string {
  const cell = (r: Row, c: Column): string => r[c.key] ?? '';
  if (format === 'csv') {
    const lines = [columns.map((c) => csvCell(c.key)).join(',')];
    for (const r of rows) lines.push(columns.map((c) => csvCell(cell(r, c))).join(','));
    return `${lines.join('\n')}\n`;
  }
  if (format === 'md') {
    const lines = [
      `| ${columns.map((c) => markdownCell(c.title)).join(' | ')} |`,
      `|${columns.map((c) => (c.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`,
    ];
    for (const r of rows) lines.push(`| ${columns.map((c) => markdownCell(cell(r, c))).join(' | ')} |`);
    return `${lines.join('\n')}\n`;
  }
  const text = rows.map((r) => columns.map((c) => escapeControl(cell(r, c))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...text.map((t) => t[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w)))];
  for (const t of text) out.push(line(t));
  return `${out.join('\n')}\n`;
}

/** Renders `label: value` pairs, labels aligned, as `capinfos` prints one file. */
export function renderKeyValues(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${escapeControl(v)}`.trimEnd()).join('\n') + '\n';
}
