/**
 * tshark reads what we build: the fixed set (one packet per layer and option, fixed-set.ts)
 * written as a pcap gives no malformed packet and no expert error with checksum validation on.
 * Where tshark is installed the check runs live and must agree with the stored verdict
 * (tshark-verdict.json); where it is not, the stored verdict still speaks for these exact bytes:
 * their hash must be the one tshark judged. After changing the fixed set or a layer's bytes,
 * run this file with UPDATE_TSHARK_VERDICT=1 where tshark is installed to store a new verdict.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write-capture.js';
import { Ether, IPv6, IPv6ExtHdrRouting, stack, UDP } from '../../src/craft/index.js';
import { FIXED_SET } from './fixed-set.js';

const VERDICT = new URL('./tshark-verdict.json', import.meta.url).pathname;
const SEVERITY = { chat: 0x00200000, note: 0x00400000, warning: 0x00600000, error: 0x00800000 } as const;

interface PacketVerdict {
  readonly name: string;
  readonly protocols: string;
  readonly malformed: boolean;
  /** The worst expert severity tshark gave ('none' when it gave none). */
  readonly worst: 'none' | keyof typeof SEVERITY;
}

interface Verdict {
  readonly tshark: string;
  readonly sha256: string;
  readonly packets: readonly PacketVerdict[];
}

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-craft-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pcapOf(frames: readonly Uint8Array[]): Buffer {
  const o = { linkType: 1 };
  return Buffer.concat([encodePcapHeader(o), ...frames.map((data, i) => encodePcapRecord({ tsSec: 1_700_000_000 + i, tsNsec: 0, data }, o))]);
}

/** The hash of the set: each packet's name and bytes, length-prefixed. */
function hashOf(set: readonly (readonly [string, Uint8Array])[]): string {
  const h = createHash('sha256');
  for (const [name, data] of set) {
    h.update(`${name}\n${data.length}\n`);
    h.update(data);
  }
  return h.digest('hex');
}

/** tshark's verdict on a pcap, packet by packet. */
function tsharkVerdict(path: string, names: readonly string[]): PacketVerdict[] {
  const out = execFileSync('tshark', [
    '-r', path, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
    '-T', 'fields', '-E', 'separator=|', '-e', 'frame.protocols', '-e', '_ws.malformed', '-e', '_ws.expert.severity',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const rows = out.split('\n').filter((l) => l !== '');
  expect(rows).toHaveLength(names.length);
  return rows.map((row, i) => {
    const [protocols = '', malformed = '', severities = ''] = row.split('|');
    const worst = Math.max(0, ...severities.split(',').filter((s) => s !== '').map(Number));
    const level = (Object.entries(SEVERITY) as [keyof typeof SEVERITY, number][]).filter(([, v]) => v <= worst).pop();
    return { name: names[i]!, protocols, malformed: malformed !== '', worst: level === undefined ? 'none' : level[0] };
  });
}

const built = FIXED_SET.map(([name, p]) => [name, p.build()] as const);

describe('tshark reads crafted packets', () => {
  it('the stored verdict is for these exact bytes, and it is clean: no malformed packet, no expert error', () => {
    const stored = JSON.parse(readFileSync(VERDICT, 'utf8')) as Verdict;
    expect(stored.sha256, 'the fixed set or a layer changed: store a new verdict (UPDATE_TSHARK_VERDICT=1, tshark installed)').toBe(hashOf(built));
    expect(stored.packets.map((p) => p.name)).toEqual(built.map(([name]) => name));
    for (const p of stored.packets) {
      expect(p.malformed, p.name).toBe(false);
      expect(p.worst, p.name).not.toBe('error');
    }
  });

  it.skipIf(!hasTshark)('tshark, run now, finds no malformed packet and no expert error, as stored', () => {
    const path = join(dir, 'fixed-set.pcap');
    writeFileSync(path, pcapOf(built.map(([, data]) => data)));
    const live = tsharkVerdict(path, built.map(([name]) => name));
    for (const p of live) {
      expect(p.malformed, `${p.name}: ${p.protocols}`).toBe(false);
      expect(p.worst, `${p.name}: ${p.protocols}`).not.toBe('error');
    }
    const version = /TShark \(Wireshark\) (\S+)/.exec(execFileSync('tshark', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
    const verdict: Verdict = { tshark: version, sha256: hashOf(built), packets: live };
    if (process.env['UPDATE_TSHARK_VERDICT'] === '1') writeFileSync(VERDICT, `${JSON.stringify(verdict, null, 1)}\n`);
    const stored = JSON.parse(readFileSync(VERDICT, 'utf8')) as Verdict;
    expect(live).toEqual(stored.packets);
  });

  it.skipIf(!hasTshark)('tshark verifies a transport checksum over the final destination of a routing header (RFC 8200 8.1)', () => {
    const p = stack(Ether(), IPv6({ src: '2001:db8::1', dst: '2001:db8::2' }), IPv6ExtHdrRouting({ addresses: ['2001:db8::3'] }), UDP({ sport: 1000, dport: 2000 }), 'x');
    const path = join(dir, 'routing.pcap');
    writeFileSync(path, pcapOf([p.build()]));
    const out = execFileSync('tshark', ['-r', path, '-o', 'udp.check_checksum:TRUE', '-T', 'fields', '-e', 'udp.checksum.status'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.trim()).toBe('1');
  });
});
