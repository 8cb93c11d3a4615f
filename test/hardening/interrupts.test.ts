/**
 * Signals during every command that writes a file, through the real CLI: the command is signalled
 * once its temporary output exists (it is then reading or writing), and must exit 130 (143 for
 * SIGTERM, 129 for SIGHUP) leaving the target absent, or as it was when it existed before, and no
 * temporary file. `sniff` is the exception: Ctrl-C is how a capture ends, so its file is completed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '../helpers/run-cli.js';
import { filesBelow } from '../helpers/files.js';

const GEN = new URL('../../../shared/bench/gen-capture.mjs', import.meta.url).pathname;
const SMALL = new URL('../../fixtures/small-office.pcap', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'pcapviz-interrupts-'));
const big = join(root, 'big.pcap');
const PACKETS = 10_000;
/** For pdfdump, whose first pass reads the whole capture before any page is written. */
const mid = join(root, 'mid.pcap');

beforeAll(() => {
  execFileSync(process.execPath, [GEN, '--packets', String(PACKETS), '--seed', '7', '-q', '-o', big]);
  execFileSync(process.execPath, [GEN, '--packets', '1500', '--seed', '7', '-q', '-o', mid]);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const isTemp = (name: string): boolean => name.includes('.pcapviz-tmp-');

const tree = (dir: string): string[] => filesBelow(dir);

async function until(what: string, ok: () => boolean, run: RunningCli, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  let exited = false;
  void run.done.then(() => (exited = true));
  const test = (): boolean => {
    try {
      return ok();
    } catch {
      return false;
    }
  };
  while (!test()) {
    if (exited) throw new Error(`exited before ${what}: ${run.out.stderr}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const tempOf = (dir: string): string | undefined => readdirSync(dir).find(isTemp);

/**
 * Runs `args(dir)` in a fresh folder holding `before` (name → content), signals it once a
 * temporary file of at least `minBytes` exists, and checks the folder is as it was.
 */
async function interruptWrite(args: (dir: string) => string[], before: Record<string, string> = {}, signal: NodeJS.Signals = 'SIGINT', minBytes = 0): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(root, 'w-'));
  for (const [name, text] of Object.entries(before)) writeFileSync(join(dir, name), text);
  const run = startCli(args(dir));
  await until('its temporary file', () => {
    const t = tempOf(dir);
    return t !== undefined && statSync(join(dir, t), { throwIfNoEntry: false }) !== undefined && statSync(join(dir, t)).size >= minBytes;
  }, run);
  run.child.kill(signal);
  const r = await run.done;
  expect(readdirSync(dir).sort()).toEqual(Object.keys(before).sort());
  for (const [name, text] of Object.entries(before)) expect(readFileSync(join(dir, name), 'utf8')).toBe(text);
  return { code: r.status, stderr: r.stderr };
}

// One command at a time: each runs flat out until it is signalled, and a dozen at once on two
// cores made the waits for their first bytes run past the timeouts.
describe('a signal while a file is written leaves no partial file', { timeout: 120_000 }, () => {
  it('report (HTML): exit 130, no file', async () => {
    expect((await interruptWrite((d) => ['report', big, '-o', join(d, 'r.html')])).code).toBe(130);
  });
  it('report (PDF) over an existing file: exit 130, the old file unchanged', async () => {
    expect((await interruptWrite((d) => ['report', big, '-o', join(d, 'r.pdf')], { 'r.pdf': 'the old report\n' })).code).toBe(130);
  });
  it('pdfdump, PDF streamed out: exit 130 after bytes were written, no file', async () => {
    expect((await interruptWrite((d) => ['pdfdump', mid, '-c', '1500', '-o', join(d, 'dump.pdf')], {}, 'SIGINT', 64 * 1024)).code).toBe(130);
  });
  it('pdfdump reading standard input: exit 130, and its copy of the input is gone too', async () => {
    const dir = mkdtempSync(join(root, 'w-'));
    const spool = mkdtempSync(join(root, 'tmp-'));
    const run = startCli(['pdfdump', '-', '-c', '1000', '-o', join(dir, 'dump.pdf')], { TMPDIR: spool }, true);
    run.child.stdin!.on('error', () => undefined);
    createReadStream(mid).pipe(run.child.stdin!);
    await until('its copy of the input', () => readdirSync(spool).length > 0 && tempOf(dir) !== undefined, run);
    run.child.kill('SIGINT');
    expect((await run.done).status).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(spool)).toEqual([]);
  });
  it('graph (SVG): exit 130, no file', async () => {
    expect((await interruptWrite((d) => ['graph', big, '-o', join(d, 'g.svg')])).code).toBe(130);
  });
  it('graph (PNG) over an existing file, SIGTERM: exit 143, the old file unchanged', async () => {
    expect((await interruptWrite((d) => ['graph', big, '-o', join(d, 'g.png')], { 'g.png': 'old picture' }, 'SIGTERM')).code).toBe(143);
  });
  it('flow, SIGHUP: exit 129, no file', async () => {
    expect((await interruptWrite((d) => ['flow', big, '--max-arrows', '0', '-o', join(d, 'f.txt')], {}, 'SIGHUP')).code).toBe(129);
  });
  it('craft, capture streamed out: exit 130 after bytes were written, no file', async () => {
    expect((await interruptWrite((d) => ['craft', 'Ether()/IP(dst="192.0.2.1")/UDP(dport=53)/Raw(load="x")', '-c', '20000000', '-o', join(d, 'c.pcap')], {}, 'SIGINT', 64 * 1024)).code).toBe(130);
  });
  it('fuzz over an existing file: exit 130 after bytes were written, the old file unchanged', async () => {
    const r = await interruptWrite((d) => ['fuzz', 'Ether()/IP()/UDP()', '--seed', 's', '-c', '20000000', '-o', join(d, 'f.pcapng')], { 'f.pcapng': 'old capture' }, 'SIGINT', 64 * 1024);
    expect(r.code).toBe(130);
  });

  it('batch: exit 130, no temporary file anywhere, every file left is whole', async () => {
    const inputs = mkdtempSync(join(root, 'in-'));
    // Enough captures that the run is still going when the signal comes, however fast it is.
    for (const n of 'abcdefghijkl') copyFileSync(big, join(inputs, `${n}.pcap`));
    const out = join(root, 'batch-out');
    const run = startCli(['batch', inputs, '-o', out, '--jobs', '1', '-q']);
    await until('the first capture folder', () => readdirSync(out, { withFileTypes: true }).some((e) => e.isDirectory()), run);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(130);
    const files = tree(out);
    expect(files.filter((f) => isTemp(f))).toEqual([]);
    // Not every capture finished: there is no roll-up, and each JSON left is complete.
    expect(files).not.toContain('index.html');
    for (const f of files.filter((n) => n.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(out, f), 'utf8'))).not.toThrow();
  });

  it('merge: exit 130, no temporary file anywhere', async () => {
    // One real batch folder, copied into many capture folders, so the merge takes a while.
    const source = join(root, 'merge-src');
    expect(runCli(['batch', SMALL, '-o', source, '-q']).status).toBe(0);
    const summary = JSON.parse(readFileSync(join(source, 'small-office.pcap', 'summary.json'), 'utf8')) as { capture: string };
    for (let i = 0; i < 800; i++) {
      const d = join(source, `copy-${i}`);
      mkdirSync(d);
      writeFileSync(join(d, 'summary.json'), JSON.stringify({ ...summary, capture: `copy-${i}` }));
    }
    const out = join(root, 'merge-out');
    const run = startCli(['merge', source, '-o', out, '-q']);
    await until('the first copied folder', () => readdirSync(out).length > 5, run);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(130);
    const files = tree(out);
    expect(files.filter((f) => isTemp(f))).toEqual([]);
    expect(files).not.toContain('index.html');
    for (const f of files.filter((n) => n.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(out, f), 'utf8'))).not.toThrow();
  });

  it('list to a pipe: exit 130, standard output ends with a whole line', async () => {
    const run = startCli(['list', big]);
    await until('the first lines', () => run.out.stdout.length > 0, run);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(130);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.split('\n').length - 1;
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThan(PACKETS);
  });
  it('stats reading standard input, before it printed anything: exit 130, nothing on standard output', async () => {
    const run = startCli(['stats', 'all', '-'], {}, true);
    // Half the capture, and the pipe left open: once it has been taken, the command is reading.
    const half = readFileSync(big).subarray(0, 3 << 20);
    await new Promise<void>((resolve, reject) => run.child.stdin!.write(half, (e) => (e ? reject(e) : resolve())));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(130);
    expect(r.stdout).toBe('');
  });
});

/** A stand-in capture engine (`tcpdump` on PATH): a packet every 20 ms on standard output until SIGINT. */
function fakeEngine(slowStop: boolean): string {
  const dir = mkdtempSync(join(root, 'engine-'));
  const script = `#!${process.execPath}
const hdr = Buffer.alloc(24); hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(65535, 16); hdr.writeUInt32LE(1, 20);
process.stdout.write(hdr);
const frame = Buffer.from('ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002', 'hex');
let n = 0;
const t = setInterval(() => { const r = Buffer.alloc(16); r.writeUInt32LE(1700000000 + n, 0); r.writeUInt32LE(frame.length, 8); r.writeUInt32LE(frame.length, 12); n++; process.stdout.write(Buffer.concat([r, frame])); }, 20);
process.on('SIGINT', () => { clearInterval(t); setTimeout(() => process.exit(0), ${slowStop ? 10_000 : 0}); });
`;
  writeFileSync(join(dir, 'tcpdump'), script);
  chmodSync(join(dir, 'tcpdump'), 0o755);
  return dir;
}

describe('sniff: Ctrl-C ends the capture', { timeout: 120_000 }, () => {
  it('Ctrl-C completes the -w file and exits 0; the file holds every packet it reports', async () => {
    const dir = mkdtempSync(join(root, 'w-'));
    const file = join(dir, 'live.pcapng');
    const run = startCli(['sniff', '-i', 'fake0', '--engine', 'tcpdump', '-q', '-w', file], { PATH: `${fakeEngine(false)}:${process.env['PATH'] ?? ''}` });
    await until('packets in the temporary file', () => {
      const t = tempOf(dir);
      return t !== undefined && statSync(join(dir, t)).size > 2000;
    }, run);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['live.pcapng']);
    const said = Number(/sniff: (\d+) packets captured/.exec(r.stderr)?.[1]);
    expect(said).toBeGreaterThan(10);
    const info = runCli(['info', file, '--format', 'json']);
    expect(info.status).toBe(0);
    expect((JSON.parse(info.stdout) as { packets: number }).packets).toBe(said);
  });
  it('a second Ctrl-C while the engine stops exits 130 and leaves no file', async () => {
    const dir = mkdtempSync(join(root, 'w-'));
    const run = startCli(['sniff', '-i', 'fake0', '--engine', 'tcpdump', '-q', '-w', join(dir, 'live.pcapng')], { PATH: `${fakeEngine(true)}:${process.env['PATH'] ?? ''}` });
    await until('packets in the temporary file', () => {
      const t = tempOf(dir);
      return t !== undefined && statSync(join(dir, t)).size > 500;
    }, run);
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });
});
