/**
 * The PDF report read back with pdfjs: pages, the outline, the section titles, the numbers as
 * the units show them, page numbers on every page, a long table's header on every page it spans,
 * hostile text kept as text, and charts drawn as vector paths.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportBlock, ReportData, ReportSection, TableBlock } from '../../src/report/model.js';
import { cellText, pdfText, renderReportPdf, writeReportPdf } from '../../src/report/pdf.js';
import { thousands } from '../../src/pdfdump/text-metrics.js';
import { HOSTILE, sampleReport } from '../helpers/report-sample.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDoc = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;
interface Item {
  readonly str: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

let pdfjs: Pdfjs;
/** Where the PDFs are kept (REPORT_PDF_KEEP=dir keeps them for a look). */
let dir: string;
const opened: PdfDoc[] = [];

async function open(data: Buffer, name: string): Promise<PdfDoc> {
  writeFileSync(join(dir, name), data);
  const standardFontDataUrl = `${dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
  const d = await pdfjs.getDocument({ data: new Uint8Array(data), useSystemFonts: false, standardFontDataUrl }).promise;
  opened.push(d);
  return d;
}

async function pageItems(d: PdfDoc, n: number): Promise<Item[]> {
  const content = await (await d.getPage(n)).getTextContent();
  const out: Item[] = [];
  for (const i of content.items) if ('str' in i && i.str !== '') out.push({ str: i.str, x: i.transform[4] as number, y: i.transform[5] as number, width: i.width });
  return out;
}

/** The text of a page as lines (items on one baseline joined), top to bottom. */
async function pageLines(d: PdfDoc, n: number): Promise<string[]> {
  const rows = new Map<number, Item[]>();
  for (const i of await pageItems(d, n)) {
    const y = Math.round(i.y);
    rows.set(y, [...(rows.get(y) ?? []), i]);
  }
  return [...rows.entries()].sort((a, b) => b[0] - a[0]).map(([, items]) => items.sort((a, b) => a.x - b.x).map((i) => i.str).join(''));
}

async function allText(d: PdfDoc): Promise<string> {
  const pages: string[] = [];
  for (let n = 1; n <= d.numPages; n++) pages.push((await pageLines(d, n)).join('\n'));
  return pages.join('\n');
}

const squash = (s: string): string => s.replace(/\s+/g, '');

/** A section holding one table of `n` rows (hosts with a number, a name and two figures). */
function bigTable(n: number, long = ''): TableBlock {
  return {
    kind: 'table',
    title: 'All hosts',
    columns: [
      { key: 'address', title: 'Address' },
      { key: 'name', title: 'Host name' },
      { key: 'packets', title: 'Packets', numeric: true, unit: 'count' },
      { key: 'bytes', title: 'Bytes', numeric: true, unit: 'bytes' },
    ],
    rows: Array.from({ length: n }, (_, i) => ({ address: `10.0.${Math.floor(i / 256)}.${i % 256}`, name: `host-${String(i + 1).padStart(3, '0')}${i === 7 ? long : ''}`, packets: 1000 + i, bytes: 123_456 + i })),
    more: 0,
  };
}

function withSections(sections: ReportSection[], over: Partial<ReportData> = {}): ReportData {
  return { ...sampleReport(), sections, ...over };
}

let sample: PdfDoc;
let sampleText: string;

beforeAll(async () => {
  pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  dir = process.env['REPORT_PDF_KEEP'] ?? mkdtempSync(join(tmpdir(), 'pcapviz-report-pdf-'));
  const bytes = await renderReportPdf(sampleReport());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  sample = await open(bytes, 'sample.pdf');
  sampleText = await allText(sample);
}, 60_000);

afterAll(async () => {
  for (const d of opened) await d.destroy();
  if (process.env['REPORT_PDF_KEEP'] === undefined) rmSync(dir, { recursive: true, force: true });
});

describe('cell text', () => {
  it('shows numbers in their column unit, as the HTML report does', () => {
    expect(cellText(35944, { key: 'b', title: 'B', unit: 'bytes' })).toBe('35.9 kB');
    expect(cellText(512, { key: 'b', title: 'B', unit: 'bytes' })).toBe('512 B');
    expect(cellText(1234567, { key: 'c', title: 'C', unit: 'count' })).toBe('1,234,567');
    expect(cellText(12.5, { key: 'p', title: 'P', unit: 'percent' })).toBe('12.5%');
    expect(cellText(1_234_000, { key: 'r', title: 'R', unit: 'bps' })).toBe('1.23 Mbit/s');
    expect(cellText(950, { key: 'r', title: 'R', unit: 'bps' })).toBe('950 bit/s');
    expect(cellText(1.5, { key: 's', title: 'S', unit: 'seconds' })).toBe('1.500 s');
    expect(cellText(0.0123, { key: 's', title: 'S', unit: 'seconds' })).toBe('12.3 ms');
    expect(cellText(0.000123, { key: 's', title: 'S', unit: 'seconds' })).toBe('123 µs');
    expect(cellText(4700, { key: 'f', title: 'F', numeric: true, frames: true })).toBe('4700');
    expect(cellText(Number.NaN, { key: 'c', title: 'C', unit: 'count' })).toBe('NaN');
    expect(cellText('a\u0007b', { key: 'c', title: 'C' })).toBe('a\\x07b');
    expect(cellText(null, { key: 'x', title: 'X' })).toBe('');
  });

  it('escapes control characters, mends broken surrogates and says what it cuts', () => {
    expect(pdfText('a\u001b[31mb\u0000c\u202ed')).toBe('a\\x1b[31mb\\x00c\\u{202e}d');
    expect(pdfText('x\ud800y\udc00z😀')).toBe('x\ufffdy\ufffdz😀');
    const long = pdfText('a'.repeat(10_000));
    expect(long.startsWith('a'.repeat(3000))).toBe(true);
    expect(long).toContain('7,000 more characters not shown');
  });
});

describe('PDF report: the sample read back', () => {
  it('has pages, the document title and "page N of M" on every page', async () => {
    expect(sample.numPages).toBeGreaterThanOrEqual(1);
    const { info } = (await sample.getMetadata()) as unknown as { info: Record<string, string> };
    expect(info['Title']).toBe('Report: sample.pcapng');
    for (let n = 1; n <= sample.numPages; n++) {
      const text = (await pageLines(sample, n)).join('\n');
      expect(text).toContain(`page ${n} of ${sample.numPages}`);
    }
  });

  it('has one outline entry per section, in order, with tables and charts as children', async () => {
    const report = sampleReport();
    const outline = await sample.getOutline();
    expect(outline.map((o) => o.title)).toEqual(report.sections.map((s) => s.title));
    expect(outline[1]!.items.map((i) => i.title)).toEqual(['Bytes by protocol', 'Protocol hierarchy']);
    expect(outline[2]!.items.map((i) => i.title)).toEqual(['IPv4 hosts']);
    expect(outline[5]!.items.map((i) => i.title)).toEqual(['Frame 1']);
    // Each entry leads to a page that shows its section's title.
    for (const [k, o] of outline.entries()) {
      const page = (await sample.getPageIndex((o.dest as unknown[])[0] as never)) + 1;
      expect((await pageLines(sample, page)).join('\n')).toContain(report.sections[k]!.title);
    }
  });

  it('shows the header, every section title and the key numbers', () => {
    for (const s of ['Report: sample.pcapng', 'sample.pcapng', 'pcapviz 0.1.0', '2026-11-26T12:00:00.000Z']) expect(sampleText).toContain(s);
    for (const s of sampleReport().sections) expect(sampleText).toContain(s.title);
    // Figures as given; table numbers in their units.
    expect(sampleText).toMatch(/Packets\s*178/);
    expect(sampleText).toMatch(/Bytes\s*35,944/);
    for (const row of ['frame 178 35.9 kB', 'eth 177 35.9 kB', 'ip 157 34.6 kB', '192.168.1.101', '198.51.100.10 46 23.1 kB', '10.0.0.2 b.example 120 900 B']) {
      expect(squash(sampleText)).toContain(squash(row));
    }
    expect(sampleText).toContain('5 more rows not shown');
    expect(sampleText).toContain('Connection reset (RST)');
    expect(sampleText).toContain('Who talked to whom');
  });

  it('indents the hierarchy rows by depth and right-aligns the numbers', async () => {
    const outline = await sample.getOutline();
    const page = (await sample.getPageIndex((outline[1]!.dest as unknown[])[0] as never)) + 1;
    const items = await pageItems(sample, page);
    // The table: the items from its header row down to its last row.
    const top = items.find((i) => i.str.trim() === 'Protocol')!.y;
    const table = items.filter((i) => i.y <= top + 1 && i.y > top - 60);
    const at = (s: string): Item => table.find((i) => i.str.trim() === s)!;
    expect(at('eth').x).toBeGreaterThan(at('frame').x + 5);
    expect(at('ip').x).toBeGreaterThan(at('eth').x + 5);
    const right = (i: Item): number => i.x + i.width;
    // Numbers and their column's title end at the same place.
    for (const col of [['Packets', '178', '177', '157'], ['Bytes', '35.9 kB', '34.6 kB']]) {
      const ends = col.map((s) => right(at(s)));
      for (const e of ends) expect(Math.abs(e - ends[0]!)).toBeLessThan(0.6);
    }
  });

  it('keeps the hostile string as text: tags and markup shown, the escape character escaped', () => {
    expect(sampleText).toContain('<script>alert(1)</script>|*x*`y`[z](http://e.invalid)&amp;');
    expect(sampleText).toContain('\\x1b[31m');
    expect(sampleText).not.toContain('\u001b');
    expect(HOSTILE).toContain('\u001b');
  });

  it('shows the packet dump: frame header, tree lines and hex rows', () => {
    expect(sampleText).toContain('Frame 1');
    expect(sampleText).toContain('Destination: 00:1b:21:00:00:01');
    expect(squash(sampleText)).toContain(squash('00 1b 21 00 00 01 3c 22  fb 1a 2b 3c 08 00 45 00'));
    expect(sampleText).toContain('..!...<"..+<..E.');
  });

  it('draws the charts as vector paths, with no image', async () => {
    const outline = await sample.getOutline();
    for (const k of [1, 3]) {
      const page = await sample.getPage((await sample.getPageIndex((outline[k]!.dest as unknown[])[0] as never)) + 1);
      const ops = await page.getOperatorList();
      expect(ops.fnArray).toContain(pdfjs.OPS.constructPath);
      expect(ops.fnArray).not.toContain(pdfjs.OPS.paintImageXObject);
      expect(ops.fnArray).not.toContain(pdfjs.OPS.paintInlineImageXObject);
      // The bar's colour from the SVG is a fill colour on the page.
      const colours = ops.fnArray.flatMap((f, i) => (f === pdfjs.OPS.setFillRGBColor ? [String(ops.argsArray[i])] : []));
      expect(colours.some((c) => c.toLowerCase().includes('4c78a8'))).toBe(true);
    }
  });
});

describe('PDF report: layout under load', () => {
  it('runs a 300-row table over pages with its header on each, every row shown once', async () => {
    const long = ` ${'very-long-name-'.repeat(40)}end`;
    const d = await open(await renderReportPdf(withSections([{ id: 'talkers', title: 'Top talkers', blocks: [bigTable(300, long)] }])), 'big-table.pdf');
    expect(d.numPages).toBeGreaterThan(3);
    const seen: string[] = [];
    let pagesWithRows = 0;
    for (let n = 1; n <= d.numPages; n++) {
      const lines = await pageLines(d, n);
      const rowLines = lines.filter((l) => /^10\.0\.\d+\.\d+/.test(l));
      if (rowLines.length === 0) continue;
      pagesWithRows++;
      const header = lines.findIndex((l) => squash(l) === squash('Address Host name Packets Bytes'));
      expect(header, `page ${n}`).toBeGreaterThanOrEqual(0);
      expect(lines.indexOf(rowLines[0]!)).toBeGreaterThan(header);
      for (const l of rowLines) seen.push(/^(10\.0\.\d+\.\d+)/.exec(l)![1]!);
      if (n > 1) expect(lines.join('\n')).toContain('All hosts (continued)');
      expect(lines.join('\n')).toContain(`page ${n} of ${d.numPages}`);
    }
    expect(pagesWithRows).toBeGreaterThan(3);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`));
    const text = await allText(d);
    expect(text).toContain('1,299');
    expect(text).toContain('123 kB');
    // The long name is wrapped in its column, not cut: all of it is there, and nothing crosses into the next column.
    const first = await pageItems(d, 1);
    const left = first.find((i) => i.str.trim() === 'Host name')!.x;
    const next = first.find((i) => i.str.trim() === 'Packets')!;
    const column = first.filter((i) => i.str.trim() !== '' && i.x >= left - 1 && i.x < next.x && i.y < next.y).sort((a, b) => b.y - a.y);
    expect(squash(column.map((i) => i.str).join(''))).toContain(squash(`host-008${long}`));
    for (const i of column) expect(i.x + i.width).toBeLessThan(next.x + next.width - 20);
  });

  it('fits a table wider than the page by wrapping its text columns', async () => {
    const cols = Array.from({ length: 7 }, (_, j) => ({ key: `c${j}`, title: `Column ${j}` }));
    const words = (j: number): string => Array.from({ length: 12 }, (_, k) => `w${j}x${k}`).join(' ');
    const table: TableBlock = { kind: 'table', title: 'Wide', columns: cols, rows: [Object.fromEntries(cols.map((c, j) => [c.key, words(j)]))], more: 0 };
    const d = await open(await renderReportPdf(withSections([{ id: 'http', title: 'HTTP', blocks: [table] }])), 'wide.pdf');
    const items = await pageItems(d, 1);
    const view = (await d.getPage(1)).view;
    for (const i of items) expect(i.x).toBeLessThan(view[2]! - 40);
    const text = squash(await allText(d));
    for (let j = 0; j < 7; j++) for (let k = 0; k < 12; k++) expect(text).toContain(`w${j}x${k}`);
  });

  it('keeps addresses and numbers on one line in a table of many columns', async () => {
    const columns = [
      { key: 'a', title: 'Address A' },
      { key: 'pa', title: 'Port A', numeric: true },
      { key: 'b', title: 'Address B' },
      { key: 'pb', title: 'Port B', numeric: true },
      { key: 'name', title: 'Name B' },
      { key: 'packets', title: 'Packets', numeric: true, unit: 'count' },
      { key: 'bytes', title: 'Bytes', numeric: true, unit: 'bytes' },
      { key: 'ab', title: 'Bytes A→B', numeric: true, unit: 'bytes' },
      { key: 'ba', title: 'Bytes B→A', numeric: true, unit: 'bytes' },
      { key: 'start', title: 'Start', numeric: true, unit: 'seconds' },
      { key: 'duration', title: 'Duration', numeric: true, unit: 'seconds' },
    ] as const;
    const rows = Array.from({ length: 12 }, (_, i) => ({ a: `192.168.100.${i + 100}`, pa: 50_000 + i, b: `203.0.113.${i + 200}`, pb: 443, name: `server-${i}.example.co.uk`, packets: 12_345 + i, bytes: 9_876_543, ab: 123_456, ba: 9_753_087, start: 1_422_449_813.123, duration: 21.844 }));
    const d = await open(await renderReportPdf(withSections([{ id: 'conversations', title: 'Top conversations', blocks: [{ kind: 'table', title: 'TCP conversations', columns, rows, more: 0 }] }])), 'many-columns.pdf');
    const items = (await pageItems(d, 1)).map((i) => i.str.trim()).filter((s) => s !== '');
    for (let i = 0; i < 12; i++) {
      for (const whole of [`192.168.100.${i + 100}`, `203.0.113.${i + 200}`, `${thousands(12_345 + i)}`, `${50_000 + i}`]) expect(items).toContain(whole);
    }
    expect(items).toContain('1,422,449,813 s');
    expect(items).toContain('9.88 MB');
  });

  it('points each bookmark at its heading, and gives a report without sections one page and no outline', async () => {
    for (const [k, o] of (await sample.getOutline()).entries()) {
      const dest = o.dest as unknown[];
      const page = (await sample.getPageIndex(dest[0] as never)) + 1;
      const heading = (await pageItems(sample, page)).find((i) => i.str.trim() === sampleReport().sections[k]!.title)!;
      const top = dest[3] as number;
      expect(top - heading.y).toBeGreaterThan(0);
      expect(top - heading.y).toBeLessThan(24);
    }
    const d = await open(await renderReportPdf(withSections([], { warnings: ['Capture file cut short'], filter: 'dns' })), 'empty.pdf');
    expect(d.numPages).toBe(1);
    expect(await d.getOutline()).toBeNull();
    const text = (await pageLines(d, 1)).join('\n');
    expect(text).toContain('Warning: Capture file cut short');
    expect(text).toMatch(/Filter\s*dns/);
    expect(text).toContain('page 1 of 1');
  });

  it('survives anything a packet can carry in every text slot', async () => {
    const nasty = [
      HOSTILE,
      'مرحبا بالعالم שלום עולם',
      '\u202eevil\u202c right-to-left override',
      '\u0000\u0007\u0008\r\n\t\u007f\u0085 controls',
      'lone \ud83d surrogate \udc00',
      '漢字 かな 한국어 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      'x'.repeat(100_000),
      `${'word '.repeat(5000)}`,
      '',
    ];
    const sections: ReportSection[] = nasty.map((s, i) => ({
      id: 'dns',
      title: `Section ${i} ${s}`,
      blocks: [
        { kind: 'figures', items: [{ label: s, value: s }] },
        { kind: 'note', text: s },
        { kind: 'table', title: s, columns: [{ key: 'a', title: s }, { key: 'n', title: 'N', numeric: true, unit: 'count' }], rows: [{ a: s, n: Number.NaN }, { a: null, n: -5 }], more: 1, depth: [40] },
        { kind: 'chart', title: s, description: s, svg: `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="20">${s.slice(0, 200).replace(/[<&]/g, '')}</text></svg>`, width: 200, height: 50 },
        { kind: 'chart', title: 'broken', description: 'not an svg', svg: s.slice(0, 50), width: 0, height: 0 },
        { kind: 'packet', frame: i, summary: s, layers: [s, 'x'], tree: [{ text: s, depth: 200, layer: 7 }], hex: [{ offset: 0, bytes: [[s.slice(0, 20), 0], ['ff', 99]], ascii: s.slice(0, 40) }] },
      ],
    }));
    const r = withSections(sections, { title: HOSTILE, file: nasty[4]!, filter: 'dns.qry.name contains "\u001b"', warnings: [nasty[2]!, 'Capture truncated in frame 9'] });
    const d = await open(await renderReportPdf(r), 'hostile.pdf');
    expect(d.numPages).toBeGreaterThan(1);
    const outline = await d.getOutline();
    expect(outline).toHaveLength(nasty.length);
    const text = await allText(d);
    expect(text).toContain('Warning: Capture truncated in frame 9');
    expect(text).toContain('dns.qry.name contains "\\x1b"');
    expect(text).toContain('more characters not shown');
    // No control character reaches the page. (U+0000 is left out of the check: svg-to-pdfkit shapes
    // Arabic into joined forms that have no character of their own, which read back as U+0000.)
    expect(text).not.toMatch(/[\u0001-\u0008\u001b\u007f\u0085\u202e]/);
    // Right-to-left text drawn by the report itself reads back.
    expect(text).toContain('مرحبا بالعالم');
    expect(text).toContain('(This picture could not be drawn.)');
    for (let n = 1; n <= d.numPages; n++) expect((await pageLines(d, n)).join('\n')).toContain(`page ${n} of ${d.numPages}`);
  });

  it('writes the same document to a stream', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeReportPdf(sampleReport(), out);
    out.end();
    const d = await open(Buffer.concat(chunks), 'streamed.pdf');
    expect(d.numPages).toBe(sample.numPages);
    expect((await d.getOutline()).map((o) => o.title)).toEqual(sampleReport().sections.map((s) => s.title));
  });
});

describe('PDF report: real pictures', () => {
  it('draws a vega-lite chart as vector, scaled into the text width', async () => {
    const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
    const spec = {
      width: 700,
      height: 200,
      data: { values: [{ p: 'tcp', b: 30_000 }, { p: 'udp', b: 5000 }, { p: '<b>dns</b>', b: 900 }] },
      mark: 'bar',
      encoding: { x: { field: 'p', type: 'nominal', title: 'Protocol' }, y: { field: 'b', type: 'quantitative', title: 'Bytes' } },
    } as const;
    const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    const graph = process.env['REPORT_PDF_GRAPH'];
    const blocks: ReportBlock[] = [{ kind: 'chart', title: 'Bytes by protocol', description: 'Bars', svg, width: Number(size[1]), height: Number(size[2]) }];
    if (graph !== undefined) {
      const g = (await import('node:fs')).readFileSync(graph, 'utf8');
      const gs = /width="([\d.]+)pt" height="([\d.]+)pt"/.exec(g)!;
      blocks.push({ kind: 'chart', title: 'Graph', description: 'Graphviz', svg: g, width: Number(gs[1]), height: Number(gs[2]) });
    }
    const d = await open(await renderReportPdf(withSections([{ id: 'protocols', title: 'Protocols', blocks }])), 'vega.pdf');
    const page = await d.getPage(1);
    const ops = await page.getOperatorList();
    expect(ops.fnArray).toContain(pdfjs.OPS.constructPath);
    expect(ops.fnArray).not.toContain(pdfjs.OPS.paintImageXObject);
    // The axis labels are text on the page, inside the margins.
    const items = (await pageItems(d, 1)).filter((i) => i.str.trim() !== '');
    expect(items.map((i) => i.str.trim())).toEqual(expect.arrayContaining(['tcp', 'udp', '<b>dns</b>', 'Protocol', 'Bytes']));
    for (const i of items) expect(i.x + i.width).toBeLessThanOrEqual(page.view[2]! - 49);
  });
});

