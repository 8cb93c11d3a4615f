/**
 * Fonts and text measurement for the PDF dump. Most text is drawn in the PDF standard fonts
 * (Helvetica, Courier: nothing to embed, cheap to write) through the WinAnsi encoding; text
 * that encoding cannot hold (arrows, non-Latin names) is drawn in DejaVu, embedded as a subset.
 * The layout measures with the same widths the renderer draws with (no kerning), so what it
 * wraps and aligns is what appears on the page.
 */
import { createRequire } from 'node:module';

/** Standard fonts: drawn by our own text operators. */
export type StandardFontId = 'H' | 'HB' | 'HI' | 'C' | 'CB';
/** Embedded DejaVu fonts: for text the standard fonts cannot encode. */
export type UnicodeFontId = 'U' | 'UB' | 'UI' | 'UM';
export type FontId = StandardFontId | UnicodeFontId;

export const STANDARD_FONT_NAMES: Readonly<Record<StandardFontId, string>> = {
  H: 'Helvetica',
  HB: 'Helvetica-Bold',
  HI: 'Helvetica-Oblique',
  C: 'Courier',
  CB: 'Courier-Bold',
};

/** The DejaVu face standing in for each standard font. */
export const UNICODE_FALLBACK: Readonly<Record<StandardFontId, UnicodeFontId>> = { H: 'U', HB: 'UB', HI: 'UI', C: 'UM', CB: 'UM' };

const UNICODE_FILES: Readonly<Record<UnicodeFontId, string>> = {
  U: 'DejaVuSans.ttf',
  UB: 'DejaVuSans-Bold.ttf',
  UI: 'DejaVuSans-Oblique.ttf',
  UM: 'DejaVuSansMono.ttf',
};

export function isStandardFont(f: FontId): f is StandardFontId {
  return f === 'H' || f === 'HB' || f === 'HI' || f === 'C' || f === 'CB';
}

/** Paths of the DejaVu font files (the `dejavu-fonts-ttf` dependency). */
export function unicodeFontFile(f: UnicodeFontId): string {
  return createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${UNICODE_FILES[f]}`);
}

/** Windows-1252 code points 0x80–0x9F, the part of WinAnsi that is not Latin-1 (0 = unused). */
const WINANSI_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const TO_WINANSI = new Map<number, number>();
for (let i = 0; i < WINANSI_HIGH.length; i++) if (WINANSI_HIGH[i] !== 0) TO_WINANSI.set(WINANSI_HIGH[i]!, 0x80 + i);

/** The WinAnsi byte of a UTF-16 code unit, or -1 when WinAnsi has no such character. */
export function winAnsiByte(code: number): number {
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return TO_WINANSI.get(code) ?? -1;
}

/** Whether every character of `s` can be drawn in a standard font. */
export function fitsWinAnsi(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (winAnsiByte(s.charCodeAt(i)) < 0) return false;
  return true;
}

/** Character widths in thousandths of the font size. */
export interface TextMetrics {
  /** The font `text` is drawn in when `font` is asked for: `font` itself, or its DejaVu stand-in. */
  fontFor(text: string, font: StandardFontId): FontId;
  /** Width of `text` in `font` at `size` points (no kerning, as drawn). */
  width(text: string, font: FontId, size: number): number;
  /** Width of one character (a UTF-16 code unit) in thousandths of the size. */
  charWidth(code: number, font: FontId): number;
}

/** Most distinct characters remembered per DejaVu font (bounded whatever the capture holds). */
const UNICODE_CACHE_LIMIT = 4096;

class Metrics implements TextMetrics {
  private readonly standard: Record<StandardFontId, Float64Array>;
  private readonly unicode: Record<UnicodeFontId, Map<number, number>>;
  private readonly measureUnicode: (font: UnicodeFontId, ch: string) => number;

  constructor(standard: Record<StandardFontId, Float64Array>, measureUnicode: (font: UnicodeFontId, ch: string) => number) {
    this.standard = standard;
    this.measureUnicode = measureUnicode;
    this.unicode = { U: new Map(), UB: new Map(), UI: new Map(), UM: new Map() };
  }

  fontFor(text: string, font: StandardFontId): FontId {
    return fitsWinAnsi(text) ? font : UNICODE_FALLBACK[font];
  }

  charWidth(code: number, font: FontId): number {
    const table = this.standard[font as StandardFontId] as Float64Array | undefined;
    if (table !== undefined) {
      if (code < 0x7f) return table[code]!;
      const b = winAnsiByte(code);
      return b < 0 ? 600 : table[b]!;
    }
    // A character outside the BMP: its first half carries the width of a wide glyph, the second none.
    if (code >= 0xd800 && code <= 0xdbff) return 1000;
    if (code >= 0xdc00 && code <= 0xdfff) return 0;
    const cache = this.unicode[font as UnicodeFontId];
    let w = cache.get(code);
    if (w === undefined) {
      w = this.measureUnicode(font as UnicodeFontId, String.fromCharCode(code));
      if (cache.size >= UNICODE_CACHE_LIMIT) cache.clear();
      cache.set(code, w);
    }
    return w;
  }

  width(text: string, font: FontId, size: number): number {
    let w = 0;
    const table = this.standard[font as StandardFontId] as Float64Array | undefined;
    if (table !== undefined) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        w += code < 0x7f ? table[code]! : this.charWidth(code, font);
      }
    } else {
      for (let i = 0; i < text.length; i++) w += this.charWidth(text.charCodeAt(i), font);
    }
    return (w * size) / 1000;
  }
}

/** The parts of a fontkit font we use. */
export interface FontkitFace {
  readonly unitsPerEm: number;
  glyphForCodePoint(cp: number): { readonly id: number; readonly advanceWidth: number };
}

/** pdfkit's embedded font object, which owns the subset and the Unicode map of a DejaVu face. */
export interface EmbeddedFontInternals {
  readonly id: string;
  readonly font: FontkitFace;
  readonly subset: { includeGlyph(id: number): number };
  readonly widths: number[];
  readonly unicode: number[][];
  readonly scale: number;
  ref(): unknown;
}

/** Loads a DejaVu face into `doc` and returns pdfkit's font object for it. */
export function embeddedFont(doc: PDFKit.PDFDocument, id: UnicodeFontId): EmbeddedFontInternals {
  doc.registerFont(id, unicodeFontFile(id));
  doc.font(id);
  return (doc as unknown as { _font: EmbeddedFontInternals })._font;
}

function fontkitFace(doc: PDFKit.PDFDocument, id: UnicodeFontId): FontkitFace {
  return embeddedFont(doc, id).font;
}

let shared: Promise<TextMetrics> | undefined;

/**
 * The metrics of the fonts the dump draws with, read once from pdfkit's font data (the AFM
 * widths of the standard fonts, the DejaVu files through pdfkit's font loader).
 */
export function createTextMetrics(): Promise<TextMetrics> {
  shared ??= (async () => {
    const { default: PDFDocument } = await import('pdfkit');
    // A document that is never written: pdfkit's font objects give us the widths.
    const doc = new PDFDocument({ autoFirstPage: false, fontLayoutCache: false } as PDFKit.PDFDocumentOptions);
    const standard = {} as Record<StandardFontId, Float64Array>;
    for (const id of Object.keys(STANDARD_FONT_NAMES) as StandardFontId[]) {
      const table = new Float64Array(256);
      doc.font(STANDARD_FONT_NAMES[id]).fontSize(1000);
      for (let b = 0x20; b <= 0xff; b++) {
        const code = b >= 0x80 && b <= 0x9f ? WINANSI_HIGH[b - 0x80]! : b;
        if (code === 0 || b === 0x7f) continue;
        table[b] = doc.widthOfString(String.fromCharCode(code));
      }
      standard[id] = table;
    }
    // DejaVu is loaded the first time a text needs it (most dumps need one face at most).
    const faces = new Map<UnicodeFontId, FontkitFace>();
    const measure = (font: UnicodeFontId, ch: string): number => {
      let face = faces.get(font);
      if (face === undefined) {
        face = fontkitFace(doc, font);
        faces.set(font, face);
      }
      return (face.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth * 1000) / face.unitsPerEm;
    };
    return new Metrics(standard, measure);
  })();
  return shared;
}

/** A text broken into lines that fit a width, all in one font. */
export interface WrappedText {
  readonly font: FontId;
  readonly lines: readonly string[];
}

/**
 * Greedy wrapping at spaces; a word longer than the line is broken between characters. Nothing
 * is dropped: the lines joined back (with the spaces they were broken at) give the text.
 * `firstWidth` is the room on the first line, `width` on the others.
 */
export function wrapText(text: string, font: FontId, size: number, firstWidth: number, width: number, m: TextMetrics): WrappedText {
  // Most texts fit: one measuring pass and done.
  if (m.width(text, font, size) <= firstWidth) return { font, lines: [text] };
  const lines: string[] = [];
  const scale = size / 1000;
  let room = firstWidth;
  let start = 0; // start of the current line
  let used = 0; // width of text[start, i)
  let lastSpace = -1; // index of the last space on this line (a break opportunity)
  let widthAtSpace = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const w = m.charWidth(code, font) * scale;
    if (code === 0x20) {
      lastSpace = i;
      widthAtSpace = used;
    }
    if (used + w > room && i > start && code !== 0x20 && !(code >= 0xdc00 && code <= 0xdfff)) {
      if (lastSpace > start) {
        lines.push(text.slice(start, lastSpace));
        start = lastSpace + 1;
        used = used - widthAtSpace - m.charWidth(0x20, font) * scale;
      } else {
        lines.push(text.slice(start, i));
        start = i;
        used = 0;
      }
      lastSpace = -1;
      room = width;
    }
    used += w;
  }
  if (start < text.length || lines.length === 0) lines.push(text.slice(start));
  return { font, lines };
}

/** `text` cut to fit `width` with a trailing ellipsis when it does not (for one-line lists). */
export function fitText(text: string, font: FontId, size: number, width: number, m: TextMetrics): string {
  if (m.width(text, font, size) <= width) return text;
  const ell = m.width('…', font, size);
  let used = 0;
  const scale = size / 1000;
  for (let i = 0; i < text.length; i++) {
    used += m.charWidth(text.charCodeAt(i), font) * scale;
    if (used + ell > width) return `${text.slice(0, i).trimEnd()}…`;
  }
  return text;
}

/** An integer with thousands separators (`12,345`), without the cost of Intl. */
export function thousands(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  if (s.length <= 3) return n < 0 ? `-${s}` : s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}
