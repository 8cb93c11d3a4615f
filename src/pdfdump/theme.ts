/**
 * Page sizes, the dump's fixed measures, and the two themes: `light` (a colour per protocol)
 * and `print` (greys and hatch patterns that survive a black-and-white printer).
 */

export type Paper = 'a4' | 'letter';
export type ThemeName = 'light' | 'print';

/** Paper sizes in points, portrait. */
export const PAPER_SIZES: Readonly<Record<Paper, readonly [number, number]>> = {
  a4: [595.28, 841.89],
  letter: [612, 792],
};

/** Body text size and line pitch (points). */
export const FONT_SIZE = 7;
export const LINE = 8.6;
/** Width of one hex byte cell, the gap after eight bytes, and a Courier character at FONT_SIZE. */
export const CELL = 3 * 0.6 * 7;
export const GROUP_GAP = 0.6 * 7;
export const MONO_CHAR = 0.6 * FONT_SIZE;
/** Room between the field column and the hex column, where connectors leave the fields. */
export const GUTTER = 14;
/** Indentation per level of nested fields. */
export const INDENT = 7;
/** Width kept for the size column (`2 B`, `4 bits`) at the field column's right edge. */
export const SIZE_COLUMN = 26;

export interface PageGeometry {
  readonly width: number;
  readonly height: number;
  /** Left and right margin. */
  readonly marginX: number;
  readonly top: number;
  /** Where the body ends; the footer sits below. */
  readonly bodyBottom: number;
  readonly contentWidth: number;
  readonly bodyHeight: number;
}

export function pageGeometry(paper: Paper, landscape: boolean): PageGeometry {
  const [w, h] = PAPER_SIZES[paper];
  const width = landscape ? h : w;
  const height = landscape ? w : h;
  const marginX = 30;
  const top = 26;
  const bodyBottom = height - 30;
  return { width, height, marginX, top, bodyBottom, contentWidth: width - 2 * marginX, bodyHeight: bodyBottom - top };
}

export type Rgb = readonly [number, number, number];
export type PatternName = 'plain' | 'diagonal' | 'antidiagonal' | 'horizontal' | 'vertical' | 'grid' | 'dots' | 'crosshatch';

/** How an area is filled: a colour, or (print theme) a hatch pattern over a light grey. */
export type Paint = { readonly kind: 'rgb'; readonly rgb: Rgb } | { readonly kind: 'pattern'; readonly pattern: PatternName; readonly ground: Rgb; readonly ink: Rgb };

export interface LayerStyle {
  /** Background of the byte cells of the layer's header. */
  readonly tint: Paint;
  /** Background of the layer's band in the field column. */
  readonly band: Paint;
  /** A small square beside the band title and in the legend. */
  readonly swatch: Paint;
  /** Box outlines and bit marks. */
  readonly ink: Rgb;
  /** Connectors: lighter than outlines, so the boxes stay what the eye finds first. */
  readonly wire: Rgb;
}

export interface Theme {
  readonly name: ThemeName;
  readonly text: Rgb;
  readonly muted: Rgb;
  readonly issue: Rgb;
  readonly headerBand: Rgb;
  readonly rule: Rgb;
  /** Style of the n-th protocol (in order of first appearance in the document). */
  layer(slot: number): LayerStyle;
  readonly slots: number;
}

const rgb = (c: Rgb): Paint => ({ kind: 'rgb', rgb: c });

/** HSL (degrees, 0–1, 0–1) to RGB components 0–1, rounded to 3 decimals. */
function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => Math.round((l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))) * 1000) / 1000;
  return [f(0), f(8), f(4)];
}

/** Hue and saturation of each protocol slot, chosen so neighbours differ at a glance. */
const HUES: readonly (readonly [number, number])[] = [
  [210, 0.75], [135, 0.5], [42, 0.85], [352, 0.7], [268, 0.5], [176, 0.55],
  [24, 0.85], [75, 0.5], [318, 0.5], [225, 0.25], [15, 0.4], [192, 0.7],
];

const LIGHT_SLOTS: readonly LayerStyle[] = HUES.map(([h, s]) => ({
  tint: rgb(hsl(h, s, 0.9)),
  band: rgb(hsl(h, s, 0.82)),
  swatch: rgb(hsl(h, s, 0.6)),
  ink: hsl(h, Math.min(1, s + 0.1), 0.32),
  wire: hsl(h, Math.min(1, s + 0.1), 0.45),
}));

const PATTERNS: readonly PatternName[] = ['plain', 'diagonal', 'dots', 'horizontal', 'antidiagonal', 'grid', 'vertical', 'crosshatch'];

const PRINT_SLOTS: readonly LayerStyle[] = PATTERNS.map((pattern, i) => {
  const ground: Rgb = i % 2 === 0 ? [0.93, 0.93, 0.93] : [1, 1, 1];
  const paint: Paint = { kind: 'pattern', pattern, ground, ink: [0.62, 0.62, 0.62] };
  return {
    tint: paint,
    band: rgb([0.9, 0.9, 0.9]),
    swatch: { kind: 'pattern', pattern, ground, ink: [0.2, 0.2, 0.2] },
    ink: [0.15, 0.15, 0.15],
    wire: [0.35, 0.35, 0.35],
  };
});

export const THEMES: Readonly<Record<ThemeName, Theme>> = {
  light: {
    name: 'light',
    text: [0.1, 0.1, 0.12],
    muted: [0.42, 0.44, 0.48],
    issue: [0.8, 0.05, 0.05],
    headerBand: [0.92, 0.93, 0.95],
    rule: [0.75, 0.77, 0.8],
    layer: (slot) => LIGHT_SLOTS[slot % LIGHT_SLOTS.length]!,
    slots: LIGHT_SLOTS.length,
  },
  print: {
    name: 'print',
    text: [0, 0, 0],
    muted: [0.35, 0.35, 0.35],
    // Red still, but dark enough to print as near-black; issue text is also marked in words.
    issue: [0.65, 0, 0],
    headerBand: [0.9, 0.9, 0.9],
    rule: [0.6, 0.6, 0.6],
    layer: (slot) => PRINT_SLOTS[slot % PRINT_SLOTS.length]!,
    slots: PRINT_SLOTS.length,
  },
};

/**
 * Gives each protocol a slot (a colour or pattern) in order of first appearance, so the first
 * protocols of a document never share one. The same order on both passes gives the same slots.
 */
export class ProtocolSlots {
  private readonly slots = new Map<string, number>();

  slot(protocol: string): number {
    let s = this.slots.get(protocol);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(protocol, s);
    }
    return s;
  }

  /** Protocols in order of first appearance. */
  protocols(): readonly string[] {
    return [...this.slots.keys()];
  }
}
