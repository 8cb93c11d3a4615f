/**
 * The tables `pcapviz stats` makes, by name (kept apart so the command's options load without the
 * analysers; `stats/index.ts` holds their definitions in the same order).
 */
export const STATS_TABLES = ['conv', 'endpoints', 'protocols', 'tcp', 'expert', 'io', 'dns', 'http', 'tls'] as const;
export type StatsTable = (typeof STATS_TABLES)[number];

export const isStatsTable = (name: string): name is StatsTable => (STATS_TABLES as readonly string[]).includes(name);

/**
 * `conv`, `conv,endpoints,protocols` or `all` → the tables in the order given (duplicates
 * dropped); a message for an unknown name.
 */
export function parseStatsTables(text: string): StatsTable[] | string {
  const names = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (names.length === 0) return `name a table: ${STATS_TABLES.join(', ')}, or all`;
  const out: StatsTable[] = [];
  for (const n of names) {
    if (n === 'all') {
      for (const t of STATS_TABLES) if (!out.includes(t)) out.push(t);
    } else if (!isStatsTable(n)) return `unknown table "${n}": choose from ${STATS_TABLES.join(', ')}, or all (comma-separated for several)`;
    else if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** `parseStatsTables` for a command-line option: the tables, or an error yargs reports as bad usage. */
export function statsTablesArg(value: unknown): StatsTable[] {
  const t = parseStatsTables(String(value));
  if (typeof t === 'string') throw new Error(t);
  return t;
}
