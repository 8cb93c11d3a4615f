/**
 * Which Graphviz engine lays out a graph, and with which options, so that no graph we make
 * hangs or crashes the layout. Measured on the 2-core machine with the WebAssembly build:
 * `dot` did not finish a 1,196-node / 13,331-edge graph in 580 s and takes seconds already on
 * 40 densely linked nodes; `neato` with overlap removal is quick up to a few hundred nodes;
 * `sfdp` with `overlap=scale` lays out the 1,196-node graph in about 3 s, while removing
 * overlaps (`overlap=false`) there took 75 s or crashed the WebAssembly build.
 */

import type { GraphEngine } from './constants.js';

export type { GraphEngine } from './constants.js';

export interface LayoutPlan {
  readonly engine: GraphEngine;
  /** Graph attributes the engine is run with (they go into the DOT too). */
  readonly attributes: Readonly<Record<string, string | number>>;
  /** Edge attributes the engine is run with (neato's preferred edge length). */
  readonly edgeAttributes: Readonly<Record<string, string | number>>;
  /** Whether edges carry text labels (dense graphs keep numbers in tooltips only). */
  readonly edgeLabels: boolean;
  /** Whether nodes show their totals line. */
  readonly nodeTotals: boolean;
  /** Whether tooltips carry everything (protocol lists, conversations); large graphs keep them short. */
  readonly fullTooltips: boolean;
}

/**
 * `dot` (left to right) draws sparse graphs best, a hub's peers in one readable column, and
 * is quick on them: up to 60 nodes with at most 1.5 edges per node (stars and trees, the usual
 * top-40 graph of a client's capture), and any graph of up to 8 nodes and 12 edges.
 */
const DOT_LIMIT = { nodes: 60, edgesPerNode: 1.5, smallNodes: 8, smallEdges: 12 };
/** The largest graph drawn with `neato` and overlap removal by default. */
const NEATO_LIMIT = { nodes: 150, edges: 600 };
/** Most edges neato routes around nodes. */
const SPLINE_LIMIT = 80;
/** Most edges that get text labels. */
const EDGE_LABEL_LIMIT = 80;
/** Most edges whose tooltips list every protocol (beyond, the DOT and SVG grow by megabytes). */
const FULL_TOOLTIP_EDGES = 2000;
/** Most nodes that show their totals line. */
const NODE_TOTALS_LIMIT = 300;

/** Attributes for an engine at a size (also used when the user names the engine). */
export function engineAttributes(engine: GraphEngine, nodes: number, edges: number): Record<string, string | number> {
  const big = nodes > NEATO_LIMIT.nodes || edges > NEATO_LIMIT.edges;
  switch (engine) {
    case 'dot':
      return { rankdir: 'LR', nodesep: 0.15, ranksep: 1.2 };
    case 'neato':
      // Edges routed around nodes (splines) cost time with many edges; straight lines then.
      return big ? { overlap: 'scale', sep: '+6' } : { overlap: 'false', sep: '+8', ...(edges <= SPLINE_LIMIT ? { splines: 'true' } : {}) };
    case 'fdp':
      return big ? { overlap: 'scale', sep: '+6' } : { overlap: 'false', sep: '+14', K: 1.2 };
    case 'sfdp':
      return { overlap: 'scale', sep: '+4' };
    case 'circo':
      return { overlap: 'false', mindist: 0.6 };
    case 'twopi':
      return { overlap: big ? 'scale' : 'false', ranksep: 2.2 };
  }
}

/**
 * The plan for a graph of `nodes` nodes and `edges` edges: `engine` when the user named one,
 * else `dot` for small graphs (left to right reads best), `fdp` for clustered ones (it draws
 * clusters, neato and sfdp do not), `neato` up to a few hundred nodes, `sfdp` beyond.
 */
export function planLayout(nodes: number, edges: number, clustered: boolean, engine?: GraphEngine): LayoutPlan {
  const chosen = engine ?? defaultEngine(nodes, edges, clustered);
  return {
    engine: chosen,
    attributes: engineAttributes(chosen, nodes, edges),
    edgeAttributes: {},
    edgeLabels: edges <= EDGE_LABEL_LIMIT,
    nodeTotals: nodes <= NODE_TOTALS_LIMIT,
    fullTooltips: nodes <= NODE_TOTALS_LIMIT && edges <= FULL_TOOLTIP_EDGES,
  };
}

export function defaultEngine(nodes: number, edges: number, clustered: boolean): GraphEngine {
  if ((nodes <= DOT_LIMIT.smallNodes && edges <= DOT_LIMIT.smallEdges) || (nodes <= DOT_LIMIT.nodes && edges <= DOT_LIMIT.edgesPerNode * nodes)) return 'dot';
  if (nodes <= NEATO_LIMIT.nodes && edges <= NEATO_LIMIT.edges) return clustered ? 'fdp' : 'neato';
  return 'sfdp';
}

/** What to try when a layout fails or runs out of time: the engine that always finishes. */
export function fallbackPlan(plan: LayoutPlan): LayoutPlan | undefined {
  if (plan.engine === 'sfdp' && plan.attributes['overlap'] === 'scale') return undefined;
  return { ...plan, engine: 'sfdp', attributes: { overlap: 'scale', sep: '+4' }, edgeAttributes: {} };
}
