/**
 * The hostile-strings fixture through `pcapviz report` in HTML and PDF: the DNS name, HTTP URI,
 * Host and User-Agent and TLS server name it carries appear as text and only as text: the HTML
 * page, parsed as a browser would (jsdom), has no element, attribute, script or link that came
 * from a packet; the PDF's text holds the strings as written.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const HOSTILE = `${FIXTURES}hostile-strings.pcap`;
const DNS_NAME = '<script>alert(1)</script>|*x*.[a](javascript:alert(2)).example';
const HOST = '<img src=x onerror=alert(3)>';
const URI = '/<svg/onload=alert(4)>?q=`code`|=1+2';
const SNI = '"><b>sni</b>_[t](http://e.invalid)';

function reportHtml(): string {
  const r = runCli(['report', HOSTILE, '-o', '-', '--format', 'html', '--dump', '18']);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('report: hostile strings in HTML', () => {
  const html = reportHtml();
  const doc = new JSDOM(html).window.document;

  it('adds no element, attribute, script or link of its own', () => {
    expect(doc.querySelectorAll('img')).toHaveLength(0);
    // One script: the page's own table sorter.
    expect(doc.querySelectorAll('script')).toHaveLength(1);
    expect([...doc.querySelectorAll('b')].map((b) => b.textContent)).not.toContain('sni');
    for (const el of doc.querySelectorAll('*')) {
      for (const a of el.attributes) {
        expect(a.name.startsWith('on'), `${el.tagName} ${a.name}`).toBe(false);
        // Links inside the page only (and the empty icon that stops a browser asking for one).
        if (a.name === 'href' || a.name === 'src' || a.name === 'xlink:href') expect(a.value, `${el.tagName} ${a.name}`).toMatch(/^(#|data:,$)/);
      }
    }
  });

  it('shows every string exactly as the packets carry it', () => {
    const text = doc.body.textContent ?? '';
    for (const s of [DNS_NAME, HOST, URI, SNI]) expect(text).toContain(s);
  });
});

describe('report: hostile strings in PDF', () => {
  it('draws every string as text', async () => {
    const pdf = runPdf();
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const standardFontDataUrl = `${dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
    const d = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, standardFontDataUrl }).promise;
    let text = '';
    for (let n = 1; n <= d.numPages; n++) {
      const content = await (await d.getPage(n)).getTextContent();
      text += content.items.map((i) => ('str' in i ? i.str : '')).join('');
    }
    const squash = (s: string): string => s.replace(/\s+/g, '');
    for (const s of [DNS_NAME, HOST, SNI]) expect(squash(text)).toContain(squash(s));
  });
});

/** The PDF report's bytes (written to standard output, read undecoded). */
function runPdf(): Buffer {
  const bin = new URL('../../bin/pcapviz.js', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [bin, 'report', HOSTILE, '-o', '-', '--format', 'pdf', '--dump', '18'], { maxBuffer: 1 << 26 });
  expect(r.status, r.stderr.toString()).toBe(0);
  expect(r.stdout.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return r.stdout;
}
