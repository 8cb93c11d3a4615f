/**
 * The sequence diagram as a vector PDF drawn with pdfkit (text stays text, in the DejaVu Sans
 * Mono font shipped as a dependency). Rows run over as many pages as they need; every page
 * repeats the title and the lifeline header. The page is the first of A4 portrait, A4, A3, A2
 * and A1 landscape on which the diagram keeps at least 70% of its size (A1 for wider ones).
 */
import { createRequire } from 'node:module';
import {
  drawBands,
  drawEmpty,
  drawFooter,
  drawHeader,
  drawLifelines,
  drawRows,
  drawTitle,
  FLOW_COLORS,
  FLOW_MARGIN,
  layoutFlow,
  rowsHeight,
  type BoxStyle,
  type Canvas,
  type FlowGeometry,
  type LineStyle,
  type TextStyle,
} from './diagram.js';
import type { FlowModel } from './model.js';
import { shorten } from './text.js';

const require = createRequire(import.meta.url);

type Doc = PDFKit.PDFDocument;

/** A canvas drawing with pdfkit on the current page. */
class PdfCanvas implements Canvas {
  private readonly doc: Doc;

  constructor(doc: Doc) {
    this.doc = doc;
  }

  group(_cls: string, _attrs: Readonly<Record<string, string>>, _title: string | undefined, body: () => void): void {
    body();
  }

  line(x1: number, y1: number, x2: number, y2: number, s: LineStyle): void {
    const d = this.doc;
    d.save();
    d.moveTo(x1, y1).lineTo(x2, y2).lineWidth(s.width).strokeColor(s.stroke);
    if (s.dash !== undefined) d.dash(s.dash[0]!, { space: s.dash[1] ?? s.dash[0]! });
    d.stroke();
    d.restore();
  }

  rect(x: number, y: number, w: number, h: number, s: BoxStyle): void {
    const d = this.doc;
    d.save();
    if (s.rx !== undefined) d.roundedRect(x, y, w, h, s.rx);
    else d.rect(x, y, w, h);
    if (s.stroke !== undefined) d.lineWidth(s.width ?? 1).strokeColor(s.stroke);
    if (s.fill !== undefined && s.stroke !== undefined) d.fillAndStroke(s.fill, s.stroke);
    else if (s.fill !== undefined) d.fill(s.fill);
    else if (s.stroke !== undefined) d.stroke();
    d.restore();
  }

  poly(points: readonly number[], fill: string): void {
    const pts: [number, number][] = [];
    for (let i = 0; i + 1 < points.length; i += 2) pts.push([points[i]!, points[i + 1]!]);
    this.doc.save();
    this.doc.polygon(...pts).fill(fill);
    this.doc.restore();
  }

  text(x: number, y: number, text: string, s: TextStyle): void {
    if (text === '') return;
    const d = this.doc;
    d.font(s.bold === true ? 'mono-bold' : 'mono').fontSize(s.size).fillColor(s.fill);
    const w = s.anchor === 'start' ? 0 : d.widthOfString(text);
    const at = s.anchor === 'middle' ? x - w / 2 : s.anchor === 'end' ? x - w : x;
    d.text(text, at, y, { lineBreak: false, baseline: 'alphabetic' });
  }

  hit(): void {}
}

/** A4 portrait, A4, A3, A2 and A1 landscape, in points. */
const PAGE_SIZES: readonly (readonly [number, number])[] = [
  [595.28, 841.89],
  [841.89, 595.28],
  [1190.55, 841.89],
  [1683.78, 1190.55],
  [2383.94, 1683.78],
];
const PAGE_MARGIN = 24;
const MIN_SCALE = 0.7;

export interface FlowPdfPlan {
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly scale: number;
  /** Rows of each page: [from, to). A last page may hold only the footer. */
  readonly pages: readonly (readonly [number, number])[];
}

/** The page size, scale and rows of each page. */
export function planFlowPages(g: FlowGeometry): FlowPdfPlan {
  let size = PAGE_SIZES[PAGE_SIZES.length - 1]!;
  for (const s of PAGE_SIZES) {
    if ((s[0] - 2 * PAGE_MARGIN) / g.width >= MIN_SCALE) {
      size = s;
      break;
    }
  }
  const scale = Math.min(1, (size[0] - 2 * PAGE_MARGIN) / g.width);
  const avail = (size[1] - 2 * PAGE_MARGIN) / scale - g.titleHeight - g.headerHeight - 8;
  const pages: [number, number][] = [];
  let from = 0;
  let h = 0;
  for (let i = 0; i < g.rows.length; i++) {
    const rh = g.rows[i]!.height;
    if (h + rh > avail && i > from) {
      pages.push([from, i]);
      from = i;
      h = 0;
    }
    h += rh;
  }
  pages.push([from, g.rows.length]);
  if (h + g.footer.height > avail && g.rows.length > 0) pages.push([g.rows.length, g.rows.length]);
  return { pageWidth: size[0], pageHeight: size[1], scale, pages };
}

export interface FlowPdf {
  readonly pdf: Buffer;
  readonly pages: number;
  readonly pageWidth: number;
  readonly pageHeight: number;
}

/** The diagram as a PDF document. */
export async function renderFlowPdf(m: FlowModel, geometry: FlowGeometry = layoutFlow(m)): Promise<FlowPdf> {
  const { default: PDFDocument } = await import('pdfkit');
  const g = geometry;
  const plan = planFlowPages(g);
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: g.title, Creator: 'pcapviz' }, compress: true });
  doc.registerFont('mono', require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'));
  doc.registerFont('mono-bold', require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const c = new PdfCanvas(doc);
  const total = plan.pages.length;
  plan.pages.forEach(([from, to], p) => {
    doc.addPage({ size: [plan.pageWidth, plan.pageHeight], margin: 0 });
    doc.save();
    doc.translate(PAGE_MARGIN, PAGE_MARGIN);
    doc.scale(plan.scale);
    const pageNote = total > 1 ? `page ${p + 1} of ${total}` : '';
    const titleRoom = Math.floor((g.width - 2 * FLOW_MARGIN - pageNote.length * 7 - 24) / (13 * 0.602));
    drawTitle(c, g, 0, shorten(g.title, titleRoom));
    if (pageNote !== '') c.text(g.width - FLOW_MARGIN, 19, pageNote, { size: 10, fill: FLOW_COLORS.muted, anchor: 'end' });
    const headerY = g.titleHeight;
    const rowsY = headerY + g.headerHeight;
    const rowsEnd = rowsY + (g.rows.length === 0 ? 40 : rowsHeight(g, from, to));
    drawBands(c, g, from, to, rowsY);
    if (g.x.length > 0) drawLifelines(c, g, headerY + g.boxHeight, rowsEnd + 6);
    drawHeader(c, g, headerY);
    if (g.rows.length === 0) drawEmpty(c, g, rowsY);
    drawRows(c, g, from, to, rowsY);
    if (p === total - 1) drawFooter(c, g, rowsEnd);
    doc.restore();
  });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), pages: total, pageWidth: plan.pageWidth, pageHeight: plan.pageHeight };
}
