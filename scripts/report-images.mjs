#!/usr/bin/env node
// Makes the report pictures in docs/images from a corpus capture: the HTML report in Chromium
// (through playwright-core, one picture per chosen section) and pages of the PDF report (through
// pdftoppm). Needs `npm run build`, Debian's chromium and poppler-utils.
//
//   node scripts/report-images.mjs [capture]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const capture = process.argv[2] ?? join(root, '..', 'shared', 'corpus', 'captures', 'pcapplusplus__many-protocols.pcap');
const images = join(root, 'docs', 'images');
const tmp = mkdtempSync(join(tmpdir(), 'pcapviz-report-images-'));
const cli = (...args) => execFileSync(process.execPath, [join(root, 'bin', 'pcapviz.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

try {
  const html = join(tmp, 'report.html');
  const pdf = join(tmp, 'report.pdf');
  cli('report', capture, '-o', html, '--dump', '3');
  cli('report', capture, '-o', pdf, '--dump', '3');

  const browser = await chromium.launch({ executablePath: process.env.PCAPVIZ_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`file://${html}`);
  await page.screenshot({ path: join(images, 'report-html-top.png') });
  for (const id of ['graph', 'tcp', 'dump']) {
    const el = page.locator(`#${id}`);
    await el.scrollIntoViewIfNeeded();
    await page.evaluate((i) => document.getElementById(i).scrollIntoView(), id);
    await page.screenshot({ path: join(images, `report-html-${id}.png`) });
  }
  await browser.close();

  // Pages 1 (summary, hierarchy) and the ones with the graph and the TCP section.
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
  const pageOf = (heading) => text.findIndex((t) => t.split('\n').some((l) => l.trim() === heading)) + 1;
  for (const [name, n] of [['summary', 1], ['graph', pageOf('Conversation graph')], ['tcp', pageOf('TCP connections')]]) {
    if (n < 1) continue;
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(n), '-l', String(n), '-singlefile', pdf, join(images, `report-pdf-${name}`)]);
  }
  console.log(`report pictures of ${basename(capture)} written to ${images}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
