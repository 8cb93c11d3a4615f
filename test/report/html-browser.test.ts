/**
 * The HTML report in a real browser (Debian's `chromium` through playwright-core): it loads with
 * no errors and no requests, shows every section, sorts a table on a header click, works without
 * JavaScript, prints without the contents, and can be screenshot.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/html.js';
import type { ChartBlock, ReportData } from '../../src/report/model.js';
import { HOSTILE, sampleReport } from '../helpers/report-sample.js';

const CANDIDATES = [process.env['PCAPVIZ_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => p !== undefined && p !== '');
const executablePath = CANDIDATES.find((p) => existsSync(p));
if (executablePath === undefined) {
  console.warn(`html-browser.test.ts skipped: no Chromium executable at ${CANDIDATES.join(', ')} (install Debian's chromium package; .ci/run does when apt-get is usable)`);
}

/** A real vega-lite bar chart with a hostile label, as the builder makes them. */
async function vegaChart(): Promise<ChartBlock> {
  const spec: TopLevelSpec = {
    data: { values: [{ p: 'tcp', n: 120 }, { p: HOSTILE, n: 40 }, { p: 'udp', n: 18 }] },
    mark: 'bar',
    encoding: { y: { field: 'p', type: 'nominal', title: 'Protocol' }, x: { field: 'n', type: 'quantitative', title: 'Packets' } },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return { kind: 'chart', title: 'Packets per protocol', description: 'Packets per protocol, tcp first', svg, width: 400, height: 120 };
}

/** A Graphviz graph with a hostile node name, XML prolog and all. */
async function graphvizChart(): Promise<ChartBlock> {
  const gv = await Graphviz.load();
  const name = HOSTILE.replace(/[\\"]/g, '\\$&').replace(/\u001b/g, '');
  const svg = gv.dot(`digraph { rankdir=LR; "192.168.1.101" -> "198.51.100.10" [label="23 kB"]; "192.168.1.101" -> "${name}"; }`);
  return { kind: 'chart', title: 'IP hosts by bytes', description: 'Who talked to whom', svg, width: 300, height: 120 };
}

async function browserReport(): Promise<ReportData> {
  const r = sampleReport();
  const [bars, graph] = await Promise.all([vegaChart(), graphvizChart()]);
  return {
    ...r,
    filter: 'ip.addr == 192.168.1.101',
    warnings: [`frame 179: record cut short ${HOSTILE}`],
    sections: r.sections.map((s) => (s.id === 'protocols' ? { ...s, blocks: [bars, ...s.blocks] } : s.id === 'graph' ? { ...s, blocks: [graph] } : s)),
  };
}

interface OpenPage {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

/** A page of `url` that records console errors, page errors and requests; every request but the document fails. */
async function openPage(browser: Browser, url: string, javaScriptEnabled = true): Promise<OpenPage> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

describe.skipIf(executablePath === undefined)('HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let url: string;
  let report: ReportData;

  beforeAll(async () => {
    report = await browserReport();
    dir = mkdtempSync(join(tmpdir(), 'pcapviz-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(report));
    url = pathToFileURL(file).href;
    const root = process.getuid?.() === 0;
    browser = await chromium.launch({ executablePath: executablePath!, args: root ? ['--no-sandbox'] : [] });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = (javaScriptEnabled = true): Promise<OpenPage> => openPage(browser, url, javaScriptEnabled);

  /** The data-sort values of one column of the table captioned `caption`, top to bottom. */
  async function columnValues(page: Page, caption: string, col: number): Promise<string[]> {
    const cells = page.locator('table', { has: page.locator('caption', { hasText: caption }) }).locator(`tbody > tr > td:nth-child(${col + 1})`);
    const values: string[] = [];
    for (let i = 0, n = await cells.count(); i < n; i++) values.push((await cells.nth(i).getAttribute('data-sort')) ?? '');
    return values;
  }

  it('loads with no errors and no requests, shows every section, and sorts a table', async () => {
    const { page, errors, requests } = await open();
    expect(await page.title()).toBe(report.title);
    for (const s of report.sections) {
      await expect.poll(() => page.locator(`section#${s.id} > h2`).textContent()).toBe(s.title);
      expect(await page.locator(`nav.toc a[href="#${s.id}"]`).count(), s.id).toBe(1);
    }
    // Hostile text is text: no element was made from it, and it reads as typed.
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.locator('#summary .figure dd').nth(2).textContent()).toBe(HOSTILE.replace('\u001b', '\\x1b'));
    expect(await page.locator('.warnings').textContent()).toContain('record cut short <script>alert(1)</script>');
    expect(await page.locator('.chart-img svg').count()).toBe(3);

    // Packets: 74, 46, 120 as the builder ordered them; one click sorts ascending, the next descending.
    expect(await columnValues(page, 'IPv4 hosts', 2)).toEqual(['74', '46', '120']);
    const header = page.locator('#talkers th', { hasText: 'Packets' });
    await header.locator('button.sort').click();
    expect(await columnValues(page, 'IPv4 hosts', 2)).toEqual(['46', '74', '120']);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.locator('button.sort').click();
    expect(await columnValues(page, 'IPv4 hosts', 2)).toEqual(['120', '74', '46']);
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    // Text sorts by locale; the empty name goes wherever the collator puts it, the others in order.
    const name = page.locator('#talkers th', { hasText: 'Name' });
    await name.locator('button.sort').click();
    expect(await name.getAttribute('aria-sort')).toBe('ascending');
    expect(await header.getAttribute('aria-sort')).toBeNull();
    // A sorted hierarchy loses its indentation.
    const phs = page.locator('table.tree');
    await phs.locator('th', { hasText: 'Bytes' }).locator('button.sort').click();
    expect(await columnValues(page, 'Protocol hierarchy', 2)).toEqual(['34559', '35869', '35944']);
    expect(await phs.getAttribute('class')).toContain('sorted');

    // A frame link leads to the dump.
    await page.locator('a[href="#frame-1"]').click();
    expect(new URL(page.url()).hash).toBe('#frame-1');

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.context().close();
  }, 20_000);

  it('is complete without JavaScript, in the builder order, with no sort buttons', async () => {
    const { page, errors, requests } = await open(false);
    expect(await page.locator('button').count()).toBe(0);
    expect(await columnValues(page, 'IPv4 hosts', 2)).toEqual(['74', '46', '120']);
    expect(await page.locator('section').count()).toBe(report.sections.length);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.context().close();
  }, 20_000);

  it('prints without the contents and takes a screenshot', async () => {
    const { page, errors } = await open();
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.length).toBeGreaterThan(10_000);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    // To look at it: PCAPVIZ_REPORT_SHOTS=/some/dir keeps the page and its screenshots there.
    const keep = process.env['PCAPVIZ_REPORT_SHOTS'];
    if (keep !== undefined && keep !== '') {
      mkdirSync(keep, { recursive: true });
      copyFileSync(join(dir, 'report.html'), join(keep, 'report.html'));
      copyFileSync(shot, join(keep, 'report.png'));
      await page.setViewportSize({ width: 720, height: 900 });
      await page.screenshot({ path: join(keep, 'report-narrow.png'), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    expect(await page.evaluate("getComputedStyle(document.querySelector('#talkers thead')).display")).toBe('table-header-group');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 20_000);
});

describe.skipIf(executablePath === undefined)('HTML report of a real capture, made by the CLI, in Chromium', () => {
  it('loads with no errors and no requests, has every section, sorts the TCP endpoints by packets, and screenshots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcapviz-html-cli-'));
    const file = join(dir, 'report.html');
    const bin = new URL('../../bin/pcapviz.js', import.meta.url).pathname;
    const fixture = new URL('../../fixtures/small-office.pcapng', import.meta.url).pathname;
    const made = spawnSync(process.execPath, [bin, 'report', fixture, '-o', file, '--dump', '3'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const url = pathToFileURL(file).href;
    const browser = await chromium.launch({ executablePath: executablePath!, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const { page, errors, requests } = await openPage(browser, url);
      const ids = ['summary', 'protocols', 'traffic', 'talkers', 'conversations', 'graph', 'tcp', 'expert', 'dns', 'http', 'tls', 'dump'];
      for (const id of ids) expect(await page.locator(`section#${id} > h2`).count(), id).toBe(1);
      // Charts (hierarchy, traffic, TCP states, RTTs) and the graph are drawn inline.
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(5);
      const table = page.locator('table', { has: page.locator('caption', { hasText: 'TCP endpoints' }) });
      const col = await table.locator('thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.trim().startsWith('Packets')));
      const packets = async (): Promise<number[]> => (await table.locator(`tbody > tr > td:nth-child(${col + 1})`).evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-sort')))));
      await table.locator('thead th').nth(col).locator('button.sort').click();
      const up = await packets();
      expect(up).toEqual([...up].sort((a, b) => a - b));
      expect(up[0]).toBeLessThan(up[up.length - 1]!);
      await page.locator('#dump').scrollIntoViewIfNeeded();
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
