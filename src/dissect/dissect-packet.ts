/**
 * The driver: walks a frame through the dispatch tables, one layer at a time, turning the
 * cursor's signals into issues. Nothing escapes `dissect`: truncated and malformed layers are
 * marked, any other exception is recorded as a dissector bug (rethrown with `strict`), leftover
 * bytes become a `data` layer and bytes past the innermost length become a `padding` layer.
 */
import type { Frame, TimeReference } from '../capture/frame.js';
import { Cursor, DissectSignal, type DissectMode } from './cursor.js';
import type { KeyLog } from './keylog.js';
import type { DissectResult, Next, ProtocolDef } from './protocol.js';
import { analyzeSegment, connectionSides, type SegmentAnalysis, type SegmentHeader } from './protocols/tcp-sequence.js';
import { udpByPortsOnly } from './protocols/udp.js';
import type { Registry } from './registry.js';
import type { DissectedPacket, FieldNode, Issue, LayerNode } from './tree.js';

export interface DissectOptions {
  /** `full`: every field (views); `summary`: none, only summaries and info (analysers); `select`: only `fields`. */
  readonly mode?: DissectMode;
  /** The field keys recorded in `select` mode. */
  readonly fields?: Iterable<string>;
  /**
   * Protocols whose layers a `select`-mode run needs even when it records none of their fields
   * (a display filter that names them): application layers are not skipped for them, and
   * `data` or `padding` layers are built when named.
   */
  readonly protocols?: Iterable<string>;
  /**
   * In `summary` mode, stop before application layers (`leaf` protocols): for readers of link,
   * network and transport layers only (some `stats` tables). TCP analysis still runs; bytes past
   * the last layer read get no `data` or `padding` layer.
   */
  readonly skipApplication?: boolean;
  /** Build one-line summaries (default: true except in `select` mode). */
  readonly summaries?: boolean;
  /** Most layers of encapsulation followed (default 16). */
  readonly maxDepth?: number;
  /**
   * Most TCP connections whose analysis state is kept at once (default and ceiling 300,000,
   * `MAX_TCP_CONNECTIONS`; floor 1,000); the oldest are forgotten past it. `stats` passes its
   * --max-flows.
   */
  readonly maxTcpConnections?: number;
  /** Rethrow dissector bugs instead of recording them (tests). */
  readonly strict?: boolean;
  /** TLS secrets for this capture (a key log file, the capture's secrets blocks): QUIC decryption. */
  readonly keyLog?: KeyLog | undefined;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** A layer whose summary is built on first read (most summaries are never read). */
class Layer implements LayerNode {
  readonly protocol: string;
  readonly name: string;
  readonly offset: number;
  readonly headerLength: number;
  readonly length: number;
  readonly info: Readonly<Record<string, unknown>>;
  readonly fields: readonly FieldNode[];
  issues: readonly Issue[];
  readonly inError: boolean;
  private text: string | (() => string);

  /** Adds an issue after the fact (the driver's depth limit). */
  addIssue(i: Issue): void {
    this.issues = [...this.issues, i];
  }

  constructor(
    protocol: string,
    name: string,
    offset: number,
    headerLength: number,
    length: number,
    summary: string | (() => string) | undefined,
    info: Readonly<Record<string, unknown>> | undefined,
    fields: readonly FieldNode[],
    issues: readonly Issue[],
    inError: boolean,
  ) {
    this.protocol = protocol;
    this.name = name;
    this.offset = offset;
    this.headerLength = headerLength;
    this.length = length;
    this.text = summary ?? '';
    this.info = info ?? EMPTY;
    this.fields = fields;
    this.issues = issues;
    this.inError = inError;
  }

  get summary(): string {
    if (typeof this.text !== 'string') this.text = this.text();
    return this.text;
  }

  toJSON(): Record<string, unknown> {
    return { protocol: this.protocol, name: this.name, offset: this.offset, headerLength: this.headerLength, length: this.length, summary: this.summary, info: this.info, fields: this.fields, issues: this.issues, inError: this.inError };
  }
}
const CUSTOM_NEXT: Next = { protocol: 'data' };
/** Fields that come from TCP sequence analysis (it runs only when one is wanted, or for views). */
const ANALYSIS_FIELDS = /^tcp\.(stream|analysis|seq$|ack$|nxtseq$|window_size$|window_size_scalefactor$)/;
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
  private readonly wantsFrameFields: boolean;
  private readonly skipLeaves: boolean;
  private readonly wantsLeftover: boolean;
  private readonly dataProto: ProtocolDef;
  private readonly paddingProto: ProtocolDef;
  private firstTs: [number, number] | undefined;
  private prevTs: [number, number] | undefined;

  constructor(registry: Registry, options: DissectOptions = {}) {
    this.registry = registry;
    this.mode = options.mode ?? 'full';
    this.wanted = this.mode === 'select' ? new Set(options.fields ?? []) : undefined;
    this.wantsFrameFields = this.wanted === undefined || [...this.wanted].some((k) => k.startsWith('frame.'));
    this.maxDepth = options.maxDepth ?? 16;
    this.strict = options.strict ?? false;
    const summaries = options.summaries ?? this.mode !== 'select';
    this.cursor = new Cursor(registry.fields, this.mode, this.wanted, summaries, this.strict);
    this.cursor.keyLog = options.keyLog;
    this.cursor.maxTcpConnections = options.maxTcpConnections;
    // A select-mode run that wants no application field stops before application layers, and
    // needs TCP analysis only for the fields that come from it.
    const wanted = this.wanted;
    const layersWanted = new Set(options.protocols ?? []);
    this.skipLeaves =
      (this.mode === 'summary' && options.skipApplication === true) ||
      (wanted !== undefined &&
        !wanted.has('frame.protocols') &&
        ![...layersWanted].some((id) => registry.protocols.get(id)?.leaf === true) &&
        ![...wanted].some((k) => {
          const owner = registry.fields.get(k)?.protocol;
          return owner !== undefined && registry.protocols.get(owner)?.leaf === true;
        }));
    // Runs that stop before application layers in summary mode (transport-level tables) read
    // nothing above the transport layer, so no data or padding layer is built for them either.
    this.wantsLeftover =
      (wanted === undefined && !this.skipLeaves) ||
      layersWanted.has('data') ||
      layersWanted.has('padding') ||
      ['frame.protocols', 'data.', 'padding.', 'eth.padding', 'eth.trailer', 'eth.fcs'].some((p) => this.cursor.wantsAny(p));
    this.cursor.analysis = !this.skipLeaves || wanted === undefined || [...wanted].some((k) => ANALYSIS_FIELDS.test(k));
    this.cursor.infoWanted = this.mode !== 'select' || !this.skipLeaves || this.cursor.analysis;
    const data = registry.protocols.get('data');
    const padding = registry.protocols.get('padding');
    if (data === undefined || padding === undefined) throw new Error('the registry needs the data and padding protocols');
    this.dataProto = data;
    this.paddingProto = padding;
  }

  /**
   * Whether this dissector stops before application layers: a `select` run whose fields and
   * protocols all sit at the transport layer or below (or a summary run asked to stop there).
   */
  get stopsBeforeApplication(): boolean {
    return this.skipLeaves;
  }

  private readonly linkNexts = new Map<number, Next>();

  private lastLinkType = NaN;
  private lastLinkNext: Next | undefined;

  private linkNext(linkType: number): Next {
    if (linkType === this.lastLinkType) return this.lastLinkNext!;
    let n = this.linkNexts.get(linkType);
    if (n === undefined) this.linkNexts.set(linkType, (n = { table: 'linktype', keys: [linkType] }));
    this.lastLinkType = linkType;
    this.lastLinkNext = n;
    return n;
  }

  /**
   * Dissects one frame. `time` gives the capture's first and the previous timestamp when this
   * dissector does not see every frame (frames spread over threads); otherwise it keeps them.
   */
  dissect(frame: Frame, time?: TimeReference): DissectedPacket {
    const c = this.cursor;
    const data = frame.data;
    this.atFrame(frame);
    const layers: LayerNode[] = [];
    const captured = data.length;
    let pos = 0;
    let capEnd = captured;
    let repEnd = Math.max(frame.origLen, captured);
    let ctx = EMPTY;
    let next: Next | undefined = frame.kind === 'custom' ? CUSTOM_NEXT : this.linkNext(frame.linkType);
    let depth = 0;
    while (next !== undefined) {
      const proto = this.registry.resolve(next, data, pos, capEnd);
      if (proto === undefined || proto === this.dataProto || (this.skipLeaves && proto.leaf === true)) break;
      if (depth >= this.maxDepth || layers.length >= MAX_LAYERS) {
        this.tooDeep(layers, depth, pos);
        break;
      }
      if (proto.chained !== true) depth++;
      const adds = next.ctx;
      if (adds !== undefined) ctx = { ...ctx, ...adds };
      c.beginLayer(pos, capEnd, repEnd, ctx, layers);
      let result;
      let stopped = false;
      try {
        result = proto.dissect(c) ?? {};
        c.closeAll();
      } catch (e) {
        stopped = true;
        result = this.stopped(e, proto);
      }
      if (!stopped && result.handoff !== undefined) {
        next = { protocol: result.handoff, ctx: { handedOffFrom: proto.id } };
        continue;
      }
      const layerEnd = Math.min(c.repEnd, c.capEnd);
      const payload = stopped ? layerEnd : Math.min(Math.max(result.payloadOffset ?? c.pos, pos), layerEnd);
      layers.push(
        new Layer(
          proto.id,
          result.name ?? proto.short,
          pos,
          payload - pos,
          layerEnd - pos,
          result.summary,
          result.info,
          c.takeFields(),
          c.issues,
          ctx['inError'] === true,
        ),
      );
      ctx = c.ctx;
      pos = payload;
      capEnd = c.capEnd;
      repEnd = c.repEnd;
      next = stopped ? undefined : result.next;
      // Nothing left, even as the packet reports it: no next layer. (Captured bytes may have run
      // out while the packet says more follows; then the next layer is tried and is truncated.)
      if (pos >= repEnd && next?.empty !== true) break;
    }
    const innerEnd = Math.min(capEnd, repEnd);
    // A fields-only run builds the data and padding layers only when their fields are wanted.
    if (pos < innerEnd && this.wantsLeftover) layers.push(this.leftover(this.dataProto, pos, innerEnd, repEnd, layers));
    const end = Math.max(innerEnd, pos);
    if (end < captured && this.wantsLeftover) layers.push(this.leftover(this.paddingProto, end, captured, captured, layers));
    if (time !== undefined) {
      this.firstTs = [time.firstSec, time.firstNsec];
      this.prevTs = time.hasPrevious ? [time.prevSec, time.prevNsec] : undefined;
    }
    return { frame, frameFields: this.frameFields(frame, layers), layers };
  }

  /**
   * TCP sequence analysis of a segment that a fast path read from the frame's headers instead
   * of dissecting the frame: the connection state is the one the TCP dissector keeps, so frames
   * read either way may follow each other. `baseOnly`: only what numbering streams needs is kept
   * (see `analyzeSegment`). The answer is valid until the next segment.
   */
  tcpSegment(frame: Frame, h: SegmentHeader, baseOnly: boolean): SegmentAnalysis {
    this.atFrame(frame);
    return analyzeSegment(this.cursor, h.src, h.srcHash, h.sport, h.dst, h.dstHash, h.dport, h.seq, h.ack, h.flags, h.seglen, h.window, h.wsShift, h.sack, false, baseOnly);
  }

  /** Points the cursor at `frame` (its bytes, number and time). */
  private atFrame(frame: Frame): void {
    const c = this.cursor;
    c.resetFrame(frame.data, frame.hasTimestamp ? frame.tsSec + frame.tsNsec / 1e9 : 0, frame.index);
    c.tsSec = frame.hasTimestamp ? frame.tsSec : 0;
    c.tsNsec = frame.hasTimestamp ? frame.tsNsec : 0;
    c.linkType = frame.linkType;
  }

  /** The two sides of the tracked connection a segment would join (`connectionSides`); false when none is tracked. */
  tcpSides(h: SegmentHeader, sides: [object, object]): boolean {
    return connectionSides(this.cursor, h, sides);
  }

  /** Whether a plain UDP datagram's protocol would come from the `udp.port` table alone (`udpByPortsOnly`). */
  udpByPortsOnly(): boolean {
    return udpByPortsOnly(this.cursor);
  }

  // The rare paths live in methods of their own, which keeps `dissect` small enough for the
  // compiler to inline what it calls on every layer.

  /** Notes on the last layer that the depth or layer limit stopped the dissection. */
  private tooDeep(layers: LayerNode[], depth: number, pos: number): void {
    const last = layers[layers.length - 1];
    const why = depth >= this.maxDepth ? `more than ${this.maxDepth} layers of encapsulation` : `more than ${MAX_LAYERS} headers`;
    if (last) (last as Layer).addIssue({ kind: 'expert', severity: 'warning', offset: pos, fieldKey: undefined, message: `${why}; the rest is not dissected` });
  }

  /**
   * Turns what a protocol threw into the layer's issue (a truncated or malformed signal, or a
   * dissector bug, rethrown with `strict`) and gives the result the layer keeps.
   */
  private stopped(e: unknown, proto: ProtocolDef): DissectResult {
    const c = this.cursor;
    const result: DissectResult = c.provisional === undefined ? {} : { summary: c.provisional };
    c.closeAll();
    if (e instanceof DissectSignal) {
      c.addIssue({
        kind: e.kind,
        severity: e.kind === 'malformed' ? 'error' : 'note',
        offset: e.offset,
        fieldKey: e.fieldKey,
        message: e.message,
      });
    } else if (this.strict) {
      throw e;
    } else {
      c.addIssue({ kind: 'dissector-bug', severity: 'error', offset: c.pos, fieldKey: undefined, message: `${proto.id}: ${e instanceof Error ? e.message : String(e)}` });
    }
    return result;
  }

  /** A `data` or `padding` layer over bytes no dissector claimed. */
  private leftover(proto: ProtocolDef, from: number, to: number, repEnd: number, layers: LayerNode[]): LayerNode {
    const c = this.cursor;
    c.beginLayer(from, to, Math.max(to, repEnd), EMPTY, layers);
    let result;
    try {
      result = proto.dissect(c) ?? {};
    } catch (e) {
      if (this.strict || !(e instanceof DissectSignal)) throw e;
      result = {};
    }
    return new Layer(
      proto.id,
      result.name ?? proto.short,
      from,
      to - from,
      to - from,
      result.summary,
      result.info,
      c.takeFields(),
      c.issues,
      layers.some((l) => l.inError),
    );
  }

  /** frame.* fields: number, lengths, times (as tshark prints them), interface. */
  private frameFields(frame: Frame, layers: readonly LayerNode[]): readonly FieldNode[] {
    // A run that never shows frame fields keeps no time reference for them either.
    if (this.mode === 'summary' || (this.wanted !== undefined && !this.wantsFrameFields)) return NO_FIELDS;
    const ts: [number, number] | undefined = frame.hasTimestamp ? [frame.tsSec, frame.tsNsec] : undefined;
    if (ts && this.firstTs === undefined) this.firstTs = ts;
    const prev = this.prevTs;
    if (ts) this.prevTs = ts;
    const out: FieldNode[] = [];
    const wanted = this.wanted;
    const want = (key: string): boolean => wanted === undefined || wanted.has(key);
    const add = (key: string, label: string, value: FieldNode['value'], display = `${label}: ${String(value)}`): void => {
      out.push({ key, label, offset: 0, length: 0, bits: undefined, value, display, generated: true, children: undefined });
    };
    if (want('frame.number')) add('frame.number', 'Frame Number', frame.index);
    if (want('frame.len')) add('frame.len', 'Frame Length', frame.origLen, `Frame Length: ${frame.origLen} bytes`);
    if (want('frame.cap_len')) add('frame.cap_len', 'Capture Length', frame.capLen, `Capture Length: ${frame.capLen} bytes`);
    if (frame.kind === 'packet' && want('frame.interface_id')) add('frame.interface_id', 'Interface id', frame.iface);
    if (ts) {
      if (want('frame.time_epoch')) add('frame.time_epoch', 'Epoch Time', epochText(ts[0], ts[1]), `Epoch Time: ${epochText(ts[0], ts[1])} seconds`);
      if (want('frame.time_relative')) add('frame.time_relative', 'Time since reference or first frame', diffText(ts, this.firstTs ?? ts));
      if (want('frame.time_delta')) add('frame.time_delta', 'Time delta from previous captured frame', diffText(ts, prev ?? ts));
    }
    if (want('frame.protocols')) {
      add('frame.protocols', 'Protocols in frame', layers.filter((l) => l.protocol !== 'padding').map((l) => l.protocol).join(':'));
    }
    if (want('frame.comment')) for (const comment of frame.comments ?? []) add('frame.comment', 'Comment', comment);
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
