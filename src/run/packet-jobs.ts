/**
 * What a packet command makes of each packet, as one text record: a `list` line, a row of
 * `fields`. A job is described by a plain, cloneable `JobSpec`, so the same code runs in the
 * main thread or in worker threads (`parallel/`), and both give the same bytes.
 */
import type { Frame } from '../capture/frame.js';
import type { DissectOptions } from '../dissect/dissect-packet.js';
import type { Registry } from '../dissect/registry.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { FieldColumns, type FieldColumnsOptions } from '../render/fields/field-columns.js';
import { PacketLister, type ListRow, type TimeFormat } from '../render/list/packet-list.js';
import { csvCell, escapeControl, jsonText, type TextParts } from '../render/text-safety.js';
import { Clock } from './clock.js';
import type { TimeReference } from './parallel/frame-batch.js';

export type JobSpec =
  | {
      readonly kind: 'list';
      readonly format: 'table' | 'json' | 'csv';
      readonly time: TimeFormat;
      readonly colour: boolean;
      /** A display filter leaves packets out (times then count from frames not shown too). */
      readonly filtered?: boolean;
      /**
       * Table lines without colour keep their control characters: the writer escapes them as
       * it encodes the output (`LineSink`), so the line is not scanned twice.
       */
      readonly raw?: boolean;
    }
  | { readonly kind: 'fields'; readonly keys: readonly string[]; readonly options: FieldColumnsOptions };

export interface PacketJob {
  readonly dissect: DissectOptions;
  /**
   * The packet's record, without a line end. `time` is given when frames are spread over
   * threads. A `TextParts` record (a row of fields) is reused by the next call: write it first.
   */
  record(p: DissectedPacket, time?: TimeReference): string | TextParts;
  /** A frame a display filter left out (dissected or not): no record, but the time reference moves. */
  skip(f: Frame): void;
  /** Forgets per-capture state (the time reference) before the next capture. */
  reset(): void;
}

const PROTO_COLOURS: Readonly<Record<string, string>> = {
  TCP: '\u001b[35m',
  UDP: '\u001b[36m',
  DNS: '\u001b[94m',
  HTTP: '\u001b[32m',
  ARP: '\u001b[33m',
  ICMP: '\u001b[31m',
  ICMPv6: '\u001b[31m',
};

/**
 * One `list` line in the table format (tshark's one-line output). `raw`: control characters
 * are left in, for a writer that escapes them (without colour only).
 */
export function listLine(r: ListRow, colour: boolean, raw = false): string {
  const path = r.source !== '' || r.destination !== '' ? `${r.source} → ${r.destination} ` : '';
  const lead = `${String(r.number).padStart(5)} ${r.time.padStart(11)} `;
  const colourCode = colour ? PROTO_COLOURS[r.protocol] : undefined;
  // Without colour the whole line is checked once (one scan of the text that is written anyway);
  // with colour, only the parts that come from the packet, so the colour codes stay intact.
  if (colourCode === undefined) {
    const line = `${lead}${path}${r.protocol} ${r.length} ${r.info}`;
    return raw ? line : escapeControl(line);
  }
  return `${lead}${escapeControl(path)}${colourCode}${escapeControl(r.protocol)}\u001b[0m ${r.length} ${escapeControl(r.info)}`;
}

export const LIST_CSV_HEADER = 'No.,Time,Source,Destination,Protocol,Length,Info';

class ListJob implements PacketJob {
  readonly dissect: DissectOptions = { mode: 'summary' };
  private readonly spec: Extract<JobSpec, { kind: 'list' }>;
  private lister: PacketLister;

  constructor(spec: Extract<JobSpec, { kind: 'list' }>) {
    this.spec = spec;
    this.lister = new PacketLister(spec.time);
    if (spec.filtered === true) this.clock = new Clock();
  }

  /** In a filtered run: the first and the previous frame's times (every frame, shown or not). */
  private clock: Clock | undefined;
  /** In a filtered run: the time of the last frame shown (`-t dd`). */
  private shown = { hasPrevious: false, prevSec: 0, prevNsec: 0 };

  skip(f: Frame): void {
    if (this.clock === undefined) return;
    this.clock.before(f);
    this.clock.after(f);
  }

  /**
   * The time reference of a filtered run: relative times from the capture's first frame, `d`
   * from the previous frame, `dd` from the previous one shown (as tshark with -Y).
   */
  private filteredTime(p: DissectedPacket): TimeReference | undefined {
    const c = this.clock;
    const f = p.frame;
    if (c === undefined || !f.hasTimestamp) return undefined;
    c.before(f);
    const prev = this.spec.time === 'dd' ? this.shown : c;
    const t: TimeReference = { firstSec: c.firstSec, firstNsec: c.firstNsec, hasPrevious: prev.hasPrevious, prevSec: prev.prevSec, prevNsec: prev.prevNsec };
    c.after(f);
    this.shown = { hasPrevious: true, prevSec: f.tsSec, prevNsec: f.tsNsec };
    return t;
  }

  record(p: DissectedPacket, time?: TimeReference): string {
    const r = this.lister.row(p, time ?? this.filteredTime(p));
    switch (this.spec.format) {
      case 'table':
        return listLine(r, this.spec.colour, this.spec.raw === true);
      case 'csv':
        return [r.number, r.time, r.source, r.destination, r.protocol, r.length, r.info].map((v) => csvCell(String(v))).join(',');
      default:
        return jsonText(r);
    }
  }

  reset(): void {
    this.lister = new PacketLister(this.spec.time);
    if (this.spec.filtered === true) this.clock = new Clock();
    this.shown = { hasPrevious: false, prevSec: 0, prevNsec: 0 };
  }
}

class FieldsJob implements PacketJob {
  readonly dissect: DissectOptions;
  private readonly columns: FieldColumns;

  constructor(spec: Extract<JobSpec, { kind: 'fields' }>, registry: Registry) {
    this.dissect = { mode: 'select', fields: spec.keys };
    this.columns = new FieldColumns(spec.keys, registry, spec.options);
  }

  record(p: DissectedPacket): TextParts {
    return this.columns.cells(p);
  }

  skip(): void {}

  reset(): void {}
}

export function createJob(spec: JobSpec, registry: Registry): PacketJob {
  return spec.kind === 'list' ? new ListJob(spec) : new FieldsJob(spec, registry);
}

/**
 * Fields whose values depend on packets of other conversations (numbering across the whole
 * capture): a run asking for them stays in one thread.
 */
const ORDER_DEPENDENT = /^(tcp\.stream|udp\.stream|frame\.time_delta_displayed|frame\.time_relative_displayed)$/;

/** Whether a field's values depend on packets of other conversations (numbering across the capture). */
export function orderDependent(key: string): boolean {
  return ORDER_DEPENDENT.test(key);
}

/** Whether the job gives the same records when frames are spread over threads by conversation. */
export function shardable(spec: JobSpec): boolean {
  return spec.kind === 'list' || !spec.keys.some(orderDependent);
}
