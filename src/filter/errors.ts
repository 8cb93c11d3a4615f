/**
 * Filter errors: a message and the span of the filter it concerns, shown as tshark shows them,
 * the filter echoed with a caret under the place.
 */
import type { Span } from './ast.js';

export class FilterError extends Error {
  /** The whole filter text. */
  readonly filter: string;
  readonly span: Span;

  constructor(message: string, filter: string, span: Span) {
    super(message);
    this.name = 'FilterError';
    this.filter = filter;
    this.span = span;
  }

  /**
   * The lines to print: `filter error: MESSAGE`, the filter, and a caret with tildes under the
   * span (control characters in the filter shown as spaces so the caret stays in place).
   */
  lines(): [string, string, string] {
    const shown = this.filter.replace(/[\u0000-\u001f\u007f]/g, ' ');
    const start = Math.min(Math.max(this.span.start, 0), shown.length);
    const width = Math.max(1, Math.min(this.span.end, shown.length) - start);
    return [`filter error: ${this.message}`, `  ${shown}`, `  ${' '.repeat(start)}^${'~'.repeat(width - 1)}`];
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus the swap of two neighbours), stopping
 * early once every path is longer than `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (i > 0 && best > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The known name closest to `word`, when one is close enough to be a likely typo. */
export function closestName(word: string, names: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(lower.length / 4)));
  const dot = lower.indexOf('.');
  const proto = dot < 0 ? lower : lower.slice(0, dot);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of names) {
    const d = editDistance(lower, name, limit);
    if (d > limit) continue;
    // Same distance: a name of the same protocol first, then the shorter, then the first in order.
    const sameProto = name.startsWith(`${proto}.`) || name === proto ? 0 : 0.5;
    const score = d + sameProto + name.length / 1000;
    if (score < bestScore || (score === bestScore && best !== undefined && name < best)) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}
