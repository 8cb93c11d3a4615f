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
// tests; it loads the module by absolute URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(async ({ Graphviz }) => {
  const graphviz = await Graphviz.load();
  parentPort.on('message', ({ dot, engine }) => {
    const t0 = performance.now();
    try {
      const svg = graphviz.layout(dot, 'svg', engine);
      parentPort.postMessage({ ok: true, svg, ms: performance.now() - t0 });
    } catch (e) {
      parentPort.postMessage({ ok: false, message: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ ok: false, message: 'cannot load Graphviz (WebAssembly): ' + String((e && e.message) || e) }));
`;

let moduleUrl: string | undefined;
const wasmModuleUrl = (): string => (moduleUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('@hpcc-js/wasm-graphviz')).href);

type WorkerReply = { ready: true } | { ok: true; svg: string; ms: number } | { ok: false; message: string };

/** Lays out `dot` with the WebAssembly Graphviz in a worker; rejects with `LayoutError` on failure or after `timeoutMs`. */
export function layoutWasm(dot: string, engine: GraphEngine, timeoutMs: number): Promise<LayoutResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: wasmModuleUrl() } });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new LayoutError(`${engine} did not finish within ${Math.round(timeoutMs / 1000)} s`, true))), timeoutMs);
    worker.on('message', (m: WorkerReply) => {
      if ('ready' in m) worker.postMessage({ dot, engine });
      else if (m.ok) finish(() => resolve({ svg: m.svg, layoutMs: m.ms, totalMs: performance.now() - t0 }));
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
