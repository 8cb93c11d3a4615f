/**
 * The `craft` expression language: parses Scapy-style packet expressions with the peggy parser
 * generated from grammar.peggy, checks layer and field names and values against the layer
 * definitions, and expands lists and ranges into a series of packets as Scapy does (the
 * cartesian product over every field given several values, the first such field varying slowest).
 */
import { closestName } from '../filter/errors.js';
import { CraftError } from './errors.js';
import { parse as peggyParse } from './grammar.generated.js';
import { coerce, type FieldSpec, Layer, type LayerDef } from './layer.js';
import { LAYERS } from './layers/index.js';
import { CraftValueError } from './values.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type ValueNode =
  | { readonly kind: 'str' | 'bytes'; readonly value: string; readonly span: Span }
  | { readonly kind: 'num'; readonly value: number | bigint; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'none'; readonly span: Span }
  | { readonly kind: 'list' | 'tuple'; readonly items: readonly ValueNode[]; readonly span: Span }
  | CallNode;

export interface ArgNode {
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly value: ValueNode;
  readonly span: Span;
}

export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly ArgNode[];
  readonly span: Span;
}

export interface PacketNode {
  readonly kind: 'packet';
  readonly layers: readonly CallNode[];
  readonly span: Span;
}

interface PeggyError {
  readonly expected?: readonly { readonly type: string; readonly text?: string; readonly description?: string }[] | null;
  readonly location?: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } };
  readonly message: string;
}

function expectedText(expected: NonNullable<PeggyError['expected']>): string {
  const names: string[] = [];
  for (const e of expected) {
    const name = e.type === 'literal' ? `"${e.text ?? ''}"` : e.type === 'end' ? 'the end of the expression' : e.type === 'other' ? (e.description ?? '') : '';
    if (name !== '' && name !== 'whitespace' && !names.includes(name)) names.push(name);
  }
  if (names.length === 0) return 'something else';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The expression's tree; syntax errors are `CraftError`s pointing at the place. */
export function parseCraft(text: string): PacketNode {
  try {
    return peggyParse(text, {}) as PacketNode;
  } catch (e) {
    const err = e as PeggyError;
    if (err.location === undefined) throw e;
    const at = err.location.start.offset;
    if (err.expected === undefined || err.expected === null) {
      // An error() raised by the grammar itself (an unclosed string).
      throw new CraftError(err.message, text, { start: at, end: Math.max(at + 1, err.location.end.offset) });
    }
    const expected = expectedText(err.expected);
    if (at >= text.length) throw new CraftError(`the expression ends too soon: expected ${expected}`, text, { start: text.length, end: text.length + 1 });
    const token = /^[A-Za-z0-9_.]+/.exec(text.slice(at))?.[0] ?? text.slice(at, at + 1);
    throw new CraftError(`unexpected "${token}": expected ${expected}`, text, { start: at, end: at + token.length });
  }
}

/** Values in the library's form: strings, bytes, numbers, booleans, arrays, layers; None is undefined. */
function plainValue(node: ValueNode, text: string): unknown {
  switch (node.kind) {
    case 'str':
    case 'num':
    case 'bool':
      return node.value;
    case 'bytes': {
      const out = new Uint8Array(node.value.length);
      for (let i = 0; i < node.value.length; i++) {
        const c = node.value.charCodeAt(i);
        if (c > 255) throw new CraftError('a byte string holds only characters up to \\xff', text, node.span);
        out[i] = c;
      }
      return out;
    }
    case 'none':
      return undefined;
    case 'list':
    case 'tuple':
      return node.items.map((i) => plainValue(i, text));
    case 'call':
      return single(node, text);
  }
}

function layerDef(call: CallNode, text: string): LayerDef {
  // Own names only: `__proto__` or `constructor` is no layer.
  const builder = Object.hasOwn(LAYERS, call.name) ? LAYERS[call.name] : undefined;
  if (builder !== undefined) return builder.def;
  const lower = new Map(Object.keys(LAYERS).map((n) => [n.toLowerCase(), n]));
  const near = closestName(call.name, lower.keys());
  const hint = near !== undefined ? ` (did you mean ${lower.get(near)}?)` : '';
  throw new CraftError(`unknown layer "${call.name}"${hint}`, text, call.nameSpan);
}

/** Each argument's field name and spec, in order; positional arguments take the layer's declared order. */
function namedArgs(call: CallNode, def: LayerDef, text: string): { field: string; spec: FieldSpec; arg: ArgNode }[] {
  const seen = new Set<string>();
  const out: { field: string; spec: FieldSpec; arg: ArgNode }[] = [];
  let sawKeyword = false;
  call.args.forEach((arg, i) => {
    let field: string;
    let span: Span;
    if (arg.name === undefined) {
      if (sawKeyword) throw new CraftError('a positional argument after a keyword argument', text, arg.span);
      const p = def.positional?.[i];
      if (p === undefined) {
        const shown = def.positional === undefined ? `${def.name} takes no positional arguments` : `${def.name} takes at most ${def.positional.length} positional argument${def.positional.length === 1 ? '' : 's'}`;
        throw new CraftError(`${shown}: name the field (field=value)`, text, arg.span);
      }
      field = p;
      span = arg.span;
    } else {
      sawKeyword = true;
      field = arg.name;
      span = arg.nameSpan ?? arg.span;
    }
    const spec = Object.hasOwn(def.fields, field) ? def.fields[field] : undefined;
    if (spec === undefined) {
      const near = closestName(field, Object.keys(def.fields));
      throw new CraftError(`${def.name} has no field "${field}"${near !== undefined ? ` (did you mean ${near}?)` : ''}`, text, span);
    }
    if (seen.has(field)) throw new CraftError(`${def.name}.${field} is set twice`, text, span);
    seen.add(field);
    out.push({ field, spec, arg });
  });
  return out;
}

function coerceAt(spec: FieldSpec, v: unknown, what: string, text: string, span: Span): unknown {
  try {
    return coerce(spec, v, what);
  } catch (e) {
    if (e instanceof CraftValueError) throw new CraftError(e.message, text, span);
    throw e;
  }
}

/** A call inside a value (DNSQR(...) in qd=): one layer, no series. */
function single(call: CallNode, text: string): Layer {
  const def = layerDef(call, text);
  const set: Record<string, unknown> = {};
  for (const { field, spec, arg } of namedArgs(call, def, text)) {
    const v = plainValue(arg.value, text);
    if (v !== undefined) set[field] = coerceAt(spec, v, `${def.name}.${field}`, text, arg.value.span);
  }
  return new Layer(def, set);
}

/** A field given several values: how many, and the k-th (in stored form). */
interface Axis {
  readonly layer: number;
  readonly field: string;
  readonly count: bigint;
  at(k: bigint): unknown;
}

const SCALAR = new Set(['uint', 'u64', 'flags']);

function axisOf(layer: number, def: LayerDef, field: string, spec: FieldSpec, node: ValueNode, text: string): Axis | undefined {
  const what = `${def.name}.${field}`;
  if (spec.t === 'custom' && spec.list === true) return undefined;
  if (node.kind === 'list') {
    if (node.items.length === 0) throw new CraftError(`${what}: an empty list gives no packets`, text, node.span);
    const values = node.items.map((item) => coerceAt(spec, plainValue(item, text), what, text, item.span));
    return { layer, field, count: BigInt(values.length), at: (k) => values[Number(k)] };
  }
  if (node.kind === 'tuple') {
    const [a, b] = node.items;
    if (!SCALAR.has(spec.t) || node.items.length !== 2 || a?.kind !== 'num' || b?.kind !== 'num') {
      throw new CraftError(`${what}: a tuple here is a range, (first, last) of two integers`, text, node.span);
    }
    const lo = BigInt(coerceAt(spec, a.value, what, text, a.span) as number | bigint);
    const hi = BigInt(coerceAt(spec, b.value, what, text, b.span) as number | bigint);
    if (hi < lo) throw new CraftError(`${what}: the range ends (${hi}) before it starts (${lo})`, text, node.span);
    return { layer, field, count: hi - lo + 1n, at: (k) => (spec.t === 'u64' ? lo + k : Number(lo + k)) };
  }
  return undefined;
}

/** A parsed and checked expression: the series of packets it stands for. */
export interface CraftSeries {
  readonly expression: string;
  /** Packets in one pass over the series (the product of the sizes of every list and range). */
  readonly count: bigint;
  /** The outermost layer's name (it decides the capture's link type). */
  readonly first: string;
  packets(): Generator<Layer>;
  /** Each packet's bytes; a value that cannot be encoded is a `CraftError` at its layer. */
  frames(): Generator<Uint8Array>;
}

export function compileCraft(text: string): CraftSeries {
  const tree = parseCraft(text);
  const bases: { def: LayerDef; set: Record<string, unknown> }[] = [];
  const axes: Axis[] = [];
  tree.layers.forEach((call, i) => {
    const def = layerDef(call, text);
    const set: Record<string, unknown> = {};
    for (const { field, spec, arg } of namedArgs(call, def, text)) {
      const axis = axisOf(i, def, field, spec, arg.value, text);
      if (axis !== undefined) axes.push(axis);
      else {
        const v = plainValue(arg.value, text);
        if (v !== undefined) set[field] = coerceAt(spec, v, `${def.name}.${field}`, text, arg.value.span);
      }
    }
    bases.push({ def, set });
  });
  const count = axes.reduce((n, a) => n * a.count, 1n);
  function* packets(): Generator<Layer> {
    const at = axes.map(() => 0n);
    for (let n = 0n; n < count; n++) {
      const sets = bases.map((b) => ({ ...b.set }));
      axes.forEach((a, j) => {
        sets[a.layer]![a.field] = a.at(at[j]!);
      });
      let top: Layer | undefined;
      for (let i = bases.length - 1; i >= 0; i--) top = new Layer(bases[i]!.def, sets[i]!, top);
      yield top!;
      for (let j = axes.length - 1; j >= 0; j--) {
        at[j] = at[j]! + 1n;
        if (at[j]! < axes[j]!.count) break;
        at[j] = 0n;
      }
    }
  }
  return {
    expression: text,
    count,
    first: bases[0]!.def.name,
    packets,
    *frames() {
      for (const p of packets()) {
        try {
          yield p.build();
        } catch (e) {
          if (e instanceof CraftValueError) throw new CraftError(e.message, text, tree.layers[e.layerIndex ?? 0]!.span);
          throw e;
        }
      }
    },
  };
}


