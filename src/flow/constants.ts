/** The flow command's choices, kept apart so the command's options load without the flow code. */
export const FLOW_FORMATS = ['txt', 'svg', 'pdf', 'mmd'] as const;
export type FlowFormat = (typeof FLOW_FORMATS)[number];

/** What a lifeline is: an address (`host`) or an address and port (`endpoint`). */
export const FLOW_BY = ['host', 'endpoint'] as const;
export type FlowBy = (typeof FLOW_BY)[number];

/** How TCP packets that carry only an acknowledgement are drawn. */
export const FLOW_ACKS = ['show', 'dashed', 'hide'] as const;
export type FlowAcks = (typeof FLOW_ACKS)[number];

/** Arrows a diagram draws by default; the rest is counted and said on the diagram. */
export const DEFAULT_MAX_ARROWS = 300;
