/**
 * The values a compiled filter reads from one packet, looked up once per packet and only when
 * a test needs them (`tcp && tcp.port == 80` reads no port of a UDP packet). One walk over the
 * packet's recorded fields fills every field the filter names; a packet whose layer and field
 * objects are reused (`fixedLayers`) is walked once per shape, and then read field by field.
 */
import type { DissectedPacket, FieldNode, FieldValue, LayerNode } from '../dissect/tree.js';
import type { FieldRef, FilterType } from './fields.js';
import { readSeconds, toFilterValue, type Value } from './values.js';

/** One thing the filter reads: a field (optionally in the Nth layer of its protocol). */
export interface Source {
  readonly ref: FieldRef;
  /** `field#N`: only values in the Nth layer of `ref.protocol` (1-based); 0 for all. */
  readonly layer: number;
}

const NONE: readonly Value[] = Object.freeze([]) as readonly Value[];
const NS = 1_000_000_000n;

/**
 * A field of a fixed-layer packet (`DissectedPacket.fixedLayers`) that can read its value in
 * filter form straight from the frame's bytes, skipping its display value (an IPv4 address as a
 * number rather than text to parse back).
 */
export interface DirectField extends FieldNode {
  /** A reader of the value as filter type `type` from the frame's bytes, or undefined when there is none for that type. */
  directReader(type: FilterType): ((d: Uint8Array) => Value) | undefined;
}

function isDirect(f: FieldNode): f is DirectField {
  return typeof (f as Partial<DirectField>).directReader === 'function';
}

/** How one slot's values come from the fields of a fixed-layer packet shape. */
interface Feed {
  readonly fields: readonly FieldNode[];
  /** Per field: its direct reader, or undefined (convert its value). */
  readonly readers: readonly (((d: Uint8Array) => Value) | undefined)[];
  /** The list handed out for each packet of the shape, written over every time. */
  readonly out: Value[];
}

/** Per key slot: its feed in one fixed-layer shape (undefined: no field of the shape feeds it). */
type ShapePlan = readonly (Feed | undefined)[];

/** Fixed-layer shapes remembered (a run over several files meets new objects in each); past this, the oldest is forgotten. */
const MAX_SHAPES = 32;

export class PacketValues {
  private readonly sources: readonly Source[];
  /** Recorded field key → the slots that read it. */
  private readonly byKey = new Map<string, number[]>();
  private readonly keySlots: number[] = [];
  private readonly usesLayers: boolean;
  private readonly cache: (readonly Value[])[];
  /** A slot's cached values are the current packet's when its stamp is `packetStamp`. */
  private readonly stamps: Int32Array;
  private packetStamp = 1;
  private keysFilled = false;
  private packet: DissectedPacket | undefined;
  /** Fixed-layer shapes seen: their `layers` arrays and plans, in the same order. */
  private readonly shapeLayers: (readonly LayerNode[])[] = [];
  private readonly shapePlans: ShapePlan[] = [];
  /** Where the next shape is remembered once `MAX_SHAPES` are. */
  private nextShape = 0;

  constructor(sources: readonly Source[]) {
    this.sources = sources;
    this.cache = sources.map(() => NONE);
    this.stamps = new Int32Array(sources.length);
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
    if (++this.packetStamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.packetStamp = 1;
    }
  }

  /** The values of source `slot` in the current packet, in filter form. */
  get(slot: number): readonly Value[] {
    if (this.stamps[slot] === this.packetStamp) return this.cache[slot]!;
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
    this.stamps[slot] = this.packetStamp;
    return out;
  }

  /** Per source: the values found in this packet (a new array once one is found). */
  private readonly lists: (Value[] | undefined)[] = [];
  /** Per source, while a shape is planned: the fields that feed it. */
  private feeders: (FieldNode[] | undefined)[] | undefined;
  private counts: Map<string, number> | undefined;

  private fillKeys(p: DissectedPacket): void {
    if (this.keysFilled) return;
    this.keysFilled = true;
    if (p.fixedLayers === true) return this.fillFixed(p, this.shapePlan(p));
    const lists = this.lists;
    // A fresh list per source that finds values (emptying one with `length = 0` calls into the runtime).
    for (const slot of this.keySlots) lists[slot] = undefined;
    this.walk(p);
    for (const slot of this.keySlots) {
      this.cache[slot] = lists[slot] ?? NONE;
      this.stamps[slot] = this.packetStamp;
    }
  }

  private walk(p: DissectedPacket): void {
    if (this.usesLayers) (this.counts ??= new Map()).clear();
    if (p.frameFields.length > 0) this.visit(p.frameFields, 'frame', 1);
    const layers = p.layers;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i]!;
      let ordinal = 0;
      if (this.counts !== undefined) this.counts.set(l.protocol, (ordinal = (this.counts.get(l.protocol) ?? 0) + 1));
      if (l.fields.length > 0) this.visit(l.fields, l.protocol, ordinal);
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
          if (this.feeders !== undefined) (this.feeders[slot] ??= []).push(f);
          else {
            const v = toFilterValue(s.ref.type, f.value, s.ref.decl);
            if (v !== undefined) (this.lists[slot] ??= []).push(v);
          }
        }
      }
      if (f.children !== undefined && f.children.length > 0) this.visit(f.children, protocol, ordinal);
    }
  }

  /** The plan of a fixed-layer packet's shape, made when the shape is first seen. */
  private shapePlan(p: DissectedPacket): ShapePlan {
    const layers = p.layers;
    const known = this.shapeLayers;
    for (let i = 0; i < known.length; i++) if (known[i] === layers) return this.shapePlans[i]!;
    // The fields a walk of this shape reaches, per slot, in the walk's order.
    this.feeders = [];
    this.walk(p);
    const feeders = this.feeders;
    this.feeders = undefined;
    const plan = this.sources.map((s, slot): Feed | undefined => {
      const fields = feeders[slot];
      if (fields === undefined) return undefined;
      return { fields, readers: fields.map((f) => (isDirect(f) ? f.directReader(s.ref.type) : undefined)), out: fields.map(() => NONE as unknown as Value) };
    });
    const at = known.length < MAX_SHAPES ? known.length : this.nextShape++ % MAX_SHAPES;
    known[at] = layers;
    this.shapePlans[at] = plan;
    return plan;
  }

  /** Fills the key slots of a fixed-layer packet from its shape's plan: no walk, no new lists. */
  private fillFixed(p: DissectedPacket, plan: ShapePlan): void {
    const d = p.frame.data;
    const keySlots = this.keySlots;
    for (let k = 0; k < keySlots.length; k++) {
      const slot = keySlots[k]!;
      const feed = plan[slot];
      let values: readonly Value[] = NONE;
      if (feed !== undefined) {
        const s = this.sources[slot]!;
        const out = feed.out;
        for (let i = 0; i < out.length; i++) {
          const v = feedValue(feed, i, s, d);
          if (v === undefined) {
            values = this.someValues(feed, s, d);
            break;
          }
          out[i] = v;
          values = out;
        }
      }
      this.cache[slot] = values;
      this.stamps[slot] = this.packetStamp;
    }
  }

  /** A feed's values when some field has none in filter form (left out, as the walk leaves it out). */
  private someValues(feed: Feed, s: Source, d: Uint8Array): readonly Value[] {
    const list: Value[] = [];
    for (let i = 0; i < feed.fields.length; i++) {
      const v = feedValue(feed, i, s, d);
      if (v !== undefined) list.push(v);
    }
    return list.length > 0 ? list : NONE;
  }
}

/** The value of a feed's field `i` in filter form, for source `s`, in the frame's bytes `d`. */
function feedValue(feed: Feed, i: number, s: Source, d: Uint8Array): Value | undefined {
  const read = feed.readers[i];
  return read !== undefined ? read(d) : toFilterValue(s.ref.type, feed.fields[i]!.value, s.ref.decl);
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
