import { EXIT, type ExitCode, LineSink, standardOutputClosed, warn, writeOut } from '../cli/output.js';
import { FieldColumns, type FieldColumnsOptions } from '../render/fields/field-columns.js';
import { forEachRecord } from './packet-loop.js';
import { selectPackets } from './selection.js';

const SEPARATORS: Readonly<Record<string, string>> = { '/t': '\t', '/s': ' ' };

/** Parses tshark-style `-E name=value` options. */
export function parseFieldOptions(list: readonly string[]): FieldColumnsOptions & { header: boolean } {
  let header = false;
  const o: { separator?: string; aggregator?: string; occurrence?: 'a' | 'f' | 'l'; quote?: 'd' | 's' | 'n' } = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    switch (name) {
      case 'header':
        header = value === 'y';
        break;
      case 'separator':
        o.separator = SEPARATORS[value] ?? value;
        break;
      case 'aggregator':
        o.aggregator = SEPARATORS[value] ?? value;
        break;
      case 'occurrence':
        if (value !== 'a' && value !== 'f' && value !== 'l') throw new Error(`-E occurrence must be a, f or l, not "${value}"`);
        o.occurrence = value;
        break;
      case 'quote':
        if (value !== 'd' && value !== 's' && value !== 'n') throw new Error(`-E quote must be d, s or n, not "${value}"`);
        o.quote = value;
        break;
      default:
        throw new Error(`unknown -E option "${name}" (header, separator, occurrence, aggregator, quote)`);
    }
  }
  return { ...o, header };
}

/** `pcapviz fields`: one line per packet with the requested fields. */
export async function runFields(
  paths: readonly string[],
  keys: readonly string[],
  eOptions: readonly string[],
  o: {
    readonly decodeAs: readonly string[];
    readonly packets: string | undefined;
    readonly count: number | undefined;
    readonly tlsKeylog?: string | undefined;
    readonly filter?: string | undefined;
  },
): Promise<ExitCode> {
  let options;
  try {
    options = parseFieldOptions(eOptions);
  } catch (e) {
    warn((e as Error).message);
    return EXIT.FAILURE;
  }
  const sel = selectPackets(o.packets, o.decodeAs, o.count, o.tlsKeylog, o.filter);
  if (sel === undefined) return EXIT.FAILURE;
  const registry = sel.registry;
  if (options.header) await writeOut(`${new FieldColumns(keys, registry, options).header()}\n`);
  const out = new LineSink(false);
  const { header: _, ...columnOptions } = options;
  const spec = { kind: 'fields', keys, options: columnOptions } as const;
  const parallel = o.packets === undefined && o.count === undefined;
  const exit = await forEachRecord(paths, spec, { registry, decodeAs: o.decodeAs, keyLog: sel.keyLog, filter: sel.filter, parallel }, {
    done: () => sel.done() || standardOutputClosed(),
    record: (text, index) => {
      if (!sel.take(index)) return undefined;
      return out.write(text);
    },
  });
  await out.flush();
  return exit;
}
