/**
 * The PDF report of the shipped capture, made by the CLI and read back with pdfjs: its outline is
 * the report's sections, every section title is on a page, every page is numbered, and the key
 * numbers are those `pcapviz stats` and `info` print for the same capture.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/model.js';
import { FIXTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;
const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;

interface Read {
  pages: string[];
  outline: string[];
}

async function readPdf(data: Buffer): Promise<Read> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const standardFontDataUrl = `${dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
  const d = await pdfjs.getDocument({ data: new Uint8Array(data), useSystemFonts: false, standardFontDataUrl }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= d.numPages; n++) {
    const c = await (await d.getPage(n)).getTextContent();
    pages.push(c.items.map((i) => ('str' in i ? i.str : '')).join(' '));
  }
  const outline = ((await d.getOutline()) ?? []).map((o) => o.title);
  return { pages, outline };
}

describe('report PDF of the shipped capture', () => {
  let pdf: Read;
  let report: ReportData;
  beforeAll(async () => {
    const r = spawnSync(process.execPath, [BIN, 'report', OFFICE, '-o', '-', '--format', 'pdf', '--dump', '2'], { maxBuffer: 1 << 26 });
    expect(r.status, r.stderr.toString()).toBe(0);
    pdf = await readPdf(r.stdout);
    report = JSON.parse(runCli(['report', OFFICE, '-o', '-', '--format', 'json', '--dump', '2']).stdout) as ReportData;
  }, 60_000);

  it('has an outline entry per section, in order, and each title on a page', () => {
    expect(pdf.outline).toEqual(report.sections.map((s) => s.title));
    for (const s of report.sections) expect(pdf.pages.some((p) => p.includes(s.title)), s.title).toBe(true);
  });

  it('numbers every page', () => {
    pdf.pages.forEach((p, i) => expect(p).toContain(`page ${i + 1} of ${pdf.pages.length}`));
  });

  it('shows the numbers stats and info print', () => {
    const all = pdf.pages.join(' ');
    const info = JSON.parse(runCli(['info', OFFICE, '--format', 'json']).stdout) as { packets: number; dataBytes: number };
    expect(all).toContain(`${info.dataBytes.toLocaleString('en-US')} bytes`);
    const ep = JSON.parse(runCli(['stats', 'endpoints', OFFICE, '--type', 'ip', '--top', '3', '--format', 'json']).stdout) as { address: string; packets: number }[];
    for (const e of ep) expect(all).toMatch(new RegExp(`${e.address.replace(/\./g, '\\.')}\\s.*?\\b${e.packets}\\b`));
    const tcp = JSON.parse(runCli(['stats', 'tcp', OFFICE, '--format', 'json']).stdout) as { history: string }[];
    for (const c of tcp) expect(all).toContain(c.history);
    const dns = JSON.parse(runCli(['stats', 'dns', OFFICE, '--format', 'json']).stdout) as { byName: { name: string; count: number }[] };
    for (const n of dns.byName.slice(0, 5)) expect(all).toContain(n.name);
  });
});
