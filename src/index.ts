// pcapviz library API: re-exports only.
export * from './capture/index.js';
export {
  CaptureSummaryBuilder,
  summarizeCapture,
  summarizeFile,
  type CaptureSummary,
  type InterfaceSummary,
  type Timestamp,
} from './analyze/capture-summary.js';
export { infoJson, infoKeyValues, infoTable } from './render/info/info-report.js';
export { formatEpoch, formatIso } from './render/time-format.js';
export {
  DEFAULT_MAX_ARROWS,
  drawFlow,
  flowCutText,
  flowFromCapture,
  FlowBuilder,
  layoutFlow,
  parseConv,
  renderFlowAscii,
  renderFlowMermaid,
  renderFlowPdf,
  renderFlowSvg,
  type FlowArrow,
  type FlowBuildOptions,
  type FlowEvent,
  type FlowFormat,
  type FlowFromCaptureOptions,
  type FlowLifeline,
  type FlowModel,
  type FlowNote,
} from './flow/index.js';
export { compileFilter, type DisplayFilter, filterDissectOptions, FilterError, parseFilter } from './filter/index.js';
