/**
 * One capture of a batch, as a worker runs it: one summary-mode pass (`collectCapture`) gives
 * the `info` figures, every stats table, names and the graph's conversations; from it come
 * `summary.json` and whatever report or graph files were asked for, each written to a temporary
 * name and renamed, and last the manifest that says the folder is complete for these options.
 */
import type { MessagePort } from 'node:worker_threads';
import { join } from 'node:path';
import { DEFAULT_MAX_FLOWS } from '../analyze/flow-table.js';
import type { CollectedCapture } from '../report/collect.js';
import type { StatsSettings } from '../run/stats/table.js';
import { writeAtomic, removeTempFiles } from '../util/output-file.js';
import { packageVersion } from '../util/package-files.js';
import { MANIFEST_NAME, SUMMARY_NAME, type CaptureManifest, type CaptureStatus, type CaptureSummaryFile, type GraphProtocols } from './files.js';

/** What the batch asks of every capture (plain data: it crosses to the workers). */
export interface BatchAnalysis {
  readonly outputs: readonly string[];
  readonly filter: string | undefined;
  readonly decodeAs: readonly string[];
  readonly names: boolean;
  readonly maxFlows: number | undefined;
  /** Rows per report table. */
  readonly top: number;
  /** Hosts kept in graphs. */
  readonly graphTop: number;
  readonly renderer: 'wasm' | 'system' | undefined;
  readonly layoutTimeoutSeconds: number;
}

export interface CaptureTask {
  /** Where to post `{packets}` now and then while the capture is read. */
  readonly progress?: MessagePort | undefined;
  readonly path: string;
  readonly rel: string;
  /** The capture's output folder (made and checked by the main thread). */
  readonly dir: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly analysis: BatchAnalysis;
  readonly optionsHash: string;
}

export interface CaptureResult {
  readonly rel: string;
  readonly status: CaptureStatus;
  readonly error: string | undefined;
  readonly packets: number;
  readonly ms: number;
}

/** Per-capture files `--outputs` may name. */
export const CAPTURE_OUTPUTS = ['report.html', 'report.pdf', 'report.md', 'report.json', 'graph.svg', 'graph.png', 'graph.pdf', 'graph.dot', 'graph.json'] as const;

/** The stats settings of a batch: every row of every table kept (as `report` keeps them). */
export function batchSettings(a: BatchAnalysis): StatsSettings {
  return { types: undefined, format: 'json', top: undefined, sort: undefined, maxFlows: a.maxFlows ?? DEFAULT_MAX_FLOWS, names: a.names, intervalNs: 1e9 };
}

/** Runs one capture; `warnings` collects what the run would have said on stderr. */
export async function runCaptureTask(t: CaptureTask, warnings: string[]): Promise<CaptureResult> {
  const started = performance.now();
  const say = (m: string): void => {
    warnings.push(m);
  };
  await removeTempFiles(t.dir);
  const [{ collectCapture }, { selectPackets }, { STATS_TABLE_DEFS }, { infoJson }] = await Promise.all([
    import('../report/collect.js'),
    import('../run/selection.js'),
    import('../run/stats/index.js'),
    import('../render/info/info-report.js'),
  ]);
  const a = t.analysis;
  const settings = batchSettings(a);
  const generator = `pcapviz ${packageVersion()}`;
  let status: CaptureStatus = 'ok';
  let error: string | undefined;
  let capture: CollectedCapture | undefined;
  const sel = selectPackets(undefined, a.decodeAs, undefined, undefined, a.filter);
  if (sel === undefined) {
    status = 'failed';
    error = warnings.join('; ') || 'bad --filter or --decode-as';
  } else {
    try {
      let pending = 0;
      let last = performance.now();
      const onPacket = t.progress === undefined ? undefined : (): void => {
        // A clock read every 1,024 packets; a message at most four times a second.
        if ((++pending & 1023) !== 0) return;
        const now = performance.now();
        if (now - last < 250) return;
        last = now;
        t.progress!.postMessage({ packets: pending });
        pending = 0;
      };
      const r = await collectCapture(t.path, { registry: sel.registry, filter: sel.filter, settings, graphLayer: 'ip', dump: 0, onPacket });
      if (pending > 0) t.progress?.postMessage({ packets: pending });
      capture = r.capture;
      if (capture === undefined) {
        status = 'unreadable';
        error = lastMessage(warnings) ?? 'cannot read the capture';
      } else if (capture.summary.damage !== undefined) {
        const d = capture.summary.damage;
        status = 'damaged';
        error = `${d.message}${d.offset >= 0 ? ` at byte ${d.offset}` : ''}; ${capture.summary.packets} packets read before it`;
      }
    } catch (e) {
      status = 'failed';
      error = `internal error: ${(e as Error).message}`;
    }
  }

  // Messages name the capture by its relative path, not where this machine keeps it.
  const local = (m: string): string => m.split(t.path).join(t.rel);
  if (error !== undefined) error = local(error);
  for (let i = 0; i < warnings.length; i++) warnings[i] = local(warnings[i]!);
  const written: string[] = [];
  let summaryFile: CaptureSummaryFile;
  if (capture !== undefined) {
    const ctx = { settings, names: capture.names };
    const info = infoJson(capture.summary);
    info['file'] = t.rel;
    summaryFile = {
      kind: 'pcapviz-batch-capture',
      version: 1,
      generator,
      capture: t.rel,
      status,
      error,
      warnings: [],
      info,
      stats: Object.fromEntries(STATS_TABLE_DEFS.map((d) => [d.name, d.json(capture.stats.get(d.name), ctx)])),
      graph: capture.traffic === undefined ? { protocols: {} } : { protocols: graphProtocols(capture.traffic.protocols) },
      outputs: [],
    };
    // The requested files; one failing is recorded, the others are still made.
    for (const name of a.outputs) {
      try {
        const data = await makeOutput(name, capture, a, settings, generator, say);
        if (data === undefined) continue;
        await writeAtomic(join(t.dir, name), data);
        written.push(name);
      } catch (e) {
        say(`cannot make ${name}: ${(e as Error).message}`);
        if (status === 'ok') {
          status = 'failed';
          error = `cannot make ${name}: ${(e as Error).message}`;
        }
      }
    }
    summaryFile = { ...summaryFile, status, error, outputs: written, warnings: warnings.map(local) };
  } else {
    summaryFile = { kind: 'pcapviz-batch-capture', version: 1, generator, capture: t.rel, status, error, warnings: warnings.map(local), info: null, stats: null, graph: null, outputs: [] };
  }
  await writeAtomic(join(t.dir, SUMMARY_NAME), `${JSON.stringify(summaryFile, null, 2)}\n`);
  const manifest: CaptureManifest = { version: 1, capture: t.rel, size: t.size, mtimeMs: t.mtimeMs, optionsHash: t.optionsHash, outputs: [SUMMARY_NAME, ...written], status };
  await writeAtomic(join(t.dir, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
  return { rel: t.rel, status, error, packets: capture?.summary.packets ?? 0, ms: performance.now() - started };
}

function lastMessage(warnings: readonly string[]): string | undefined {
  const m = warnings.at(-1);
  return m?.replace(/^pcapviz: /, '').trim();
}

/** The graph's per-conversation protocol tallies as plain JSON: key → [[protocol, packets, bytes], ...]. */
function graphProtocols(p: ReadonlyMap<string, ReadonlyMap<string, { packets: number; bytes: number }>>): GraphProtocols {
  const out: Record<string, [string, number, number][]> = {};
  for (const [key, tally] of p) out[key] = [...tally].map(([name, c]) => [name, c.packets, c.bytes]);
  return out;
}

async function makeOutput(name: string, c: CollectedCapture, a: BatchAnalysis, settings: StatsSettings, generator: string, say: (m: string) => void): Promise<Uint8Array | string | undefined> {
  const [stem, ext] = name.split('.') as [string, string];
  if (stem === 'report') {
    const { buildReport } = await import('../report/build.js');
    const { DEFAULT_SECTIONS } = await import('../report/model.js');
    const { renderReport } = await import('../run/run-report.js');
    const d = c.summary.damage;
    const report = await buildReport(c, {
      sections: DEFAULT_SECTIONS,
      top: a.top,
      graphTop: a.graphTop,
      settings,
      filter: a.filter,
      generator,
      now: new Date(),
      renderer: a.renderer ?? 'wasm',
      layoutTimeoutMs: a.layoutTimeoutSeconds * 1000,
      warn: say,
      warnings: d === undefined ? [] : [`The capture is damaged: ${d.message}${d.offset >= 0 ? ` at byte ${d.offset}` : ''}; the ${c.summary.packets} packets before it are reported.`],
    });
    return renderReport(report, ext as 'html' | 'pdf' | 'md' | 'json');
  }
  if (c.traffic === undefined) return undefined;
  const { buildGraph } = await import('../graph/model.js');
  const { drawGraph } = await import('../graph/draw.js');
  const { graphTitle, nameLookup } = await import('../run/run-graph.js');
  const model = buildGraph([c.traffic], { layer: 'ip', weight: 'bytes', top: a.graphTop, names: a.names ? nameLookup(c.names, [c.traffic], 'ip') : undefined });
  const r = await drawGraph(model, { format: ext as 'svg', title: graphTitle(model), renderer: a.renderer ?? 'wasm', timeoutMs: a.layoutTimeoutSeconds * 1000, warn: say, systemFallback: a.renderer === undefined });
  return r.data;
}
