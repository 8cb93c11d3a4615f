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
