/**
 * The sequence diagram as SVG, drawn by us (no Graphviz): one `<g class="arrow">` per packet with
 * its full Info and expert notes in a `<title>` tooltip, one `<g class="note">` per connection
 * state note. Every capture-derived string is escaped for XML.
 */
import {
  drawBackground,
  drawBands,
  drawEmpty,
  drawFooter,
  drawHeader,
  drawLifelines,
  drawRows,
  drawTitle,
  FLOW_FONT,
  layoutFlow,
  rowsHeight,
  type BoxStyle,
  type Canvas,
  type FlowGeometry,
  type LineStyle,
  type TextStyle,
} from './diagram.js';
import type { FlowModel } from './model.js';
import { xmlEscape } from './text.js';

const num = (n: number): string => (Math.round(n * 100) / 100).toString();

/** A canvas writing SVG elements. */
export class SvgCanvas implements Canvas {
  private readonly parts: string[] = [];
  private depth = 0;

  private push(s: string): void {
    this.parts.push(`${'  '.repeat(this.depth)}${s}`);
  }

  group(cls: string, attrs: Readonly<Record<string, string>>, title: string | undefined, body: () => void): void {
    const extra = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
      .join('');
    this.push(`<g class="${xmlEscape(cls)}"${extra}>`);
    this.depth++;
    if (title !== undefined) this.push(`<title>${xmlEscape(title)}</title>`);
    body();
    this.depth--;
    this.push('</g>');
  }

  line(x1: number, y1: number, x2: number, y2: number, s: LineStyle): void {
    const dash = s.dash !== undefined ? ` stroke-dasharray="${s.dash.join(',')}"` : '';
    this.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${s.stroke}" stroke-width="${num(s.width)}"${dash}/>`);
  }

  rect(x: number, y: number, w: number, h: number, s: BoxStyle): void {
    const stroke = s.stroke !== undefined ? ` stroke="${s.stroke}" stroke-width="${num(s.width ?? 1)}"` : '';
    const rx = s.rx !== undefined ? ` rx="${num(s.rx)}"` : '';
    this.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}"${rx} fill="${s.fill ?? 'none'}"${stroke}/>`);
  }

  poly(points: readonly number[], fill: string): void {
    const pts: string[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) pts.push(`${num(points[i]!)},${num(points[i + 1]!)}`);
    this.push(`<polygon points="${pts.join(' ')}" fill="${fill}"/>`);
  }

  text(x: number, y: number, text: string, s: TextStyle): void {
    if (text === '') return;
    const anchor = s.anchor === 'start' ? '' : ` text-anchor="${s.anchor}"`;
    const bold = s.bold === true ? ' font-weight="bold"' : '';
    this.push(`<text x="${num(x)}" y="${num(y)}" font-size="${num(s.size)}" fill="${s.fill}"${anchor}${bold}>${xmlEscape(text)}</text>`);
  }

  hit(x: number, y: number, w: number, h: number): void {
    this.push(`<rect class="hit" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="#000" fill-opacity="0"/>`);
  }

  toString(): string {
    return this.parts.join('\n');
  }
}

/** Rows past which the lifeline header is drawn again at the bottom. */
const REPEAT_HEADER_ROWS = 30;

export interface FlowSvg {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** The whole diagram as one SVG document. */
export function renderFlowSvg(m: FlowModel, geometry: FlowGeometry = layoutFlow(m)): FlowSvg {
  const g = geometry;
  const c = new SvgCanvas();
  const top = 6;
  const headerY = top + g.titleHeight;
  const rowsY = headerY + g.headerHeight;
  const body = g.rows.length === 0 ? 40 : rowsHeight(g);
  const rowsEnd = rowsY + body;
  const repeat = g.rows.length > REPEAT_HEADER_ROWS;
  const bottomHeaderY = rowsEnd + 8;
  const footerY = repeat ? bottomHeaderY + g.boxHeight : rowsEnd;
  const height = Math.ceil(footerY + g.footer.height);
  const width = Math.ceil(g.width);

  drawBackground(c, width, height);
  drawTitle(c, g, top);
  drawBands(c, g, 0, g.rows.length, rowsY);
  if (g.x.length > 0) drawLifelines(c, g, headerY + g.boxHeight, repeat ? bottomHeaderY : rowsEnd + 6);
  drawHeader(c, g, headerY);
  if (g.rows.length === 0) drawEmpty(c, g, rowsY);
  drawRows(c, g, 0, g.rows.length, rowsY);
  if (repeat) drawHeader(c, g, bottomHeaderY);
  drawFooter(c, g, footerY);

  const svg = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FLOW_FONT}, monospace" xml:space="preserve">`,
    `<title>${xmlEscape(g.title)}</title>`,
    c.toString(),
    '</svg>',
    '',
  ].join('\n');
  return { svg, width, height };
}
