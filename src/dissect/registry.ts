/**
 * Dispatch tables built from a list of protocols (nothing registers itself at import time).
 * Keys are numbers; lookups try the keys in the order given (ports: lower first), then the
 * heuristics registered for the table, in order. Duplicate keys or field declarations are
 * errors, caught by a unit test.
 */
import type { FieldDecl } from './field-types.js';
import type { Heuristic, Next, ProtocolDef } from './protocol.js';

export interface FieldInfo extends FieldDecl {
  readonly protocol: string;
}

export interface Registry {
  readonly protocols: ReadonlyMap<string, ProtocolDef>;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** The protocol a dispatch leads to at `offset`, or undefined (the bytes become `data`). */
  resolve(next: Next, data: Uint8Array, offset: number, end: number): ProtocolDef | undefined;
  /** A registry with some table entries replaced ("Decode As"): `{ 'udp.port': { 9999: 'dns' } }`. */
  with(overrides: Readonly<Record<string, Readonly<Record<number, string>>>>): Registry;
}

interface Tables {
  readonly exact: Map<string, Map<number, ProtocolDef>>;
  readonly heuristics: Map<string, { readonly proto: ProtocolDef; readonly h: Heuristic }[]>;
}

/** One dispatch table as lookups use it: keys below 65536 in an array, others in a map. */
interface Table {
  readonly dense: (ProtocolDef | undefined)[];
  readonly sparse: Map<number, ProtocolDef>;
  readonly heuristics: readonly { readonly proto: ProtocolDef; readonly h: Heuristic }[];
}

const DENSE = 65536;

function compile(exact: Map<number, ProtocolDef> | undefined, heuristics: Table['heuristics'] | undefined): Table {
  const dense: (ProtocolDef | undefined)[] = [];
  const sparse = new Map<number, ProtocolDef>();
  let max = -1;
  for (const k of exact?.keys() ?? []) if (Number.isInteger(k) && k >= 0 && k < DENSE && k > max) max = k;
  for (let i = 0; i <= max; i++) dense.push(undefined);
  for (const [k, p] of exact ?? []) {
    if (Number.isInteger(k) && k >= 0 && k < DENSE) dense[k] = p;
    else sparse.set(k, p);
  }
  return { dense, sparse, heuristics: heuristics ?? [] };
}

const NO_TABLE: Table = compile(undefined, undefined);

function build(
  protocols: ReadonlyMap<string, ProtocolDef>,
  fields: ReadonlyMap<string, FieldInfo>,
  tables: Tables,
): Registry {
  const compiled = new Map<string, Table>();
  // The last few tables asked for, found by name identity (names are literals in protocol code).
  const recentNames: string[] = [];
  const recentTables: Table[] = [];
  const tableOf = (name: string): Table => {
    for (let i = 0; i < recentNames.length; i++) if (recentNames[i] === name) return recentTables[i]!;
    let t = compiled.get(name);
    if (t === undefined) {
      t = tables.exact.has(name) || tables.heuristics.has(name) ? compile(tables.exact.get(name), tables.heuristics.get(name)) : NO_TABLE;
      compiled.set(name, t);
    }
    if (recentNames.length < 12) {
      recentNames.push(name);
      recentTables.push(t);
    }
    return t;
  };
  const registry: Registry = {
    protocols,
    fields,
    resolve(next, data, offset, end) {
      // A named protocol; tested by a read rather than `in`: hand-offs come in many object
      // shapes, and a read past many shapes costs less than a presence test.
      const named = (next as { readonly protocol?: string }).protocol;
      if (named !== undefined) return protocols.get(named);
      const via = next as Extract<Next, { readonly table: string }>;
      if (via.table === undefined) return undefined; // `{ protocol: undefined }`: nothing named
      const table = tableOf(via.table);
      const keys = via.keys;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const p = k >= 0 && k < table.dense.length ? table.dense[k] : table.sparse.get(k);
        if (p !== undefined) return p;
      }
      const hs = table.heuristics;
      if (hs.length > 0 && offset < end) {
        for (const { proto, h } of hs) if (h.test(data, offset, end)) return proto;
      }
      return via.fallback === undefined ? undefined : registry.resolve(via.fallback, data, offset, end);
    },
    with(overrides) {
      const exact = new Map([...tables.exact].map(([name, t]) => [name, new Map(t)]));
      for (const [table, entries] of Object.entries(overrides)) {
        let t = exact.get(table);
        if (t === undefined) exact.set(table, (t = new Map()));
        for (const [key, id] of Object.entries(entries)) {
          const p = protocols.get(id);
          if (p === undefined) throw new Error(`unknown protocol "${id}"`);
          t.set(Number(key), p);
        }
      }
      return build(protocols, fields, { exact, heuristics: tables.heuristics });
    },
  };
  return registry;
}

/**
 * A protocol with every property present, in one order: the driver reads `dissect`, `chained`,
 * `leaf` and the names of whichever protocol comes next, and with one object layout for all
 * of them those reads stay monomorphic.
 */
function uniform(p: ProtocolDef): ProtocolDef {
  return { id: p.id, name: p.name, short: p.short, fields: p.fields, bindings: p.bindings ?? [], heuristics: p.heuristics ?? [], chained: p.chained === true, leaf: p.leaf === true, dissect: p.dissect };
}

/** The protocol `table` gives for `key` by its entries alone (no heuristics: there are no bytes to test). */
export function tableEntry(registry: Registry, table: string, key: number): ProtocolDef | undefined {
  return registry.resolve({ table, keys: [key] }, NO_BYTES, 0, 0);
}

const NO_BYTES = new Uint8Array(0);

export function createRegistry(list: readonly ProtocolDef[]): Registry {
  const protocols = new Map<string, ProtocolDef>();
  const fields = new Map<string, FieldInfo>();
  const tables: Tables = { exact: new Map(), heuristics: new Map() };
  for (const given of list) {
    const p = uniform(given);
    if (protocols.has(p.id)) throw new Error(`protocol ${p.id} is listed twice`);
    protocols.set(p.id, p);
    for (const [key, decl] of Object.entries(p.fields)) {
      const prev = fields.get(key);
      if (prev !== undefined) throw new Error(`field ${key} is declared by both ${prev.protocol} and ${p.id}`);
      fields.set(key, { ...decl, protocol: p.id });
    }
    for (const b of p.bindings ?? []) {
      let t = tables.exact.get(b.table);
      if (t === undefined) tables.exact.set(b.table, (t = new Map()));
      const prev = t.get(b.key);
      if (prev !== undefined) throw new Error(`${b.table} ${b.key} is bound to both ${prev.id} and ${p.id}`);
      t.set(b.key, p);
    }
    for (const h of p.heuristics ?? []) {
      let hs = tables.heuristics.get(h.table);
      if (hs === undefined) tables.heuristics.set(h.table, (hs = []));
      hs.push({ proto: p, h });
    }
  }
  return build(protocols, fields, tables);
}
