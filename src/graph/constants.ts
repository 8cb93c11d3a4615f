/** The graph command's choices, kept apart so the command's options load without the graph code. */
export const GRAPH_LAYERS = ['eth', 'ip', 'transport', 'app'] as const;
export type GraphLayer = (typeof GRAPH_LAYERS)[number];

export const GRAPH_WEIGHTS = ['packets', 'bytes'] as const;
export type GraphWeight = (typeof GRAPH_WEIGHTS)[number];

export const GRAPH_FORMATS = ['svg', 'png', 'pdf', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export const GRAPH_ENGINES = ['dot', 'neato', 'fdp', 'sfdp', 'circo', 'twopi'] as const;
export type GraphEngine = (typeof GRAPH_ENGINES)[number];

export const GRAPH_RENDERERS = ['wasm', 'system'] as const;
export type GraphRenderer = (typeof GRAPH_RENDERERS)[number];

/** Busiest nodes a graph keeps by default. */
export const DEFAULT_TOP = 40;
