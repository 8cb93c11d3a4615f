/**
 * The output folder of `batch` and `merge`: made when missing, refused when it is a file, and
 * refused (unless `--force`) when it already holds files that are not an earlier batch's or
 * merge's output, since the run would replace any of them that share a name with its own files.
 * A run marks its folder with `batch.json` before writing anything else.
 */
import { lstat, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isTempName, writeAtomic, writeErrorText } from '../util/output-file.js';

export const MARKER_NAME = 'batch.json';
const MARKER_KIND = 'pcapviz-batch-output';

export interface OutdirMarker {
  readonly kind: typeof MARKER_KIND;
  readonly version: 1;
  readonly generator: string;
  readonly command: 'batch' | 'merge';
}

/** Whether the entries `names` of `dir` are an earlier batch's or merge's output. */
async function isBatchOutput(dir: string, names: readonly string[]): Promise<boolean> {
  if (names.includes(MARKER_NAME)) {
    const path = join(dir, MARKER_NAME);
    try {
      if (!(await lstat(path)).isFile()) return false;
      return (JSON.parse(await readFile(path, 'utf8')) as Partial<OutdirMarker>).kind === MARKER_KIND;
    } catch {
      return false;
    }
  }
  // Folders of versions that wrote no marker: a finished roll-up.
  return names.includes('index.html') && names.includes('captures.csv');
}

/**
 * Makes `outdir` ready for a run and marks it; returns a message (for exit 1) when it cannot or
 * may not be used.
 */
export async function claimOutdir(outdir: string, shown: string, force: boolean, marker: Omit<OutdirMarker, 'kind' | 'version'>): Promise<string | undefined> {
  try {
    if (!(await stat(outdir)).isDirectory()) return `cannot use ${shown} as the output folder: it is a file`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return writeErrorText(shown, e);
    try {
      await mkdir(outdir, { recursive: true });
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EEXIST' || (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? `cannot make the output folder ${shown}: a part of its path is a file` : writeErrorText(shown, err);
    }
  }
  const names = (await readdir(outdir)).filter((n) => !isTempName(n)).sort();
  if (names.length > 0 && !force && !(await isBatchOutput(outdir, names))) {
    const some = names.slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
    return `the output folder ${shown} is not empty (${some}) and is not the output of an earlier batch or merge: name an empty or new folder, or give --force to write into it (files with the names the run writes are replaced)`;
  }
  const m: OutdirMarker = { kind: MARKER_KIND, version: 1, ...marker };
  try {
    await writeAtomic(join(outdir, MARKER_NAME), `${JSON.stringify(m, null, 2)}\n`);
  } catch (e) {
    return writeErrorText(join(shown, MARKER_NAME), e);
  }
  return undefined;
}
