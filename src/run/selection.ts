import { readFileSync } from 'node:fs';
import { warn } from '../cli/output.js';
import { parsePacketRange, type PacketRange } from '../cli/options.js';
import { KeyLog } from '../dissect/keylog.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import type { Registry } from '../dissect/registry.js';
import { compileFilterOption, type DisplayFilter } from '../filter/index.js';
import { parseDecodeAs } from './packet-loop.js';

/** Which packets a command shows (`--packets`, `-c`) and with which registry (`--decode-as`). */
export class PacketSelection {
  readonly registry: Registry;
  /** The user's TLS key log (`--tls-keylog`), if given. */
  keyLog: KeyLog | undefined;
  /** The display filter (`-Y`), if given: packets it rejects are skipped before anything else. */
  filter: DisplayFilter | undefined;
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

/** Reads a TLS key log file (NSS format, as SSLKEYLOGFILE writes it); throws with a message. */
export function readKeyLog(path: string): KeyLog {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    throw new Error(`--tls-keylog: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const keys = new KeyLog();
  if (keys.addText(text) === 0) warn(`warning: --tls-keylog: ${path} holds no key log lines (LABEL CLIENT_RANDOM SECRET)`);
  return keys;
}

/** Builds the selection from the options; warns and returns undefined when one is bad. */
export function selectPackets(
  packets: string | undefined,
  decodeAs: readonly string[],
  count: number | undefined,
  tlsKeylog?: string,
  filter?: string,
): PacketSelection | undefined {
  try {
    let registry = defaultRegistry();
    if (decodeAs.length > 0) registry = registry.with(parseDecodeAs(decodeAs, registry));
    const sel = new PacketSelection(registry, packets === undefined ? undefined : parsePacketRange(packets), count);
    if (tlsKeylog !== undefined) sel.keyLog = readKeyLog(tlsKeylog);
    const compiled = compileFilterOption(filter, registry, reportFilterError);
    if (compiled === null) return undefined;
    sel.filter = compiled;
    return sel;
  } catch (e) {
    warn((e as Error).message);
    return undefined;
  }
}

/** A filter error: the message, then the filter with a caret under the place. */
function reportFilterError(lines: readonly string[]): void {
  warn(lines[0]!);
  process.stderr.write(`${lines.slice(1).join('\n')}\n`);
}
