import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES, TRUTH } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';
import { parseCsv } from '../helpers/csv.js';

const PPTP = `${CAPTURES}tcpdump__pptp.pcap`;
const GRE = `${CAPTURES}zeek__gre-sample.pcap`;
const CUT = `${CAPTURES}scapy__bad_rsn_parsing_overrides_ssid.pcap`;
const WIKI = `${CAPTURES}zeek__wikipedia.pcap`;

interface Truth {
  conv: Record<string, Record<string, unknown>[]>;
  phs: { frames: number; bytes: number };
}
const truth = (file: string): Truth => JSON.parse(readFileSync(`${TRUTH}${file.slice(CAPTURES.length)}.json`, 'utf8')) as Truth;

const CONV_KEYS = ['a', 'b', 'packetsAtoB', 'bytesAtoB', 'packetsBtoA', 'bytesBtoA', 'packets', 'bytes', 'start', 'duration'];
const PORT_KEYS = ['a', 'portA', 'b', 'portB', ...CONV_KEYS.slice(2)];

/** The cells of a Markdown table line, splitting on pipes that are not escaped. */
const mdCells = (line: string): string[] => line.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());

/** Checks every Markdown table in `text` is well formed; returns the tables (header + rows). */
function markdownTables(text: string): string[][][] {
  const tables: string[][][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    const header = mdCells(lines[i]!);
    const sep = mdCells(lines[i + 1] ?? '');
    expect(sep.length).toBe(header.length);
    for (const s of sep) expect(s).toMatch(/^-{3,}:?$/);
    const table = [header];
    i += 2;
    for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
      const cells = mdCells(lines[i]!);
      expect(cells.length).toBe(header.length);
      table.push(cells);
    }
    tables.push(table);
  }
  return tables;
}

describe('pcapviz stats conv', () => {
  it('--type tcp --format json gives the contract array, equal to tshark', () => {
    const r = runCli(['stats', 'conv', PPTP, '--type', 'tcp', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(rows)).toBe(true);
    for (const row of rows) expect(Object.keys(row)).toEqual(PORT_KEYS);
    expect(rows).toEqual(truth(PPTP).conv['tcp']);
  });

  it('takes --type before the capture names, repeated or comma-separated', () => {
    const before = runCli(['stats', 'conv', '--type', 'tcp', PPTP, '--format', 'json']);
    expect(before.status).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual(truth(PPTP).conv['tcp']);
    const both = JSON.parse(runCli(['stats', 'conv', '--type', 'tcp,ip', PPTP, '--format', 'json']).stdout) as Record<string, unknown>;
    expect(Object.keys(both)).toEqual(['tcp', 'ip']);
    expect(JSON.parse(runCli(['stats', 'conv', PPTP, '--type', 'tcp', '--type', 'ip', '--format', 'json']).stdout)).toEqual(both);
  });

  it('gives an empty array when there is no conversation of the type', () => {
    const r = runCli(['stats', 'conv', PPTP, '--type', 'udp', '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('without --type, JSON is keyed by type; address tables have no ports', () => {
    const j = JSON.parse(runCli(['stats', 'conv', GRE, '--format', 'json']).stdout) as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(j)).toEqual(['eth', 'ip', 'ipv6', 'tcp', 'udp']);
    for (const row of j['ip']!) expect(Object.keys(row)).toEqual(CONV_KEYS);
    const t = truth(GRE).conv;
    expect(j['ip']!.length).toBe(t['ip']!.length);
    expect(j['udp']!.length).toBe(t['udp']!.length);
  });

  it('CSV parses back with its header row and exact numbers', () => {
    const r = runCli(['stats', 'conv', GRE, '--format', 'csv']);
    expect(r.status).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header).toEqual(['type', 'a', 'portA', 'b', 'portB', 'packetsAtoB', 'bytesAtoB', 'packetsBtoA', 'bytesBtoA', 'packets', 'bytes', 'start', 'duration']);
    const j = JSON.parse(runCli(['stats', 'conv', GRE, '--format', 'json']).stdout) as Record<string, Record<string, number>[]>;
    expect(rows.length).toBe(Object.values(j).reduce((n, list) => n + list.length, 0));
    for (const row of rows) {
      expect(row.length).toBe(header!.length);
      const rec = Object.fromEntries(header!.map((k, i) => [k, row[i]!]));
      expect(Number(rec['packets'])).toBe(Number(rec['packetsAtoB']) + Number(rec['packetsBtoA']));
      expect(rec['bytes']).toMatch(/^\d+$/); // never "12 kB"
      expect(rec['duration']).toMatch(/^\d+\.\d{9}$/);
    }
    const first = j['udp']![0]!;
    const csvUdp = rows.filter((row) => row[0] === 'udp').map((row) => Object.fromEntries(header!.map((k, i) => [k, row[i]!])));
    expect(csvUdp.some((r2) => r2['a'] === String(first['a']) && Number(r2['bytes']) === first['bytes'] && Number(r2['start']) === first['start'])).toBe(true);
  });

  it('Markdown gives one well-formed table per type with exact numbers', () => {
    const r = runCli(['stats', 'conv', GRE, '--format', 'md']);
    const tables = markdownTables(r.stdout);
    expect(tables.length).toBeGreaterThanOrEqual(3);
    expect(r.stdout).toContain('## TCP conversations');
    expect(r.stdout).not.toMatch(/\bkB\b/);
  });

  it('the text table has aligned columns and human units', () => {
    const r = runCli(['stats', 'conv', PPTP, '--type', 'ip']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('IPv4 conversations');
    expect(lines[2]).toMatch(/^-+( +-+)+$/);
    // Right-aligned numbers end under the end of their dashes.
    expect(lines[3]!.length).toBe(lines[2]!.length);
    expect(lines[3]).toContain('2.07 kB');
  });

  it('--top and --sort pick and order rows', () => {
    const all = JSON.parse(runCli(['stats', 'conv', GRE, '--type', 'udp', '--format', 'json']).stdout) as { bytes: number; packets: number; start: number }[];
    const top = JSON.parse(runCli(['stats', 'conv', GRE, '--type', 'udp', '--format', 'json', '--top', '2', '--sort', 'packets']).stdout) as typeof all;
    const byPackets = [...all].sort((a, b) => b.packets - a.packets);
    expect(top.length).toBe(Math.min(2, all.length));
    expect(top.map((c) => c.packets)).toEqual(byPackets.slice(0, 2).map((c) => c.packets));
    const byStart = JSON.parse(runCli(['stats', 'conv', GRE, '--type', 'udp', '--format', 'json', '--sort', 'start']).stdout) as typeof all;
    expect(byStart.map((c) => c.start)).toEqual([...all.map((c) => c.start)].sort((a, b) => a - b));
  });

  it('reports flows retired under --max-flows on stderr, and keeps their counts', () => {
    const full = JSON.parse(runCli(['stats', 'conv', WIKI, '--type', 'tcp', '--format', 'json']).stdout) as { packets: number }[];
    expect(full.length).toBe(10);
    const r = runCli(['stats', 'conv', WIKI, '--type', 'tcp', '--format', 'json', '--max-flows', '2']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/more than 2 tcp conversations at once \(--max-flows\): \d+ idle ones were retired into final rows/);
    const capped = JSON.parse(r.stdout) as { packets: number }[];
    expect(capped.reduce((n, c) => n + c.packets, 0)).toBe(full.reduce((n, c) => n + c.packets, 0));
    expect(capped.length).toBeGreaterThanOrEqual(full.length);
  });

  it('gives the output for what could be read and exit 2 for a damaged capture', () => {
    const r = runCli(['stats', 'conv', CUT, '--type', 'eth', '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/damaged/);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });

  it('reads standard input, and gives one object per capture for several', () => {
    const r = runCli(['stats', 'conv', '-', '--type', 'tcp', '--format', 'json'], readFileSync(PPTP));
    expect(JSON.parse(r.stdout)).toEqual(truth(PPTP).conv['tcp']);
    const two = JSON.parse(runCli(['stats', 'conv', PPTP, GRE, '--type', 'tcp', '--format', 'json']).stdout) as { file: string; conv: unknown[] }[];
    expect(two.map((x) => x.file)).toEqual([PPTP, GRE]);
    expect(two[0]!.conv).toEqual(truth(PPTP).conv['tcp']);
  });

  it('refuses bad options with exit 1', () => {
    expect(runCli(['stats', 'conv', PPTP, '--top', '0']).status).toBe(1);
    const sctp = runCli(['stats', 'conv', PPTP, '--type', 'sctp']);
    expect([sctp.status, sctp.stderr]).toEqual([1, 'pcapviz: --type must be one of eth, ip, ipv6, tcp, udp, not "sctp"\n']);
    expect(runCli(['stats', 'protocols', PPTP, '--type', 'ip']).status).toBe(1);
    expect(runCli(['stats', 'endpoints', PPTP, '--sort', 'duration']).status).toBe(1);
    expect(runCli(['stats', 'flows', PPTP]).status).toBe(1);
    expect(runCli(['stats', 'conv', `${CAPTURES}does-not-exist.pcap`]).status).toBe(1);
  });
});

describe('pcapviz stats endpoints', () => {
  it('JSON rows have address, port for tcp/udp, and tx/rx counts', () => {
    const j = JSON.parse(runCli(['stats', 'endpoints', PPTP, '--format', 'json', '--type', 'tcp']).stdout) as Record<string, unknown>[];
    expect(j.map((e) => Object.keys(e))).toEqual(j.map(() => ['address', 'port', 'packets', 'bytes', 'txPackets', 'txBytes', 'rxPackets', 'rxBytes']));
    expect(j).toContainEqual({ address: '10.1.1.10', port: 1723, packets: 22, bytes: 1978, txPackets: 16, txBytes: 1286, rxPackets: 6, rxBytes: 692 });
  });

  it('CSV and Markdown parse back', () => {
    const [header, ...rows] = parseCsv(runCli(['stats', 'endpoints', GRE, '--format', 'csv']).stdout);
    expect(header).toEqual(['type', 'address', 'port', 'packets', 'bytes', 'txPackets', 'txBytes', 'rxPackets', 'rxBytes']);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.length).toBe(header!.length);
    const md = runCli(['stats', 'endpoints', GRE, '--format', 'md']).stdout;
    expect(markdownTables(md).length).toBe(4);
    expect(md).toContain('## IPv6 endpoints\n\nnone\n');
  });
});

describe('pcapviz stats protocols', () => {
  it('JSON is the hierarchy rooted at frame', () => {
    const j = JSON.parse(runCli(['stats', 'protocols', GRE, '--format', 'json']).stdout) as { name: string; packets: number; bytes: number; children: unknown[] };
    expect(Object.keys(j)).toEqual(['name', 'packets', 'bytes', 'children']);
    expect([j.name, j.packets, j.bytes]).toEqual(['frame', truth(GRE).phs.frames, truth(GRE).phs.bytes]);
  });

  it('CSV has a row per node with its path; Markdown is one well-formed table; the text table indents', () => {
    const [header, ...rows] = parseCsv(runCli(['stats', 'protocols', GRE, '--format', 'csv']).stdout);
    expect(header).toEqual(['path', 'name', 'depth', 'packets', 'bytes']);
    expect(rows[0]).toEqual(['frame', 'frame', '0', String(truth(GRE).phs.frames), String(truth(GRE).phs.bytes)]);
    expect(rows.map((r) => r[0])).toContain('frame/eth/ip/gre/ip/icmp/dns');
    const md = markdownTables(runCli(['stats', 'protocols', GRE, '--format', 'md']).stdout);
    expect(md.length).toBe(1);
    expect(md[0]!.map((r) => r[0])).toContain('eth/ip/gre/ip/udp');
    const text = runCli(['stats', 'protocols', GRE]).stdout;
    expect(text).toMatch(/\n {8}udp +\d+ +[\d.]+%/);
  });

  it('--sort name orders the children of every node', () => {
    const j = JSON.parse(runCli(['stats', 'protocols', GRE, '--format', 'json', '--sort', 'name']).stdout) as { children: { children: { children: { children: { children: { name: string }[] }[] }[] }[] }[] };
    const inner = j.children[0]!.children[0]!.children[0]!.children[0]!.children.map((c) => c.name);
    expect(inner).toEqual([...inner].sort());
  });
});
