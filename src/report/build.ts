/**
 * From what one pass collected to the report value (`model.ts`): the sections asked for, each
 * made of figures, tables, charts and notes. Table rows are the `stats` tables' JSON rows (the
 * same numbers `pcapviz stats --format json` prints), cut to `--top`; charts are rendered here,
 * so the HTML, PDF and Markdown renderers only lay out what they are given.
 */
import { topSeries } from '../analyze/protocol-series.js';
import { connState, type TcpConnectionReport } from '../analyze/tcp-connections.js';
import { drawGraph } from '../graph/draw.js';
import { buildGraph, edgeBytes, edgePackets, type GraphModel } from '../graph/model.js';
import type { GraphRenderer } from '../graph/constants.js';
import { infoPairs } from '../render/info/info-report.js';
import { countText, humanBytes } from '../render/stats/units.js';
import { graphTitle, nameLookup } from '../run/run-graph.js';
import { STATS_TABLE_DEFS } from '../run/stats/index.js';
import type { RenderContext, StatsSettings } from '../run/stats/table.js';
import { countBarsSpec, intervalText, protocolBarsSpec, renderChart, rttHistogramSpec, trafficSpec } from './charts.js';
import type { CollectedCapture } from './collect.js';
import type { ChartBlock, ReportBlock, ReportColumn, ReportData, ReportRow, ReportSection, ReportSectionId, TableBlock } from './model.js';

export interface BuildOptions {
  readonly sections: readonly ReportSectionId[];
  /** Rows per table. */
  readonly top: number;
  /** Nodes kept in the graph (the rest fold into one). */
  readonly graphTop: number;
  readonly settings: StatsSettings;
  readonly filter: string | undefined;
  readonly generator: string;
  /** When the report is made (tests fix it). */
  readonly now: Date;
  readonly renderer: GraphRenderer;
  readonly layoutTimeoutMs: number;
  readonly warn: (message: string) => void;
  readonly warnings: readonly string[];
}

const TITLES: Readonly<Record<ReportSectionId, string>> = {
  summary: 'Capture summary',
  protocols: 'Protocol hierarchy',
  traffic: 'Traffic over time',
  talkers: 'Top talkers',
  conversations: 'Top conversations',
  graph: 'Conversation graph',
  tcp: 'TCP connections',
  expert: 'Expert findings',
  dns: 'DNS',
  http: 'HTTP',
  tls: 'TLS',
  dump: 'Packets',
};

/** Protocols told apart in the traffic chart; the rest are drawn as one. */
const CHART_PROTOCOLS = 7;
/** Rows of the protocol hierarchy table (it is a tree; deeper rows past this are counted). */
const HIERARCHY_ROWS = 200;

type Json = Record<string, unknown>;

export async function buildReport(c: CollectedCapture, o: BuildOptions): Promise<ReportData> {
  const ctx: RenderContext = { settings: o.settings, names: c.names };
  const json = (table: string): unknown => STATS_TABLE_DEFS.find((d) => d.name === table)!.json(c.stats.get(table), ctx);
  const sections: ReportSection[] = [];
  for (const id of o.sections) {
    const blocks = await sectionBlocks(id, c, o, json);
    sections.push({ id, title: TITLES[id], blocks });
  }
  const base = c.file.split('/').pop() ?? c.file;
  return {
    title: `Report: ${base}`,
    file: c.file,
    generator: o.generator,
    generatedAt: o.now.toISOString(),
    filter: o.filter,
    warnings: o.warnings,
    sections,
  };
}

async function sectionBlocks(id: ReportSectionId, c: CollectedCapture, o: BuildOptions, json: (table: string) => unknown): Promise<ReportBlock[]> {
  switch (id) {
    case 'summary':
      return [{ kind: 'figures', items: infoPairs(c.summary).map(([label, value]) => ({ label: label.trim(), value })) }];
    case 'protocols':
      return protocolBlocks(c, json('protocols') as Json);
    case 'traffic':
      return trafficBlocks(c);
    case 'talkers':
      return perType(json('endpoints') as Json, o.top, ENDPOINT_COLUMNS, (t) => `${TYPE_NAMES[t] ?? t} endpoints`);
    case 'conversations':
      return perType(json('conv') as Json, o.top, CONVERSATION_COLUMNS, (t) => `${TYPE_NAMES[t] ?? t} conversations`);
    case 'graph':
      return graphBlocks(c, o);
    case 'tcp':
      return tcpBlocks(c, o, json('tcp') as Json[]);
    case 'expert':
      return expertBlocks(json('expert') as Json, o.top);
    case 'dns':
      return countSections(json('dns') as Json, o.top, DNS_FIGURES, [['byName', 'Names asked for', 'name', 'Name'], ['byType', 'Query types', 'type', 'Type'], ['byRcode', 'Response codes', 'rcode', 'Response code']]);
    case 'http':
      return countSections(json('http') as Json, o.top, HTTP_FIGURES, [['byHost', 'Hosts', 'host', 'Host'], ['byUri', 'URIs', 'uri', 'URI'], ['byMethod', 'Methods', 'method', 'Method'], ['byStatus', 'Status codes', 'status', 'Status']]);
    case 'tls':
      return countSections(json('tls') as Json, o.top, TLS_FIGURES, [
        ['sni', 'Server names (SNI)', 'name', 'Server name'],
        ['versionsOffered', 'Versions offered', 'version', 'Version'],
        ['versionsChosen', 'Versions chosen', 'version', 'Version'],
        ['ciphersChosen', 'Cipher suites chosen', 'suite', 'Cipher suite'],
        ['alpnOffered', 'ALPN offered', 'protocol', 'Protocol'],
      ]);
    case 'dump':
      return c.dumps.length > 0 ? [...c.dumps] : [{ kind: 'note', text: 'No packets to show.' }];
  }
}

const num = (key: string, title: string, unit: ReportColumn['unit'] = 'count'): ReportColumn => ({ key, title, numeric: true, unit });
const text = (key: string, title: string): ReportColumn => ({ key, title });

/** A table of the first `top` rows, saying how many more there were. */
function table(title: string, columns: readonly ReportColumn[], all: readonly Json[], top: number): TableBlock {
  const rows = all.slice(0, top).map((r) => pick(r, columns));
  return { kind: 'table', title, columns, rows, more: all.length - rows.length };
}

function pick(r: Json, columns: readonly ReportColumn[]): ReportRow {
  const out: Record<string, string | number | null> = {};
  for (const col of columns) {
    const v = r[col.key];
    out[col.key] = typeof v === 'number' || typeof v === 'string' ? v : null;
  }
  return out;
}

const TYPE_NAMES: Readonly<Record<string, string>> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

const ENDPOINT_COLUMNS: readonly ReportColumn[] = [
  text('address', 'Address'),
  text('port', 'Port'),
  text('name', 'Name'),
  num('packets', 'Packets'),
  num('bytes', 'Bytes', 'bytes'),
  num('txPackets', 'Sent packets'),
  num('txBytes', 'Sent bytes', 'bytes'),
  num('rxPackets', 'Received packets'),
  num('rxBytes', 'Received bytes', 'bytes'),
];

const CONVERSATION_COLUMNS: readonly ReportColumn[] = [
  text('a', 'Address A'),
  text('portA', 'Port A'),
  text('nameA', 'Name A'),
  text('b', 'Address B'),
  text('portB', 'Port B'),
  text('nameB', 'Name B'),
  num('packets', 'Packets'),
  num('bytes', 'Bytes', 'bytes'),
  num('bytesAtoB', 'Bytes A→B', 'bytes'),
  num('bytesBtoA', 'Bytes B→A', 'bytes'),
  num('start', 'Start', 'seconds'),
  num('duration', 'Duration', 'seconds'),
];

/** One table per traffic type that has rows (the endpoint and conversation tables); columns without any value are left out. */
function perType(byType: Json, top: number, columns: readonly ReportColumn[], title: (type: string) => string): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (const [type, rows] of Object.entries(byType)) {
    const all = rows as Json[];
    if (all.length === 0) continue;
    const shown = all.slice(0, top);
    const used = columns.filter((col) => shown.some((r) => r[col.key] !== undefined && r[col.key] !== null && r[col.key] !== ''));
    blocks.push(table(title(type), used, all, top));
  }
  return blocks.length > 0 ? blocks : [{ kind: 'note', text: 'No traffic between addresses was seen.' }];
}

async function chart(title: string, description: string, spec: Record<string, unknown>): Promise<ChartBlock> {
  const svg = await renderChart(spec);
  return { kind: 'chart', title, description, ...svg };
}

async function protocolBlocks(c: CollectedCapture, tree: Json): Promise<ReportBlock[]> {
  const carried = topSeries(c.series, 12).protocols.map((p) => ({ protocol: p.name, bytes: p.totalBytes, packets: p.totalPackets }));
  const rows: ReportRow[] = [];
  const depth: number[] = [];
  const total = (tree['bytes'] as number) || 0;
  const totalPackets = (tree['packets'] as number) || 0;
  let more = 0;
  const walk = (n: Json, d: number): void => {
    if (rows.length >= HIERARCHY_ROWS) {
      more++;
    } else {
      rows.push({
        protocol: n['name'] as string,
        packets: n['packets'] as number,
        packetShare: totalPackets > 0 ? (100 * (n['packets'] as number)) / totalPackets : null,
        bytes: n['bytes'] as number,
        byteShare: total > 0 ? (100 * (n['bytes'] as number)) / total : null,
      });
      depth.push(d);
    }
    for (const child of (n['children'] as Json[] | undefined) ?? []) walk(child, d + 1);
  };
  walk(tree, 0);
  const blocks: ReportBlock[] = [];
  if (carried.length > 0) blocks.push(await chart('Bytes by protocol carried', 'Horizontal bars: bytes of the packets whose highest protocol is each one, largest first.', protocolBarsSpec(carried)));
  blocks.push({
    kind: 'table',
    title: 'Protocol hierarchy',
    columns: [text('protocol', 'Protocol'), num('packets', 'Packets'), num('packetShare', '% packets', 'percent'), num('bytes', 'Bytes', 'bytes'), num('byteShare', '% bytes', 'percent')],
    rows,
    depth,
    more,
  });
  return blocks;
}

async function trafficBlocks(c: CollectedCapture): Promise<ReportBlock[]> {
  const s = topSeries(c.series, CHART_PROTOCOLS);
  if (s.intervals === 0) return [{ kind: 'note', text: 'No packets.' }];
  const seconds = s.intervalNs / 1e9;
  let peakBits = 0;
  let peakPackets = 0;
  for (let i = 0; i < s.intervals; i++) {
    let b = 0;
    let n = 0;
    for (const p of s.protocols) {
      b += p.bytes[i]!;
      n += p.packets[i]!;
    }
    peakBits = Math.max(peakBits, (b * 8) / seconds);
    peakPackets = Math.max(peakPackets, n / seconds);
  }
  const allBytes = s.protocols.reduce((t, p) => t + p.totalBytes, 0);
  const allPackets = s.protocols.reduce((t, p) => t + p.totalPackets, 0);
  return [
    { kind: 'figures', items: [
      { label: 'Interval', value: intervalText(s.intervalNs) },
      { label: 'Peak bit rate', value: `${countText(Math.round(peakBits))} bit/s` },
      { label: 'Peak packet rate', value: `${countText(Math.round(peakPackets))} packets/s` },
    ] },
    await chart('Bits and packets per second by protocol', `Stacked areas over time, one colour per protocol carried (the ${CHART_PROTOCOLS} with most bytes, the rest as "other").`, trafficSpec(s)),
    {
      kind: 'table',
      title: 'Traffic by protocol carried',
      columns: [text('protocol', 'Protocol'), num('packets', 'Packets'), num('bytes', 'Bytes', 'bytes'), num('share', '% bytes', 'percent')],
      rows: s.protocols.map((p) => ({ protocol: p.name, packets: p.totalPackets, bytes: p.totalBytes, share: allBytes > 0 ? (100 * p.totalBytes) / allBytes : null })),
      more: 0,
    },
    { kind: 'note', text: `${countText(allPackets)} packets in all.` },
  ];
}

async function graphBlocks(c: CollectedCapture, o: BuildOptions): Promise<ReportBlock[]> {
  if (c.traffic === undefined) return [];
  const model = buildGraph([c.traffic], { layer: 'ip', weight: 'bytes', top: o.graphTop, names: o.settings.names ? nameLookup(c.names, [c.traffic], 'ip') : undefined });
  if (model.nodes.length === 0) return [{ kind: 'note', text: 'No IP traffic to draw.' }];
  try {
    const r = await drawGraph(model, { format: 'svg', title: graphTitle(model), renderer: o.renderer, timeoutMs: o.layoutTimeoutMs, warn: o.warn, systemFallback: true });
    const folded = model.folded.nodes > 0 ? ` The ${countText(model.folded.nodes)} least busy hosts are folded into one "other hosts" node.` : '';
    return [
      {
        kind: 'chart',
        title: graphTitle(model),
        description: `Who talked to whom: ${countText(model.nodes.length)} hosts and ${countText(model.edges.length)} conversations, edges as wide as their bytes.${folded}`,
        svg: r.data.toString('utf8'),
        width: r.width ?? 400,
        height: r.height ?? 300,
        mermaid: graphMermaid(model),
      },
    ];
  } catch (e) {
    o.warn(`cannot lay out the conversation graph: ${(e as Error).message}`);
    return [{ kind: 'note', text: `The conversation graph could not be laid out: ${(e as Error).message}` }];
  }
}

/** Characters Mermaid shows as they are inside a quoted label; the rest become `#code;` entities. */
const MERMAID_PLAIN = /[A-Za-z0-9 .:_/,()-]/;
const mermaidText = (s: string): string => [...s].map((ch) => (MERMAID_PLAIN.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join('');

/** The graph as a Mermaid flowchart: one node per host, one undirected edge per conversation pair. */
export function graphMermaid(m: GraphModel): string {
  const ids = new Map(m.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const n of m.nodes) {
    const label = n.kind === 'other' ? `${countText(n.folded)} other hosts` : [n.names[0], n.address].filter((x) => x !== undefined).join(' ');
    lines.push(`  ${ids.get(n.id)!}["${mermaidText(label)}"]`);
  }
  for (const e of m.edges) lines.push(`  ${ids.get(e.from)!} ---|"${mermaidText(`${humanBytes(edgeBytes(e))}, ${countText(edgePackets(e))} pkts`)}"| ${ids.get(e.to)!}`);
  return lines.join('\n');
}

async function tcpBlocks(c: CollectedCapture, o: BuildOptions, rows: Json[]): Promise<ReportBlock[]> {
  const report = c.stats.get('tcp') as TcpConnectionReport;
  const all = report.rows;
  if (all.length === 0) return [{ kind: 'note', text: 'No TCP connections.' }];
  const states = new Map<string, number>();
  const rtts: number[] = [];
  let retransmissions = 0;
  let resets = 0;
  for (const conn of all) {
    const s = connState(conn);
    states.set(s, (states.get(s) ?? 0) + 1);
    if (conn.handshakeRttNs >= 0) rtts.push(conn.handshakeRttNs / 1e9);
    retransmissions += conn.o.retransmissions + conn.r.retransmissions;
    if (conn.o.rst || conn.r.rst) resets++;
  }
  rtts.sort((a, b) => a - b);
  const q = (f: number): string => (rtts.length === 0 ? 'n/a' : `${(rtts[Math.min(rtts.length - 1, Math.floor(f * rtts.length))]! * 1000).toFixed(3)} ms`);
  const stateRows = [...states.entries()].sort((a, b) => b[1] - a[1]).map(([label, count]) => ({ label, count }));
  const blocks: ReportBlock[] = [
    { kind: 'figures', items: [
      { label: 'Connections', value: countText(all.length) },
      { label: 'Handshakes seen', value: countText(rtts.length) },
      { label: 'Handshake RTT median', value: q(0.5) },
      { label: 'Handshake RTT 95th percentile', value: q(0.95) },
      { label: 'Retransmitted segments', value: countText(retransmissions) },
      { label: 'Connections reset', value: countText(resets) },
    ] },
    await chart('Connections by state', 'Horizontal bars: connections per Zeek conn_state (SF: normal open and close; S0: no answer; REJ: rejected; RSTO/RSTR: reset by the originator or responder).', countBarsSpec(stateRows, 'Connections')),
  ];
  if (rtts.length > 0) blocks.push(await chart('Handshake round-trip times', 'Histogram of the time from SYN to the ACK of the SYN-ACK, per connection.', rttHistogramSpec(rtts)));
  blocks.push(table('Largest connections', [
    num('stream', 'Stream', undefined),
    text('a', 'Address A'),
    text('portA', 'Port A'),
    text('b', 'Address B'),
    text('portB', 'Port B'),
    text('connState', 'State'),
    text('history', 'History'),
    num('packets', 'Packets'),
    num('bytes', 'Bytes', 'bytes'),
    num('handshakeRtt', 'Handshake RTT', 'seconds'),
    num('retransmissions', 'Retransmissions'),
    num('duration', 'Duration', 'seconds'),
  ], [...rows].map((r) => ({
    ...r,
    packets: (r['packetsAtoB'] as number) + (r['packetsBtoA'] as number),
    bytes: (r['bytesAtoB'] as number) + (r['bytesBtoA'] as number),
    retransmissions: (r['retransmissionsAtoB'] as number) + (r['retransmissionsBtoA'] as number),
  })).sort((a, b) => b.bytes - a.bytes), o.top));
  return blocks;
}

function expertBlocks(r: Json, top: number): ReportBlock[] {
  const rows = r['rows'] as Json[];
  const bySeverity = new Map<string, number>();
  for (const row of rows) bySeverity.set(row['severity'] as string, (bySeverity.get(row['severity'] as string) ?? 0) + (row['count'] as number));
  const counts = ['error', 'warning', 'note', 'chat'].filter((s) => bySeverity.has(s)).map((s) => `${countText(bySeverity.get(s)!)} ${s}${bySeverity.get(s) === 1 ? '' : 's'}`);
  const blocks: ReportBlock[] = [
    { kind: 'figures', items: [
      { label: 'Findings', value: counts.length > 0 ? counts.join(', ') : 'none' },
      { label: 'Malformed packets', value: countText(r['malformedPackets'] as number) },
      { label: 'Truncated packets', value: countText(r['truncatedPackets'] as number) },
    ] },
  ];
  if (rows.length > 0) {
    blocks.push(table('Findings', [text('severity', 'Severity'), text('group', 'Group'), text('protocol', 'Protocol'), text('message', 'Message'), num('count', 'Count'), { key: 'firstFrame', title: 'First frame', numeric: true, frames: true }], rows, Math.max(top, 50)));
  }
  return blocks;
}

const DNS_FIGURES: readonly (readonly [string, string])[] = [['messages', 'Messages'], ['queries', 'Queries'], ['responses', 'Responses'], ['unanswered', 'Queries without an answer'], ['unmatchedResponses', 'Responses without a query']];
const HTTP_FIGURES: readonly (readonly [string, string])[] = [['packets', 'HTTP packets'], ['requests', 'Requests'], ['responses', 'Responses'], ['unanswered', 'Requests without an answer']];
const TLS_FIGURES: readonly (readonly [string, string])[] = [['packets', 'TLS packets'], ['clientHellos', 'Client Hellos'], ['serverHellos', 'Server Hellos']];

/** The DNS, HTTP and TLS sections: headline counts, response times, then one count table per key. */
function countSections(r: Json, top: number, figures: readonly (readonly [string, string])[], tables: readonly (readonly [string, string, string, string])[]): ReportBlock[] {
  const items = figures.map(([key, label]) => ({ label, value: countText((r[key] as number) ?? 0) }));
  const rt = r['responseTime'] as { count: number; min: number; avg: number; max: number } | null | undefined;
  if (rt !== undefined && rt !== null && rt.count > 0) {
    const ms = (s: number): string => `${(s * 1000).toFixed(3)} ms`;
    items.push({ label: 'Response time (min / avg / max)', value: `${ms(rt.min)} / ${ms(rt.avg)} / ${ms(rt.max)}` });
  }
  const blocks: ReportBlock[] = [{ kind: 'figures', items }];
  for (const [key, title, field, heading] of tables) {
    const rows = (r[key] as Json[] | undefined) ?? [];
    if (rows.length > 0) blocks.push(table(title, [text(field, heading), num('count', 'Count')], rows, top));
  }
  return blocks;
}
