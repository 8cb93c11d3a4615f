import type { Timestamp } from '../analyze/capture-summary.js';

/** Fraction digits printed for a timestamp of `digits` precision from a nanosecond field. */
function fraction(nsec: number, digits: number): string {
  if (digits <= 0) return '';
  const scaled = Math.floor(nsec / 10 ** (9 - digits));
  return `.${String(scaled).padStart(digits, '0')}`;
}

/** Epoch seconds at the timestamp's own precision: `1418145369.924505488`. */
export function formatEpoch(t: Timestamp): string {
  return `${t.sec}${fraction(t.nsec, t.digits)}`;
}

/** Total nanoseconds of a timestamp (exact). */
export function toNanoseconds(t: Timestamp): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

/** ISO 8601 UTC at the timestamp's own precision: `2014-12-09T17:16:09.924505488Z`. */
export function formatIso(t: Timestamp): string {
  const ns = toNanoseconds(t);
  const sec = ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n);
  const nsec = Number(ns - sec * 1_000_000_000n);
  const ms = Number(sec) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `${formatEpoch(t)} s since 1970`;
  const base = new Date(ms).toISOString().slice(0, 19);
  return `${base}${fraction(nsec, t.digits)}Z`;
}

/** A non-negative nanosecond count as seconds with `digits` decimals (truncated). */
export function formatSeconds(ns: bigint, digits: number): string {
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  const sec = abs / 1_000_000_000n;
  const frac = Number(abs % 1_000_000_000n);
  return `${neg ? '-' : ''}${sec}${fraction(frac, digits)}`;
}
