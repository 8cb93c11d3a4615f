/** `stats conv`: conversations as `tshark -z conv,TYPE` counts them, one table per type. */
import { ConversationBuilder, type Conversation, type ConversationReport } from '../../analyze/conversations.js';
import { isTrafficType, TRAFFIC_TYPES, type TrafficType } from '../../analyze/traffic-taps.js';
import { CONVERSATION_CSV_COLUMNS, conversationCells, namedConversationJson, conversationSection } from '../../render/stats/conversation-table.js';
import { conversationOrder, orderRows } from '../../render/stats/order.js';
import { nameOf, type RenderContext, sortFor, type StatsSettings, type StatsTableDef } from './table.js';
import { retiredWarnings } from './traffic.js';

export const trafficTypes = (s: StatsSettings): readonly TrafficType[] => s.types?.filter(isTrafficType) ?? TRAFFIC_TYPES;

/** JSON of a per-type table: a bare array for one `--type`, else an object keyed by type. */
export const byType = (s: StatsSettings, f: (t: TrafficType) => unknown): unknown => {
  const types = trafficTypes(s);
  return s.types !== undefined && s.types.length === 1 ? f(types[0]!) : Object.fromEntries(types.map((t) => [t, f(t)]));
};

export const conv: StatsTableDef<ConversationReport> = {
  name: 'conv',
  describe: 'conversations (--type eth, ip, ipv6, tcp, udp)',
  sorts: ['bytes', 'packets', 'start', 'duration', 'name', 'order'],
  takesTypes: true,
  usesNames: true,
  optionalCsvColumns: ['nameA', 'nameB'],
  // UDP rows need the protocol a datagram carries (SNMP, TFTP) and the media endpoints SDP announces.
  transportOnly: (s) => !trafficTypes(s).includes('udp'),
  reducer(s) {
    const sort = sortFor(conv, s);
    const b = new ConversationBuilder(trafficTypes(s), {
      maxFlows: s.maxFlows,
      ...(s.top !== undefined ? { keepFinished: { count: s.top, rank: conversationOrder(sort) } } : {}),
    });
    return { add: (p) => b.add(p), finish: () => b.finish(), taps: b };
  },
  warnings: (r, s) => retiredWarnings(r, 'conversations', s.maxFlows),
  json: (r, c) => byType(c.settings, (t) => rows(r, t, c).map((x) => namedConversationJson(x, nameOf(c)))),
  csvColumns: () => CONVERSATION_CSV_COLUMNS,
  // One type's rows at a time (see `sections`).
  *csvRows(r, c) {
    for (const t of trafficTypes(c.settings)) for (const x of rows(r, t, c)) yield conversationCells(x, nameOf(c));
  },
  // One type's rows and cells at a time: a large capture's five tables are not all held as cells at once.
  *sections(r, format, c) {
    for (const t of trafficTypes(c.settings)) yield conversationSection(t, rows(r, t, c), format, nameOf(c));
  },
};

function rows(r: ConversationReport, t: TrafficType, c: RenderContext): Conversation[] {
  return orderRows(r[t]?.rows ?? [], conversationOrder(sortFor(conv, c.settings)), c.settings.top);
}
