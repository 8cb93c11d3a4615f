/**
 * Every batch output is written to a temporary name beside its final one and renamed into
 * place, so a reader (or a later run) never sees half a file. Temporary names are recognisable
 * (`.NAME.pcapviz-tmp-…`), so an interrupted run's leftovers can be found and removed.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_MARK = '.pcapviz-tmp-';

export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Writes `data` to `path` through a temporary file and a rename. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempNameFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A file written piece by piece: `commit` renames it into place, `abort` removes it. */
export interface AtomicStream {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function openAtomic(path: string): AtomicStream {
  const tmp = tempNameFor(path);
  const out: WriteStream = createWriteStream(tmp);
  const closed = (): Promise<void> => new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return {
    write: (text) =>
      new Promise<void>((resolve, reject) => {
        if (out.write(text)) {
          resolve();
          return;
        }
        // Whichever comes first removes the other listener (a long CSV waits for many drains).
        const drained = (): void => {
          out.off('error', failed);
          resolve();
        };
        const failed = (err: Error): void => {
          out.off('drain', drained);
          reject(err);
        };
        out.once('drain', drained);
        out.once('error', failed);
      }),
    commit: async () => {
      await closed();
      await rename(tmp, path);
    },
    abort: async () => {
      out.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** Removes temporary files left in `dir` (not below it); returns how many. */
export async function removeTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const stale = names.filter((n) => n.startsWith('.') && n.includes(TEMP_MARK));
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale.length;
}
