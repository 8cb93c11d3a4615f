/**
 * What a report is made from, read in one summary-mode pass over the capture: the `info`
 * figures, every `stats` table's reducer, the graph's conversations, names learned from the
 * capture, and traffic over time per protocol. Packet dumps (`--dump N`) take a second, short
 * pass over the first N packets in full mode.
 */
import { CaptureSummaryBuilder, type CaptureSummary } from '../analyze/capture-summary.js';
import { NameBook } from '../analyze/names.js';
import { ProtocolSeriesBuilder, type ProtocolSeries } from '../analyze/protocol-series.js';
import type { CaptureReader } from '../capture/read-capture.js';
import { EXIT, type ExitCode } from '../cli/output.js';
import type { Registry } from '../dissect/registry.js';
import type { DissectedPacket } from '../dissect/tree.js';
import type { DisplayFilter } from '../filter/index.js';
import { GraphCollector, type CaptureTraffic, type GraphLayer } from '../graph/collect.js';
import { PacketLister } from '../render/list/packet-list.js';
import { byteLayers } from '../render/text/hex-dump.js';
import { escapeControl } from '../render/text-safety.js';
import { packetTreeLines } from '../render/text/packet-text.js';
import { forEachPacket } from '../run/packet-loop.js';
import { STATS_TABLE_DEFS } from '../run/stats/index.js';
import type { StatsReducer, StatsSettings } from '../run/stats/table.js';
import type { PacketBlock } from './model.js';

export interface CollectOptions {
  readonly registry: Registry;
  readonly filter: DisplayFilter | undefined;
  readonly settings: StatsSettings;
  /** Level of the conversation graph; undefined: no graph. */
  readonly graphLayer: GraphLayer | undefined;
  /** First N (matching) packets as layered dumps; 0: none. */
  readonly dump: number;
  /** Called after each packet of the pass (batch progress). */
  readonly onPacket?: (() => void) | undefined;
}

export interface CollectedCapture {
  readonly file: string;
  readonly summary: CaptureSummary;
  /** Every stats table's result, by table name. */
  readonly stats: ReadonlyMap<string, unknown>;
  readonly names: NameBook;
  readonly series: ProtocolSeries;
  readonly traffic: CaptureTraffic | undefined;
  readonly dumps: readonly PacketBlock[];
}

/** Reads one capture (`-`: standard input, which then cannot be read twice for dumps). */
export async function collectCapture(path: string, o: CollectOptions): Promise<{ exit: ExitCode; capture: CollectedCapture | undefined }> {
  let summary: CaptureSummaryBuilder | undefined;
  let reducers: StatsReducer<unknown>[] = [];
  let names: NameBook | undefined;
  let series: ProtocolSeriesBuilder | undefined;
  let graph: GraphCollector | undefined;
  let current: CaptureReader | undefined;
  let capture: CollectedCapture | undefined;
  const dumps: PacketBlock[] = [];
  const lister = new PacketLister();
  const dumpHere = path === '-' && o.dump > 0;

  const start = (reader: CaptureReader): void => {
    current = reader;
    summary = new CaptureSummaryBuilder(reader);
    reducers = STATS_TABLE_DEFS.map((d) => d.reducer(o.settings, reader));
    names = new NameBook();
    series = new ProtocolSeriesBuilder();
    graph = o.graphLayer === undefined ? undefined : new GraphCollector(reader.name, o.graphLayer, o.settings.maxFlows);
  };
  // TCP analysis keeps no more connections than the tables keep flows (--max-flows).
  const exit = await forEachPacket([path], o.registry, { mode: dumpHere ? 'full' : 'summary', summaries: dumpHere, maxTcpConnections: o.settings.maxFlows }, {
    packet: (p, reader) => {
      if (reader !== current) start(reader);
      summary!.add(p.frame);
      for (let i = 0; i < reducers.length; i++) reducers[i]!.add(p);
      names!.add(p);
      series!.add(p);
      graph?.add(p);
      o.onPacket?.();
      if (dumpHere && dumps.length < o.dump) dumps.push(packetBlock(p, o.registry, lister));
    },
    end: (reader) => {
      if (reader !== current) start(reader);
      capture = {
        file: reader.name,
        summary: summary!.finish(),
        stats: new Map(STATS_TABLE_DEFS.map((d, i) => [d.name, reducers[i]!.finish()])),
        names: names!,
        series: series!.finish(),
        traffic: graph?.finish(),
        dumps,
      };
    },
  }, o.filter);
  if (capture === undefined || dumpHere || o.dump === 0) return { exit, capture };

  // The dumps: the first N matching packets again, every field recorded.
  const full = new PacketLister();
  await forEachPacket([path], o.registry, { mode: 'full' }, {
    done: () => dumps.length >= o.dump,
    packet: (p) => {
      dumps.push(packetBlock(p, o.registry, full));
    },
  }, o.filter);
  return { exit: exit === EXIT.OK ? EXIT.OK : exit, capture };
}

/** One packet as the report's dump block: tree lines and hex rows tagged with their layer. */
export function packetBlock(p: DissectedPacket, registry: Registry, lister: PacketLister): PacketBlock {
  const row = lister.row(p);
  const data = p.frame.data;
  const owner = byteLayers(p);
  const hex: { offset: number; bytes: (readonly [string, number])[]; ascii: string }[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const bytes: (readonly [string, number])[] = [];
    let ascii = '';
    for (let b = off; b < Math.min(off + 16, data.length); b++) {
      const v = data[b]!;
      bytes.push([v.toString(16).padStart(2, '0'), owner[b]!]);
      ascii += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
    }
    hex.push({ offset: off, bytes, ascii });
  }
  return {
    kind: 'packet',
    frame: p.frame.index,
    summary: escapeControl(`${row.source} → ${row.destination} ${row.protocol} ${row.length} ${row.info}`.replace(/\s+/g, ' ').trim()),
    layers: p.layers.map((l) => l.name),
    tree: packetTreeLines(p, registry).map((t) => ({ text: t.at === '' ? t.text : `${t.text}  ${t.at}`, depth: t.depth, layer: t.layer })),
    hex,
  };
}
