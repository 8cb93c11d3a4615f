/**
 * Turns a laid-out chunk into drawing operations, grouped so that a page needs few colour
 * changes: every rectangle of one paint in one operation, every line of one ink in another,
 * text grouped by colour. Pure; the renderer only writes these out.
 */
import { boxInset, type Chunk, type Rect, type TextRole, type TextRun } from './layout.js';
import { FONT_SIZE, LINE, type Paint, type Rgb, type Theme } from './theme.js';

export type DrawOp =
  | { readonly kind: 'fill'; readonly paint: Paint; readonly rects: readonly Rect[] }
  | { readonly kind: 'stroke-rects'; readonly ink: Rgb; readonly width: number; readonly rects: readonly Rect[] }
  /** Open polylines, each a flat list x0,y0,x1,y1,... */
  | { readonly kind: 'lines'; readonly ink: Rgb; readonly width: number; readonly paths: readonly (readonly number[])[] }
  /** Filled triangles, six numbers each. */
  | { readonly kind: 'triangles'; readonly ink: Rgb; readonly points: readonly number[] }
  | { readonly kind: 'text'; readonly colour: Rgb; readonly runs: readonly TextRun[] };

/** Collects operations by key, keeping the order in which keys first appear. */
class Groups<T> {
  readonly map = new Map<unknown, T>();
  get(key: unknown, make: () => T): T {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make();
      this.map.set(key, v);
    }
    return v;
  }
}


export function roleColour(theme: Theme, role: TextRole, slot: number | undefined): Rgb {
  switch (role) {
    case 'muted':
      return theme.muted;
    case 'issue':
      return theme.issue;
    case 'ink':
      return theme.layer(slot ?? 0).ink;
    default:
      return theme.text;
  }
}

/** Text runs grouped by colour, as text operations. */
export function textOps(runs: readonly TextRun[], theme: Theme, slots: readonly number[] = []): DrawOp[] {
  const groups = new Groups<{ colour: Rgb; runs: TextRun[] }>();
  for (const r of runs) {
    const colour = roleColour(theme, r.role, r.layer !== undefined ? slots[r.layer] : undefined);
    groups.get(colour, () => ({ colour, runs: [] })).runs.push(r);
  }
  return [...groups.map.values()].map((g) => ({ kind: 'text', colour: g.colour, runs: g.runs }));
}

export interface PaintOptions {
  readonly theme: Theme;
  /** Colour slot of each layer of the packet. */
  readonly slots: readonly number[];
  /** Width of the content area (the header band spans it). */
  readonly width: number;
  readonly fieldWidth: number;
}

/** The drawing operations of one chunk, in painting order, in chunk coordinates. */
export function paintChunk(c: Chunk, o: PaintOptions): DrawOp[] {
  const { theme, slots } = o;
  const style = (layer: number) => theme.layer(slots[layer] ?? 0);
  const ops: DrawOp[] = [];
  ops.push({ kind: 'fill', paint: { kind: 'rgb', rgb: theme.headerBand }, rects: [{ x: -4, y: 0, w: o.width + 8, h: c.headerHeight }] });

  // Backgrounds: layer bands and byte tints, one operation per paint.
  const fills = new Groups<{ paint: Paint; rects: Rect[] }>();
  const fill = (paint: Paint, r: Rect): void => {
    fills.get(paint, () => ({ paint, rects: [] })).rects.push(r);
  };
  for (const b of c.bands) {
    fill(style(b.layer).band, { x: 0, y: b.y + 0.25, w: o.fieldWidth, h: b.lines * LINE - 0.5 });
  }
  for (const t of c.tints) fill(style(t.layer).tint, t);
  for (const b of c.bands) fill(style(b.layer).swatch, { x: 3, y: b.y + 1.75, w: 6, h: 6 });
  ops.push(...[...fills.map.values()].map((g): DrawOp => ({ kind: 'fill', paint: g.paint, rects: g.rects })));

  // Bit marks, outlines, connectors: by ink.
  const marks = new Groups<{ ink: Rgb; rects: Rect[] }>();
  const closed = new Groups<{ ink: Rgb; rects: Rect[] }>();
  const open = new Groups<{ ink: Rgb; paths: number[][] }>();
  const seen = new Set<string>();
  for (const box of c.boxes) {
    const ink = style(box.span.layer).ink;
    const key = ink;
    for (const m of box.bitMarks) marks.get(key, () => ({ ink, rects: [] })).rects.push(m);
    const id = `${box.span.from}-${box.span.to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const d = boxInset(box.span.depth);
    for (const s of box.segments) {
      const x0 = s.x + (s.opensLeft ? d.x : 0);
      const x1 = s.x + s.w - (s.closesRight ? d.x : 0);
      const y0 = s.y + d.y;
      const y1 = s.y + s.h - d.y;
      if (s.opensLeft && s.closesRight) closed.get(key, () => ({ ink, rects: [] })).rects.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
      else {
        // A span that goes on to another row: its outline stays open on that side.
        const paths = open.get(key, () => ({ ink, paths: [] })).paths;
        if (s.opensLeft) paths.push([x1, y0, x0, y0, x0, y1, x1, y1]);
        else if (s.closesRight) paths.push([x0, y0, x1, y0, x1, y1, x0, y1]);
        else paths.push([x0, y0, x1, y0], [x0, y1, x1, y1]);
      }
    }
  }
  for (const g of marks.map.values()) ops.push({ kind: 'fill', paint: { kind: 'rgb', rgb: g.ink }, rects: g.rects });
  for (const g of closed.map.values()) ops.push({ kind: 'stroke-rects', ink: g.ink, width: 0.6, rects: g.rects });
  for (const g of open.map.values()) ops.push({ kind: 'lines', ink: g.ink, width: 0.6, paths: g.paths });

  const lines = new Groups<{ ink: Rgb; paths: number[][]; tri: number[] }>();
  for (const cn of c.connectors) {
    const ink = style(cn.layer).wire;
    const g = lines.get(ink, () => ({ ink, paths: [], tri: [] }));
    g.paths.push(cn.points.flat());
    const [x, y] = cn.points[cn.points.length - 1]!;
    if (cn.arrow === 'up') g.tri.push(x, y, x - 1.4, y + 2.4, x + 1.4, y + 2.4);
    else g.tri.push(x, y, x - 2.4, y - 1.4, x - 2.4, y + 1.4);
  }
  for (const g of lines.map.values()) {
    ops.push({ kind: 'lines', ink: g.ink, width: 0.35, paths: g.paths });
    ops.push({ kind: 'triangles', ink: g.ink, points: g.tri });
  }
  if (c.issueMarks.length > 0) ops.push({ kind: 'fill', paint: { kind: 'rgb', rgb: theme.issue }, rects: c.issueMarks });

  const runs: TextRun[] = [...c.header];
  for (const b of c.bands) runs.push(...b.runs);
  for (const r of c.rows) runs.push(...r.runs);
  for (const i of c.issues) runs.push(...i.runs);
  for (const h of c.hexRows) runs.push(...h.runs);
  ops.push(...textOps(runs, theme, slots));
  return ops;
}

/** Small text size for footers and captions. */
export const SMALL = FONT_SIZE - 1;
