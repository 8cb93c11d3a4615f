/**
 * How every command writes a file. The bytes go to a temporary file beside the target
 * (`.NAME.pcapviz-tmp-PID-RANDOM`, opened with O_EXCL so nothing planted there is followed),
 * which is renamed over the target only when it is complete: a reader, a later run or an
 * interrupted one never sees half a file, and a file that existed before stays as it was until
 * the new one replaces it whole. Every temporary file (and temporary folder) of this thread is
 * in a registry; the CLI's signal handlers (`installInterruptHandlers`) remove them before the
 * process exits with 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP).
 *
 * Temporary names are created synchronously, so no file creation is still on its way in the
 * thread pool when a signal handler removes them.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fchmodSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export const TEMP_MARK = '.pcapviz-tmp-';

/** A name long enough to be near the file system's limit (255 bytes) is cut in the temporary name. */
const MAX_TEMP_BASE = 180;

export function tempNameFor(path: string): string {
  let base = basename(path);
  while (Buffer.byteLength(base) > MAX_TEMP_BASE) base = base.slice(0, -1);
  return join(dirname(path), `.${base}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

// ---------------------------------------------------------------------------------------------
// The registry of temporary files and folders, and the signals that clear it.

const live = new Set<string>();

/** Adds a temporary file or folder to the registry; the returned function takes it out again. */
export function trackTemp(path: string): () => void {
  live.add(path);
  return () => {
    live.delete(path);
  };
}

/** Removes every registered temporary file and folder now (synchronously: signal handlers call it). */
export function removeTrackedTemps(): void {
  for (const p of live) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove any more.
    }
  }
  live.clear();
}

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Exit code after a signal: 128 + its number, as shells report it. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Longest wait for standard output to take what was already written before exiting on a signal. */
const FLUSH_MS = 2000;

let exiting = false;

/**
 * Ends the process after a signal: registered temporary files removed, standard output given
 * what was already written to it (up to two seconds; a pipe's writes are asynchronous), then
 * exit with the signal's code. A second signal while waiting exits at once.
 */
export function exitOnSignal(signal: StopSignal): void {
  removeTrackedTemps();
  if (exiting) process.exit(SIGNAL_EXIT[signal]);
  exiting = true;
  const done = (): void => {
    // Again: a file a stream was still opening could not be removed the first time.
    removeTrackedTemps();
    process.exit(SIGNAL_EXIT[signal]);
  };
  if (process.stdout.writableLength === 0 || process.stdout.destroyed) {
    setImmediate(done);
    return;
  }
  process.stdout.once('drain', done);
  process.stdout.once('error', done);
  setTimeout(done, FLUSH_MS).unref();
}

const takers: ((signal: StopSignal) => void)[] = [];

/**
 * Lets a command handle SIGINT, SIGTERM and SIGHUP itself for a while (sniff stops its capture,
 * batch stops its workers); the latest taker gets them. Returns the undo.
 */
export function takeInterrupts(handler: (signal: StopSignal) => void): () => void {
  takers.push(handler);
  return () => {
    const i = takers.lastIndexOf(handler);
    if (i >= 0) takers.splice(i, 1);
  };
}

let installed = false;

/**
 * The CLI's handlers: a taker's, else clean up and exit (`exitOnSignal`). bin/pcapviz.js has
 * listeners of its own for a signal while the modules load; they do nothing once these are added,
 * and are not removed: removing a listener drops a signal that arrived but was not yet handled.
 */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const sig of STOP_SIGNALS) {
    process.on(sig, () => {
      const taker = takers.at(-1);
      if (taker !== undefined && !exiting) taker(sig);
      else exitOnSignal(sig);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Output files.

/** A file being written: `commit` puts it in place, `abort` leaves no trace of it (and does nothing after a commit). */
export interface OutputFile {
  /** The file the user will find (the link's target when `followLink` resolved one). */
  readonly path: string;
  /** Where the bytes go (a temporary file, or a device or pipe named as the output). */
  readonly stream: WriteStream;
  /** Writes and waits for the stream to drain, so long outputs keep memory flat. */
  write(chunk: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface OutputOptions {
  /**
   * A symbolic link at the path is written through to the file it names (the user's own `-o`
   * file); otherwise (inside a batch folder) the link itself is replaced and never followed.
   */
  readonly followLink?: boolean;
}

/** A target that is a folder: nothing is written. */
export class OutputIsFolderError extends Error {
  readonly code = 'EISDIR';
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Where to write `path` and what is there now. */
function resolveTarget(path: string, followLink: boolean): { target: string; existing: Stats | undefined } {
  let target = path;
  let existing = lstatOrUndefined(path);
  if (followLink && existing?.isSymbolicLink() === true) {
    try {
      target = realpathSync(path);
      existing = statSync(target);
    } catch {
      // A link to nothing: the link itself is replaced.
    }
  }
  if (existing?.isDirectory() === true) throw new OutputIsFolderError(`${path} is a folder`);
  return { target, existing };
}

function attach(path: string, stream: WriteStream, tmp: string | undefined, untrack: () => void): OutputFile {
  // An error is kept in `stream.errored` and surfaces from write or commit, never as an uncaught event.
  stream.on('error', () => undefined);
  const closed = async (): Promise<void> => {
    if (stream.errored) throw stream.errored;
    if (!stream.writableEnded) stream.end();
    if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    if (stream.errored) throw stream.errored;
  };
  let settled = false;
  return {
    path,
    stream,
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (stream.errored) {
          reject(stream.errored);
          return;
        }
        if (stream.write(chunk)) {
          resolve();
          return;
        }
        // Whichever comes first removes the other listener (a long CSV waits for many drains).
        const drained = (): void => {
          stream.off('error', failed);
          resolve();
        };
        const failed = (err: Error): void => {
          stream.off('drain', drained);
          reject(err);
        };
        stream.once('drain', drained);
        stream.once('error', failed);
      }),
    commit: async () => {
      if (settled) throw new Error(`${path} was already closed`);
      settled = true;
      try {
        await closed();
        if (tmp !== undefined) await rename(tmp, path);
      } catch (e) {
        if (tmp !== undefined) await rm(tmp, { force: true });
        throw e;
      } finally {
        untrack();
      }
    },
    abort: async () => {
      if (settled) return;
      settled = true;
      stream.destroy();
      if (tmp !== undefined) await rm(tmp, { force: true });
      untrack();
    },
  };
}

/**
 * Opens `path` for writing through a temporary file. Errors that stop the write before it
 * starts (no such folder, no permission, the target is a folder) are thrown now. A device, FIFO
 * or socket named as the output (`/dev/null`, `>(cmd)`) is written directly: there is no file
 * to keep whole, and replacing it would be wrong.
 */
export function openOutput(path: string, o: OutputOptions = {}): OutputFile {
  const { target, existing } = resolveTarget(path, o.followLink === true);
  if (isDevice(existing)) return openDevice(target);
  const { tmp, fd, untrack } = createTemp(target, existing);
  return attach(target, createWriteStream('', { fd }), tmp, untrack);
}

/** A device, FIFO or socket, written directly: there is no file to keep whole. */
function openDevice(target: string): OutputFile {
  return attach(target, createWriteStream('', { fd: openSync(target, 'w') }), undefined, () => undefined);
}

/** Something at the target that is neither a file nor a link: a device, FIFO or socket. */
const isDevice = (existing: Stats | undefined): boolean => existing !== undefined && !existing.isFile() && !existing.isSymbolicLink();

/** Creates the temporary file for `target` (registered), with the permissions of the file it will replace. */
function createTemp(target: string, existing: Stats | undefined): { tmp: string; fd: number; untrack: () => void } {
  const tmp = tempNameFor(target);
  const untrack = trackTemp(tmp);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o666);
    // A file replaced keeps its permissions.
    if (existing?.isFile() === true) fchmodSync(fd, existing.mode & 0o7777);
  } catch (e) {
    untrack();
    rmSync(tmp, { force: true });
    throw e;
  }
  return { tmp, fd, untrack };
}

/**
 * Writes `data` to `path` through a temporary file and a rename. The data is in memory, so it is
 * written with blocking calls: a batch worker writes two small files per capture, and each call
 * through libuv's thread pool cost it a wait for a pool thread on busy cores (docs/decisions.md
 * §10). A device or pipe named as the output is written as a stream, which waits for its reader.
 */
export async function writeAtomic(path: string, data: string | Uint8Array, o: OutputOptions = {}): Promise<void> {
  const { target, existing } = resolveTarget(path, o.followLink === true);
  if (isDevice(existing)) {
    const out = openDevice(target);
    try {
      await out.write(data);
      await out.commit();
    } catch (e) {
      await out.abort();
      throw e;
    }
    return;
  }
  const { tmp, fd, untrack } = createTemp(target, existing);
  try {
    try {
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    untrack();
  }
}

/** Copies the file `from` to `to` the same way (`to`'s link, if any, is replaced). */
export async function copyAtomic(from: string, to: string): Promise<void> {
  const out = openOutput(to);
  try {
    await pipeline(createReadStream(from), out.stream, { end: false });
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/** Whether a file name is one of our temporary names. */
export const isTempName = (name: string): boolean => name.startsWith('.') && name.includes(TEMP_MARK);

/** Removes temporary files left in `dir` (not below it); returns how many. Blocking, like `writeAtomic`. */
export async function removeTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  const stale = names.filter(isTempName);
  for (const n of stale) rmSync(join(dir, n), { force: true });
  return stale.length;
}

/** A write error as one line that names the file and says what is wrong. */
export function writeErrorText(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? `its folder ${dirname(path)} does not exist`
    : code === 'ENOTDIR' ? `a part of ${dirname(path)} is not a folder`
    : code === 'EISDIR' ? 'it is a folder'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EROFS' ? 'the file system is read-only'
    : code === 'ENOSPC' ? 'no space left on the device'
    : code === 'EDQUOT' ? 'disk quota exceeded'
    : (e as Error).message;
  return `cannot write ${path}: ${why}`;
}
