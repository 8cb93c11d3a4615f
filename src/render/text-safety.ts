/**
 * Strings that come from capture files (interface names, comments, file names) must not reach
 * a terminal or a CSV reader raw: control characters become visible escapes, and CSV cells
 * that a spreadsheet would run as a formula are defused.
 */

// C0 controls, DEL, C1 controls, and the Unicode bidi overrides that can reorder a line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// The same class without the global flag, for a test that keeps no state between calls (the
// regular expression engine scans faster than a loop over char codes).
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Whether `s` holds a character `escapeControl` escapes. */
export function hasControl(s: string): boolean {
  return HAS_CONTROL.test(s);
}

/** Replaces control characters with `\n`, `\t`, `\xNN` or `\u{NNNN}` escapes. */
export function escapeControl(s: string): string {
  if (!HAS_CONTROL.test(s)) return s;
  return s.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** One CSV cell (RFC 4180 quoting), with formula-looking text prefixed by `'`. */
export function csvCell(value: string): string {
  let s = escapeControl(value);
  if (/^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One Markdown table cell or run of text: backslashes, pipes and the characters that start
 * emphasis, code, links and strike-through escaped; HTML-significant characters as entities.
 */
export function markdownCell(value: string): string {
  return escapeControl(value)
    .replace(/[\\|`*_[\]~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

// DEL, C1 controls, the Unicode line and paragraph separators and the bidi controls: JSON may hold
// them raw, but a terminal may act on them.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * `JSON.stringify` with the characters it leaves raw that a terminal may act on written as
 * `\uNNNN` escapes (C0 controls it escapes itself): the text parses back to exactly the same value.
 */
export function jsonText(value: unknown, indent?: number): string {
  const s = JSON.stringify(value, null, indent);
  if (!HAS_JSON_UNSAFE.test(s)) return s;
  return s.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A record made of parts and the separator between them (a row of `fields`): a writer may copy
 * the parts one after the other instead of building the joined text; `toString` gives that text.
 */
export interface TextParts {
  readonly parts: readonly string[];
  readonly separator: string;
  toString(): string;
}
