/**
 * tshark `-T fields` output: one line per packet, the values of the requested fields in
 * columns, several occurrences joined by an aggregator. As in tshark, a separator or quote inside
 * a value is not escaped; every control character is, so a value never breaks a line or a
 * tab-separated column and nothing reaches a terminal raw.
 */
import { type FieldDecl, type FieldType, fieldText } from '../../dissect/field-types.js';
import type { Registry } from '../../dissect/registry.js';
import type { DissectedPacket, FieldNode } from '../../dissect/tree.js';
import { escapeControl, type TextParts } from '../text-safety.js';

export interface FieldColumnsOptions {
  /** Column separator (tshark `-E separator=`; default tab). */
  readonly separator?: string;
  /** Joins several occurrences (tshark `-E aggregator=`; default `,`). */
  readonly aggregator?: string;
  /** `a` all occurrences, `f` first, `l` last (tshark `-E occurrence=`). */
  readonly occurrence?: 'a' | 'f' | 'l';
  /** `d` double quotes, `s` single quotes, `n` none (tshark `-E quote=`). */
  readonly quote?: 'd' | 's' | 'n';
}

/** One packet's cells (reused from packet to packet). */
class Row implements TextParts {
  readonly parts: string[];
  readonly separator: string;

  constructor(columns: number, separator: string) {
    this.parts = new Array<string>(columns).fill('');
    this.separator = separator;
  }

  toString(): string {
    return this.parts.join(this.separator);
  }
}

/** Up to this many distinct keys, a recorded field's column is found by scanning them. */
const SCAN_COLUMNS = 8;

/** Field types whose text values come from our own address formatting: nothing to escape. */
const PLAIN_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['ipv4', 'ipv6', 'ether', 'eui64']);

/** Formats packets as field columns; create once per output, call `cells` per packet. */
export class FieldColumns {
  /** Key → its first column (a key asked for twice shows the same values twice). */
  private readonly index = new Map<string, number>();
  /** Column → the column whose values it shows. */
  private readonly source: number[];
  /** Per column: how many values this packet, the first one, and all of them when several. */
  private readonly counts: number[];
  private readonly firsts: string[];
  private readonly lasts: string[];
  private readonly all: string[][];
  private readonly keys: readonly string[];
  /** Per column: its field's declaration (how its values print). */
  private readonly decls: (FieldDecl | undefined)[];
  /** Per column: whether its values are texts we format ourselves (addresses), never escaped. */
  private readonly plain: boolean[];
  private readonly sep: string;
  private readonly agg: string;
  private readonly occ: 'a' | 'f' | 'l';
  private readonly quote: string;
  /** The cells of the last packet (`cells`). */
  private readonly row: Row;
  /** Each distinct key once (the registry's string for it when declared) and its first column. */
  private readonly scanKeys: string[] = [];
  private readonly scanColumns: number[] = [];

  constructor(keys: readonly string[], registry: Registry, options: FieldColumnsOptions = {}) {
    this.keys = keys;
    keys.forEach((k, i) => {
      if (!this.index.has(k)) this.index.set(k, i);
    });
    // The registry's own key strings, which are the ones the dissector records: comparing a
    // recorded key with them is then mostly a pointer comparison.
    const canonical = new Map<string, string>();
    for (const k of registry.fields.keys()) if (this.index.has(k)) canonical.set(k, k);
    for (const [k, i] of this.index) {
      this.scanKeys.push(canonical.get(k) ?? k);
      this.scanColumns.push(i);
    }
    this.source = keys.map((k) => this.index.get(k)!);
    this.decls = keys.map((k) => registry.fields.get(k));
    this.plain = this.decls.map((d) => d !== undefined && PLAIN_TYPES.has(d.type));
    this.counts = keys.map(() => 0);
    this.firsts = keys.map(() => '');
    this.lasts = keys.map(() => '');
    this.all = keys.map(() => []);
    this.sep = options.separator ?? '\t';
    this.agg = options.aggregator ?? ',';
    this.occ = options.occurrence ?? 'a';
    this.quote = options.quote === 'd' ? '"' : options.quote === 's' ? "'" : '';
    this.row = new Row(keys.length, this.sep);
  }

  /** The header line (`-E header=y`). */
  header(): string {
    return this.keys.join(this.sep);
  }

  /**
   * The packet's cells and their separator, for a writer that copies them without joining
   * them first. The object and its array are reused: read them before the next call.
   */
  cells(p: DissectedPacket): TextParts {
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) counts[i] = 0;
    if (p.frameFields.length > 0) this.collect(p.frameFields);
    for (const l of p.layers) if (l.fields.length > 0) this.collect(l.fields);
    const out = this.row.parts;
    for (let i = 0; i < this.keys.length; i++) {
      const c = this.source[i]!;
      const n = counts[c]!;
      let cell: string;
      if (n === 0) cell = '';
      else if (n === 1 || this.occ === 'f') cell = this.firsts[c]!;
      else if (this.occ === 'l') cell = this.lasts[c]!;
      else cell = this.all[c]!.join(this.agg);
      out[i] = this.quote === '' ? cell : `${this.quote}${cell}${this.quote}`;
    }
    return this.row;
  }

  /** The first column of `key`, or -1: a scan for a few columns, the map for many. */
  private columnOf(key: string): number {
    const keys = this.scanKeys;
    if (keys.length > SCAN_COLUMNS) return this.index.get(key) ?? -1;
    for (let j = 0; j < keys.length; j++) if (keys[j] === key) return this.scanColumns[j]!;
    return -1;
  }

  private collect(fields: readonly FieldNode[]): void {
    for (const f of fields) {
      const i = this.columnOf(f.key);
      if (i >= 0) {
        // tshark's escapes for C0 controls (fieldText); what they leave (C1 controls, bidi
        // overrides, a tab in a value that is not a string field) as visible escapes too.
        const text = typeof f.value === 'string' && !this.plain[i] ? escapeControl(fieldText(this.decls[i], f.value)) : fieldText(this.decls[i], f.value);
        const n = this.counts[i]!;
        if (n === 0) this.firsts[i] = text;
        else {
          if (n === 1) {
            const all = this.all[i]!;
            all.length = 0;
            all.push(this.firsts[i]!);
          }
          this.all[i]!.push(text);
        }
        this.lasts[i] = text;
        this.counts[i] = n + 1;
      }
      if (f.children !== undefined) this.collect(f.children);
    }
  }
}
