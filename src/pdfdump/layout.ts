/**
 * The pure layout of one packet for the PDF dump: the dissected tree in, positioned items out.
 *
 * The page has two columns. On the left, each layer is a coloured band followed by one row per
 * field (nested fields indented, long values wrapped onto further lines, issues in red). On the
 * right, the hex column shows the frame 16 bytes a row, with offsets and ASCII, every byte
 * tinted with the colour of the layer whose header holds it and every field's bytes outlined.
 *
 * Hex rows are not packed together: each row is placed on the line just above the first field
 * row that starts in it, so a field's bytes are almost always level with the field or a few
 * lines above it. That leaves the hex column empty below every row until the next one, and the
 * connectors use that room: a connector leaves its field row at the column edge, runs level
 * through the gutter and the empty hex line to above its bytes, then rises into the bottom of
 * its box (to the exact bits for a bit field). Fields listed in byte order therefore give
 * nested L shapes that never cross. A connector whose rise would pass through another hex row
 * (fields out of byte order) is routed in the gutter instead, in a lane ordered by offset, and
 * ends pointing at its row.
 *
 * A packet longer than a page is cut into chunks, one per page, each with the packet header
 * repeated; a hex row a field on a later page points to is repeated on that page.
 */
import { mutatedBytes } from '../craft/fuzz-comment.js';
import type { DissectedPacket, FieldNode, Issue, LayerNode } from '../dissect/tree.js';
import { escapeControl } from '../render/text-safety.js';
import { fitText, type FontId, type StandardFontId, type TextMetrics, thousands, wrapText } from './text-metrics.js';
import { CELL, FONT_SIZE, GROUP_GAP, GUTTER, INDENT, LINE, MONO_CHAR, type PageGeometry, SIZE_COLUMN } from './theme.js';

/** Bytes of a byte-string value shown in full in its row (longer ones are all in the hex column). */
export const FULL_VALUE_BYTES = 64;
/** Lines of one wrapped row kept together; a longer value continues in further rows. */
const MAX_ITEM_LINES = 30;
/** Baseline of text within its line, from the line's top. */
const BASELINE = 6.3;
/** Height of the connector's level run within a line, from the line's top. */
const LEG = 4.0;
/** Characters of a title or header text worth wrapping: far more than the lines kept of it hold. */
const LONG_TEXT = 4000;
/** Most lines of a layer band's title. */
const BAND_LINES = 6;
/** Most lines one text of the packet header takes (the list line of a huge packet is long). */
const HEADER_TEXT_LINES = 3;
/** Header band padding above and below its text. */
const HEADER_PAD = 3;

export type TextRole = 'text' | 'muted' | 'issue' | 'ink';

/** One piece of text: baseline position in chunk coordinates. */
export interface TextRun {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly font: FontId;
  readonly size: number;
  readonly role: TextRole;
  /** Index of the layer whose ink colours the text (role `ink`). */
  readonly layer?: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The bytes (and, for sub-byte fields, bits) one field covers. */
export interface ByteSpan {
  /** First byte and the byte after the last, within the captured bytes. */
  readonly from: number;
  readonly to: number;
  /** Absolute bit positions [from, to) counted from the first bit of the frame, for bit fields. */
  readonly bits: { readonly from: number; readonly to: number } | undefined;
  /** Nesting depth of the field that owns the span (outlines of nested fields are inset). */
  readonly depth: number;
  readonly layer: number;
}

/** A field's row in the field column. */
export interface FieldRow {
  readonly field: FieldNode;
  readonly layer: number;
  readonly depth: number;
  /** Top of the first line, and the number of lines. */
  readonly y: number;
  readonly line: number;
  readonly lines: number;
  readonly runs: readonly TextRun[];
  readonly span: ByteSpan | undefined;
  /** A later part of a value too long for one piece (no connector of its own). */
  readonly continued: boolean;
}

export interface LayerBand {
  readonly layer: number;
  readonly protocol: string;
  /** The band's title as drawn (also the outline entry). */
  readonly title: string;
  readonly y: number;
  readonly lines: number;
  readonly runs: readonly TextRun[];
  /** A later part of a title too long for one piece. */
  readonly continued: boolean;
}

export interface IssueRow {
  readonly issue: Issue;
  readonly layer: number;
  readonly y: number;
  readonly lines: number;
  readonly runs: readonly TextRun[];
}

export interface HexRowPlacement {
  /** Row number: bytes row*16 .. row*16+15. */
  readonly row: number;
  readonly line: number;
  readonly y: number;
  /** The row is also on an earlier page of this packet (shown again for a field here). */
  readonly repeated: boolean;
  readonly runs: readonly TextRun[];
}

/** A field's outline on one chunk: one segment per placed hex row its bytes occupy. */
export interface ChunkBox {
  readonly span: ByteSpan;
  readonly segments: readonly BoxSegment[];
  /** Bars under the exact bits of a bit field. */
  readonly bitMarks: readonly Rect[];
}

export interface BoxSegment extends Rect {
  /** The span starts in this segment (draw the left side) / ends in it (draw the right side). */
  readonly opensLeft: boolean;
  readonly closesRight: boolean;
}

export interface Connector {
  readonly row: FieldRow;
  /** Polyline in chunk coordinates, from the field row's edge to the box. */
  readonly points: readonly (readonly [number, number])[];
  /** `direct`: level run then a rise into the box; `level`: straight to the row the field starts
   *  (it begins at the row's first byte); `gutter`: a lane in the gutter to the row. */
  readonly route: 'direct' | 'level' | 'gutter';
  /** Which way the arrowhead at the last point points. */
  readonly arrow: 'up' | 'right';
  readonly layer: number;
}

export interface Tint extends Rect {
  readonly layer: number;
}

/** Where the columns of one packet's chunks lie (x relative to the content's left edge). */
export interface ColumnGeometry {
  readonly fieldWidth: number;
  readonly hexLeft: number;
  readonly offsetDigits: number;
  /** x of byte column 0's cell. */
  readonly cellsLeft: number;
  readonly asciiLeft: number;
  readonly right: number;
}

/** What one page shows of a packet. */
export interface Chunk {
  /** 0-based part number, and how many parts the packet has. */
  readonly part: number;
  readonly parts: number;
  readonly height: number;
  readonly headerHeight: number;
  readonly header: readonly TextRun[];
  readonly bands: readonly LayerBand[];
  readonly rows: readonly FieldRow[];
  readonly issues: readonly IssueRow[];
  readonly hexRows: readonly HexRowPlacement[];
  readonly tints: readonly Tint[];
  readonly boxes: readonly ChunkBox[];
  readonly connectors: readonly Connector[];
  /** Red bars under bytes an issue points at. */
  readonly issueMarks: readonly Rect[];
}

export interface PacketLayout {
  readonly frame: number;
  readonly columns: ColumnGeometry;
  readonly chunks: readonly Chunk[];
  /** Colour slot of each layer (index as in the packet's layers). */
  readonly slots: readonly number[];
}

/** What the run knows about a packet besides its tree (times, the list line, the interface). */
export interface PacketFacts {
  /** The `list` line without number and time: `src → dst PROTO length info`. */
  readonly summary: string;
  /** Absolute time (`2020-06-10 09:19:54.740079 UTC`), empty when the record has none. */
  readonly absoluteTime: string;
  /** Seconds since the first packet, empty when unknown. */
  readonly relativeTime: string;
  readonly interfaceName: string | undefined;
}

export interface LayoutContext {
  readonly metrics: TextMetrics;
  readonly page: PageGeometry;
  /** Full protocol name for a layer id (`Internet Protocol Version 4`). */
  readonly protocolName: (protocol: string) => string;
  /** Colour slot of a protocol. */
  readonly slotOf: (protocol: string) => number;
  readonly connectors: boolean;
}

/** The geometry of the columns for a frame of `length` bytes on a page `width` wide. */
export function columnGeometry(width: number, length: number): ColumnGeometry {
  const offsetDigits = Math.max(4, Math.max(0, length - 1).toString(16).length);
  const offsetWidth = offsetDigits * MONO_CHAR + 2 * MONO_CHAR;
  const hexWidth = offsetWidth + 16 * CELL + GROUP_GAP + MONO_CHAR + 16 * MONO_CHAR;
  const hexLeft = width - hexWidth;
  return { fieldWidth: hexLeft - GUTTER, hexLeft, offsetDigits, cellsLeft: hexLeft + offsetWidth, asciiLeft: hexLeft + offsetWidth + 16 * CELL + GROUP_GAP + MONO_CHAR, right: width };
}

/** x of the left edge of byte column `col`'s cell. */
export function cellX(g: ColumnGeometry, col: number): number {
  return g.cellsLeft + col * CELL + (col >= 8 ? GROUP_GAP : 0);
}

/** The bytes and bits a field covers, clipped to the captured bytes; undefined when none. */
export function fieldSpan(f: FieldNode, depth: number, layer: number, captured: number): ByteSpan | undefined {
  if (f.length <= 0) return undefined;
  let from = f.offset;
  let to = f.offset + f.length;
  let bits: ByteSpan['bits'];
  if (f.bits !== undefined && f.bits.length > 0) {
    const first = f.offset * 8 + f.bits.offset;
    const end = first + f.bits.length;
    from = Math.floor(first / 8);
    to = Math.ceil(end / 8);
    bits = { from: first, to: end };
  }
  if (from >= captured || from < 0) return undefined;
  if (to > captured) to = captured;
  return { from, to, bits, depth, layer };
}

/** `.... 0101` for the bits of `span` in the bytes that hold them, read from the frame. */
export function bitPattern(data: Uint8Array, span: ByteSpan): string {
  const bits = span.bits!;
  let s = '';
  for (let b = span.from * 8; b < span.to * 8; b++) {
    if (b > span.from * 8 && b % 4 === 0) s += ' ';
    if (b < bits.from || b >= bits.to) s += '.';
    else s += (data[b >> 3]! >> (7 - (b & 7))) & 1 ? '1' : '0';
  }
  return s;
}

const PATTERN_PREFIX = /^[01.]+(?: [01.]+)* = /;

/** Two hex digits and the ASCII column character of every byte value. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const ASCII: readonly string[] = Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'));

const hexOf = (v: Uint8Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');

/** The text of a field's row: its tree line, with a byte value cut by the dissector given in full when short enough. */
export function fieldText(f: FieldNode): string {
  let text = f.display;
  if (f.value instanceof Uint8Array && text.endsWith('…')) {
    const full = hexOf(f.value);
    const cut = text.lastIndexOf(': ');
    if (cut >= 0 && full.startsWith(text.slice(cut + 2, -1))) {
      text = f.value.length <= FULL_VALUE_BYTES ? `${text.slice(0, cut + 2)}${full}` : `${text} (${thousands(f.value.length)} bytes, all in the hex column)`;
    }
  }
  if (f.bits !== undefined) text = text.replace(PATTERN_PREFIX, '');
  return escapeControl(f.generated ? `[${text}]` : text);
}

/** `2 B`, `4 bits`, `1 bit`; empty for fields tied to no bytes. */
export function sizeText(f: FieldNode): string {
  if (f.bits !== undefined && f.bits.length > 0) return f.bits.length === 1 ? '1 bit' : `${f.bits.length} bits`;
  if (f.length <= 0) return '';
  return `${thousands(f.length)} B`;
}

export function issueText(i: Issue): string {
  const kind = i.kind === 'expert' ? i.severity : i.kind;
  return escapeControl(`${kind}: ${i.message}${i.fieldKey !== undefined ? ` (${i.fieldKey})` : ''}`);
}

const NO_ISSUES: readonly Issue[] = [];

/** Items of the field column before they are placed (positions relative to the item's top). */
interface Item {
  readonly kind: 'band' | 'field' | 'issue';
  readonly layer: number;
  readonly lines: number;
  readonly runs: readonly TextRun[];
  readonly field?: FieldNode;
  readonly depth?: number;
  readonly span?: ByteSpan | undefined;
  readonly continued?: boolean;
  readonly issue?: Issue;
  readonly protocol?: string;
  readonly title?: string;
}

/** Wrapped text as runs, one per line, the first at `x0` (room `w0`), the others at `x1` (room `w1`). */
function textRuns(text: string, font: StandardFontId, role: TextRole, x0: number, w0: number, x1: number, w1: number, m: TextMetrics, layer?: number): TextRun[] {
  const wrapped = wrapText(text, m.fontFor(text, font), FONT_SIZE, w0, w1, m);
  return wrapped.lines.map((line, i) => ({ x: i === 0 ? x0 : x1, y: i * LINE + BASELINE, text: line, font: wrapped.font, size: FONT_SIZE, role, ...(layer !== undefined ? { layer } : {}) }));
}

/** Cuts an item taller than MAX_ITEM_LINES into pieces (the first keeps the connector). */
function splitItem(item: Item): Item[] {
  if (item.lines <= MAX_ITEM_LINES) return [item];
  const out: Item[] = [];
  for (let first = 0; first < item.lines; first += MAX_ITEM_LINES) {
    const last = Math.min(item.lines, first + MAX_ITEM_LINES);
    const runs = item.runs.filter((r) => r.y >= first * LINE && r.y < last * LINE).map((r) => ({ ...r, y: r.y - first * LINE }));
    out.push({ ...item, lines: last - first, runs, continued: first > 0 });
  }
  return out;
}

function buildItems(p: DissectedPacket, g: ColumnGeometry, ctx: LayoutContext, spans: ByteSpan[]): Item[] {
  const m = ctx.metrics;
  const items: Item[] = [];
  const data = p.frame.data;
  const captured = data.length;
  const sizeRight = g.fieldWidth - 2;
  p.layers.forEach((layer, li) => {
    items.push(...splitItem(bandItem(layer, li, g, ctx)));
    const placed = new Set<Issue>();
    // Issues by the key of the field they name (a packet may have thousands of both).
    let byKey: Map<string, Issue[]> | undefined;
    for (const i of layer.issues) {
      if (i.fieldKey === undefined) continue;
      byKey ??= new Map();
      const list = byKey.get(i.fieldKey);
      if (list === undefined) byKey.set(i.fieldKey, [i]);
      else list.push(i);
    }
    const walk = (fields: readonly FieldNode[], depth: number): void => {
      for (const f of fields) {
        const indent = Math.min(depth, 8) * INDENT + 3;
        const span = fieldSpan(f, depth, li, captured);
        if (span !== undefined) spans.push(span);
        const runs: TextRun[] = [];
        const room = g.fieldWidth - SIZE_COLUMN - indent - 2;
        let x0 = indent;
        let w0 = room;
        let below = 0;
        if (span?.bits !== undefined) {
          const pattern = `${bitPattern(data, span)} = `;
          const pw = m.width(pattern, 'C', FONT_SIZE);
          runs.push({ x: indent, y: BASELINE, text: pattern, font: 'C', size: FONT_SIZE, role: 'muted' });
          if (pw < room * 0.6) {
            x0 += pw;
            w0 -= pw;
          } else {
            // A wide bit pattern (many bytes) gets its own line; the text follows below.
            below = LINE;
            x0 = indent + INDENT;
            w0 = room - INDENT;
          }
        }
        const text = fieldText(f);
        for (const r of textRuns(text, f.generated ? 'HI' : 'H', f.generated ? 'muted' : 'text', x0, w0, indent + INDENT, room - INDENT, m)) runs.push(below === 0 ? r : { ...r, y: r.y + below });
        const size = sizeText(f);
        if (size !== '') runs.push({ x: sizeRight - m.width(size, 'H', FONT_SIZE - 1), y: BASELINE, text: size, font: 'H', size: FONT_SIZE - 1, role: 'muted' });
        const lines = Math.max(1, ...runs.map((r) => Math.round((r.y - BASELINE) / LINE) + 1));
        items.push(...splitItem({ kind: 'field', layer: li, lines, runs, field: f, depth, span, continued: false }));
        for (const i of byKey?.get(f.key) ?? NO_ISSUES) {
          if (placed.has(i) || i.offset < f.offset || i.offset >= f.offset + Math.max(1, f.length)) continue;
          placed.add(i);
          items.push(...splitItem(issueItem(i, li, indent + INDENT, g, m)));
        }
        if (f.children !== undefined) walk(f.children, depth + 1);
      }
    };
    // Issues about the whole layer come first, under its band.
    const onFields = new Set<Issue>();
    const mark = (fs: readonly FieldNode[]): void => {
      for (const f of fs) {
        for (const i of byKey?.get(f.key) ?? NO_ISSUES) if (i.offset >= f.offset && i.offset < f.offset + Math.max(1, f.length)) onFields.add(i);
        if (f.children !== undefined) mark(f.children);
      }
    };
    if (byKey !== undefined) mark(layer.fields);
    for (const i of layer.issues) if (!onFields.has(i)) items.push(...splitItem(issueItem(i, li, 3, g, m)));
    walk(layer.fields, 0);
  });
  return items;
}

function bandItem(layer: LayerNode, li: number, g: ColumnGeometry, ctx: LayoutContext): Item {
  const m = ctx.metrics;
  const full = ctx.protocolName(layer.protocol);
  const title = escapeControl(`${full}${layer.summary !== '' ? `, ${layer.summary}` : ''}${layer.inError ? ' (inside the ICMP error)' : ''}`);
  const end = layer.offset + layer.headerLength - 1;
  const range = layer.headerLength > 0 ? (layer.headerLength === 1 ? `byte ${layer.offset}` : `bytes ${layer.offset}–${end}`) : `at byte ${layer.offset}`;
  const rw = m.width(range, 'H', FONT_SIZE - 1);
  // Only BAND_LINES lines are kept: wrapping more of a huge summary would be wasted.
  let runs = textRuns(title.length > LONG_TEXT ? title.slice(0, LONG_TEXT) : title, 'HB', 'text', 12, g.fieldWidth - 12 - rw - 8, 12, g.fieldWidth - 16, m);
  if (runs.length > BAND_LINES) {
    // A summary listing thousands of records: its first lines, marked as cut; the fields below give every value.
    const last = runs[BAND_LINES - 1]!;
    runs = [...runs.slice(0, BAND_LINES - 1), { ...last, text: fitText(`${last.text} … (cut: every value is in the rows below)`, last.font, FONT_SIZE, g.fieldWidth - 16, m) }];
  }
  runs.push({ x: g.fieldWidth - 3 - rw, y: BASELINE, text: range, font: m.fontFor(range, 'H'), size: FONT_SIZE - 1, role: 'muted' });
  return { kind: 'band', layer: li, lines: runs.length - 1, runs, protocol: layer.protocol, title };
}

function issueItem(i: Issue, li: number, indent: number, g: ColumnGeometry, m: TextMetrics): Item {
  const room = g.fieldWidth - indent - 4;
  const runs = textRuns(`! ${issueText(i)}`, 'HB', 'issue', indent, room, indent + INDENT, room - INDENT, m);
  return { kind: 'issue', layer: li, lines: runs.length, runs, issue: i };
}

/** The packet header: frame facts, the list line, comments, then the column captions and ruler. */
function headerRuns(p: DissectedPacket, facts: PacketFacts, g: ColumnGeometry, width: number, m: TextMetrics): TextRun[] {
  const f = p.frame;
  const runs: TextRun[] = [];
  const lead = `Frame ${f.index}`;
  const leadW = m.width(lead, 'HB', FONT_SIZE + 1);
  runs.push({ x: 0, y: HEADER_PAD + BASELINE + 0.5, text: lead, font: 'HB', size: FONT_SIZE + 1, role: 'text' });
  const parts = [
    `${thousands(f.origLen)} bytes on wire (${thousands(f.origLen * 8)} bits), ${thousands(f.capLen)} captured (${thousands(f.capLen * 8)} bits)`,
    f.kind === 'custom' ? 'custom block' : `interface ${f.iface}${facts.interfaceName !== undefined ? ` (${facts.interfaceName})` : ''}`,
  ];
  if (facts.absoluteTime !== '') parts.push(facts.absoluteTime);
  if (facts.relativeTime !== '') parts.push(`+${facts.relativeTime} s`);
  let line = 0;
  const add = (text: string, font: StandardFontId, role: TextRole, x0: number, first: boolean): void => {
    let rs = textRuns(escapeControl(text.length > LONG_TEXT ? text.slice(0, LONG_TEXT) : text), font, role, x0, width - x0, 8, width - 8, m);
    if (rs.length > HEADER_TEXT_LINES) {
      // The header repeats what the layer bands below give in full: a few lines of it are enough.
      const last = rs[HEADER_TEXT_LINES - 1]!;
      rs = [...rs.slice(0, HEADER_TEXT_LINES - 1), { ...last, text: fitText(`${last.text} …`, last.font, FONT_SIZE, width - 8, m) }];
    }
    if (!first) line++;
    for (const r of rs) runs.push({ ...r, y: r.y + HEADER_PAD + line * LINE });
    line += rs.length - 1;
  };
  add(parts.join(' · '), 'H', 'muted', leadW + 6, true);
  add(facts.summary, 'H', 'text', 0, false);
  for (const c of f.comments ?? []) add(`Comment: ${c}`, 'HI', 'text', 0, false);
  line++;
  const y = HEADER_PAD + line * LINE + BASELINE;
  let ruler = '';
  for (let c = 0; c < 16; c++) ruler += `${c.toString(16).padStart(2, '0')}${c === 7 ? '  ' : ' '}`;
  runs.push({ x: cellX(g, 0) + (CELL - 2 * MONO_CHAR) / 2, y, text: ruler.trimEnd(), font: 'C', size: FONT_SIZE, role: 'muted' });
  runs.push({ x: g.asciiLeft, y, text: 'ASCII', font: 'H', size: FONT_SIZE - 1, role: 'muted' });
  runs.push({ x: g.hexLeft, y, text: 'offset', font: 'H', size: FONT_SIZE - 1, role: 'muted' });
  return runs;
}

interface PlacedItem {
  readonly item: Item;
  readonly line: number;
}

class ChunkBuilder {
  readonly items: PlacedItem[] = [];
  /** Hex row → line, for rows placed on this chunk. */
  readonly rows = new Map<number, { line: number; repeated: boolean }>();
  /** Lines whose field row starts a connector (no hex row may sit there). */
  readonly connectorLines = new Set<number>();
  leftLine = 0;
  hexLine = 0;
  /** The last line holding a connector's start (-1: none). */
  lastConnectorLine = -1;

  /** The first line a hex row no field has asked for may take: below the rows so far, and below
   *  every connector so far (whose rise it would otherwise cut). */
  freeLine(): number {
    return Math.max(this.hexLine, this.lastConnectorLine + 1);
  }

  empty(): boolean {
    return this.items.length === 0 && this.rows.size === 0;
  }
}

/**
 * Lays out one dissected packet: chunks (one per page it needs), each with its positioned
 * bands, field rows, hex rows, tints, boxes and connectors. Pure: the same packet and context
 * give the same layout.
 */
export function layoutPacket(p: DissectedPacket, facts: PacketFacts, ctx: LayoutContext): PacketLayout {
  const placed = placePacket(p, facts, ctx);
  const { chunks, g } = placed;
  const slots = p.layers.map((l) => ctx.slotOf(l.protocol));
  const owner = byteOwners(p);
  const { boxes, issueMarks } = outlines(p, placed);
  const built = chunks.map((c, part) => finishChunk(c, part, chunks.length, { ...placed, p, owner, ctx, boxes, issueMarks }));
  return { frame: p.frame.index, columns: g, chunks: built, slots };
}

/**
 * The height of each chunk (page) of a packet, without positioning its items: what the first
 * pass needs to number pages. Gives the same chunks as `layoutPacket`.
 */
export function measurePacket(p: DissectedPacket, facts: PacketFacts, ctx: LayoutContext): number[] {
  for (const l of p.layers) ctx.slotOf(l.protocol);
  const { chunks, bodyTop } = placePacket(p, facts, ctx);
  return chunks.map((c) => bodyTop + Math.max(c.leftLine, c.hexLine) * LINE);
}

interface Placement {
  readonly chunks: readonly ChunkBuilder[];
  readonly g: ColumnGeometry;
  readonly header: readonly TextRun[];
  readonly headerHeight: number;
  readonly bodyTop: number;
  readonly spans: readonly ByteSpan[];
}

/** Builds the field column's items and places them and the hex rows on chunks. */
function placePacket(p: DissectedPacket, facts: PacketFacts, ctx: LayoutContext): Placement {
  const m = ctx.metrics;
  const width = ctx.page.contentWidth;
  const data = p.frame.data;
  const g = columnGeometry(width, data.length);
  const header = headerRuns(p, facts, g, width, m);
  const headerLines = Math.round((Math.max(...header.map((r) => r.y)) - HEADER_PAD - BASELINE) / LINE) + 1;
  const headerHeight = headerLines * LINE + 2 * HEADER_PAD;
  const bodyTop = headerHeight + 3;
  const capacity = Math.max(8, Math.floor((ctx.page.bodyHeight - bodyTop) / LINE));
  const rowCount = Math.ceil(data.length / 16);
  const spans: ByteSpan[] = [];
  const items = buildItems(p, g, ctx, spans);

  const chunks: ChunkBuilder[] = [new ChunkBuilder()];
  let cur = chunks[0]!;
  let lastRow = -1;
  const newChunk = (): void => {
    cur = new ChunkBuilder();
    chunks.push(cur);
  };
  const placeRow = (row: number, line: number): void => {
    cur.rows.set(row, { line, repeated: row <= lastRow });
    if (row > lastRow) lastRow = row;
    cur.hexLine = line + 1;
  };
  /** Places rows up to (not including) `row` that no field starts in; false when the page filled. */
  const fillRowsBefore = (row: number): boolean => {
    while (lastRow + 1 < row) {
      if (cur.freeLine() >= capacity) return false;
      placeRow(lastRow + 1, cur.freeLine());
    }
    return true;
  };

  const tryPlace = (item: Item): boolean => {
    const L = cur.leftLine;
    const fits = (line: number): boolean => line + item.lines <= capacity;
    const span = item.kind === 'field' && item.continued !== true ? item.span : undefined;
    if (span === undefined) {
      if (!fits(L)) return false;
      cur.items.push({ item, line: L });
      cur.leftLine = L + item.lines;
      return true;
    }
    const target = span.from >> 4;
    let line = L;
    if (!cur.rows.has(target)) {
      if (target > lastRow && !fillRowsBefore(target)) return false;
      // The row goes on the line above the field when that line is free of connectors, else on
      // a line of its own with the field just below it.
      let rowLine: number;
      if (L - 1 >= cur.freeLine() && L - 1 >= 0) {
        rowLine = L - 1;
        line = L;
      } else if (span.from % 16 === 0 && span.bits === undefined && L >= cur.freeLine()) {
        // The field starts the row: row and field share a line, the connector points at the row.
        rowLine = L;
        line = L;
      } else {
        rowLine = Math.max(L, cur.hexLine);
        line = rowLine + 1;
      }
      if (!fits(line)) return false;
      placeRow(target, rowLine);
    } else if (!fits(line)) {
      return false;
    }
    cur.items.push({ item, line });
    cur.connectorLines.add(line);
    cur.lastConnectorLine = line;
    cur.leftLine = line + item.lines;
    return true;
  };

  // A page that starts inside a layer starts with a one-line band saying which.
  const titles = new Map<number, string>();
  // The band's first line stands for its title (a summary can be thousands of records long).
  for (const item of items) if (item.kind === 'band' && item.continued !== true) titles.set(item.layer, item.runs[0]?.text ?? '');
  const continuedBand = (layer: number): Item => {
    const text = `${titles.get(layer) ?? ''} (continued)`;
    const title = fitText(text, m.fontFor(text, 'HB'), FONT_SIZE, g.fieldWidth - 16, m);
    return { kind: 'band', layer, lines: 1, runs: [{ x: 12, y: BASELINE, text: title, font: m.fontFor(title, 'HB'), size: FONT_SIZE, role: 'muted' }], protocol: p.layers[layer]?.protocol ?? '', title, continued: true };
  };
  for (const item of items) {
    while (!tryPlace(item)) {
      if (cur.empty()) throw new Error(`pdfdump layout: an item of ${item.lines} lines does not fit a page of ${capacity}`);
      newChunk();
      if (item.kind !== 'band' || item.continued === true) tryPlace(continuedBand(item.layer));
    }
  }
  for (let row = lastRow + 1; row < rowCount; row++) {
    if (cur.freeLine() >= capacity) newChunk();
    placeRow(row, cur.freeLine());
  }
  if (chunks.length > 1 && cur.empty()) chunks.pop();

  return { chunks, g, header, headerHeight, bodyTop, spans };
}

/** The layer whose header holds each byte (-1: none), later layers over earlier ones, as the hex dump colours them. */
function byteOwners(p: DissectedPacket): Int16Array {
  const n = p.frame.data.length;
  const owner = new Int16Array(n).fill(-1);
  p.layers.forEach((l, i) => {
    const end = Math.min(n, l.offset + l.headerLength);
    for (let b = Math.max(0, l.offset); b < end; b++) owner[b] = i;
  });
  return owner;
}

interface FinishInput extends Placement {
  readonly p: DissectedPacket;
  readonly owner: Int16Array;
  readonly ctx: LayoutContext;
  /** Outlines and issue marks of each chunk. */
  readonly boxes: readonly (readonly ChunkBox[])[];
  readonly issueMarks: readonly (readonly Rect[])[];
}

/**
 * Outlines of every field span and marks of every issue, for every chunk at once: each span
 * visits only the placements of its own rows (a packet of 60 kB has hundreds of chunks).
 */
function outlines(p: DissectedPacket, placed: Placement): { boxes: ChunkBox[][]; issueMarks: Rect[][] } {
  const { chunks, g, spans, bodyTop } = placed;
  const rows: { chunk: number; y: number }[][] = [];
  chunks.forEach((c, chunk) => {
    for (const [row, { line }] of c.rows) (rows[row] ??= []).push({ chunk, y: bodyTop + line * LINE });
  });
  const boxes: ChunkBox[][] = chunks.map(() => []);
  for (const span of spans) {
    const mine = new Map<number, { span: ByteSpan; segments: BoxSegment[]; bitMarks: Rect[] }>();
    for (let row = span.from >> 4; row <= (span.to - 1) >> 4; row++) {
      const at = rows[row];
      if (at === undefined) continue;
      const a = Math.max(span.from, row * 16);
      const b = Math.min(span.to, row * 16 + 16);
      const x = cellX(g, a - row * 16);
      const w = cellX(g, b - 1 - row * 16) + CELL - x;
      let mark: { x: number; w: number } | undefined;
      if (span.bits !== undefined) {
        const bf = Math.max(span.bits.from, row * 128);
        const bt = Math.min(span.bits.to, row * 128 + 128);
        if (bf < bt) {
          const x0 = bitX(g, bf, row);
          const x1 = bitX(g, bt - 1, row) + CELL / 8;
          mark = { x: x0 + 0.25, w: Math.max(0.6, x1 - x0 - 0.5) };
        }
      }
      for (const { chunk, y } of at) {
        let box = mine.get(chunk);
        if (box === undefined) {
          box = { span, segments: [], bitMarks: [] };
          mine.set(chunk, box);
          boxes[chunk]!.push(box);
        }
        box.segments.push({ x, y: y + 0.5, w, h: LINE - 1, opensLeft: a === span.from, closesRight: b === span.to });
        if (mark !== undefined) box.bitMarks.push({ x: mark.x, y: y + LINE - 2.4, w: mark.w, h: 1.6 });
      }
    }
  }
  const issueMarks: Rect[][] = chunks.map(() => []);
  for (const l of p.layers) {
    for (const i of l.issues) {
      if (i.offset < 0 || i.offset >= p.frame.data.length) continue;
      for (const { chunk, y } of rows[i.offset >> 4] ?? []) issueMarks[chunk]!.push({ x: cellX(g, i.offset & 15) + 1, y: y + LINE - 1.2, w: CELL - 2, h: 1.4 });
    }
  }
  // Bytes `pcapviz fuzz` changed, as its comment on the packet names them, get the same mark.
  for (const c of p.frame.comments ?? []) {
    for (const b of mutatedBytes(c)) {
      if (b >= p.frame.data.length) continue;
      for (const { chunk, y } of rows[b >> 4] ?? []) issueMarks[chunk]!.push({ x: cellX(g, b & 15) + 1, y: y + LINE - 1.2, w: CELL - 2, h: 1.4 });
    }
  }
  return { boxes, issueMarks };
}

const shift = (runs: readonly TextRun[], dx: number, dy: number): TextRun[] => runs.map((r) => ({ ...r, x: r.x + dx, y: r.y + dy }));

function finishChunk(c: ChunkBuilder, part: number, parts: number, f: FinishInput): Chunk {
  const { p, g, bodyTop } = f;
  const data = p.frame.data;
  const lineTop = (line: number): number => bodyTop + line * LINE;
  const bands: LayerBand[] = [];
  const rows: FieldRow[] = [];
  const issues: IssueRow[] = [];
  for (const { item, line } of c.items) {
    const y = lineTop(line);
    const runs = shift(item.runs, 0, y);
    if (item.kind === 'band') bands.push({ layer: item.layer, protocol: item.protocol!, title: item.title!, y, lines: item.lines, runs, continued: item.continued === true });
    else if (item.kind === 'issue') issues.push({ issue: item.issue!, layer: item.layer, y, lines: item.lines, runs });
    else rows.push({ field: item.field!, layer: item.layer, depth: item.depth!, y, line, lines: item.lines, runs, span: item.span, continued: item.continued === true });
  }

  // Hex rows, their tints.
  const hexRows: HexRowPlacement[] = [];
  const tints: Tint[] = [];
  const sorted = [...c.rows.entries()].sort((a, b) => a[1].line - b[1].line);
  for (const [row, { line, repeated }] of sorted) {
    const y = lineTop(line);
    const start = row * 16;
    const end = Math.min(data.length, start + 16);
    let hex = '';
    let ascii = '';
    for (let b = start; b < end; b++) {
      const v = data[b]!;
      hex += b - start === 7 ? `${HEX2[v]!}  ` : `${HEX2[v]!} `;
      ascii += ASCII[v]!;
    }
    const base = y + BASELINE;
    hexRows.push({
      row,
      line,
      y,
      repeated,
      runs: [
        { x: g.hexLeft, y: base, text: start.toString(16).padStart(g.offsetDigits, '0'), font: 'C', size: FONT_SIZE, role: 'muted' },
        // A row shown again (for a field on this page) is greyed: its first showing is earlier.
        { x: cellX(g, 0) + (CELL - 2 * MONO_CHAR) / 2, y: base, text: hex.trimEnd(), font: 'C', size: FONT_SIZE, role: repeated ? 'muted' : 'text' },
        { x: g.asciiLeft, y: base, text: ascii, font: 'C', size: FONT_SIZE, role: repeated ? 'muted' : 'text' },
      ],
    });
    for (let b = start; b < end; ) {
      const who = f.owner[b]!;
      let e = b + 1;
      while (e < end && f.owner[e] === who) e++;
      if (who >= 0) {
        const c0 = b - start;
        const c1 = e - 1 - start;
        tints.push({ layer: who, x: cellX(g, c0), y: y + 0.5, w: cellX(g, c1) + CELL - cellX(g, c0), h: LINE - 1 });
        tints.push({ layer: who, x: g.asciiLeft + c0 * MONO_CHAR, y: y + 0.5, w: (c1 - c0 + 1) * MONO_CHAR, h: LINE - 1 });
      }
      b = e;
    }
  }

  const boxes = f.boxes[part]!;
  const boxOf = new Map<ByteSpan, ChunkBox>();
  for (const b of boxes) boxOf.set(b.span, b);

  const connectors = f.ctx.connectors ? routeConnectors(c, rows, boxOf, g, lineTop) : [];

  const issueMarks = f.issueMarks[part]!;

  let header = f.header;
  if (parts > 1) {
    const last = header[header.length - 1]!;
    const text = part === 0 ? `part 1 of ${parts}: continued on the next page` : `part ${part + 1} of ${parts}, continued from the previous page`;
    header = [...header, { x: 0, y: last.y, text, font: 'HI', size: FONT_SIZE - 1, role: 'muted' }];
  }
  const lines = Math.max(c.leftLine, c.hexLine);
  return { part, parts, height: bodyTop + lines * LINE, headerHeight: f.headerHeight, header, bands, rows, issues, hexRows, tints, boxes, connectors, issueMarks };
}

/** x of the left edge of absolute bit `bit` in hex row `row`. */
function bitX(g: ColumnGeometry, bit: number, row: number): number {
  const byte = bit >> 3;
  return cellX(g, byte - row * 16) + ((bit & 7) / 8) * CELL;
}

/** Outline inset (horizontal, vertical) for a nesting depth, so nested outlines stay apart
 *  without reaching into the hex digits. */
export function boxInset(depth: number): { readonly x: number; readonly y: number } {
  const d = Math.min(depth, 3);
  return { x: d * 0.9, y: Math.min(d, 2) * 0.5 };
}

function routeConnectors(c: ChunkBuilder, rows: readonly FieldRow[], boxOf: ReadonlyMap<ByteSpan, ChunkBox>, g: ColumnGeometry, lineTop: (line: number) => number): Connector[] {
  const out: Connector[] = [];
  const rowLines = [...c.rows.values()].map((r) => r.line);
  const gutter: { row: FieldRow; box: ChunkBox; rowLine: number }[] = [];
  const start = g.fieldWidth + 1;
  for (const r of rows) {
    if (r.span === undefined || r.continued) continue;
    const box = boxOf.get(r.span);
    const target = c.rows.get(r.span.from >> 4);
    if (box === undefined || target === undefined) continue;
    const legY = lineTop(r.line) + LEG;
    // Direct when no other hex row lies between the target row and the field row.
    const blocked = rowLines.some((l) => l > target.line && l < r.line);
    if (blocked) {
      gutter.push({ row: r, box, rowLine: target.line });
      continue;
    }
    if (target.line === r.line) {
      out.push({ row: r, layer: r.layer, route: 'level', arrow: 'right', points: [[start, legY], [g.hexLeft - 1.5, legY]] });
      continue;
    }
    const seg = box.segments[0]!;
    const x = box.bitMarks.length > 0 ? box.bitMarks[0]!.x + box.bitMarks[0]!.w / 2 : seg.x + 2 + boxInset(r.span.depth).x;
    const bottom = box.bitMarks.length > 0 ? box.bitMarks[0]!.y + box.bitMarks[0]!.h : seg.y + seg.h - boxInset(r.span.depth).y;
    out.push({ row: r, layer: r.layer, route: 'direct', arrow: 'up', points: [[start, legY], [x, legY], [x, bottom]] });
  }
  // Gutter lanes, nearest the hex column for the lowest offsets.
  gutter.sort((a, b) => a.row.span!.from - b.row.span!.from || a.row.line - b.row.line);
  const lanes = Math.max(1, Math.floor((GUTTER - 6) / 2));
  gutter.forEach((e, k) => {
    const lane = g.hexLeft - 4 - (k % lanes) * 2;
    const legY = lineTop(e.row.line) + LEG;
    const rowY = lineTop(e.rowLine) + LEG;
    out.push({ row: e.row, layer: e.row.layer, route: 'gutter', arrow: 'right', points: [[start, legY], [lane, legY], [lane, rowY], [g.hexLeft - 1.5, rowY]] });
  });
  return out;
}
