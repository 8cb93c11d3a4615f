#!/usr/bin/env node
// Bundles the CLI built in dist/ into dist/bundle/ (docs/decisions.md §14): a run then loads a
// few files instead of about 300 modules, which is a third of starting up. Entries: the CLI's
// main module and the two worker threads' modules; code they share goes into chunks, and a
// command's lazily imported modules stay lazy (their own chunks). Every file lands directly in
// dist/bundle/, two folders below the package root like the modules it copies, so their paths
// from the root hold (src/util/package-files.ts). bin/pcapviz.js runs the bundle only while it is
// not older than dist/cli/main.js (a `tsc` run after it makes it stale).
//
// Packages stay outside, loaded from node_modules as before, except those on every run's path
// and made of plain code (yargs and its own dependencies, fzstd): the others read files next to
// their modules (fonts, WebAssembly, templates, worker scripts) or load only for one command.
import { rmSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const INSIDE = new Set(['yargs', 'fzstd']);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const external = Object.keys(pkg.dependencies)
  .filter((d) => !INSIDE.has(d))
  .flatMap((d) => [d, `${d}/*`]);

const outdir = new URL('dist/bundle/', root).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: [
    { in: 'dist/cli/main.js', out: 'main' },
    { in: 'dist/batch/worker.js', out: 'batch-worker' },
    { in: 'dist/run/parallel/worker.js', out: 'list-worker' },
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  logLevel: 'warning',
});
