/**
 * `pcapviz stats conv|endpoints|protocols`: one pass over each capture in summary mode (no field
 * recording), the reducers of `src/analyze/` fed once per packet, then one renderer.
 */
import { ConversationBuilder, EndpointBuilder, type Conversation, type ConversationReport, type Endpoint, type EndpointReport, type TableResult } from '../analyze/conversations.js';
import { DEFAULT_MAX_FLOWS } from '../analyze/flow-table.js';
import { ProtocolHierarchyBuilder, type HierarchyNode } from '../analyze/protocol-hierarchy.js';
import { isTrafficType, TRAFFIC_TYPES, type TrafficType } from '../analyze/traffic-taps.js';
import type { CaptureReader } from '../capture/read-capture.js';
import type { DissectedPacket } from '../dissect/tree.js';
import type { OutputFormat } from '../cli/options.js';
import { EXIT, type ExitCode, warn, writeOut } from '../cli/output.js';
import {
  CONVERSATION_CSV_COLUMNS,
  conversationCells,
  conversationJson,
  conversationSection,
  ENDPOINT_CSV_COLUMNS,
  endpointCells,
  endpointJson,
  endpointSection,
} from '../render/stats/conversation-table.js';
import { HIERARCHY_CSV_COLUMNS, hierarchyCells, hierarchyJson, hierarchySection } from '../render/stats/hierarchy-table.js';
import { conversationOrder, endpointOrder, orderHierarchy, orderRows, type StatsSort } from '../render/stats/order.js';
import { renderSections, type StatsSection } from '../render/stats/sections.js';
import { type Column, type Row, renderTable } from '../render/table/table.js';
import { escapeControl, markdownCell } from '../render/text-safety.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';

import type { StatsTable } from './stats-tables.js';

export { STATS_TABLES, type StatsTable } from './stats-tables.js';

export interface StatsOptions {
  readonly table: StatsTable;
  /** Conversation or endpoint types (checked here); undefined: all five. */
  readonly types: readonly string[] | undefined;
  readonly format: OutputFormat;
  /** Rows kept per table (children per node for `protocols`); undefined: all. */
  readonly top: number | undefined;
  /** Undefined: by bytes for conv and endpoints, first seen for protocols. */
  readonly sort: StatsSort | undefined;
  /** Live flows kept per table before idle ones are retired. */
  readonly maxFlows: number | undefined;
  readonly decodeAs: readonly string[];
}

interface CaptureStats {
  readonly file: string;
  readonly conv?: ConversationReport;
  readonly endpoints?: EndpointReport;
  readonly protocols?: HierarchyNode;
}

/** Checks option combinations; returns a message for the first bad one. */
function checkOptions(o: StatsOptions): string | undefined {
  if (o.top !== undefined && (!Number.isInteger(o.top) || o.top < 1)) return '--top must be a whole number of at least 1';
  if (o.maxFlows !== undefined && (!Number.isInteger(o.maxFlows) || o.maxFlows < 1)) return '--max-flows must be a whole number of at least 1';
  if (o.table === 'protocols' && o.types !== undefined) return '--type applies to conv and endpoints, not protocols';
  for (const t of o.types ?? []) if (!isTrafficType(t)) return `--type must be one of ${TRAFFIC_TYPES.join(', ')}, not "${t}"`;
  if (o.table !== 'conv' && (o.sort === 'start' || o.sort === 'duration')) return `${o.table} have no times: sort by bytes, packets, name or order`;
  return undefined;
}

export async function runStats(paths: readonly string[], o: StatsOptions): Promise<ExitCode> {
  const bad = checkOptions(o);
  if (bad !== undefined) {
    warn(bad);
    return EXIT.FAILURE;
  }
  const sel = selectPackets(undefined, o.decodeAs, undefined);
  if (sel === undefined) return EXIT.FAILURE;
  const types: readonly TrafficType[] = o.types?.filter(isTrafficType) ?? TRAFFIC_TYPES;
  const sort = o.sort ?? (o.table === 'protocols' ? 'order' : 'bytes');
  const flows = { maxFlows: o.maxFlows ?? DEFAULT_MAX_FLOWS };
  const results: CaptureStats[] = [];

  let current: CaptureReader | undefined;
  let add: ((p: DissectedPacket) => void) | undefined;
  let finish: (() => CaptureStats) | undefined;
  const start = (reader: CaptureReader): void => {
    current = reader;
    if (o.table === 'conv') {
      const b = new ConversationBuilder(types, { ...flows, ...(o.top !== undefined ? { keepFinished: { count: o.top, rank: conversationOrder(sort) } } : {}) });
      add = (p) => b.add(p);
      finish = () => ({ file: reader.name, conv: b.finish() });
    } else if (o.table === 'endpoints') {
      const b = new EndpointBuilder(types, { ...flows, ...(o.top !== undefined ? { keepFinished: { count: o.top, rank: endpointOrder(sort) } } : {}) });
      add = (p) => b.add(p);
      finish = () => ({ file: reader.name, endpoints: b.finish() });
    } else {
      const b = new ProtocolHierarchyBuilder();
      add = (p) => b.add(p);
      finish = () => ({ file: reader.name, protocols: b.finish() });
    }
  };
  const exit = await forEachPacket(paths, sel.registry, { mode: 'summary', summaries: false }, {
    packet: (p, reader) => {
      if (reader !== current) start(reader);
      add!(p);
    },
    end: (reader) => {
      if (reader !== current) start(reader); // a capture with no packets
      const r = finish!();
      reportRetired(r, flows.maxFlows);
      results.push(r);
      current = undefined;
    },
  });
  if (results.length > 0 || o.format !== 'json') await writeOut(render(results, paths.length, o, types, sort));
  return exit;
}

function reportRetired(r: CaptureStats, maxFlows: number): void {
  const tables: [string, Partial<Record<TrafficType, TableResult<unknown>>> | undefined][] = [
    ['conversations', r.conv],
    ['endpoints', r.endpoints],
  ];
  for (const [what, report] of tables) {
    for (const [type, t] of Object.entries(report ?? {})) {
      if (t === undefined || t.retired === 0) continue;
      const left = t.discarded > 0 ? ` (${t.discarded} of them could not make --top and were left out)` : '';
      warn(`${r.file}: more than ${maxFlows} ${type} ${what} at once (--max-flows): ${t.retired} idle ones were retired into final rows${left}; a flow seen again after that starts a new row`);
    }
  }
}

function render(results: readonly CaptureStats[], captures: number, o: StatsOptions, types: readonly TrafficType[], sort: StatsSort): string {
  const several = captures > 1;
  const conv = (r: CaptureStats, type: TrafficType): Conversation[] => orderRows(r.conv?.[type]?.rows ?? [], conversationOrder(sort), o.top);
  const ends = (r: CaptureStats, type: TrafficType): Endpoint[] => orderRows(r.endpoints?.[type]?.rows ?? [], endpointOrder(sort), o.top);
  const tree = (r: CaptureStats): HierarchyNode => orderHierarchy(r.protocols ?? { name: 'frame', packets: 0, bytes: 0, children: [] }, sort, o.top);

  if (o.format === 'json') {
    const single = o.types !== undefined && o.types.length === 1;
    const value = (r: CaptureStats): unknown => {
      if (o.table === 'protocols') return hierarchyJson(tree(r));
      const byType = (f: (t: TrafficType) => unknown): unknown => (single ? f(types[0]!) : Object.fromEntries(types.map((t) => [t, f(t)])));
      return o.table === 'conv' ? byType((t) => conv(r, t).map(conversationJson)) : byType((t) => ends(r, t).map(endpointJson));
    };
    const out = several ? results.map((r) => ({ file: r.file, [o.table]: value(r) })) : value(results[0]!);
    return `${JSON.stringify(out, null, 2)}\n`;
  }

  if (o.format === 'csv') {
    const fileColumn: Column[] = several ? [{ key: 'file', title: 'file' }] : [];
    const rows: Row[] = [];
    let columns: readonly Column[];
    for (const r of results) {
      const file = several ? { file: r.file } : {};
      if (o.table === 'protocols') for (const row of hierarchyCells(tree(r))) rows.push({ ...file, ...row });
      else if (o.table === 'conv') for (const t of types) for (const c of conv(r, t)) rows.push({ ...file, ...conversationCells(c) });
      else for (const t of types) for (const e of ends(r, t)) rows.push({ ...file, ...endpointCells(e) });
    }
    if (o.table === 'protocols') columns = HIERARCHY_CSV_COLUMNS;
    else columns = o.table === 'conv' ? CONVERSATION_CSV_COLUMNS : ENDPOINT_CSV_COLUMNS;
    return renderTable([...fileColumn, ...columns], rows, 'csv');
  }

  const format = o.format;
  const parts: string[] = [];
  for (const r of results) {
    let sections: StatsSection[];
    if (o.table === 'protocols') sections = [hierarchySection(tree(r), format)];
    else if (o.table === 'conv') sections = types.map((t) => conversationSection(t, conv(r, t), format));
    else sections = types.map((t) => endpointSection(t, ends(r, t), format));
    const body = renderSections(sections, format, several ? '###' : '##');
    parts.push(several ? (format === 'md' ? `## ${markdownCell(r.file)}\n\n${body}` : `== ${escapeControl(r.file)}\n\n${body}`) : body);
  }
  return parts.join('\n');
}
