/**
 * Where a capture's outputs go: `outdir/<relative path>/`, each segment of the capture's path
 * relative to its root made safe, so that no input name (`..`, absolute paths, separators,
 * control characters, names of the roll-up files) can place a file outside `outdir` or over
 * another capture's or the roll-up's files. The mapping is one-to-one: `%` is escaped too.
 */
import { createHash } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Files and folders of the roll-up in `outdir`; a capture's top-level folder never takes these names. */
export const ROLLUP_NAMES: readonly string[] = [
  'index.html',
  'captures.csv',
  'conversations.csv',
  'hosts.csv',
  'captures.parquet',
  'conversations.parquet',
  'hosts.parquet',
  'graph.svg',
  'batch.json',
];

/** Longest segment kept as it is (bytes); longer ones are cut and given a hash. */
const MAX_SEGMENT = 200;

const encodeChar = (ch: string): string => [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

// Separators, NUL and control characters, `%` (the escape itself), and what Windows refuses in names.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f%/\\:*?"<>|\u202a-\u202e\u2066-\u2069]/gu;

/** One path segment as a safe file name. */
export function safeSegment(segment: string, topLevel: boolean): string {
  let s = segment.replace(UNSAFE, encodeChar);
  if (s === '' || s === '.' || s === '..') s = s === '' ? '%00' : [...s].map(encodeChar).join('');
  // A trailing dot or space is dropped by Windows; a roll-up name at the top would collide.
  else if (/[. ]$/.test(s)) s = s.slice(0, -1) + encodeChar(s.slice(-1));
  if (topLevel && ROLLUP_NAMES.includes(s.toLowerCase())) s = encodeChar(s[0]!) + s.slice(1);
  if (Buffer.byteLength(s) > MAX_SEGMENT) {
    const hash = createHash('sha256').update(segment).digest('hex').slice(0, 12);
    let cut = s.slice(0, MAX_SEGMENT - 20);
    while (Buffer.byteLength(cut) > MAX_SEGMENT - 20) cut = cut.slice(0, -1);
    s = `${cut}~${hash}`;
  }
  return s;
}

/** A capture's relative path (`/`-separated) as a relative output folder. */
export function outputDirOf(rel: string): string {
  const segments = rel.split('/');
  return segments.map((s, i) => safeSegment(s, i === 0)).join('/');
}

/** Whether `path` is `root` or inside it (both resolved, no symlinks followed). */
export function isInside(root: string, path: string): boolean {
  const r = relative(resolve(root), resolve(path));
  return r === '' || (!isAbsolute(r) && r !== '..' && !r.startsWith(`..${sep}`));
}

/**
 * Makes the output folder of a capture and returns its absolute path; refuses when, with
 * symlinks followed, it would not be inside `outdir` (a link planted in the output tree).
 */
export async function makeOutputDir(outdir: string, rel: string): Promise<string> {
  const dir = join(resolve(outdir), ...outputDirOf(rel).split('/'));
  if (!isInside(outdir, dir)) throw new Error(`output folder of ${rel} would be outside ${outdir}`);
  await mkdir(dir, { recursive: true });
  const [realRoot, realDir] = await Promise.all([realpath(outdir), realpath(dir)]);
  if (!isInside(realRoot, realDir)) throw new Error(`output folder of ${rel} leads outside ${outdir} through a symbolic link`);
  return dir;
}
