/**
 * The loop every packet command shares: open each capture, dissect every frame once, report
 * unreadable and damaged files on stderr, and say which exit code the run deserves.
 */
import { CaptureError } from '../capture/errors.js';
import type { Frame } from '../capture/frame.js';
import type { CaptureReader } from '../capture/read-capture.js';
import { openCapture } from '../capture/read-capture.js';
import { Dissector, type DissectOptions } from '../dissect/dissect-packet.js';
import { KeyLog } from '../dissect/keylog.js';
import type { Registry } from '../dissect/registry.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { type DisplayFilter, filterDissectOptions } from '../filter/index.js';
import { stat } from 'node:fs/promises';
import { EXIT, type ExitCode, warn, worstExit } from '../cli/output.js';
import type { TextParts } from '../render/text-safety.js';
import { createJob, type JobSpec, shardable } from './packet-jobs.js';
import { parallelMinBytes, parallelThreads, runParallel } from './parallel/parallel-loop.js';
import { HeaderPackets } from './header-packet.js';
import { dissectPlanned, planMatches, twoPassFile, twoPassFilter } from './two-pass.js';

export interface PacketLoopHooks {
  /** Called for each packet; may return a promise (to wait for output to drain). */
  readonly packet: (p: DissectedPacket, reader: CaptureReader) => void | Promise<void>;
  /**
   * Offered each frame before it is dissected (not with a display filter): return true when it
   * was read another way (`HeaderTaps`), and it is then neither dissected nor given to `packet`.
   * `dissector` is the capture's, for state the two ways share.
   */
  readonly frame?: (f: Frame, dissector: Dissector, reader: CaptureReader) => boolean;
  /** Called after each readable capture (also after a damaged one). */
  readonly end?: (reader: CaptureReader) => void | Promise<void>;
  /** Stop early (e.g. `-c N`): return true to stop reading. */
  readonly done?: () => boolean;
}

/**
 * Opens each capture in turn and lets `read` consume it (returning how many frames it read);
 * reports unreadable and damaged files on stderr and returns the exit code the run deserves.
 * Both packet loops below go through here.
 */
async function eachCapture(
  paths: readonly string[],
  done: (() => boolean) | undefined,
  read: (reader: CaptureReader, path: string) => Promise<number>,
  end: (reader: CaptureReader) => void | Promise<void>,
): Promise<ExitCode> {
  let exit: ExitCode = EXIT.OK;
  for (const path of paths) {
    if (done?.()) break;
    let reader: CaptureReader;
    try {
      reader = await openCapture(path);
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      warn(e.message);
      exit = worstExit(exit, EXIT.FAILURE);
      continue;
    }
    let packets: number;
    try {
      packets = await read(reader, path);
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
    await end(reader);
  }
  return exit;
}

/**
 * Dissects every frame of `reader` in this thread, handing each packet to `each`; returns the
 * count. With `headers`, plain frames are read as header packets instead (a `select` run whose
 * keys are all header fields gets the same values).
 */
async function dissectAll(
  reader: CaptureReader,
  dissector: Dissector,
  done: (() => boolean) | undefined,
  each: (p: DissectedPacket) => void | Promise<void>,
  headers?: HeaderPackets,
  taken?: (f: Frame) => boolean,
): Promise<number> {
  let packets = 0;
  for await (const batch of reader.batches()) {
    for (let i = 0; i < batch.length; i++) {
      if (done?.()) return packets;
      packets++;
      const f = batch[i]!;
      if (taken?.(f) === true) continue;
      const r = each(headers?.read(f) ?? dissector.dissect(f));
      if (r !== undefined) await r;
    }
  }
  return packets;
}

/** The TLS secrets of one capture: its own secrets blocks, then the user's key log (`--tls-keylog`). */
function captureKeys(reader: CaptureReader, user: KeyLog | undefined): KeyLog | undefined {
  return reader.secrets.length === 0 && reader.format !== 'pcapng' ? user : new KeyLog({ fallback: user, blocks: reader.secrets });
}

/**
 * Runs `hooks` over every packet of every capture; returns the exit code. With a display
 * filter, every frame is still dissected (stateful analysis sees them all, as tshark's single
 * pass does) but only the packets that pass reach `hooks.packet`.
 */
export function forEachPacket(paths: readonly string[], registry: Registry, options: DissectOptions, hooks: PacketLoopHooks, filter?: DisplayFilter): Promise<ExitCode> {
  const dissect = filterDissectOptions(options, filter, registry);
  return eachCapture(
    paths,
    hooks.done,
    (reader) => {
      const dissector = new Dissector(registry, { ...dissect, keyLog: captureKeys(reader, options.keyLog) });
      const frame = filter === undefined ? hooks.frame : undefined;
      return dissectAll(
        reader,
        dissector,
        hooks.done,
        (p) => (filter === undefined || filter.matches(p) ? hooks.packet(p, reader) : undefined),
        undefined,
        frame === undefined ? undefined : (f) => frame(f, dissector, reader),
      );
    },
    (reader) => hooks.end?.(reader),
  );
}

export interface RecordLoopOptions {
  readonly registry: Registry;
  /** The `--decode-as` rules the registry was made with (workers rebuild it from them). */
  readonly decodeAs: readonly string[];
  /** Whether frames may be spread over worker threads (no packet selection, a shardable job). */
  readonly parallel: boolean;
  /** The user's TLS key log (`--tls-keylog`); runs with one stay in this thread. */
  readonly keyLog?: KeyLog | undefined;
  /** The display filter (`-Y`); filtered runs stay in this thread. */
  readonly filter?: DisplayFilter | undefined;
}

export interface RecordHooks {
  /** Called with each packet's record in capture order; may return a promise (output draining). */
  readonly record: (text: string | TextParts, index: number) => void | Promise<void>;
  /** Stop early (e.g. `-c N`): return true to stop reading (single-thread runs only). */
  readonly done?: () => boolean;
  /** Called after each readable capture. */
  readonly end?: () => void;
}

/**
 * Runs a job (`list` lines, `fields` rows) over every packet of every capture, in worker
 * threads for large files when allowed, else in this thread; same output either way.
 */
export function forEachRecord(paths: readonly string[], spec: JobSpec, o: RecordLoopOptions, hooks: RecordHooks): Promise<ExitCode> {
  const job = createJob(spec, o.registry);
  const filter = o.filter;
  const threads = o.parallel && o.keyLog === undefined && filter === undefined && shardable(spec) ? parallelThreads() : 1;
  const twoPass = filter !== undefined && o.parallel && twoPassFilter(filter, o.registry, spec.kind === 'fields' ? spec.keys : []);
  return eachCapture(
    paths,
    hooks.done,
    async (reader, path) => {
      // Workers see no decryption secrets: a capture holding some (read with its first chunk) stays here.
      if (threads > 1 && path !== '-' && reader.secrets.length === 0 && (await fileSize(path)) >= parallelMinBytes()) {
        let written = 0;
        return runParallel(reader, spec, o.decodeAs, threads, (text) => hooks.record(text, ++written));
      }
      // A filter on transport-level fields over a large file: pass 1 plans, pass 2 dissects what matches need.
      const plan = twoPass && (await twoPassFile(path, reader)) ? await planMatches(path, o.registry, filter!) : undefined;
      job.reset();
      const options = filterDissectOptions(job.dissect, filter, o.registry);
      const dissector = new Dissector(o.registry, { ...options, keyLog: captureKeys(reader, o.keyLog) });
      // A fields run (and its filter) on header fields only reads plain frames without dissecting them.
      const headers = options.mode === 'select' ? HeaderPackets.create(o.registry, [...(options.fields ?? [])], [...(options.protocols ?? [])]) : undefined;
      if (filter === undefined) return dissectAll(reader, dissector, hooks.done, (p) => hooks.record(job.record(p), p.frame.index), headers);
      const each = (p: DissectedPacket): void | Promise<void> => {
        if (filter.matches(p)) return hooks.record(job.record(p), p.frame.index);
        job.skip(p.frame);
        return undefined;
      };
      if (plan !== undefined) return dissectPlanned(reader, dissector, plan, hooks.done, each, (f) => job.skip(f), headers);
      return dissectAll(reader, dissector, hooks.done, each, headers);
    },
    () => hooks.end?.(),
  );
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
