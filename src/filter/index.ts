/**
 * Wireshark display filters (`-Y`): `compileFilter(text, registry)` parses the filter
 * (`grammar.peggy` through peggy), checks it against the registry's fields and types, and
 * gives one predicate over dissected packets plus the fields and protocols it reads, so a run
 * can record only those (`filterDissectOptions`).
 */
import type { DissectOptions } from '../dissect/dissect-packet.js';
import type { Registry } from '../dissect/registry.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { FilterCompiler, type Predicate } from './compile.js';
import { FilterError } from './errors.js';
import { FieldCatalog, GENERATED_FRAME_FIELDS } from './fields.js';
import { PacketValues } from './packet-values.js';
import { parseFilter } from './parse.js';

export { FilterError } from './errors.js';
export { parseFilter } from './parse.js';

export interface DisplayFilter {
  readonly text: string;
  /** Field keys the filter reads: a `select`-mode run must record them. */
  readonly fields: readonly string[];
  /** Protocols the filter names: their layers must be dissected. */
  readonly protocols: readonly string[];
  /** Whether the packet passes (call with the packets of a capture in order). */
  matches(p: DissectedPacket): boolean;
}

const catalogs = new WeakMap<Registry, FieldCatalog>();

/** Compiles a filter for packets dissected with `registry`; throws `FilterError` with the place of the problem. */
export function compileFilter(text: string, registry: Registry): DisplayFilter {
  const tree = parseFilter(text);
  let catalog = catalogs.get(registry);
  if (catalog === undefined) catalogs.set(registry, (catalog = new FieldCatalog(registry)));
  if (tree === null) return { text, fields: [], protocols: [], matches: () => true };
  const compiler = new FilterCompiler(text, catalog);
  const predicate: Predicate = compiler.compile(tree);
  const fields = new Set<string>();
  const protocols = new Set<string>();
  for (const s of compiler.sources) {
    const src = s.ref.source;
    if (src.kind === 'keys') for (const k of src.keys) fields.add(k);
    else if (src.kind === 'protocol') protocols.add(src.id);
    else if (GENERATED_FRAME_FIELDS.has(src.name)) fields.add(src.name);
  }
  const values = new PacketValues(compiler.sources);
  return {
    text,
    fields: [...fields],
    protocols: [...protocols],
    matches(p) {
      values.reset(p);
      return predicate(values);
    },
  };
}

/**
 * The dissection a filtered run needs: a `full` run records every field already; a `summary`
 * run becomes a `select` run that records the filter's fields and still dissects every layer
 * (analysers and lists read them all); a `select` run records the filter's fields besides its own.
 */
export function filterDissectOptions(base: DissectOptions, filter: DisplayFilter | undefined, registry: Registry): DissectOptions {
  if (filter === undefined || (filter.fields.length === 0 && filter.protocols.length === 0)) return base;
  const mode = base.mode ?? 'full';
  if (mode === 'full') return base;
  if (mode === 'summary') {
    return { ...base, mode: 'select', fields: filter.fields, protocols: [...registry.protocols.keys()], summaries: base.summaries ?? true };
  }
  return { ...base, fields: [...new Set([...(base.fields ?? []), ...filter.fields])], protocols: [...new Set([...(base.protocols ?? []), ...filter.protocols])] };
}

/** Compiles `text` when given; a bad filter is reported (three lines on stderr) and gives `null`. */
export function compileFilterOption(text: string | undefined, registry: Registry, report: (lines: readonly string[]) => void): DisplayFilter | undefined | null {
  if (text === undefined) return undefined;
  try {
    return compileFilter(text, registry);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    report(e.lines());
    return null;
  }
}
