/**
 * Parses a filter text into the tree of `ast.ts` with the peggy parser generated from
 * `grammar.peggy`; syntax errors become `FilterError`s that say what was expected where.
 */
import type { ExprNode } from './ast.js';
import { FilterError } from './errors.js';
import { parse as peggyParse } from './grammar.generated.js';

interface PeggyExpectation {
  readonly type: string;
  readonly text?: string;
  readonly description?: string;
}

interface PeggyError {
  readonly expected?: readonly PeggyExpectation[] | null;
  readonly found?: string | null;
  readonly location?: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } };
  readonly filterSpan?: { readonly start: number; readonly end: number };
  readonly message: string;
}

/** Expectations grouped into what a person would call them, in the order they are listed. */
const GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['a field or value', ['field or value', 'value', 'number']],
  ['an operator', ['comparison operator', 'contains', 'matches', '~', 'in', '&', 'bitwise_and']],
  ['"and" or "or"', ['&&', 'and', 'or', '||']],
  ['")"', [')']],
  ['"]"', [']']],
  ['"}"', ['}']],
  ['","', [',']],
  ['":"', [':']],
  ['"{"', ['{']],
  ['the end of the filter', ['end of input']],
];

function expectedText(expected: readonly PeggyExpectation[]): string {
  const names = new Set(expected.map((e) => (e.type === 'literal' ? (e.text ?? '') : e.type === 'end' ? 'end of input' : (e.description ?? e.type))));
  const parts: string[] = [];
  for (const [label, members] of GROUPS) if (members.some((m) => names.has(m))) parts.push(label);
  if (parts.length === 0) return 'something else';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** The token at `offset`: a word, or one character. */
function tokenAt(text: string, offset: number): string {
  const m = /^[A-Za-z0-9_:/+\-.]+/.exec(text.slice(offset));
  return m ? m[0] : text.slice(offset, offset + 1);
}

/** The filter's tree, or null for an empty filter (which lets every packet through). */
export function parseFilter(text: string): ExprNode | null {
  try {
    return peggyParse(text, {}) as ExprNode | null;
  } catch (e) {
    const err = e as PeggyError;
    if (err.filterSpan !== undefined) throw new FilterError(err.message, text, err.filterSpan);
    if (err.location === undefined) throw e;
    const at = err.location.start.offset;
    const expected = expectedText(err.expected ?? []);
    if (at >= text.length) throw new FilterError(`the filter ends too soon: expected ${expected}`, text, { start: text.length, end: text.length + 1 });
    const token = tokenAt(text, at);
    const what = token === '=' && text[at + 1] === '=' ? '"="' : `"${token}"`;
    throw new FilterError(`unexpected ${what}: expected ${expected}`, text, { start: at, end: at + token.length });
  }
}
