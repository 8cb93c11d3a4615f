/**
 * The driver: walks a frame through the dispatch tables, one layer at a time, turning the
 * cursor's signals into issues. Nothing escapes `dissect`: truncated and malformed layers are
 * marked, any other exception is recorded as a dissector bug (rethrown with `strict`), leftover
 * bytes become a `data` layer and bytes past the innermost length become a `padding` layer.
 */
import type { Frame } from '../capture/frame.js';
import { Cursor, DissectSignal, type DissectMode } from './cursor.js';
import type { Next, ProtocolDef } from './protocol.js';
import type { Registry } from './registry.js';
import type { DissectedPacket, FieldNode, Issue, LayerNode } from './tree.js';

export interface DissectOptions {
  /** `full`: every field (views); `summary`: none, only summaries and info (analysers); `select`: only `fields`. */
  readonly mode?: DissectMode;
  /** The field keys recorded in `select` mode. */
  readonly fields?: Iterable<string>;
  /** Build one-line summaries (default: true except in `select` mode). */
  readonly summaries?: boolean;
  /** Most layers of encapsulation followed (default 16). */
  readonly maxDepth?: number;
  /** Rethrow dissector bugs instead of recording them (tests). */
  readonly strict?: boolean;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
/** Layers of any kind in one packet, chained headers included: a bound on work per packet. */
const MAX_LAYERS = 128;
const NO_FIELDS: readonly FieldNode[] = Object.freeze([]);

export class Dissector {
  readonly registry: Registry;
  private readonly cursor: Cursor;
  private readonly maxDepth: number;
  private readonly strict: boolean;
  private readonly mode: DissectMode;
  private readonly wanted: ReadonlySet<string> | undefined;
  private readonly dataProto: ProtocolDef;
  private readonly paddingProto: ProtocolDef;
  private firstTs: [number, number] | undefined;
  private prevTs: [number, number] | undefined;

  constructor(registry: Registry, options: DissectOptions = {}) {
    this.registry = registry;
    this.mode = options.mode ?? 'full';
    this.wanted = this.mode === 'select' ? new Set(options.fields ?? []) : undefined;
    this.maxDepth = options.maxDepth ?? 16;
    this.strict = options.strict ?? false;
    const summaries = options.summaries ?? this.mode !== 'select';
    this.cursor = new Cursor(registry.fields, this.mode, this.wanted, summaries, this.strict);
    const data = registry.protocols.get('data');
    const padding = registry.protocols.get('padding');
    if (data === undefined || padding === undefined) throw new Error('the registry needs the data and padding protocols');
    this.dataProto = data;
    this.paddingProto = padding;
  }

  dissect(frame: Frame): DissectedPacket {
    const c = this.cursor;
    const data = frame.data;
    c.resetFrame(data);
    const layers: LayerNode[] = [];
    const captured = data.length;
    let pos = 0;
    let capEnd = captured;
    let repEnd = Math.max(frame.origLen, captured);
    let ctx = EMPTY;
    let next: Next | undefined = frame.kind === 'custom' ? { protocol: 'data' } : { table: 'linktype', keys: [frame.linkType] };
    let depth = 0;
    while (next !== undefined) {
      const proto = this.registry.resolve(next, data, pos, capEnd);
      if (proto === undefined || proto === this.dataProto) break;
      if (depth >= this.maxDepth || layers.length >= MAX_LAYERS) {
        const last = layers[layers.length - 1];
        const why = depth >= this.maxDepth ? `more than ${this.maxDepth} layers of encapsulation` : `more than ${MAX_LAYERS} headers`;
        if (last) (last.issues as Issue[]).push({ kind: 'expert', severity: 'warning', offset: pos, fieldKey: undefined, message: `${why}; the rest is not dissected` });
        break;
      }
      if (proto.chained !== true) depth++;
      if (next.ctx !== undefined) ctx = { ...ctx, ...next.ctx };
      const fields = c.beginLayer(pos, capEnd, repEnd, ctx, layers);
      let result;
      let stopped = false;
      try {
        result = proto.dissect(c) ?? {};
      } catch (e) {
        stopped = true;
        result = {};
        if (e instanceof DissectSignal) {
          c.issues.push({
            kind: e.kind,
            severity: e.kind === 'malformed' ? 'error' : 'note',
            offset: e.offset,
            fieldKey: e.fieldKey,
            message: e.message,
          });
        } else if (this.strict) {
          throw e;
        } else {
          c.issues.push({ kind: 'dissector-bug', severity: 'error', offset: c.pos, fieldKey: undefined, message: `${proto.id}: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
      if (!stopped && result.handoff !== undefined) {
        next = { protocol: result.handoff, ctx: { handedOffFrom: proto.id } };
        continue;
      }
      const layerEnd = Math.min(c.repEnd, c.capEnd);
      const payload = stopped ? layerEnd : Math.min(Math.max(result.payloadOffset ?? c.pos, pos), layerEnd);
      layers.push({
        protocol: proto.id,
        name: result.name ?? proto.short,
        offset: pos,
        headerLength: payload - pos,
        length: layerEnd - pos,
        summary: result.summary ?? '',
        info: result.info ?? EMPTY,
        fields: this.mode === 'summary' ? NO_FIELDS : fields,
        issues: c.issues,
        inError: ctx['inError'] === true,
      });
      ctx = c.ctx;
      pos = payload;
      capEnd = c.capEnd;
      repEnd = c.repEnd;
      next = stopped ? undefined : result.next;
      // Nothing left, even as the packet reports it: no next layer. (Captured bytes may have run
      // out while the packet says more follows; then the next layer is tried and is truncated.)
      if (pos >= repEnd) break;
    }
    const innerEnd = Math.min(capEnd, repEnd);
    if (pos < innerEnd) layers.push(this.leftover(this.dataProto, pos, innerEnd, repEnd, layers));
    const end = Math.max(innerEnd, pos);
    if (end < captured) layers.push(this.leftover(this.paddingProto, end, captured, captured, layers));
    return { frame, frameFields: this.frameFields(frame, layers), layers };
  }

  /** A `data` or `padding` layer over bytes no dissector claimed. */
  private leftover(proto: ProtocolDef, from: number, to: number, repEnd: number, layers: LayerNode[]): LayerNode {
    const c = this.cursor;
    const fields = c.beginLayer(from, to, Math.max(to, repEnd), EMPTY, layers);
    let result;
    try {
      result = proto.dissect(c) ?? {};
    } catch (e) {
      if (this.strict || !(e instanceof DissectSignal)) throw e;
      result = {};
    }
    return {
      protocol: proto.id,
      name: result.name ?? proto.short,
      offset: from,
      headerLength: to - from,
      length: to - from,
      summary: result.summary ?? '',
      info: result.info ?? EMPTY,
      fields: this.mode === 'summary' ? NO_FIELDS : fields,
      issues: c.issues,
      inError: layers.some((l) => l.inError),
    };
  }

  /** frame.* fields: number, lengths, times (as tshark prints them), interface. */
  private frameFields(frame: Frame, layers: readonly LayerNode[]): readonly FieldNode[] {
    const ts: [number, number] | undefined = frame.hasTimestamp ? [frame.tsSec, frame.tsNsec] : undefined;
    if (ts && this.firstTs === undefined) this.firstTs = ts;
    const prev = this.prevTs;
    if (ts) this.prevTs = ts;
    if (this.mode === 'summary') return NO_FIELDS;
    const out: FieldNode[] = [];
    const add = (key: string, label: string, value: FieldNode['value'], display = `${label}: ${String(value)}`): void => {
      if (this.wanted !== undefined && !this.wanted.has(key)) return;
      out.push({ key, label, offset: 0, length: 0, bits: undefined, value, display, generated: true, children: undefined });
    };
    add('frame.number', 'Frame Number', frame.index);
    add('frame.len', 'Frame Length', frame.origLen, `Frame Length: ${frame.origLen} bytes`);
    add('frame.cap_len', 'Capture Length', frame.capLen, `Capture Length: ${frame.capLen} bytes`);
    if (frame.iface >= 0 && frame.kind === 'packet') add('frame.interface_id', 'Interface id', frame.iface);
    if (ts) {
      add('frame.time_epoch', 'Epoch Time', epochText(ts[0], ts[1]), `Epoch Time: ${epochText(ts[0], ts[1])} seconds`);
      const first = this.firstTs ?? ts;
      add('frame.time_relative', 'Time since reference or first frame', diffText(ts, first));
      add('frame.time_delta', 'Time delta from previous captured frame', diffText(ts, prev ?? ts));
    }
    if (this.wanted === undefined || this.wanted.has('frame.protocols')) {
      add('frame.protocols', 'Protocols in frame', layers.filter((l) => l.protocol !== 'padding').map((l) => l.protocol).join(':'));
    }
    for (const comment of frame.comments ?? []) add('frame.comment', 'Comment', comment);
    return out;
  }
}

function epochText(sec: number, nsec: number): string {
  const ns = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
  return nsText(ns);
}

function diffText(a: [number, number], b: [number, number]): string {
  const ns = (BigInt(a[0]) - BigInt(b[0])) * 1_000_000_000n + BigInt(a[1] - b[1]);
  return nsText(ns);
}

function nsText(ns: bigint): string {
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  return `${neg ? '-' : ''}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
}

/** Dissects one frame with a fresh dissector (convenient; a long-lived `Dissector` is faster). */
export function dissectPacket(frame: Frame, registry: Registry, options: DissectOptions = {}): DissectedPacket {
  return new Dissector(registry, options).dissect(frame);
}
