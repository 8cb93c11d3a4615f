import { EXIT, type ExitCode, useColor, warn, writeOut } from '../cli/output.js';
import { hexDump } from '../render/text/hex-dump.js';
import { packetJson, packetText } from '../render/text/packet-text.js';
import { forEachPacket } from './packet-loop.js';
import { packetSelection } from './run-list.js';

export interface ShowOptions {
  readonly format: 'text' | 'json';
  readonly hex: boolean;
  readonly packets: string | undefined;
  readonly count: number | undefined;
  readonly decodeAs: readonly string[];
}

/** `pcapviz show`: the full layered tree of each selected packet. */
export async function runShow(paths: readonly string[], o: ShowOptions): Promise<ExitCode> {
  let sel;
  try {
    sel = packetSelection(o.packets, o.decodeAs);
  } catch (e) {
    warn((e as Error).message);
    return EXIT.FAILURE;
  }
  const { registry, range } = sel;
  const colour = o.format === 'text' && useColor(process.stdout);
  let shown = 0;
  const limit = o.count ?? Infinity;
  if (o.format === 'json') await writeOut('[');
  const exit = await forEachPacket(paths, registry, { mode: 'full' }, {
    done: () => shown >= limit || (range !== undefined && shown > 0 && false),
    packet: (p) => {
      if (range !== undefined && !range.has(p.frame.index)) return undefined;
      shown++;
      if (o.format === 'json') return writeOut(`${shown > 1 ? ',' : ''}\n${JSON.stringify(packetJson(p))}`);
      let text = packetText(p, registry, { colour });
      if (o.hex) text += `\n${hexDump(p, colour)}`;
      return writeOut(`${shown > 1 ? '\n' : ''}${text}`);
    },
  });
  if (o.format === 'json') await writeOut('\n]\n');
  return exit;
}
