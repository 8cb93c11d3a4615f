/** `stats endpoints`: endpoints as `tshark -z endpoints,TYPE` counts them, one table per type. */
import { EndpointBuilder, type Endpoint, type EndpointReport } from '../../analyze/conversations.js';
import type { TrafficType } from '../../analyze/traffic-taps.js';
import { ENDPOINT_CSV_COLUMNS, endpointCells, namedEndpointJson, endpointSection } from '../../render/stats/conversation-table.js';
import { endpointOrder, orderRows } from '../../render/stats/order.js';
import { byType, trafficTypes } from './conv.js';
import { nameOf, type RenderContext, sortFor, type StatsTableDef } from './table.js';
import { retiredWarnings } from './traffic.js';

export const endpoints: StatsTableDef<EndpointReport> = {
  name: 'endpoints',
  describe: 'endpoints (--type eth, ip, ipv6, tcp, udp)',
  sorts: ['bytes', 'packets', 'name', 'order'],
  takesTypes: true,
  usesNames: true,
  optionalCsvColumns: ['name'],
  transportOnly: (s) => !trafficTypes(s).includes('udp'),
  reducer(s) {
    const sort = sortFor(endpoints, s);
    const b = new EndpointBuilder(trafficTypes(s), {
      maxFlows: s.maxFlows,
      ...(s.top !== undefined ? { keepFinished: { count: s.top, rank: endpointOrder(sort) } } : {}),
    });
    return { add: (p) => b.add(p), finish: () => b.finish(), taps: b };
  },
  warnings: (r, s) => retiredWarnings(r, 'endpoints', s.maxFlows),
  json: (r, c) => byType(c.settings, (t) => rows(r, t, c).map((x) => namedEndpointJson(x, nameOf(c)))),
  csvColumns: () => ENDPOINT_CSV_COLUMNS,
  // One type's rows at a time (see `sections`).
  *csvRows(r, c) {
    for (const t of trafficTypes(c.settings)) for (const x of rows(r, t, c)) yield endpointCells(x, nameOf(c));
  },
  // One type's rows and cells at a time: a large capture's five tables are not all held as cells at once.
  *sections(r, format, c) {
    for (const t of trafficTypes(c.settings)) yield endpointSection(t, rows(r, t, c), format, nameOf(c));
  },
};

function rows(r: EndpointReport, t: TrafficType, c: RenderContext): Endpoint[] {
  return orderRows(r[t]?.rows ?? [], endpointOrder(sortFor(endpoints, c.settings)), c.settings.top);
}
