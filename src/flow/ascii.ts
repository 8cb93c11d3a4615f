/**
 * The sequence diagram as plain text for a terminal: frame number and time at the left, one
 * column per lifeline, each packet a label line (the `list` Info, shortened with an ellipsis at
 * the right edge) over an arrow line (`|------>|`, `|<------|`). ACK-only packets are dashed
 * (`- - ->`), expert packets are marked `(!!)` with `=====>` (error) or `(!)` with `~~~~~>`
 * (warning), and connection states are `[ notes ]`. Capture-derived text has its control
 * characters escaped. Colour (ANSI) only when asked for.
 */
import { countText } from '../render/stats/units.js';
import { flowCutText, flowSummaryText, type FlowArrow, type FlowModel, type FlowNote } from './model.js';
import { charCount, safeText, shorten, shortenMiddle } from './text.js';

export interface AsciiOptions {
  /** ANSI colours: red and yellow for expert packets, dim for ACK-only ones, cyan for notes. */
  readonly colour?: boolean | undefined;
}

const ANSI = { error: '\u001b[31m', warning: '\u001b[33m', dim: '\u001b[2m', note: '\u001b[36m', bold: '\u001b[1m', reset: '\u001b[0m' } as const;

/** Columns between neighbouring lifelines, by how many there are. */
function gapFor(n: number): number {
  if (n <= 2) return 44;
  if (n === 3) return 36;
  if (n === 4) return 30;
  if (n === 5) return 26;
  if (n === 6) return 22;
  if (n === 7) return 20;
  return 18;
}

/** A line of fixed cells. */
class Line {
  readonly cells: string[];

  constructor(width: number) {
    this.cells = new Array<string>(width).fill(' ');
  }

  put(at: number, text: string): void {
    const cs = Array.from(text);
    for (let i = 0; i < cs.length && at + i < this.cells.length; i++) if (at + i >= 0) this.cells[at + i] = cs[i]!;
  }

  toString(): string {
    return this.cells.join('').trimEnd();
  }
}

interface Geometry {
  readonly numberW: number;
  readonly timeW: number;
  readonly x: readonly number[];
  readonly width: number;
}

function shaft(e: FlowArrow): string {
  if (e.expert?.level === 'error') return '=';
  if (e.expert?.level === 'warning') return '~';
  return '-';
}

function marker(e: FlowArrow): string {
  return e.expert?.level === 'error' ? '(!!) ' : e.expert?.level === 'warning' ? '(!) ' : '';
}

export function renderFlowAscii(m: FlowModel, o: AsciiOptions = {}): string {
  const colour = o.colour === true;
  const paint = (code: string, s: string): string => (colour && s !== '' ? `${code}${s}${ANSI.reset}` : s);
  const n = m.lifelines.length;
  let numberW = 3;
  let timeW = 4;
  for (const e of m.events) {
    if (e.kind !== 'arrow') continue;
    numberW = Math.max(numberW, String(e.frame).length);
    timeW = Math.max(timeW, e.time.length);
  }
  const gap = gapFor(n);
  const keys = m.lifelines.map((l) => shortenMiddle(safeText(l.key), Math.max(2 * gap - 2, 24)));
  const prefix = numberW + 2 + timeW + 2;
  const x: number[] = [];
  for (let i = 0; i < n; i++) x.push(i === 0 ? prefix + Math.max(Math.ceil(charCount(keys[0]!) / 2), 4) : x[i - 1]! + gap);
  const lastX = n > 0 ? x[n - 1]! : prefix;
  const width = Math.max(lastX + 24, 120);
  const g: Geometry = { numberW, timeW, x, width };
  const bars = (): Line => {
    const l = new Line(width);
    for (const xi of x) l.put(xi, '|');
    return l;
  };

  const out: string[] = [paint(ANSI.bold, safeText(flowSummaryText(m)))];
  const named = m.lifelines.filter((l) => l.name !== undefined);
  if (named.length > 0) out.push(`names: ${named.map((l) => `${safeText(l.key)} = ${safeText(l.name!)}`).join(', ')}`);
  out.push('');
  if (n === 0) {
    out.push('No packet matches the selection.');
    return `${out.join('\n')}\n`;
  }

  // Lifeline names, centred on their column; a name that would touch its left neighbour on a
  // header line goes to the next line up.
  const headerLines: Line[] = [];
  const ends: number[] = [];
  keys.forEach((k, i) => {
    const start = x[i]! - Math.floor(charCount(k) / 2);
    let row = 0;
    while (row < ends.length && ends[row]! >= start - 1) row++;
    if (row === ends.length) {
      headerLines.push(new Line(width));
      ends.push(-Infinity);
    }
    headerLines[row]!.put(start, k);
    ends[row] = start + charCount(k) - 1;
  });
  // The line nearest the lifelines carries the column titles.
  const titles = headerLines[0]!;
  titles.put(0, `${'No.'.padStart(numberW)}  ${'Time'.padStart(timeW)}`);
  for (let r = headerLines.length - 1; r >= 0; r--) out.push(headerLines[r]!.toString());
  out.push(bars().toString());

  for (const e of m.events) {
    if (e.kind === 'note') out.push(paint(ANSI.note, noteLine(g, e, bars())));
    else out.push(...arrowLines(g, e, bars).map((l) => paint(e.expert !== undefined ? ANSI[e.expert.level] : e.dashed ? ANSI.dim : '', l)));
  }
  out.push(bars().toString());

  const cut = flowCutText(m);
  if (cut !== undefined) out.push('', paint(ANSI.bold, `… ${cut}`));
  out.push('', legend(m));
  return `${out.join('\n')}\n`;
}

/**
 * Where text starts that would begin at `from`: further left when it would run past the right
 * edge (a row holds one packet, so the room is its own), but not left of the first lifeline.
 */
function placeText(g: Geometry, from: number, text: string): [number, string] {
  const len = charCount(text);
  const start = Math.max(Math.min(from, g.width - len), Math.min(from, g.x[0]! + 3));
  return [start, shorten(text, g.width - start)];
}

function noteLine(g: Geometry, e: FlowNote, line: Line): string {
  line.put(...placeText(g, Math.min(g.x[e.from]!, g.x[e.to]!) + 2, `[ ${safeText(e.text)} ]`));
  return line.toString();
}

function arrowLines(g: Geometry, e: FlowArrow, bars: () => Line): string[] {
  const a = g.x[e.from]!;
  const b = g.x[e.to]!;
  const c = shaft(e);
  const labelLine = bars();
  labelLine.put(...placeText(g, Math.min(a, b) + 3, `${marker(e)}${safeText(e.label)}`));
  const arrow = bars();
  arrow.put(0, `${String(e.frame).padStart(g.numberW)}  ${e.time.padStart(g.timeW)}`);
  // Dashes counted from the arrowhead, so a dashed arrow always ends `->` or starts `<-`.
  const fill = (from: number, to: number, head: number): void => {
    for (let i = from; i <= to; i++) arrow.cells[i] = e.dashed && Math.abs(i - head) % 2 === 0 ? ' ' : c;
  };
  if (a === b) {
    // A packet to itself: out to the right and back.
    fill(a + 1, a + 3, a + 4);
    arrow.cells[a + 4] = '.';
    const back = bars();
    back.put(a + 1, `<${c}${c}'`);
    return [labelLine.toString(), arrow.toString(), back.toString()];
  }
  if (b > a) {
    fill(a + 1, b - 2, b - 1);
    arrow.cells[b - 1] = '>';
  } else {
    arrow.cells[b + 1] = '<';
    fill(b + 2, a - 1, b + 1);
  }
  return [labelLine.toString(), arrow.toString()];
}

function legend(m: FlowModel): string {
  const parts = ['----> packet (label: list Info)'];
  let dashed = false;
  let error = false;
  let warning = false;
  let notes = false;
  for (const e of m.events) {
    if (e.kind === 'note') notes = true;
    else {
      dashed ||= e.dashed;
      error ||= e.expert?.level === 'error';
      warning ||= e.expert?.level === 'warning';
    }
  }
  if (dashed) parts.push('- - -> ACK only');
  if (error) parts.push('====> (!!) retransmission, lost segment, reset, error');
  if (warning) parts.push('~~~~> (!) other expert note');
  if (notes) parts.push('[ ] TCP connection state');
  if (m.hiddenAcks > 0) parts.push(`${countText(m.hiddenAcks)} ACK-only packets hidden`);
  return `legend: ${parts.join('   ')}`;
}
