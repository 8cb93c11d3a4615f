// The bundled CLI (dist/bundle/, made by scripts/bundle.mjs after tsc) is what bin/pcapviz.js
// runs: it must say exactly what the modules in dist/ say, templates, workers and lazily loaded
// commands included.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const FIXTURE = new URL('fixtures/small-office.pcapng', ROOT).pathname;
const BUNDLE = new URL('dist/bundle/main.js', ROOT).href;
const MODULES = new URL('dist/cli/main.js', ROOT).href;
const RUNNER = new URL('../helpers/run-entry.mjs', import.meta.url).pathname;
/** The time a report was made, the one thing two runs may say differently. */
const MADE_AT = / on \d{4}-\d\d-\d\dT[\d:.]+Z/g;

/** Runs the CLI's `main` from `entry` with `args`, as bin/pcapviz.js does. */
function run(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [RUNNER, entry, JSON.stringify(args)], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout.replace(MADE_AT, ' on <time>'), stderr: r.stderr };
}

describe('the bundled CLI', () => {
  it('is built after the modules, so bin/pcapviz.js runs it', () => {
    expect(statSync(new URL(BUNDLE)).mtimeMs).toBeGreaterThanOrEqual(statSync(new URL(MODULES)).mtimeMs);
  });

  const cases: readonly (readonly string[])[] = [
    ['info', FIXTURE, '--format', 'json'],
    ['list', FIXTURE, '-c', '40'],
    ['show', FIXTURE, '--packets', '1-3', '-x'],
    ['fields', FIXTURE, '-e', 'ip.src', '-e', 'dns.qry.name', '-e', 'tls.handshake.extensions_server_name', '-Y', 'dns || tls'],
    ['stats', 'all', FIXTURE, '--format', 'json'],
    ['follow', 'tcp', FIXTURE, '0'],
    ['graph', FIXTURE, '-o', '-', '--format', 'dot'],
    ['report', FIXTURE, '-o', '-', '--format', 'md'],
    ['stats', 'conv', FIXTURE, '/no/such/capture.pcap'],
    ['stats', 'nonsense', FIXTURE],
    // Help lays out its columns with string-width, which the bundle loads on first use.
    ['stats', '--help'],
  ];
  it.each(cases)('says what the modules say: %s %s', (...args) => {
    const fromBundle = run(BUNDLE, args);
    const fromModules = run(MODULES, args);
    expect(fromBundle.stdout.length + fromBundle.stderr.length).toBeGreaterThan(0);
    expect(fromBundle).toEqual(fromModules);
  });

  it('runs worker threads from the bundle: a parallel list gives the single-threaded lines', () => {
    const args = ['list', FIXTURE];
    const parallel = run(BUNDLE, args, { PCAPVIZ_THREADS: '2', PCAPVIZ_PARALLEL_MIN_BYTES: '0' });
    expect(parallel.status).toBe(0);
    expect(parallel.stdout).toBe(run(MODULES, args).stdout);
  });
});
