/**
 * `pcapviz batch` and `pcapviz merge`. A batch finds the captures of its inputs by content, takes
 * its shard of them, skips those whose folder is up to date, runs the rest on a pool of worker
 * threads (one capture per task, each streamed), then builds the roll-up from every capture
 * folder's `summary.json`; `merge` builds the same roll-up from the folders of several batches.
 * Ctrl-C (or SIGTERM, SIGHUP) stops the workers and removes the temporary files of the captures
 * that were running, so no half-written file is left. The output folder must be new, empty, an
 * earlier run's output or forced (`outdir.ts`); every file is written through `util/output-file.ts`.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { EXIT, type ExitCode, warn, worstExit } from '../cli/output.js';
import { CAPTURE_OUTPUTS, type BatchAnalysis, type CaptureResult, type CaptureTask } from '../batch/capture-job.js';
import { discover } from '../batch/discover.js';
import { claimOutdir } from '../batch/outdir.js';
import { MANIFEST_NAME, SUMMARY_NAME, type CaptureManifest, type CaptureStatus, type CaptureSummaryFile } from '../batch/files.js';
import { isInside, makeOutputDir } from '../batch/paths.js';
import { Progress } from '../batch/progress.js';
import { buildRollup, Rollup, type RollupEntry } from '../batch/rollup.js';
import { byPath, parseShard, shardOf } from '../batch/shard.js';
import { copyAtomic, exitOnSignal, removeTempFiles, takeInterrupts, writeAtomic, writeErrorText } from '../util/output-file.js';
import { packageVersion, workerFile } from '../util/package-files.js';

export interface BatchOptions extends Omit<BatchAnalysis, 'outputs'> {
  readonly output: string;
  /** Per-capture files besides summary.json (comma lists allowed). */
  readonly outputs: readonly string[];
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly followSymlinks: boolean;
  /** Worker threads; undefined: the core count. */
  readonly jobs: number | undefined;
  readonly shard: string | undefined;
  readonly force: boolean;
  readonly parquet: boolean;
  readonly quiet: boolean;
  /** Milliseconds between plain progress lines when stderr is not a terminal. */
  readonly progressInterval?: number | undefined;
}

export interface MergeOptions {
  readonly output: string;
  readonly parquet: boolean;
  readonly graphTop: number;
  readonly names: boolean;
  readonly renderer: 'wasm' | 'system' | undefined;
  readonly layoutTimeoutSeconds: number;
  readonly quiet: boolean;
  /** Write into a folder that holds other files. */
  readonly force?: boolean;
}

/** `report.html,graph.svg` and repeats → the list, checked. */
export function parseOutputs(list: readonly string[]): string[] | string {
  const out: string[] = [];
  for (const name of list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    if (!(CAPTURE_OUTPUTS as readonly string[]).includes(name)) return `unknown output "${name}": choose from ${CAPTURE_OUTPUTS.join(', ')}`;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** What decides a capture's outputs: a folder made with another hash is made again. */
export function optionsHash(a: BatchAnalysis): string {
  const key = {
    version: packageVersion(),
    outputs: [...a.outputs].sort(),
    filter: a.filter ?? null,
    decodeAs: a.decodeAs,
    names: a.names,
    maxFlows: a.maxFlows ?? null,
    top: a.top,
    graphTop: a.graphTop,
    renderer: a.renderer ?? null,
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

async function upToDate(dir: string, t: { size: number; mtimeMs: number }, hash: string): Promise<CaptureManifest | undefined> {
  let m: CaptureManifest;
  try {
    m = JSON.parse(await readFile(join(dir, MANIFEST_NAME), 'utf8')) as CaptureManifest;
  } catch {
    return undefined;
  }
  if (m.version !== 1 || m.status === 'failed' || m.size !== t.size || m.mtimeMs !== t.mtimeMs || m.optionsHash !== hash) return undefined;
  for (const name of m.outputs) {
    try {
      await stat(join(dir, name));
    } catch {
      return undefined;
    }
  }
  return m;
}

const exitOf = (s: CaptureStatus): ExitCode => (s === 'ok' ? EXIT.OK : s === 'damaged' ? EXIT.DAMAGED : EXIT.FAILURE);

/** The roll-up, or a message when one of its files cannot be written. */
async function rollUp(outdir: string, entries: readonly RollupEntry[], o: Omit<Parameters<typeof buildRollup>[2], 'warn'>): Promise<Awaited<ReturnType<typeof buildRollup>> | string> {
  try {
    return await buildRollup(outdir, entries, { ...o, warn });
  } catch (e) {
    return rollupErrorText(outdir, e);
  }
}

/** The roll-up's options from a batch's or a merge's. */
function rollupOptions(
  o: Pick<BatchOptions, 'parquet' | 'graphTop' | 'names' | 'renderer' | 'layoutTimeoutSeconds'>,
  skipped: readonly string[],
): Omit<Parameters<typeof buildRollup>[2], 'warn'> {
  return { parquet: o.parquet, graphTop: o.graphTop, names: o.names, renderer: o.renderer, layoutTimeoutSeconds: o.layoutTimeoutSeconds, generator: `pcapviz ${packageVersion()}`, now: new Date(), skipped };
}

/** What went wrong writing a roll-up file, naming the file when the error does. */
function rollupErrorText(outdir: string, e: unknown): string {
  const path = (e as NodeJS.ErrnoException).path;
  return path !== undefined ? writeErrorText(path, e) : `cannot write the roll-up in ${outdir}: ${(e as Error).message}`;
}

export async function runBatch(inputs: readonly string[], o: BatchOptions): Promise<ExitCode> {
  const outputs = parseOutputs(o.outputs);
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const jobs = o.jobs ?? availableParallelism();
  const bad =
    typeof outputs === 'string' ? outputs
    : typeof shard === 'string' ? shard
    : !Number.isInteger(jobs) || jobs < 1 ? '--jobs must be a whole number of at least 1'
    : !Number.isInteger(o.top) || o.top < 1 ? '--top must be a whole number of at least 1'
    : !Number.isInteger(o.graphTop) || o.graphTop < 0 ? '--graph-top must be a whole number (0 keeps every host)'
    : o.maxFlows !== undefined && (!Number.isInteger(o.maxFlows) || o.maxFlows < 1) ? '--max-flows must be a whole number of at least 1'
    : undefined;
  if (bad !== undefined || typeof outputs === 'string' || typeof shard === 'string') {
    warn(bad!);
    return EXIT.FAILURE;
  }
  if (o.filter !== undefined || o.decodeAs.length > 0) {
    // Checked once here rather than failing in every worker.
    const { selectPackets } = await import('./selection.js');
    if (selectPackets(undefined, o.decodeAs, undefined, undefined, o.filter) === undefined) return EXIT.FAILURE;
  }
  const outdir = resolve(o.output);
  const found = await discover(inputs, { include: o.include, exclude: o.exclude, followSymlinks: o.followSymlinks, skipDir: outdir });
  for (const m of found.missing) warn(`cannot read ${m}`);
  // Output folders of an earlier batch inside an input are not captures, but skip them early.
  const captures = shardOf(found.captures.filter((c) => !isInside(outdir, c.path)), shard);
  let exit: ExitCode = found.missing.length > 0 ? EXIT.FAILURE : EXIT.OK;
  if (found.captures.length === 0) {
    warn(`no captures found in ${inputs.join(', ')}${found.skipped.length > 0 ? ` (${found.skipped.length} files that are not captures)` : ''}`);
    return EXIT.FAILURE;
  }
  const refused = await claimOutdir(outdir, o.output, o.force, { generator: `pcapviz ${packageVersion()}`, command: 'batch' });
  if (refused !== undefined) {
    warn(refused);
    return EXIT.FAILURE;
  }

  const analysis: BatchAnalysis = { ...o, outputs };
  const hash = optionsHash(analysis);
  const progress = new Progress(captures.length, captures.reduce((n, c) => n + c.size, 0), o.quiet, o.progressInterval ?? 10_000);
  const running = new Set<string>();
  let stopping: Promise<never> | undefined;
  const { Piscina } = await import('piscina');
  // Made when the first capture needs work, so a rerun with nothing to do starts no thread.
  let pool: InstanceType<typeof Piscina<CaptureTask, CaptureResult>> | undefined;
  const poolFor = (): InstanceType<typeof Piscina<CaptureTask, CaptureResult>> =>
    (pool ??= new Piscina<CaptureTask, CaptureResult>({
      filename: workerFile('batch/worker.js', 'batch-worker').href,
      minThreads: Math.min(jobs, captures.length),
      maxThreads: Math.min(jobs, captures.length),
      idleTimeout: 1000,
    }));
  const restore = takeInterrupts((signal) => {
    if (stopping !== undefined) return;
    // The folders of the captures running now: their tasks end (and leave `running`) as the pool goes.
    const unfinished = [...running];
    stopping = (async () => {
      progress.stop(false);
      warn(`interrupted (${signal}): stopping the workers and removing unfinished files`);
      await pool?.destroy().catch(() => undefined);
      // Twice: a file operation a worker had started may still land just after it stopped.
      for (let pass = 0; pass < 2; pass++) {
        if (pass > 0) await new Promise((r) => setTimeout(r, 100));
        await Promise.all([...unfinished, outdir].map((d) => removeTempFiles(d)));
      }
      exitOnSignal(signal);
      // The process ends there; nothing waiting on this goes on.
      return new Promise<never>(() => undefined);
    })();
  });

  // The roll-up takes each capture as soon as it and every capture sorted before it are done
  // (captures are in sorted order), on this thread while the workers go on.
  const rollup = new Rollup(outdir, {
    ...rollupOptions(o, found.skipped),
    warn,
  });
  try {
    await rollup.start();
  } catch (e) {
    restore();
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    warn(rollupErrorText(outdir, e));
    return EXIT.FAILURE;
  }
  const settled: (RollupEntry | null | undefined)[] = new Array<RollupEntry | null | undefined>(captures.length);
  let fed = 0;
  let feeding: Promise<void> = Promise.resolve();
  const settle = (i: number, entry: RollupEntry | null): void => {
    settled[i] = entry;
    feeding = feeding.then(async () => {
      while (fed < captures.length && settled[fed] !== undefined) {
        const e = settled[fed];
        settled[fed++] = null;
        if (e !== null && e !== undefined) await rollup.add(e);
      }
    });
  };

  /** One capture: its folder, skipped when up to date, else a task for the pool. */
  const one = async (i: number): Promise<void> => {
    let entry: RollupEntry | null = null;
    try {
      entry = await oneCapture(captures[i]!);
    } finally {
      if (stopping === undefined) settle(i, entry);
    }
  };
  const oneCapture = async (c: (typeof captures)[number]): Promise<RollupEntry | null> => {
    let dir: string;
    try {
      dir = await makeOutputDir(outdir, c.rel);
    } catch (e) {
      progress.say(`${c.rel}: ${(e as Error).message}`);
      exit = worstExit(exit, EXIT.FAILURE);
      progress.finished(true, c.size);
      return null;
    }
    const entry = { rel: c.rel, dir };
    const m = o.force ? undefined : await upToDate(dir, c, hash);
    if (m !== undefined) {
      progress.skip(c.size);
      exit = worstExit(exit, exitOf(m.status));
      return entry;
    }
    if (stopping !== undefined) return stopping;
    const task: CaptureTask = { path: c.path, rel: c.rel, dir, size: c.size, mtimeMs: c.mtimeMs, analysis, optionsHash: hash };
    running.add(dir);
    let r: CaptureResult;
    const channel = new MessageChannel();
    channel.port1.on('message', (msg: { packets: number }) => progress.read(msg.packets));
    try {
      r = await poolFor().run({ ...task, progress: channel.port2 }, { transferList: [channel.port2] });
    } catch (e) {
      if (stopping !== undefined) return stopping;
      r = { rel: c.rel, status: 'failed', error: `worker failed: ${(e as Error).message}`, packets: 0, ms: 0 };
      // Its row in the index says so (no manifest: the next run tries it again).
      const failed: CaptureSummaryFile = { kind: 'pcapviz-batch-capture', version: 1, generator: `pcapviz ${packageVersion()}`, capture: c.rel, status: 'failed', error: r.error, warnings: [], info: null, stats: null, graph: null, outputs: [] };
      await writeAtomic(join(dir, SUMMARY_NAME), `${JSON.stringify(failed, null, 2)}\n`).catch(() => undefined);
    } finally {
      running.delete(dir);
      channel.port1.close();
    }
    exit = worstExit(exit, exitOf(r.status));
    if (r.status !== 'ok') progress.say(`${r.status === 'damaged' ? 'warning: ' : ''}${c.rel} is ${r.status}: ${r.error ?? ''}`);
    progress.finished(r.status !== 'ok', c.size);
    return entry;
  };

  try {
    // A few captures per worker in flight: the pool always has the next one, and a huge
    // archive does not become a huge queue.
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < captures.length && stopping === undefined) {
        const i = next++;
        // The last capture is handed out (this happens once): the roll-up's graph can start loading.
        if (next === captures.length) void rollup.prepare().catch(() => undefined);
        await one(i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(captures.length, jobs * 2) }, runner));
    await pool?.destroy();
    if (stopping !== undefined) await stopping;
    await feeding;
    progress.stop(true);
    const r = await rollup.finish();
    if (!o.quiet) warn(`wrote ${outdir}: ${r.lines.length} captures, ${r.conversations} conversations, ${r.hosts} endpoints${found.skipped.length > 0 ? `; ${found.skipped.length} files were not captures` : ''}`);
  } catch (e) {
    await rollup.abort();
    // A roll-up file that cannot be written is said as such, not as an internal error.
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    warn(rollupErrorText(outdir, e));
    return EXIT.FAILURE;
  } finally {
    restore();
  }
  return exit;
}

/** Capture folders below `root`: every `summary.json` a batch wrote. */
async function findSummaries(root: string): Promise<{ rel: string; dir: string; status: CaptureStatus }[]> {
  const out: { rel: string; dir: string; status: CaptureStatus }[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) await visit(join(dir, e.name));
      else if (e.isFile() && e.name === SUMMARY_NAME) {
        try {
          const s = JSON.parse(await readFile(join(dir, e.name), 'utf8')) as CaptureSummaryFile;
          if (s.kind === 'pcapviz-batch-capture' && typeof s.capture === 'string') out.push({ rel: s.capture, dir, status: s.status });
        } catch {
          // not ours
        }
      }
    }
  };
  await visit(root);
  return out;
}

export async function runMerge(dirs: readonly string[], o: MergeOptions): Promise<ExitCode> {
  if (!Number.isInteger(o.graphTop) || o.graphTop < 0) {
    warn('--graph-top must be a whole number (0 keeps every host)');
    return EXIT.FAILURE;
  }
  const outdir = resolve(o.output);
  const refused = await claimOutdir(outdir, o.output, o.force === true, { generator: `pcapviz ${packageVersion()}`, command: 'merge' });
  if (refused !== undefined) {
    warn(refused);
    return EXIT.FAILURE;
  }
  // The roll-up and the copies are written in this thread: the CLI's handler removes their
  // temporary files on a signal.
  let exit: ExitCode = EXIT.OK;
  const byRel = new Map<string, RollupEntry>();
  for (const d of dirs) {
    const root = resolve(d);
    let found;
    try {
      await stat(root);
      found = await findSummaries(root);
    } catch {
      warn(`cannot read ${d}`);
      exit = EXIT.FAILURE;
      continue;
    }
    if (found.length === 0) warn(`${d} holds no batch output`);
    found.sort((a, b) => byPath(a.rel, b.rel));
    for (const f of found) {
      if (byRel.has(f.rel)) {
        warn(`${f.rel} is in more than one folder; the one in ${byRel.get(f.rel)!.dir} is kept`);
        continue;
      }
      // The capture's folder in the merged output, made safe the same way a batch makes it.
      let dest: string;
      try {
        dest = await makeOutputDir(outdir, f.rel);
        if (resolve(dest) !== resolve(f.dir)) {
          // Files only (a link in a source folder is not followed); a link at the destination is replaced.
          for (const name of await readdir(f.dir, { withFileTypes: true })) {
            if (!name.isFile() || name.name.startsWith('.')) continue;
            await copyAtomic(join(f.dir, name.name), join(dest, name.name));
          }
        }
      } catch (e) {
        const path = (e as NodeJS.ErrnoException).path;
        warn(`${f.rel}: ${path !== undefined ? writeErrorText(path, e) : (e as Error).message}`);
        exit = EXIT.FAILURE;
        continue;
      }
      byRel.set(f.rel, { rel: f.rel, dir: dest });
      exit = worstExit(exit, exitOf(f.status));
    }
  }
  if (byRel.size === 0) {
    warn('no capture folders to merge');
    return EXIT.FAILURE;
  }
  const r = await rollUp(outdir, [...byRel.values()], rollupOptions(o, []));
  if (typeof r === 'string') {
    warn(r);
    return EXIT.FAILURE;
  }
  if (!o.quiet) warn(`wrote ${outdir}: ${r.lines.length} captures, ${r.conversations} conversations, ${r.hosts} endpoints`);
  return exit;
}
