/**
 * Text helpers shared by the flow renderers: capture-derived strings made safe to show, and
 * shortened to a width with an ellipsis.
 */
import { escapeControl } from '../render/text-safety.js';

/** Width of one character of DejaVu Sans Mono, in em (1233 of 2048 font units). */
export const MONO_EM = 1233 / 2048;

/** Characters of a string (code points, so a surrogate pair is never split). */
const chars = (s: string): string[] => Array.from(s);

/** Number of characters (code points). */
export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The text cut to at most `max` characters, the last one an ellipsis when cut. */
export function shorten(s: string, max: number): string {
  if (max <= 0) return '';
  if (s.length <= max || charCount(s) <= max) return s;
  if (max === 1) return '…';
  return `${chars(s).slice(0, max - 1).join('').trimEnd()}…`;
}

/** The text cut in the middle to at most `max` characters (keeps both ends of an address). */
export function shortenMiddle(s: string, max: number): string {
  const cs = chars(s);
  if (cs.length <= max) return s;
  if (max <= 1) return max === 1 ? '…' : '';
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${cs.slice(0, head).join('')}…${tail > 0 ? cs.slice(cs.length - tail).join('') : ''}`;
}

/**
 * Capture-derived text for a picture or a terminal: control characters and bidi overrides as
 * visible escapes, and code points XML cannot hold (lone surrogates, U+FFFE, U+FFFF) as
 * `\u{…}`.
 */
export function safeText(s: string): string {
  const t = escapeControl(s);
  // eslint-disable-next-line no-control-regex
  return t.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Text for an XML text node or a double-quoted attribute value. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
