/** `pcapviz pdfdump` from the command line: pipes in and out, errors, damaged captures. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { SMALL_OFFICE } from './helpers.js';

const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-pdfdump-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: readonly string[], input?: Uint8Array): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

function pdfinfo(path: string): Record<string, string> {
  const r = spawnSync('pdfinfo', [path], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

describe('pcapviz pdfdump (command line)', () => {
  it('--help names the options', () => {
    const r = runCli(['pdfdump', '--help']);
    expect(r.status).toBe(0);
    for (const o of ['--packets', '-c', '--paper', '--landscape', '--theme', '--no-connectors', '--compact', '--output']) expect(r.stdout).toContain(o);
  });

  it('reads standard input and writes standard output (-o -)', () => {
    const r = run(['pdfdump', '-', '-c', '3', '-o', '-'], readFileSync(SMALL_OFFICE));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(r.stdout.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    const file = join(dir, 'stdout.pdf');
    writeFileSync(file, r.stdout);
    const info = pdfinfo(file);
    expect(info['Title']).toBe('Packet dump of <stdin>');
    expect(Number(info['Pages'])).toBeGreaterThanOrEqual(5);
    const text = spawnSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('3 packets of 178 frames in the capture are dumped here (chosen with -c 3).');
  });

  it('writes a file, with A4 or Letter pages', () => {
    const a4 = join(dir, 'a4.pdf');
    const letter = join(dir, 'letter.pdf');
    expect(run(['pdfdump', SMALL_OFFICE, '--packets', '15', '-o', a4]).status).toBe(0);
    expect(run(['pdfdump', SMALL_OFFICE, '--packets', '15', '--paper', 'letter', '-o', letter]).status).toBe(0);
    expect(pdfinfo(a4)['Page size']).toMatch(/595\.28 x 841\.89/);
    expect(pdfinfo(letter)['Page size']).toMatch(/612 x 792/);
  });

  it('-Y picks packets; a bad filter is exit 1 with the place of the mistake', () => {
    const out = join(dir, 'syn.pdf');
    const r = run(['pdfdump', SMALL_OFFICE, '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', '-o', out]);
    expect(r.status).toBe(0);
    const text = spawnSync('pdftotext', ['-f', '2', '-l', '2', out, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('[SYN]');
    expect(text).not.toContain('[SYN, ACK]');
    const bad = run(['pdfdump', SMALL_OFFICE, '-Y', 'tcp.port ==', '-o', join(dir, 'bad.pdf')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/\^/);
  });

  it('an unreadable capture or output is exit 1 with a message', () => {
    const missing = run(['pdfdump', join(dir, 'nope.pcap'), '-o', join(dir, 'x.pdf')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.pcap/);
    const badOut = run(['pdfdump', SMALL_OFFICE, '-o', join(dir, 'no', 'such', 'dir', 'x.pdf')]);
    expect(badOut.status).toBe(1);
    expect(badOut.stderr).toMatch(/cannot write .*x\.pdf: its folder .*dir does not exist/);
    expect(run(['pdfdump', SMALL_OFFICE]).status).toBe(1); // -o is required
  });

  it('a damaged capture still gives its packets, with a warning and exit 2', () => {
    const bytes = readFileSync(SMALL_OFFICE);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, 2000));
    const out = join(dir, 'cut.pdf');
    const r = run(['pdfdump', cut, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/warning: cut\.pcap is damaged/);
    const text = spawnSync('pdftotext', ['-f', '1', '-l', '1', out, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('The capture is damaged');
  });
});
