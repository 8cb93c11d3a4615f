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
  // Cells row by row in one flat array, and each line built by concatenation: a table of tens
  // of thousands of rows is rendered once per run, before its code is optimised, where arrays
  // and closures per row cost most of the time.
  const n = columns.length;
  const keys = columns.map((c) => c.key);
  const right = columns.map((c) => c.align === 'right');
  const text: string[] = new Array<string>(rows.length * n);
  const widths = columns.map((c) => c.title.length);
  for (let r = 0, k = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let i = 0; i < n; i++, k++) {
      const v = escapeControl(row[keys[i]!] ?? '');
      text[k] = v;
      if (v.length > widths[i]!) widths[i] = v.length;
    }
  }
  const line = (cells: readonly string[], at: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) {
      if (i > 0) s += '  ';
      s += right[i] ? cells[at + i]!.padStart(widths[i]!) : cells[at + i]!.padEnd(widths[i]!);
    }
    return s.trimEnd();
  };
  let out = `${line(columns.map((c) => c.title), 0)}\n${line(widths.map((w) => '-'.repeat(w)), 0)}\n`;
  for (let at = 0; at < text.length; at += n) out += `${line(text, at)}\n`;
  return out;
}

/** Renders `label: value` pairs, labels aligned, as `capinfos` prints one file. */
export function renderKeyValues(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${escapeControl(v)}`.trimEnd()).join('\n') + '\n';
}
