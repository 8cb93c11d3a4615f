/**
 * From the graph model to the bytes of an output file: DOT and JSON directly; SVG through a
 * Graphviz layout (with a fallback when it fails) and the legend; PNG and PDF from that SVG.
 */
import { countText } from '../render/stats/units.js';
import { jsonText } from '../render/text-safety.js';
import { buildDot, dotText } from './dot.js';
import { fallbackPlan, planLayout, type GraphEngine, type LayoutPlan } from './engines.js';
import { graphJson } from './json.js';
import type { GraphFormat, GraphRenderer } from './constants.js';
import { layoutSystem, layoutWasm, LayoutError, systemGraphvizAvailable } from './layout.js';
import { edgePackets, type GraphModel } from './model.js';
import { svgToPdf, svgToPng } from './raster.js';
import { finishSvg, svgSize, type LegendContent } from './svg.js';
import { graphStyle } from './style.js';

export type { GraphFormat } from './constants.js';

export interface DrawOptions {
  readonly format: GraphFormat;
  readonly title: string;
  /** Undefined: chosen by size. */
  readonly engine?: GraphEngine | undefined;
  readonly renderer: GraphRenderer;
  /** Longest a layout may run before the fallback is tried. */
  readonly timeoutMs: number;
  /** Called with what a person should know (fallbacks). */
  readonly warn: (message: string) => void;
  /**
   * The user named no renderer: when the built-in Graphviz fails (not by running out of time),
   * the installed one, if any, gets the same layout before the sfdp fallback.
   */
  readonly systemFallback?: boolean;
  /** The layout functions (tests replace them). */
  readonly layouts?: Layouts;
}

/** How each renderer lays out DOT text, and whether the system one can run. */
export interface Layouts {
  readonly wasm: typeof layoutWasm;
  readonly system: typeof layoutSystem;
  readonly systemAvailable: () => Promise<boolean>;
}

const LAYOUTS: Layouts = { wasm: layoutWasm, system: layoutSystem, systemAvailable: systemGraphvizAvailable };

export interface DrawResult {
  readonly data: Buffer;
  readonly engine: GraphEngine | undefined;
  readonly renderer: GraphRenderer | undefined;
  /** PNG: pixels; SVG and PDF: points. */
  readonly width?: number;
  readonly height?: number;
  readonly layoutMs?: number;
}

/** The least time the fallback layout gets. */
const FALLBACK_TIMEOUT_MS = 120_000;

const LAYER_NOUN = { eth: 'devices', ip: 'hosts', transport: 'nodes', app: 'nodes' } as const;

/** The notes under the legend: what widths and arrows mean, what was folded or left out. */
export function legendNotes(m: GraphModel): string[] {
  const notes = [
    `Edge width: log of ${m.weight}. Arrows point from the side that spoke first${m.layer === 'transport' || m.layer === 'app' ? ' (the client)' : ''}; → counts follow the arrow, ← go against it.`,
  ];
  if (m.folded.nodes > 0) {
    const noun = LAYER_NOUN[m.layer];
    let t = `Busiest ${countText(m.nodes.length - 1)} of ${countText(m.totalNodes)} ${noun} shown (--top); ${countText(m.folded.nodes)} folded into "other hosts".`;
    if (m.folded.hiddenPackets > 0) t += ` Traffic among them (${countText(m.folded.hiddenPackets)} packets) is not drawn.`;
    notes.push(t);
  }
  if (m.excluded.conversations > 0) {
    notes.push(`Left out (--exclude-broadcast): ${countText(m.excluded.conversations)} conversations with a broadcast or multicast address, ${countText(m.excluded.packets)} packets.`);
  }
  return notes;
}

function legendOf(m: GraphModel, protocols: LegendContent['protocols']): LegendContent {
  const order = ['internal', 'external', 'group', 'other'] as const;
  const present = new Set(m.nodes.map((n) => n.scope));
  return { protocols, scopes: order.filter((s) => present.has(s)), notes: legendNotes(m) };
}

async function layout(dot: string, plan: LayoutPlan, o: DrawOptions): Promise<{ svg: string; ms: number }> {
  const l = o.layouts ?? LAYOUTS;
  const r = o.renderer === 'system' ? await l.system(dot, plan.engine, o.timeoutMs) : await l.wasm(dot, plan.engine, o.timeoutMs);
  return { svg: r.svg, ms: r.layoutMs };
}

export async function drawGraph(m: GraphModel, o: DrawOptions): Promise<DrawResult> {
  if (o.format === 'json') return { data: Buffer.from(`${jsonText(graphJson(m), 2)}\n`), engine: undefined, renderer: undefined };
  const style = graphStyle();
  let plan = planLayout(m.nodes.length, m.edges.length, m.clusters.size > 0, o.engine);
  let built = buildDot(m, plan, o.title, style);
  if (o.format === 'dot') return { data: Buffer.from(dotText(built)), engine: plan.engine, renderer: undefined };

  let renderer = o.renderer;
  let done: { svg: string; ms: number } | undefined;
  let failure: LayoutError | undefined;
  try {
    done = await layout(dotText(built), plan, o);
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    failure = e;
  }
  if (failure !== undefined && renderer === 'system' && !failure.timedOut) {
    // The installed Graphviz is missing or failed: the built-in one, same engine.
    o.warn(`--renderer system: ${failure.message}; laying out with the built-in Graphviz instead`);
    return drawGraph(m, { ...o, renderer: 'wasm', systemFallback: false });
  }
  if (failure !== undefined && !failure.timedOut && o.systemFallback === true && (await (o.layouts ?? LAYOUTS).systemAvailable())) {
    // The WebAssembly build lacks parts of Graphviz (its triangulation library): the installed one may have them.
    o.warn(`the built-in Graphviz failed (${failure.message}); laying out with the installed Graphviz instead`);
    renderer = 'system';
    try {
      done = await layout(dotText(built), plan, { ...o, renderer });
      failure = undefined;
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
      failure = e;
    }
  }
  if (failure !== undefined) {
    const next = fallbackPlan(plan);
    if (next === undefined) throw failure;
    o.warn(`layout with ${plan.engine} failed (${failure.message}); laying out with sfdp instead${renderer === 'system' ? ' (built-in Graphviz)' : ''}`);
    plan = next;
    renderer = 'wasm';
    built = buildDot(m, plan, o.title, style);
    // sfdp with overlap=scale finishes in seconds even on thousands of nodes: it gets at least the default time.
    done = await layout(dotText(built), plan, { ...o, renderer, timeoutMs: Math.max(o.timeoutMs, FALLBACK_TIMEOUT_MS) });
  }
  let { svg } = done!;
  const { ms } = done!;
  svg = finishSvg(svg, legendOf(m, built.legend), style);
  const size = svgSize(svg);
  if (o.format === 'svg') return { data: Buffer.from(svg), engine: plan.engine, renderer, width: size.width, height: size.height, layoutMs: ms };
  if (o.format === 'png') {
    const png = await svgToPng(svg);
    return { data: png.png, engine: plan.engine, renderer, width: png.width, height: png.height, layoutMs: ms };
  }
  const pdf = await svgToPdf(svg, o.title);
  return { data: pdf, engine: plan.engine, renderer, width: size.width, height: size.height, layoutMs: ms };
}

/** Packets drawn on edges (for the run's summary line). */
export const drawnPackets = (m: GraphModel): number => m.edges.reduce((s, e) => s + edgePackets(e), 0);
