/**
 * `pcapviz craft` end to end (needs `npm run build`): the capture it writes, its formats,
 * repeats and timestamps, standard output, and errors with a caret and exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/index.js';
import type { Frame } from '../../src/capture/frame.js';
import { dissect, field, stack } from '../helpers/dissect.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pcapviz-craft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function framesOf(path: string): Promise<Frame[]> {
  const reader = await openCapture(path);
  const out: Frame[] = [];
  for await (const f of reader) if (f.kind === 'packet') out.push({ ...f, data: Uint8Array.from(f.data) });
  return out;
}

describe('pcapviz craft', () => {
  it('writes the series -c times to a pcap, with timestamps --interval apart from --start', async () => {
    const out = join(dir, 'ping.pcap');
    const r = runCli(['craft', 'Ether()/IP(dst="8.8.8.8")/ICMP(seq=[1,2])', '-c', '3', '-o', out, '--start', '1700000000.25', '--interval', '0.5']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const frames = await framesOf(out);
    expect(frames).toHaveLength(6);
    expect(readFileSync(out).readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(frames.map((f) => f.tsSec + f.tsNsec / 1e9)).toEqual([0, 1, 2, 3, 4, 5].map((i) => 1700000000.25 + 0.5 * i));
    expect(frames.map((f) => f.linkType)).toEqual(new Array(6).fill(1));
    const seqs = frames.map((f) => field(dissect(f.data), 'icmp.seq').value);
    expect(seqs).toEqual([1, 2, 1, 2, 1, 2]);
    const p = dissect(frames[0]!.data);
    expect(stack(p)).toBe('eth/ip/icmp');
    expect(field(p, 'ip.dst').value).toBe('8.8.8.8');
  });

  it('writes pcapng for --format pcapng or a .pcapng name, nanosecond stamps when needed, raw IP link types', async () => {
    const out = join(dir, 'syn.pcapng');
    expect(runCli(['craft', 'IP(dst="192.0.2.1")/TCP(dport=(1,1024))', '-o', out, '--start', '10', '--interval', '0.000000001']).status).toBe(0);
    expect(readFileSync(out).readUInt32LE(0)).toBe(0x0a0d0d0a);
    const frames = await framesOf(out);
    expect(frames).toHaveLength(1024);
    expect(frames[1023]!.tsNsec).toBe(1023);
    expect(frames[0]!.linkType).toBe(228);
    expect(field(dissect(frames[1023]!.data, 228), 'tcp.dstport').value).toBe(1024);
    const v6 = join(dir, 'v6.cap');
    expect(runCli(['craft', 'IPv6()/ICMPv6EchoRequest()', '-o', v6, '--format', 'pcapng']).status).toBe(0);
    const [f] = await framesOf(v6);
    expect(f!.linkType).toBe(229);
    expect(field(dissect(f!.data, 229), 'icmpv6.checksum.status').value).toBe(1);
  });

  it('writes to standard output with -o - (the default), readable by the other commands', () => {
    const bin = new URL('../../bin/pcapviz.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'craft', 'IP()/UDP()/DNS(qd=DNSQR(qname="example.com", qtype="AAAA"))', '-o', '-'], { encoding: 'buffer' });
    expect(r.status).toBe(0);
    expect(r.stdout.readUInt32LE(0)).toBe(0xa1b2c3d4);
    const list = runCli(['list', '-'], r.stdout);
    expect(list.stdout).toMatch(/DNS .*Standard query 0x0000 AAAA example\.com/);
  });

  it('reports a bad expression with a caret and exit code 1, and writes no file', () => {
    const out = join(dir, 'bad.pcap');
    const r = runCli(['craft', 'Ether()/IPP()/TCP()', '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('pcapviz: craft error: unknown layer "IPP" (did you mean IP?)\n  Ether()/IPP()/TCP()\n          ^~~\n');
    expect(existsSync(out)).toBe(false);
    const enc = runCli(['craft', 'IP()/UDP()/DNS(an=DNSRR(type="A", rdata="x"))', '-o', out]);
    expect(enc.status).toBe(1);
    expect(enc.stderr).toContain('craft error: "x" is not an IPv4 address');
    expect(existsSync(out)).toBe(false);
    const link = runCli(['craft', 'TCP()', '-o', out]);
    expect(link.status).toBe(1);
    expect(link.stderr).toContain('--linktype');
    expect(runCli(['craft', 'Ether()', '-o', out, '--interval', 'soon']).status).toBe(1);
  });
});
