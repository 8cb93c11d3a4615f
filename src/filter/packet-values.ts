/**
 * The values a compiled filter reads from one packet, looked up once per packet and only when
 * a test needs them (`tcp && tcp.port == 80` reads no port of a UDP packet). One walk over the
 * packet's recorded fields fills every field the filter names.
 */
import type { DissectedPacket, FieldNode, FieldValue } from '../dissect/tree.js';
import type { FieldRef } from './fields.js';
import { readSeconds, toFilterValue, type Value } from './values.js';

/** One thing the filter reads: a field (optionally in the Nth layer of its protocol). */
export interface Source {
  readonly ref: FieldRef;
  /** `field#N`: only values in the Nth layer of `ref.protocol` (1-based); 0 for all. */
  readonly layer: number;
}

const NONE: readonly Value[] = Object.freeze([]) as readonly Value[];
const NS = 1_000_000_000n;

export class PacketValues {
  private readonly sources: readonly Source[];
  /** Recorded field key → the slots that read it. */
  private readonly byKey = new Map<string, number[]>();
  private readonly keySlots: number[] = [];
  private readonly usesLayers: boolean;
  private readonly cache: (readonly Value[])[];
  private readonly filled: boolean[];
  private keysFilled = false;
  private packet: DissectedPacket | undefined;

  constructor(sources: readonly Source[]) {
    this.sources = sources;
    this.cache = sources.map(() => NONE);
    this.filled = sources.map(() => false);
    sources.forEach((s, slot) => {
      if (s.ref.source.kind !== 'keys') return;
      this.keySlots.push(slot);
      for (const k of s.ref.source.keys) {
        let list = this.byKey.get(k);
        if (list === undefined) this.byKey.set(k, (list = []));
        list.push(slot);
      }
    });
    this.usesLayers = sources.some((s) => s.layer > 0);
  }

  /** Starts a packet (forgets the values of the last one). */
  reset(p: DissectedPacket): void {
    this.packet = p;
    this.keysFilled = false;
    this.filled.fill(false);
  }

  /** The values of source `slot` in the current packet, in filter form. */
  get(slot: number): readonly Value[] {
    if (this.filled[slot]) return this.cache[slot]!;
    const s = this.sources[slot]!;
    const p = this.packet!;
    let out: readonly Value[];
    switch (s.ref.source.kind) {
      case 'keys':
        this.fillKeys(p);
        return this.cache[slot]!;
      case 'protocol':
        out = protocolValues(p, s.ref.source.id, s.layer);
        break;
      case 'frame':
        out = s.layer > 1 ? NONE : frameValues(p, s.ref.source.name);
        break;
    }
    this.cache[slot] = out;
    this.filled[slot] = true;
    return out;
  }

  /** Per source: the values found in this packet (a new array once one is found). */
  private readonly lists: (Value[] | undefined)[] = [];
  private counts: Map<string, number> | undefined;

  private fillKeys(p: DissectedPacket): void {
    if (this.keysFilled) return;
    this.keysFilled = true;
    const lists = this.lists;
    // A fresh list per source that finds values (emptying one with `length = 0` calls into the runtime).
    for (const slot of this.keySlots) lists[slot] = undefined;
    if (this.usesLayers) (this.counts ??= new Map()).clear();
    if (p.frameFields.length > 0) this.visit(p.frameFields, 'frame', 1);
    const layers = p.layers;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i]!;
      let ordinal = 0;
      if (this.counts !== undefined) this.counts.set(l.protocol, (ordinal = (this.counts.get(l.protocol) ?? 0) + 1));
      if (l.fields.length > 0) this.visit(l.fields, l.protocol, ordinal);
    }
    for (const slot of this.keySlots) {
      this.cache[slot] = lists[slot] ?? NONE;
      this.filled[slot] = true;
    }
  }

  private visit(fields: readonly FieldNode[], protocol: string, ordinal: number): void {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const slots = this.byKey.get(f.key);
      if (slots !== undefined) {
        for (let j = 0; j < slots.length; j++) {
          const slot = slots[j]!;
          const s = this.sources[slot]!;
          if (s.layer > 0 && (protocol !== s.ref.protocol || ordinal !== s.layer)) continue;
          const v = toFilterValue(s.ref.type, f.value, s.ref.decl);
          if (v !== undefined) (this.lists[slot] ??= []).push(v);
        }
      }
      if (f.children !== undefined && f.children.length > 0) this.visit(f.children, protocol, ordinal);
    }
  }
}

/** The bytes of each layer of a protocol (the whole frame for `frame`). */
function protocolValues(p: DissectedPacket, id: string, layer: number): readonly Value[] {
  const data = p.frame.data;
  if (id === 'frame') return layer > 1 ? NONE : [data];
  let out: Value[] | undefined;
  let n = 0;
  for (const l of p.layers) {
    if (l.protocol !== id) continue;
    n++;
    if (layer > 0 && n !== layer) continue;
    (out ??= []).push(data.subarray(l.offset, Math.min(l.offset + l.length, data.length)));
  }
  return out ?? NONE;
}

function generated(p: DissectedPacket, key: string): FieldValue | undefined {
  for (const f of p.frameFields) if (f.key === key) return f.value;
  return undefined;
}

function frameValues(p: DissectedPacket, name: string): readonly Value[] {
  const f = p.frame;
  switch (name) {
    case 'frame.number':
      return [f.index];
    case 'frame.len':
      return [f.origLen];
    case 'frame.cap_len':
      return [f.capLen];
    case 'frame.interface_id':
      return f.kind === 'packet' ? [f.iface] : NONE;
    case 'frame.time':
      return f.hasTimestamp ? [BigInt(f.tsSec) * NS + BigInt(f.tsNsec)] : NONE;
    case 'frame.time_epoch':
      return f.hasTimestamp ? [BigInt(f.tsSec) * NS + BigInt(f.tsNsec)] : NONE;
    case 'frame.marked':
    case 'frame.ignored':
      return [false];
    case 'frame.time_relative':
    case 'frame.time_delta': {
      const v = generated(p, name);
      const ns = typeof v === 'string' ? readSeconds(v) : undefined;
      return ns === undefined ? NONE : [ns];
    }
    case 'frame.protocols': {
      const v = generated(p, name);
      return typeof v === 'string' ? [v] : NONE;
    }
    case 'frame.comment': {
      const out: Value[] = [];
      for (const x of p.frameFields) if (x.key === name && typeof x.value === 'string') out.push(x.value);
      if (out.length === 0) for (const c of f.comments ?? []) out.push(c);
      return out;
    }
    default:
      return NONE;
  }
}
