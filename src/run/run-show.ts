import { EXIT, type ExitCode, standardOutputClosed, useColor, writeOut } from '../cli/output.js';
import { hexDump } from '../render/text/hex-dump.js';
import { packetJson, packetText } from '../render/text/packet-text.js';
import { jsonText } from '../render/text-safety.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';

export interface ShowOptions {
  readonly format: 'text' | 'json';
  readonly hex: boolean;
  readonly packets: string | undefined;
  readonly count: number | undefined;
  readonly decodeAs: readonly string[];
  readonly tlsKeylog?: string | undefined;
  /** `-Y`: a display filter. */
  readonly filter?: string | undefined;
}

/** `pcapviz show`: the full layered tree of each selected packet. */
export async function runShow(paths: readonly string[], o: ShowOptions): Promise<ExitCode> {
  const sel = selectPackets(o.packets, o.decodeAs, o.count, o.tlsKeylog, o.filter);
  if (sel === undefined) return EXIT.FAILURE;
  const colour = o.format === 'text' && useColor(process.stdout);
  if (o.format === 'json') await writeOut('[');
  const exit = await forEachPacket(paths, sel.registry, { mode: 'full', keyLog: sel.keyLog }, {
    done: () => sel.done() || standardOutputClosed(),
    packet: (p) => {
      if (!sel.take(p.frame.index)) return undefined;
      const first = sel.count() === 1;
      if (o.format === 'json') return writeOut(`${first ? '' : ','}\n${jsonText(packetJson(p))}`);
      let text = packetText(p, sel.registry, { colour });
      if (o.hex) text += `\n${hexDump(p, colour)}`;
      return writeOut(`${first ? '' : '\n'}${text}`);
    },
  }, sel.filter);
  if (o.format === 'json') await writeOut('\n]\n');
  return exit;
}
