import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';
import { parseCsv } from '../helpers/csv.js';

const WIKI = `${CAPTURES}zeek__wikipedia.pcap`;
const TLS13 = `${CAPTURES}pcapplusplus__tls1_3.pcap`;

/** Every Markdown table in `text`, checked well formed (same cell count per line, a --- separator row). */
function markdownTables(text: string): string[][][] {
  const cells = (line: string): string[] => line.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
  const tables: string[][][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    const header = cells(lines[i]!);
    const sep = cells(lines[i + 1] ?? '');
    expect(sep.length).toBe(header.length);
    for (const s of sep) expect(s).toMatch(/^-{3,}:?$/);
    const table = [header];
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
      expect(cells(lines[i]!).length).toBe(header.length);
      table.push(cells(lines[i]!));
    }
    tables.push(table);
  }
  return tables;
}

const json = (args: string[]): Record<string, unknown> => {
  const r = runCli(args);
  expect([r.status, r.stderr]).toEqual([0, '']);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe('pcapviz stats io', () => {
  it('JSON: the documented keys and tshark -z io,stat,1 numbers; bits/s exact', () => {
    const j = json(['stats', 'io', WIKI, '--format', 'json']);
    expect(Object.keys(j)).toEqual(['interval', 'duration', 'packets', 'bytes', 'intervals']);
    expect([j['interval'], j['duration'], j['packets'], j['bytes']]).toEqual([1, 6.378866, 136, 25260]);
    const rows = j['intervals'] as Record<string, number>[];
    expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ['start', 'end', 'packets', 'bytes', 'bitsPerSecond']));
    expect(rows[1]).toEqual({ start: 1, end: 2, packets: 102, bytes: 22392, bitsPerSecond: 179136 });
  });

  it('--interval 100ms, 10s and 1m; CSV with its header row; Markdown well formed; text with units', () => {
    const csv = parseCsv(runCli(['stats', 'io', WIKI, '--interval', '100ms', '--format', 'csv']).stdout);
    expect(csv[0]).toEqual(['start', 'end', 'packets', 'bytes', 'bitsPerSecond']);
    expect(csv.length).toBe(1 + 64); // 0 <> 0.1 ... 6.3 <> 6.4
    for (const row of csv) expect(row.length).toBe(5);
    expect(csv.slice(1).reduce((n, r) => n + Number(r[2]), 0)).toBe(136);
    expect(csv[1]!.slice(0, 2)).toEqual(['0.000000000', '0.100000000']);
    expect((json(['stats', 'io', WIKI, '--interval', '10s', '--format', 'json'])['intervals'] as unknown[]).length).toBe(1);
    expect((json(['stats', 'io', WIKI, '--interval', '1m', '--format', 'json'])['intervals'] as { packets: number }[])[0]!.packets).toBe(136);
    const md = markdownTables(runCli(['stats', 'io', WIKI, '--format', 'md']).stdout);
    expect(md.length).toBe(1);
    expect(md[0]![0]).toEqual(['Start (s)', 'End (s)', 'Packets', 'Bytes', 'Bits/s']);
    expect(md[0]![2]).toEqual(['1', '2', '102', '22392', '179136']);
    const text = runCli(['stats', 'io', WIKI]).stdout;
    expect(text).toMatch(/\n1 <> 2 +102 +22\.4 kB +179 kbit\/s\n/);
    const bad = runCli(['stats', 'io', WIKI, '--interval', 'soon']);
    expect([bad.status, bad.stderr]).toEqual([1, 'pcapviz: --interval must be a duration such as 1s, 100ms, 10s or 1m, not "soon"\n']);
  });

  it('--sort packets --top 2: the two busiest intervals', () => {
    const j = json(['stats', 'io', WIKI, '--format', 'json', '--sort', 'packets', '--top', '2']);
    expect((j['intervals'] as { start: number; packets: number }[]).map((i) => [i.start, i.packets])).toEqual([[1, 102], [4, 8]]);
  });
});

describe('pcapviz stats dns, http, tls', () => {
  it('dns JSON has the documented keys and exact numbers', () => {
    const j = json(['stats', 'dns', WIKI, '--format', 'json']);
    expect(Object.keys(j)).toEqual(['messages', 'queries', 'responses', 'unanswered', 'unmatchedResponses', 'responseTime', 'byName', 'byType', 'byRcode', 'leftOut']);
    expect(j['byType']).toEqual([{ type: 'AAAA', count: 9 }, { type: 'A', count: 5 }]);
    expect(j['byRcode']).toEqual([{ rcode: 'No error', count: 10 }, { rcode: 'No such name', count: 4 }]);
    expect(j['leftOut']).toEqual({ byName: 0, byType: 0, byRcode: 0 });
    expect((j['responseTime'] as { count: number }).count).toBe(14);
  });

  it('http JSON: top hosts and URIs with --top, sorted by count then first seen', () => {
    const j = json(['stats', 'http', WIKI, '--format', 'json', '--top', '1']);
    expect(Object.keys(j)).toEqual(['packets', 'requests', 'responses', 'other', 'unanswered', 'unmatchedResponses', 'responseTime', 'byMethod', 'byHost', 'byUri', 'byStatus', 'leftOut']);
    expect(j['byHost']).toEqual([{ host: 'upload.wikimedia.org', count: 12 }]);
    expect(j['byStatus']).toEqual([{ status: '304 Not Modified', count: 15 }]);
    const byName = json(['stats', 'http', WIKI, '--format', 'json', '--sort', 'name'])['byHost'] as { host: string }[];
    expect(byName.map((h) => h.host)).toEqual(['bits.wikimedia.org', 'meta.wikimedia.org', 'upload.wikimedia.org', 'www.wikipedia.org']);
  });

  it('tls JSON: versions and suites chosen', () => {
    const j = json(['stats', 'tls', TLS13, '--format', 'json']);
    expect(Object.keys(j)).toEqual(['packets', 'clientHellos', 'serverHellos', 'sni', 'versionsOffered', 'versionsChosen', 'alpnOffered', 'alpnChosen', 'ciphersOffered', 'ciphersChosen', 'leftOut']);
    expect(j['versionsChosen']).toEqual([{ version: 'TLS 1.3 draft 28', count: 1 }, { version: 'TLS 1.3', count: 1 }]);
  });

  it('CSV parses with a section,key,value header; totals and counts exact', () => {
    for (const [table, file] of [['dns', WIKI], ['http', WIKI], ['tls', TLS13]] as const) {
      const rows = parseCsv(runCli(['stats', table, file, '--format', 'csv']).stdout);
      expect(rows[0]).toEqual(['section', 'key', 'value']);
      for (const r of rows) expect(r.length).toBe(3);
      for (const r of rows.slice(1)) expect(r[2]).toMatch(/^\d+(\.\d{9})?$/);
    }
    const dns = parseCsv(runCli(['stats', 'dns', WIKI, '--format', 'csv']).stdout);
    expect(dns).toContainEqual(['total', 'queries', '14']);
    expect(dns).toContainEqual(['responseTime', 'min', '0.000317000']);
    expect(dns).toContainEqual(['byName', 'upload.wikimedia.org', '8']);
  });

  it('Markdown: a totals table and one table per list, all well formed; the text table shows shares', () => {
    const md = markdownTables(runCli(['stats', 'http', WIKI, '--format', 'md']).stdout);
    expect(md.length).toBe(5);
    expect(md[2]![0]).toEqual(['Host', 'Count']);
    expect(md[2]![1]).toEqual(['upload.wikimedia.org', '12']);
    const tlsMd = runCli(['stats', 'tls', TLS13, '--format', 'md']).stdout;
    // Totals and seven lists; the one with nothing in it (no ALPN chosen) says so instead of a table.
    expect(markdownTables(tlsMd).length).toBe(7);
    expect(tlsMd).toContain('## ALPN chosen\n\nnone\n');
    const text = runCli(['stats', 'dns', WIKI]).stdout;
    expect(text).toMatch(/\nupload\.wikimedia\.org +8 +57\.1%\n/);
  });

  it('stats all: every table from one pass, JSON keyed by table', () => {
    const j = json(['stats', 'all', WIKI, '--format', 'json']);
    for (const t of ['conv', 'endpoints', 'protocols', 'io', 'dns', 'http', 'tls']) expect(Object.keys(j)).toContain(t);
    expect((j['io'] as { packets: number }).packets).toBe(136);
    expect((j['http'] as { requests: number }).requests).toBe(15);
  });
});
