/**
 * The report as one self-contained HTML page: `templates/report/*.eta` lay it out, the CSS and the
 * sorting script beside them are inlined, charts and the graph are inlined SVG. Nothing on the
 * page is fetched (a Content-Security-Policy meta forbids it).
 *
 * This module turns the report into a view: every number is formatted here and every string is
 * passed on as text, so the templates only place values (eta's `<%= %>` escapes each of them).
 * The only markup passed through unescaped is ours: the chart SVGs (made by vega or Graphviz,
 * with packet-derived text already XML-escaped), the CSS, the script and the included partials.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { countText } from '../render/stats/units.js';
import { escapeControl } from '../render/text-safety.js';
import { formatNumber } from './format.js';
import { packageFile } from '../util/package-files.js';
import type { CellValue, ChartBlock, PacketBlock, ReportBlock, ReportColumn, ReportData, TableBlock } from './model.js';

const TEMPLATE_DIR = packageFile('templates/report/');

/** Layer tints: the CSS has `.L0` … `.L{PALETTE_SIZE - 1}` and `.Lf` for the frame itself. */
export const PALETTE_SIZE = 8;

// ---------------------------------------------------------------------------------------------
// The view the templates read: strings and small integers only.

interface FigureView { readonly label: string; readonly value: string }
interface LinkPart { readonly text: string; readonly href: string | undefined }
interface CellView {
  readonly parts: readonly LinkPart[];
  /** Raw value for the sorting script. */
  readonly sort: string;
  /** Exact value when the shown one is rounded. */
  readonly title: string | undefined;
}
interface ColumnView { readonly title: string; readonly numeric: boolean }
interface RowView {
  readonly depth: number;
  readonly cells: readonly CellView[];
}
interface TableView {
  readonly kind: 'table';
  readonly title: string;
  readonly columns: readonly ColumnView[];
  readonly rows: readonly RowView[];
  readonly tree: boolean;
  readonly more: string | undefined;
}
interface ChartView {
  readonly kind: 'chart';
  readonly title: string;
  readonly description: string;
  readonly svg: string;
}
interface PacketView {
  readonly kind: 'packet';
  readonly id: string;
  readonly frame: string;
  readonly summary: string;
  readonly legend: readonly { readonly name: string; readonly cls: string }[];
  readonly tree: readonly { readonly text: string; readonly depth: number; readonly cls: string }[];
  readonly hex: readonly {
    readonly offset: string;
    /** Spaces that line up the ASCII column of a short last row. */
    readonly pad: string;
    readonly bytes: readonly { readonly hex: string; readonly cls: string }[];
    readonly ascii: readonly { readonly ch: string; readonly cls: string }[];
  }[];
}
type BlockView =
  | { readonly kind: 'figures'; readonly items: readonly FigureView[] }
  | { readonly kind: 'note'; readonly text: string }
  | TableView
  | ChartView
  | PacketView;

interface PageView {
  readonly title: string;
  readonly file: string;
  readonly generator: string;
  readonly generatedAt: string;
  readonly filter: string | undefined;
  readonly warnings: readonly string[];
  readonly sections: readonly { readonly id: string; readonly title: string; readonly blocks: readonly BlockView[] }[];
  readonly css: string;
  readonly script: string;
}

// ---------------------------------------------------------------------------------------------
// Text and numbers.

/**
 * Text from the model as it should read: control characters (an escape sequence in a hostname)
 * and bidi overrides become the same visible escapes the terminal and Markdown output use (`\x1b`),
 * since HTML cannot carry most of them and overrides could reorder what a reader sees. Tabs and
 * newlines stay (HTML shows them as spaces). Escaping for HTML is the template's job.
 */
export function visibleText(s: string): string {
  return s.replace(/[^\t\n]+/g, escapeControl);
}

// ---------------------------------------------------------------------------------------------
// Blocks → views.

function frameParts(value: CellValue, text: string, dumped: ReadonlySet<number>): LinkPart[] {
  const href = (n: number): string | undefined => (dumped.has(n) ? `#frame-${n}` : undefined);
  if (typeof value === 'number') return [{ text, href: Number.isInteger(value) ? href(value) : undefined }];
  // A list of frames in one cell (`3, 17, 40`): link each number, keep the separators.
  const parts: LinkPart[] = [];
  for (const piece of text.split(/(\d+)/)) {
    if (piece === '') continue;
    parts.push({ text: piece, href: /^\d+$/.test(piece) ? href(Number(piece)) : undefined });
  }
  return parts;
}

function cellView(value: CellValue, column: ReportColumn, dumped: ReadonlySet<number>): CellView {
  if (value === null) return { parts: [], sort: '', title: undefined };
  let text: string;
  let title: string | undefined;
  if (typeof value === 'number') {
    ({ text, title } = column.frames ? { text: String(value), title: undefined } : formatNumber(value, column.unit));
  } else {
    text = visibleText(value);
  }
  const parts = column.frames ? frameParts(value, text, dumped) : [{ text, href: undefined }];
  return { parts, sort: typeof value === 'number' ? String(value) : visibleText(value), title };
}

function tableView(b: TableBlock, dumped: ReadonlySet<number>): TableView {
  const depthOf = (i: number): number => {
    const d = b.depth?.[i] ?? 0;
    return Number.isFinite(d) ? Math.max(0, Math.min(40, Math.trunc(d))) : 0;
  };
  return {
    kind: 'table',
    title: visibleText(b.title),
    columns: b.columns.map((c) => ({ title: visibleText(c.title), numeric: c.numeric === true })),
    rows: b.rows.map((row, i) => ({ depth: depthOf(i), cells: b.columns.map((c) => cellView(row[c.key] ?? null, c, dumped)) })),
    tree: b.depth !== undefined && b.depth.some((d) => d > 0),
    more: b.more > 0 ? `${countText(b.more)} more ${b.more === 1 ? 'row' : 'rows'} not shown` : undefined,
  };
}

/**
 * An SVG document ready to sit inside HTML: no XML declaration, DOCTYPE or leading comments, and
 * its ids prefixed so that two charts (vega numbers its clip paths the same way every time) and
 * the page's own ids never collide.
 */
export function inlineSvg(svg: string, prefix: string): string {
  let s = svg.replace(/^\uFEFF/, '').trimStart();
  const prolog = /^(?:<\?xml[\s\S]*?\?>|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>|<!--[\s\S]*?-->)\s*/i;
  for (let m = prolog.exec(s); m; m = prolog.exec(s)) s = s.slice(m[0].length);
  // Only inside start tags: text content (packet-derived) is left exactly as it came.
  return s.replace(/<[A-Za-z][^<>]*>/g, (tag) =>
    tag
      .replace(/(\sid=")([^"]*")/g, `$1${prefix}$2`)
      .replace(/url\(#/g, `url(#${prefix}`)
      .replace(/(\s(?:xlink:)?href=")#/g, `$1#${prefix}`),
  );
}

function chartView(b: ChartBlock, n: number): ChartView {
  return {
    kind: 'chart',
    title: visibleText(b.title),
    description: visibleText(b.description),
    svg: inlineSvg(b.svg, `c${n}-`),
  };
}

const layerClass = (layer: number): string => (Number.isInteger(layer) && layer >= 0 ? `L${layer % PALETTE_SIZE}` : 'Lf');

function packetView(b: PacketBlock): PacketView {
  return {
    kind: 'packet',
    id: `frame-${b.frame}`,
    frame: String(b.frame),
    summary: visibleText(b.summary),
    legend: [{ name: 'frame', cls: 'Lf' }, ...b.layers.map((name, i) => ({ name: visibleText(name), cls: layerClass(i) }))],
    tree: b.tree.map((t) => ({
      text: visibleText(t.text),
      depth: Number.isFinite(t.depth) ? Math.max(0, Math.min(40, Math.trunc(t.depth))) : 0,
      cls: layerClass(t.layer),
    })),
    hex: b.hex.map((row) => {
      const chars = [...visibleText(row.ascii)];
      return {
        offset: row.offset.toString(16).padStart(4, '0'),
        pad: ' '.repeat(3 * Math.max(0, 16 - row.bytes.length)),
        bytes: row.bytes.map(([hex, layer]) => ({ hex: visibleText(hex), cls: layerClass(layer) })),
        // Tint each character as its byte when the two line up; plain otherwise.
        ascii: chars.map((ch, i) => ({ ch, cls: chars.length === row.bytes.length ? layerClass(row.bytes[i]![1]) : '' })),
      };
    }),
  };
}

function blockView(b: ReportBlock, dumped: ReadonlySet<number>, chartNo: () => number): BlockView {
  switch (b.kind) {
    case 'figures':
      return { kind: 'figures', items: b.items.map((f) => ({ label: visibleText(f.label), value: visibleText(f.value) })) };
    case 'note':
      return { kind: 'note', text: visibleText(b.text) };
    case 'table':
      return tableView(b, dumped);
    case 'chart':
      return chartView(b, chartNo());
    case 'packet':
      return packetView(b);
  }
}

// ---------------------------------------------------------------------------------------------

let eta: Eta | undefined;
let assets: { css: string; script: string } | undefined;

function engine(): Eta {
  eta ??= new Eta({ views: fileURLToPath(TEMPLATE_DIR), autoEscape: true, cache: true, useWith: false });
  return eta;
}

function inlineAssets(): { css: string; script: string } {
  assets ??= {
    css: readFileSync(new URL('report.css', TEMPLATE_DIR), 'utf8'),
    // A `</script` inside the script would end it early; ours has none, keep it that way.
    script: readFileSync(new URL('sort.js', TEMPLATE_DIR), 'utf8').replace(/<\/(script)/gi, '<\\/$1'),
  };
  return assets;
}

/** The report as one HTML document (synchronous: templates and assets are read once and cached). */
export function renderReportHtml(r: ReportData): string {
  const dumped = new Set<number>();
  for (const s of r.sections) for (const b of s.blocks) if (b.kind === 'packet') dumped.add(b.frame);
  let charts = 0;
  const chartNo = (): number => ++charts;
  const view: PageView = {
    title: visibleText(r.title),
    file: visibleText(r.file),
    generator: visibleText(r.generator),
    generatedAt: visibleText(r.generatedAt),
    filter: r.filter === undefined || r.filter === '' ? undefined : visibleText(r.filter),
    warnings: r.warnings.map(visibleText),
    sections: r.sections.map((s) => ({ id: s.id, title: visibleText(s.title), blocks: s.blocks.map((b) => blockView(b, dumped, chartNo)) })),
    ...inlineAssets(),
  };
  return engine().render('page', view);
}
