/** Row order for the `stats` tables (`--sort`) and the `--top N` cut. */
import { conversationBytes, conversationDurationNs, conversationPackets, endpointBytes, endpointPackets, type Conversation, type Endpoint } from '../../analyze/conversations.js';
import { compareTime } from '../../analyze/traffic-taps.js';
import type { HierarchyNode } from '../../analyze/protocol-hierarchy.js';

/**
 * `bytes` and `packets`: largest first; `start`: earliest first; `duration`: longest first;
 * `name`: by address (or protocol name); `order`: as first seen in the capture (tshark's order);
 * `count`: largest count first (the dns, http and tls tables).
 */
export const STATS_SORTS = ['bytes', 'packets', 'start', 'duration', 'name', 'order', 'count'] as const;
export type StatsSort = (typeof STATS_SORTS)[number];

type Compare<T> = (a: T, b: T) => number;

const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;
const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const num = (a: number | undefined, b: number | undefined): number => (a ?? -1) - (b ?? -1);

export function conversationOrder(sort: StatsSort): Compare<Conversation> {
  const primary: Compare<Conversation> = {
    bytes: (a: Conversation, b: Conversation) => conversationBytes(b) - conversationBytes(a),
    packets: (a: Conversation, b: Conversation) => conversationPackets(b) - conversationPackets(a),
    start: (a: Conversation, b: Conversation) => compareTime(a.startSec, a.startNsec, b.startSec, b.startNsec),
    duration: (a: Conversation, b: Conversation) => conversationDurationNs(b) - conversationDurationNs(a),
    name: (a: Conversation, b: Conversation) => text(a.a, b.a) || num(a.portA, b.portA) || text(a.b, b.b) || num(a.portB, b.portB),
    order: () => 0,
    count: (a: Conversation, b: Conversation) => conversationPackets(b) - conversationPackets(a),
  }[sort];
  return (a, b) => primary(a, b) || bySeq(a, b);
}

/** Endpoints have no times: `start` and `duration` keep the order of first appearance. */
export function endpointOrder(sort: StatsSort): Compare<Endpoint> {
  const primary: Compare<Endpoint> =
    sort === 'bytes'
      ? (a, b) => endpointBytes(b) - endpointBytes(a)
      : sort === 'packets'
        ? (a, b) => endpointPackets(b) - endpointPackets(a)
        : sort === 'name'
          ? (a, b) => text(a.address, b.address) || num(a.port, b.port)
          : () => 0;
  return (a, b) => primary(a, b) || bySeq(a, b);
}

/** Sorts a copy and keeps the first `top` rows (all when `top` is undefined). */
export function orderRows<T>(rows: readonly T[], compare: Compare<T>, top: number | undefined): T[] {
  const out = [...rows].sort(compare);
  return top === undefined ? out : out.slice(0, top);
}

/**
 * The hierarchy with the children of every node ordered (`order` keeps first-seen order) and cut
 * to the first `top` at each level.
 */
export function orderHierarchy(node: HierarchyNode, sort: StatsSort, top: number | undefined): HierarchyNode {
  const compare: Compare<HierarchyNode> | undefined =
    sort === 'bytes' ? (a, b) => b.bytes - a.bytes : sort === 'packets' ? (a, b) => b.packets - a.packets : sort === 'name' ? (a, b) => text(a.name, b.name) : undefined;
  let children = node.children.map((c) => orderHierarchy(c, sort, top));
  if (compare !== undefined) children = children.map((c, i) => ({ c, i })).sort((x, y) => compare(x.c, y.c) || x.i - y.i).map((x) => x.c);
  if (top !== undefined) children = children.slice(0, top);
  return { name: node.name, packets: node.packets, bytes: node.bytes, children };
}
