/**
 * Numbers for the `stats` tables: exact in machine formats (JSON, CSV, Markdown), with human
 * units only in the text table.
 */

/**
 * `1234567` → `1,234,567`, as `toLocaleString('en-US')` writes it. Whole numbers are grouped here
 * (the locale machinery costs about a microsecond a call, and big tables make hundreds of
 * thousands); anything else goes to it.
 */
export function countText(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(n < 0 ? -n : n);
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

const SI_UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes with SI units for people: `512 B`, `1.98 kB`, `159 kB`, `1.20 MB`. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = SI_UNITS;
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
