/** The protocol hierarchy: JSON tree (the contract), CSV rows by path, and a section for people and Markdown. */
import type { HierarchyNode } from '../../analyze/protocol-hierarchy.js';
import type { Column, Row } from '../table/table.js';
import type { StatsSection } from './sections.js';
import { countText, humanBytes, percentText } from './units.js';

export interface HierarchyJson {
  name: string;
  packets: number;
  bytes: number;
  children: HierarchyJson[];
}

/** `{name, packets, bytes, children}`, rooted at `frame` (the contract in ARCHITECTURE.md). */
export function hierarchyJson(n: HierarchyNode): HierarchyJson {
  return { name: n.name, packets: n.packets, bytes: n.bytes, children: n.children.map(hierarchyJson) };
}

/** Depth-first walk below the root: each node with its path of names and depth (1 = under frame). */
function walk(root: HierarchyNode, visit: (n: HierarchyNode, path: string, depth: number) => void): void {
  const go = (n: HierarchyNode, path: string, depth: number): void => {
    for (const c of n.children) {
      const p = path === '' ? c.name : `${path}/${c.name}`;
      visit(c, p, depth);
      go(c, p, depth + 1);
    }
  };
  go(root, '', 1);
}

export const HIERARCHY_CSV_COLUMNS: readonly Column[] = ['path', 'name', 'depth', 'packets', 'bytes'].map((key) => ({ key, title: key }));

/** One CSV row per node, the root (`frame`, depth 0) first. */
export function hierarchyCells(root: HierarchyNode): Row[] {
  const rows: Row[] = [{ path: root.name, name: root.name, depth: '0', packets: String(root.packets), bytes: String(root.bytes) }];
  walk(root, (n, path, depth) => rows.push({ path: `${root.name}/${path}`, name: n.name, depth: String(depth), packets: String(n.packets), bytes: String(n.bytes) }));
  return rows;
}

/**
 * The tree as a table: names indented by depth for people (`table`, with shares of the root and
 * human units), paths with exact numbers in Markdown (which collapses indentation).
 */
export function hierarchySection(root: HierarchyNode, format: 'table' | 'md'): StatsSection {
  const right = 'right' as const;
  if (format === 'md') {
    const rows: Row[] = [];
    walk(root, (n, path) => rows.push({ path, packets: String(n.packets), bytes: String(n.bytes) }));
    return {
      title: `Protocol hierarchy (${root.packets} packets, ${root.bytes} bytes)`,
      columns: [
        { key: 'path', title: 'Protocol' },
        { key: 'packets', title: 'Packets', align: right },
        { key: 'bytes', title: 'Bytes', align: right },
      ],
      rows,
      empty: 'no packets',
    };
  }
  const rows: Row[] = [];
  walk(root, (n, _path, depth) =>
    rows.push({
      name: `${'  '.repeat(depth - 1)}${n.name}`,
      packets: countText(n.packets),
      packetShare: percentText(n.packets, root.packets),
      bytes: humanBytes(n.bytes),
      byteShare: percentText(n.bytes, root.bytes),
    }),
  );
  return {
    title: `Protocol hierarchy: ${countText(root.packets)} packets, ${humanBytes(root.bytes)}`,
    columns: [
      { key: 'name', title: 'Protocol' },
      { key: 'packets', title: 'Packets', align: right },
      { key: 'packetShare', title: '% packets', align: right },
      { key: 'bytes', title: 'Bytes', align: right },
      { key: 'byteShare', title: '% bytes', align: right },
    ],
    rows,
    empty: 'no packets',
  };
}
