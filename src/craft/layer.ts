/**
 * The packet-building core: a layer is a kind (its definition: field table and encoder) and the
 * fields set on it, plus the layer it carries. `build()` encodes from the innermost layer out,
 * so each encoder sees its payload's bytes (for lengths and checksums), the layer above (for
 * protocol numbers and ports) and the layers below (for pseudo-headers). A field set explicitly
 * is written as given, even when it is wrong.
 */
import { CraftValueError, parseIPv4, parseIPv6, parseMac, toBytes } from './values.js';

export type FieldSpec =
  | { readonly t: 'uint'; readonly bits: number; readonly names?: Readonly<Record<string, number>> }
  | { readonly t: 'u64' }
  | { readonly t: 'flags'; readonly bits: number; readonly names: readonly string[] }
  | { readonly t: 'mac' }
  | { readonly t: 'ipv4' }
  | { readonly t: 'ipv6' }
  | { readonly t: 'bytes' }
  | { readonly t: 'text' }
  | { readonly t: 'bool' }
  /** A structured value (a list of options, records, ...): `check` validates and returns it. */
  | { readonly t: 'custom'; readonly check: (v: unknown) => unknown; readonly list?: boolean };

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** What a field accepts in the library form, from its spec. */
export type FieldValue<S> = S extends { t: 'uint'; names: object }
  ? number | string
  : S extends { t: 'uint' }
    ? number
    : S extends { t: 'u64' }
      ? number | bigint
      : S extends { t: 'flags' }
        ? number | string
        : S extends { t: 'mac' | 'ipv4' | 'ipv6' | 'text' }
          ? string
          : S extends { t: 'bytes' }
            ? string | Uint8Array
            : S extends { t: 'bool' }
              ? boolean | number
              : S extends { check: (v: unknown) => infer T }
                ? T
                : never;

export type FieldsOf<S extends FieldSpecs> = { -readonly [K in keyof S]?: FieldValue<S[K]> };

/** What an encoder is given. */
export interface BuildContext {
  readonly layer: Layer;
  /** The bytes of everything this layer carries, already built. */
  readonly payload: Uint8Array;
  /** The layer directly above (carried by this one), if any. */
  readonly upper: Layer | undefined;
  /** The layers below, outermost first (the nearest is last). */
  readonly below: readonly Layer[];
}

export interface LayerDef {
  readonly name: string;
  readonly fields: FieldSpecs;
  /** Defaults, already in stored form; a field with no default is computed or zero. */
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly encode: (b: BuildContext) => Uint8Array;
  /** Default ports when this layer rides on TCP or UDP: [source, destination]. */
  readonly ports?: (l: Layer, transport: 'tcp' | 'udp') => readonly [number, number] | undefined;
  /** Fields that may be given without a name, in order (default: none). */
  readonly positional?: readonly string[];
}

function intOf(v: unknown, what: string): number {
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new CraftValueError(`${what} takes an integer, not ${show(v)}`);
  return v;
}

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (v instanceof Layer) return `${v.def.name}()`;
  if (Array.isArray(v)) return 'a list';
  return String(v);
}

function flagsOf(spec: { bits: number; names: readonly string[] }, v: string, what: string): number {
  const single = spec.names.every((n) => n.length === 1);
  const tokens = single ? [...v.replace(/[\s+|,]/g, '')] : v.split(/[\s+|,]+/).filter((x) => x !== '');
  let out = 0;
  for (const t of tokens) {
    const i = spec.names.findIndex((n) => n.toLowerCase() === t.toLowerCase());
    if (i < 0) throw new CraftValueError(`${what}: unknown flag "${t}" (known: ${spec.names.filter((n) => n !== '').join(', ')})`);
    out |= 1 << i;
  }
  return out;
}

/** A value in stored form (numbers for names and flags, bytes for byte strings), or an error. */
export function coerce(spec: FieldSpec, v: unknown, what: string): unknown {
  switch (spec.t) {
    case 'uint': {
      let n: number;
      if (typeof v === 'string' && spec.names !== undefined) {
        const hit = Object.entries(spec.names).find(([k]) => k.toLowerCase() === v.toLowerCase());
        if (hit === undefined) throw new CraftValueError(`${what}: unknown name ${show(v)} (known: ${Object.keys(spec.names).join(', ')})`);
        n = hit[1];
      } else n = intOf(v, what);
      const max = 2 ** spec.bits - 1;
      if (n < 0 || n > max) throw new CraftValueError(`${what}: ${n} is out of range (0 to ${max})`);
      return n;
    }
    case 'u64': {
      const b = typeof v === 'bigint' ? v : BigInt(intOf(v, what));
      if (b < 0n || b >= 1n << 64n) throw new CraftValueError(`${what}: ${b} is out of range (0 to 2^64-1)`);
      return b;
    }
    case 'flags': {
      const n = typeof v === 'string' ? flagsOf(spec, v, what) : intOf(v, what);
      if (n < 0 || n >= 2 ** spec.bits) throw new CraftValueError(`${what}: ${n} is out of range (0 to ${2 ** spec.bits - 1})`);
      return n;
    }
    case 'mac':
    case 'ipv4':
    case 'ipv6': {
      if (typeof v !== 'string') throw new CraftValueError(`${what} takes an address string, not ${show(v)}`);
      try {
        (spec.t === 'mac' ? parseMac : spec.t === 'ipv4' ? parseIPv4 : parseIPv6)(v);
      } catch (e) {
        throw new CraftValueError(`${what}: ${(e as Error).message}`);
      }
      return v;
    }
    case 'bytes':
      if (typeof v === 'string' || v instanceof Uint8Array) return toBytes(v);
      throw new CraftValueError(`${what} takes a string or bytes, not ${show(v)}`);
    case 'text':
      if (typeof v !== 'string') throw new CraftValueError(`${what} takes a string, not ${show(v)}`);
      return v;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      throw new CraftValueError(`${what} takes True/False or 0/1, not ${show(v)}`);
    case 'custom':
      try {
        return spec.check(v);
      } catch (e) {
        if (e instanceof CraftValueError) throw new CraftValueError(`${what}: ${e.message}`);
        throw e;
      }
  }
}

export class Layer {
  readonly def: LayerDef;
  /** The fields set explicitly, in stored form. */
  readonly set: Readonly<Record<string, unknown>>;
  readonly payload: Layer | undefined;

  constructor(def: LayerDef, set: Readonly<Record<string, unknown>>, payload?: Layer) {
    this.def = def;
    this.set = set;
    this.payload = payload;
  }

  get name(): string {
    return this.def.name;
  }

  /** Whether a field was set explicitly. */
  has(field: string): boolean {
    return Object.hasOwn(this.set, field);
  }

  /** A field's value in stored form: the one set, else the default. */
  get(field: string): unknown {
    return this.has(field) ? this.set[field] : this.def.defaults[field];
  }

  num(field: string): number {
    const v = this.get(field);
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : 0;
  }

  big(field: string): bigint {
    const v = this.get(field);
    return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : 0n;
  }

  str(field: string): string {
    const v = this.get(field);
    return typeof v === 'string' ? v : '';
  }

  bytes(field: string): Uint8Array {
    const v = this.get(field);
    return v instanceof Uint8Array ? v : typeof v === 'string' ? toBytes(v) : new Uint8Array(0);
  }

  /** This layer with `upper` carried by its innermost layer (a new stack; this one is unchanged). */
  over(upper: Layer | string | Uint8Array): Layer {
    const top = upper instanceof Layer ? upper : rawLayer(upper);
    return new Layer(this.def, this.set, this.payload === undefined ? top : this.payload.over(top));
  }

  /** A copy with more fields set (library form values, checked as the builder checks them). */
  with(fields: Readonly<Record<string, unknown>>): Layer {
    return new Layer(this.def, { ...this.set, ...checkFields(this.def, fields) }, this.payload);
  }

  /** The stack from this layer in, outermost first. */
  layers(): Layer[] {
    const out: Layer[] = [];
    for (let l: Layer | undefined = this; l !== undefined; l = l.payload) out.push(l);
    return out;
  }

  /** The first layer of a kind in this stack. */
  find(name: string): Layer | undefined {
    return this.layers().find((l) => l.name === name);
  }

  /** The packet's bytes, with lengths, checksums and protocol numbers filled in. */
  build(): Uint8Array {
    const all = this.layers();
    let payload = new Uint8Array(0);
    for (let i = all.length - 1; i >= 0; i--) {
      const layer = all[i]!;
      try {
        payload = new Uint8Array(layer.def.encode({ layer, payload, upper: all[i + 1], below: all.slice(0, i) }));
      } catch (e) {
        if (e instanceof CraftValueError && e.layerIndex === undefined) e.layerIndex = i;
        throw e;
      }
    }
    return payload;
  }

  /** The Scapy-style expression of this stack (fields that were set, in stored form). */
  toString(): string {
    return this.layers()
      .map((l) => `${l.name}(${Object.entries(l.set).map(([k, v]) => `${k}=${exprText(v)}`).join(', ')})`)
      .join('/');
  }
}

function exprText(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) {
    const text = [...v].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
    return `b"${text}"`;
  }
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map(exprText).join(', ')}]`;
  if (v instanceof Layer) return v.toString();
  if (v === null || v === undefined) return 'None';
  return String(v);
}

function checkFields(def: LayerDef, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const spec = Object.hasOwn(def.fields, k) ? def.fields[k] : undefined;
    if (spec === undefined) throw new CraftValueError(`${def.name} has no field "${k}"`);
    out[k] = coerce(spec, v, `${def.name}.${k}`);
  }
  return out;
}

/** A layer constructor: `IP({ dst: '8.8.8.8' })`; `.def` is the layer's definition. */
export type LayerBuilder<S extends FieldSpecs = FieldSpecs> = ((fields?: FieldsOf<S>) => Layer) & { readonly def: LayerDef };

export interface DefineOptions<S extends FieldSpecs> {
  readonly defaults?: FieldsOf<S>;
  readonly encode: (b: BuildContext) => Uint8Array;
  readonly ports?: LayerDef['ports'];
  readonly positional?: readonly (keyof S & string)[];
}

export function defineLayer<const S extends FieldSpecs>(name: string, fields: S, o: DefineOptions<S>): LayerBuilder<S> {
  const defs: Record<string, unknown> = {};
  const def: LayerDef = {
    name,
    fields,
    defaults: defs,
    encode: o.encode,
    ...(o.ports !== undefined ? { ports: o.ports } : {}),
    ...(o.positional !== undefined ? { positional: o.positional } : {}),
  };
  Object.assign(defs, checkFields(def, (o.defaults ?? {}) as Record<string, unknown>));
  const builder = (f?: FieldsOf<S>): Layer => new Layer(def, checkFields(def, (f ?? {}) as Record<string, unknown>));
  return Object.assign(builder, { def });
}

/** Stacks layers, each carried by the one before: `stack(Ether(), IP(), ICMP())`. */
export function stack(first: Layer, ...rest: readonly (Layer | string | Uint8Array)[]): Layer {
  return rest.reduce<Layer>((acc, l) => acc.over(l), first);
}

/** Bytes carried as they are: `Raw({ load: 'hello' })`. */
export const Raw = defineLayer(
  'Raw',
  { load: { t: 'bytes' } },
  {
    positional: ['load'],
    encode: ({ layer, payload }) => concat(layer.bytes('load'), payload),
  },
);

function rawLayer(load: string | Uint8Array): Layer {
  return Raw({ load });
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
