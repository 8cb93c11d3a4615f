import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file below `dir` as a path relative to it (with its size in bytes when `sizes`), sorted. */
export function filesBelow(dir: string, sizes = false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(sizes ? `${relative(dir, p)} ${statSync(p).size}` : relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
