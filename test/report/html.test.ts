import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/report/format.js';
import { inlineSvg, renderReportHtml, visibleText } from '../../src/report/html.js';
import type { ReportData, ReportSection, TableBlock } from '../../src/report/model.js';
import { sampleReport } from '../helpers/report-sample.js';

const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:`;

/** Attribute values of one name anywhere in the page (double-quoted, as the templates write them). */
const attrValues = (html: string, name: string): string[] =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);

/** The table whose caption is `title`, as markup. */
function tableHtml(html: string, title: string): string {
  const start = html.indexOf(`<caption>${title}</caption>`);
  expect(start, `table ${title}`).toBeGreaterThan(0);
  return html.slice(html.lastIndexOf('<table', start), html.indexOf('</table>', start));
}

/** The sample with one section's blocks replaced or the header changed. */
function variant(patch: Partial<ReportData>, extraSections: ReportSection[] = []): ReportData {
  const base = sampleReport();
  return { ...base, ...patch, sections: [...(patch.sections ?? base.sections), ...extraSections] };
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(sampleReport());

  it('is one HTML document with the CSP meta, inline style and script, nothing fetched', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
    expect(html).toMatch(/<style>[\s\S]*\.L0 \{[\s\S]*<\/style>/);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toMatch(/<script>\s*\/\/ Sortable tables/);
    // No external anything: every src and href is in-page or data:.
    for (const name of ['src', 'href', 'xlink:href']) {
      for (const v of attrValues(html, name)) expect(v, `${name}="${v}"`).toMatch(/^(#|data:)/);
    }
    expect(html).not.toMatch(/\s(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b(?![^>]*rel="icon")/);
    expect(html).not.toMatch(/@import|url\((?!#)/);
  });

  it('has every section as an element id and in the table of contents', () => {
    const ids = attrValues(html, 'id');
    const nav = html.slice(html.indexOf('<nav'), html.indexOf('</nav>'));
    for (const s of sampleReport().sections) {
      expect(ids).toContain(s.id);
      expect(html).toContain(`<section id="${s.id}"`);
      expect(nav).toContain(`<a href="#${s.id}">${s.title}</a>`);
    }
    expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
  });

  it('shows hostile text only as text, everywhere', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The `&amp;` in the hostile text is itself escaped, so it reads as typed.
    expect(html).toContain('&amp;amp;\\x1b[31m');
    // Slots: a figure, a table cell (and its data-sort), a note, a packet summary and tree line.
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;|*x*`y`[z](http://e.invalid)&amp;amp;\\x1b[31m';
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(6);
  });

  it('escapes the header, warnings, filter, titles, columns and layer names', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    const r = sampleReport();
    const table = r.sections[1]!.blocks[1] as TableBlock;
    const page = renderReportHtml({
      ...r,
      title: `T ${evil}`,
      file: `f ${evil}`,
      generator: `g ${evil}`,
      generatedAt: `d ${evil}`,
      filter: `http.host == "${evil}"`,
      warnings: [`cut short ${evil}`, 'second'],
      sections: [
        { id: 'summary', title: `S ${evil}`, blocks: [{ kind: 'chart', title: `c ${evil}`, description: `d ${evil}`, svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', width: 1, height: 1 }] },
        { id: 'protocols', title: 'P', blocks: [{ ...table, title: `t ${evil}`, columns: table.columns.map((c) => ({ ...c, title: `${c.title} ${evil}` })) }] },
        { id: 'dump', title: 'D', blocks: [{ kind: 'packet', frame: 3, summary: 's', layers: [evil], tree: [], hex: [{ offset: 0, bytes: [['<b', 0]], ascii: '<' }] }] },
      ],
    });
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/"><img/);
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('role="alert"');
    expect(page).toMatch(/2 warnings[\s\S]*cut short &quot;&gt;&lt;img/);
    expect(page).toContain('<code>http.host == &quot;&quot;&gt;&lt;img');
    expect(page).toContain('aria-label="d &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('shows no filter line when there is no filter, and no warnings box without warnings', () => {
    expect(html).not.toContain('class="filter"');
    expect(html).not.toContain('role="alert"');
  });

  it('right-aligns numbers, formats them by unit and keeps raw values for sorting', () => {
    const phs = tableHtml(html, 'Protocol hierarchy');
    expect(phs).toContain('<td data-sort="35944" class="num" title="35,944 bytes">35.9 kB</td>');
    expect(phs).toContain('<td data-sort="178" class="num">178</td>');
    expect(phs).toMatch(/<th scope="col" class="num" data-type="number">Bytes<\/th>/);
    const talkers = tableHtml(html, 'IPv4 hosts');
    expect(talkers).toContain('<td data-sort="900" class="num">900 B</td>');
    expect(talkers).toContain('<td data-sort=""></td>'); // null: an empty cell
    expect(html).toContain('<p class="more">5 more rows not shown</p>');
  });

  it('formats each unit', () => {
    expect(formatNumber(1234567, 'count')).toEqual({ text: '1,234,567', title: undefined });
    expect(formatNumber(35944, 'bytes')).toEqual({ text: '35.9 kB', title: '35,944 bytes' });
    expect(formatNumber(512, 'bytes')).toEqual({ text: '512 B', title: undefined });
    expect(formatNumber(1_200_000, 'bytes').text).toBe('1.20 MB');
    expect(formatNumber(0.0123, 'seconds')).toEqual({ text: '12.3 ms', title: '0.0123 s' });
    expect(formatNumber(0.00085, 'seconds').text).toBe('850 µs');
    expect(formatNumber(1.5, 'seconds').text).toBe('1.500 s');
    expect(formatNumber(3600, 'seconds').text).toBe('3,600 s');
    expect(formatNumber(0, 'seconds').text).toBe('0 s');
    expect(formatNumber(35.25, 'percent').text).toBe('35.3%');
    expect(formatNumber(35.25, 'percent').title).toBe('35.25%');
    expect(formatNumber(100, 'percent')).toEqual({ text: '100.0%', title: undefined });
    expect(formatNumber(950, 'bps')).toEqual({ text: '950 bit/s', title: undefined });
    expect(formatNumber(1_234_567, 'bps')).toEqual({ text: '1.23 Mbit/s', title: '1,234,567 bit/s' });
    expect(formatNumber(999_999, 'bps').text).toBe('1.00 Mbit/s');
    expect(formatNumber(42.5, undefined).text).toBe('42.5');
  });

  it('indents rows by depth (the protocol hierarchy) and only the first column', () => {
    const phs = tableHtml(html, 'Protocol hierarchy');
    expect(phs).toContain('class="data sortable tree"');
    expect(phs).toContain('<td data-sort="frame" class="tree-cell" style="--d: 0">frame</td>');
    expect(phs).toContain('<td data-sort="eth" class="tree-cell" style="--d: 1">eth</td>');
    expect(phs).toContain('<td data-sort="ip" class="tree-cell" style="--d: 2">ip</td>');
    expect(tableHtml(html, 'IPv4 hosts')).not.toContain('tree-cell');
  });

  it('links frame cells to dumped frames only', () => {
    expect(html).toContain('<td data-sort="1" class="num"><a href="#frame-1">1</a></td>');
    expect(attrValues(html, 'id')).toContain('frame-1');
    // Every in-page link has a target.
    const ids = new Set(attrValues(html, 'id'));
    for (const h of attrValues(html, 'href').filter((v) => v.startsWith('#'))) expect(ids, h).toContain(h.slice(1));

    const r = sampleReport();
    const findings: TableBlock = {
      kind: 'table',
      title: 'Frames',
      columns: [{ key: 'f', title: 'Frame', numeric: true, frames: true }, { key: 'l', title: 'Frames', frames: true }],
      rows: [{ f: 7, l: '1, 7, 12' }],
      more: 0,
    };
    const page = renderReportHtml({ ...r, sections: r.sections.map((s) => (s.id === 'expert' ? { ...s, blocks: [findings] } : s)) });
    expect(page).toContain('<td data-sort="7" class="num">7</td>');
    expect(page).toContain('<td data-sort="1, 7, 12"><a href="#frame-1">1</a>, 7, 12</td>');
    // Without a dump section nothing is linked.
    const noDump = renderReportHtml({ ...r, sections: r.sections.filter((s) => s.id !== 'dump') });
    expect(noDump).not.toContain('href="#frame-');
  });

  it('draws a packet with its frame id, legend, indented tree and tinted bytes', () => {
    const dump = html.slice(html.indexOf('<section id="dump"'));
    expect(dump).toContain('<article class="packet" id="frame-1"');
    expect(dump).toContain('<span class="frame-no">Frame 1</span>');
    expect(dump).toMatch(/<li class="Lf">frame<\/li>\s*<li class="L0">eth<\/li>\s*<li class="L1">ip<\/li>/);
    expect(dump).toContain('<div class="line L0" style="--d: 1">Destination: 00:1b:21:00:00:01</div>');
    expect(dump).toContain('<div class="line Lf" style="--d: 0">Frame 1: 34 bytes</div>');
    expect(dump).toContain('<span class="off">0000</span>');
    expect(dump).toContain(' <span class="L0">08</span> <span class="L0">00</span> <span class="L1">45</span>');
    // The ASCII column is tinted as its bytes and escaped (`<` and `"` are in it).
    expect(dump).toContain('<span class="L0">&lt;</span><span class="L0">&quot;</span>');
    expect(dump).toContain('<span class="L1">E</span><span class="L1">.</span></span></div>');
  });

  it('lines up the ASCII column of a short last row', () => {
    const r = sampleReport();
    const packet = { kind: 'packet' as const, frame: 9, summary: 's', layers: ['eth'], tree: [], hex: [{ offset: 16, bytes: [['0a', 0] as const, ['0b', 0] as const], ascii: '..' }] };
    const page = renderReportHtml({ ...r, sections: [{ id: 'dump', title: 'D', blocks: [packet] }] });
    expect(page).toContain(`<span class="off">0010</span> <span class="bytes"> <span class="L0">0a</span> <span class="L0">0b</span></span>${' '.repeat(42)}  <span class="ascii">`);
  });

  it('puts charts in figures with a caption and the description as label', () => {
    expect(html).toMatch(
      /<figure class="chart">\s*<div class="chart-img" role="img" aria-label="Bytes per top protocol" title="Bytes per top protocol">\s*<svg [^>]*>[\s\S]*?<\/svg>\s*<\/div>\s*<figcaption>Bytes by protocol<\/figcaption>/,
    );
    expect(html).toContain('<p class="note">2 warnings, 1 note. &lt;script&gt;');
    expect(html).toMatch(/<dl class="figures">\s*<div class="figure"><dt>Packets<\/dt><dd>178<\/dd><\/div>/);
  });

  it('strips the XML prolog of an SVG and prefixes its ids and references', () => {
    const gv = [
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"',
      ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
      '<!-- Generated by graphviz -->',
      '<svg width="71pt" height="133pt" viewBox="0 0 71 133" xmlns="http://www.w3.org/2000/svg">',
      '<defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs>',
      '<g id="node1" clip-path="url(#clip1)"><title>id="x" &lt;b&gt;</title><use href="#clip1"/></g>',
      '</svg>',
    ].join('\n');
    const out = inlineSvg(gv, 'c1-');
    expect(out.startsWith('<svg width="71pt"')).toBe(true);
    expect(out).toContain('<clipPath id="c1-clip1">');
    expect(out).toContain('<g id="c1-node1" clip-path="url(#c1-clip1)">');
    expect(out).toContain('<use href="#c1-clip1"/>');
    expect(out).toContain('<title>id="x" &lt;b&gt;</title>'); // text is left alone

    const r = sampleReport();
    const chart = { kind: 'chart' as const, title: 'g', description: 'g', svg: gv, width: 71, height: 133 };
    const page = renderReportHtml({ ...r, sections: [{ id: 'graph', title: 'Graph', blocks: [chart, chart] }] });
    expect(page).not.toContain('<?xml');
    expect(page).not.toContain('<!DOCTYPE svg');
    expect(page).toContain('id="c1-clip1"');
    expect(page).toContain('id="c2-clip1"');
    const ids = attrValues(page, 'id');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says when a section or a table is empty, and does not make a one-row table sortable', () => {
    const empty: TableBlock = { kind: 'table', title: 'Nothing', columns: [{ key: 'a', title: 'A' }], rows: [], more: 0 };
    const page = renderReportHtml(variant({ sections: [{ id: 'tcp', title: 'TCP', blocks: [] }, { id: 'dns', title: 'DNS', blocks: [empty] }] }));
    expect(page).toContain('<p class="note empty">Nothing to show.</p>');
    expect(page).toContain('<tr class="none"><td colspan="1">No rows.</td></tr>');
    expect(tableHtml(page, 'Nothing')).toContain('<table class="data">');
    expect(tableHtml(html, 'Findings')).toContain('<table class="data">');
  });

  it('makes control characters and bidi overrides visible, as the other outputs do', () => {
    expect(visibleText('a\u0000b\u001b\u007fc\td\n\u202ee')).toBe('a\\x00b\\x1b\\x7fc\td\n\\u{202e}e');
  });

  it('uses raw output in its templates only for our own markup', () => {
    const dir = new URL('../../templates/report/', import.meta.url);
    const allowed = new Set(['it.css', 'it.script', 'it.b.svg', "include('block-' + b.kind, { b })"]);
    const files = readdirSync(dir).filter((f) => f.endsWith('.eta'));
    expect(files.sort()).toEqual(['block-chart.eta', 'block-figures.eta', 'block-note.eta', 'block-packet.eta', 'block-table.eta', 'page.eta']);
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/<%~\s*([\s\S]*?)\s*%>/g)) expect(allowed, `${f}: ${m[0]}`).toContain(m[1]);
    }
  });

  it('is the same page for the same report', () => {
    expect(renderReportHtml(sampleReport())).toBe(html);
  });
});
