import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutput } from '../../src/util/output-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pcapviz-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openOutput', () => {
  it('writes a long file through many drains without piling up listeners, then renames it into place', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const out = openOutput(join(dir, 'big.csv'));
      const line = `${'x'.repeat(1 << 16)}\n`;
      for (let i = 0; i < 64; i++) await out.write(line);
      await out.commit();
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    expect(readFileSync(join(dir, 'big.csv')).length).toBe(64 * ((1 << 16) + 1));
    expect(readdirSync(dir)).toEqual(['big.csv']);
  });
});
