/** Several titled tables in one output: the text table for people, or Markdown. */
import { markdownCell } from '../text-safety.js';
import { type Column, type Row, renderTable } from '../table/table.js';

export interface StatsSection {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** Shown instead of an empty table. */
  readonly empty: string;
}

/** Titles, each over its aligned table (`table`) or a Markdown heading and table (`md`). */
export function renderSections(sections: readonly StatsSection[], format: 'table' | 'md', heading = '###'): string {
  const parts: string[] = [];
  for (const s of sections) {
    if (format === 'md') {
      const body = s.rows.length === 0 ? `${markdownCell(s.empty)}\n` : renderTable(s.columns, s.rows, 'md');
      parts.push(`${heading} ${markdownCell(s.title)}\n\n${body}`);
    } else {
      parts.push(s.rows.length === 0 ? `${s.title}: ${s.empty}\n` : `${s.title}\n${renderTable(s.columns, s.rows, 'table')}`);
    }
  }
  return parts.join('\n');
}
