/**
 * `pcapviz graph`: one summary-mode pass over each capture feeding the conversation tables the
 * chosen level is drawn from, one graph model merged over all captures, one output file.
 */
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { DEFAULT_MAX_FLOWS } from '../analyze/flow-table.js';
import { NameBook } from '../analyze/names.js';
import type { CaptureReader } from '../capture/read-capture.js';
import { binaryToTerminal, EXIT, type ExitCode, openCommandOutput, warn } from '../cli/output.js';
import { countText } from '../render/stats/units.js';
import { GraphCollector, type CaptureTraffic, type GraphLayer } from '../graph/collect.js';
import { GRAPH_ENGINES, GRAPH_FORMATS, type GraphEngine, type GraphFormat, type GraphRenderer } from '../graph/constants.js';
import { drawGraph } from '../graph/draw.js';
import { prepareWasmLayout } from '../graph/layout.js';
import { buildGraph, type GraphModel, type GraphWeight, type NameLookup } from '../graph/model.js';
import { HeaderTaps } from './header-taps.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';
import { writeErrorText, type OutputFile } from '../util/output-file.js';

export interface GraphRunOptions {
  /** Output file; `-` for standard output (then `format` is needed). */
  readonly output: string;
  /** Undefined: from the output file's extension. */
  readonly format: GraphFormat | undefined;
  readonly layer: GraphLayer;
  readonly weight: GraphWeight;
  readonly top: number;
  /** IPv4 prefix length of subnet clusters; undefined: no clusters. */
  readonly cluster: number | undefined;
  readonly clusterV6: number;
  readonly excludeBroadcast: boolean;
  readonly engine: GraphEngine | undefined;
  /** Undefined: the built-in (WebAssembly) Graphviz. */
  readonly renderer: GraphRenderer | undefined;
  readonly timeoutSeconds: number;
  readonly maxFlows: number | undefined;
  readonly decodeAs: readonly string[];
  /** Label nodes with names learned from the captures (and draw names at the app level). */
  readonly names: boolean;
  /** `-Y`: a display filter; only matching packets are drawn. */
  readonly filter?: string | undefined;
}

/** The output format of a file name (by extension), or a message saying what is wrong. */
export function graphFormatOf(output: string, format: GraphFormat | undefined): { format: GraphFormat } | { error: string } {
  if (format !== undefined) return { format };
  if (output === '-') return { error: 'writing to standard output needs --format (svg, png, pdf, dot or json)' };
  const ext = extname(output).slice(1).toLowerCase();
  if ((GRAPH_FORMATS as readonly string[]).includes(ext)) return { format: ext as GraphFormat };
  return { error: `cannot tell the format of "${output}" from its extension: name it .svg, .png, .pdf, .dot or .json, or give --format` };
}

function checkOptions(o: GraphRunOptions): string | undefined {
  if (!Number.isInteger(o.top) || o.top < 0) return '--top must be a whole number (0 keeps every node)';
  if (o.cluster !== undefined && (!Number.isInteger(o.cluster) || o.cluster < 1 || o.cluster > 32)) return '--cluster must be an IPv4 prefix length from 1 to 32';
  if (!Number.isInteger(o.clusterV6) || o.clusterV6 < 1 || o.clusterV6 > 128) return '--cluster-v6 must be an IPv6 prefix length from 1 to 128';
  if (o.cluster !== undefined && o.layer === 'eth') return '--cluster groups IP addresses by subnet: use it with --layer ip, transport or app';
  if (o.maxFlows !== undefined && (!Number.isInteger(o.maxFlows) || o.maxFlows < 1)) return '--max-flows must be a whole number of at least 1';
  if (o.engine !== undefined && !(GRAPH_ENGINES as readonly string[]).includes(o.engine)) return `--engine must be one of ${GRAPH_ENGINES.join(', ')}`;
  if (o.layer === 'app' && !o.names) return '--layer app draws servers by the names learned from the capture: leave out --no-names';
  if (!(o.timeoutSeconds > 0)) return '--layout-timeout must be a number of seconds above 0';
  return undefined;
}

/**
 * Reads every capture once and returns what the graph is built from; `names`, when given,
 * learns names from the same packets (one book for all captures).
 */
export async function collectTraffic(
  paths: readonly string[],
  layer: GraphLayer,
  maxFlows: number,
  decodeAs: readonly string[],
  names?: NameBook,
  filter?: string,
): Promise<{ exit: ExitCode; captures: CaptureTraffic[] }> {
  const sel = selectPackets(undefined, decodeAs, undefined, undefined, filter);
  if (sel === undefined) return { exit: EXIT.FAILURE, captures: [] };
  const captures: CaptureTraffic[] = [];
  let current: CaptureReader | undefined;
  let collector: GraphCollector | undefined;
  // TCP segments without payload (a third of a busy link's frames) are read from their headers:
  // they carry nothing but TCP and name nothing (`HeaderTaps.payloadless`).
  let headerTaps: HeaderTaps | undefined;
  let sinks: GraphCollector[] = [];
  const start = (reader: CaptureReader): GraphCollector => {
    current = reader;
    collector = new GraphCollector(reader.name, layer, maxFlows);
    sinks = [collector];
    headerTaps = sel.filter === undefined ? HeaderTaps.payloadless(sel.registry, collector.tapTypes) : undefined;
    return collector;
  };
  const exit = await forEachPacket(paths, sel.registry, { mode: 'summary', summaries: false, maxTcpConnections: maxFlows }, {
    frame: (f, dissector, reader) => {
      if (reader !== current) start(reader);
      return headerTaps !== undefined && headerTaps.feed(f, dissector, sinks);
    },
    packet: (p, reader) => {
      (reader === current ? collector! : start(reader)).add(p);
      names?.add(p);
    },
    end: (reader) => {
      const c = (reader === current ? collector! : start(reader)).finish();
      if (c.retired > 0) warn(`${c.file}: more than ${maxFlows} conversations at once (--max-flows): ${c.retired} idle ones were retired into final rows`);
      captures.push(c);
      current = undefined;
    },
  }, sel.filter);
  return { exit, captures };
}

const LAYER_TITLE = { eth: 'Ethernet devices', ip: 'IP hosts', transport: 'TCP/UDP services', app: 'applications' } as const;

export function graphTitle(m: GraphModel): string {
  const what = m.captures.length === 1 ? basename(m.captures[0]!) : `${m.captures.length} captures`;
  return `${what}: ${LAYER_TITLE[m.layer]} by ${m.weight}`;
}

export async function runGraph(paths: readonly string[], o: GraphRunOptions): Promise<ExitCode> {
  const f = graphFormatOf(o.output, o.format);
  const bad = 'error' in f ? f.error : checkOptions(o);
  if (bad !== undefined || 'error' in f) {
    warn(bad!);
    return EXIT.FAILURE;
  }
  const fmt = f.format;
  if ((fmt === 'png' || fmt === 'pdf') && binaryToTerminal('graph', o.output, fmt)) return EXIT.FAILURE;
  const file = openCommandOutput(o.output);
  if (file === null) return EXIT.FAILURE;
  try {
    return await drawTo(paths, o, fmt, file);
  } finally {
    await file?.abort();
  }
}

/** Reads, lays out and writes the graph; `file` is committed when it is written whole. */
async function drawTo(paths: readonly string[], o: GraphRunOptions, fmt: GraphFormat, file: OutputFile | undefined): Promise<ExitCode> {
  // The built-in Graphviz loads in its worker while the captures are read; for captures that take
  // a while to read it also lays out a small graph with each engine it may need, so the real
  // layout finds its code compiled (a first layout in a fresh module is several times slower).
  if (fmt !== 'dot' && fmt !== 'json' && (o.renderer ?? 'wasm') === 'wasm') {
    prepareWasmLayout(inputBytes(paths) < WARM_MIN_BYTES ? [] : o.engine !== undefined ? [o.engine] : DEFAULT_ENGINES);
  }
  const book = o.names ? new NameBook() : undefined;
  const { exit, captures } = await collectTraffic(paths, o.layer, o.maxFlows ?? DEFAULT_MAX_FLOWS, o.decodeAs, book, o.filter);
  if (captures.length === 0) return exit;

  const model = buildGraph(captures, {
    layer: o.layer,
    weight: o.weight,
    top: o.top,
    cluster: o.cluster !== undefined ? { v4: o.cluster, v6: o.clusterV6 } : undefined,
    excludeBroadcast: o.excludeBroadcast,
    names: book === undefined ? undefined : nameLookup(book, captures, o.layer),
  });
  let renderer: GraphRenderer = o.renderer ?? 'wasm';
  if (o.renderer === undefined && o.engine !== undefined && !WASM_ENGINES.has(o.engine)) renderer = 'system';
  let result;
  try {
    result = await drawGraph(model, { format: fmt, title: graphTitle(model), engine: o.engine, renderer, timeoutMs: o.timeoutSeconds * 1000, warn, systemFallback: o.renderer === undefined });
  } catch (e) {
    warn(`cannot lay out the graph: ${(e as Error).message}`);
    return EXIT.FAILURE;
  }
  try {
    if (file === undefined) await new Promise<void>((resolve, reject) => process.stdout.write(result.data, (err) => (err ? reject(err) : resolve())));
    else {
      await file.write(result.data);
      await file.commit();
    }
  } catch (e) {
    warn(writeErrorText(o.output, e));
    return EXIT.FAILURE;
  }
  const size = result.width !== undefined ? `, ${Math.round(result.width)}×${Math.round(result.height!)} ${fmt === 'png' ? 'px' : 'pt'}` : '';
  const how = result.engine !== undefined && fmt !== 'dot' ? `, ${result.engine} (${result.renderer === 'system' ? 'system' : 'built-in'} Graphviz, layout ${((result.layoutMs ?? 0) / 1000).toFixed(2)} s)` : '';
  const shown = model.folded.nodes > 0 ? ` (top ${countText(model.nodes.length - 1)} of ${countText(model.totalNodes)})` : '';
  if (o.output !== '-') warn(`wrote ${o.output}: ${countText(model.nodes.length)} nodes${shown}, ${countText(model.edges.length)} edges${size}${how}`);
  return exit;
}

/**
 * Names for nodes: the book's name of an address; for a device (eth level) the name of its MAC
 * address, else that of the first IP address seen behind it.
 */
export function nameLookup(book: NameBook, captures: readonly CaptureTraffic[], layer: GraphLayer): NameLookup {
  if (layer !== 'eth') return (address) => {
    const n = book.nameOf(address);
    return n === undefined ? [] : [n];
  };
  return (mac) => {
    const own = book.nameOf(mac);
    if (own !== undefined) return [own];
    for (const c of captures) {
      for (const ip of c.macAddresses.get(mac) ?? []) {
        const n = book.nameOf(ip);
        if (n !== undefined) return [n];
      }
    }
    return [];
  };
}

/** Input size from which warming the layout engines pays (reading takes longer than warming). */
const WARM_MIN_BYTES = 8 * 1024 * 1024;

/** Bytes of the named capture files (standard input and unreadable names count as nothing). */
function inputBytes(paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) {
    try {
      if (p !== '-') n += statSync(p).size;
    } catch {
      // Reported when the capture is opened.
    }
  }
  return n;
}

/** The engines a graph is laid out with by default (engines.ts), most common first. */
const DEFAULT_ENGINES: readonly GraphEngine[] = ['neato', 'dot', 'sfdp'];

/** Engines the built-in Graphviz has (all six we offer; kept as a set should that change). */
const WASM_ENGINES: ReadonlySet<GraphEngine> = new Set(GRAPH_ENGINES);
