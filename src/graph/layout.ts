/**
 * Graphviz layout to SVG. By default the WebAssembly build (`@hpcc-js/wasm-graphviz`), run in a
 * worker thread so that a layout that runs too long can be stopped and one that crashes the
 * WebAssembly module leaves nothing broken behind; `system` runs the installed `dot` as a child
 * process, killed when it runs too long.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GraphEngine } from './constants.js';

export type { GraphRenderer } from './constants.js';

/** A layout that failed: Graphviz's own message, or that it ran out of time. */
export class LayoutError extends Error {
  readonly timedOut: boolean;
  constructor(message: string, timedOut = false) {
    super(message);
    this.name = 'LayoutError';
    this.timedOut = timedOut;
  }
}

export interface LayoutResult {
  readonly svg: string;
  /** Milliseconds spent in the layout itself (not loading the WebAssembly module). */
  readonly layoutMs: number;
  /** Milliseconds from the start, loading included. */
  readonly totalMs: number;
}

// The worker's code, kept here as text so it runs the same from dist/ and from the sources in
// tests; it loads the module by absolute URL. A worker started ahead of time (`prepareWasmLayout`)
// lays out a small graph with each engine it is told to warm, so that the real layout finds the
// module's code compiled; it stops warming as soon as the real layout is asked for.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(async ({ Graphviz }) => {
  const graphviz = await Graphviz.load();
  let asked = false;
  parentPort.on('message', ({ dot, engine }) => {
    asked = true;
    const t0 = performance.now();
    try {
      const svg = graphviz.layout(dot, 'svg', engine);
      parentPort.postMessage({ ok: true, svg, ms: performance.now() - t0 });
    } catch (e) {
      parentPort.postMessage({ ok: false, message: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
  const warm = [...workerData.warm];
  const step = () => {
    if (asked || warm.length === 0) return;
    try { graphviz.layout(workerData.warmDot, 'svg', warm.shift()); } catch {}
    setImmediate(step);
  };
  setImmediate(step);
}, (e) => parentPort.postMessage({ ok: false, message: 'cannot load Graphviz (WebAssembly): ' + String((e && e.message) || e) }));
`;

/** A small graph drawn the way ours are (HTML-like labels, tooltips, edge labels, styles), for warming. */
const WARM_DOT = `digraph w {
  overlap=false; sep="+8"; outputorder=edgesfirst; fontname="DejaVu Sans";
  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=10, margin="0.12,0.06"];
  edge [fontname="DejaVu Sans", fontsize=9, arrowsize=0.6];
  ${Array.from({ length: 12 }, (_, i) => `n${i} [label=<<b>host-${i}.example</b><br/>10.0.0.${i}<br/><font point-size="9">${i * 37} pkts</font>>, tooltip="host ${i}", fillcolor="#e3ecf7"];`).join('\n  ')}
  ${Array.from({ length: 20 }, (_, i) => `n${i % 12} -> n${(i * 5 + 1) % 12} [label="${i} pkts", tooltip="edge ${i}", penwidth=${1 + (i % 4)}, color="#3b82f6"];`).join('\n  ')}
}`;

let moduleUrl: string | undefined;
const wasmModuleUrl = (): string => (moduleUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('@hpcc-js/wasm-graphviz')).href);

type WorkerReply = { ready: true } | { ok: true; svg: string; ms: number } | { ok: false; message: string };

interface LayoutWorker {
  readonly worker: Worker;
  /** The worker's first message: ready, or why it could not load Graphviz. */
  readonly first: Promise<WorkerReply>;
}

function startWorker(warm: readonly GraphEngine[]): LayoutWorker {
  // No inherited execArgv: the source is CommonJS whatever the parent was started with (--input-type).
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module: wasmModuleUrl(), warm, warmDot: WARM_DOT } });
  const first = new Promise<WorkerReply>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ ok: false, message: e.message }));
    worker.once('exit', (code) => resolve({ ok: false, message: `the layout worker stopped (exit code ${code})` }));
  });
  return { worker, first };
}

let spare: LayoutWorker | undefined;

/**
 * Starts the WebAssembly Graphviz in a worker now, while the captures are still being read, and
 * warms `engines` in it; the next `layoutWasm` uses that worker. It does not keep the process
 * alive: a run that ends before drawing exits as usual.
 */
export function prepareWasmLayout(engines: readonly GraphEngine[]): void {
  if (spare !== undefined) return;
  spare = startWorker(engines);
  spare.worker.unref();
}

/** Lays out `dot` with the WebAssembly Graphviz in a worker; rejects with `LayoutError` on failure or after `timeoutMs`. */
export function layoutWasm(dot: string, engine: GraphEngine, timeoutMs: number): Promise<LayoutResult> {
  const t0 = performance.now();
  const { worker, first } = spare ?? startWorker([]);
  spare = undefined;
  worker.ref();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new LayoutError(`${engine} did not finish within ${Math.round(timeoutMs / 1000)} s`, true))), timeoutMs);
    void first.then((m) => {
      if ('ready' in m) worker.postMessage({ dot, engine });
      else if (!m.ok) finish(() => reject(new LayoutError(m.message)));
    });
    worker.on('message', (m: WorkerReply) => {
      if ('ready' in m) return;
      if (m.ok) finish(() => resolve({ svg: m.svg, layoutMs: m.ms, totalMs: performance.now() - t0 }));
      else finish(() => reject(new LayoutError(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(new LayoutError(e.message))));
    worker.on('exit', (code) => finish(() => reject(new LayoutError(`the layout worker stopped (exit code ${code})`))));
  });
}

/**
 * Lays out `dot` with the installed Graphviz (`dot -K<engine> -Tsvg`), stopping it after
 * `timeoutMs`. The process is ours to kill: a layout that runs out of time leaves nothing behind.
 * (ts-graphviz's adapter starts the same command but gives no way to stop it.)
 */
export async function layoutSystem(dot: string, engine: GraphEngine, timeoutMs: number, command = 'dot'): Promise<LayoutResult> {
  const { spawn } = await import('node:child_process');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-q', '-Tsvg', `-K${engine}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new LayoutError(`${engine} (system Graphviz) did not finish within ${Math.round(timeoutMs / 1000)} s`, true)));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish(() => reject(new LayoutError(e.code === 'ENOENT' ? "Graphviz's dot command was not found" : e.message))),
    );
    child.on('close', (code, signal) =>
      finish(() => {
        if (code === 0) {
          const ms = performance.now() - t0;
          resolve({ svg: Buffer.concat(out).toString('utf8'), layoutMs: ms, totalMs: ms });
        } else {
          const why = Buffer.concat(err).toString('utf8').replace(/\s+/g, ' ').trim();
          reject(new LayoutError(`${command} -K${engine} failed (${signal ?? `exit code ${code}`})${why ? `: ${why}` : ''}`));
        }
      }),
    );
    // A dot that exits early closes its input: that is reported by 'close', not as a write error.
    child.stdin.on('error', () => {});
    child.stdin.end(dot);
  });
}

/** Whether the installed Graphviz can be run (`dot -V`). */
export async function systemGraphvizAvailable(): Promise<boolean> {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('dot', ['-V'], { stdio: 'ignore' });
  return r.status === 0;
}
