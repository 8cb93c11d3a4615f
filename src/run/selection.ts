import { warn } from '../cli/output.js';
import { parsePacketRange, type PacketRange } from '../cli/options.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import type { Registry } from '../dissect/registry.js';
import { parseDecodeAs } from './packet-loop.js';

/** Which packets a command shows (`--packets`, `-c`) and with which registry (`--decode-as`). */
export class PacketSelection {
  readonly registry: Registry;
  private readonly range: PacketRange | undefined;
  private readonly limit: number;
  private shown = 0;
  private last = 0;

  constructor(registry: Registry, range: PacketRange | undefined, limit: number | undefined) {
    this.registry = registry;
    this.range = range;
    this.limit = limit ?? Infinity;
  }

  /** Whether frame `index` is shown (counts it when it is). */
  take(index: number): boolean {
    this.last = index;
    if (this.range !== undefined && !this.range.has(index)) return false;
    this.shown++;
    return true;
  }

  /** How many packets were shown so far. */
  count(): number {
    return this.shown;
  }

  /** Nothing more can be shown: the count is reached or the range is past. */
  done(): boolean {
    return this.shown >= this.limit || (this.range !== undefined && this.last >= this.range.max);
  }
}

/** Builds the selection from the options; warns and returns undefined when one is bad. */
export function selectPackets(packets: string | undefined, decodeAs: readonly string[], count: number | undefined): PacketSelection | undefined {
  try {
    let registry = defaultRegistry();
    if (decodeAs.length > 0) registry = registry.with(parseDecodeAs(decodeAs, registry));
    return new PacketSelection(registry, packets === undefined ? undefined : parsePacketRange(packets), count);
  } catch (e) {
    warn((e as Error).message);
    return undefined;
  }
}
