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
export { Dissector, dissectPacket, type DissectOptions } from './dissect/dissect-packet.js';
export { defaultRegistry } from './dissect/protocols/index.js';
export type { DissectedPacket, FieldNode, FieldValue, Issue, LayerNode } from './dissect/tree.js';
export { packetJson, packetText, packetTreeLines, type TreeLine } from './render/text/packet-text.js';
export { writePacketDump, type PdfdumpOptions } from './run/run-pdfdump.js';
export { collectCapture, type CollectedCapture, type CollectOptions } from './report/collect.js';
export { buildReport, type BuildOptions } from './report/build.js';
export { renderReportHtml } from './report/html.js';
export { renderReportPdf, writeReportPdf } from './report/pdf.js';
export { renderReportMarkdown } from './report/markdown.js';
export { makeReport, renderReport, type ReportOptions } from './run/run-report.js';
export * from './report/model.js';
export {
  ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, Dot1Q, Ether, GRE, HTTPRequest, HTTPResponse, ICMP, ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6ND_NA,
  ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
  IPv6ExtHdrRouting, NTP, Raw, TCP, TLSClientHello, UDP, VXLAN,
  CraftValueError, defineLayer, LAYERS, Layer, stack,
  type BuildContext, type DHCPOption, type DNSRecords, type FieldSpec, type FieldsOf, type HTTPHeaders, type IPOption, type IPv6Option, type LayerBuilder,
  type LayerDef, type TCPOption, type TLSExtension,
} from './craft/index.js';
export { compileCraft, CraftError, parseCraft, type CraftSeries } from './craft/index.js';
export { fuzzLayer, fuzzPacket, mutatePacket, mutationTargets, randomValue, Rng, type MutatedPacket, type MutationTargets, type TemplateFuzzOptions } from './craft/index.js';
