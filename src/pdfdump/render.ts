/**
 * Writes the dump with pdfkit, page by page, straight to the output stream: a page is finished
 * and handed to the stream before the next one is laid out, and the writer waits for the stream
 * to drain, so memory does not grow with the number of packets (pdfkit keeps only each page's
 * small dictionary and the outline entries until the end).
 *
 * pdfkit gives the document structure (pages, fonts, outline, links, metadata, the cross-
 * reference table). The page content is written as one string of PDF operators per page: the
 * layout has already placed every item, and grouping them by colour (one fill per colour, one
 * text object per colour) keeps the content small and the writing fast. Standard-font text is
 * drawn with our own text operators (WinAnsi strings); text only DejaVu can show goes through
 * pdfkit's text call, which embeds a subset of the font and its Unicode map.
 */
import type { Writable } from 'node:stream';
import { footerRuns, frameDest, type DocPage, TOC_DEST } from './document.js';
import type { PacketLayout, TextRun } from './layout.js';
import { type DrawOp, paintChunk, textOps } from './paint.js';
import { embeddedFont, type EmbeddedFontInternals, isStandardFont, STANDARD_FONT_NAMES, type StandardFontId, type TextMetrics, type UnicodeFontId, winAnsiByte } from './text-metrics.js';
import type { PageGeometry, Paint, PatternName, Rgb, Theme } from './theme.js';

type Doc = PDFKit.PDFDocument;

interface OutlineTarget {
  readonly title: string;
  readonly page: PdfRef;
  /** Height on the page (PDF coordinates: from the bottom). */
  readonly top: number;
}
interface OutlineEntry extends OutlineTarget {
  readonly children: OutlineTarget[];
}
interface PdfRef {
  data: Record<string, unknown>;
  end(chunk?: string): void;
  toString(): string;
}
/** The parts of pdfkit's page and document we reach beyond its typings. */
interface PageInternals {
  fonts: Record<string, PdfRef>;
  patterns: Record<string, PdfRef>;
  readonly height: number;
  readonly dictionary: PdfRef;
  readonly resources: PdfRef;
  readonly content: PdfRef;
}
interface DocInternals {
  ref(data: Record<string, unknown>): PdfRef;
  page: PageInternals | null;
  readonly _root: PdfRef;
  addNamedDestination(name: string, fit: 'XYZ', left: number | null, top: number | null, zoom: number | null): void;
}

/** Resource names of the standard fonts on every page that uses them. */
const FONT_RESOURCE: Readonly<Record<StandardFontId, string>> = { H: 'PvH', HB: 'PvHB', HI: 'PvHI', C: 'PvC', CB: 'PvCB' };

/** A number as PDF writes it: at most two decimals (built from integers: faster than float printing). */
export function num(n: number): string {
  const r = Math.round(n * 100);
  if (r % 100 === 0) return String(r / 100 || 0);
  const a = r < 0 ? -r : r;
  const f = a % 100;
  return `${r < 0 ? '-' : ''}${(a - f) / 100}.${f < 10 ? `0${f}` : f % 10 === 0 ? f / 10 : f}`;
}

const colourCache = new Map<string, string>();
/** `r g b` of a colour (cached: a page uses few). */
function rgbText(c: Rgb): string {
  const key = `${c[0]},${c[1]},${c[2]}`;
  let s = colourCache.get(key);
  if (s === undefined) {
    s = `${num(c[0])} ${num(c[1])} ${num(c[2])}`;
    colourCache.set(key, s);
  }
  return s;
}

const PLAIN_ASCII = /^[\x20-\x27\x2a-\x5b\x5d-\x7e]*$/;

/** A PDF literal string of WinAnsi bytes. */
export function pdfString(text: string): string {
  if (PLAIN_ASCII.test(text)) return `(${text})`;
  let s = '(';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let b = winAnsiByte(code);
    if (b < 0) b = 0x3f;
    if (b === 0x28 || b === 0x29 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) s += `\\${b.toString(8).padStart(3, '0')}`;
    else s += String.fromCharCode(b);
  }
  return `${s})`;
}

const PATTERN_SIZE = 4;
/** Bytes gathered before a write to the output. */
const WRITE_BATCH = 256 * 1024;

/** The drawing of one tile of each hatch pattern (pattern space: 0..4, y up). */
function patternTile(name: PatternName, ground: Rgb, ink: Rgb): string {
  const s = PATTERN_SIZE;
  const lines: Record<PatternName, string> = {
    plain: '',
    diagonal: `0 0 m ${s} ${s} l S -1 ${s - 1} m 1 ${s + 1} l S ${s - 1} -1 m ${s + 1} 1 l S`,
    antidiagonal: `0 ${s} m ${s} 0 l S -1 1 m 1 -1 l S ${s - 1} ${s + 1} m ${s + 1} ${s - 1} l S`,
    horizontal: `0 ${s / 2} m ${s} ${s / 2} l S`,
    vertical: `${s / 2} 0 m ${s / 2} ${s} l S`,
    grid: `0 ${s / 2} m ${s} ${s / 2} l S ${s / 2} 0 m ${s / 2} ${s} l S`,
    dots: '',
    crosshatch: `0 0 m ${s} ${s} l S 0 ${s} m ${s} 0 l S`,
  };
  let body = `${rgbText(ground)} rg 0 0 ${s} ${s} re f ${rgbText(ink)} RG ${rgbText(ink)} rg 0.4 w ${lines[name]}`;
  if (name === 'dots') body += ` 1.4 1.4 1.2 1.2 re f`;
  return body;
}

export interface PdfDumpWriterOptions {
  readonly page: PageGeometry;
  readonly theme: Theme;
  readonly metrics: TextMetrics;
  /** Document information dictionary. */
  readonly info: { readonly Title: string; readonly Subject: string; readonly Keywords: string };
  /** Footer text on the left of every page. */
  readonly footer: string;
  readonly totalPages: number;
}

export class PdfDumpWriter {
  private readonly doc: Doc;
  private readonly internals: DocInternals;
  private readonly out: Writable;
  private readonly o: PdfDumpWriterOptions;
  private readonly fontRefs = new Map<StandardFontId, PdfRef>();
  private readonly patternRefs = new Map<string, { name: string; ref: PdfRef }>();
  private readonly unicodeFonts = new Map<UnicodeFontId, { font: EmbeddedFontInternals; glyphs: Map<number, string> }>();
  private parts: string[] = [];
  private pageFonts = new Set<StandardFontId>();
  private pagePatterns = new Set<string>();
  private pageOpen = false;
  /** The outline, kept small until the end: a title, a page and a height per entry. */
  private readonly outline: OutlineEntry[] = [];
  private pageNo = 0;
  private backlog = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private failed: Error | undefined;

  private constructor(doc: Doc, out: Writable, o: PdfDumpWriterOptions) {
    this.doc = doc;
    this.internals = doc as unknown as DocInternals;
    this.out = out;
    this.o = o;
    // pdfkit emits many tiny chunks (an object header, a cross-reference line): they are
    // gathered into larger writes, which costs the output stream far less memory per byte.
    doc.on('data', (chunk: Uint8Array) => {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= WRITE_BATCH) this.writePending();
    });
    out.on('error', (e: Error) => {
      this.failed ??= e;
    });
  }

  static async open(out: Writable, o: PdfDumpWriterOptions): Promise<PdfDumpWriter> {
    const { default: PDFDocument } = await import('pdfkit');
    const doc = new PDFDocument({
      autoFirstPage: false,
      margin: 0,
      compress: true,
      // Bounded memory: pdfkit would otherwise remember the shaping of every distinct word.
      fontLayoutCache: false,
      displayTitle: true,
      lang: 'en',
      info: { ...o.info, Author: 'pcapviz', Creator: 'pcapviz pdfdump', Producer: 'pcapviz (pdfkit)' },
    });
    return new PdfDumpWriter(doc, out, o);
  }

  /** The page being drawn (1-based). */
  get page(): number {
    return this.pageNo;
  }

  /** Finishes the current page and starts the next one. */
  async newPage(): Promise<void> {
    await this.endPage();
    const previous = this.internals.page;
    this.doc.addPage({ size: [this.o.page.width, this.o.page.height], margin: 0 });
    if (previous !== null) {
      // pdfkit has written the previous page; it keeps the page's objects for the page tree,
      // which needs only their numbers. Dropping what they held keeps memory flat.
      previous.dictionary.data = {};
      previous.resources.data = {};
      previous.content.data = {};
    }
    this.pageOpen = true;
    this.pageNo++;
    this.pageFonts = new Set();
    this.pagePatterns = new Set();
  }

  private async endPage(): Promise<void> {
    if (!this.pageOpen) return;
    const { runs, contents } = footerRuns(this.pageNo, this.o.totalPages, this.o.footer, this.o.page, this.o.metrics);
    this.draw(textOps(runs, this.o.theme), this.o.page.marginX, this.o.page.top);
    this.doc.goTo(this.o.page.marginX + contents.x, this.o.page.top + contents.y, contents.w, contents.h, TOC_DEST);
    this.flush();
    this.pageOpen = false;
    await this.drain();
  }

  private writePending(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.out.write(chunk)) this.backlog = true;
  }

  /** Waits while the output stream holds more than its buffer (and reports its failure). */
  private async drain(): Promise<void> {
    this.writePending();
    if (this.failed) throw this.failed;
    if (!this.backlog) return;
    this.backlog = false;
    const out = this.out;
    if (!out.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('error', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('error', done);
      out.on('close', done);
    });
    if (this.failed) throw this.failed;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    // Bytes, not a string: pdfkit would otherwise convert the page character by character.
    this.doc.addContent(Buffer.from(this.parts.join('\n'), 'latin1') as unknown as string);
    this.parts = [];
  }

  private fontResource(id: StandardFontId): string {
    let ref = this.fontRefs.get(id);
    if (ref === undefined) {
      ref = this.internals.ref({ Type: 'Font', Subtype: 'Type1', BaseFont: STANDARD_FONT_NAMES[id], Encoding: 'WinAnsiEncoding' });
      ref.end();
      this.fontRefs.set(id, ref);
    }
    if (!this.pageFonts.has(id)) {
      this.internals.page!.fonts[FONT_RESOURCE[id]] = ref;
      this.pageFonts.add(id);
    }
    return FONT_RESOURCE[id];
  }

  /** The fill operator for a paint (registering its pattern on this page). */
  private fillPaint(p: Paint): string {
    if (p.kind === 'rgb') return `${rgbText(p.rgb)} rg`;
    const key = `${p.pattern}/${p.ground.join(',')}/${p.ink.join(',')}`;
    let pat = this.patternRefs.get(key);
    if (pat === undefined) {
      const ref = this.internals.ref({ Type: 'Pattern', PatternType: 1, PaintType: 1, TilingType: 1, BBox: [0, 0, PATTERN_SIZE, PATTERN_SIZE], XStep: PATTERN_SIZE, YStep: PATTERN_SIZE, Resources: {} });
      ref.end(patternTile(p.pattern, p.ground, p.ink));
      pat = { name: `PvP${this.patternRefs.size}`, ref };
      this.patternRefs.set(key, pat);
    }
    if (!this.pagePatterns.has(pat.name)) {
      this.internals.page!.patterns[pat.name] = pat.ref;
      this.pagePatterns.add(pat.name);
    }
    return `/Pattern cs /${pat.name} scn`;
  }

  /** Writes drawing operations with their origin at (dx, dy) on the page. */
  draw(ops: readonly DrawOp[], dx: number, dy: number): void {
    const parts = this.parts;
    for (const op of ops) {
      switch (op.kind) {
        case 'fill': {
          let s = this.fillPaint(op.paint);
          for (const r of op.rects) s += ` ${num(r.x + dx)} ${num(r.y + dy)} ${num(r.w)} ${num(r.h)} re`;
          parts.push(`${s} f`);
          break;
        }
        case 'stroke-rects': {
          let s = `${rgbText(op.ink)} RG ${num(op.width)} w`;
          for (const r of op.rects) s += ` ${num(r.x + dx)} ${num(r.y + dy)} ${num(r.w)} ${num(r.h)} re`;
          parts.push(`${s} S`);
          break;
        }
        case 'lines': {
          let s = `${rgbText(op.ink)} RG ${num(op.width)} w`;
          for (const p of op.paths) {
            s += ` ${num(p[0]! + dx)} ${num(p[1]! + dy)} m`;
            for (let i = 2; i < p.length; i += 2) s += ` ${num(p[i]! + dx)} ${num(p[i + 1]! + dy)} l`;
          }
          parts.push(`${s} S`);
          break;
        }
        case 'triangles': {
          let s = `${rgbText(op.ink)} rg`;
          const p = op.points;
          for (let i = 0; i < p.length; i += 6) {
            s += ` ${num(p[i]! + dx)} ${num(p[i + 1]! + dy)} m ${num(p[i + 2]! + dx)} ${num(p[i + 3]! + dy)} l ${num(p[i + 4]! + dx)} ${num(p[i + 5]! + dy)} l h`;
          }
          parts.push(`${s} f`);
          break;
        }
        case 'text':
          this.text(op.colour, op.runs, dx, dy);
          break;
      }
    }
  }

  /** The resource name of a DejaVu face on this page, and the hex glyph string of `text` in it. */
  private unicodeText(id: UnicodeFontId, text: string): { res: string; hex: string } {
    let u = this.unicodeFonts.get(id);
    if (u === undefined) {
      u = { font: embeddedFont(this.doc, id), glyphs: new Map() };
      this.unicodeFonts.set(id, u);
    }
    const f = u.font;
    this.internals.page!.fonts[f.id] = f.ref() as PdfRef;
    let hex = '';
    // One glyph per code point, from the font's character map: no shaping, as the layout measured.
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let g = u.glyphs.get(cp);
      if (g === undefined) {
        const glyph = f.font.glyphForCodePoint(cp);
        const gid = f.subset.includeGlyph(glyph.id);
        f.widths[gid] ??= glyph.advanceWidth * f.scale;
        f.unicode[gid] ??= [cp];
        g = gid.toString(16).padStart(4, '0');
        if (u.glyphs.size >= 20_000) u.glyphs.clear();
        u.glyphs.set(cp, g);
      }
      hex += g;
    }
    return { res: f.id, hex };
  }

  private text(colour: Rgb, runs: readonly TextRun[], dx: number, dy: number): void {
    let s = `BT ${rgbText(colour)} rg`;
    let font = '';
    let size = -1;
    for (const r of runs) {
      let res: string;
      let str: string;
      if (isStandardFont(r.font)) {
        res = this.fontResource(r.font);
        str = pdfString(r.text);
      } else {
        const u = this.unicodeText(r.font, r.text);
        res = u.res;
        str = `<${u.hex}>`;
      }
      if (res !== font || r.size !== size) {
        s += ` /${res} ${num(r.size)} Tf`;
        font = res;
        size = r.size;
      }
      s += ` 1 0 0 -1 ${num(r.x + dx)} ${num(r.y + dy)} Tm ${str} Tj`;
    }
    if (font !== '') this.parts.push(`${s} ET`);
  }

  /**
   * Writes the outline: one entry per packet (closed), one child per layer, each jumping to
   * its place on the page. Objects are made and written a packet at a time.
   */
  private async writeOutline(): Promise<void> {
    const items = this.outline;
    if (items.length === 0) return;
    const ref = (): PdfRef => this.internals.ref({});
    const dest = (t: OutlineTarget): unknown[] => [t.page, 'XYZ', null, t.top, null];
    const root = ref();
    const refs: (PdfRef | undefined)[] = items.map(() => ref());
    root.data = { Type: 'Outlines', First: refs[0], Last: refs[refs.length - 1], Count: items.length };
    for (let i = 0; i < items.length; i++) {
      const e = items[i]!;
      const me = refs[i]!;
      const data: Record<string, unknown> = { Title: new String(e.title), Parent: root, Dest: dest(e) };
      if (i > 0) data['Prev'] = refs[i - 1];
      if (i < items.length - 1) data['Next'] = refs[i + 1];
      const kids = e.children.map(() => ref());
      if (kids.length > 0) {
        data['First'] = kids[0];
        data['Last'] = kids[kids.length - 1];
        data['Count'] = -kids.length;
      }
      e.children.forEach((c, k) => {
        const kid = kids[k]!;
        kid.data = { Title: new String(c.title), Parent: me, Dest: dest(c), ...(k > 0 ? { Prev: kids[k - 1] } : {}), ...(k < kids.length - 1 ? { Next: kids[k + 1] } : {}) };
        kid.end();
      });
      me.data = data;
      me.end();
      if (i > 0) refs[i - 1] = undefined;
      if (i % 256 === 255) await this.drain();
    }
    root.end();
    this.internals._root.data['Outlines'] = root;
    this.internals._root.data['PageMode'] = 'UseOutlines';
    items.length = 0;
  }

  /** A whole non-packet page (cover, contents). */
  async docPage(p: DocPage): Promise<void> {
    await this.newPage();
    const { marginX: dx, top: dy } = this.o.page;
    const ops: DrawOp[] = [];
    if (p.rules.length > 0) ops.push({ kind: 'fill', paint: { kind: 'rgb', rgb: this.o.theme.rule }, rects: p.rules });
    for (const s of p.swatches) ops.push({ kind: 'fill', paint: this.o.theme.layer(s.slot).swatch, rects: [s.rect] });
    ops.push(...textOps(p.runs, this.o.theme));
    this.draw(ops, dx, dy);
    for (const d of p.dests) this.internals.addNamedDestination(d.name, 'XYZ', null, d.y + dy, null);
    for (const l of p.links) this.doc.goTo(l.rect.x + dx, l.rect.y + dy, l.rect.w, l.rect.h, l.dest);
  }

  /**
   * Draws a packet's chunks where `place` puts them (a new page or lower on the current one),
   * with an outline entry for the packet and one per layer band.
   */
  async packet(layout: PacketLayout, title: string, place: (height: number, first: boolean) => { newPage: boolean; y: number }): Promise<void> {
    const { marginX: dx, top } = this.o.page;
    let entry: OutlineEntry | undefined;
    for (const chunk of layout.chunks) {
      const at = place(chunk.height, chunk.part === 0);
      if (at.newPage || !this.pageOpen) await this.newPage();
      const dy = top + at.y;
      this.draw(paintChunk(chunk, { theme: this.o.theme, slots: layout.slots, width: this.o.page.contentWidth, fieldWidth: layout.columns.fieldWidth }), dx, dy);
      const page = this.internals.page!;
      if (chunk.part === 0) {
        this.internals.addNamedDestination(frameDest(layout.frame), 'XYZ', null, dy - 4, null);
        entry = { title, page: page.dictionary, top: page.height - dy + 4, children: [] };
        this.outline.push(entry);
      }
      for (const b of chunk.bands) if (!b.continued) entry?.children.push({ title: b.title, page: page.dictionary, top: page.height - (dy + b.y) + 2 });
    }
  }

  /** Finishes the document and waits until the stream has taken all of it. */
  async close(): Promise<void> {
    await this.endPage();
    await this.writeOutline();
    const ended = new Promise<void>((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.end();
    await ended;
    await this.drain();
    if (this.failed) throw this.failed;
  }
}
