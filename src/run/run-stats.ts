/**
 * `pcapviz stats TABLE[,TABLE...]|all`: one pass over each capture in summary mode (no field
 * recording); each packet is dissected once and handed to the reducer of every chosen table
 * (`stats/`), then each table renders its result.
 */
import { DEFAULT_MAX_FLOWS } from '../analyze/flow-table.js';
import { parseInterval } from '../analyze/io-stats.js';
import { NameBook } from '../analyze/names.js';
import { isTrafficType, TRAFFIC_TYPES } from '../analyze/traffic-taps.js';
import type { CaptureReader } from '../capture/read-capture.js';
import type { OutputFormat } from '../cli/options.js';
import { EXIT, type ExitCode, warn, writeOut } from '../cli/output.js';
import type { Registry } from '../dissect/registry.js';
import type { DisplayFilter } from '../filter/index.js';
import type { StatsSort } from '../render/stats/order.js';
import { renderSections } from '../render/stats/sections.js';
import type { Column } from '../render/table/table.js';
import { csvCell, escapeControl, jsonText, markdownCell } from '../render/text-safety.js';
import { HeaderTaps, type TapSink } from './header-taps.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';
import { trafficTypes } from './stats/conv.js';
import { STATS_TABLE_DEFS } from './stats/index.js';
import type { RenderContext, StatsReducer, StatsSettings, StatsTableDef } from './stats/table.js';
import type { StatsTable } from './stats-tables.js';

export { STATS_TABLES, type StatsTable } from './stats-tables.js';

export interface StatsOptions {
  /** The tables, in the order to show them (one pass feeds them all). */
  readonly tables: readonly StatsTable[];
  /** Conversation or endpoint types (checked here); undefined: all five. */
  readonly types: readonly string[] | undefined;
  readonly format: OutputFormat;
  /** Rows kept per table (children per node for `protocols`); undefined: all. */
  readonly top: number | undefined;
  /** Undefined: each table's default (bytes for conv and endpoints, first seen for protocols). */
  readonly sort: StatsSort | undefined;
  /** Live flows kept per table before idle ones are retired. */
  readonly maxFlows: number | undefined;
  readonly decodeAs: readonly string[];
  /** Label hosts with names learned from the capture (default true). */
  readonly names?: boolean;
  /** `--interval` of the io table: `1s`, `100ms`, `10s`, `1m` (default 1s). */
  readonly interval?: string | undefined;
  /** `-Y`: a display filter; only matching packets are counted. */
  readonly filter?: string | undefined;
}

/** One capture's results, by table name. */
export interface CaptureStats {
  readonly file: string;
  readonly results: ReadonlyMap<string, unknown>;
  /** Names learned from the capture, when names are on and a table labels hosts. */
  readonly names: NameBook | undefined;
}

const defOf = (name: string): StatsTableDef<unknown> => STATS_TABLE_DEFS.find((d) => d.name === name)!;

/** Checks option combinations; returns a message for the first bad one. */
function checkOptions(o: StatsOptions, defs: readonly StatsTableDef<unknown>[], s: StatsSettings): string | undefined {
  if (o.top !== undefined && (!Number.isInteger(o.top) || o.top < 1)) return '--top must be a whole number of at least 1';
  if (o.maxFlows !== undefined && (!Number.isInteger(o.maxFlows) || o.maxFlows < 1)) return '--max-flows must be a whole number of at least 1';
  if (s.intervalNs === 0) return `--interval must be a duration such as 1s, 100ms, 10s or 1m, not "${o.interval}"`;
  if (o.interval !== undefined && !defs.some((d) => d.name === 'io')) return '--interval applies to the io table';
  if (o.types !== undefined && !defs.some((d) => d.takesTypes === true)) {
    return `--type applies to ${STATS_TABLE_DEFS.filter((d) => d.takesTypes === true).map((d) => d.name).join(' and ')}, not ${defs.map((d) => d.name).join(', ')}`;
  }
  for (const t of o.types ?? []) if (!isTrafficType(t)) return `--type must be one of ${TRAFFIC_TYPES.join(', ')}, not "${t}"`;
  // With several tables a sort applies to those that take it; one of them at least must.
  if (o.sort !== undefined && !defs.some((d) => d.sorts.includes(o.sort!))) {
    return `${defs.map((d) => d.name).join(', ')} cannot be sorted by ${o.sort}: use ${[...new Set(defs.flatMap((d) => d.sorts))].join(', ')}`;
  }
  for (const d of defs) {
    const bad = d.check?.(s);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/**
 * Runs one pass over every capture: each packet is dissected once and given to a reducer of every
 * table in `defs`; `done` gets each capture's results. Returns the exit code.
 */
export async function collectStats(
  paths: readonly string[],
  registry: Registry,
  defs: readonly StatsTableDef<unknown>[],
  s: StatsSettings,
  done: (r: CaptureStats) => void,
  filter?: DisplayFilter,
): Promise<ExitCode> {
  let current: CaptureReader | undefined;
  let reducers: StatsReducer<unknown>[] = [];
  let book: NameBook | undefined;
  // Plain frames are read from their headers when every table takes taps (conversations,
  // endpoints and io): see `HeaderTaps`.
  let headerTaps: HeaderTaps | undefined;
  let sinks: TapSink[] = [];
  const wantNames = s.names && defs.some((d) => d.usesNames === true);
  const start = (reader: CaptureReader): void => {
    current = reader;
    reducers = defs.map((d) => d.reducer(s, reader));
    sinks = reducers.flatMap((r) => (r.taps === undefined ? [] : [r.taps]));
    book = undefined;
    if (wantNames) {
      // The name book is fed by the same pass, like one more reducer.
      const b = new NameBook();
      book = b;
      reducers.push({ add: (p) => b.add(p), finish: () => b });
    }
    // A capture's own TLS secrets may open payloads that name hosts: such a capture is dissected.
    const taps = filter === undefined && sinks.length === defs.length && reader.secrets.length === 0;
    // Only conv and endpoints read taps of any type (io reads each frame's time and length).
    const tapped = defs.some((d) => d.name === 'conv' || d.name === 'endpoints') ? trafficTypes(s) : [];
    headerTaps = taps ? HeaderTaps.create(registry, tapped, book, defs.some((d) => d.name === 'conv')) : undefined;
  };
  // Application layers are dissected only when a table or the name book reads them (a filtered
  // run dissects what its filter needs instead).
  const skipApplication = filter === undefined && !wantNames && defs.every((d) => d.transportOnly?.(s) === true);
  // TCP analysis keeps no more connections than the tables keep flows (--max-flows).
  return forEachPacket(paths, registry, { mode: 'summary', summaries: false, skipApplication, maxTcpConnections: s.maxFlows }, {
    frame: (f, dissector, reader) => {
      if (reader !== current) start(reader);
      return headerTaps !== undefined && headerTaps.feed(f, dissector, sinks);
    },
    packet: (p, reader) => {
      if (reader !== current) start(reader);
      if (headerTaps !== undefined && book !== undefined) headerTaps.dissected(p);
      for (let i = 0; i < reducers.length; i++) reducers[i]!.add(p);
    },
    end: (reader) => {
      if (reader !== current) start(reader); // a capture with no packets
      done({ file: reader.name, results: new Map(defs.map((d, i) => [d.name, reducers[i]!.finish()])), names: wantNames ? book : undefined });
      current = undefined;
    },
  }, filter);
}

export async function runStats(paths: readonly string[], o: StatsOptions): Promise<ExitCode> {
  const defs = o.tables.map(defOf);
  const settings: StatsSettings = { types: o.types, format: o.format, top: o.top, sort: o.sort, maxFlows: o.maxFlows ?? DEFAULT_MAX_FLOWS, names: o.names ?? true, intervalNs: parseInterval(o.interval ?? '1s') ?? 0 };
  const bad = checkOptions(o, defs, settings);
  if (bad !== undefined) {
    warn(bad);
    return EXIT.FAILURE;
  }
  const sel = selectPackets(undefined, o.decodeAs, undefined, undefined, o.filter);
  if (sel === undefined) return EXIT.FAILURE;
  const results: CaptureStats[] = [];
  const exit = await collectStats(paths, sel.registry, defs, settings, (r) => {
    for (const d of defs) for (const w of d.warnings?.(r.results.get(d.name), settings) ?? []) warn(`${r.file}: ${w}`);
    if (r.names !== undefined && r.names.leftOut > 0) {
      warn(`${r.file}: the name book is full (${r.names.maxEntries} addresses): ${r.names.leftOut} names learned after that were not kept`);
    }
    results.push(r);
  }, sel.filter);
  if (o.format === 'table' || o.format === 'md') {
    for (const chunk of statsTextChunks(results, paths.length > 1, defs, settings)) await writeOut(chunk);
  } else if (o.format === 'csv') {
    for (const chunk of statsCsvChunks(results, paths.length > 1, defs, settings)) await writeOut(chunk);
  } else if (results.length > 0 || o.format !== 'json') await writeOut(renderStats(results, paths.length > 1, defs, settings));
  return exit;
}

/**
 * The output of a run. One table: its own shape (the contracts in ARCHITECTURE.md). Several:
 * JSON is one object keyed by table name; CSV has a `table` column first and the union of the
 * tables' columns; text and Markdown show the tables one after the other. Several captures: JSON
 * is an array of `{file, TABLE: ...}`, CSV gets a `file` column, text and Markdown a heading each.
 */
export function renderStats(results: readonly CaptureStats[], several: boolean, defs: readonly StatsTableDef<unknown>[], settings: StatsSettings): string {
  const format = settings.format;
  const one = defs.length === 1;
  const ctx = (r: CaptureStats): RenderContext => ({ settings, names: r.names });

  if (format === 'json') {
    const value = (r: CaptureStats): unknown =>
      one ? defs[0]!.json(r.results.get(defs[0]!.name), ctx(r)) : Object.fromEntries(defs.map((d) => [d.name, d.json(r.results.get(d.name), ctx(r))]));
    const out = several ? results.map((r) => ({ file: r.file, ...(one ? { [defs[0]!.name]: value(r) } : (value(r) as object)) })) : value(results[0]!);
    return `${jsonText(out, 2)}\n`;
  }

  if (format === 'csv') return [...statsCsvChunks(results, several, defs, settings)].join('');

  return [...statsTextChunks(results, several, defs, settings)].join('');
}

/** CSV rows rendered per chunk of output. */
const CSV_CHUNK_ROWS = 8192;

/**
 * The CSV output of a run, a chunk at a time (what `renderStats` joins): the header, then each
 * capture's tables' rows, made and rendered one table at a time.
 */
export function* statsCsvChunks(results: readonly CaptureStats[], several: boolean, defs: readonly StatsTableDef<unknown>[], settings: StatsSettings): Generator<string> {
  const one = defs.length === 1;
  const ctx = (r: CaptureStats): RenderContext => ({ settings, names: r.names });
  const first = results[0] ?? { file: '', results: new Map(), names: undefined };
  const defColumns = defs.map((d) => d.csvColumns(ctx(first)));
  // A table's optional columns (host names) only when some row of a table that has them has a
  // value in one of them (a first pass over those tables' rows); a column another table has as
  // its own is always there.
  const regular = new Set(defs.flatMap((d, i) => defColumns[i]!.map((c) => c.key).filter((k) => !(d.optionalCsvColumns ?? []).includes(k))));
  let anyOptional = false;
  for (const r of results) {
    for (const d of defs) {
      const optional = (d.optionalCsvColumns ?? []).filter((k) => !regular.has(k));
      if (anyOptional || optional.length === 0) continue;
      for (const row of d.csvRows(r.results.get(d.name), ctx(r))) {
        if (optional.some((k) => (row[k] ?? '') !== '')) {
          anyOptional = true;
          break;
        }
      }
    }
  }
  const lead = [...(several ? ['file'] : []), ...(one ? [] : ['table'])];
  const columns: Column[] = [];
  const seen = new Set(lead);
  for (const cols of defColumns) {
    for (const col of cols) {
      if (seen.has(col.key) || !(regular.has(col.key) || anyOptional)) continue;
      seen.add(col.key);
      columns.push(col);
    }
  }
  yield `${[...lead, ...columns.map((c) => c.key)].map(csvCell).join(',')}\n`;
  for (const r of results) {
    for (const d of defs) {
      const prefix = `${several ? `${csvCell(r.file)},` : ''}${one ? '' : `${csvCell(d.name)},`}`;
      let text = '';
      let n = 0;
      for (const row of d.csvRows(r.results.get(d.name), ctx(r))) {
        text += `${prefix}${columns.map((c) => csvCell(row[c.key] ?? '')).join(',')}\n`;
        if (++n === CSV_CHUNK_ROWS) {
          yield text;
          text = '';
          n = 0;
        }
      }
      if (text !== '') yield text;
    }
  }
}

/**
 * The text table or Markdown output of a run, a section at a time (what `renderStats` joins):
 * a capture's tables are made and rendered one after the other, so a run over a capture with a
 * million conversations never holds all its tables as text at once.
 */
export function* statsTextChunks(results: readonly CaptureStats[], several: boolean, defs: readonly StatsTableDef<unknown>[], settings: StatsSettings): Generator<string> {
  const format = settings.format === 'md' ? 'md' : 'table';
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (i > 0) yield '\n';
    if (several) yield format === 'md' ? `## ${markdownCell(r.file)}\n\n` : `== ${escapeControl(r.file)}\n\n`;
    let first = true;
    for (const d of defs) {
      for (const section of d.sections(r.results.get(d.name), format, { settings, names: r.names })) {
        yield `${first ? '' : '\n'}${renderSections([section], format, several ? '###' : '##')}`;
        first = false;
      }
    }
  }
}
