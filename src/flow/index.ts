// The flow (sequence diagram) pipeline: model, layout and renderers.
export { DEFAULT_MAX_ARROWS, FLOW_ACKS, FLOW_BY, FLOW_FORMATS, type FlowAcks, type FlowBy, type FlowFormat } from './constants.js';
export {
  connectionEndText,
  connectionStartText,
  convMatches,
  endpointKey,
  expertOf,
  flowCutText,
  flowIsCut,
  flowSummaryText,
  FlowBuilder,
  isAckOnly,
  parseConv,
  type ConvEnd,
  type ConvSpec,
  type ExpertLevel,
  type FlowArrow,
  type FlowBuildOptions,
  type FlowEvent,
  type FlowExpert,
  type FlowLifeline,
  type FlowModel,
  type FlowNote,
} from './model.js';
export { layoutFlow, type Canvas, type FlowGeometry } from './diagram.js';
export { renderFlowAscii, type AsciiOptions } from './ascii.js';
export { mermaidText, renderFlowMermaid } from './mermaid.js';
export { renderFlowSvg, type FlowSvg } from './svg.js';
export { planFlowPages, renderFlowPdf, type FlowPdf } from './pdf.js';
export { drawFlow, type FlowDrawOptions, type FlowDrawResult } from './draw.js';
export { flowFromCapture, type FlowFromCaptureOptions } from './from-capture.js';
