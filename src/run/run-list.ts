import { EXIT, type ExitCode, LineSink, standardOutputClosed, useColor } from '../cli/output.js';
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
  // Plain table lines leave their control characters to the sink, which escapes them as it encodes.
  const raw = o.format === 'table' && !colour;
  const out = new LineSink(raw);
  if (o.format === 'csv') out.write(LIST_CSV_HEADER);
  else if (o.format === 'json') out.write('[', false);
  const spec = { kind: 'list', format: o.format, time: o.time, colour, filtered: sel.filter !== undefined, raw } as const;
  const exit = await forEachRecord(
    paths,
    spec,
    { registry: sel.registry, decodeAs: o.decodeAs, keyLog: sel.keyLog, filter: sel.filter, parallel: o.packets === undefined && o.count === undefined },
    {
      done: () => sel.done() || standardOutputClosed(),
      record: (text, index) => {
        if (!sel.take(index)) return undefined;
        if (o.format !== 'json') return out.write(text);
        out.write(sel.count() > 1 ? ',\n' : '\n', false);
        return out.write(text, false);
      },
    },
  );
  if (o.format === 'json') out.write('\n]');
  await out.flush();
  return exit;
}
