import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutput, removeTempFiles, tempNameFor, writeAtomic } from '../../src/util/output-file.js';

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

describe('writeAtomic', () => {
  it('replaces a file whole, keeps its permissions and leaves no temporary file', async () => {
    const d = join(dir, 'replace');
    mkdirSync(d);
    const path = join(d, 'summary.json');
    writeFileSync(path, 'old text that is longer than the new');
    chmodSync(path, 0o640);
    await writeAtomic(path, 'new');
    await writeAtomic(join(d, 'bytes.bin'), new Uint8Array([1, 2, 3]));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect([...readFileSync(join(d, 'bytes.bin'))]).toEqual([1, 2, 3]);
    expect(readdirSync(d).sort()).toEqual(['bytes.bin', 'summary.json']);
  });

  it('replaces a link rather than writing through it, unless asked to follow it', async () => {
    const d = join(dir, 'links');
    mkdirSync(d);
    writeFileSync(join(d, 'target.txt'), 'target');
    symlinkSync(join(d, 'target.txt'), join(d, 'link.txt'));
    await writeAtomic(join(d, 'link.txt'), 'replaced');
    expect(lstatSync(join(d, 'link.txt')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(d, 'target.txt'), 'utf8')).toBe('target');
    symlinkSync(join(d, 'target.txt'), join(d, 'followed.txt'));
    await writeAtomic(join(d, 'followed.txt'), 'through', { followLink: true });
    expect(lstatSync(join(d, 'followed.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'target.txt'), 'utf8')).toBe('through');
  });

  it('writes a device as it is, and refuses a folder or a missing folder without leaving anything', async () => {
    await writeAtomic('/dev/null', 'nothing');
    // Written through, not replaced by a file renamed over it.
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((n) => n.includes('pcapviz-tmp'))).toEqual([]);
    const d = join(dir, 'refusals');
    mkdirSync(join(d, 'folder'), { recursive: true });
    await expect(writeAtomic(join(d, 'folder'), 'x')).rejects.toThrow(/is a folder/);
    await expect(writeAtomic(join(d, 'missing', 'x.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(d)).toEqual(['folder']);
  });
});

describe('removeTempFiles', () => {
  it('removes our temporary files in a folder and nothing else', async () => {
    const d = join(dir, 'temps');
    mkdirSync(d);
    writeFileSync(join(d, 'keep.json'), '');
    writeFileSync(tempNameFor(join(d, 'a.json')), '');
    writeFileSync(tempNameFor(join(d, 'b.svg')), '');
    expect(await removeTempFiles(d)).toBe(2);
    expect(readdirSync(d)).toEqual(['keep.json']);
    expect(await removeTempFiles(join(d, 'none'))).toBe(0);
  });
});
