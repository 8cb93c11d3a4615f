/**
 * Frames packed for a worker thread: their bytes back to back in one buffer and their record
 * facts in a Float64Array, both transferred (not copied) with `postMessage`. The worker
 * unpacks them into `Frame`s whose data are views into the buffer.
 */
import type { Frame, TimeReference } from '../../capture/frame.js';

export type { TimeReference } from '../../capture/frame.js';

/** Float64 slots per frame in `meta`. */
const SLOTS = 18;
const HAS_TIMESTAMP = 1;
const CUSTOM = 2;
const HAS_FLAGS = 4;
const HAS_PREVIOUS = 8;
/** Dissected for the state it sets up, without a record (its owner is another worker). */
const SILENT = 16;

export interface FrameBatch {
  readonly count: number;
  readonly data: ArrayBuffer;
  readonly meta: Float64Array<ArrayBuffer>;
  /** pcapng comments, by position in the batch (rare; structured-cloned). */
  readonly comments: readonly (readonly [number, readonly string[]])[];
}

/** Collects frames for one worker until the batch is full. */
export class FrameBatchBuilder {
  private readonly maxFrames: number;
  private readonly maxBytes: number;
  private data: Uint8Array<ArrayBuffer>;
  private meta: Float64Array<ArrayBuffer>;
  private used = 0;
  private comments: [number, readonly string[]][] = [];
  count = 0;

  constructor(maxFrames = 2048, maxBytes = 1 << 20) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
    this.data = new Uint8Array(maxBytes);
    this.meta = new Float64Array(maxFrames * SLOTS);
  }

  /** Whether the batch should be sent now. */
  get full(): boolean {
    return this.count >= this.maxFrames || this.used >= this.maxBytes;
  }

  /** Adds a frame; a `silent` one is dissected for its state only (see `BatchFrame.silent`). */
  add(f: Frame, t: TimeReference, silent = false): void {
    const n = f.data.length;
    if (this.used + n > this.data.length) {
      const bigger = new Uint8Array(Math.max(this.data.length * 2, this.used + n));
      bigger.set(this.data.subarray(0, this.used));
      this.data = bigger;
    }
    this.data.set(f.data, this.used);
    const m = this.meta;
    const o = this.count * SLOTS;
    m[o] = f.index;
    m[o + 1] = f.tsSec;
    m[o + 2] = f.tsNsec;
    m[o + 3] = f.tsDigits;
    m[o + 4] = (f.hasTimestamp ? HAS_TIMESTAMP : 0) | (f.kind === 'custom' ? CUSTOM : 0) | (f.flags !== undefined ? HAS_FLAGS : 0) | (t.hasPrevious ? HAS_PREVIOUS : 0) | (silent ? SILENT : 0);
    m[o + 5] = f.capLen;
    m[o + 6] = f.origLen;
    m[o + 7] = f.linkType;
    m[o + 8] = f.iface;
    m[o + 9] = f.ifaceGlobal;
    m[o + 10] = f.fileOffset;
    m[o + 11] = f.flags ?? 0;
    m[o + 12] = t.prevSec;
    m[o + 13] = t.prevNsec;
    m[o + 14] = this.used;
    m[o + 15] = n;
    m[o + 16] = t.firstSec;
    m[o + 17] = t.firstNsec;
    if (f.comments !== undefined && f.comments.length > 0) this.comments.push([this.count, f.comments]);
    this.used += n;
    this.count++;
  }

  /** Buffers of sent batches that came back, to fill again (fresh memory costs page faults). */
  private readonly spare: [ArrayBuffer, Float64Array<ArrayBuffer>][] = [];

  /** Gives back a batch's buffers once the worker is done with them. */
  recycle(data: ArrayBuffer, meta: Float64Array<ArrayBuffer>): void {
    if (this.spare.length < 4 && data.byteLength >= this.maxBytes) this.spare.push([data, meta]);
  }

  /** The batch to transfer; the builder starts a new one. */
  take(): FrameBatch {
    const batch: FrameBatch = { count: this.count, data: this.data.buffer, meta: this.meta, comments: this.comments };
    const reuse = this.spare.pop();
    this.data = reuse !== undefined ? new Uint8Array(reuse[0]) : new Uint8Array(this.maxBytes);
    this.meta = reuse !== undefined ? reuse[1] : new Float64Array(this.maxFrames * SLOTS);
    this.used = 0;
    this.count = 0;
    this.comments = [];
    return batch;
  }
}

/** A frame of a batch with the time reference the main thread saw before it. */
export interface BatchFrame {
  readonly frame: Frame;
  readonly time: TimeReference;
  /**
   * A frame another worker owns, sent here too because it may set up state that frames of this
   * worker's conversations depend on (an SDP announcing media between other hosts): dissected,
   * no record.
   */
  readonly silent: boolean;
}

/** Unpacks a batch (in the worker). */
export function unpackBatch(b: FrameBatch): BatchFrame[] {
  const out: BatchFrame[] = [];
  const bytes = new Uint8Array(b.data);
  const m = b.meta;
  const comments = new Map(b.comments);
  for (let i = 0; i < b.count; i++) {
    const o = i * SLOTS;
    const bits = m[o + 4]!;
    const at = m[o + 14]!;
    const frame: Frame = {
      index: m[o]!,
      kind: bits & CUSTOM ? 'custom' : 'packet',
      tsSec: m[o + 1]!,
      tsNsec: m[o + 2]!,
      tsDigits: m[o + 3]!,
      hasTimestamp: (bits & HAS_TIMESTAMP) !== 0,
      capLen: m[o + 5]!,
      origLen: m[o + 6]!,
      linkType: m[o + 7]!,
      iface: m[o + 8]!,
      ifaceGlobal: m[o + 9]!,
      fileOffset: m[o + 10]!,
      data: bytes.subarray(at, at + m[o + 15]!),
      comments: comments.get(i),
      flags: bits & HAS_FLAGS ? m[o + 11]! : undefined,
    };
    out.push({ frame, time: { firstSec: m[o + 16]!, firstNsec: m[o + 17]!, prevSec: m[o + 12]!, prevNsec: m[o + 13]!, hasPrevious: (bits & HAS_PREVIOUS) !== 0 }, silent: (bits & SILENT) !== 0 });
  }
  return out;
}
