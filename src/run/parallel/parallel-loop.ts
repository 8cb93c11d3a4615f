/**
 * The packet loop spread over worker threads. The main thread reads the capture, sends each
 * frame to the worker of its conversation (`shardOf`), and writes the workers' records back
 * in capture order. Each worker sees all the frames of its conversations in order, so
 * stateful dissection (TCP analysis, TLS versions) gives what one thread would give; frames
 * that may announce media sessions (SIP, SDP) go to every worker, silent in all but their owner.
 *
 * Memory stays bounded: at most `MAX_OUTSTANDING` batches per worker are sent and not yet
 * written; when the next record to write is still in a batch being filled, that batch is sent.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Frame, TimeReference } from '../../capture/frame.js';
import type { CaptureReader } from '../../capture/read-capture.js';
import type { JobSpec } from '../packet-jobs.js';
import { mayAnnounceMedia } from '../../dissect/protocols/media-sessions.js';
import { Clock } from '../clock.js';
import { FrameBatchBuilder } from './frame-batch.js';
import { shardOf } from './shard.js';
import { workerFile } from '../../util/package-files.js';
import type { FromWorker, ToWorker } from './worker.js';

/** Batches per worker sent and not yet written. */
const MAX_OUTSTANDING = 4;

/**
 * Worker threads to use: `PCAPVIZ_THREADS` when set, else 1 (everything in the main thread).
 * Measured on the 2-core machine we build on, workers lose: the main thread's reading and
 * ordering compete with them for the cores, and each isolate's heap adds to peak memory
 * (docs/ARCHITECTURE.md); so they are opt-in until measured on larger machines.
 */
export function parallelThreads(): number {
  const env = Number(process.env['PCAPVIZ_THREADS']);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 16, Math.max(1, availableParallelism() * 2));
  return 1;
}

/** Captures smaller than this (bytes) are read in one thread: workers cost more than they save. */
export function parallelMinBytes(): number {
  const env = Number(process.env['PCAPVIZ_PARALLEL_MIN_BYTES']);
  return Number.isFinite(env) && env >= 0 && process.env['PCAPVIZ_PARALLEL_MIN_BYTES'] !== '' ? env : 16 * 1024 * 1024;
}

interface Results {
  readonly text: string;
  readonly ends: Int32Array;
  next: number;
  pos: number;
}

/**
 * Runs `spec` over every frame of `reader` on `threads` workers; `emit` gets each record in
 * capture order (it may return a promise to wait for output to drain). Returns the number of
 * frames read. Reader errors propagate after the records of the frames read before them.
 */
export async function runParallel(
  reader: CaptureReader,
  spec: JobSpec,
  decodeAs: readonly string[],
  threads: number,
  emit: (record: string) => void | Promise<void>,
): Promise<number> {
  const workers: Worker[] = [];
  const builders: FrameBatchBuilder[] = [];
  const queues: Results[][] = [];
  const outstanding: number[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  for (let i = 0; i < threads; i++) {
    // A small young generation: a worker's garbage is short-lived, and each isolate's heap
    // counts toward the process's peak memory.
    const w = new Worker(workerFile('run/parallel/worker.js', 'list-worker'), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    const job: ToWorker = { type: 'job', spec, decodeAs };
    w.postMessage(job);
    w.on('message', (m: FromWorker) => {
      if (m.type === 'error') failure ??= new Error(`worker: ${m.message}`);
      else {
        // A batch of silent frames only has no records to write.
        if (m.ends.length > 0) queues[i]!.push({ text: m.text, ends: m.ends, next: 0, pos: 0 });
        else outstanding[i]!--;
        builders[i]!.recycle(m.data, m.meta);
      }
      signal();
    });
    w.on('error', (e) => {
      failure ??= e;
      signal();
    });
    w.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`worker exited with code ${code}`);
      signal();
    });
    workers.push(w);
    builders.push(new FrameBatchBuilder());
    queues.push([]);
    outstanding.push(0);
  }

  // Shards of the frames sent and not yet written, in capture order.
  let order = new Uint8Array(1 << 16);
  let head = 0;
  let tail = 0;
  const send = (s: number): void => {
    const b = builders[s]!;
    if (b.count === 0) return;
    const batch = b.take();
    const m: ToWorker = { type: 'batch', batch };
    workers[s]!.postMessage(m, [batch.data, batch.meta.buffer]);
    outstanding[s]!++;
  };
  /** Writes every record that is ready, in order. */
  const writeReady = async (): Promise<void> => {
    while (head < tail) {
      const s = order[head]!;
      const q = queues[s]!;
      const r = q[0];
      if (r === undefined) return;
      const end = r.ends[r.next]!;
      const record = r.text.slice(r.pos, end);
      r.pos = end;
      if (++r.next === r.ends.length) {
        q.shift();
        outstanding[s]!--;
      }
      head++;
      const p = emit(record);
      if (p !== undefined) await p;
    }
  };
  /** Writes what is ready; waits while too much is outstanding (or, at the end, until all is written). */
  const drain = async (final: boolean): Promise<void> => {
    for (;;) {
      if (failure !== undefined) throw failure;
      await writeReady();
      if (head === tail) return;
      if (!final && outstanding.every((n) => n < MAX_OUTSTANDING)) return;
      // The next record to write may sit in a batch still being filled: send it.
      const s = order[head]!;
      if (queues[s]!.length === 0 && outstanding[s] === 0) send(s);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };

  const clock = new Clock();
  let packets = 0;
  try {
    try {
      for await (const batch of reader.batches()) {
        for (const frame of batch) {
          const s = threads === 1 ? 0 : shardOf(frame, threads);
          clock.before(frame);
          builders[s]!.add(frame, clock);
          // Signalling that may announce media (SIP, SDP) sets up conversations between any
          // hosts: every worker dissects it, only its owner writes its record.
          if (threads > 1 && mayAnnounceMedia(frame.data)) {
            for (let t = 0; t < threads; t++) {
              if (t === s) continue;
              builders[t]!.add(frame, clock, true);
              if (builders[t]!.full) send(t);
            }
          }
          clock.after(frame);
          if (tail === order.length) {
            // Compact, or grow when most of the queue is still unwritten.
            if (head > order.length / 2) {
              order.copyWithin(0, head, tail);
              tail -= head;
              head = 0;
            } else {
              const bigger = new Uint8Array(order.length * 2);
              bigger.set(order);
              order = bigger;
            }
          }
          order[tail++] = s;
          packets++;
          if (builders[s]!.full) send(s);
        }
        await drain(false);
      }
    } finally {
      // Frames read before a damaged part still get their records.
      if (failure === undefined) {
        for (let s = 0; s < threads; s++) send(s);
        await drain(true);
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return packets;
}
