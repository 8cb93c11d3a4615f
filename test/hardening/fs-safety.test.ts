/**
 * Where commands write, through the real CLI: a target that cannot be written is said with its
 * name and reason (exit 1) and leaves no temporary file; the named `-o` file may be replaced (its
 * permissions kept, a symbolic link written through); batch and merge refuse a non-empty folder
 * that is not an earlier output unless --force, and never write through a symbolic link planted
 * in their output folder.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, type CliResult } from '../helpers/run-cli.js';
import { filesBelow } from '../helpers/files.js';

const SMALL = new URL('../../fixtures/small-office.pcap', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'pcapviz-fs-safety-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = async (args: readonly string[]): Promise<CliResult> => startCli(args).done;
const fresh = (): string => mkdtempSync(join(root, 'd-'));
const isTemp = (name: string): boolean => name.includes('.pcapviz-tmp-');

const tree = (dir: string): string[] => filesBelow(dir);

/** Each file-writing command with an output name, and the first bytes its file starts with. */
const WRITERS: { name: string; file: string; args: (out: string) => string[]; magic: string }[] = [
  { name: 'report html', file: 'r.html', args: (o) => ['report', SMALL, '--sections', 'summary', '-o', o], magic: '<!DOCTYPE html>' },
  { name: 'report pdf', file: 'r.pdf', args: (o) => ['report', SMALL, '--sections', 'summary', '-o', o], magic: '%PDF-' },
  { name: 'pdfdump', file: 'd.pdf', args: (o) => ['pdfdump', SMALL, '-c', '3', '-o', o], magic: '%PDF-' },
  { name: 'graph svg', file: 'g.svg', args: (o) => ['graph', SMALL, '-o', o], magic: '<?xml' },
  { name: 'graph png', file: 'g.png', args: (o) => ['graph', SMALL, '-o', o], magic: '\x89PNG' },
  { name: 'flow', file: 'f.svg', args: (o) => ['flow', SMALL, '--packets', '1-20', '-o', o], magic: '<?xml' },
  { name: 'craft', file: 'c.pcap', args: (o) => ['craft', 'Ether()/IP()/UDP()', '-c', '3', '-o', o], magic: '\xd4\xc3\xb2\xa1' },
  { name: 'fuzz', file: 'z.pcapng', args: (o) => ['fuzz', 'Ether()/IP()/UDP()', '--seed', 'a', '-c', '3', '-o', o], magic: '\x0a\x0d\x0d\x0a' },
];

describe.concurrent('an output that cannot be written: exit 1, the file named, nothing left', () => {
  it.each(WRITERS)('$name: the target is a folder', async (w) => {
    const d = fresh();
    const asFolder = join(d, w.file);
    mkdirSync(asFolder);
    const r = await cli(w.args(asFolder));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot write ${asFolder}: it is a folder`);
    expect(tree(d)).toEqual([]);
    expect(readdirSync(d)).toEqual([w.file]);
  });
  it.each(WRITERS.filter((w) => w.name === 'report pdf' || w.name === 'craft'))('$name: its folder does not exist', async (w) => {
    const d = fresh();
    const missing = join(d, 'no-such-folder', w.file);
    const r = await cli(w.args(missing));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot write ${missing}: its folder ${join(d, 'no-such-folder')} does not exist`);
    expect(readdirSync(d)).toEqual([]);
  });
  it('a full device (/dev/full) is written directly and its error reported', async () => {
    const [craft, report] = await Promise.all([cli(['craft', 'Ether()/IP()/UDP()', '-c', '3', '-o', '/dev/full']), cli(['report', SMALL, '--sections', 'summary', '--format', 'html', '-o', '/dev/full'])]);
    expect(craft.status).toBe(1);
    expect(craft.stderr).toContain('cannot write /dev/full: no space left on the device');
    expect(report.status).toBe(1);
    expect(report.stderr).toContain('cannot write /dev/full: no space left on the device');
  });
  it('batch and merge: an output folder that is a file', async () => {
    const d = fresh();
    const file = join(d, 'out');
    writeFileSync(file, 'mine');
    const [b, m] = await Promise.all([cli(['batch', SMALL, '-o', file, '-q']), cli(['merge', d, '-o', file, '-q'])]);
    for (const r of [b, m]) {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`cannot use ${file} as the output folder: it is a file`);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(readdirSync(d)).toEqual(['out']);
  });
});

describe.concurrent('the named -o file may be replaced', () => {
  it.each(WRITERS)('$name: an existing file is replaced whole, keeping its permissions; a link to it is written through', async (w) => {
    const d = fresh();
    const real = join(d, w.file);
    writeFileSync(real, 'old contents');
    chmodSync(real, 0o640);
    const link = join(d, `link-${w.file}`);
    symlinkSync(real, link);
    const r = await cli(w.args(link));
    expect(r.status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real).subarray(0, w.magic.length).toString('latin1')).toBe(w.magic);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(d).sort()).toEqual([w.file, `link-${w.file}`].sort());
  });
});

describe.concurrent('batch and merge output folders', () => {
  it('a folder holding other files is refused without --force, and with it those files stay', async () => {
    const out = fresh();
    writeFileSync(join(out, 'notes.txt'), 'my notes');
    const [b, m] = await Promise.all([cli(['batch', SMALL, '-o', out, '-q']), cli(['merge', root, '-o', out, '-q'])]);
    for (const r of [b, m]) {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`the output folder ${out} is not empty (notes.txt) and is not the output of an earlier batch or merge`);
      expect(r.stderr).toContain('--force');
    }
    expect(tree(out)).toEqual(['notes.txt']);
    const forced = await cli(['batch', SMALL, '-o', out, '-q', '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes');
    expect(tree(out)).toEqual(['batch.json', 'captures.csv', 'conversations.csv', 'graph.svg', 'hosts.csv', 'index.html', 'notes.txt', 'small-office.pcap/manifest.json', 'small-office.pcap/summary.json']);
  });

  it('an output folder of an older version (index.html and captures.csv, no batch.json) is taken as an earlier output', async () => {
    const legacy = fresh();
    writeFileSync(join(legacy, 'index.html'), '<!DOCTYPE html>');
    writeFileSync(join(legacy, 'captures.csv'), 'capture\r\n');
    const r = await cli(['batch', SMALL, '-o', legacy, '-q']);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(legacy, 'batch.json'), 'utf8'))).toMatchObject({ kind: 'pcapviz-batch-output', command: 'batch' });
  });

  it('an earlier output is taken again; links planted in it are replaced, never written through; a capture folder leading outside is refused', async () => {
    const outside = fresh();
    const victimHtml = join(outside, 'victim.html');
    const victimJson = join(outside, 'victim.json');
    writeFileSync(victimHtml, 'outside html');
    writeFileSync(victimJson, 'outside json');
    const outsideDir = join(outside, 'dir');
    mkdirSync(outsideDir);

    const out = join(fresh(), 'out');
    const source = join(fresh(), 'source');
    const merged = join(fresh(), 'merged');
    expect((await Promise.all([cli(['batch', SMALL, '-o', out, '-q']), cli(['batch', SMALL, '-o', source, '-q'])])).map((r) => r.status)).toEqual([0, 0]);
    expect((await cli(['merge', source, '-o', merged, '-q'])).status).toBe(0);
    expect(JSON.parse(readFileSync(join(merged, 'batch.json'), 'utf8'))).toMatchObject({ kind: 'pcapviz-batch-output', command: 'merge' });
    for (const dir of [out, merged]) {
      rmSync(join(dir, 'index.html'));
      symlinkSync(victimHtml, join(dir, 'index.html'));
      rmSync(join(dir, 'small-office.pcap', 'summary.json'));
      symlinkSync(victimJson, join(dir, 'small-office.pcap', 'summary.json'));
    }
    // batch redoes the capture (--force) and the roll-up; merge into its earlier output copies the folder again.
    const [b, m] = await Promise.all([cli(['batch', SMALL, '-o', out, '-q', '--force']), cli(['merge', source, '-o', merged, '-q'])]);
    expect(b.status).toBe(0);
    expect(m.status).toBe(0);
    for (const dir of [out, merged]) {
      expect(lstatSync(join(dir, 'index.html')).isFile()).toBe(true);
      expect(lstatSync(join(dir, 'small-office.pcap', 'summary.json')).isFile()).toBe(true);
      expect(tree(dir)).toEqual(['batch.json', 'captures.csv', 'conversations.csv', 'graph.svg', 'hosts.csv', 'index.html', 'small-office.pcap/manifest.json', 'small-office.pcap/summary.json']);
    }
    expect(readFileSync(victimHtml, 'utf8')).toBe('outside html');
    expect(readFileSync(victimJson, 'utf8')).toBe('outside json');

    // The capture's folder itself a link to a folder outside (and no --force: the folders are earlier outputs).
    for (const dir of [out, merged]) {
      rmSync(join(dir, 'small-office.pcap'), { recursive: true });
      symlinkSync(outsideDir, join(dir, 'small-office.pcap'));
    }
    const [b2, m2] = await Promise.all([cli(['batch', SMALL, '-o', out]), cli(['merge', source, '-o', merged, '-q'])]);
    for (const [r, dir] of [[b2, out], [m2, merged]] as const) {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`output folder of small-office.pcap leads outside ${dir} through a symbolic link`);
    }
    expect(readdirSync(outsideDir)).toEqual([]);
    expect(readdirSync(outside).sort()).toEqual(['dir', 'victim.html', 'victim.json']);
  }, 120_000);
});
