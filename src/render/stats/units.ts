/**
 * Numbers for the `stats` tables: exact in machine formats (JSON, CSV, Markdown), with human
 * units only in the text table.
 */

/** `1234567` → `1,234,567`. */
export const countText = (n: number): string => n.toLocaleString('en-US');

/** Bytes with SI units for people: `512 B`, `1.98 kB`, `159 kB`, `1.20 MB`. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  // Three significant digits; rounding up to 1000 moves to the next unit.
  let text = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  if (Number(text) >= 1000 && u < units.length - 1) {
    u++;
    text = (v / 1000).toFixed(2);
  }
  return `${text} ${units[u]!}`;
}

/** Exact seconds from integer nanoseconds: `1199698000` → `1.199698000`. */
export function secondsText(ns: number, digits = 9): string {
  const neg = ns < 0;
  const abs = Math.abs(Math.round(ns));
  const whole = Math.floor(abs / 1e9);
  const frac = String(abs - whole * 1e9).padStart(9, '0').slice(0, digits);
  return `${neg ? '-' : ''}${whole}${digits > 0 ? `.${frac}` : ''}`;
}


/** Percentage with one decimal, for people. */
export const percentText = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '');
