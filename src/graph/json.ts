/** The graph as JSON for other tools: nodes and edges with their numbers. */
import { dominantProtocol, edgeBytes, edgePackets, type GraphModel, type GraphNode } from './model.js';
import { endpointText } from './services.js';

/** A node's stable name in the JSON: its address, `address:port/transport` for a service, the name for a name. */
export function nodeKey(n: GraphNode): string {
  if (n.kind === 'other') return 'other';
  if (n.kind === 'service') return `${endpointText(n.address!, n.port!)}/${n.transport!}`;
  if (n.kind === 'name') return `${n.names[0]!}:${n.port!}/${n.transport!}`;
  return n.address!;
}

export function graphJson(m: GraphModel, layout?: { engine: string; renderer: string }): unknown {
  const byId = new Map(m.nodes.map((n) => [n.id, n]));
  return {
    layer: m.layer,
    weight: m.weight,
    captures: m.captures,
    ...(layout !== undefined ? { layout } : {}),
    totals: { nodes: m.totalNodes, edges: m.totalEdges },
    folded: m.folded,
    excluded: m.excluded,
    nodes: m.nodes.map((n) => ({
      id: n.id,
      key: nodeKey(n),
      kind: n.kind,
      scope: n.scope,
      ...(n.address !== undefined ? { address: n.address } : {}),
      ...(n.port !== undefined ? { port: n.port, transport: n.transport } : {}),
      ...(n.service !== undefined ? { service: n.service } : {}),
      names: n.names,
      ...(n.subnet !== undefined ? { subnet: n.subnet } : {}),
      ...(n.kind === 'other' ? { folded: n.folded } : {}),
      packets: n.packets,
      bytes: n.bytes,
      sentPackets: n.sentPackets,
      sentBytes: n.sentBytes,
      receivedPackets: n.receivedPackets,
      receivedBytes: n.receivedBytes,
      captures: [...n.captures],
    })),
    edges: m.edges.map((e) => ({
      id: e.id,
      from: e.from,
      to: e.to,
      a: nodeKey(byId.get(e.from)!),
      b: nodeKey(byId.get(e.to)!),
      packetsAtoB: e.packetsAtoB,
      bytesAtoB: e.bytesAtoB,
      packetsBtoA: e.packetsBtoA,
      bytesBtoA: e.bytesBtoA,
      packets: edgePackets(e),
      bytes: edgeBytes(e),
      conversations: e.conversations,
      protocol: dominantProtocol(e),
      protocols: e.protocols,
      captures: [...e.captures],
    })),
    clusters: [...m.clusters].map(([subnet, nodes]) => ({ subnet, nodes })),
  };
}
