/**
 * The loop every packet command shares: open each capture, dissect every frame once, report
 * unreadable and damaged files on stderr, and say which exit code the run deserves.
 */
import { CaptureError } from '../capture/errors.js';
import type { CaptureReader } from '../capture/read-capture.js';
import { openCapture } from '../capture/read-capture.js';
import { Dissector, type DissectOptions } from '../dissect/dissect-packet.js';
import type { Registry } from '../dissect/registry.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { stat } from 'node:fs/promises';
import { EXIT, type ExitCode, warn, worstExit } from '../cli/output.js';
import { createJob, type JobSpec, shardable } from './packet-jobs.js';
import { parallelMinBytes, parallelThreads, runParallel } from './parallel/parallel-loop.js';

export interface PacketLoopHooks {
  /** Called for each packet; may return a promise (to wait for output to drain). */
  readonly packet: (p: DissectedPacket, reader: CaptureReader) => void | Promise<void>;
  /** Called after each readable capture (also after a damaged one). */
  readonly end?: (reader: CaptureReader) => void | Promise<void>;
  /** Stop early (e.g. `-c N`): return true to stop reading. */
  readonly done?: () => boolean;
}

/** Runs `hooks` over every packet of every capture; returns the exit code. */
export async function forEachPacket(
  paths: readonly string[],
  registry: Registry,
  options: DissectOptions,
  hooks: PacketLoopHooks,
): Promise<ExitCode> {
  let exit: ExitCode = EXIT.OK;
  for (const path of paths) {
    if (hooks.done?.()) break;
    let reader: CaptureReader;
    try {
      reader = await openCapture(path);
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      warn(e.message);
      exit = worstExit(exit, EXIT.FAILURE);
      continue;
    }
    const dissector = new Dissector(registry, options);
    let packets = 0;
    try {
      outer: for await (const batch of reader.batches()) {
        for (const frame of batch) {
          if (hooks.done?.()) break outer;
          packets++;
          const r = hooks.packet(dissector.dissect(frame), reader);
          if (r !== undefined) await r;
        }
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      warn(e.message);
      exit = worstExit(exit, EXIT.FAILURE);
      continue;
    } finally {
      await reader.close();
    }
    if (reader.damage !== undefined) {
      const d = reader.damage;
      warn(`warning: ${reader.name} is damaged: ${d.message}${d.offset >= 0 ? ` at byte ${d.offset}` : ''}; ${packets} packets read before it`);
      exit = worstExit(exit, EXIT.DAMAGED);
    }
    await hooks.end?.(reader);
  }
  return exit;
}

export interface RecordLoopOptions {
  readonly registry: Registry;
  /** The `--decode-as` rules the registry was made with (workers rebuild it from them). */
  readonly decodeAs: readonly string[];
  /** Whether frames may be spread over worker threads (no packet selection, a shardable job). */
  readonly parallel: boolean;
}

export interface RecordHooks {
  /** Called with each packet's record in capture order; may return a promise (output draining). */
  readonly record: (text: string, index: number) => void | Promise<void>;
  /** Stop early (e.g. `-c N`): return true to stop reading (single-thread runs only). */
  readonly done?: () => boolean;
  /** Called after each readable capture. */
  readonly end?: () => void;
}

/**
 * Runs a job (`list` lines, `fields` rows) over every packet of every capture, in worker
 * threads for large files when allowed, else in this thread; same output either way.
 */
export async function forEachRecord(paths: readonly string[], spec: JobSpec, o: RecordLoopOptions, hooks: RecordHooks): Promise<ExitCode> {
  const job = createJob(spec, o.registry);
  const threads = o.parallel && shardable(spec) ? parallelThreads() : 1;
  let exit: ExitCode = EXIT.OK;
  for (const path of paths) {
    if (hooks.done?.()) break;
    let reader: CaptureReader;
    try {
      reader = await openCapture(path);
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      warn(e.message);
      exit = worstExit(exit, EXIT.FAILURE);
      continue;
    }
    let packets = 0;
    try {
      if (threads > 1 && path !== '-' && (await fileSize(path)) >= parallelMinBytes()) {
        let written = 0;
        packets = await runParallel(reader, spec, o.decodeAs, threads, (text) => hooks.record(text, ++written));
      } else {
        const dissector = new Dissector(o.registry, job.dissect);
        job.reset();
        outer: for await (const batch of reader.batches()) {
          for (const frame of batch) {
            if (hooks.done?.()) break outer;
            packets++;
            const r = hooks.record(job.record(dissector.dissect(frame)), frame.index);
            if (r !== undefined) await r;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      warn(e.message);
      exit = worstExit(exit, EXIT.FAILURE);
      continue;
    } finally {
      await reader.close();
    }
    if (reader.damage !== undefined) {
      const d = reader.damage;
      warn(`warning: ${reader.name} is damaged: ${d.message}${d.offset >= 0 ? ` at byte ${d.offset}` : ''}; ${packets} packets read before it`);
      exit = worstExit(exit, EXIT.DAMAGED);
    }
    hooks.end?.();
  }
  return exit;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Parses Wireshark "Decode As" rules: `udp.port==9999,dns` → `{ 'udp.port': { 9999: 'dns' } }`.
 * Throws with a message naming the bad rule.
 */
export function parseDecodeAs(rules: readonly string[], registry: Registry): Record<string, Record<number, string>> {
  const out: Record<string, Record<number, string>> = {};
  for (const rule of rules) {
    const m = /^\s*([a-z0-9_.]+)\s*==\s*(0x[0-9a-f]+|\d+)\s*,\s*([a-z0-9_.]+)\s*$/i.exec(rule);
    if (!m) throw new Error(`bad --decode-as rule "${rule}": expected TABLE==VALUE,PROTOCOL such as udp.port==9999,dns`);
    const proto = m[3]!.toLowerCase();
    if (!registry.protocols.has(proto)) throw new Error(`--decode-as: unknown protocol "${m[3]}"`);
    (out[m[1]!.toLowerCase()] ??= {})[Number(m[2])] = proto;
  }
  return out;
}
