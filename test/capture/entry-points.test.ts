import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(root, 'fixtures', 'small-office.pcap');

/** Runs an ES module snippet in a fresh Node process from the project root (the package's own name resolves there). */
const run = (code: string): string => execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });

describe('the pcapviz/capture entry point', () => {
  it('reads a capture like the main entry, without loading the dissector', () => {
    const out = JSON.parse(
      run(`
        import { openCapture, PcapWriter, PcapngWriter } from 'pcapviz/capture';
        const reader = await openCapture(${JSON.stringify(fixture)});
        let packets = 0, bytes = 0;
        for await (const batch of reader.batches()) for (const f of batch) { packets++; bytes += f.capLen; }
        console.log(JSON.stringify({ packets, bytes, writers: typeof PcapWriter === 'function' && typeof PcapngWriter === 'function' }));
      `),
    ) as { packets: number; bytes: number; writers: boolean };
    const main = JSON.parse(
      run(`
        import { openCapture } from 'pcapviz';
        const reader = await openCapture(${JSON.stringify(fixture)});
        let packets = 0, bytes = 0;
        for await (const f of reader) { packets++; bytes += f.capLen; }
        console.log(JSON.stringify({ packets, bytes }));
      `),
    ) as { packets: number; bytes: number };
    expect(out.packets).toBeGreaterThan(0);
    expect(out).toEqual({ ...main, writers: true });
  });

  it('loads no dissector, renderer or report module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-loads-'));
    const list = join(dir, 'loads.txt');
    const loaded = (entry: string): string[] => {
      writeFileSync(list, '');
      execFileSync(process.execPath, ['--no-warnings', '--experimental-loader', join(root, 'test', 'helpers', 'record-loads.mjs'), '--input-type=module', '-e', `await import('${entry}')`], {
        cwd: root,
        env: { ...process.env, PCAPVIZ_LOADS: list },
      });
      return readFileSync(list, 'utf8').split('\n').filter((u) => u.includes('/dist/'));
    };
    try {
      const light = loaded('pcapviz/capture');
      const full = loaded('pcapviz');
      expect(light.some((u) => u.endsWith('/dist/capture/read-capture.js'))).toBe(true);
      expect(light.filter((u) => /\/dist\/(dissect|render|report|analyze|graph|flow|craft)\//.test(u))).toEqual([]);
      // The main entry does load them: the check above can see them.
      expect(full.some((u) => u.includes('/dist/dissect/'))).toBe(true);
      expect(light.length).toBeLessThan(full.length / 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
