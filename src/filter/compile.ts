/**
 * The type checker and compiler: resolves each word of the tree to a field, a protocol or a
 * value, reads every value as the type of the field it is compared with (as Wireshark does:
 * `10.0.0.0/8` is an address block next to `ip.addr`, `80` a port next to `tcp.port`), reports
 * what does not fit with the span it concerns, and turns the tree into one predicate over a
 * dissected packet.
 */
import type { FieldDecl } from '../dissect/field-types.js';
import type { CompareOp, ExprNode, SliceRange, Span, ValueNode } from './ast.js';
import { closestName, FilterError } from './errors.js';
import { type FieldCatalog, type FieldRef, type FilterType, typeLabel } from './fields.js';
import type { PacketValues, Source } from './packet-values.js';
import {
  compareValues,
  containsBytes,
  equalsLiteral,
  type Literal,
  LiteralError,
  type LiteralText,
  matchText,
  readLiteral,
  type Value,
  valueBytes,
} from './values.js';

/** A compiled test: reads the packet's values through `PacketValues`. */
export type Predicate = (v: PacketValues) => boolean;
type Values = (v: PacketValues) => readonly Value[];

/** A value that comes from the packet (a field, a slice of one, a function of one). */
interface Operand {
  readonly kind: 'operand';
  readonly type: FilterType;
  readonly typeLabel: string;
  readonly decl: FieldDecl | undefined;
  /** How messages name it: the field name, or the text of the expression. */
  readonly name: string;
  readonly values: Values;
  readonly loc: Span;
}

/** A value written in the filter, typed once the other side is known. */
interface Pending {
  readonly kind: 'pending';
  readonly text: LiteralText;
  readonly loc: Span;
}

type Side = Operand | Pending;

const EMPTY: readonly Value[] = Object.freeze([]) as readonly Value[];

/** Types compared as numbers, bytes, and so on: two fields of one group may be compared. */
function group(t: FilterType): string {
  switch (t) {
    case 'bytes':
    case 'ether':
    case 'protocol':
      return 'bytes';
    case 'string':
    case 'oid':
      return 'string';
    default:
      return t;
  }
}

const SLICEABLE: ReadonlySet<FilterType> = new Set(['bytes', 'ether', 'protocol', 'string', 'ipv4', 'ipv6', 'oid']);
const SEARCHABLE: ReadonlySet<FilterType> = new Set(['bytes', 'ether', 'protocol', 'string', 'oid']);
const FLIP: Readonly<Record<CompareOp, CompareOp>> = { any_eq: 'any_eq', all_ne: 'all_ne', all_eq: 'all_eq', any_ne: 'any_ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };
const OP_TEXT: Readonly<Record<CompareOp, string>> = { any_eq: '==', all_ne: '!=', all_eq: '===', any_ne: '~=', gt: '>', ge: '>=', lt: '<', le: '<=' };

/** A word shaped like a field name (`tcp.prot`), as opposed to a value (`GET`, `10.0.0.1`, `aa:bb`). */
const FIELD_SHAPE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

export class FilterCompiler {
  private readonly text: string;
  private readonly catalog: FieldCatalog;
  readonly sources: Source[] = [];
  private readonly slots = new Map<string, number>();

  constructor(text: string, catalog: FieldCatalog) {
    this.text = text;
    this.catalog = catalog;
  }

  private error(message: string, loc: Span): never {
    throw new FilterError(message, this.text, loc);
  }

  private slice(loc: Span): string {
    return this.text.slice(loc.start, loc.end);
  }

  private unknownField(word: string, loc: Span): never {
    const near = closestName(word, this.catalog.allNames());
    this.error(`unknown field "${word}"${near !== undefined ? ` (did you mean ${near}?)` : ''}`, loc);
  }

  /** The values of a field in the current packet (one slot per field and layer). */
  private source(ref: FieldRef, layer: number): Values {
    const id = `${ref.name}#${layer}`;
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.sources.length;
      this.sources.push({ ref, layer });
      this.slots.set(id, slot);
    }
    const s = slot;
    return (v) => v.get(s);
  }

  private fieldOperand(ref: FieldRef, layer: number, loc: Span): Operand {
    return { kind: 'operand', type: ref.type, typeLabel: ref.typeLabel, decl: ref.decl, name: layer > 0 ? `${ref.name}#${layer}` : ref.name, values: this.source(ref, layer), loc };
  }

  // ------------------------------------------------------------------ values

  private side(n: ValueNode): Side {
    switch (n.kind) {
      case 'word': {
        const ref = this.catalog.lookup(n.text);
        if (ref !== undefined) return this.fieldOperand(ref, 0, n.loc);
        return { kind: 'pending', text: { kind: 'word', text: n.text }, loc: n.loc };
      }
      case 'string':
        return { kind: 'pending', text: { kind: 'string', bytes: Uint8Array.from(n.bytes) }, loc: n.loc };
      case 'char':
        return { kind: 'pending', text: { kind: 'char', code: n.code }, loc: n.loc };
      case 'layer': {
        if (n.value.kind !== 'word') this.error('a layer number (#N) follows a field name', n.loc);
        const ref = this.catalog.lookup(n.value.text) ?? this.unknownField(n.value.text, n.value.loc);
        if (n.layer < 1) this.error(`layer numbers start at 1, not ${n.layer}`, n.loc);
        return this.fieldOperand(ref, n.layer, n.loc);
      }
      case 'slice':
        return this.sliceOperand(n.value, n.ranges, n.loc);
      case 'bitand':
        return this.bitAnd(n.left, n.right, n.loc);
      case 'call':
        return this.call(n.name, n.args, n.loc);
    }
  }

  /** A side that must come from the packet (a field, not a value). */
  private operand(n: ValueNode): Operand {
    const s = this.side(n);
    if (s.kind === 'operand') return s;
    return this.notAField(n, s);
  }

  private notAField(n: ValueNode, s: Pending): never {
    if (n.kind === 'word' && (FIELD_SHAPE.test(n.text) || /^[a-z][a-z0-9_-]*$/.test(n.text))) this.unknownField(n.text, n.loc);
    this.error(`${this.slice(s.loc)} is a value, not a field or protocol`, s.loc);
  }

  private sliceOperand(inner: ValueNode, ranges: readonly SliceRange[], loc: Span): Operand {
    const base = this.operand(inner);
    if (!SLICEABLE.has(base.type)) this.error(`${base.name} is ${base.typeLabel} and cannot be sliced (slices take bytes, strings and addresses)`, base.loc);
    for (const r of ranges) {
      if (r.to !== null && r.to < r.from) this.error(`the range ${r.from}-${r.to} ends before it starts`, loc);
      if (r.length !== null && r.length < 0) this.error(`a slice length cannot be negative (${r.length})`, loc);
    }
    const values = base.values;
    return {
      kind: 'operand',
      type: 'bytes',
      typeLabel: typeLabel('bytes'),
      decl: undefined,
      name: this.slice(loc),
      loc,
      values: (v) => {
        const vals = values(v);
        if (vals.length === 0) return EMPTY;
        const out: Value[] = [];
        for (const x of vals) {
          const b = valueBytes(x);
          if (b === undefined) continue;
          const cut = sliceBytes(b, ranges);
          if (cut !== undefined) out.push(cut);
        }
        return out;
      },
    };
  }

  private bitAnd(leftNode: ValueNode, rightNode: ValueNode, loc: Span): Operand {
    const left = this.side(leftNode);
    const right = this.side(rightNode);
    if (left.kind === 'pending' && right.kind === 'pending') this.notAField(leftNode, left);
    const field = (left.kind === 'operand' ? left : right) as Operand;
    const other = left.kind === 'operand' ? right : left;
    // Integers, or bytes (`tcp[13] & 0x02`) byte by byte.
    const type: FilterType = field.type === 'int' ? 'int' : group(field.type) === 'bytes' ? 'bytes' : field.type;
    if (type !== 'int' && type !== 'bytes') this.error(`${field.name} is ${field.typeLabel}: "&" takes integers and bytes`, field.loc);
    let mask: Values;
    if (other.kind === 'pending') {
      const lit = this.literal(type, type === 'int' ? field.decl : undefined, field.name, field.typeLabel, other);
      const m = [lit.value];
      mask = () => m;
    } else {
      if ((other.type === 'int' ? 'int' : group(other.type)) !== type) this.error(`${other.name} is ${other.typeLabel}: "&" takes two integers or two byte strings`, other.loc);
      mask = other.values;
    }
    const values = field.values;
    return {
      kind: 'operand',
      type,
      typeLabel: type === 'int' ? 'an integer' : typeLabel('bytes'),
      decl: undefined,
      name: this.slice(loc),
      loc,
      values: (v) => {
        const a = values(v);
        if (a.length === 0) return EMPTY;
        const b = mask(v);
        const out: Value[] = [];
        for (const x of a) for (const y of b) out.push(type === 'int' ? bitwiseAnd(x as number | bigint, y as number | bigint) : bytesAnd(x as Uint8Array, y as Uint8Array));
        return out;
      },
    };
  }

  private call(name: string, args: readonly ValueNode[], loc: Span): Operand {
    const FUNCTIONS = ['len', 'count', 'upper', 'lower'];
    if (!FUNCTIONS.includes(name)) this.error(`unknown function "${name}" (there are ${FUNCTIONS.map((f) => `${f}()`).join(', ')})`, loc);
    if (args.length !== 1) this.error(`${name}() takes one field, not ${args.length}`, loc);
    const arg = this.operand(args[0]!);
    const values = arg.values;
    const op = (type: FilterType, f: (vals: readonly Value[]) => readonly Value[]): Operand => ({
      kind: 'operand',
      type,
      typeLabel: type === 'int' ? 'an integer' : typeLabel(type),
      decl: undefined,
      name: this.slice(loc),
      loc,
      values: (v) => f(values(v)),
    });
    switch (name) {
      case 'count':
        return op('int', (vals) => [vals.length]);
      case 'len':
        if (!SLICEABLE.has(arg.type)) this.error(`len() takes bytes, strings or addresses; ${arg.name} is ${arg.typeLabel}`, arg.loc);
        return op('int', (vals) => vals.map((x) => valueBytes(x)?.length ?? 0));
      default:
        if (arg.type !== 'string') this.error(`${name}() takes a string; ${arg.name} is ${arg.typeLabel}`, arg.loc);
        return op('string', (vals) => vals.map((x) => (name === 'upper' ? (x as string).toUpperCase() : (x as string).toLowerCase())));
    }
  }

  /** Reads a written value as `type`; a word that looks like a misspelt field says so. */
  private literal(type: FilterType, decl: FieldDecl | undefined, fieldName: string, fieldType: string, p: Pending): Literal {
    try {
      return readLiteral(type, p.text, decl);
    } catch (e) {
      if (!(e instanceof LiteralError)) throw e;
      if (p.text.kind === 'word' && FIELD_SHAPE.test(p.text.text) && /[A-Za-z]{2}/.test(p.text.text.split('.')[0]!)) {
        const proto = p.text.text.split('.')[0]!;
        if (this.catalog.lookup(proto) !== undefined) this.unknownField(p.text.text, p.loc);
      }
      this.error(`${e.message} (${fieldName} is ${fieldType})`, p.loc);
    }
  }

  // ------------------------------------------------------------------ tests

  compile(n: ExprNode): Predicate {
    switch (n.kind) {
      case 'and': {
        const a = this.compile(n.left);
        const b = this.compile(n.right);
        return (v) => a(v) && b(v);
      }
      case 'or': {
        const a = this.compile(n.left);
        const b = this.compile(n.right);
        return (v) => a(v) || b(v);
      }
      case 'not': {
        const a = this.compile(n.expr);
        return (v) => !a(v);
      }
      case 'test': {
        const s = this.side(n.value);
        if (s.kind === 'pending') return this.notAField(n.value, s);
        const values = s.values;
        if (n.value.kind === 'bitand') return (v) => values(v).some((x) => (x instanceof Uint8Array ? x.some((b) => b !== 0) : x !== 0 && x !== 0n));
        return (v) => values(v).length > 0;
      }
      case 'compare':
        return this.comparison(n.op, n.left, n.right, n.opLoc);
      case 'contains':
        return this.contains(n.left, n.right);
      case 'matches':
        return this.matches(n.left, n.right);
      case 'in':
        return this.membership(n.value, n.set, n.negated);
    }
  }

  private checkComparable(o: Operand, op: string): void {
    if (o.type === 'none') this.error(`${o.name} is ${o.typeLabel}: test it alone ("${o.name}"), it has no value for ${op}`, o.loc);
  }

  private comparison(op: CompareOp, leftNode: ValueNode, rightNode: ValueNode, opLoc: Span): Predicate {
    let left = this.side(leftNode);
    let right = this.side(rightNode);
    if (left.kind === 'pending' && right.kind === 'pending') {
      // A name on the left that is no field (`tcp.prot == 80`, `foo == 1`) is a misspelt field.
      if (leftNode.kind === 'word' && /^[A-Za-z_]/.test(leftNode.text) && !/^[0-9a-fA-F]{2}([:.-][0-9a-fA-F]{2})*$/.test(leftNode.text)) this.unknownField(leftNode.text, leftNode.loc);
      if (rightNode.kind === 'word' && FIELD_SHAPE.test(rightNode.text)) this.unknownField(rightNode.text, rightNode.loc);
      this.error(`both sides of ${OP_TEXT[op]} are values: one of them must be a field`, opLoc);
    }
    if (left.kind === 'pending') {
      // `80 == tcp.port`: the same test with the field on the left.
      [left, right] = [right, left];
      op = FLIP[op];
    }
    const field = left as Operand;
    this.checkComparable(field, OP_TEXT[op]);
    const values = field.values;
    if (right.kind === 'pending') {
      const lit = this.literal(field.type, field.decl, field.name, field.typeLabel, right);
      return compareWithLiteral(op, values, lit);
    }
    const other = right;
    this.checkComparable(other, OP_TEXT[op]);
    if (group(field.type) !== group(other.type)) {
      this.error(`${field.name} and ${other.name} cannot be compared: ${field.typeLabel} and ${other.typeLabel}`, opLoc);
    }
    return compareFields(op, values, other.values);
  }

  private contains(leftNode: ValueNode, rightNode: ValueNode): Predicate {
    const field = this.operand(leftNode);
    if (!SEARCHABLE.has(field.type)) this.error(`${field.name} is ${field.typeLabel}: "contains" takes strings, bytes and protocols`, field.loc);
    const values = field.values;
    const right = this.side(rightNode);
    const isString = group(field.type) === 'string';
    if (right.kind === 'pending') {
      const lit = this.literal(isString ? 'string' : 'bytes', field.decl, field.name, field.typeLabel, right).value;
      if (isString) return (v) => values(v).some((x) => (x as string).includes(lit as string));
      return (v) => values(v).some((x) => containsBytes(x as Uint8Array, lit as Uint8Array));
    }
    if (group(right.type) !== group(field.type)) this.error(`${field.name} and ${right.name} cannot be compared: ${field.typeLabel} and ${right.typeLabel}`, right.loc);
    const others = right.values;
    return (v) => {
      const a = values(v);
      if (a.length === 0) return false;
      const b = others(v);
      return a.some((x) => b.some((y) => (isString ? (x as string).includes(y as string) : containsBytes(x as Uint8Array, y as Uint8Array))));
    };
  }

  private matches(leftNode: ValueNode, rightNode: ValueNode): Predicate {
    const field = this.operand(leftNode);
    if (!SEARCHABLE.has(field.type)) this.error(`${field.name} is ${field.typeLabel}: "matches" takes strings, bytes and protocols`, field.loc);
    const right = this.side(rightNode);
    if (right.kind !== 'pending' || right.text.kind === 'char') this.error('"matches" takes a regular expression in quotes', rightNode.loc);
    const source = right.text.kind === 'word' ? right.text.text : new TextDecoder().decode(right.text.bytes);
    let re: RegExp;
    try {
      re = toRegExp(source);
    } catch (e) {
      this.error(`invalid regular expression: ${(e as Error).message}`, right.loc);
    }
    const values = field.values;
    return (v) => values(v).some((x) => {
      const t = matchText(x);
      return t !== undefined && re.test(t);
    });
  }

  private membership(valueNode: ValueNode, set: readonly { low: ValueNode; high: ValueNode | null; loc: Span }[], negated: boolean): Predicate {
    const field = this.operand(valueNode);
    this.checkComparable(field, 'in');
    const read = (n: ValueNode): Literal => {
      const s = this.side(n);
      if (s.kind === 'operand') this.error(`a set holds values; ${s.name} is a field`, s.loc);
      return this.literal(field.type, field.decl, field.name, field.typeLabel, s);
    };
    const singles: Literal[] = [];
    const ranges: [Value, Value][] = [];
    for (const e of set) {
      const low = read(e.low);
      if (e.high === null) singles.push(low);
      else {
        if (field.type === 'bool' || field.type === 'protocol') this.error(`${field.name} is ${field.typeLabel}: a range needs ordered values`, e.loc);
        ranges.push([low.value, read(e.high).value]);
      }
    }
    const values = field.values;
    const test: Predicate = (v) =>
      values(v).some((x) => singles.some((l) => equalsLiteral(x, l)) || ranges.some(([lo, hi]) => compareValues(x, lo) >= 0 && compareValues(x, hi) <= 0));
    return negated ? (v) => !test(v) : test;
  }
}

function compareWithLiteral(op: CompareOp, values: Values, lit: Literal): Predicate {
  const c = lit.value;
  // Numbers, strings and booleans compare directly (the common case); the rest through equalsLiteral.
  const direct = lit.prefix === undefined && (typeof c === 'number' || typeof c === 'string' || typeof c === 'boolean');
  const eq = direct ? (x: Value): boolean => x === c || (typeof x === 'bigint' && compareValues(x, c) === 0) : (x: Value): boolean => equalsLiteral(x, lit);
  switch (op) {
    case 'any_eq':
      return (v) => values(v).some(eq);
    case 'all_ne':
      return (v) => {
        const a = values(v);
        return a.length > 0 && !a.some(eq);
      };
    case 'all_eq':
      return (v) => {
        const a = values(v);
        return a.length > 0 && a.every(eq);
      };
    case 'any_ne':
      return (v) => values(v).some((x) => !eq(x));
    case 'gt':
      return (v) => values(v).some((x) => compareValues(x, c) > 0);
    case 'ge':
      return (v) => values(v).some((x) => compareValues(x, c) >= 0);
    case 'lt':
      return (v) => values(v).some((x) => compareValues(x, c) < 0);
    case 'le':
      return (v) => values(v).some((x) => compareValues(x, c) <= 0);
  }
}

function compareFields(op: CompareOp, left: Values, right: Values): Predicate {
  const test: Record<CompareOp, (d: number) => boolean> = {
    any_eq: (d) => d === 0,
    all_ne: (d) => d !== 0,
    all_eq: (d) => d === 0,
    any_ne: (d) => d !== 0,
    gt: (d) => d > 0,
    ge: (d) => d >= 0,
    lt: (d) => d < 0,
    le: (d) => d <= 0,
  };
  const t = test[op];
  const all = op === 'all_ne' || op === 'all_eq';
  return (v) => {
    const a = left(v);
    if (a.length === 0) return false;
    const b = right(v);
    if (b.length === 0) return false;
    if (all) return a.every((x) => b.every((y) => t(compareValues(x, y))));
    return a.some((x) => b.some((y) => t(compareValues(x, y))));
  };
}

function bitwiseAnd(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number' && a >= 0 && b >= 0 && a <= 0xffffffff && b <= 0xffffffff) return (a & b) >>> 0;
  const r = BigInt(a) & BigInt(b);
  return r <= BigInt(Number.MAX_SAFE_INTEGER) && r >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(r) : r;
}

/** Two byte strings ANDed byte by byte, as long as the shorter. */
function bytesAnd(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.min(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/**
 * The bytes a slice selects, or undefined when a range reaches outside the value (Wireshark
 * then has no value). Ranges: `[i:n]` n bytes from i, `[i-j]` i to j, `[i:]` to the end;
 * negative offsets count from the end.
 */
export function sliceBytes(b: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    const from = r.from < 0 ? b.length + r.from : r.from;
    if (from < 0 || from > b.length) return undefined;
    let end: number;
    if (r.to !== null) end = (r.to < 0 ? b.length + r.to : r.to) + 1;
    else if (r.length !== null) end = from + r.length;
    else end = b.length;
    if (end > b.length || end < from) return undefined;
    parts.push(b.subarray(from, end));
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A Wireshark (PCRE2) regular expression as a JavaScript one: case-insensitive unless `(?-i)`
 * says otherwise (Wireshark 4), leading `(?ims)` flags as JavaScript flags, `\A` and `\z`.
 */
export function toRegExp(source: string): RegExp {
  const flags = new Set(['i']);
  let body = source;
  for (;;) {
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(body);
    if (!m) break;
    for (const f of m[1] ?? '') {
      if (!'ims'.includes(f)) throw new Error(`the (?${f}) option is not supported`);
      flags.add(f);
    }
    for (const f of m[2] ?? '') {
      if (!'ims'.includes(f)) throw new Error(`the (?-${f}) option is not supported`);
      flags.delete(f);
    }
    body = body.slice(m[0].length);
  }
  body = body.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^').replace(/(^|[^\\])((?:\\\\)*)\\[zZ]/g, '$1$2$');
  return new RegExp(body, [...flags].join(''));
}

