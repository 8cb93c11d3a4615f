/**
 * Every `pcapviz stats` table, in the order `stats all` shows them. A new table is one module and
 * one line here (and its name in `../stats-tables.ts`, which the command line loads alone).
 */
import { conv } from './conv.js';
import { endpoints } from './endpoints.js';
import { protocols } from './protocols.js';
import { tcp } from './tcp.js';
import { expert } from './expert.js';
import { io } from './io.js';
import { dns } from './dns.js';
import { http } from './http.js';
import { tls } from './tls.js';
import type { StatsTableDef } from './table.js';

export const STATS_TABLE_DEFS: readonly StatsTableDef<unknown>[] = [conv, endpoints, protocols, tcp, expert, io, dns, http, tls];
