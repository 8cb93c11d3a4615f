/**
 * The pages around the packets, laid out as plainly as the packets are: the first page (what
 * the capture is, what was left out, which colour is which protocol), the table of contents
 * (one linked line per packet with its page), the footer, and where packets go on pages.
 * Pure: positions in content coordinates (x from the left margin, y from the top margin).
 */
import type { Rect, TextRun } from './layout.js';
import { fitText, type StandardFontId, type TextMetrics, thousands, wrapText } from './text-metrics.js';
import { FONT_SIZE, LINE, type PageGeometry } from './theme.js';

/** A page that is not a packet page. */
export interface DocPage {
  readonly runs: readonly TextRun[];
  /** Protocol colour samples: where, and which colour slot. */
  readonly swatches: readonly { readonly rect: Rect; readonly slot: number }[];
  /** Thin rules. */
  readonly rules: readonly Rect[];
  /** Internal links: a rectangle and the named destination it jumps to. */
  readonly links: readonly { readonly rect: Rect; readonly dest: string }[];
  /** Named destinations on this page. */
  readonly dests: readonly { readonly name: string; readonly y: number }[];
}

export interface LegendEntry {
  readonly protocol: string;
  readonly name: string;
  readonly slot: number;
}

export interface CoverInput {
  readonly title: string;
  readonly subtitle: string;
  /** What was dumped and what was left out. */
  readonly notes: readonly string[];
  /** The capture's `info` report as label/value pairs. */
  readonly summary: readonly (readonly [string, string])[];
  readonly legend: readonly LegendEntry[];
  /** Page number (1-based) where the contents start. */
  readonly contentsPage: number;
}

/** Name of the destination of the contents and of each packet. */
export const TOC_DEST = 'contents';
export const frameDest = (frame: number): string => `frame-${frame}`;

class PageFlow {
  readonly pages: { runs: TextRun[]; swatches: { rect: Rect; slot: number }[]; rules: Rect[]; links: { rect: Rect; dest: string }[]; dests: { name: string; y: number }[] }[] = [];
  y = 0;
  private readonly height: number;

  constructor(height: number) {
    this.height = height;
    this.newPage();
  }

  get page() {
    return this.pages[this.pages.length - 1]!;
  }

  newPage(): void {
    this.pages.push({ runs: [], swatches: [], rules: [], links: [], dests: [] });
    this.y = 0;
  }

  /** Makes room for `h` points, starting a page when this one is too full. */
  need(h: number): void {
    if (this.y + h > this.height && this.y > 0) this.newPage();
  }

  /** Wrapped text at `x` within `width`; returns its height. */
  text(text: string, font: StandardFontId, size: number, x: number, width: number, role: TextRun['role'], m: TextMetrics, lead = size * 1.3): number {
    const w = wrapText(text, m.fontFor(text, font), size, width, width, m);
    this.need(lead);
    for (const line of w.lines) {
      this.need(lead);
      this.page.runs.push({ x, y: this.y + size, text: line, font: w.font, size, role });
      this.y += lead;
    }
    return w.lines.length * lead;
  }
}

/** The first page(s): title, notes, the capture's summary, the protocol legend. */
export function layoutCover(input: CoverInput, page: PageGeometry, m: TextMetrics): DocPage[] {
  const width = page.contentWidth;
  const flow = new PageFlow(page.bodyHeight);
  flow.text(input.title, 'HB', 16, 0, width, 'text', m, 20);
  flow.text(input.subtitle, 'H', 8, 0, width, 'muted', m);
  flow.y += 8;
  for (const n of input.notes) {
    flow.text(n, 'H', 8.5, 0, width, 'text', m, 11);
    flow.y += 3;
  }
  const linkY = flow.y;
  flow.text(`The contents, one line per packet with its page, start on page ${input.contentsPage}.`, 'H', 8.5, 0, width, 'ink', m, 11);
  flow.page.links.push({ rect: { x: 0, y: linkY, w: width, h: 11 }, dest: TOC_DEST });
  flow.y += 10;

  const heading = (text: string): void => {
    flow.need(40);
    flow.text(text, 'HB', 11, 0, width, 'text', m, 14);
    flow.page.rules.push({ x: 0, y: flow.y, w: width, h: 0.5 });
    flow.y += 5;
  };
  heading('Capture');
  const keyWidth = 120;
  const size = FONT_SIZE + 0.5;
  const lead = LINE + 1;
  for (const [k, v] of input.summary) {
    const indent = /^\s+/.exec(k)?.[0].length ?? 0;
    const key = k.trim();
    const value = wrapText(v, m.fontFor(v, 'H'), size, width - keyWidth, width - keyWidth, m);
    flow.need(Math.min(value.lines.length, 4) * lead);
    flow.page.runs.push({ x: indent * 3, y: flow.y + size, text: key, font: m.fontFor(key, 'H'), size, role: 'muted' });
    for (const line of value.lines) {
      flow.need(lead);
      flow.page.runs.push({ x: keyWidth, y: flow.y + size, text: line, font: value.font, size, role: 'text' });
      flow.y += lead;
    }
  }
  flow.y += 10;

  if (input.legend.length > 0) {
    heading('Protocols and their colours');
    const colWidth = 170;
    const cols = Math.max(1, Math.floor(width / colWidth));
    for (let i = 0; i < input.legend.length; i += cols) {
      flow.need(LINE + 3);
      for (let c = 0; c < cols && i + c < input.legend.length; c++) {
        const e = input.legend[i + c]!;
        const x = c * colWidth;
        flow.page.swatches.push({ rect: { x, y: flow.y + 1, w: 14, h: 8 }, slot: e.slot });
        const text = fitText(`${e.protocol} · ${e.name}`, m.fontFor(`${e.protocol} · ${e.name}`, 'H'), FONT_SIZE + 0.5, colWidth - 24, m);
        flow.page.runs.push({ x: x + 19, y: flow.y + FONT_SIZE + 0.8, text, font: m.fontFor(text, 'H'), size: FONT_SIZE + 0.5, role: 'text' });
      }
      flow.y += LINE + 3;
    }
  }
  return flow.pages;
}

/** Contents rows on the first contents page (below its heading) and on the others. */
export function tocRowsPerPage(page: PageGeometry): { first: number; other: number } {
  const other = Math.floor(page.bodyHeight / LINE);
  return { first: other - 4, other };
}

export function tocPageCount(entries: number, page: PageGeometry): number {
  const { first, other } = tocRowsPerPage(page);
  if (entries <= first) return 1;
  return 1 + Math.ceil((entries - first) / other);
}

export interface TocEntry {
  readonly frame: number;
  readonly time: string;
  /** The list line without number and time. */
  readonly text: string;
  /** 1-based page number where the packet starts. */
  readonly page: number;
}

/** One page of contents: `entries` are the rows it holds; `first` whether it is the first page. */
export function layoutTocPage(entries: readonly TocEntry[], first: boolean, page: PageGeometry, m: TextMetrics): DocPage {
  const width = page.contentWidth;
  const runs: TextRun[] = [];
  const links: { rect: Rect; dest: string }[] = [];
  const rules: Rect[] = [];
  const dests: { name: string; y: number }[] = [];
  let y = 0;
  if (first) {
    runs.push({ x: 0, y: 12, text: 'Contents', font: 'HB', size: 12, role: 'text' });
    rules.push({ x: 0, y: 17, w: width, h: 0.5 });
    dests.push({ name: TOC_DEST, y: 0 });
    y = 4 * LINE;
  }
  const textX = 118;
  const pageW = 34;
  for (const e of entries) {
    const base = y + 6.6;
    runs.push({ x: 0, y: base, text: `Frame ${e.frame}`, font: 'HB', size: FONT_SIZE, role: 'text' });
    if (e.time !== '') runs.push({ x: 50, y: base, text: e.time, font: m.fontFor(e.time, 'H'), size: FONT_SIZE, role: 'muted' });
    const font = m.fontFor(e.text, 'H');
    const text = fitText(e.text, font, FONT_SIZE, width - textX - pageW - 6, m);
    runs.push({ x: textX, y: base, text, font, size: FONT_SIZE, role: 'text' });
    const p = String(e.page);
    runs.push({ x: width - m.width(p, 'H', FONT_SIZE), y: base, text: p, font: 'H', size: FONT_SIZE, role: 'ink' });
    links.push({ rect: { x: 0, y, w: width, h: LINE }, dest: frameDest(e.frame) });
    y += LINE;
  }
  return { runs, swatches: [], rules, links, dests };
}

/** The footer's runs for page `n` of `total`, in content coordinates below the body. */
export function footerRuns(n: number, total: number, label: string, page: PageGeometry, m: TextMetrics): { runs: TextRun[]; contents: Rect } {
  const y = page.bodyBottom - page.top + 17;
  const size = FONT_SIZE - 0.5;
  const right = `page ${thousands(n)} of ${thousands(total)}`;
  const font = m.fontFor(label, 'H');
  const left = fitText(label, font, size, page.contentWidth / 2 - 40, m);
  const mid = 'contents';
  const midX = page.contentWidth / 2 - m.width(mid, 'H', size) / 2;
  return {
    runs: [
      { x: 0, y, text: left, font, size, role: 'muted' },
      { x: midX, y, text: mid, font: 'H', size, role: 'ink' },
      { x: page.contentWidth - m.width(right, 'H', size), y, text: right, font: 'H', size, role: 'muted' },
    ],
    contents: { x: midX - 4, y: y - size - 2, w: m.width(mid, 'H', size) + 8, h: size + 5 },
  };
}

/** Space between packets sharing a page (`--compact`). */
export const COMPACT_GAP = 10;

/**
 * Where packet chunks go: each packet on a page of its own, or (`compact`) below the previous
 * packet when the whole first chunk fits in what is left of the page.
 */
export class PacketPager {
  /** Packet pages used so far. */
  pages = 0;
  private used = Infinity;
  private readonly height: number;
  private readonly compact: boolean;

  constructor(height: number, compact: boolean) {
    this.height = height;
    this.compact = compact;
  }

  /** Places a chunk of `h` points; says whether it starts a page and at which y. */
  place(h: number, firstOfPacket: boolean): { newPage: boolean; y: number } {
    if (this.compact && firstOfPacket && this.used + COMPACT_GAP + h <= this.height) {
      const y = this.used + COMPACT_GAP;
      this.used = y + h;
      return { newPage: false, y };
    }
    this.pages++;
    this.used = h;
    return { newPage: true, y: 0 };
  }
}
