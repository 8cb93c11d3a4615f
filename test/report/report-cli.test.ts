/**
 * `pcapviz report` run as a user runs it: the report value (`--format json`) carries the same
 * numbers as `pcapviz stats`; the Markdown form renders as real tables through a Markdown
 * parser (its Mermaid block is parsed in report-mermaid.test.ts), and the hostile-strings
 * fixture's names, URIs and server names come out only as text; options and damage behave as
 * documented.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it } from 'vitest';
import type { FiguresBlock, ReportData, TableBlock } from '../../src/report/model.js';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;
const HOSTILE = `${FIXTURES}hostile-strings.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(capture: string, ...args: string[]): ReportData {
  const r = runCli(['report', capture, '-o', '-', '--format', 'json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReportData;
}

const stats = (table: string, capture: string, ...args: string[]): unknown => {
  const r = runCli(['stats', table, capture, '--format', 'json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

const section = (r: ReportData, id: string) => r.sections.find((s) => s.id === id)!;
const tables = (r: ReportData, id: string): TableBlock[] => section(r, id).blocks.filter((b): b is TableBlock => b.kind === 'table');
const figure = (r: ReportData, id: string, label: string): string | undefined =>
  section(r, id).blocks.filter((b): b is FiguresBlock => b.kind === 'figures').flatMap((b) => b.items).find((f) => f.label === label)?.value;

describe('report: the numbers are the stats numbers', () => {
  const r = report(OFFICE);

  it('has every default section in order, and no dump without --dump', () => {
    expect(r.sections.map((s) => s.id)).toEqual(['summary', 'protocols', 'traffic', 'talkers', 'conversations', 'graph', 'tcp', 'expert', 'dns', 'http', 'tls']);
    expect(r.title).toBe('Report: small-office.pcapng');
    expect(r.generator).toMatch(/^pcapviz \d+\.\d+\.\d+$/);
  });

  it('summary figures are info figures', () => {
    const info = JSON.parse(runCli(['info', OFFICE, '--format', 'json']).stdout) as { packets: number; dataBytes: number };
    expect(figure(r, 'summary', 'Packets')).toBe(info.packets.toLocaleString('en-US'));
    expect(figure(r, 'summary', 'Data size')).toBe(`${info.dataBytes.toLocaleString('en-US')} bytes`);
  });

  it('the hierarchy table is stats protocols, node for node, with depths', () => {
    interface Node { name: string; packets: number; bytes: number; children: Node[] }
    const flat: [string, number, number, number][] = [];
    const walk = (n: Node, d: number): void => {
      flat.push([n.name, n.packets, n.bytes, d]);
      n.children.forEach((c) => walk(c, d + 1));
    };
    walk(stats('protocols', OFFICE) as Node, 0);
    const t = tables(r, 'protocols')[0]!;
    expect(t.rows.map((row, i) => [row['protocol'], row['packets'], row['bytes'], t.depth![i]])).toEqual(flat);
  });

  it('talkers and conversations are the top rows of stats endpoints and conv', () => {
    const ep = stats('endpoints', OFFICE, '--top', '10') as Record<string, { address: string; packets: number; bytes: number }[]>;
    const ipTalkers = tables(r, 'talkers').find((t) => t.title === 'IPv4 endpoints')!;
    expect(ipTalkers.rows.map((x) => [x['address'], x['packets'], x['bytes']])).toEqual(ep['ip']!.map((x) => [x.address, x.packets, x.bytes]));
    const all = stats('endpoints', OFFICE) as Record<string, unknown[]>;
    expect(ipTalkers.more).toBe(all['ip']!.length - 10);
    const conv = stats('conv', OFFICE) as { tcp: { a: string; portA: number; b: string; portB: number; bytes: number }[] };
    const tcpConv = tables(r, 'conversations').find((t) => t.title === 'TCP conversations')!;
    expect(tcpConv.rows.map((x) => [x['a'], x['portA'], x['b'], x['portB'], x['bytes']])).toEqual(conv.tcp.map((x) => [x.a, x.portA, x.b, x.portB, x.bytes]));
  });

  it('TCP, expert and DNS figures agree with their stats tables', () => {
    const tcp = stats('tcp', OFFICE) as { connState: string }[];
    expect(figure(r, 'tcp', 'Connections')).toBe(String(tcp.length));
    expect(figure(r, 'tcp', 'Connections reset')).toBe(String(tcp.filter((c) => c.connState.startsWith('RST') || c.connState === 'REJ').length));
    const expert = stats('expert', OFFICE) as { rows: { message: string; count: number; firstFrame: number }[] };
    const findings = tables(r, 'expert')[0]!;
    expect(findings.rows.map((x) => [x['message'], x['count'], x['firstFrame']])).toEqual(expert.rows.map((x) => [x.message, x.count, x.firstFrame]));
    const dns = stats('dns', OFFICE) as { queries: number; responses: number };
    expect(figure(r, 'dns', 'Queries')).toBe(String(dns.queries));
    expect(figure(r, 'dns', 'Responses')).toBe(String(dns.responses));
  });

  it('charts are SVG documents, the graph with its Mermaid twin', () => {
    const charts = r.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'chart');
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const c of charts) {
      expect(c.svg).toMatch(/<svg[\s>]/);
      expect(c.width).toBeGreaterThan(100);
    }
    const graph = section(r, 'graph').blocks[0]!;
    expect(graph.kind === 'chart' && graph.mermaid).toContain('flowchart LR');
  });

  it('the traffic table adds up to every packet and byte', () => {
    const t = tables(r, 'traffic')[0]!;
    expect(t.rows.reduce((s, x) => s + (x['packets'] as number), 0)).toBe(178);
    expect(t.rows.reduce((s, x) => s + (x['bytes'] as number), 0)).toBe(35944);
  });
});

describe('report: options', () => {
  it('--sections picks sections (in report order) and --dump adds layered packets', () => {
    const r = report(OFFICE, '--sections', 'tcp,summary', '--dump', '3');
    expect(r.sections.map((s) => s.id)).toEqual(['summary', 'tcp']);
    const d = report(OFFICE, '--sections', 'dump', '--dump', '3');
    const packets = section(d, 'dump').blocks;
    expect(packets.map((p) => p.kind === 'packet' && p.frame)).toEqual([1, 2, 3]);
    const first = packets[0]!;
    if (first.kind !== 'packet') throw new Error('not a packet');
    expect(first.layers).toEqual(['Ethernet', 'IPv4', 'UDP', 'DHCP']);
    expect(first.hex.reduce((n, h) => n + h.bytes.length, 0)).toBe(342);
    // The IPv4 version byte belongs to the IPv4 layer (index 1), the first byte to Ethernet.
    expect(first.hex[0]!.bytes[0]![1]).toBe(0);
    expect(first.hex[0]!.bytes[14]![1]).toBe(1);
  });

  it('-Y counts only matching packets', () => {
    const r = report(OFFICE, '-Y', 'dns', '--sections', 'summary,protocols');
    expect(r.filter).toBe('dns');
    expect(figure(r, 'summary', 'Packets')).toBe('98');
  });

  it('bad options exit 1 with a message', () => {
    const bad = runCli(['report', OFFICE, '-o', join(dir, 'x.txt')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('cannot tell the format');
    const section = runCli(['report', OFFICE, '-o', join(dir, 'x.md'), '--sections', 'summry']);
    expect(section.status).toBe(1);
    expect(section.stderr).toContain('unknown section "summry"');
  });

  it('a damaged capture is reported with a warning at the top and exit code 2', () => {
    const r = runCli(['report', `${CAPTURES}zeek__trunc-hdr.pcap`, '-o', '-', '--format', 'json', '--sections', 'summary']);
    const info = runCli(['info', `${CAPTURES}zeek__trunc-hdr.pcap`, '--format', 'json']);
    const damaged = (JSON.parse(info.stdout) as { damaged: unknown }).damaged !== null;
    if (!damaged) return; // this corpus file reads cleanly: nothing to check here
    expect(r.status).toBe(2);
    expect((JSON.parse(r.stdout) as ReportData).warnings[0]).toMatch(/damaged/);
  });
});

describe('report: Markdown', () => {
  const md = runCli(['report', OFFICE, '-o', '-', '--format', 'md', '--dump', '1']);
  const r = report(OFFICE, '--dump', '1');

  it('renders every table and figure list as a table, and nothing else as one', () => {
    expect(md.status, md.stderr).toBe(0);
    const html = new MarkdownIt().render(md.stdout);
    const blocks = r.sections.flatMap((s) => s.blocks);
    const expected = blocks.filter((b) => b.kind === 'table' || b.kind === 'figures').length;
    expect(html.match(/<table>/g)?.length).toBe(expected);
    // A table row that did not parse would surface as a paragraph starting with a pipe.
    expect(html).not.toMatch(/<p>\|/);
    // Each table's rows have as many cells as its header.
    for (const t of html.split('<table>').slice(1)) {
      const head = t.split('</thead>')[0]!.match(/<th[ >]/g)!.length;
      for (const row of t.split('</table>')[0]!.split('<tbody>')[1]?.split('</tr>').slice(0, -1) ?? []) expect(row.match(/<td/g)?.length).toBe(head);
    }
    for (const s of r.sections) expect(md.stdout).toContain(`## ${s.title}`);
  });

  it('the graph block has a node line per host', () => {
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(md.stdout)![1]!;
    const graph = section(r, 'graph').blocks[0]!;
    const hosts = Number(/(\d+) hosts/.exec((graph as { description: string }).description)![1]);
    expect(block.split('\n').filter((l) => /^ {2}n\d+\["/.test(l)).length).toBe(hosts);
  });
});

describe('report: hostile strings stay text', () => {
  const md = runCli(['report', HOSTILE, '-o', '-', '--format', 'md', '--dump', '18']);

  it('Markdown: no markup, no links, no escape sequences from the capture', () => {
    expect(md.status, md.stderr).toBe(0);
    const html = new MarkdownIt({ linkify: false }).render(md.stdout);
    for (const tag of ['<script', '<img', '<svg', '<b>', '<i>']) expect(html).not.toContain(tag);
    // The only links are the table of contents.
    for (const href of html.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="#/);
    expect(html).not.toContain('<em>');
    expect(md.stdout).not.toContain('\u001b');
    // The names are there, as text.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(3)&gt;');
  });

  it('the report value keeps them exactly as the packets carry them', () => {
    const r = report(HOSTILE);
    const cells = r.sections.flatMap((s) => s.blocks).filter((b): b is TableBlock => b.kind === 'table').flatMap((t) => t.rows.flatMap((row) => Object.values(row)));
    expect(cells).toContain('<script>alert(1)</script>|*x*.[a](javascript:alert(2)).example');
    expect(cells).toContain('"><b>sni</b>_[t](http://e.invalid)');
    expect(cells).toContain('/<svg/onload=alert(4)>?q=`code`|=1+2');
  });

  it('writes the file named, and nothing when it fails', () => {
    const out = join(dir, 'hostile.md');
    expect(runCli(['report', HOSTILE, '-o', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('# Report: hostile-strings.pcap');
  });
});
