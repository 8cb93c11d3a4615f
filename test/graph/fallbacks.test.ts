/**
 * What happens when a layout fails: a system `dot` that runs too long is killed (no process is
 * left behind) and the built-in sfdp draws the graph; a built-in layout that crashes is redone by
 * the installed Graphviz when there is one and the user named no renderer, else by sfdp.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drawGraph, type Layouts } from '../../src/graph/draw.js';
import { LayoutError, layoutWasm } from '../../src/graph/layout.js';
import { buildGraph } from '../../src/graph/model.js';
import { collectTraffic } from '../../src/run/run-graph.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const EXAMPLE = `${CAPTURES}pcapplusplus__example.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-fallback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('graph layout fallbacks', () => {
  it('kills a system dot that runs past --layout-timeout and draws with the built-in sfdp', () => {
    // A stand-in for Graphviz that never answers; it records its process id.
    const bin = join(dir, 'bin');
    const pidFile = join(dir, 'dot.pid');
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    writeFileSync(join(bin, 'dot'), `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
    chmodSync(join(bin, 'dot'), 0o755);
    const out = join(dir, 'slow.svg');
    const t0 = Date.now();
    const r = runCli(['graph', EXAMPLE, '--top', '8', '--renderer', 'system', '--layout-timeout', '1', '-o', out], undefined, {
      PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`,
    });
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(25_000);
    expect(r.stderr).toMatch(/dot \(system Graphviz\) did not finish within 1 s\); laying out with sfdp instead \(built-in Graphviz\)/);
    expect(readFileSync(out, 'utf8').match(/<g id="node\d+" class="node[^"]*"/g)).toHaveLength(9);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  const model = async () => buildGraph((await collectTraffic([EXAMPLE], 'ip', 1_000_000, [])).captures, { layer: 'ip', weight: 'packets', top: 8 });
  const crash: Layouts['wasm'] = (dot, engine, t) =>
    engine === 'sfdp' ? layoutWasm(dot, engine, t) : Promise.reject(new LayoutError('RuntimeError: unreachable executed'));

  it('redoes a crashed built-in layout with the installed Graphviz when the user named no renderer', async () => {
    const warnings: string[] = [];
    const systemRuns: string[] = [];
    const layouts: Layouts = {
      wasm: crash,
      // The real layout, standing in for the installed Graphviz.
      system: (dot, engine, t) => (systemRuns.push(engine), layoutWasm(dot, engine, t)),
      systemAvailable: () => Promise.resolve(true),
    };
    const r = await drawGraph(await model(), { format: 'svg', title: 't', renderer: 'wasm', timeoutMs: 60_000, warn: (w) => warnings.push(w), systemFallback: true, layouts });
    expect(warnings).toEqual(['the built-in Graphviz failed (RuntimeError: unreachable executed); laying out with the installed Graphviz instead']);
    expect(systemRuns).toEqual(['dot']);
    expect(r.renderer).toBe('system');
    expect(r.engine).toBe('dot');
    expect(r.data.toString('utf8').match(/<g id="node\d+" class="node[^"]*"/g)).toHaveLength(9);
  });

  it('goes to sfdp when there is no installed Graphviz, or the user asked for the built-in one', async () => {
    for (const [available, systemFallback] of [
      [false, true],
      [true, false],
    ] as const) {
      const warnings: string[] = [];
      const layouts: Layouts = { wasm: crash, system: () => Promise.reject(new Error('not to be called')), systemAvailable: () => Promise.resolve(available) };
      const r = await drawGraph(await model(), { format: 'svg', title: 't', renderer: 'wasm', timeoutMs: 60_000, warn: (w) => warnings.push(w), systemFallback, layouts });
      expect(warnings).toEqual(['layout with dot failed (RuntimeError: unreachable executed); laying out with sfdp instead']);
      expect(r.engine).toBe('sfdp');
      expect(r.renderer).toBe('wasm');
    }
  });

  it('goes to sfdp when the installed Graphviz fails too', async () => {
    const warnings: string[] = [];
    const layouts: Layouts = { wasm: crash, system: () => Promise.reject(new LayoutError('dot -Kdot failed (exit code 1)')), systemAvailable: () => Promise.resolve(true) };
    const r = await drawGraph(await model(), { format: 'svg', title: 't', renderer: 'wasm', timeoutMs: 60_000, warn: (w) => warnings.push(w), systemFallback: true, layouts });
    expect(warnings).toEqual([
      'the built-in Graphviz failed (RuntimeError: unreachable executed); laying out with the installed Graphviz instead',
      'layout with dot failed (dot -Kdot failed (exit code 1)); laying out with sfdp instead (built-in Graphviz)',
    ]);
    expect(r.engine).toBe('sfdp');
    expect(r.renderer).toBe('wasm');
  });
});

describe('the layout worker started ahead', () => {
  it('lays out the next graph after warming, and a fresh worker the one after', async () => {
    const { prepareWasmLayout } = await import('../../src/graph/layout.js');
    prepareWasmLayout(['neato', 'dot']);
    const dot = 'digraph { a -> b; b -> c; c -> a }';
    for (let i = 0; i < 2; i++) {
      const r = await layoutWasm(dot, 'neato', 60_000);
      expect(r.svg.match(/<g id="node\d+" class="node"/g)).toHaveLength(3);
    }
  });

  it('does not keep a run alive that ends without drawing', () => {
    const layout = new URL('../../dist/graph/layout.js', import.meta.url).href;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { prepareWasmLayout } from '${layout}'; prepareWasmLayout(['neato', 'dot', 'sfdp']); console.log('started');`], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('started\n');
  });
});
