/**
 * How a protocol is declared: its id and names, the fields it records (each declared once),
 * the dispatch-table entries that lead to it, optional heuristics, and a `dissect` function
 * that reads through the cursor and returns what comes next as data (it never calls the next
 * protocol itself).
 */
import type { Cursor } from './cursor.js';
import type { FieldTable } from './field-types.js';

/** Dispatch table names follow Wireshark's (`ethertype`, `ip.proto`, `udp.port`, ...). */
export type TableName = string;

export interface Binding {
  readonly table: TableName;
  readonly key: number;
}

export interface Heuristic {
  readonly table: TableName;
  /** Cheap check of the bytes at `offset` (captured bytes end at `end`). */
  readonly test: (data: Uint8Array, offset: number, end: number) => boolean;
}

/** What comes after a layer: a table lookup (keys tried in order, then heuristics), or a protocol by id. */
export type Next =
  | {
      readonly table: TableName;
      readonly keys: readonly number[];
      readonly ctx?: Readonly<Record<string, unknown>>;
      /** Tried when neither the keys nor the table's heuristics find a protocol (`gre.proto`, then `ethertype`). */
      readonly fallback?: Next;
      /** As below: dispatch even when no bytes are left. */
      readonly empty?: boolean;
    }
  | {
      readonly protocol: string;
      readonly ctx?: Readonly<Record<string, unknown>>;
      /**
       * Dispatch even when no bytes are left: a message whose body is empty still gets its layer
       * (tshark calls an RPC program's dissector with an empty buffer for a NULL procedure).
       */
      readonly empty?: boolean;
    };

export interface DissectResult {
  /**
   * One line for the packet list's Info column and titles. A function is called only if the
   * summary is read (most are not): it must use values already read, never the cursor.
   */
  readonly summary?: string | (() => string) | undefined;
  /** Column name when it differs from the protocol's short name (`TLSv1.3`). */
  readonly name?: string | undefined;
  readonly info?: Readonly<Record<string, unknown>> | undefined;
  readonly next?: Next | undefined;
  /**
   * "These bytes are not mine: dissect them as this protocol instead" (an IPv6 packet where the
   * link said IPv4). The layer is dropped and the named protocol starts at the same offset.
   */
  readonly handoff?: string | undefined;
  /** Where the carried payload starts (default: the cursor position when dissect returns). */
  readonly payloadOffset?: number | undefined;
}

export interface ProtocolDef {
  /** Wireshark's protocol id (display-filter abbreviation): `eth`, `ip`, `udp`. */
  readonly id: string;
  /** Full name: `User Datagram Protocol`. */
  readonly name: string;
  /** Short name for the Protocol column: `UDP`. */
  readonly short: string;
  readonly fields: FieldTable;
  readonly bindings?: readonly Binding[];
  readonly heuristics?: readonly Heuristic[];
  /**
   * Part of a chain of headers rather than a new encapsulation (IPv6 extension headers, VLAN
   * tags, MPLS labels): such layers do not count toward the encapsulation depth limit.
   */
  readonly chained?: boolean;
  /**
   * An application protocol: nothing it carries is dissected into lower-layer fields, so a
   * `select`-mode run that wants none of the application fields can stop before it.
   */
  readonly leaf?: boolean;
  /** Reads the layer through the cursor and says what comes next (see DissectResult). */
  dissect(c: Cursor): DissectResult | void;
}

/** Declares a protocol (an identity function that gives protocol files one typed shape). */
export function defineProtocol(p: ProtocolDef): ProtocolDef {
  return p;
}

/**
 * The hand-off to `table` under one 16-bit key, made once per key and shared: link and network
 * layers name their next protocol for every packet, so they do not build a new object each time.
 */
export function keyedNext(table: TableName): (key: number) => Next {
  const made: (Next | undefined)[] = [];
  return (key) => {
    if (key < 0 || key > 0xffff || !Number.isInteger(key)) return { table, keys: [key] };
    return (made[key] ??= Object.freeze({ table, keys: Object.freeze([key]) }));
  };
}
