/**
 * From the graph model to the bytes of an output file: DOT and JSON directly; SVG through a
 * Graphviz layout (with a fallback when it fails) and the legend; PNG and PDF from that SVG.
 */
import { countText } from '../render/stats/units.js';
import { buildDot, dotText } from './dot.js';
import { fallbackPlan, planLayout, type GraphEngine, type LayoutPlan } from './engines.js';
import { graphJson } from './json.js';
import type { GraphFormat, GraphRenderer } from './constants.js';
import { layoutSystem, layoutWasm, LayoutError } from './layout.js';
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
}

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
  const r = o.renderer === 'system' ? await layoutSystem(dot, plan.engine, o.timeoutMs) : await layoutWasm(dot, plan.engine, o.timeoutMs);
  return { svg: r.svg, ms: r.layoutMs };
}

export async function drawGraph(m: GraphModel, o: DrawOptions): Promise<DrawResult> {
  if (o.format === 'json') return { data: Buffer.from(`${JSON.stringify(graphJson(m), null, 2)}\n`), engine: undefined, renderer: undefined };
  const style = graphStyle();
  let plan = planLayout(m.nodes.length, m.edges.length, m.clusters.size > 0, o.engine);
  let built = buildDot(m, plan, o.title, style);
  if (o.format === 'dot') return { data: Buffer.from(dotText(built)), engine: plan.engine, renderer: undefined };

  let renderer = o.renderer;
  let svg: string;
  let ms: number;
  try {
    ({ svg, ms } = await layout(dotText(built), plan, o));
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    if (renderer === 'system' && !e.timedOut) {
      // The installed Graphviz is missing or failed: the built-in one, same engine.
      o.warn(`--renderer system: ${e.message}; laying out with the built-in Graphviz instead`);
      renderer = 'wasm';
      return drawGraph(m, { ...o, renderer });
    }
    const next = fallbackPlan(plan);
    if (next === undefined) throw e;
    o.warn(`layout with ${plan.engine} failed (${e.message}); laying out with sfdp instead${renderer === 'system' ? ' (built-in Graphviz)' : ''}`);
    plan = next;
    renderer = 'wasm';
    built = buildDot(m, plan, o.title, style);
    // sfdp with overlap=scale finishes in seconds even on thousands of nodes: it gets at least the default time.
    ({ svg, ms } = await layout(dotText(built), plan, { ...o, renderer, timeoutMs: Math.max(o.timeoutMs, FALLBACK_TIMEOUT_MS) }));
  }
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
