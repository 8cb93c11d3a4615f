/**
 * tshark `-T fields` output: one line per packet, the values of the requested fields in
 * columns, several occurrences joined by an aggregator.
 */
import { fieldText } from '../../dissect/field-types.js';
import type { Registry } from '../../dissect/registry.js';
import type { DissectedPacket, FieldNode } from '../../dissect/tree.js';

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

/** Formats packets as field columns; create once per output, call `line` per packet. */
export class FieldColumns {
  private readonly index = new Map<string, number>();
  private readonly values: string[][];
  private readonly keys: readonly string[];
  private readonly registry: Registry;
  private readonly sep: string;
  private readonly agg: string;
  private readonly occ: 'a' | 'f' | 'l';
  private readonly quote: string;

  constructor(keys: readonly string[], registry: Registry, options: FieldColumnsOptions = {}) {
    this.keys = keys;
    this.registry = registry;
    keys.forEach((k, i) => {
      if (!this.index.has(k)) this.index.set(k, i);
    });
    this.values = keys.map(() => []);
    this.sep = options.separator ?? '\t';
    this.agg = options.aggregator ?? ',';
    this.occ = options.occurrence ?? 'a';
    this.quote = options.quote === 'd' ? '"' : options.quote === 's' ? "'" : '';
  }

  /** The header line (`-E header=y`). */
  header(): string {
    return this.keys.join(this.sep);
  }

  line(p: DissectedPacket): string {
    for (const v of this.values) v.length = 0;
    this.collect(p.frameFields);
    for (const l of p.layers) this.collect(l.fields);
    let out = '';
    for (let i = 0; i < this.keys.length; i++) {
      if (i > 0) out += this.sep;
      const first = this.index.get(this.keys[i]!)!;
      const vs = this.values[first]!;
      let cell: string;
      if (vs.length === 0) cell = '';
      else if (this.occ === 'f') cell = vs[0]!;
      else if (this.occ === 'l') cell = vs[vs.length - 1]!;
      else cell = vs.length === 1 ? vs[0]! : vs.join(this.agg);
      out += this.quote === '' ? cell : `${this.quote}${cell}${this.quote}`;
    }
    return out;
  }

  private collect(fields: readonly FieldNode[]): void {
    for (const f of fields) {
      const i = this.index.get(f.key);
      if (i !== undefined) this.values[i]!.push(fieldText(this.registry.fields.get(f.key), f.value));
      if (f.children !== undefined) this.collect(f.children);
    }
  }
}
