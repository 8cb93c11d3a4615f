import { EXIT, type ExitCode, useColor, warn, writeOut } from '../cli/output.js';
import { parsePacketRange, type PacketRange } from '../cli/options.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import { PacketLister, type ListRow, type TimeFormat } from '../render/list/packet-list.js';
import { csvCell, escapeControl } from '../render/text-safety.js';
import { forEachPacket, parseDecodeAs } from './packet-loop.js';

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

function tableLine(r: ListRow, colour: boolean): string {
  const proto = colour && PROTO_COLOURS[r.protocol] ? `${PROTO_COLOURS[r.protocol]}${r.protocol}\u001b[0m` : r.protocol;
  const path = r.source !== '' || r.destination !== '' ? `${r.source} → ${r.destination} ` : '';
  return `${String(r.number).padStart(5)} ${r.time.padStart(11)} ${escapeControl(path)}${proto} ${r.length} ${escapeControl(r.info)}`;
}

const CSV_HEADER = 'No.,Time,Source,Destination,Protocol,Length,Info\n';

/** Prepares what a run needs: the registry (with Decode As rules) and the packet selection. */
export function packetSelection(packets: string | undefined, decodeAs: readonly string[]) {
  let registry = defaultRegistry();
  let range: PacketRange | undefined;
  if (decodeAs.length > 0) registry = registry.with(parseDecodeAs(decodeAs, registry));
  if (packets !== undefined) range = parsePacketRange(packets);
  return { registry, range };
}

/** `pcapviz list`: one line per packet. */
export async function runList(paths: readonly string[], o: ListOptions): Promise<ExitCode> {
  let sel;
  try {
    sel = packetSelection(o.packets, o.decodeAs);
  } catch (e) {
    warn((e as Error).message);
    return EXIT.FAILURE;
  }
  const { registry, range } = sel;
  const colour = o.format === 'table' && useColor(process.stdout);
  let shown = 0;
  let buffer = o.format === 'csv' ? CSV_HEADER : o.format === 'json' ? '[' : '';
  let lister = new PacketLister(o.time);
  const limit = o.count ?? Infinity;
  const exit = await forEachPacket(paths, registry, { mode: 'summary' }, {
    done: () => shown >= limit || (range !== undefined && false),
    packet: (p) => {
      const r = lister.row(p);
      if (range !== undefined && !range.has(p.frame.index)) return undefined;
      shown++;
      if (o.format === 'table') buffer += `${tableLine(r, colour)}\n`;
      else if (o.format === 'csv') buffer += `${[r.number, r.time, r.source, r.destination, r.protocol, r.length, r.info].map((v) => csvCell(String(v))).join(',')}\n`;
      else buffer += `${shown > 1 ? ',' : ''}\n${JSON.stringify(r)}`;
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
