/**
 * The sequence diagram as Mermaid `sequenceDiagram` text (GitHub renders it in Markdown).
 *
 * Packet-derived text is attacker-controlled, so it never reaches Mermaid's syntax raw:
 * participants get fixed aliases (`p0`, `p1`, ...) and their addresses are display names only;
 * in every display name, message and note, whatever Mermaid could read as syntax is written as an
 * entity code (`#59;` for `;`): `;` (statement separator), `#` (comment, entity), `:` (the
 * message separator; also what Mermaid's `style...:...#...;` rewriting looks for), `%` (comment),
 * `<` `>` `&` `"` `'` `` ` `` `{` `}` `\` (HTML and configuration), and the characters of
 * Mermaid's own internal entity markers. Control characters become visible escapes first, so a
 * newline cannot start a statement.
 *
 * Expert packets are marked `(!)` (warning) or `(!!)` (error) and sit in a coloured `rect`
 * block; ACK-only packets use the dotted arrow `-->>`.
 */
import { flowCutText, flowSummaryText, type FlowModel } from './model.js';
import { safeText } from './text.js';

/** Characters written as Mermaid entity codes in display text. */
const SPECIAL = /[;#:%<>&"'`{}\\\u00b0\u00b6\u00df\ufb02]/g;

/** Display text for Mermaid: safe to put after `:` or `as`, shown as the original text. */
export function mermaidText(s: string): string {
  return safeText(s).replace(SPECIAL, (c) => `#${c.charCodeAt(0)};`);
}

const RECT = { error: 'rgba(207, 34, 46, 0.14)', warning: 'rgba(212, 107, 8, 0.14)' } as const;

/** A message's text: frame number, time and the `list` Info. */
export function mermaidMessage(frame: number, time: string, label: string, marker: string): string {
  return mermaidText(`${marker}${frame}${time !== '' ? ` (${time} s)` : ''} ${label}`);
}

export function renderFlowMermaid(m: FlowModel): string {
  const out: string[] = ['sequenceDiagram'];
  out.push(`  %% pcapviz flow · ${mermaidText(flowSummaryText(m))}`);
  m.lifelines.forEach((l, i) => {
    const name = l.name === undefined ? l.key : `${l.key} (${l.name})`;
    out.push(`  participant p${i} as ${mermaidText(name)}`);
  });
  let open: 'error' | 'warning' | undefined;
  const close = (): void => {
    if (open !== undefined) out.push('  end');
    open = undefined;
  };
  for (const e of m.events) {
    if (e.kind === 'note') {
      close();
      const over = e.from === e.to ? `p${e.from}` : `p${Math.min(e.from, e.to)},p${Math.max(e.from, e.to)}`;
      out.push(`  Note over ${over}: ${mermaidText(e.text)}`);
      continue;
    }
    const level = e.expert?.level;
    if (level !== open) {
      close();
      if (level !== undefined) {
        out.push(`  rect ${RECT[level]}`);
        open = level;
      }
    }
    const marker = level === 'error' ? '(!!) ' : level === 'warning' ? '(!) ' : '';
    const indent = open !== undefined ? '    ' : '  ';
    out.push(`${indent}p${e.from}${e.dashed ? '-->>' : '->>'}p${e.to}: ${mermaidMessage(e.frame, e.time, e.label, marker)}`);
  }
  close();
  const cut = flowCutText(m);
  if (cut !== undefined && m.lifelines.length > 0) {
    const over = m.lifelines.length > 1 ? `p0,p${m.lifelines.length - 1}` : 'p0';
    out.push(`  Note over ${over}: ${mermaidText(cut)}`);
  }
  return `${out.join('\n')}\n`;
}
