/** `--shard i/n`: a deterministic share of the captures, by their sorted relative paths. */

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** `2/5` → {index: 2, count: 5}; a message when it is not a share. */
export function parseShard(text: string): Shard | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) return `--shard must be i/n, such as 1/4, not "${text}"`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${text}: i must be between 1 and n`;
  return { index, count };
}

/** Plain code-unit order, the same on every machine whatever its locale. */
export const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The items of shard `s`: every n-th in sorted order, starting at the i-th. */
export function shardOf<T extends { readonly rel: string }>(items: readonly T[], s: Shard | undefined): T[] {
  const sorted = [...items].sort((a, b) => byPath(a.rel, b.rel));
  return s === undefined ? sorted : sorted.filter((_, i) => i % s.count === s.index - 1);
}
