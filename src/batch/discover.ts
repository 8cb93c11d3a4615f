/**
 * Finding the captures of a batch: every file under the given folders (recursively), the files
 * named, and the files a glob matches, kept when their first bytes say they are a capture
 * (pcap, pcapng, snoop; gzip-compressed ones by the bytes inside; zstd-compressed ones are
 * tried). Names do not matter. Symbolic links are followed only while they stay inside the root
 * they were found in, unless `followSymlinks`.
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, readdir, realpath, stat, lstat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { Decompress } from 'fzstd';
import picomatch from 'picomatch';
import { sniff } from '../capture/sniff.js';
import { isInside } from './paths.js';
import { byPath } from './shard.js';

export interface DiscoverOptions {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly followSymlinks: boolean;
  /** A folder never entered (the batch's own output folder when it lies inside an input). */
  readonly skipDir?: string | undefined;
}

export interface CaptureEntry {
  /** Absolute path of the capture. */
  readonly path: string;
  /** Path relative to its root, `/`-separated (prefixed by the root's name when several inputs are given). */
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface Discovery {
  readonly captures: CaptureEntry[];
  /** Files that are not captures (by content), relative paths. */
  readonly skipped: string[];
  /** Inputs that do not exist or cannot be read. */
  readonly missing: string[];
}

/** How many first bytes of a file decide whether it is a capture. */
const HEAD_BYTES = 64 * 1024;

/** Whether a file's first bytes are those of a capture we read (any kind of file: a FIFO waits for its writer). */
export async function looksLikeCapture(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return headIsCapture(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * For a regular file: its stats when its first bytes are those of a capture, else undefined.
 * Blocking calls: an archive has hundreds of files, and each call through libuv's pool waited
 * for a pool thread (listing 200 captures took about 100 ms; docs/decisions.md §10).
 */
function regularCapture(path: string): Stats | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    return headIsCapture(head.subarray(0, n)) ? fstatSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Whether `bytes`, a file's first, are those of a capture we read. */
function headIsCapture(bytes: Buffer): boolean {
  const kind = sniff(bytes).kind;
  if (kind === 'pcap' || kind === 'pcapng' || kind === 'snoop') return true;
  if (kind === 'zstd') return zstdHoldsCapture(bytes);
  if (kind !== 'gzip') return false;
  let inner: Buffer;
  try {
    // What the first bytes decompress to; a cut stream is fine with a sync flush.
    inner = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return false;
  }
  const k = sniff(inner.subarray(0, 64)).kind;
  return k === 'pcap' || k === 'pcapng' || k === 'snoop';
}

/** Whether a zstd stream's first bytes decompress to a capture; true when they give nothing yet. */
function zstdHoldsCapture(bytes: Uint8Array): boolean {
  let first: Uint8Array | undefined;
  try {
    const d = new Decompress((chunk) => {
      first ??= chunk;
    });
    d.push(bytes);
  } catch {
    // A stream cut where we stopped reading is fine; what came out before says enough.
  }
  if (first === undefined) return true;
  const k = sniff(first.subarray(0, 64)).kind;
  return k === 'pcap' || k === 'pcapng' || k === 'snoop';
}

interface Root {
  /** Folder walked (absolute). */
  readonly dir: string;
  /** Real path of that folder, for the symlink check. */
  readonly real: string;
  /** Files under it that count (relative, `/`-separated); undefined: all. */
  readonly match: ((rel: string) => boolean) | undefined;
  /** Prefix of the relative paths, when several inputs are given. */
  readonly label: string;
}

const toPosix = (p: string): string => p.split(sep).join('/');

/** Walks one root; calls `found` with each regular file's absolute path and relative path. */
async function walk(root: Root, o: DiscoverOptions, found: (path: string, rel: string) => Promise<void>): Promise<void> {
  const seen = new Set<string>([root.real]);
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => byPath(a.name, b.name));
    for (const e of entries) {
      const full = join(dir, e.name);
      const rel = toPosix(relative(root.dir, full));
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        let real: string;
        try {
          real = await realpath(full);
        } catch {
          continue; // a dangling link
        }
        if (!o.followSymlinks && !isInside(root.real, real)) continue;
        const st = await stat(real);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          if (seen.has(real)) continue; // a loop
          seen.add(real);
        }
      }
      if (isDir) {
        if (o.skipDir === undefined || resolve(full) !== resolve(o.skipDir)) await visit(full);
      }
      else if (isFile && (root.match === undefined || root.match(rel))) await found(full, rel);
    }
  };
  await visit(root.dir);
}

/** A glob with a slash matches the relative path; one without, the file name. */
function globMatcher(patterns: readonly string[]): ((rel: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const withSlash = patterns.filter((p) => p.includes('/'));
  const names = patterns.filter((p) => !p.includes('/'));
  const path = withSlash.length > 0 ? picomatch(withSlash, { dot: true }) : undefined;
  const name = names.length > 0 ? picomatch(names, { dot: true }) : undefined;
  return (rel) => (path?.(rel) ?? false) || (name?.(rel.slice(rel.lastIndexOf('/') + 1)) ?? false);
}

/** Finds the captures of `inputs` (folders, files, globs). */
export async function discover(inputs: readonly string[], o: DiscoverOptions): Promise<Discovery> {
  const include = globMatcher(o.include);
  const exclude = globMatcher(o.exclude);
  const wanted = (rel: string): boolean => (include === undefined || include(rel)) && (exclude === undefined || !exclude(rel));
  const captures: CaptureEntry[] = [];
  const skipped: string[] = [];
  const missing: string[] = [];
  const several = inputs.length > 1;
  const labels = new Set<string>();
  const labelFor = (name: string): string => {
    let label = name === '' || name === '.' || name === '..' || name === '/' ? 'input' : name;
    for (let n = 2; labels.has(label); n++) label = `${name}~${n}`;
    labels.add(label);
    return label;
  };
  const consider = async (path: string, rel: string, label: string): Promise<void> => {
    const full = label === '' ? rel : `${label}/${rel}`;
    if (!wanted(rel)) return;
    let st: Stats | undefined;
    try {
      st = regularCapture(path);
    } catch {
      missing.push(full);
      return;
    }
    if (st === undefined) {
      skipped.push(full);
      return;
    }
    captures.push({ path, rel: full, size: st.size, mtimeMs: st.mtimeMs });
  };

  for (const input of inputs) {
    const scan = picomatch.scan(input);
    if (scan.isGlob) {
      const dir = resolve(scan.base === '' ? '.' : scan.base);
      const isMatch = picomatch(scan.glob, { dot: true });
      let real: string;
      try {
        real = await realpath(dir);
      } catch {
        missing.push(input);
        continue;
      }
      const label = several ? labelFor(basename(dir)) : '';
      await walk({ dir, real, match: isMatch, label }, o, (path, rel) => consider(path, rel, label));
      continue;
    }
    let st;
    try {
      st = await lstat(input);
      if (st.isSymbolicLink()) st = await stat(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (st.isDirectory()) {
      const dir = resolve(input);
      const label = several ? labelFor(basename(dir)) : '';
      await walk({ dir, real: await realpath(dir), match: undefined, label }, o, (path, rel) => consider(path, rel, label));
    } else {
      // A named file counts whatever --include says about it, but not when excluded.
      const rel = basename(input);
      if (exclude !== undefined && exclude(rel)) continue;
      let ok = false;
      try {
        ok = st.isFile() ? regularCapture(input) !== undefined : await looksLikeCapture(input);
      } catch {
        missing.push(input);
        continue;
      }
      if (!ok) skipped.push(rel);
      else captures.push({ path: resolve(input), rel, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return { captures: distinct(captures), skipped, missing };
}

/**
 * Makes relative paths distinct (two named files of the same name, a file named like another
 * input's folder): later ones get `~2`, `~3`, ... after their name.
 */
function distinct(captures: readonly CaptureEntry[]): CaptureEntry[] {
  const taken = new Set<string>();
  const dirs = new Set<string>();
  for (const c of captures) {
    const parts = c.rel.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const out: CaptureEntry[] = [];
  for (const c of captures) {
    let rel = c.rel;
    for (let n = 2; taken.has(rel) || dirs.has(rel); n++) rel = `${c.rel}~${n}`;
    taken.add(rel);
    out.push(rel === c.rel ? c : { ...c, rel });
  }
  return out;
}
