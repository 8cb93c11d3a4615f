/**
 * A table of flows (conversations, endpoints) with a cap on the number kept live. When the cap
 * is reached, the flows idle the longest are retired: their rows are final and kept as finished
 * counts (a later packet of the same key starts a new row), and the number retired is counted so
 * the caller can report it. Live memory is bounded by the cap; finished rows can be bounded too
 * (`keepFinished`), e.g. when only the top N rows will be shown.
 */

/** What the table needs to know of a row: when it was created and last updated. */
export interface FlowRow {
  /** Creation order (tshark lists rows in the order it first saw them). */
  readonly seq: number;
  /** Ordinal of the last packet that updated the row (for idle-time retirement). */
  lastSeen: number;
}

export interface FlowTableOptions<R extends FlowRow> {
  /** Most live rows (default 1,000,000). */
  readonly maxFlows?: number;
  /**
   * Keep only this many finished (retired) rows, the first ones by `rank`: the rows a `--top N`
   * run can still show. Unset: every finished row is kept.
   */
  readonly keepFinished?: { readonly count: number; readonly rank: (a: R, b: R) => number };
}

export const DEFAULT_MAX_FLOWS = 1_000_000;

export class FlowTable<K, R extends FlowRow> {
  private readonly live = new Map<K, R>();
  private finished: R[] = [];
  private readonly cap: number;
  private readonly keep: FlowTableOptions<R>['keepFinished'];
  /** Rows retired because the cap was reached. */
  retired = 0;
  /** Retired rows dropped because they could not be among the rows kept (`keepFinished`). */
  discarded = 0;

  constructor(options: FlowTableOptions<R> = {}) {
    this.cap = Math.max(1, Math.floor(options.maxFlows ?? DEFAULT_MAX_FLOWS));
    this.keep = options.keepFinished;
  }

  get(key: K): R | undefined {
    return this.live.get(key);
  }

  /** Adds a new live row, retiring idle rows first when the table is full. */
  add(key: K, row: R): void {
    if (this.live.size >= this.cap) this.retireIdle();
    this.live.set(key, row);
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** Every row, finished and live, in creation order. */
  rows(): R[] {
    const all = this.finished.concat([...this.live.values()]);
    if (this.finished.length > 0) all.sort((a, b) => a.seq - b.seq);
    return all;
  }

  /**
   * Retires the eighth of the live rows idle the longest (at least one): one sort per eighth of
   * the cap, so the cost per packet stays constant.
   */
  private retireIdle(): void {
    const n = Math.max(1, Math.floor(this.cap / 8));
    const seen = new Float64Array(this.live.size);
    let i = 0;
    for (const r of this.live.values()) seen[i++] = r.lastSeen;
    seen.sort();
    const threshold = seen[Math.min(n, seen.length) - 1]!;
    let moved = 0;
    for (const [k, r] of this.live) {
      if (r.lastSeen > threshold) continue;
      this.live.delete(k);
      this.finished.push(r);
      if (++moved >= n) break;
    }
    this.retired += moved;
    this.pruneFinished();
  }

  private pruneFinished(): void {
    const keep = this.keep;
    if (keep === undefined || this.finished.length <= Math.max(keep.count * 2, 1024)) return;
    this.finished.sort(keep.rank);
    this.discarded += this.finished.length - keep.count;
    this.finished = this.finished.slice(0, keep.count);
  }
}

/**
 * Keys made of two parts (`address|address`, `address port`), given back as the same string
 * object for the same parts: no key text is built per packet, and a Map finds a key string it
 * has hashed before without hashing it again. The first parts are usually address texts the
 * dissector already shares. Past `limit` keys everything is forgotten and built anew, so memory
 * stays bounded like the flow tables it serves.
 */
export class KeyJoiner {
  private byFirst = new Map<string, Map<string | number, string>>();
  private size = 0;
  private readonly sep: string;
  private readonly limit: number;

  constructor(sep: string, limit: number) {
    this.sep = sep;
    this.limit = Math.max(1, limit);
  }

  /** `${a}${sep}${b}`, shared. */
  join(a: string, b: string | number): string {
    let inner = this.byFirst.get(a);
    let key = inner?.get(b);
    if (key !== undefined) return key;
    if (this.size >= this.limit) {
      this.byFirst = new Map();
      this.size = 0;
      inner = undefined;
    }
    if (inner === undefined) this.byFirst.set(a, (inner = new Map()));
    key = `${a}${this.sep}${b}`;
    inner.set(b, key);
    this.size++;
    return key;
  }
}
