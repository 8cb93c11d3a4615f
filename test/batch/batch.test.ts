/**
 * `pcapviz batch` and `merge` end to end (the built CLI): an archive made from corpus captures
 * with nested folders, a gzipped copy, a capture cut short, one with its header cut, a file that
 * is no capture, names with spaces, `..`-like segments and a roll-up file's name.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';
import { csvRecords } from '../helpers/csv.js';
import { filesBelow } from '../helpers/files.js';

const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;

/** Capture files of the archive (relative path → corpus file), readable in full. */
const WHOLE: Readonly<Record<string, string>> = {
  'site a/..x/http v6.pcap': 'pcapplusplus__four_ipv6_http_streams.pcap',
  'deep/er/dns': 'tcpdump__dns_tcp.pcap',
  'index.html': 'libpcap__http_PPI.pcap',
  '..dots/udp dns.pcap': 'tcpdump__dns_udp.pcap',
  '..dots/<b onclick="x">.pcap': 'tcpdump__ppp_ip_udp_dns.pcap',
};
const GZIPPED = 'deep/rst.pcap.gz';
const CUT = 'cut short.pcap';
const HEADER_CUT = 'header.pcap';
const CAPTURE_COUNT = Object.keys(WHOLE).length + 3;

let root: string;
let archive: string;

type Csv = Record<string, string>[];

const csv = (dir: string, name: string): Csv => csvRecords(readFileSync(join(root, dir, name), 'utf8'));
const batch = (...args: string[]): ReturnType<typeof runCli> => runCli(['batch', archive, ...args]);

const tree = (dir: string): string[] => filesBelow(dir, true);

let archiveBefore: string[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pcapviz-batch-'));
  archive = join(root, 'archive');
  for (const [rel, src] of Object.entries(WHOLE)) {
    mkdirSync(join(archive, rel, '..'), { recursive: true });
    copyFileSync(`${CAPTURES}${src}`, join(archive, rel));
  }
  writeFileSync(join(archive, GZIPPED), gzipSync(readFileSync(`${CAPTURES}pcapplusplus__one_http_stream_rst.pcap`)));
  writeFileSync(join(archive, CUT), readFileSync(`${CAPTURES}arkime__mpls-basic.pcap`).subarray(0, 2000));
  writeFileSync(join(archive, HEADER_CUT), readFileSync(`${CAPTURES}tcpdump__dns_tcp.pcap`).subarray(0, 10));
  writeFileSync(join(archive, 'notes.txt'), 'not a capture\n');
  archiveBefore = tree(archive);
});

afterAll(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('pcapviz batch', () => {
  it('writes a folder per capture, the index, CSV and Parquet tables, and the merged graph', async () => {
    const r = runCli(['batch', archive, '-o', join(root, 'full'), '--outputs', 'graph.svg', '--parquet', '-j', '2'], undefined, { PCAPVIZ_PROGRESS_MS: '100' });
    expect(r.status, r.stderr).toBe(1); // an unreadable capture wins over a damaged one
    // Not a terminal: plain progress lines now and then, and a last one.
    expect(r.stderr.match(/^pcapviz: batch: \d+\/\d+ captures, [\d,]+ packets\/s/gm)!.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toMatch(new RegExp(`^pcapviz: batch: ${CAPTURE_COUNT}/${CAPTURE_COUNT} captures, .*2 with errors, .* in all$`, 'm'));
    expect(r.stderr).not.toContain('\x1b[');
    expect(r.stderr).toMatch(/cut short\.pcap is damaged/);
    expect(r.stderr).toMatch(/header\.pcap is unreadable/);

    const captures = csv('full', 'captures.csv');
    expect(captures.map((c) => c.capture)).toEqual(
      [...Object.keys(WHOLE), GZIPPED, CUT, HEADER_CUT].sort((a, b) => (a < b ? -1 : 1)),
    );
    const by = new Map(captures.map((c) => [c.capture, c]));
    expect(by.get(CUT)).toMatchObject({ status: 'damaged', packets: '17' });
    expect(by.get(CUT)!.error).toMatch(/cut short/);
    expect(by.get(HEADER_CUT)).toMatchObject({ status: 'unreadable', packets: '' });
    expect(by.get(HEADER_CUT)!.error).toMatch(/header cut short/);
    expect(by.get(HEADER_CUT)!.error).not.toContain(root); // named by its relative path
    for (const rel of [...Object.keys(WHOLE), GZIPPED]) expect(by.get(rel)!.status, rel).toBe('ok');

    // Folders: relative path kept, a roll-up file's name escaped; the files each summary lists exist.
    expect(by.get('index.html')!.folder).toBe('%69ndex.html');
    for (const c of captures) {
      for (const f of c.outputs!.split(' ')) expect(existsSync(join(root, 'full', c.folder!, f)), `${c.folder}/${f}`).toBe(true);
    }
    expect(by.get(CUT)!.outputs).toBe('summary.json graph.svg');
    expect(by.get('..dots/<b onclick="x">.pcap')!.folder).toBe('..dots/%3Cb onclick=%22x%22%3E.pcap');
    expect(by.get(HEADER_CUT)!.outputs).toBe('summary.json');
    const summary = JSON.parse(readFileSync(join(root, 'full', 'site a/..x/http v6.pcap', 'summary.json'), 'utf8')) as { info: { packets: number }; stats: Record<string, unknown> };
    expect(Object.keys(summary.stats).sort()).toEqual(['conv', 'dns', 'endpoints', 'expert', 'http', 'io', 'protocols', 'tcp', 'tls']);

    // summary.json holds what `stats all` and `info` print for the capture.
    const direct = runCli(['stats', 'all', join(archive, 'deep/er/dns'), '--format', 'json']);
    const dns = JSON.parse(readFileSync(join(root, 'full', 'deep/er/dns', 'summary.json'), 'utf8')) as { stats: unknown; info: { packets: number } };
    expect(dns.stats).toEqual(JSON.parse(direct.stdout));
    expect(dns.info.packets).toBe(11);

    // Conversation and endpoint totals equal the sum of every capture's own stats.
    const readable = captures.filter((c) => c.status !== 'unreadable').map((c) => join(archive, c.capture!));
    const stats = JSON.parse(runCli(['stats', 'conv,endpoints', ...readable, '--format', 'json']).stdout) as { file: string; conv: Record<string, { packets: number; bytes: number }[]>; endpoints: Record<string, { packets: number }[]> }[];
    const conversations = csv('full', 'conversations.csv');
    const hosts = csv('full', 'hosts.csv');
    for (const type of ['eth', 'ip', 'ipv6', 'tcp', 'udp']) {
      const want = stats.reduce((n, s) => n + (s.conv[type] ?? []).reduce((m, c) => m + c.packets, 0), 0);
      const wantBytes = stats.reduce((n, s) => n + (s.conv[type] ?? []).reduce((m, c) => m + c.bytes, 0), 0);
      const rows = conversations.filter((c) => c.type === type);
      expect(rows.reduce((n, c) => n + Number(c.packets), 0), type).toBe(want);
      expect(rows.reduce((n, c) => n + Number(c.bytes), 0), type).toBe(wantBytes);
      const wantHosts = stats.reduce((n, s) => n + (s.endpoints[type] ?? []).reduce((m, c) => m + c.packets, 0), 0);
      expect(hosts.filter((h) => h.type === type).reduce((n, h) => n + Number(h.packets), 0), type).toBe(wantHosts);
    }
    const withRows = stats.filter((st) => Object.values(st.conv).some((rows) => rows.length > 0)).map((st) => relative(archive, st.file));
    expect(new Set(conversations.map((c) => c.capture))).toEqual(new Set(withRows));

    // Parquet: the same rows.
    for (const [name, rows] of [['captures', captures], ['conversations', conversations], ['hosts', hosts]] as const) {
      const buf = readFileSync(join(root, 'full', `${name}.parquet`));
      const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      const read = (await parquetReadObjects({ file })) as Record<string, unknown>[];
      expect(read.length, name).toBe(rows.length);
      for (let i = 0; i < rows.length; i++) {
        expect(read[i]!['capture']).toBe(rows[i]!.capture);
        if (name !== 'captures') expect(String(read[i]!['packets'])).toBe(rows[i]!.packets);
      }
    }

    // The index: one row per capture, names as text, links into the capture folders.
    const index = readFileSync(join(root, 'full', 'index.html'), 'utf8');
    const body = index.slice(index.indexOf('<tbody>'), index.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)?.length).toBe(CAPTURE_COUNT);
    expect(body).toContain('href="%2569ndex.html/graph.svg"');
    expect(body).toContain('href="site%20a/..x/http%20v6.pcap/summary.json"');
    expect(index).toContain('<svg');
    expect(index).not.toMatch(/<(link|img|iframe)\b/);
    expect(index).toContain('notes.txt'); // listed as not a capture
    expect(index).not.toContain('<b onclick');
    expect(index).toContain('&lt;b onclick=&quot;x&quot;&gt;.pcap');
    const graph = readFileSync(join(root, 'full', 'graph.svg'), 'utf8');
    expect(graph).toContain('2001:'); // IPv6 hosts of one capture
    expect(graph).toMatch(/192\.168\./); // IPv4 hosts of another
  }, 180_000);

  it('shards 1/2 and 2/2 merged give the unsharded roll-up', () => {
    const base = join(root, 'plain');
    expect(batch('-o', base, '-j', '2', '-q').status).toBe(1);
    const s1 = batch('-o', join(root, 's1'), '--shard', '1/2', '-j', '1', '-q');
    const s2 = batch('-o', join(root, 's2'), '--shard', '2/2', '-j', '1', '-q');
    expect([s1.status, s2.status].sort()).toEqual([1, 2]);
    const n1 = csv('s1', 'captures.csv').length;
    const n2 = csv('s2', 'captures.csv').length;
    expect(n1 + n2).toBe(CAPTURE_COUNT);
    expect(Math.abs(n1 - n2)).toBeLessThanOrEqual(1);
    const m = runCli(['merge', join(root, 's1'), join(root, 's2'), '-o', join(root, 'merged'), '-q']);
    expect(m.status, m.stderr).toBe(1);
    for (const f of ['captures.csv', 'conversations.csv', 'hosts.csv']) {
      expect(readFileSync(join(root, 'merged', f), 'utf8'), f).toBe(readFileSync(join(base, f), 'utf8'));
    }
    expect(readFileSync(join(root, 'merged', 'deep/er/dns/summary.json'), 'utf8')).toBe(readFileSync(join(base, 'deep/er/dns/summary.json'), 'utf8'));
    expect(batch('-o', join(root, 'x'), '--shard', '3/2').status).toBe(1);
  }, 120_000);

  it('skips up-to-date captures on a rerun, redoes them with --force or other options', () => {
    const out = join(root, 'plain');
    const stamp = statSync(join(out, 'deep/er/dns/summary.json')).mtimeMs;
    const again = batch('-o', out, '-j', '2');
    expect(again.status).toBe(1); // the unreadable capture still counts
    expect(again.stderr).toContain(`${CAPTURE_COUNT} up to date`);
    expect(statSync(join(out, 'deep/er/dns/summary.json')).mtimeMs).toBe(stamp);
    const forced = batch('-o', out, '-j', '2', '--force', '-q');
    expect(forced.stderr).toBe('');
    expect(statSync(join(out, 'deep/er/dns/summary.json')).mtimeMs).toBeGreaterThan(stamp);
    // Other options: other outputs.
    const other = batch('-o', out, '-j', '2', '--no-names');
    expect(other.stderr).not.toContain('up to date');
  }, 120_000);

  it('leaves no partial file when interrupted', async () => {
    const out = join(root, 'interrupted');
    // The archive three times over (as archive, archive~2, archive~3), so that much is left to do when the signal comes.
    const child = spawn(process.execPath, [BIN, 'batch', archive, archive, archive, '-o', out, '--outputs', 'report.html', '-j', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first capture is complete and others are running.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(existsSync(out) && tree(out).some((f) => f.includes('manifest.json')))) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    const files = tree(out);
    expect(files.filter((f) => f.includes('pcapviz-tmp'))).toEqual([]);
    expect(files.some((f) => f.startsWith('index.html '))).toBe(false);
    // A folder with a manifest is complete.
    for (const f of files.filter((x) => x.includes('manifest.json'))) {
      const dir = join(out, f.slice(0, f.lastIndexOf(' ')), '..');
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { outputs: string[] };
      for (const o of m.outputs) expect(existsSync(join(dir, o))).toBe(true);
      if (!readFileSync(join(dir, 'summary.json'), 'utf8').includes('"unreadable"')) {
        expect(m.outputs).toContain('report.html');
        expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<\/html>\s*$/);
      }
    }
  }, 120_000);

  it('writes nothing outside its output folder and never changes the archive', () => {
    expect(tree(archive)).toEqual(archiveBefore);
    expect(readdirSync(root).sort()).toEqual(['archive', 'full', 'interrupted', 'merged', 'plain', 's1', 's2']);
  });

  it('refuses bad options', () => {
    expect(batch('-o', join(root, 'bad'), '--outputs', 'nope.exe').status).toBe(1);
    expect(batch('-o', join(root, 'bad'), '--jobs', '0').status).toBe(1);
    const filter = batch('-o', join(root, 'bad'), '-Y', 'tcp.port ==');
    expect(filter.status).toBe(1);
    expect(filter.stderr).toMatch(/filter/);
    expect(existsSync(join(root, 'bad'))).toBe(false);
    expect(runCli(['batch', join(root, 'nowhere'), '-o', join(root, 'bad')]).status).toBe(1);
  });
});
