/**
 * The roll-up of a batch, made from the `summary.json` of every capture folder (so `batch` and
 * `merge` make the same files from the same folders): `captures.csv`, `conversations.csv` and
 * `hosts.csv` with the capture as a column, the same tables as Parquet when asked, the merged
 * conversation graph (`graph.svg`) and `index.html`. Captures are taken in sorted order of
 * their relative paths, and every file is written to a temporary name and renamed.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Conversation } from '../analyze/conversations.js';
import type { TrafficType } from '../analyze/traffic-taps.js';
import type { CaptureTraffic, ProtocolTally } from '../graph/collect.js';
import { csvCell } from '../render/text-safety.js';
import { openOutput, writeAtomic } from '../util/output-file.js';
import { SUMMARY_NAME, type CaptureStatus, type CaptureSummaryFile } from './files.js';
import { byPath } from './shard.js';

/** A capture folder to roll up. */
export interface RollupEntry {
  readonly rel: string;
  /** Absolute folder holding its summary.json (inside the roll-up's outdir). */
  readonly dir: string;
}

export interface RollupOptions {
  readonly parquet: boolean;
  /** Hosts kept in the merged graph (the rest fold into one node); 0 keeps all. */
  readonly graphTop: number;
  readonly names: boolean;
  readonly renderer: 'wasm' | 'system' | undefined;
  readonly layoutTimeoutSeconds: number;
  readonly generator: string;
  readonly now: Date;
  /** Files that were not captures, for the index. */
  readonly skipped: readonly string[];
  readonly warn: (message: string) => void;
}

type Kind = 'text' | 'int' | 'number';
interface Col {
  readonly key: string;
  readonly kind: Kind;
}
type Cell = string | number | null;
type RowOut = Record<string, Cell>;

const text = (key: string): Col => ({ key, kind: 'text' });
const int = (key: string): Col => ({ key, kind: 'int' });
const number = (key: string): Col => ({ key, kind: 'number' });

export const CAPTURE_COLUMNS: readonly Col[] = [
  text('capture'), text('status'), text('error'), text('format'), number('packets'), number('dataBytes'), number('capturedBytes'),
  text('firstTime'), text('lastTime'), number('duration'), number('ipConversations'), number('tcpConnections'), number('udpConversations'),
  number('hosts'), number('expertErrors'), number('warnings'), text('folder'), text('outputs'),
];
export const CONVERSATION_COLUMNS: readonly Col[] = [
  text('capture'), text('type'), text('a'), int('portA'), text('nameA'), text('b'), int('portB'), text('nameB'),
  number('packetsAtoB'), number('bytesAtoB'), number('packetsBtoA'), number('bytesBtoA'), number('packets'), number('bytes'), number('start'), number('duration'),
];
export const HOST_COLUMNS: readonly Col[] = [
  text('capture'), text('type'), text('address'), int('port'), text('name'),
  number('packets'), number('bytes'), number('txPackets'), number('txBytes'), number('rxPackets'), number('rxBytes'),
];

type Json = Record<string, unknown>;

const cellOf = (v: unknown): Cell => (typeof v === 'number' || typeof v === 'string' ? v : null);
const pick = (capture: string, extra: Json, r: Json, cols: readonly Col[]): RowOut => {
  const out: RowOut = {};
  for (const c of cols) out[c.key] = c.key === 'capture' ? capture : cellOf(c.key in extra ? extra[c.key] : r[c.key]);
  return out;
};

/** One table's rows: CSV written as they come, kept by column for Parquet when asked. */
class TableSink {
  private readonly columns: Map<string, Cell[]> | undefined;
  private readonly csv;
  private readonly cols: readonly Col[];
  private pending = '';
  rows = 0;

  constructor(path: string, cols: readonly Col[], keep: boolean) {
    this.cols = cols;
    this.csv = openOutput(path);
    this.columns = keep ? new Map(cols.map((c) => [c.key, []])) : undefined;
  }

  async start(): Promise<void> {
    await this.csv.write(`${this.cols.map((c) => csvCell(c.key)).join(',')}\r\n`);
  }

  /** Adds a row to the pending text (written by `flush`). */
  add(row: RowOut): void {
    this.rows++;
    this.pending += `${this.cols.map((c) => csvText(row[c.key] ?? null)).join(',')}\r\n`;
    if (this.columns !== undefined) for (const c of this.cols) this.columns.get(c.key)!.push(row[c.key] ?? null);
  }

  /** Writes the pending rows: always when `all`, else once they are worth a write. */
  async flush(all: boolean): Promise<void> {
    if (this.pending.length === 0 || (!all && this.pending.length < 65536)) return;
    const text = this.pending;
    this.pending = '';
    await this.csv.write(text);
  }

  async commit(): Promise<void> {
    await this.flush(true);
    await this.csv.commit();
  }

  async abort(): Promise<void> {
    await this.csv.abort();
  }

  async writeParquet(path: string, generator: string): Promise<void> {
    if (this.columns === undefined) return;
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const columnData = this.cols.map((c) => {
      const data = this.columns!.get(c.key)!;
      if (c.kind === 'text') return { name: c.key, data: data.map((v) => (v === null ? null : String(v))), type: 'STRING' as const };
      if (c.kind === 'int') return { name: c.key, data: data.map((v) => (typeof v === 'number' ? v : null)), type: 'INT32' as const };
      return { name: c.key, data: data.map((v) => (typeof v === 'number' ? v : null)), type: 'DOUBLE' as const };
    });
    const buffer = parquetWriteBuffer({ columnData, createdBy: generator });
    await writeAtomic(path, new Uint8Array(buffer));
  }
}

function csvText(v: Cell): string {
  if (v === null) return '';
  // Numbers as JSON writes them: exact and locale-free.
  return typeof v === 'number' ? String(v) : csvCell(v);
}

/** One capture's line in the index and in captures.csv. */
export interface CaptureLine {
  readonly rel: string;
  /** Folder relative to outdir, `/`-separated. */
  readonly folder: string;
  readonly status: CaptureStatus;
  readonly error: string | undefined;
  readonly row: RowOut;
  readonly outputs: readonly string[];
}

export interface RollupResult {
  readonly lines: readonly CaptureLine[];
  readonly conversations: number;
  readonly hosts: number;
  readonly graph: boolean;
}

const rowsOf = (v: unknown): [string, Json[]][] => {
  if (Array.isArray(v)) return [['', v as Json[]]];
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>).filter(([, rows]) => Array.isArray(rows)).map(([t, rows]) => [t, rows as Json[]]);
};

/** Builds the roll-up in `outdir` from the capture folders `entries`. */
export async function buildRollup(outdir: string, entries: readonly RollupEntry[], o: RollupOptions): Promise<RollupResult> {
  const r = new Rollup(outdir, o);
  try {
    await r.start();
    for (const e of [...entries].sort((a, b) => byPath(a.rel, b.rel))) await r.add(e);
  } catch (e) {
    await r.abort();
    throw e;
  }
  return r.finish();
}

/**
 * A roll-up made a capture folder at a time, so `batch` can add each capture as soon as it and
 * every capture sorted before it are done, while the workers go on with the rest. Folders must
 * be added in sorted order of their relative paths (`byPath`); `finish` writes the Parquet
 * files, the merged graph and the index.
 */
export class Rollup {
  private sinks!: { readonly captures: TableSink; readonly conversations: TableSink; readonly hosts: TableSink };
  private readonly lines: CaptureLine[] = [];
  private readonly traffic: CaptureTraffic[] = [];
  private readonly names = new Map<string, string>();
  private readonly outdir: string;
  private readonly o: RollupOptions;

  constructor(outdir: string, o: RollupOptions) {
    this.outdir = outdir;
    this.o = o;
  }

  /** Opens the three tables (their temporary files) and writes their header rows. */
  async start(): Promise<void> {
    const opened: TableSink[] = [];
    const sink = (name: string, cols: readonly Col[]): TableSink => {
      const s = new TableSink(join(this.outdir, name), cols, this.o.parquet);
      opened.push(s);
      return s;
    };
    try {
      this.sinks = { captures: sink('captures.csv', CAPTURE_COLUMNS), conversations: sink('conversations.csv', CONVERSATION_COLUMNS), hosts: sink('hosts.csv', HOST_COLUMNS) };
    } catch (e) {
      // The tables opened before the one that could not be: their temporary files go too.
      for (const s of opened) await s.abort();
      throw e;
    }
    for (const s of Object.values(this.sinks)) await s.start();
  }

  /** Adds one capture folder's `summary.json` (a folder without one is reported and left out). */
  async add(e: RollupEntry): Promise<void> {
    const { sinks, o } = this;
    const folder = relative(this.outdir, e.dir).split(sep).join('/');
    let summary: CaptureSummaryFile;
    try {
      summary = JSON.parse(await readFile(join(e.dir, SUMMARY_NAME), 'utf8')) as CaptureSummaryFile;
    } catch (err) {
      o.warn(`${e.rel}: cannot read its ${SUMMARY_NAME}: ${(err as Error).message}`);
      return;
    }
    const stats = (summary.stats ?? {}) as Json;
    const info = (summary.info ?? {}) as Json;
    const conv = rowsOf(stats['conv']);
    const endpoints = rowsOf(stats['endpoints']);
    const count = (rows: [string, Json[]][], ...types: string[]): number => rows.filter(([t]) => types.includes(t)).reduce((n, [, r]) => n + r.length, 0);
    const expert = stats['expert'] as { rows?: Json[] } | undefined;
    const row: RowOut = {
      capture: summary.capture,
      status: summary.status,
      error: summary.error ?? null,
      format: cellOf(info['format']),
      packets: cellOf(info['packets']),
      dataBytes: cellOf(info['dataBytes']),
      capturedBytes: cellOf(info['capturedBytes']),
      firstTime: cellOf(info['firstTimeIso']),
      lastTime: cellOf(info['lastTimeIso']),
      duration: typeof info['duration'] === 'string' ? Number(info['duration']) : cellOf(info['duration']),
      ipConversations: summary.stats === null ? null : count(conv, 'ip', 'ipv6'),
      tcpConnections: summary.stats === null ? null : Array.isArray(stats['tcp']) ? (stats['tcp'] as unknown[]).length : count(conv, 'tcp'),
      udpConversations: summary.stats === null ? null : count(conv, 'udp'),
      hosts: summary.stats === null ? null : count(endpoints, 'ip', 'ipv6'),
      expertErrors: expert?.rows === undefined ? null : expert.rows.filter((r) => r['severity'] === 'error').reduce((n, r) => n + ((r['count'] as number) || 0), 0),
      warnings: summary.warnings.length,
      folder,
      outputs: [SUMMARY_NAME, ...summary.outputs].join(' '),
    };
    sinks.captures.add(row);
    this.lines.push({ rel: summary.capture, folder, status: summary.status, error: summary.error, row, outputs: [SUMMARY_NAME, ...summary.outputs] });
    for (const [type, rows] of conv) {
      for (const r of rows) {
        const packets = ((r['packetsAtoB'] as number) || 0) + ((r['packetsBtoA'] as number) || 0);
        const bytes = ((r['bytesAtoB'] as number) || 0) + ((r['bytesBtoA'] as number) || 0);
        sinks.conversations.add(pick(summary.capture, { type, packets: r['packets'] ?? packets, bytes: r['bytes'] ?? bytes }, r, CONVERSATION_COLUMNS));
        if (o.names) {
          if (typeof r['nameA'] === 'string' && !this.names.has(r['a'] as string)) this.names.set(r['a'] as string, r['nameA']);
          if (typeof r['nameB'] === 'string' && !this.names.has(r['b'] as string)) this.names.set(r['b'] as string, r['nameB']);
        }
      }
    }
    for (const [type, rows] of endpoints) for (const r of rows) sinks.hosts.add(pick(summary.capture, { type }, r, HOST_COLUMNS));
    if (summary.graph !== null) this.traffic.push(captureTraffic(summary.capture, conv, summary.graph.protocols));
    for (const s of Object.values(sinks)) await s.flush(false);
  }

  /**
   * Starts loading the built-in Graphviz for the merged graph now (once the last capture has
   * been handed out, while the workers finish), so that `finish` does not wait for it.
   */
  async prepare(): Promise<void> {
    if (this.o.renderer === 'system') return;
    const { prepareWasmLayout } = await import('../graph/layout.js');
    prepareWasmLayout([]);
  }

  /** Removes the tables' temporary files. */
  async abort(): Promise<void> {
    if (this.sinks === undefined) return;
    for (const s of Object.values(this.sinks)) await s.abort();
  }

  /** Puts the tables in place and writes the Parquet files, the merged graph and the index. */
  async finish(): Promise<RollupResult> {
    const { sinks, o, outdir } = this;
    try {
      for (const s of Object.values(sinks)) await s.commit();
    } catch (e) {
      await this.abort();
      throw e;
    }
    if (o.parquet) {
      await sinks.captures.writeParquet(join(outdir, 'captures.parquet'), o.generator);
      await sinks.conversations.writeParquet(join(outdir, 'conversations.parquet'), o.generator);
      await sinks.hosts.writeParquet(join(outdir, 'hosts.parquet'), o.generator);
    }
    const graphSvg = await mergedGraph(this.traffic, this.names, o);
    if (graphSvg !== undefined) await writeAtomic(join(outdir, 'graph.svg'), graphSvg);
    const { renderIndex } = await import('./index-page.js');
    await writeAtomic(join(outdir, 'index.html'), renderIndex(this.lines, { generator: o.generator, now: o.now, graphSvg, parquet: o.parquet, skipped: o.skipped, conversations: sinks.conversations.rows, hosts: sinks.hosts.rows }));
    return { lines: this.lines, conversations: sinks.conversations.rows, hosts: sinks.hosts.rows, graph: graphSvg !== undefined };
  }
}

/** A capture's IP conversations as the graph takes them, from its summary's JSON rows. */
function captureTraffic(file: string, conv: readonly [string, Json[]][], protocols: Record<string, [string, number, number][]>): CaptureTraffic {
  const rows: Conversation[] = [];
  for (const [type, list] of conv) {
    if (type !== 'ip' && type !== 'ipv6') continue;
    for (const r of list) {
      rows.push({
        seq: rows.length,
        lastSeen: 0,
        type: type as TrafficType,
        a: String(r['a']),
        b: String(r['b']),
        portA: undefined,
        portB: undefined,
        stream: undefined,
        packetsAtoB: (r['packetsAtoB'] as number) || 0,
        bytesAtoB: (r['bytesAtoB'] as number) || 0,
        packetsBtoA: (r['packetsBtoA'] as number) || 0,
        bytesBtoA: (r['bytesBtoA'] as number) || 0,
        startSec: 0,
        startNsec: 0,
        stopSec: 0,
        stopNsec: 0,
      });
    }
  }
  const tallies = new Map<string, ProtocolTally>();
  for (const [key, list] of Object.entries(protocols)) tallies.set(key, new Map(list.map(([name, packets, bytes]) => [name, { packets, bytes }])));
  return { file, rows, retired: 0, protocols: tallies, macAddresses: new Map() };
}

async function mergedGraph(traffic: readonly CaptureTraffic[], names: ReadonlyMap<string, string>, o: RollupOptions): Promise<string | undefined> {
  if (!traffic.some((t) => t.rows.length > 0)) return undefined;
  const { buildGraph } = await import('../graph/model.js');
  const { drawGraph } = await import('../graph/draw.js');
  const model = buildGraph(traffic, {
    layer: 'ip',
    weight: 'bytes',
    top: o.graphTop,
    names: o.names ? (address) => {
      const n = names.get(address);
      return n === undefined ? [] : [n];
    } : undefined,
  });
  if (model.nodes.length === 0) return undefined;
  try {
    const r = await drawGraph(model, {
      format: 'svg',
      title: `${traffic.length} capture${traffic.length === 1 ? '' : 's'}: hosts by bytes`,
      renderer: o.renderer ?? 'wasm',
      timeoutMs: o.layoutTimeoutSeconds * 1000,
      warn: o.warn,
      systemFallback: o.renderer === undefined,
    });
    return r.data.toString('utf8');
  } catch (e) {
    o.warn(`cannot lay out the merged conversation graph: ${(e as Error).message}`);
    return undefined;
  }
}
