import { EXIT, type ExitCode, useColor, writeOut } from '../cli/output.js';
import type { TimeFormat } from '../render/list/packet-list.js';
import { forEachRecord } from './packet-loop.js';
import { LIST_CSV_HEADER } from './packet-jobs.js';
import { selectPackets } from './selection.js';

export interface ListOptions {
  readonly format: 'table' | 'json' | 'csv';
  readonly time: TimeFormat;
  readonly packets: string | undefined;
  readonly count: number | undefined;
  readonly decodeAs: readonly string[];
  readonly tlsKeylog?: string | undefined;
  /** `-Y`: a display filter. */
  readonly filter?: string | undefined;
}

/** `pcapviz list`: one line per packet. */
export async function runList(paths: readonly string[], o: ListOptions): Promise<ExitCode> {
  const sel = selectPackets(o.packets, o.decodeAs, o.count, o.tlsKeylog, o.filter);
  if (sel === undefined) return EXIT.FAILURE;
  const colour = o.format === 'table' && useColor(process.stdout);
  let buffer = o.format === 'csv' ? `${LIST_CSV_HEADER}\n` : o.format === 'json' ? '[' : '';
  const spec = { kind: 'list', format: o.format, time: o.time, colour, filtered: sel.filter !== undefined } as const;
  const exit = await forEachRecord(
    paths,
    spec,
    { registry: sel.registry, decodeAs: o.decodeAs, keyLog: sel.keyLog, filter: sel.filter, parallel: o.packets === undefined && o.count === undefined },
    {
      done: () => sel.done(),
      record: (text, index) => {
        if (!sel.take(index)) return undefined;
        buffer += o.format === 'json' ? `${sel.count() > 1 ? ',' : ''}\n${text}` : `${text}\n`;
        if (buffer.length > 65536) {
          const out = buffer;
          buffer = '';
          return writeOut(out);
        }
        return undefined;
      },
    },
  );
  if (o.format === 'json') buffer += '\n]\n';
  await writeOut(buffer);
  return exit;
}
