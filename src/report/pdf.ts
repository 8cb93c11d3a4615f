/**
 * The report as a PDF: A4 portrait, laid out with pdfkit. A header with what the report is about,
 * then every section in order, each under a heading and a bookmark in the outline (its tables and
 * charts as children), and "page N of M" in every footer (the pages are kept until the end, when
 * the total is known).
 *
 * All text is drawn in the DejaVu faces the project ships (embedded as subsets), so any character
 * a capture holds has a glyph or at worst the font's empty box; control characters are shown as
 * escapes (`\x1b`), never passed to the page. The layout measures with the same DejaVu widths the
 * dump uses (`pdfdump/text-metrics.ts`) and draws each line itself at a place it chose: pdfkit
 * never wraps or moves text on its own, so a long cell wraps where the layout says and a table
 * row never splits without its header above it. Charts and the graph are SVG drawn as vector
 * paths by svg-to-pdfkit.
 */
import type { Writable } from 'node:stream';
import { createTextMetrics, fitText, thousands, type TextMetrics, type UnicodeFontId, unicodeFontFile, wrapText } from '../pdfdump/text-metrics.js';
import { PAPER_SIZES, type Rgb, THEMES } from '../pdfdump/theme.js';
import { escapeControl } from '../render/text-safety.js';
import { formatNumber } from './format.js';
import type { CellValue, ChartBlock, FiguresBlock, NoteBlock, PacketBlock, ReportBlock, ReportColumn, ReportData, ReportSection, TableBlock } from './model.js';

type Doc = PDFKit.PDFDocument;
type Outline = PDFKit.PDFOutline;

/** Page measures in points (A4 portrait). */
const [PAGE_W, PAGE_H] = PAPER_SIZES.a4;
const MARGIN_X = 50;
const TOP = 50;
/** Where the body ends; the footer sits below. */
const BOTTOM = PAGE_H - 54;
const WIDTH = PAGE_W - 2 * MARGIN_X;
const FOOTER_Y = PAGE_H - 36;

/** Body text, table text and the dump's monospace text: size and line pitch. */
const BODY = 9;
const BODY_LEAD = 12;
const TABLE = 8;
const TABLE_LEAD = 10;
/** Text sizes a table may take, largest first, to fit the page without squeezing columns. */
const TABLE_SIZES: readonly number[] = [TABLE, 7.5, 7, 6.5];
const MONO = 7;
const MONO_LEAD = 8.8;
/** Padding inside a table cell. */
const CELL_PAD_X = 4;
const CELL_PAD_Y = 2.5;
/** Indentation per `depth` level (table rows, tree lines). */
const INDENT = 9;
/** Narrowest a text column is squeezed to when a table is wider than the page. */
const MIN_COLUMN = 44;
/** Longest text drawn from one value; the rest is said, not dropped silently. */
const MAX_TEXT = 3000;
/** Charts are enlarged at most this much to fill the text width. */
const MAX_CHART_ZOOM = 1.5;
/** A chart is drawn smaller, down to this share of its size, to stay on the page it starts on. */
const CHART_SHRINK = 0.8;

const INK: Rgb = THEMES.light.text;
const MUTED: Rgb = THEMES.light.muted;
const WARN: Rgb = THEMES.light.issue;
const RULE: Rgb = THEMES.light.rule;
const BAND: Rgb = THEMES.light.headerBand;
const ZEBRA: Rgb = [0.965, 0.97, 0.975];

/** Fonts registered in every report document: the DejaVu faces under the dump's ids. */
const FACES: readonly UnicodeFontId[] = ['U', 'UB', 'UI', 'UM'];

/**
 * One glyph per character, as the layout measured (no kerning, ligatures or contextual forms):
 * every glyph keeps the character it stands for, so the text copies and searches as it reads.
 */
const NO_SHAPING = { kern: false, liga: false, clig: false, calt: false, rlig: false, init: false, medi: false, fina: false, isol: false } as unknown as PDFKit.Mixins.OpenTypeFeatures[];

const PLAIN_TEXT = /^[\x20-\x7e]*$/;

/**
 * How pdfkit draws a line: plain ASCII with the font's kerning and ligatures (pdfkit caches
 * their shaping word by word), anything else without shaping, glyph by glyph as measured.
 */
function textOptions(text: string): PDFKit.Mixins.TextOptions {
  return PLAIN_TEXT.test(text) ? { lineBreak: false } : { lineBreak: false, features: NO_SHAPING };
}

const rgb255 = (c: Rgb): [number, number, number] => [Math.round(c[0] * 255), Math.round(c[1] * 255), Math.round(c[2] * 255)];

// Unpaired halves of a surrogate pair: no character, and fonts choke on them.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Capture-derived text made safe to draw: control characters and bidi overrides as visible
 * escapes, unpaired surrogates as U+FFFD, and very long text cut with the cut said.
 */
export function pdfText(s: string): string {
  let t = escapeControl(s).replace(LONE_SURROGATE, '\ufffd');
  if (t.length > MAX_TEXT) {
    let cut = MAX_TEXT;
    // Never between the halves of a pair.
    if (/[\ud800-\udbff]/.test(t.charAt(cut - 1))) cut--;
    t = `${t.slice(0, cut)} … (${thousands(t.length - cut)} more characters not shown)`;
  }
  return t;
}

/**
 * A cell as shown: numbers in their column's unit exactly as the HTML report shows them (one
 * formatter for both), frame numbers plain, strings made safe, `null` empty.
 */
export function cellText(v: CellValue, col: ReportColumn): string {
  if (v === null) return '';
  if (typeof v === 'string') return pdfText(v);
  if (col.frames === true) return String(v);
  return formatNumber(v, col.unit).text;
}

interface LineOptions {
  readonly font?: UnicodeFontId;
  readonly size?: number;
  readonly colour?: Rgb;
}

/** One table laid out: column widths and, per row, the wrapped lines of each cell. */
interface TableLayout {
  readonly widths: readonly number[];
  readonly header: readonly (readonly string[])[];
  readonly headerHeight: number;
  /** Text size and line pitch of the cells. */
  readonly size: number;
  readonly lead: number;
}

/** The indentation of a table row for its depth (a nonsense depth draws as 0, a deep one as 12). */
function depthIndent(b: TableBlock, row: number): number {
  const d = b.depth?.[row] ?? 0;
  return Number.isFinite(d) ? Math.max(0, Math.min(12, Math.trunc(d))) * INDENT : 0;
}

/** Draws one report: keeps the cursor, starts pages, and writes lines where it is told. */
class ReportWriter {
  private readonly doc: Doc;
  private readonly m: TextMetrics;
  private readonly svgToPdf: typeof import('svg-to-pdfkit');
  private y = TOP;
  /** Drawn at the top of each new page while a table or a packet runs over pages. */
  private continuation: (() => void) | undefined;

  constructor(doc: Doc, m: TextMetrics, svgToPdf: typeof import('svg-to-pdfkit')) {
    this.doc = doc;
    this.m = m;
    this.svgToPdf = svgToPdf;
  }

  private newPage(): void {
    this.doc.addPage({ size: [PAGE_W, PAGE_H], margins: { top: TOP, bottom: PAGE_H - BOTTOM, left: MARGIN_X, right: MARGIN_X } });
    this.y = TOP;
    this.continuation?.();
  }

  /** Room left on this page. */
  private get room(): number {
    return BOTTOM - this.y;
  }

  /** Makes room for `h` points: a new page when this one has less (and is not empty). */
  private need(h: number): void {
    if (this.y + h > BOTTOM && this.y > TOP + 0.5) this.newPage();
  }

  /** One line of text with its top at `y`, never wrapped or moved by pdfkit. */
  private line(text: string, x: number, y: number, o: LineOptions = {}): void {
    if (text === '') return;
    const doc = this.doc;
    doc.font(o.font ?? 'U').fontSize(o.size ?? BODY).fillColor(rgb255(o.colour ?? INK));
    doc.text(text, x, y, textOptions(text));
  }

  /** One line ending at `right` (numbers in a column), measured as pdfkit draws it. */
  private lineRight(text: string, right: number, y: number, o: LineOptions = {}): void {
    if (text === '') return;
    this.doc.font(o.font ?? 'U').fontSize(o.size ?? BODY);
    this.line(text, right - this.doc.widthOfString(text, textOptions(text)), y, o);
  }

  private rect(x: number, y: number, w: number, h: number, colour: Rgb): void {
    this.doc.rect(x, y, w, h).fill(rgb255(colour));
  }

  private rule(y: number, colour: Rgb = RULE, width = 0.6): void {
    this.doc.moveTo(MARGIN_X, y).lineTo(MARGIN_X + WIDTH, y).lineWidth(width).strokeColor(rgb255(colour)).stroke();
  }

  private wrap(text: string, font: UnicodeFontId, size: number, width: number): readonly string[] {
    return wrapText(text, font, size, Math.max(width, 1), Math.max(width, 1), this.m).lines;
  }

  /** Wrapped text at the cursor, each line placed on a page with room for it. */
  private paragraph(text: string, o: LineOptions & { readonly indent?: number; readonly lead?: number } = {}): void {
    const font = o.font ?? 'U';
    const size = o.size ?? BODY;
    const lead = o.lead ?? BODY_LEAD;
    const indent = o.indent ?? 0;
    for (const l of this.wrap(text, font, size, WIDTH - indent)) {
      this.need(lead);
      this.line(l, MARGIN_X + indent, this.y, { font, size, colour: o.colour ?? INK });
      this.y += lead;
    }
  }

  /** An outline entry pointing at the cursor on the current page. */
  private mark(parent: Outline, title: string): Outline {
    const options = { top: this.y - 4, left: PAGE_W } as { expanded?: boolean };
    return parent.addItem(fitText(pdfText(title), 'U', 10, 400, this.m), options);
  }

  header(r: ReportData): void {
    this.newPage();
    for (const l of this.wrap(pdfText(r.title), 'UB', 18, WIDTH)) {
      this.line(l, MARGIN_X, this.y, { font: 'UB', size: 18 });
      this.y += 23;
    }
    this.y += 4;
    const facts: [string, string][] = [
      ['File', r.file],
      ['Generator', r.generator],
      ['Generated', r.generatedAt],
    ];
    if (r.filter !== undefined) facts.push(['Filter', r.filter]);
    this.pairs(facts.map(([label, value]) => ({ label, value })), MUTED);
    if (r.warnings.length > 0) {
      this.y += 6;
      for (const w of r.warnings) {
        this.paragraph(`Warning: ${pdfText(w)}`, { colour: WARN, font: 'UB' });
        this.y += 2;
      }
    }
    this.y += 6;
    this.rule(this.y, INK, 0.8);
    this.y += 14;
  }

  section(s: ReportSection): void {
    // A heading never ends a page: keep room for it and the start of its first block.
    if (this.room < 40 + this.firstRoom(s.blocks[0])) this.newPage();
    const item = this.mark(this.doc.outline, s.title);
    for (const l of this.wrap(pdfText(s.title), 'UB', 14, WIDTH)) {
      this.line(l, MARGIN_X, this.y, { font: 'UB', size: 14 });
      this.y += 18;
    }
    this.rule(this.y);
    this.y += 8;
    if (s.blocks.length === 0) this.paragraph('Nothing to show.', { colour: MUTED, font: 'UI' });
    for (const b of s.blocks) {
      switch (b.kind) {
        case 'figures':
          this.figures(b);
          break;
        case 'table':
          this.table(b, item);
          break;
        case 'chart':
          this.chart(b, item);
          break;
        case 'note':
          this.note(b);
          break;
        case 'packet':
          this.packet(b, item);
          break;
      }
      this.y += 10;
    }
    this.y += 8;
  }

  figures(b: FiguresBlock): void {
    this.pairs(b.items, INK);
  }

  /** Label/value pairs in two columns: labels muted on the left, values wrapped on the right. */
  private pairs(items: readonly { readonly label: string; readonly value: string }[], valueColour: Rgb): void {
    const labels = items.map((i) => pdfText(i.label));
    const widest = Math.max(0, ...labels.map((l) => this.m.width(l, 'U', BODY)));
    const labelWidth = Math.min(Math.max(widest + 14, 70), WIDTH * 0.4);
    items.forEach((item, i) => {
      const label = this.wrap(labels[i]!, 'U', BODY, labelWidth - 10);
      const value = this.wrap(pdfText(item.value), 'U', BODY, WIDTH - labelWidth);
      const n = Math.max(label.length, value.length);
      // Keep short pairs together; a long value runs over pages line by line.
      this.need(Math.min(n, 4) * BODY_LEAD);
      for (let k = 0; k < n; k++) {
        this.need(BODY_LEAD);
        this.line(label[k] ?? '', MARGIN_X, this.y, { colour: MUTED });
        this.line(value[k] ?? '', MARGIN_X + labelWidth, this.y, { colour: valueColour });
        this.y += BODY_LEAD;
      }
      this.y += 1.5;
    });
  }

  note(b: NoteBlock): void {
    // Line breaks in a note are paragraph breaks; every other control character is escaped.
    const paragraphs = b.text.split(/\r?\n/);
    paragraphs.forEach((p, i) => {
      this.paragraph(pdfText(p));
      if (i < paragraphs.length - 1) this.y += 4;
    });
  }

  /**
   * Column widths and the text size of a table. Each column wants its widest cell and its title on
   * one line; when that is too wide, titles wrap between words; then the text gets smaller (down to
   * `TABLE_SIZES`' last); only then are text columns squeezed and their cells wrapped. Numbers
   * keep their width as long as they take less than most of the page.
   */
  private layoutTable(b: TableBlock, cells: readonly (readonly string[])[]): TableLayout {
    const cols = b.columns;
    const titles = cols.map((c) => pdfText(c.title));
    const pad = 2 * CELL_PAD_X + 0.5;
    const sum = (ws: readonly number[]): number => ws.reduce((a, w) => a + w, 0);
    let widths: number[] = [];
    let size = TABLE_SIZES[0]!;
    for (size of TABLE_SIZES) {
      const content = cols.map((_, j) => {
        let w = 0;
        cells.forEach((row, i) => {
          w = Math.max(w, this.m.width(row[j]!, 'U', size) + (j === 0 ? depthIndent(b, i) : 0));
        });
        return w + pad;
      });
      const whole = content.map((w, j) => Math.max(w, this.m.width(titles[j]!, 'UB', size) + pad));
      const byWord = content.map((w, j) => Math.max(w, ...titles[j]!.split(' ').map((word) => this.m.width(word, 'UB', size) + pad)));
      if (sum(whole) <= WIDTH) {
        widths = whole;
        break;
      }
      if (sum(byWord) <= WIDTH) {
        // Titles wrap where they must; the room left goes to them, in proportion to what they lack.
        const spare = WIDTH - sum(byWord);
        const lack = sum(whole) - sum(byWord);
        widths = byWord.map((w, j) => w + ((whole[j]! - w) * spare) / lack);
        break;
      }
      widths = byWord;
    }
    if (sum(widths) > WIDTH) {
      const fixed = cols.map((c) => c.numeric === true);
      let fixedWidth = widths.reduce((a, w, j) => a + (fixed[j] ? w : 0), 0);
      if (fixedWidth > WIDTH * 0.75 || fixed.every((f) => f)) {
        fixed.fill(false);
        fixedWidth = 0;
      }
      // What is left goes to the other columns: the narrow ones get what they need, the rest share equally.
      const flexible = widths.map((w, j) => ({ w, j })).filter((c) => !fixed[c.j]).sort((x, y) => x.w - y.w);
      let left = WIDTH - fixedWidth;
      let count = flexible.length;
      for (const c of flexible) {
        widths[c.j] = Math.min(c.w, Math.max(left / count, MIN_COLUMN));
        left -= widths[c.j]!;
        count--;
      }
      // Too many columns for the page even at their narrowest: everything narrower.
      const total = sum(widths);
      if (total > WIDTH) widths = widths.map((w) => (w * WIDTH) / total);
    }
    const lead = size * 1.25;
    const header = titles.map((title, j) => this.wrap(title, 'UB', size, widths[j]! - 2 * CELL_PAD_X));
    const headerHeight = Math.max(1, ...header.map((h) => h.length)) * lead + 2 * CELL_PAD_Y;
    return { widths, header, headerHeight, size, lead };
  }

  private tableHeader(b: TableBlock, t: TableLayout, continued: boolean): void {
    if (continued) {
      this.line(`${pdfText(b.title)} (continued)`, MARGIN_X, this.y, { font: 'UI', size: TABLE, colour: MUTED });
      this.y += TABLE_LEAD + 2;
    }
    const tableWidth = t.widths.reduce((a, w) => a + w, 0);
    this.rect(MARGIN_X, this.y, tableWidth, t.headerHeight, BAND);
    let x = MARGIN_X;
    b.columns.forEach((c, j) => {
      const w = t.widths[j]!;
      t.header[j]!.forEach((l, k) => {
        const ly = this.y + CELL_PAD_Y + k * t.lead;
        if (c.numeric === true) this.lineRight(l, x + w - CELL_PAD_X, ly, { font: 'UB', size: t.size });
        else this.line(l, x + CELL_PAD_X, ly, { font: 'UB', size: t.size });
      });
      x += w;
    });
    this.y += t.headerHeight;
    this.doc.moveTo(MARGIN_X, this.y).lineTo(MARGIN_X + tableWidth, this.y).lineWidth(0.6).strokeColor(rgb255(RULE)).stroke();
  }

  table(b: TableBlock, parent: Outline): void {
    const cells = b.rows.map((row) => b.columns.map((c) => cellText(row[c.key] ?? null, c)));
    const t = this.layoutTable(b, cells);
    const tableWidth = t.widths.reduce((a, w) => a + w, 0);
    // The title, the header and the first row stay together.
    this.need(BODY_LEAD + 2 + t.headerHeight + Math.min(Math.max(b.rows.length, 1), 3) * (t.lead + 2 * CELL_PAD_Y));
    this.mark(parent, b.title);
    this.paragraph(pdfText(b.title), { font: 'UB', size: BODY + 0.5 });
    this.y += 2;
    this.tableHeader(b, t, false);
    this.continuation = () => this.tableHeader(b, t, true);
    if (b.rows.length === 0) {
      this.line('No rows.', MARGIN_X + CELL_PAD_X, this.y + CELL_PAD_Y, { font: 'UI', size: TABLE, colour: MUTED });
      this.y += TABLE_LEAD + 2 * CELL_PAD_Y;
    }
    cells.forEach((row, i) => {
      const indent = Math.min(depthIndent(b, i), (t.widths[0]! - 2 * CELL_PAD_X) / 2);
      const lines = row.map((text, j) => this.wrap(text, 'U', t.size, t.widths[j]! - 2 * CELL_PAD_X - (j === 0 ? indent : 0)));
      const n = Math.max(1, ...lines.map((l) => l.length));
      // A row moves whole to the next page when it fits there; a row taller than a page is split between lines.
      const full = n * t.lead + 2 * CELL_PAD_Y;
      if (full > this.room && full <= BOTTOM - TOP - t.headerHeight - 2 * TABLE_LEAD) this.newPage();
      let k = 0;
      while (k < n) {
        if (this.room < t.lead + 2 * CELL_PAD_Y) this.newPage();
        const take = Math.min(n - k, Math.floor((this.room - 2 * CELL_PAD_Y) / t.lead));
        const h = take * t.lead + 2 * CELL_PAD_Y;
        if (i % 2 === 1) this.rect(MARGIN_X, this.y, tableWidth, h, ZEBRA);
        let x = MARGIN_X;
        b.columns.forEach((c, j) => {
          const w = t.widths[j]!;
          for (let q = k; q < k + take; q++) {
            const l = lines[j]![q];
            if (l === undefined) break;
            const ly = this.y + CELL_PAD_Y + (q - k) * t.lead;
            if (c.numeric === true) this.lineRight(l, x + w - CELL_PAD_X, ly, { size: t.size });
            else this.line(l, x + CELL_PAD_X + (j === 0 ? indent : 0), ly, { size: t.size });
          }
          x += w;
        });
        this.y += h;
        k += take;
      }
    });
    this.continuation = undefined;
    this.doc.moveTo(MARGIN_X, this.y).lineTo(MARGIN_X + tableWidth, this.y).lineWidth(0.6).strokeColor(rgb255(RULE)).stroke();
    if (b.more > 0) {
      this.y += 3;
      this.paragraph(`${thousands(b.more)} more ${b.more === 1 ? 'row' : 'rows'} not shown`, { font: 'UI', size: TABLE, colour: MUTED, lead: TABLE_LEAD });
    }
  }

  /** A chart's title and caption lines, and the size it is drawn at on an empty page. */
  private chartPlan(b: ChartBlock): { caption: readonly string[]; title: readonly string[]; around: number; drawable: boolean; w: number; h: number; scale: number } {
    const caption = this.wrap(pdfText(b.description), 'UI', TABLE, WIDTH);
    const title = this.wrap(pdfText(b.title), 'UB', BODY + 0.5, WIDTH);
    const around = title.length * BODY_LEAD + 4 + caption.length * TABLE_LEAD + 4;
    // Something that is not an SVG document is said, not drawn as an empty box.
    const drawable = /<svg[\s>]/i.test(b.svg) && b.width > 0 && b.height > 0 && Number.isFinite(b.width) && Number.isFinite(b.height);
    const w = drawable ? b.width : WIDTH;
    const h = drawable ? b.height : BODY_LEAD / 2;
    const scale = drawable ? Math.min(WIDTH / w, (BOTTOM - TOP - around) / h, MAX_CHART_ZOOM) : 1;
    return { caption, title, around, drawable, w, h, scale };
  }

  /** The least room a block needs below its section's heading (so a heading never stands alone). */
  private firstRoom(b: ReportBlock | undefined): number {
    if (b?.kind === 'chart') {
      const p = this.chartPlan(b);
      return p.h * p.scale * CHART_SHRINK + p.around;
    }
    return 60;
  }

  chart(b: ChartBlock, parent: Outline): void {
    const plan = this.chartPlan(b);
    const { caption, title, around, drawable, w, h } = plan;
    let scale = plan.scale;
    // Shrink a little rather than leave most of a page empty; otherwise start a page.
    if (h * scale + around > this.room) {
      const here = (this.room - around) / h;
      if (here >= scale * CHART_SHRINK) scale = here;
      else this.newPage();
    }
    this.mark(parent, b.title);
    for (const l of title) {
      this.line(l, MARGIN_X, this.y, { font: 'UB', size: BODY + 0.5 });
      this.y += BODY_LEAD;
    }
    this.y += 4;
    const dw = w * scale;
    const dh = h * scale;
    let drawn = false;
    if (drawable) {
      this.doc.save();
      try {
        this.svgToPdf(this.doc, b.svg, MARGIN_X + (WIDTH - dw) / 2, this.y, {
          width: dw,
          height: dh,
          preserveAspectRatio: 'xMidYMid meet',
          assumePt: true,
          fontCallback: (_family: string, bold: boolean, italic: boolean) => (bold ? 'UB' : italic ? 'UI' : 'U'),
          warningCallback: () => {},
        });
        drawn = true;
      } catch {
        drawn = false;
      } finally {
        this.doc.restore();
      }
    }
    if (drawn) this.y += dh + 4;
    else {
      this.line('(This picture could not be drawn.)', MARGIN_X, this.y, { font: 'UI', colour: WARN });
      this.y += BODY_LEAD + 2;
    }
    for (const l of caption) {
      this.line(l, MARGIN_X, this.y, { font: 'UI', size: TABLE, colour: MUTED });
      this.y += TABLE_LEAD;
    }
  }

  packet(b: PacketBlock, parent: Outline): void {
    const summary = pdfText(b.summary);
    const headLines = this.wrap(summary, 'U', BODY, WIDTH - 70);
    const headHeight = Math.max(1, headLines.length) * BODY_LEAD + 6;
    this.need(headHeight + 4 * MONO_LEAD);
    this.mark(parent, `Frame ${b.frame}`);
    const drawHead = (continued: boolean): void => {
      const h = continued ? BODY_LEAD + 6 : headHeight;
      this.rect(MARGIN_X, this.y, WIDTH, h, BAND);
      this.line(`Frame ${b.frame}${continued ? ' (continued)' : ''}`, MARGIN_X + 4, this.y + 3, { font: 'UB' });
      if (!continued) headLines.forEach((l, k) => this.line(l, MARGIN_X + 70, this.y + 3 + k * BODY_LEAD));
      this.y += h + 4;
    };
    drawHead(false);
    this.continuation = () => drawHead(true);
    const tint = (layer: number): Rgb | undefined => {
      if (layer < 0 || layer >= b.layers.length) return undefined;
      const p = THEMES.light.layer(layer).tint;
      return p.kind === 'rgb' ? p.rgb : undefined;
    };
    const ink = (layer: number): Rgb => (layer < 0 || layer >= b.layers.length ? INK : THEMES.light.layer(layer).ink);

    // Legend: which tint is which layer.
    if (b.layers.length > 0) {
      this.need(MONO_LEAD + 2);
      let x = MARGIN_X;
      b.layers.forEach((name, i) => {
        const label = pdfText(name);
        const w = this.m.width(label, 'U', TABLE) + 16;
        if (x + w > MARGIN_X + WIDTH) {
          x = MARGIN_X;
          this.y += TABLE_LEAD + 1;
          this.need(TABLE_LEAD + 1);
        }
        this.rect(x, this.y + 1.5, 8, 7, tint(i) ?? BAND);
        this.line(label, x + 11, this.y, { size: TABLE, colour: ink(i) });
        x += w + 6;
      });
      this.y += TABLE_LEAD + 4;
    }

    // The tree: each line on its layer's tint, indented by depth, wrapped when long.
    const charW = this.m.charWidth(0x30, 'UM') * (MONO / 1000);
    for (const t of b.tree) {
      const indent = Math.min(t.depth, 20) * INDENT;
      const lines = this.wrap(pdfText(t.text), 'UM', MONO, WIDTH - indent - 6);
      for (const l of lines) {
        this.need(MONO_LEAD);
        const bg = tint(t.layer);
        if (bg !== undefined) this.rect(MARGIN_X, this.y, WIDTH, MONO_LEAD, bg);
        this.line(l, MARGIN_X + 3 + indent, this.y + 0.6, { font: 'UM', size: MONO, colour: ink(t.layer) });
        this.y += MONO_LEAD;
      }
    }
    this.y += 6;

    // The bytes: offset, sixteen hex cells tinted by layer (a gap after eight), the ASCII column.
    const hexX = MARGIN_X + 6 * charW;
    const cellX = (i: number): number => hexX + i * 3 * charW + (i >= 8 ? charW : 0);
    const asciiX = cellX(16) + 2 * charW;
    for (const row of b.hex) {
      this.need(MONO_LEAD);
      const y = this.y;
      // One tint per run of bytes of the same layer, behind the hex and the ASCII.
      for (let i = 0; i < row.bytes.length; ) {
        const layer = row.bytes[i]![1];
        let j = i + 1;
        while (j < row.bytes.length && row.bytes[j]![1] === layer) j++;
        const bg = tint(layer);
        if (bg !== undefined) {
          this.rect(cellX(i) - charW / 2, y, cellX(j - 1) + 2.5 * charW - cellX(i), MONO_LEAD, bg);
          const a = Math.min(j, row.ascii.length);
          if (i < a) this.rect(asciiX + i * charW, y, (a - i) * charW, MONO_LEAD, bg);
        }
        i = j;
      }
      this.line(row.offset.toString(16).padStart(4, '0'), MARGIN_X, y + 0.6, { font: 'UM', size: MONO, colour: MUTED });
      const hex = row.bytes.map(([pair], i) => `${i === 8 ? ' ' : ''}${pdfText(pair)}`).join(' ');
      this.line(hex, hexX, y + 0.6, { font: 'UM', size: MONO });
      this.line(pdfText(row.ascii), asciiX, y + 0.6, { font: 'UM', size: MONO });
      this.y += MONO_LEAD;
    }
    this.continuation = undefined;
  }

  /** "page N of M" and the report's title in the footer of every page. */
  footers(title: string): void {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    const label = fitText(pdfText(title), 'U', 7.5, WIDTH / 2, this.m);
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const n = `page ${thousands(i - start + 1)} of ${thousands(count)}`;
      doc.moveTo(MARGIN_X, FOOTER_Y - 5).lineTo(MARGIN_X + WIDTH, FOOTER_Y - 5).lineWidth(0.4).strokeColor(rgb255(RULE)).stroke();
      this.line(label, MARGIN_X, FOOTER_Y, { size: 7.5, colour: MUTED });
      this.lineRight(n, MARGIN_X + WIDTH, FOOTER_Y, { size: 7.5, colour: MUTED });
    }
  }
}

/** A date for the document information, when the report's is one. */
function infoDate(iso: string): Date | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Lays the report out in a new pdfkit document and ends it; the caller reads what it emits. */
async function layoutReport(r: ReportData, sink: (doc: Doc) => void): Promise<void> {
  const [{ default: PDFDocument }, { default: SVGtoPDF }, m] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit'), createTextMetrics()]);
  const created = infoDate(r.generatedAt);
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    displayTitle: true,
    lang: 'en',
    info: {
      Title: pdfText(r.title),
      Subject: `Capture report: ${pdfText(r.file)}`,
      Author: pdfText(r.generator),
      Creator: pdfText(r.generator),
      Producer: 'pcapviz (pdfkit)',
      ...(created !== undefined ? { CreationDate: created } : {}),
    },
  });
  sink(doc);
  // The faces the layout measures with, under the ids it measures them by (the SVG text uses them too).
  for (const f of FACES) doc.registerFont(f, unicodeFontFile(f));
  const w = new ReportWriter(doc, m, SVGtoPDF);
  w.header(r);
  for (const s of r.sections) w.section(s);
  w.footers(r.title);
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.end();
  await ended;
}

/** The report as a PDF in memory. */
export async function renderReportPdf(r: ReportData): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await layoutReport(r, (doc) => doc.on('data', (c: Buffer) => chunks.push(c)));
  return Buffer.concat(chunks);
}

/**
 * The report as a PDF written to `out` (which stays open: the caller ends it). The pages are
 * kept until the last one is laid out (the footers need the page count), then written.
 */
export async function writeReportPdf(r: ReportData, out: Writable): Promise<void> {
  let failed: Error | undefined;
  const onError = (e: Error): void => {
    failed ??= e;
  };
  out.on('error', onError);
  try {
    await layoutReport(r, (doc) => doc.on('data', (c: Buffer) => out.write(c)));
    if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', resolve));
  } finally {
    out.off('error', onError);
  }
  if (failed) throw failed;
}
