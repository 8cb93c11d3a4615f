/** The tables `pcapviz stats` makes (kept apart so the command's options load without the analysers). */
export const STATS_TABLES = ['conv', 'endpoints', 'protocols'] as const;
export type StatsTable = (typeof STATS_TABLES)[number];
