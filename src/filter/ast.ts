/**
 * The tree the display-filter grammar builds (`grammar.peggy`). It records only the shape of
 * the filter: whether a word is a field or a value, and what a value means, is decided by the
 * type checker (`compile.ts`) against the field registry, as Wireshark decides it.
 */

/** Offsets into the filter text, end exclusive (for error carets). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Wireshark 4 comparison operators: `==` any equal, `!=` all not equal, `===` all equal, `~=` any not equal. */
export type CompareOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le';

/** One range of a slice: `[from:length]`, `[from-to]` (inclusive), `[from:]` (length null, to null). */
export interface SliceRange {
  readonly from: number;
  readonly length: number | null;
  readonly to: number | null;
}

export type ValueNode =
  /** A bare word: a field or protocol name, or an unquoted value (`80`, `10.0.0.0/8`, `aa:bb`, `GET`). */
  | { readonly kind: 'word'; readonly text: string; readonly loc: Span }
  /** A quoted string (escapes already applied, as bytes) or a raw string `r"..."`. */
  | { readonly kind: 'string'; readonly raw: boolean; readonly bytes: readonly number[]; readonly loc: Span }
  /** A character constant `'a'`, `'\x41'`: an integer. */
  | { readonly kind: 'char'; readonly code: number; readonly loc: Span }
  /** `field#N`: the field's values in the Nth layer of its protocol. */
  | { readonly kind: 'layer'; readonly value: ValueNode; readonly layer: number; readonly loc: Span }
  /** `field[ranges]`: the bytes of each value. */
  | { readonly kind: 'slice'; readonly value: ValueNode; readonly ranges: readonly SliceRange[]; readonly loc: Span }
  /** `a & b`. */
  | { readonly kind: 'bitand'; readonly left: ValueNode; readonly right: ValueNode; readonly loc: Span }
  /** `len(x)`, `count(x)`, `upper(x)`, `lower(x)`. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ValueNode[]; readonly loc: Span };

export interface SetElement {
  readonly low: ValueNode;
  /** The upper end of a range `low..high`, or null for a single value. */
  readonly high: ValueNode | null;
  readonly loc: Span;
}

export type ExprNode =
  | { readonly kind: 'and' | 'or'; readonly left: ExprNode; readonly right: ExprNode; readonly loc: Span; readonly opLoc: Span }
  | { readonly kind: 'not'; readonly expr: ExprNode; readonly loc: Span }
  /** A value on its own: a field or protocol is present; `a & b` is not zero. */
  | { readonly kind: 'test'; readonly value: ValueNode; readonly loc: Span }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly opLoc: Span; readonly left: ValueNode; readonly right: ValueNode; readonly loc: Span }
  | { readonly kind: 'contains' | 'matches'; readonly opLoc: Span; readonly left: ValueNode; readonly right: ValueNode; readonly loc: Span }
  | { readonly kind: 'in'; readonly negated: boolean; readonly value: ValueNode; readonly set: readonly SetElement[]; readonly loc: Span };
