/**
 * What a `pcapviz stats` table is: a name, the options it accepts, a reducer made for each capture
 * (fed every packet of the one shared pass), and its renderings. Adding a table is one module
 * exporting a `StatsTableDef` plus one line in `./index.ts`.
 */
import type { CaptureReader } from '../../capture/read-capture.js';
import type { TapSink } from '../header-taps.js';
import type { DissectedPacket } from '../../dissect/tree.js';
import type { NameBook } from '../../analyze/names.js';
import type { OutputFormat } from '../../cli/options.js';
import type { StatsSort } from '../../render/stats/order.js';
import type { StatsSection } from '../../render/stats/sections.js';
import type { Column, Row } from '../../render/table/table.js';

/** The command line as every table sees it (each table checks what applies to it). */
export interface StatsSettings {
  /** Conversation or endpoint types; undefined: all five. */
  readonly types: readonly string[] | undefined;
  readonly format: OutputFormat;
  /** Rows kept per table; undefined: all. */
  readonly top: number | undefined;
  /** Undefined: the table's own default. */
  readonly sort: StatsSort | undefined;
  /** Live flows (or distinct keys) kept per table. */
  readonly maxFlows: number;
  /** Label hosts with names learned from the capture (`--names`, on by default; `-n` off). */
  readonly names: boolean;
  /** `--interval` of the io table, in nanoseconds. */
  readonly intervalNs: number;
}

/** Fed once per packet of one capture, then asked for its result once. */
export interface StatsReducer<R> {
  add(p: DissectedPacket): void;
  finish(): R;
  /**
   * The same reducer fed taps read from a frame's headers (`HeaderTaps`); a run uses them only
   * when every chosen table's reducer has them.
   */
  readonly taps?: TapSink;
}

/** What a table's renderers get besides its result. */
export interface RenderContext {
  readonly settings: StatsSettings;
  /** The capture's name book, when names are on and a chosen table labels hosts. */
  readonly names?: NameBook | undefined;
}

export interface StatsTableDef<R> {
  /** The table's name on the command line and its key in multi-table JSON. */
  readonly name: string;
  /** One line for `--help`. */
  readonly describe: string;
  /** Sorts it accepts; the first is its default. */
  readonly sorts: readonly StatsSort[];
  /** Whether it labels hosts with names from the capture's name book. */
  readonly usesNames?: boolean;
  /** CSV columns left out together when no row has a value in any of them (the name columns). */
  readonly optionalCsvColumns?: readonly string[];
  /**
   * Whether, with these settings, it reads nothing above the transport layer (no application
   * layer's `info`, no layer after TCP or UDP): when every chosen table says so and no names are
   * learned, the pass stops dissecting before application layers.
   */
  transportOnly?(s: StatsSettings): boolean;
  /** Whether `--type` means something to it. */
  readonly takesTypes?: boolean;
  /** Checks options that concern only this table; returns a message for a bad one. */
  check?(s: StatsSettings): string | undefined;
  /** A fresh reducer for one capture. */
  reducer(s: StatsSettings, capture: CaptureReader): StatsReducer<R>;
  /** Messages for stderr about a finished result (rows retired, keys left out). */
  warnings?(r: R, s: StatsSettings): string[];
  /** The JSON value of one capture's result (the documented contract). */
  json(r: R, c: RenderContext): unknown;
  /** CSV: the header columns (a `file` column is put first by the driver when needed). */
  csvColumns(c: RenderContext): readonly Column[];
  csvRows(r: R, c: RenderContext): Iterable<Row>;
  /** Titled tables for people (`table`) or Markdown (`md`). */
  sections(r: R, format: 'table' | 'md', c: RenderContext): Iterable<StatsSection>;
}

/** The sort a table uses: the one asked for if it takes it, else its default. */
export const sortFor = (def: StatsTableDef<unknown>, s: StatsSettings): StatsSort =>
  s.sort !== undefined && def.sorts.includes(s.sort) ? s.sort : def.sorts[0]!;

/** The host-name lookup of a capture, when names are on. */
export const nameOf = (c: RenderContext): ((address: string) => string | undefined) | undefined =>
  c.names === undefined || !c.settings.names ? undefined : (address) => c.names!.nameOf(address);
