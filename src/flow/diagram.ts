/**
 * The drawn sequence diagram, shared by SVG and PDF: `layoutFlow` places everything (pure
 * geometry from the model, monospaced text so every width is exact), and the `draw*` functions
 * paint parts of it on a `Canvas`, which `svg.ts` turns into SVG elements and `pdf.ts` into
 * pdfkit calls. A page of the PDF is the title, the lifeline header and a run of rows; the SVG is
 * one page with every row.
 */
import { countText } from '../render/stats/units.js';
import { flowCutText, flowSummaryText, type FlowArrow, type FlowEvent, type FlowModel, type FlowNote } from './model.js';
import { charCount, MONO_EM, safeText, shorten, shortenMiddle } from './text.js';

export interface LineStyle {
  readonly stroke: string;
  readonly width: number;
  readonly dash?: readonly number[] | undefined;
}

export interface BoxStyle {
  readonly fill?: string | undefined;
  readonly stroke?: string | undefined;
  readonly width?: number | undefined;
  readonly rx?: number | undefined;
}

export interface TextStyle {
  readonly size: number;
  readonly fill: string;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly bold?: boolean | undefined;
}

/** What a diagram is drawn on. Coordinates in points, y down; text at its baseline. */
export interface Canvas {
  /** Draws `body` as one named group; `title` is its tooltip where the format has tooltips. */
  group(cls: string, attrs: Readonly<Record<string, string>>, title: string | undefined, body: () => void): void;
  line(x1: number, y1: number, x2: number, y2: number, s: LineStyle): void;
  rect(x: number, y: number, w: number, h: number, s: BoxStyle): void;
  poly(points: readonly number[], fill: string): void;
  text(x: number, y: number, text: string, s: TextStyle): void;
  /** An invisible area that shows the group's tooltip when pointed at (nothing in PDF). */
  hit(x: number, y: number, w: number, h: number): void;
}

export const FLOW_COLORS = {
  text: '#1f2328',
  muted: '#656d76',
  arrow: '#2b3340',
  ack: '#8c959f',
  error: '#cf222e',
  warning: '#d46b08',
  errorBand: '#ffebe9',
  warningBand: '#fff4e0',
  lifeline: '#a8b3c2',
  headerFill: '#eaf1fb',
  headerStroke: '#4a6285',
  noteFill: '#fff8c5',
  noteStroke: '#c9a800',
  labelBack: '#ffffff',
  background: '#ffffff',
} as const;

/** The font every flow drawing uses (monospaced, so text widths are exact). */
export const FLOW_FONT = 'DejaVu Sans Mono';

const MARGIN = 16;
const FONT = 11;
const CHAR_W = FONT * MONO_EM;
const TITLE_SIZE = 13;
const HEADER_SIZE = 12;
const NAME_SIZE = 10;
const ARROW_ROW = 26;
const SELF_ROW = 34;
const NOTE_ROW = 24;
const HEAD = 8;

export interface HeaderBox {
  readonly w: number;
  /** Address (or endpoint) line, then the learned name when there is one. */
  readonly key: string;
  readonly name: string | undefined;
}

export interface FlowRow {
  readonly event: FlowEvent;
  readonly height: number;
  /** The label as drawn (shortened to fit). */
  readonly text: string;
  /**
   * Where the label starts. A label wider than its arrow runs on to the right (or starts further
   * left near the right edge): a row holds one packet, so nothing else competes for the room.
   */
  readonly textX: number;
}

export interface FlowGeometry {
  readonly width: number;
  readonly title: string;
  readonly titleHeight: number;
  readonly numberRight: number;
  readonly timeRight: number;
  readonly x: readonly number[];
  readonly boxes: readonly HeaderBox[];
  readonly boxHeight: number;
  /** Header band: boxes plus the space under them. */
  readonly headerHeight: number;
  readonly rows: readonly FlowRow[];
  readonly footer: FooterLayout;
  readonly model: FlowModel;
}

interface LegendItem {
  readonly kind: 'solid' | 'dashed' | 'error' | 'warning' | 'note';
  readonly text: string;
  readonly x: number;
  readonly line: number;
}

export interface FooterLayout {
  readonly height: number;
  readonly cut: string | undefined;
  readonly legend: readonly LegendItem[];
  readonly legendTop: number;
}

const textW = (s: string, size = FONT): number => charCount(s) * size * MONO_EM;
const charsIn = (w: number, size = FONT): number => Math.max(0, Math.floor(w / (size * MONO_EM)));

const LEGEND: readonly Omit<LegendItem, 'x' | 'line'>[] = [
  { kind: 'solid', text: 'packet (label: list Info)' },
  { kind: 'dashed', text: 'ACK only' },
  { kind: 'error', text: 'retransmission, lost segment, reset, error' },
  { kind: 'warning', text: 'other expert note (dup ACK, zero window, out of order...)' },
  { kind: 'note', text: 'TCP connection state' },
];
const LEGEND_SAMPLE = 34;
const LEGEND_LINE = 18;

function layoutFooter(m: FlowModel, width: number): FooterLayout {
  const cut = flowCutText(m);
  let y = 10;
  const cutH = cut !== undefined ? 20 : 0;
  y += cutH;
  const legend: LegendItem[] = [];
  let x = MARGIN;
  let line = 0;
  const kinds = new Set<LegendItem['kind']>(['solid']);
  for (const e of m.events) {
    if (e.kind === 'note') kinds.add('note');
    else {
      if (e.dashed) kinds.add('dashed');
      if (e.expert !== undefined) kinds.add(e.expert.level);
    }
  }
  for (const item of LEGEND) {
    if (!kinds.has(item.kind)) continue;
    const w = LEGEND_SAMPLE + 6 + textW(item.text, 10) + 18;
    if (x > MARGIN && x + w > width - MARGIN) {
      x = MARGIN;
      line++;
    }
    legend.push({ ...item, x, line });
    x += w;
  }
  return { height: y + (line + 1) * LEGEND_LINE + 8, cut, legend, legendTop: y };
}

/** Places the whole diagram. */
export function layoutFlow(m: FlowModel): FlowGeometry {
  const n = m.lifelines.length;
  let numberChars = 3;
  let timeChars = 4;
  for (const e of m.events) {
    if (e.kind !== 'arrow') continue;
    numberChars = Math.max(numberChars, String(e.frame).length);
    timeChars = Math.max(timeChars, e.time.length);
  }
  const numberRight = MARGIN + numberChars * CHAR_W;
  const timeRight = numberRight + 10 + timeChars * CHAR_W;

  // Header boxes: the address (cut in the middle past 40 characters) and the learned name.
  const boxes: HeaderBox[] = m.lifelines.map((l) => {
    const key = shortenMiddle(safeText(l.key), 40);
    const name = l.name === undefined ? undefined : shorten(safeText(l.name), 40);
    const w = Math.max(84, textW(key, HEADER_SIZE) + 20, name === undefined ? 0 : textW(name, NAME_SIZE) + 20);
    return { w, key, name };
  });
  const boxHeight = boxes.some((b) => b.name !== undefined) ? 40 : 26;

  // Gaps between neighbouring lifelines: room for the boxes, and for the labels of arrows
  // between the two, up to a limit that keeps wide diagrams printable.
  const maxGap = n === 2 ? 720 : n > 2 ? Math.min(620, Math.max(150, 1800 / (n - 1))) : 0;
  const want = new Array<number>(Math.max(0, n - 1)).fill(0);
  for (const e of m.events) {
    if (e.kind !== 'arrow' || Math.abs(e.from - e.to) !== 1) continue;
    const i = Math.min(e.from, e.to);
    want[i] = Math.max(want[i]!, textW(safeText(e.label)) + 28);
  }
  const gaps: number[] = [];
  for (let i = 0; i + 1 < n; i++) gaps.push(Math.max(boxes[i]!.w / 2 + boxes[i + 1]!.w / 2 + 16, 130, Math.min(want[i]!, maxGap)));
  // An arrow across several lifelines widens the gaps it spans (evenly) until its label fits,
  // within the same limit per gap.
  for (const e of m.events) {
    if (e.kind !== 'arrow' || Math.abs(e.from - e.to) < 2) continue;
    const a = Math.min(e.from, e.to);
    const b = Math.max(e.from, e.to);
    let span = 0;
    for (let i = a; i < b; i++) span += gaps[i]!;
    const extra = Math.min(textW(safeText(e.label)) + 28, maxGap * (b - a)) - span;
    if (extra <= 0) continue;
    for (let i = a; i < b; i++) gaps[i] = Math.min(maxGap, gaps[i]! + extra / (b - a));
  }
  const x: number[] = [];
  if (n > 0) x.push(timeRight + 24 + Math.max(boxes[0]!.w / 2, 60));
  for (let i = 0; i + 1 < n; i++) x.push(x[i]! + gaps[i]!);
  const last = n > 0 ? x[n - 1]! + Math.max(boxes[n - 1]!.w / 2, 60) : timeRight + 200;
  // Room right of the last lifeline for the label of a packet it sends to itself.
  const selfRoom = m.events.some((e) => e.kind === 'arrow' && e.from === e.to && e.from === n - 1) ? 280 : 0;
  const title = safeText(flowSummaryText(m));
  let width = Math.max(last + MARGIN, n > 0 ? x[n - 1]! + selfRoom + MARGIN : 0, 420);
  width = Math.max(width, Math.min(textW(title, TITLE_SIZE) + 2 * MARGIN, 1000));

  const rows: FlowRow[] = m.events.map((e) => layoutRow(e, x, width, timeRight + 12));
  return {
    width,
    title: shorten(title, charsIn(width - 2 * MARGIN, TITLE_SIZE)),
    titleHeight: 30,
    numberRight,
    timeRight,
    x,
    boxes,
    boxHeight,
    headerHeight: boxHeight + 10,
    rows,
    footer: layoutFooter(m, width),
    model: m,
  };
}

/** The box of a note: its lifelines and some, wide enough for its text when there is room. */
function noteSpan(e: FlowNote, x: readonly number[], width: number): [number, number] {
  const a = Math.min(x[e.from]!, x[e.to]!);
  const b = Math.max(x[e.from]!, x[e.to]!);
  const w = Math.min(Math.max(b - a + 120, textW(safeText(e.text)) + 16), width - 2 * MARGIN);
  let l = (a + b) / 2 - w / 2;
  l = Math.max(MARGIN, Math.min(l, width - MARGIN - w));
  return [l, l + w];
}

function layoutRow(e: FlowEvent, x: readonly number[], width: number, leftLimit: number): FlowRow {
  const right = width - MARGIN;
  if (e.kind === 'note') {
    const [l, r] = noteSpan(e, x, width);
    const text = shorten(safeText(e.text), charsIn(r - l - 12));
    return { event: e, height: NOTE_ROW, text, textX: (l + r) / 2 - textW(text) / 2 };
  }
  const label = safeText(e.label);
  if (e.from === e.to) {
    const text = shorten(label, charsIn(right - (x[e.from]! + 36)));
    return { event: e, height: SELF_ROW, text, textX: x[e.from]! + 36 };
  }
  const a = Math.min(x[e.from]!, x[e.to]!);
  const b = Math.max(x[e.from]!, x[e.to]!);
  const w = textW(label);
  if (w <= b - a - 20) return { event: e, height: ARROW_ROW, text: label, textX: (a + b) / 2 - w / 2 };
  let start = a + 10;
  if (start + w > right) start = Math.max(leftLimit, right - w);
  const text = shorten(label, charsIn(right - start));
  return { event: e, height: ARROW_ROW, text, textX: start };
}

/** Total height of rows `from` to `to` (exclusive). */
export function rowsHeight(g: FlowGeometry, from = 0, to = g.rows.length): number {
  let h = 0;
  for (let i = from; i < to; i++) h += g.rows[i]!.height;
  return h;
}

export function drawBackground(c: Canvas, width: number, height: number): void {
  c.rect(0, 0, width, height, { fill: FLOW_COLORS.background });
}

/** The title line at `y` (its top). */
export function drawTitle(c: Canvas, g: FlowGeometry, y: number, text = g.title): void {
  c.text(MARGIN, y + 19, text, { size: TITLE_SIZE, fill: FLOW_COLORS.text, anchor: 'start', bold: true });
}

/** The lifeline header boxes and the column titles, their top at `y`. */
export function drawHeader(c: Canvas, g: FlowGeometry, y: number): void {
  c.group('header', {}, undefined, () => {
    const base = y + g.boxHeight - 8;
    c.text(g.numberRight, base, 'No.', { size: 10, fill: FLOW_COLORS.muted, anchor: 'end', bold: true });
    c.text(g.timeRight, base, 'Time', { size: 10, fill: FLOW_COLORS.muted, anchor: 'end', bold: true });
    g.boxes.forEach((b, i) => {
      const cx = g.x[i]!;
      c.group('lifeline-head', { 'data-key': g.model.lifelines[i]!.key }, safeText(headTitle(g.model, i)), () => {
        c.rect(cx - b.w / 2, y, b.w, g.boxHeight, { fill: FLOW_COLORS.headerFill, stroke: FLOW_COLORS.headerStroke, width: 1, rx: 4 });
        c.text(cx, y + 17, b.key, { size: HEADER_SIZE, fill: FLOW_COLORS.text, anchor: 'middle', bold: true });
        if (b.name !== undefined) c.text(cx, y + 32, b.name, { size: NAME_SIZE, fill: FLOW_COLORS.muted, anchor: 'middle' });
      });
    });
  });
}

function headTitle(m: FlowModel, i: number): string {
  const l = m.lifelines[i]!;
  return l.name === undefined ? l.key : `${l.key} (${l.name})`;
}

/** The lifelines from `y0` to `y1`. */
export function drawLifelines(c: Canvas, g: FlowGeometry, y0: number, y1: number): void {
  c.group('lifelines', {}, undefined, () => {
    for (const x of g.x) c.line(x, y0, x, y1, { stroke: FLOW_COLORS.lifeline, width: 1.2 });
  });
}

/** Expert bands behind rows `from`..`to` whose top is at `y`. */
export function drawBands(c: Canvas, g: FlowGeometry, from: number, to: number, y: number): void {
  let top = y;
  for (let i = from; i < to; i++) {
    const r = g.rows[i]!;
    const e = r.event;
    if (e.kind === 'arrow' && e.expert !== undefined) {
      c.rect(MARGIN / 2, top + 1, g.width - MARGIN, r.height - 2, { fill: e.expert.level === 'error' ? FLOW_COLORS.errorBand : FLOW_COLORS.warningBand });
    }
    top += r.height;
  }
}

/** Rows `from`..`to`, the first one's top at `y`. */
export function drawRows(c: Canvas, g: FlowGeometry, from: number, to: number, y: number): void {
  let top = y;
  for (let i = from; i < to; i++) {
    const r = g.rows[i]!;
    if (r.event.kind === 'note') drawNote(c, g, r, r.event, top);
    else drawArrow(c, g, r, r.event, top);
    top += r.height;
  }
}

function arrowColor(e: FlowArrow): string {
  if (e.expert !== undefined) return e.expert.level === 'error' ? FLOW_COLORS.error : FLOW_COLORS.warning;
  return e.dashed ? FLOW_COLORS.ack : FLOW_COLORS.arrow;
}

/** The tooltip of an arrow: frame, time, ends, protocol and length, the full Info, expert notes. */
export function arrowTooltip(m: FlowModel, e: FlowArrow): string {
  const lines = [
    `Frame ${e.frame}${e.time !== '' ? ` · ${e.time} s` : ''} · ${m.lifelines[e.from]!.key} → ${m.lifelines[e.to]!.key} · ${e.protocol} · ${countText(e.length)} bytes${e.stream !== undefined ? ` · tcp.stream ${e.stream}` : ''}`,
    e.label,
  ];
  if (e.ackOnly) lines.push('(ACK only)');
  for (const msg of e.expert?.messages ?? []) lines.push(`${e.expert!.level === 'error' ? '[!!]' : '[!]'} ${msg}`);
  return safeText(lines.join('\u2028')).replace(/\u2028/g, '\n');
}

function drawArrow(c: Canvas, g: FlowGeometry, r: FlowRow, e: FlowArrow, top: number): void {
  const color = arrowColor(e);
  const attrs: Record<string, string> = { 'data-frame': String(e.frame) };
  if (e.expert !== undefined) attrs['data-expert'] = e.expert.level;
  if (e.ackOnly) attrs['data-ack'] = '1';
  c.group('arrow', attrs, arrowTooltip(g.model, e), () => {
    const lineY = top + (e.from === e.to ? 14 : 19);
    // Number and time on the label's baseline: each row reads across like a line of list.
    const timeY = e.from === e.to ? lineY + 4 : lineY - 5;
    c.text(g.numberRight, timeY, String(e.frame), { size: 10, fill: FLOW_COLORS.muted, anchor: 'end' });
    c.text(g.timeRight, timeY, e.time, { size: 10, fill: FLOW_COLORS.muted, anchor: 'end' });
    const style: LineStyle = { stroke: color, width: e.expert !== undefined ? 1.6 : 1.2, dash: e.dashed ? [5, 3] : undefined };
    const x1 = g.x[e.from]!;
    if (e.from === e.to) {
      // A packet to itself: a loop to the right, back into the lifeline.
      const y2 = lineY + 10;
      c.line(x1, lineY, x1 + 28, lineY, style);
      c.line(x1 + 28, lineY, x1 + 28, y2, style);
      c.line(x1 + 28, y2, x1 + HEAD, y2, style);
      c.poly([x1, y2, x1 + HEAD, y2 - 4, x1 + HEAD, y2 + 4], color);
      c.rect(r.textX - 2, lineY - 6, textW(r.text) + 4, 14, { fill: FLOW_COLORS.labelBack });
      c.text(r.textX, lineY + 4, r.text, { size: FONT, fill: e.expert !== undefined ? color : FLOW_COLORS.text, anchor: 'start' });
    } else {
      const x2 = g.x[e.to]!;
      const dir = x2 > x1 ? 1 : -1;
      c.line(x1, lineY, x2 - dir * HEAD, lineY, style);
      c.poly([x2, lineY, x2 - dir * HEAD, lineY - 4, x2 - dir * HEAD, lineY + 4], color);
      c.rect(r.textX - 3, lineY - 16, textW(r.text) + 6, 13, { fill: FLOW_COLORS.labelBack });
      c.text(r.textX, lineY - 5, r.text, { size: FONT, fill: e.expert !== undefined ? color : FLOW_COLORS.text, anchor: 'start' });
    }
    c.hit(MARGIN / 2, top, g.width - MARGIN, r.height);
  });
}

function drawNote(c: Canvas, g: FlowGeometry, r: FlowRow, e: FlowNote, top: number): void {
  const [l, rr] = noteSpan(e, g.x, g.width);
  c.group('note', { 'data-stream': String(e.stream), 'data-role': e.role }, safeText(e.text), () => {
    c.rect(l, top + 3, rr - l, r.height - 6, { fill: FLOW_COLORS.noteFill, stroke: FLOW_COLORS.noteStroke, width: 0.8, rx: 3 });
    c.text((l + rr) / 2, top + r.height / 2 + 4, r.text, { size: FONT, fill: FLOW_COLORS.text, anchor: 'middle' });
  });
}

/** The cut note and the legend, their top at `y`. */
export function drawFooter(c: Canvas, g: FlowGeometry, y: number): void {
  const f = g.footer;
  c.group('footer', {}, undefined, () => {
    if (f.cut !== undefined) c.text(MARGIN, y + 24, `… ${f.cut}`, { size: 12, fill: FLOW_COLORS.error, anchor: 'start', bold: true });
    for (const item of f.legend) {
      const ly = y + f.legendTop + item.line * LEGEND_LINE + 12;
      const x0 = item.x;
      const x1 = x0 + LEGEND_SAMPLE;
      if (item.kind === 'note') {
        c.rect(x0, ly - 7, LEGEND_SAMPLE, 11, { fill: FLOW_COLORS.noteFill, stroke: FLOW_COLORS.noteStroke, width: 0.8, rx: 2 });
      } else {
        const color = item.kind === 'error' ? FLOW_COLORS.error : item.kind === 'warning' ? FLOW_COLORS.warning : item.kind === 'dashed' ? FLOW_COLORS.ack : FLOW_COLORS.arrow;
        if (item.kind === 'error' || item.kind === 'warning') c.rect(x0 - 2, ly - 8, LEGEND_SAMPLE + 4, 14, { fill: item.kind === 'error' ? FLOW_COLORS.errorBand : FLOW_COLORS.warningBand });
        c.line(x0, ly - 1, x1 - 6, ly - 1, { stroke: color, width: 1.2, dash: item.kind === 'dashed' ? [5, 3] : undefined });
        c.poly([x1, ly - 1, x1 - 6, ly - 4, x1 - 6, ly + 2], color);
      }
      c.text(x1 + 6, ly + 3, item.text, { size: 10, fill: FLOW_COLORS.muted, anchor: 'start' });
    }
  });
}

/** A diagram with no arrow: says why. */
export function drawEmpty(c: Canvas, g: FlowGeometry, y: number): void {
  c.text(MARGIN, y + 18, 'No packet matches the selection.', { size: 12, fill: FLOW_COLORS.muted, anchor: 'start' });
}

export const FLOW_MARGIN = MARGIN;
