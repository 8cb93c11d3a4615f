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

// yargs and its layout helpers import `string-width`, whose module makes an `Intl.Segmenter` and
// Unicode property regexes when it loads: about 25 ms of every run's start-up, for a function
// only help text calls. Each import of it gets a stand-in that loads the real module (the
// version that importer resolves to) on its first call.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: `let width;\nexport default function stringWidth(text, options) {\n  width ??= require(${JSON.stringify(args.path)}).default;\n  return width(text, options);\n}\n`,
      resolveDir: root.pathname,
      loader: 'js',
    }));
  },
};

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
  plugins: [lazyStringWidth],
  logLevel: 'warning',
});
