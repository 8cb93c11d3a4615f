import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/batch/discover.js';
import { isInside, makeOutputDir, outputDirOf, ROLLUP_NAMES, safeSegment } from '../../src/batch/paths.js';
import { parseShard, shardOf } from '../../src/batch/shard.js';
import { CAPTURES } from '../helpers/capture-bytes.js';

const tmp = mkdtempSync(join(tmpdir(), 'pcapviz-batch-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('batch output paths', () => {
  it('turns dangerous segments into plain names', () => {
    expect(safeSegment('..', false)).toBe('%2E%2E');
    expect(safeSegment('.', false)).toBe('%2E');
    expect(safeSegment('', false)).toBe('%00');
    expect(safeSegment('a\\b', false)).toBe('a%5Cb');
    expect(safeSegment('50%', false)).toBe('50%25');
    expect(safeSegment('x\u0000y\n', false)).toBe('x%00y%0A');
    expect(safeSegment('name with spaces.pcap', false)).toBe('name with spaces.pcap');
    expect(safeSegment('..x', false)).toBe('..x');
    for (const n of ROLLUP_NAMES) {
      expect(safeSegment(n, true)).not.toBe(n);
      expect(safeSegment(n, false)).toBe(n);
    }
    expect(safeSegment('INDEX.HTML', true).toLowerCase()).not.toBe('index.html');
    expect(Buffer.byteLength(safeSegment('x'.repeat(1000), false))).toBeLessThanOrEqual(200);
  });

  it('keeps every relative path inside the output folder, one folder per path', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('..', '.', '', '/', '%', 'index.html', 'a b', '\\..'), fc.string()), { minLength: 1, maxLength: 6 }), (segments) => {
        const rel = segments.join('/');
        const dir = outputDirOf(rel);
        expect(isInside('/out', join('/out', dir))).toBe(true);
        expect(dir.split('/').every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
      }),
    );
    const seen = new Map<string, string>();
    for (const rel of ['a/b', 'a%2Fb', 'a/..', 'a/%2E%2E', 'index.html', '%69ndex.html', 'x/index.html']) {
      const d = outputDirOf(rel);
      expect(seen.get(d), `${rel} and ${seen.get(d)} share ${d}`).toBeUndefined();
      seen.set(d, rel);
    }
  });

  it('refuses an output folder that a symbolic link leads outside', async () => {
    const out = join(tmp, 'out');
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'planted'));
    await expect(makeOutputDir(out, 'planted/x.pcap')).rejects.toThrow(/symbolic link/);
    await expect(makeOutputDir(out, 'fine/x.pcap')).resolves.toBe(join(out, 'fine', 'x.pcap'));
  });
});

describe('batch shards', () => {
  it('parses i/n and refuses the rest', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['0/2', '3/2', '1/0', 'x', '1-2']) expect(typeof parseShard(bad)).toBe('string');
  });

  it('splits sorted paths into disjoint shares that cover them all', () => {
    const items = ['b', 'a/c', 'a', 'Z', 'z/1', 'é'].map((rel) => ({ rel }));
    const parts = [1, 2, 3].map((i) => shardOf(items, { index: i, count: 3 }).map((x) => x.rel));
    expect(parts.flat().sort()).toEqual(items.map((x) => x.rel).sort());
    expect(new Set(parts.flat()).size).toBe(items.length);
    // The same whatever order the inputs were found in.
    expect(shardOf([...items].reverse(), { index: 2, count: 3 }).map((x) => x.rel)).toEqual(parts[1]);
  });
});

/** A zstd frame holding `data` (under 256 bytes) as one raw block. */
function zstdRaw(data: Uint8Array): Buffer {
  const n = data.length;
  const block = 1 | (n << 3);
  return Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, n, block & 0xff, (block >> 8) & 0xff, (block >> 16) & 0xff]), data]);
}

describe('batch discovery', () => {
  it('finds captures by content, looks inside gzip, stays inside its root, applies globs', async () => {
    const root = join(tmp, 'archive');
    const outside = join(tmp, 'outside');
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    const pcap = `${CAPTURES}tcpdump__dns_udp.pcap`;
    copyFileSync(pcap, join(root, 'noext'));
    copyFileSync(pcap, join(root, 'sub', 'deeper', 'a.pcap'));
    writeFileSync(join(root, 'sub', 'capture.gz'), gzipSync(readFileSync(pcap)));
    writeFileSync(join(root, 'sub', 'text.gz'), gzipSync(Buffer.from('not a capture at all')));
    writeFileSync(join(root, 'readme.pcap'), 'hello');
    writeFileSync(join(root, 'sub', 'capture.zst'), zstdRaw(readFileSync(pcap).subarray(0, 200)));
    writeFileSync(join(root, 'sub', 'text.zst'), zstdRaw(Buffer.from('zstd text, not a capture')));
    copyFileSync(pcap, join(outside, 'o.pcap'));
    symlinkSync(outside, join(root, 'link-out'));
    symlinkSync(join(root, 'sub'), join(root, 'link-in'));

    const d = await discover([root], { include: [], exclude: [], followSymlinks: false });
    expect(d.captures.map((c) => c.rel).sort()).toEqual(['link-in/capture.gz', 'link-in/capture.zst', 'link-in/deeper/a.pcap', 'noext', 'sub/capture.gz', 'sub/capture.zst', 'sub/deeper/a.pcap']);
    expect(d.skipped.sort()).toEqual(['link-in/text.gz', 'link-in/text.zst', 'readme.pcap', 'sub/text.gz', 'sub/text.zst']);

    const followed = await discover([root], { include: [], exclude: ['link-in/**'], followSymlinks: true });
    expect(followed.captures.map((c) => c.rel).sort()).toEqual(['link-out/o.pcap', 'noext', 'sub/capture.gz', 'sub/capture.zst', 'sub/deeper/a.pcap']);

    const skipping = await discover([root], { include: [], exclude: [], followSymlinks: false, skipDir: join(root, 'sub') });
    expect(skipping.captures.map((c) => c.rel).sort()).toEqual(['link-in/capture.gz', 'link-in/capture.zst', 'link-in/deeper/a.pcap', 'noext']);

    const only = await discover([root], { include: ['*.pcap'], exclude: [], followSymlinks: false });
    expect(only.captures.map((c) => c.rel).sort()).toEqual(['link-in/deeper/a.pcap', 'sub/deeper/a.pcap']);

    const glob = await discover([`${root}/sub/**/*.pcap`, join(root, 'noext')], { include: [], exclude: [], followSymlinks: false });
    expect(glob.captures.map((c) => c.rel).sort()).toEqual(['noext', 'sub/deeper/a.pcap']);
  });
});
