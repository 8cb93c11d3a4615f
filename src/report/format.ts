/**
 * Numbers as the HTML and PDF reports show them to people, by a column's unit: the text shown
 * and, when that text is rounded, the exact value (a tooltip in HTML). Markdown keeps exact
 * numbers and does not use this.
 */
import { countText, humanBytes } from '../render/stats/units.js';
import type { ReportColumn } from './model.js';

/** SI steps for bit rates: `950 bit/s`, `12.5 kbit/s`, `1.23 Mbit/s`. */
function humanBits(n: number): string {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  let text = u === 0 ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  if (u > 0 && Number(text) >= 1000 && u < units.length - 1) {
    u++;
    text = (v / 1000).toFixed(2);
  }
  return `${n < 0 ? '-' : ''}${text} ${units[u]!}`;
}

/** Durations for people: `0 s`, `850 µs`, `12.3 ms`, `1.234 s`, `3,600 s`. */
function humanSeconds(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a === 0) return '0 s';
  if (a < 1e-3) return `${sign}${Number((a * 1e6).toPrecision(3))} µs`;
  if (a < 1) return `${sign}${Number((a * 1e3).toPrecision(3))} ms`;
  if (a < 1000) return `${sign}${a.toFixed(3)} s`;
  return `${sign}${countText(Math.round(a))} s`;
}

/** A number as a column's unit asks: the text shown and, when that is rounded, the exact value. */
export function formatNumber(n: number, unit: ReportColumn['unit']): { text: string; title: string | undefined } {
  if (!Number.isFinite(n)) return { text: String(n), title: undefined };
  switch (unit) {
    case 'count':
      return { text: countText(n), title: undefined };
    case 'bytes': {
      const text = n >= 0 ? humanBytes(n) : `-${humanBytes(-n)}`;
      return { text, title: Math.abs(n) >= 1000 ? `${countText(n)} bytes` : undefined };
    }
    case 'seconds':
      return { text: humanSeconds(n), title: n === 0 ? undefined : `${n} s` };
    case 'percent':
      // The model's percentages are 0–100 (as tshark prints them), not fractions.
      return { text: `${n.toFixed(1)}%`, title: Number(n.toFixed(1)) === n ? undefined : `${n}%` };
    case 'bps':
      return { text: humanBits(n), title: Math.abs(n) >= 1000 ? `${countText(n)} bit/s` : undefined };
    case undefined:
      return { text: String(n), title: undefined };
  }
}
