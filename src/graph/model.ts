/**
 * The conversation graph as plain data: nodes (hosts, devices, services, names) and edges with
 * their numbers, built from the conversation rows of one or more captures. Both directions of
 * a conversation are one edge; `from` is the side that spoke first (the client, for services).
 * Everything a renderer draws (DOT, SVG, PNG, PDF) and the JSON output come from this model.
 */
import { conversationKey, type CaptureTraffic, type GraphLayer, type ProtocolCount } from './collect.js';
import { addressScope, isGroupAddress, subnetOf, type AddressScope } from './addresses.js';
import { endpointText, serviceName, serviceSide } from './services.js';

import type { GraphWeight } from './constants.js';

export type { GraphWeight } from './constants.js';

/** Names learned from the captures for an address (most useful first); [] when none. */
export type NameLookup = (address: string) => readonly string[];

export interface GraphOptions {
  readonly layer: GraphLayer;
  readonly weight: GraphWeight;
  /** Busiest nodes kept; the rest fold into one "other hosts" node. 0: keep every node. */
  readonly top: number;
  /** Subnet clusters: IPv4 and IPv6 prefix lengths. */
  readonly cluster?: { readonly v4: number; readonly v6: number } | undefined;
  /** Leave out conversations with a broadcast or multicast end. */
  readonly excludeBroadcast?: boolean | undefined;
  /** Names for addresses; the `app` level draws a server by its first name. */
  readonly names?: NameLookup | undefined;
}

export type NodeKind = 'host' | 'device' | 'service' | 'name' | 'other';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly scope: AddressScope | 'other';
  /** IP or MAC address (services: the server's address; names: the addresses seen). */
  readonly address: string | undefined;
  readonly addresses: readonly string[];
  /** Services: port and transport. */
  readonly port: number | undefined;
  readonly transport: 'tcp' | 'udp' | undefined;
  /** IANA name of a service's port. */
  readonly service: string | undefined;
  /** Names learned from the capture (`name` nodes: the name itself first). */
  readonly names: readonly string[];
  readonly subnet: string | undefined;
  packets: number;
  bytes: number;
  sentPackets: number;
  sentBytes: number;
  receivedPackets: number;
  receivedBytes: number;
  /** The "other" node: how many nodes it stands for. */
  folded: number;
  readonly captures: Set<string>;
}

export interface GraphEdge {
  readonly id: string;
  /** Node ids; `from` spoke first (clients, for services). */
  readonly from: string;
  readonly to: string;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  /** Conversation rows merged into this edge (TCP streams, UDP streams, address pairs). */
  conversations: number;
  /** By bytes, largest first. */
  protocols: { readonly name: string; packets: number; bytes: number }[];
  readonly captures: Set<string>;
}

export const edgePackets = (e: GraphEdge): number => e.packetsAtoB + e.packetsBtoA;
export const edgeBytes = (e: GraphEdge): number => e.bytesAtoB + e.bytesBtoA;

export interface GraphModel {
  readonly layer: GraphLayer;
  readonly weight: GraphWeight;
  readonly captures: readonly string[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Nodes and edges before `--top` folded any. */
  readonly totalNodes: number;
  readonly totalEdges: number;
  /** What `--top` folded away: nodes, and traffic between two folded nodes (drawn nowhere). */
  readonly folded: { readonly nodes: number; readonly hiddenEdges: number; readonly hiddenPackets: number; readonly hiddenBytes: number };
  /** Conversations left out by `--exclude-broadcast`. */
  readonly excluded: { readonly conversations: number; readonly packets: number; readonly bytes: number };
  /** Subnet clusters with at least two nodes: subnet → node ids. */
  readonly clusters: ReadonlyMap<string, readonly string[]>;
}

/** Protocols a person cares less about than what they carry: an edge is coloured by them only when it carries nothing else. */
const CARRIERS = new Set(['tcp', 'udp', 'ip', 'ipv6', 'eth', 'frame', 'vlan', 'sll', 'llc']);

/** The protocol an edge is drawn in the colour of: the one with the most bytes, application protocols first. */
export function dominantProtocol(e: GraphEdge): string {
  const app = e.protocols.find((p) => !CARRIERS.has(p.name));
  return (app ?? e.protocols[0])?.name ?? 'frame';
}

interface NodeSeed {
  readonly key: string;
  readonly kind: NodeKind;
  readonly address: string | undefined;
  readonly port?: number;
  readonly transport?: 'tcp' | 'udp';
  readonly name?: string;
}

interface EdgeSeed {
  from: string;
  to: string;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  conversations: number;
  protocolKeys: Map<string, Set<string>>;
  captures: Set<string>;
}

const emptyNode = (id: string, seed: NodeSeed, names: readonly string[], subnet: string | undefined): GraphNode => ({
  id,
  kind: seed.kind,
  scope: seed.address === undefined ? 'external' : addressScope(seed.address),
  address: seed.address,
  addresses: seed.address === undefined ? [] : [seed.address],
  port: seed.port,
  transport: seed.transport,
  service: seed.port !== undefined && seed.transport !== undefined ? serviceName(seed.transport, seed.port) : undefined,
  names,
  subnet,
  packets: 0,
  bytes: 0,
  sentPackets: 0,
  sentBytes: 0,
  receivedPackets: 0,
  receivedBytes: 0,
  folded: 0,
  captures: new Set(),
});

/** Builds the graph of the given level from the captures' conversation rows. */
export function buildGraph(captures: readonly CaptureTraffic[], o: GraphOptions): GraphModel {
  const seeds = new Map<string, NodeSeed>();
  const edges = new Map<string, EdgeSeed>();
  const excluded = { conversations: 0, packets: 0, bytes: 0 };
  const seed = (s: NodeSeed): string => {
    if (!seeds.has(s.key)) seeds.set(s.key, s);
    return s.key;
  };
  const hostSeed = (address: string): NodeSeed => ({ key: address, kind: o.layer === 'eth' ? 'device' : 'host', address });

  for (const cap of captures) {
    for (const row of cap.rows) {
      if (o.excludeBroadcast === true && (isGroupAddress(row.a) || isGroupAddress(row.b))) {
        excluded.conversations++;
        excluded.packets += row.packetsAtoB + row.packetsBtoA;
        excluded.bytes += row.bytesAtoB + row.bytesBtoA;
        continue;
      }
      let from: string;
      let to: string;
      let flip = false;
      if (o.layer === 'eth' || o.layer === 'ip') {
        from = seed(hostSeed(row.a));
        to = seed(hostSeed(row.b));
      } else {
        const side = serviceSide(row);
        const transport = row.type === 'udp' ? 'udp' : 'tcp';
        from = seed(hostSeed(side.client));
        const name = o.layer === 'app' ? o.names?.(side.server)[0] : undefined;
        to =
          name !== undefined
            ? seed({ key: `name ${name} ${transport} ${side.serverPort}`, kind: 'name', address: side.server, port: side.serverPort, transport, name })
            : seed({ key: `${transport} ${endpointText(side.server, side.serverPort)}`, kind: 'service', address: side.server, port: side.serverPort, transport });
        flip = !side.serverIsB;
      }
      const key = from < to ? `${from}\n${to}` : `${to}\n${from}`;
      let e = edges.get(key);
      if (e === undefined) {
        e = { from, to, packetsAtoB: 0, bytesAtoB: 0, packetsBtoA: 0, bytesBtoA: 0, conversations: 0, protocolKeys: new Map(), captures: new Set() };
        edges.set(key, e);
      }
      // Counts along the edge's own direction: is the row's A side the edge's `from`?
      const forward = (flip ? to : from) === e.from;
      if (forward) {
        e.packetsAtoB += row.packetsAtoB;
        e.bytesAtoB += row.bytesAtoB;
        e.packetsBtoA += row.packetsBtoA;
        e.bytesBtoA += row.bytesBtoA;
      } else {
        e.packetsAtoB += row.packetsBtoA;
        e.bytesAtoB += row.bytesBtoA;
        e.packetsBtoA += row.packetsAtoB;
        e.bytesBtoA += row.bytesAtoB;
      }
      e.conversations++;
      e.captures.add(cap.file);
      let keys = e.protocolKeys.get(cap.file);
      if (keys === undefined) e.protocolKeys.set(cap.file, (keys = new Set()));
      keys.add(conversationKey(row.type, row.a, row.portA, row.b, row.portB));
    }
  }

  // Numbers per node before folding, to rank them.
  const totals = new Map<string, { packets: number; bytes: number }>();
  for (const e of edges.values()) {
    const p = e.packetsAtoB + e.packetsBtoA;
    const b = e.bytesAtoB + e.bytesBtoA;
    for (const k of e.from === e.to ? [e.from] : [e.from, e.to]) {
      const t = totals.get(k) ?? { packets: 0, bytes: 0 };
      t.packets += p;
      t.bytes += b;
      totals.set(k, t);
    }
  }
  const weightOf = (k: string): number => (o.weight === 'bytes' ? totals.get(k)!.bytes : totals.get(k)!.packets);
  const ranked = [...seeds.keys()].sort((a, b) => weightOf(b) - weightOf(a) || (totals.get(b)!.packets - totals.get(a)!.packets) || (a < b ? -1 : a > b ? 1 : 0));
  const keep = o.top > 0 && ranked.length > o.top ? new Set(ranked.slice(0, o.top)) : new Set(ranked);
  const foldedCount = ranked.length - keep.size;

  // Nodes, in rank order.
  const byKey = new Map<string, GraphNode>();
  const nodes: GraphNode[] = [];
  const capturesOf = new Map<string, Set<string>>();
  for (const k of ranked) {
    if (!keep.has(k)) continue;
    const s = seeds.get(k)!;
    const names = s.kind === 'name' ? [s.name!] : s.address !== undefined ? [...(o.names?.(s.address) ?? [])] : [];
    const subnet = o.cluster !== undefined && s.address !== undefined && s.kind !== 'name' ? subnetOf(s.address, o.cluster.v4, o.cluster.v6) : undefined;
    const n = emptyNode(`n${nodes.length + 1}`, s, names, subnet);
    nodes.push(n);
    byKey.set(k, n);
  }
  let other: GraphNode | undefined;
  if (foldedCount > 0) {
    other = { ...emptyNode('other', { key: 'other', kind: 'other', address: undefined }, [], undefined), scope: 'other', folded: foldedCount };
    byKey.set('other', other);
  }
  const nodeFor = (k: string): GraphNode => byKey.get(k) ?? other!;

  // Edges between kept nodes (and the other-hosts node), merged where folding joined them.
  const out = new Map<string, GraphEdge>();
  const hidden = { edges: 0, packets: 0, bytes: 0 };
  const protocolSets = new Map<GraphEdge, Map<string, Set<string>>>();
  for (const e of edges.values()) {
    const u = nodeFor(e.from);
    const v = nodeFor(e.to);
    if (u === other && v === other) {
      // Between two folded nodes (or a folded node and itself): drawn nowhere, counted apart.
      hidden.edges++;
      hidden.packets += e.packetsAtoB + e.packetsBtoA;
      hidden.bytes += e.bytesAtoB + e.bytesBtoA;
      continue;
    }
    const key = u.id < v.id ? `${u.id}\n${v.id}` : `${v.id}\n${u.id}`;
    let g = out.get(key);
    if (g === undefined) {
      g = { id: `e${out.size + 1}`, from: u.id, to: v.id, packetsAtoB: 0, bytesAtoB: 0, packetsBtoA: 0, bytesBtoA: 0, conversations: 0, protocols: [], captures: new Set() };
      out.set(key, g);
      protocolSets.set(g, new Map());
    }
    const forward = g.from === u.id;
    g.packetsAtoB += forward ? e.packetsAtoB : e.packetsBtoA;
    g.bytesAtoB += forward ? e.bytesAtoB : e.bytesBtoA;
    g.packetsBtoA += forward ? e.packetsBtoA : e.packetsAtoB;
    g.bytesBtoA += forward ? e.bytesBtoA : e.bytesAtoB;
    g.conversations += e.conversations;
    for (const c of e.captures) g.captures.add(c);
    const sets = protocolSets.get(g)!;
    for (const [file, keys] of e.protocolKeys) {
      let s = sets.get(file);
      if (s === undefined) sets.set(file, (s = new Set()));
      for (const k of keys) s.add(k);
    }
  }

  // Protocols per edge: each conversation's tally counted once, whatever rows share its key.
  const tallies = new Map(captures.map((c) => [c.file, c.protocols]));
  for (const [g, sets] of protocolSets) {
    const sum = new Map<string, ProtocolCount>();
    for (const [file, keys] of sets) {
      const t = tallies.get(file)!;
      for (const k of keys) {
        for (const [name, c] of t.get(k) ?? []) {
          const s = sum.get(name) ?? { packets: 0, bytes: 0 };
          s.packets += c.packets;
          s.bytes += c.bytes;
          sum.set(name, s);
        }
      }
    }
    g.protocols = [...sum].map(([name, c]) => ({ name, packets: c.packets, bytes: c.bytes })).sort((a, b) => b.bytes - a.bytes || b.packets - a.packets || (a.name < b.name ? -1 : 1));
  }

  // Node totals from their edges.
  const nodeById = new Map<string, GraphNode>([...byKey.values()].map((n) => [n.id, n]));
  for (const g of out.values()) {
    const u = nodeById.get(g.from)!;
    const v = nodeById.get(g.to)!;
    for (const c of g.captures) {
      u.captures.add(c);
      v.captures.add(c);
    }
    u.packets += edgePackets(g);
    u.bytes += edgeBytes(g);
    u.sentPackets += g.packetsAtoB;
    u.sentBytes += g.bytesAtoB;
    u.receivedPackets += g.packetsBtoA;
    u.receivedBytes += g.bytesBtoA;
    if (v === u) continue;
    v.packets += edgePackets(g);
    v.bytes += edgeBytes(g);
    v.sentPackets += g.packetsBtoA;
    v.sentBytes += g.bytesBtoA;
    v.receivedPackets += g.packetsAtoB;
    v.receivedBytes += g.bytesAtoB;
  }
  if (other !== undefined) {
    nodes.push(other);
  }

  // Subnet clusters with two nodes or more.
  const bySubnet = new Map<string, string[]>();
  for (const n of nodes) if (n.subnet !== undefined) bySubnet.set(n.subnet, [...(bySubnet.get(n.subnet) ?? []), n.id]);
  const clusters = new Map([...bySubnet].filter(([, ids]) => ids.length >= 2));

  return {
    layer: o.layer,
    weight: o.weight,
    captures: captures.map((c) => c.file),
    nodes,
    edges: [...out.values()],
    totalNodes: seeds.size,
    totalEdges: edges.size,
    folded: { nodes: foldedCount, hiddenEdges: hidden.edges, hiddenPackets: hidden.packets, hiddenBytes: hidden.bytes },
    excluded,
    clusters,
  };
}
