/**
 * The graph model as a ts-graphviz model: labels, tooltips, colours, widths and the layout
 * attributes of the chosen engine. `toDot` of it is the `.dot` output and what Graphviz lays out.
 */
import { Digraph, toDot, type EdgeAttributesObject, type GraphAttributesObject, type NodeAttributesObject, type RootGraphModel, type SubgraphAttributesObject } from 'ts-graphviz';
import { countText, humanBytes } from '../render/stats/units.js';
import { escapeControl } from '../render/text-safety.js';
import { dominantProtocol, edgeBytes, edgePackets, type GraphEdge, type GraphModel, type GraphNode } from './model.js';
import type { LayoutPlan } from './engines.js';
import { endpointText } from './services.js';
import { graphStyle, ProtocolColors, type GraphStyle } from './style.js';

/** Attribute values as we write them; ts-graphviz's own types are stricter than Graphviz. */
type Attrs = Record<string, string | number>;
const asGraph = (a: Attrs): GraphAttributesObject => a as unknown as GraphAttributesObject;
const asNode = (a: Attrs): NodeAttributesObject => a as unknown as NodeAttributesObject;
const asSubgraph = (a: Attrs): SubgraphAttributesObject => a as unknown as SubgraphAttributesObject;
const asEdge = (a: Attrs): EdgeAttributesObject => a as unknown as EdgeAttributesObject;

/** Longest name shown in a label (the tooltip has it whole). */
const MAX_LABEL_TEXT = 42;

const LAYER_TITLES = { eth: 'Ethernet devices', ip: 'IP hosts', transport: 'TCP/UDP services', app: 'application names and services' } as const;

/** Text for a plain Graphviz string: control characters shown, backslashes and quotes escaped. */
export function plainText(s: string): string {
  const t = s
    .split('\n')
    .map((line) => escapeControl(line).replace(/\\/g, '\\\\').replace(/"/g, '\\"'))
    .join('\n');
  // ts-graphviz takes any value that looks like <...> for an HTML label.
  return /^\s*<[\s\S]*>\s*$/.test(t) ? `\u200b${t}` : t;
}

/** Text inside an HTML-like label. */
export function htmlText(s: string): string {
  return escapeControl(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const shorten = (s: string): string => (s.length > MAX_LABEL_TEXT ? `${s.slice(0, MAX_LABEL_TEXT - 1)}…` : s);

const packetsText = (n: number): string => `${countText(n)} ${n === 1 ? 'pkt' : 'pkts'}`;
const volume = (packets: number, bytes: number): string => `${packetsText(packets)}, ${humanBytes(bytes)}`;

/** What a node is called in tooltips and labels of edges: its first name, else its address. */
export function nodeTitle(n: GraphNode): string {
  if (n.kind === 'other') return `${countText(n.folded)} other ${n.folded === 1 ? 'node' : 'nodes'}`;
  if (n.kind === 'service') return endpointText(n.address!, n.port!);
  return n.names[0] ?? n.address ?? n.id;
}

/** The lines of a node's label: title (bold), address or service, more, totals. */
export function nodeLines(n: GraphNode, model: GraphModel, totals: boolean): { title: string; lines: string[] } {
  const lines: string[] = [];
  let title: string;
  const more = n.names.length > 1 ? ` (+${n.names.length - 1})` : '';
  switch (n.kind) {
    case 'other':
      title = 'other hosts';
      lines.push(`${countText(n.folded)} more ${model.layer === 'eth' ? 'devices' : model.layer === 'ip' ? 'hosts' : 'nodes'} (--top ${model.nodes.length - 1})`);
      break;
    case 'service': {
      const svc = n.service ?? n.transport!;
      if (n.names.length > 0) {
        title = shorten(n.names[0]!) + more;
        lines.push(`${endpointText(n.address!, n.port!)} ${svc}`);
      } else {
        title = `${endpointText(n.address!, n.port!)}`;
        lines.push(`${svc}${n.service !== undefined ? '' : ` port ${n.port!}`}`);
      }
      break;
    }
    case 'name':
      title = shorten(n.names[0]!);
      lines.push(`${n.service ?? `${n.transport!} ${n.port!}`} · ${n.address!}`);
      break;
    default:
      if (n.names.length > 0) {
        title = shorten(n.names[0]!) + more;
        lines.push(n.address!);
      } else title = n.address!;
  }
  if (totals) lines.push(volume(n.packets, n.bytes));
  return { title, lines };
}

function nodeTooltip(n: GraphNode, model: GraphModel): string {
  const lines = [nodeTitle(n)];
  if (n.kind === 'other') {
    lines.push(`stands for ${countText(n.folded)} nodes outside the top ${model.nodes.length - 1}`);
  } else {
    if (n.address !== undefined && lines[0] !== n.address) lines.push(n.address);
    if (n.kind === 'service' || n.kind === 'name') lines.push(`${n.transport!} port ${n.port!}${n.service !== undefined ? ` (${n.service})` : ''}`);
    if (n.names.length > 0) lines.push(`names: ${n.names.join(', ')}`);
    lines.push(n.scope === 'internal' ? 'internal address' : n.scope === 'group' ? 'broadcast or multicast address' : 'external address');
    if (n.subnet !== undefined) lines.push(`subnet ${n.subnet}`);
  }
  lines.push(`sent ${volume(n.sentPackets, n.sentBytes)}`, `received ${volume(n.receivedPackets, n.receivedBytes)}`, `total ${volume(n.packets, n.bytes)}`);
  if (model.captures.length > 1) lines.push(`captures: ${[...n.captures].join(', ')}`);
  return lines.join('\n');
}

/** Two short lines: the main protocols, then the weight each way (→ along the arrow, ← against it). */
export function edgeLabel(e: GraphEdge, selfLoop: boolean, weight: 'packets' | 'bytes'): string {
  const protos = e.protocols.slice(0, 2).map((p) => p.name).join(', ') + (e.protocols.length > 2 ? ', …' : '');
  const w = (packets: number, bytes: number): string => (weight === 'bytes' ? humanBytes(bytes) : countText(packets));
  const unit = weight === 'bytes' ? '' : ' pkts';
  if (selfLoop) return `${protos}\n${w(edgePackets(e), edgeBytes(e))}${unit}`;
  return `${protos}\n→ ${w(e.packetsAtoB, e.bytesAtoB)}  ← ${w(e.packetsBtoA, e.bytesBtoA)}${unit}`;
}

function edgeTooltip(e: GraphEdge, from: GraphNode, to: GraphNode, model: GraphModel, everything: boolean): string {
  const full = (n: GraphNode): string => {
    const t = nodeTitle(n);
    return n.address !== undefined && n.kind !== 'service' && t !== n.address ? `${t} (${n.address})` : t;
  };
  const a = full(from);
  const b = full(to);
  const lines = [`${a} → ${b}: ${volume(e.packetsAtoB, e.bytesAtoB)}`];
  if (from !== to) lines.push(`${b} → ${a}: ${volume(e.packetsBtoA, e.bytesBtoA)}`);
  if (!everything) return lines.join('\n');
  lines.push(`${countText(e.conversations)} ${e.conversations === 1 ? 'conversation' : 'conversations'}`);
  lines.push(`protocols: ${e.protocols.map((p) => `${p.name} ${volume(p.packets, p.bytes)}`).join('; ')}`);
  if (model.captures.length > 1) lines.push(`captures: ${[...e.captures].join(', ')}`);
  return lines.join('\n');
}

/** Edge width: 1 to 7 points by the log of the weight against the heaviest edge. */
export function edgeWidth(weight: number, max: number): number {
  if (max <= 1) return 1.2;
  return Math.round((1 + (6 * Math.log1p(weight)) / Math.log1p(max)) * 10) / 10;
}

export interface DotBuild {
  readonly graph: RootGraphModel;
  /** Dominant protocols on drawn edges, most bytes first, with their colours (for the legend). */
  readonly legend: readonly { readonly protocol: string; readonly color: string }[];
}

/** Builds the ts-graphviz model of a graph for a layout plan. */
export function buildDot(model: GraphModel, plan: LayoutPlan, title: string, style: GraphStyle = graphStyle()): DotBuild {
  const colors = new ProtocolColors(style);
  const g = new Digraph('pcapviz', asGraph({
    layout: plan.engine,
    label: plainText(title),
    labelloc: 't',
    fontname: style.font,
    fontsize: style.fontSize + 4,
    fontcolor: style.text,
    bgcolor: style.background,
    pad: 0.3,
    outputorder: 'edgesfirst',
    ...plan.attributes,
  }));
  g.attributes.node.apply(asNode({ fontname: style.font, fontsize: style.fontSize, fontcolor: style.text, shape: 'box', margin: '0.12,0.06', penwidth: 1.2 }));
  g.attributes.edge.apply(asEdge({ fontname: style.font, fontsize: style.fontSize - 1, fontcolor: style.muted, arrowsize: 0.6, ...plan.edgeAttributes }));

  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const inCluster = new Map<string, string>();
  for (const [subnet, ids] of model.clusters) for (const id of ids) inCluster.set(id, subnet);
  const clusterGraphs = new Map<string, ReturnType<typeof g.createSubgraph>>();
  let clusterCount = 0;
  for (const subnet of model.clusters.keys()) {
    const sg = g.createSubgraph(`cluster_${++clusterCount}`, asSubgraph({
      label: plainText(subnet),
      style: 'rounded,filled',
      fillcolor: style.cluster.fill,
      color: style.cluster.border,
      fontcolor: style.muted,
      fontsize: style.fontSize,
    }));
    clusterGraphs.set(subnet, sg);
  }

  for (const n of model.nodes) {
    const look = style.nodes[n.scope];
    const { title, lines } = nodeLines(n, model, plan.nodeTotals);
    const body = lines.map((l, i) => (i === lines.length - 1 && plan.nodeTotals ? `<font point-size="${style.fontSize - 1}" color="${style.muted}">${htmlText(l)}</font>` : htmlText(l)));
    const attrs: Attrs = {
      label: `<<b>${htmlText(title)}</b>${body.map((l) => `<br/>${l}`).join('')}>`,
      tooltip: plainText(nodeTooltip(n, model)),
      fillcolor: look.fill,
      color: look.border,
      style: look.style,
      class: `scope-${n.scope} kind-${n.kind}`,
    };
    if (n.kind === 'service' || n.kind === 'name') attrs.shape = 'box';
    if (n.kind === 'other') attrs.shape = 'folder';
    const subnet = inCluster.get(n.id);
    (subnet !== undefined ? clusterGraphs.get(subnet)! : g).createNode(n.id, asNode(attrs));
  }

  const weightOf = (e: GraphEdge): number => (model.weight === 'bytes' ? edgeBytes(e) : edgePackets(e));
  const max = Math.max(0, ...model.edges.map(weightOf));
  const legendBytes = new Map<string, number>();
  for (const e of model.edges) {
    const from = byId.get(e.from)!;
    const to = byId.get(e.to)!;
    const proto = dominantProtocol(e);
    const color = colors.of(proto);
    legendBytes.set(proto, (legendBytes.get(proto) ?? 0) + edgeBytes(e));
    const attrs: Attrs = {
      color,
      penwidth: edgeWidth(weightOf(e), max),
      tooltip: plainText(edgeTooltip(e, from, to, model, plan.fullTooltips)),
    };
    if (plan.fullTooltips) attrs.class = `proto-${proto.replace(/[^a-z0-9_-]/gi, '_')}`;
    if (plan.edgeLabels) attrs.label = plainText(edgeLabel(e, from === to, model.weight));
    g.createEdge([e.from, e.to], asEdge(attrs));
  }
  // Protocols of one family share a colour (icmp and icmpv6): one legend entry names them all.
  const byColor = new Map<string, string[]>();
  for (const [protocol] of [...legendBytes].sort((a, b) => b[1] - a[1])) {
    const color = colors.of(protocol);
    const names = byColor.get(color);
    if (names === undefined) byColor.set(color, [protocol]);
    else names.push(protocol);
  }
  const legend = [...byColor].map(([color, names]) => ({ protocol: names.join(', '), color }));
  return { graph: g, legend };
}

/** The DOT text of a built graph. */
export const dotText = (b: DotBuild): string => `${toDot(b.graph, { convert: { maxASTNodes: 0 } })}\n`;
