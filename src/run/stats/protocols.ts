/** `stats protocols`: the protocol hierarchy, as `tshark -z io,phs`. */
import { ProtocolHierarchyBuilder, type HierarchyNode } from '../../analyze/protocol-hierarchy.js';
import { HIERARCHY_CSV_COLUMNS, hierarchyCells, hierarchyJson, hierarchySection } from '../../render/stats/hierarchy-table.js';
import { orderHierarchy } from '../../render/stats/order.js';
import { type RenderContext, sortFor, type StatsTableDef } from './table.js';

export const protocols: StatsTableDef<HierarchyNode> = {
  name: 'protocols',
  describe: 'the protocol hierarchy',
  sorts: ['order', 'bytes', 'packets', 'name'],
  reducer() {
    const b = new ProtocolHierarchyBuilder();
    return { add: (p) => b.add(p), finish: () => b.finish() };
  },
  json: (r, c) => hierarchyJson(tree(r, c)),
  csvColumns: () => HIERARCHY_CSV_COLUMNS,
  csvRows: (r, c) => hierarchyCells(tree(r, c)),
  sections: (r, format, c) => [hierarchySection(tree(r, c), format)],
};

const tree = (r: HierarchyNode, c: RenderContext): HierarchyNode => orderHierarchy(r, sortFor(protocols, c.settings), c.settings.top);
