import { EXIT, type ExitCode, useColor, writeOut } from '../cli/output.js';
import { PacketLister, type ListRow, type TimeFormat } from '../render/list/packet-list.js';
import { csvCell, escapeControl } from '../render/text-safety.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';

export interface ListOptions {
  readonly format: 'table' | 'json' | 'csv';
  readonly time: TimeFormat;
  readonly packets: string | undefined;
  readonly count: number | undefined;
  readonly decodeAs: readonly string[];
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

export function listLine(r: ListRow, colour: boolean): string {
  const proto = colour && PROTO_COLOURS[r.protocol] ? `${PROTO_COLOURS[r.protocol]}${r.protocol}\u001b[0m` : r.protocol;
  const path = r.source !== '' || r.destination !== '' ? `${r.source} → ${r.destination} ` : '';
  return `${String(r.number).padStart(5)} ${r.time.padStart(11)} ${escapeControl(path)}${proto} ${r.length} ${escapeControl(r.info)}`;
}

const CSV_HEADER = 'No.,Time,Source,Destination,Protocol,Length,Info\n';

/** `pcapviz list`: one line per packet. */
export async function runList(paths: readonly string[], o: ListOptions): Promise<ExitCode> {
  const sel = selectPackets(o.packets, o.decodeAs, o.count);
  if (sel === undefined) return EXIT.FAILURE;
  const colour = o.format === 'table' && useColor(process.stdout);
  let buffer = o.format === 'csv' ? CSV_HEADER : o.format === 'json' ? '[' : '';
  let lister = new PacketLister(o.time);
  const exit = await forEachPacket(paths, sel.registry, { mode: 'summary' }, {
    done: () => sel.done(),
    packet: (p) => {
      const r = lister.row(p);
      if (!sel.take(p.frame.index)) return undefined;
      if (o.format === 'table') buffer += `${listLine(r, colour)}\n`;
      else if (o.format === 'csv') buffer += `${[r.number, r.time, r.source, r.destination, r.protocol, r.length, r.info].map((v) => csvCell(String(v))).join(',')}\n`;
      else buffer += `${sel.count() > 1 ? ',' : ''}\n${JSON.stringify(r)}`;
      if (buffer.length > 65536) {
        const out = buffer;
        buffer = '';
        return writeOut(out);
      }
      return undefined;
    },
    end: () => {
      lister = new PacketLister(o.time);
    },
  });
  if (o.format === 'json') buffer += '\n]\n';
  await writeOut(buffer);
  return exit;
}
