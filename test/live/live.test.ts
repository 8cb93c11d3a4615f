/**
 * `pcapviz sniff` and `pcapviz send` end to end (needs `npm run build`), only inside a network
 * namespace with a veth pair that this test creates and deletes itself: the commands run in the
 * namespace (`ip netns exec`), so no other interface is ever touched. Skipped, with the reason on
 * the console, without root, iproute2, namespace rights, a capture engine or tcpreplay.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/index.js';
import { which } from '../../src/live/tools.js';
import { runCli } from '../helpers/run-cli.js';

const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;
const NS = `pcapviz-test-${process.pid}`;
const A = 'pvz-a';
const B = 'pvz-b';
const PACKET = 'Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01")/IP(src="192.0.2.1", dst="192.0.2.2")/UDP(sport=9998, dport=9999)/Raw(load="pcapviz live test")';

function run(cmd: string, args: readonly string[]): { ok: boolean; text: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, text: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`.trim() };
}

/** Why the namespace tests cannot run here, or undefined when they can (the namespace is then made). */
function setUp(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (network namespaces need it)';
  if (which('ip') === undefined) return 'iproute2 (ip) is not installed';
  if (which('tcpreplay') === undefined) return 'tcpreplay is not installed';
  if (which('dumpcap') === undefined && which('tcpdump') === undefined) return 'no capture engine (dumpcap or tcpdump) is installed';
  const add = run('ip', ['netns', 'add', NS]);
  if (!add.ok) return `cannot create a network namespace: ${add.text}`;
  for (const args of [
    ['-n', NS, 'link', 'add', A, 'type', 'veth', 'peer', 'name', B],
    ['-n', NS, 'link', 'set', A, 'up'],
    ['-n', NS, 'link', 'set', B, 'up'],
  ]) {
    const r = run('ip', args);
    if (!r.ok) {
      run('ip', ['netns', 'del', NS]);
      return `cannot set up a veth pair in the namespace: ${r.text}`;
    }
  }
  return undefined;
}

const skipped = setUp();
if (skipped !== undefined) console.warn(`test/live: sniff and send tests skipped: ${skipped}`);
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-live-'));

afterAll(() => {
  if (skipped === undefined) run('ip', ['netns', 'del', NS]);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs pcapviz inside the namespace. */
function inNs(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS, process.execPath, BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `sniff` in the namespace; resolves with its output when it exits. */
function sniffInNs(args: readonly string[], env: Record<string, string> = {}): { done: Promise<{ status: number | null; stdout: string; stderr: string }>; exited: () => boolean; interrupt: () => void } {
  const child = spawn('ip', ['netns', 'exec', NS, process.execPath, BIN, 'sniff', ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let over = false;
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('exit', (status) => {
      over = true;
      resolve({ status, stdout, stderr });
    });
  });
  return { done, exited: () => over, interrupt: () => child.kill('SIGINT') };
}

async function packetsOf(path: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const f of await openCapture(path)) if (f.kind === 'packet') out.push(Uint8Array.from(f.data));
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('pcapviz sniff without an engine, send without a confirmation (no interface touched)', () => {
  it('says no engine is installed, exit 1', () => {
    const r = runCli(['sniff', '-i', 'pvz-none'], undefined, { PATH: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no capture engine found: install dumpcap .* or tcpdump/);
  });

  it('says tcpreplay is missing and that there is no raw socket, exit 1', () => {
    const r = runCli(['send', 'Ether()/IP()', '-i', 'pvz-none', '--yes'], undefined, { PATH: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tcpreplay is not installed.*no raw sockets without native code/);
  });
});

describe.skipIf(skipped !== undefined)('pcapviz sniff and send in a test-made network namespace', () => {
  beforeAll(() => {
    expect(readFileSync(BIN, 'utf8')).toContain('main');
  });

  const engines = (['dumpcap', 'tcpdump'] as const).filter((e) => which(e) !== undefined);

  it.each(engines)('sniff (%s) shows and keeps what send puts on the veth pair, stopping at -c', async (engine) => {
    const out = join(dir, `${engine}.pcapng`);
    const s = sniffInNs(['-i', B, '-f', 'udp port 9999', '-c', '3', '-w', out, '--engine', engine]);
    // Send until the capture has its three packets (the engine needs a moment to start).
    for (let i = 0; i < 40 && !s.exited(); i++) {
      const r = inNs(['send', PACKET, '-i', A, '--yes']);
      expect(r.stderr).toMatch(/1 packets sent out of pvz-a/);
      expect(r.status).toBe(0);
      await sleep(200);
    }
    const r = await s.done;
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`capturing on ${B} with ${engine}`);
    expect(r.stderr).toContain(`3 packets (-c) captured on ${B}, written to ${out}`);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/192\.0\.2\.1 → 192\.0\.2\.2 UDP 59 9998 → 9999 Len=17/);
    const kept = await packetsOf(out);
    expect(kept).toHaveLength(3);
    expect(Buffer.from(kept[0]!).toString('latin1')).toContain('pcapviz live test');
    // What -w keeps feeds the other commands.
    expect(runCli(['stats', 'conv', out]).status).toBe(0);
  }, 60_000);

  it('sniff hands what it captured to stats, graph and report when it stops, and leaves no temporary file', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const graph = join(dir, 'live.svg');
    const report = join(dir, 'live.md');
    const s = sniffInNs(['-i', B, '-f', 'udp port 9999', '-c', '4', '-q', '--stats', 'conv,protocols', '--format', 'json', '--graph', graph, '--report', report], { TMPDIR: tmp });
    for (let i = 0; i < 40 && !s.exited(); i++) {
      inNs(['send', PACKET, '-i', A, '--yes']);
      await sleep(200);
    }
    const r = await s.done;
    expect(r.status).toBe(0);
    const stats = JSON.parse(r.stdout) as { conv: { udp: { a: string; b: string; packets: number }[] }; protocols: unknown };
    const udp = stats.conv.udp;
    expect(udp).toHaveLength(1);
    expect(udp[0]).toMatchObject({ a: '192.0.2.1', b: '192.0.2.2', packets: 4 });
    expect(JSON.stringify(stats.protocols)).toContain('"udp"');
    expect(readFileSync(graph, 'utf8')).toMatch(/<svg[\s\S]*192\.0\.2\.1[\s\S]*192\.0\.2\.2/);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('192.0.2.2');
    expect(md).toMatch(/\| *4 *\|/);
    expect(r.stderr).toContain(`graph written to ${graph}`);
    expect(r.stderr).toContain(`report written to ${report}`);
    // The packets lived in a temporary file only while the three runs read it.
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it('sniff refuses an output name it cannot write before capturing', () => {
    const r = runCli(['sniff', '-i', 'pvz-none', '--graph', join(dir, 'g.xyz')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('sniff: --graph:');
  });

  it('sniff stops at --duration and on Ctrl-C (SIGINT), exit 0, the file closed', async () => {
    const t0 = Date.now();
    const d = sniffInNs(['-i', B, '--duration', '1', '-w', join(dir, 'd.pcapng'), '-q']);
    const dr = await d.done;
    expect(dr.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await packetsOf(join(dir, 'd.pcapng'))).toBeDefined();
    const c = sniffInNs(['-i', B, '-w', join(dir, 'c.pcapng'), '-f', 'udp port 9999']);
    await sleep(1500);
    inNs(['send', PACKET, '-i', A, '--yes']);
    await sleep(700);
    c.interrupt();
    const cr = await c.done;
    expect(cr.status).toBe(0);
    expect(cr.stderr).toMatch(/\d+ packets? captured on pvz-b/);
    expect((await packetsOf(join(dir, 'c.pcapng'))).length).toBe(Number(/(\d+) packets? captured/.exec(cr.stderr)?.[1]));
  }, 60_000);

  it('send sends a capture at --rate, refuses without --yes when there is no terminal, and explains a missing interface', () => {
    const file = join(dir, 'three.pcap');
    expect(runCli(['craft', PACKET, '-c', '3', '-o', file]).status).toBe(0);
    const ok = inNs(['send', file, '-i', A, '--rate', '50', '--yes']);
    expect(ok.stderr).toContain('3 packets sent out of pvz-a');
    expect(ok.status).toBe(0);
    const refused = inNs(['send', file, '-i', A]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('not sending without a confirmation: give --yes');
    const missing = inNs(['send', file, '-i', 'pvz-nothere', '--yes']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/send: tcpreplay (cannot find the interface pvz-nothere|failed)/);
    const sniffMissing = inNs(['sniff', '-i', 'pvz-nothere', '-c', '1']);
    expect(sniffMissing.status).toBe(1);
    expect(sniffMissing.stderr).toMatch(/sniff: (dumpcap|tcpdump) (cannot find the interface pvz-nothere|failed)/);
  }, 60_000);

  it.skipIf(which('setpriv') === undefined)('sniff says so when the user may not capture (run as nobody), exit 1', () => {
    for (const engine of engines) {
      const r = spawnSync('ip', ['netns', 'exec', NS, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'sniff', '-i', B, '-c', '1', '--duration', '5', '--engine', engine], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      if (r.stderr.includes('EACCES') && r.stderr.includes('pcapviz.js')) {
        console.warn(`test/live: the nobody user cannot read ${BIN}; permission message not checked`);
        return;
      }
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`sniff: ${engine} has no permission to use ${B}: run as root, or give ${engine} capture rights`);
    }
  }, 60_000);
});
