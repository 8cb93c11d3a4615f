/**
 * What a report is, apart from how it looks: a title, some facts about the run, and sections made
 * of a few kinds of block (figures, tables, charts, the conversation graph, notes, packet dumps).
 * `build.ts` makes it from one pass over a capture; `html.ts`, `pdf.ts` and `markdown.ts` render
 * the same value, so the three forms always say the same thing. Every string in it may come from
 * a packet: renderers escape all of them for their output.
 */

/** The forms a report is written in (`json`: the report value itself, for scripts). */
export const REPORT_FORMATS = ['html', 'pdf', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The sections a report can have, in the order it shows them (`--sections` picks some). */
export const REPORT_SECTIONS = [
  'summary',
  'protocols',
  'traffic',
  'talkers',
  'conversations',
  'graph',
  'tcp',
  'expert',
  'dns',
  'http',
  'tls',
  'dump',
] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

/** The sections of a report when none are named (`dump` only with `--dump N`). */
export const DEFAULT_SECTIONS: readonly ReportSectionId[] = REPORT_SECTIONS.filter((s) => s !== 'dump');

/** A cell: numbers stay numbers (sorting, CSV-like reuse); `null` is an empty cell. */
export type CellValue = string | number | null;

export interface ReportColumn {
  readonly key: string;
  readonly title: string;
  /** Right-aligned, sorted as numbers. */
  readonly numeric?: boolean;
  /** How a number is shown: `count` (thousands separators), `bytes` (kB, MB), `seconds`, `percent` (0 to 100), `bps` (bits/s); plain when absent. */
  readonly unit?: 'count' | 'bytes' | 'seconds' | 'percent' | 'bps';
  /** Cells of this column are frame numbers (the HTML report links them to their dump when shown). */
  readonly frames?: boolean;
}

export type ReportRow = Readonly<Record<string, CellValue>>;

/** One labelled figure: `Packets: 178`. */
export interface ReportFigure {
  readonly label: string;
  /** Shown as is. */
  readonly value: string;
}

export interface FiguresBlock {
  readonly kind: 'figures';
  readonly items: readonly ReportFigure[];
}

export interface TableBlock {
  readonly kind: 'table';
  readonly title: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
  /** Rows left out of this table (a `--top` cut), said under it; 0 when none. */
  readonly more: number;
  /** Indent depth of each row (the protocol hierarchy); absent: all 0. */
  readonly depth?: readonly number[];
}

/** A chart or the graph: an SVG document (its own `<svg>` root, width and height in points). */
export interface ChartBlock {
  readonly kind: 'chart';
  readonly title: string;
  /** One sentence saying what it shows, for people who cannot see it (alt text). */
  readonly description: string;
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** The same picture as a Mermaid flowchart (the graph), for Markdown. */
  readonly mermaid?: string;
}

/** A paragraph of plain text (no markup: renderers escape it). */
export interface NoteBlock {
  readonly kind: 'note';
  readonly text: string;
}

/** One packet as a layered dump: the `show` tree and the hex bytes, each line tagged with its layer. */
export interface PacketBlock {
  readonly kind: 'packet';
  /** Frame number as Wireshark counts. */
  readonly frame: number;
  /** The `list` summary line. */
  readonly summary: string;
  /** Tree lines: text, indent depth, index of the layer they belong to (-1: the frame). */
  readonly tree: readonly { readonly text: string; readonly depth: number; readonly layer: number }[];
  /** Hex rows: offset, then 16 bytes as [hex pair, layer index] each, and the ASCII column. */
  readonly hex: readonly { readonly offset: number; readonly bytes: readonly (readonly [string, number])[]; readonly ascii: string }[];
  /** Layer names in order (index = layer index above). */
  readonly layers: readonly string[];
}

export type ReportBlock = FiguresBlock | TableBlock | ChartBlock | NoteBlock | PacketBlock;

export interface ReportSection {
  readonly id: ReportSectionId;
  readonly title: string;
  readonly blocks: readonly ReportBlock[];
}

export interface ReportData {
  /** `Report: small-office.pcapng`. */
  readonly title: string;
  /** The capture as named on the command line. */
  readonly file: string;
  /** `pcapviz 0.1.0`. */
  readonly generator: string;
  /** When the report was made, ISO 8601 UTC. */
  readonly generatedAt: string;
  /** The `-Y` filter, when one was given (its figures count only matching packets). */
  readonly filter: string | undefined;
  /** Problems reading the capture (damage), said at the top. */
  readonly warnings: readonly string[];
  readonly sections: readonly ReportSection[];
}
