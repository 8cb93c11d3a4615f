/**
 * The dissected packet: what every analyser and renderer consumes. A frame becomes layers;
 * each layer has fields; every field knows the exact bytes (and bits) it came from.
 */
import type { Frame } from '../capture/frame.js';

export type FieldValue = number | bigint | string | boolean | Uint8Array;

export interface FieldNode {
  /** Wireshark display-filter key, e.g. `udp.srcport`. */
  readonly key: string;
  readonly label: string;
  /** Absolute byte offset in the frame (not layer-relative). */
  readonly offset: number;
  /** Bytes covered; 0 for generated values not tied to bytes. */
  readonly length: number;
  /** For sub-byte fields: bit offset (from the most significant bit of the first byte) and bit count. */
  readonly bits: { readonly offset: number; readonly length: number } | undefined;
  readonly value: FieldValue;
  /** The tree line, e.g. `Source Port: 53`. */
  readonly display: string;
  /** Computed, not read off the wire (checksum status, lengths derived from others). */
  readonly generated: boolean;
  readonly children: readonly FieldNode[] | undefined;
}

export type IssueKind = 'truncated' | 'malformed' | 'expert' | 'dissector-bug';
export type IssueSeverity = 'error' | 'warning' | 'note' | 'chat';

export interface Issue {
  readonly kind: IssueKind;
  readonly severity: IssueSeverity;
  /** Absolute byte offset the issue concerns. */
  readonly offset: number;
  readonly fieldKey: string | undefined;
  readonly message: string;
}

export interface LayerNode {
  /** Wireshark protocol id: `eth`, `ip`, `tcp`, `data`, ... */
  readonly protocol: string;
  /** Short name for tables (`TCP`, `DNS`, `TLSv1.3`). */
  readonly name: string;
  readonly offset: number;
  /** Bytes of this layer's own header (the rest of `length` is what it carries). */
  readonly headerLength: number;
  /** Bytes from `offset` to the end of what this layer covers (its payload included). */
  readonly length: number;
  /** One line for tables and PDF titles (empty when summaries were not asked for). */
  readonly summary: string;
  /** Typed per protocol; what analysers read. */
  readonly info: Readonly<Record<string, unknown>>;
  /** Empty in summary mode. */
  readonly fields: readonly FieldNode[];
  readonly issues: readonly Issue[];
  /** Inside the packet quoted by an ICMP/ICMPv6 error: not part of this packet's own conversation. */
  readonly inError: boolean;
}

export interface DissectedPacket {
  readonly frame: Frame;
  /** frame.* fields (number, lengths, times, protocols): generated, tied to no bytes. */
  readonly frameFields: readonly FieldNode[];
  readonly layers: readonly LayerNode[];
  /**
   * Set on packets that a reader hands out again for the next frame of the same shape (header
   * packets): the same `layers` array, layer and field objects, only their places and values
   * changed. A consumer may index such a packet's fields once per `layers` array.
   */
  readonly fixedLayers?: boolean;
}

/** Derived status of a layer: the worst of its issues. */
export function layerStatus(l: LayerNode): 'ok' | 'truncated' | 'malformed' | 'bug' {
  let s: 'ok' | 'truncated' | 'malformed' | 'bug' = 'ok';
  for (const i of l.issues) {
    if (i.kind === 'dissector-bug') return 'bug';
    if (i.kind === 'malformed') s = 'malformed';
    else if (i.kind === 'truncated' && s === 'ok') s = 'truncated';
  }
  return s;
}
