/**
 * The report as Markdown for tickets and wikis: figures and tables as GitHub-style tables, the
 * conversation graph as a Mermaid block, the other charts left out (said so once), packet dumps
 * as indented code blocks. Every capture-derived string is escaped as a table cell
 * (`markdownCell`), whatever block it is in.
 */
import { countText } from '../render/stats/units.js';
import { renderTable, type Column } from '../render/table/table.js';
import { escapeControl, markdownCell } from '../render/text-safety.js';
import type { CellValue, ReportColumn, ReportData, TableBlock } from './model.js';

/** A cell as Markdown shows it: exact numbers with thousands separators (tables are pasted, then read or parsed). */
function cellText(v: CellValue, col: ReportColumn): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  switch (col.unit) {
    case 'count':
      return countText(v);
    case 'bytes':
      return countText(v);
    case 'seconds':
      return `${v.toFixed(6)} s`;
    case 'percent':
      return `${v.toFixed(1)}%`;
    case 'bps':
      return `${countText(Math.round(v))} bit/s`;
    default:
      return String(v);
  }
}

function tableMarkdown(t: TableBlock): string {
  const columns: Column[] = t.columns.map((c) => ({ key: c.key, title: c.title, ...(c.numeric === true ? { align: 'right' as const } : {}) }));
  const rows = t.rows.map((r, i) => {
    const out: Record<string, string> = {};
    for (const c of t.columns) out[c.key] = cellText(r[c.key] ?? null, c);
    // The hierarchy's depth as leading non-breaking spaces (Markdown tables keep no indentation).
    const d = t.depth?.[i] ?? 0;
    if (d > 0) out[t.columns[0]!.key] = `${'\u00a0\u00a0'.repeat(d)}${out[t.columns[0]!.key]}`;
    return out;
  });
  const more = t.more > 0 ? `\n${countText(t.more)} more rows not shown.\n` : '';
  return `**${markdownCell(t.title)}**\n\n${renderTable(columns, rows, 'md')}${more}`;
}

export function renderReportMarkdown(r: ReportData): string {
  const out: string[] = [`# ${markdownCell(r.title)}`, ''];
  out.push(`- Capture: ${markdownCell(r.file)}`);
  out.push(`- Made by ${markdownCell(r.generator)} on ${markdownCell(r.generatedAt)}`);
  if (r.filter !== undefined) out.push(`- Display filter: ${markdownCell(r.filter)} (the figures count only the packets it matches)`);
  for (const w of r.warnings) out.push(`- **Warning:** ${markdownCell(w)}`);
  out.push('');
  out.push('## Contents', '');
  for (const s of r.sections) out.push(`- [${markdownCell(s.title)}](#${anchor(s.title)})`);
  out.push('');
  let chartsLeftOut = 0;
  for (const s of r.sections) {
    out.push(`## ${markdownCell(s.title)}`, '');
    for (const b of s.blocks) {
      switch (b.kind) {
        case 'figures':
          out.push(renderTable([{ key: 'label', title: 'Figure' }, { key: 'value', title: 'Value' }], b.items.map((f) => ({ label: f.label, value: f.value })), 'md'));
          break;
        case 'table':
          out.push(tableMarkdown(b));
          break;
        case 'chart':
          if (b.mermaid !== undefined) out.push(`**${markdownCell(b.title)}**`, '', '```mermaid', b.mermaid, '```', '', markdownCell(b.description), '');
          else chartsLeftOut++;
          break;
        case 'note':
          out.push(markdownCell(b.text), '');
          break;
        case 'packet':
          out.push(`**Frame ${b.frame}:** ${markdownCell(b.summary)}`, '');
          // Indented code: no fence a payload could close; control characters already escaped.
          for (const t of b.tree) out.push(`    ${'  '.repeat(t.depth)}${escapeControl(t.text)}`);
          out.push('    ');
          for (const h of b.hex) out.push(`    ${h.offset.toString(16).padStart(4, '0')}  ${h.bytes.map(([x]) => x).join(' ').padEnd(47)}  ${h.ascii}`);
          out.push('');
          break;
      }
    }
  }
  if (chartsLeftOut > 0) out.push(`${chartsLeftOut} chart${chartsLeftOut === 1 ? ' is' : 's are'} in the HTML and PDF forms of this report only.`, '');
  return `${out.join('\n')}\n`;
}

/** GitHub's heading anchor: lower case, spaces to hyphens, punctuation dropped. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}
