/**
 * The report's charts: Vega-Lite specifications compiled to Vega and rendered to SVG in this
 * process (no browser, no canvas: Vega estimates text widths). Protocols keep the colours the
 * conversation graph gives them, so a protocol looks the same in every picture of a report.
 */
import { OTHER_PROTOCOL, type ProtocolSeries } from '../analyze/protocol-series.js';
import { graphStyle, ProtocolColors } from '../graph/style.js';

/** Width of the plotting area of every chart, in CSS pixels (the SVG adds axes and legend). */
const PLOT_WIDTH = 560;

export interface ChartSvg {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

// Vega-Lite specifications are plain JSON; their TypeScript types are not worth the coupling.
type Spec = Record<string, unknown>;

const CONFIG: Spec = {
  font: 'DejaVu Sans',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 160 },
};

/** Compiles and renders a Vega-Lite specification to an SVG document. */
export async function renderChart(spec: Spec): Promise<ChartSvg> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  // Warnings about a specification are ours to fix, not the user's to read: they stay silent.
  const quiet = vega.logger(vega.None);
  const compiled = compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, ...spec } as never, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: quiet });
  try {
    const svg = await view.toSVG();
    const m = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
    return { svg, width: Number(m?.[1] ?? PLOT_WIDTH), height: Number(m?.[2] ?? 200) };
  } finally {
    view.finalize();
  }
}

/** A colour scale giving each protocol (in this order) its graph colour. */
function protocolScale(names: readonly string[]): Spec {
  const colors = new ProtocolColors(graphStyle());
  return { domain: [...names], range: names.map((n) => (n === OTHER_PROTOCOL ? graphStyle().otherColor : colors.of(n))) };
}

/** Bytes carried per protocol, as horizontal bars (largest first). */
export function protocolBarsSpec(rows: readonly { readonly protocol: string; readonly bytes: number; readonly packets: number }[]): Spec {
  const names = rows.map((r) => r.protocol);
  return {
    width: PLOT_WIDTH - 120,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'protocol', type: 'nominal', sort: names, title: null },
      x: { field: 'bytes', type: 'quantitative', title: 'Bytes', axis: { format: '~s' } },
      color: { field: 'protocol', type: 'nominal', scale: protocolScale(names), legend: null },
      tooltip: [{ field: 'protocol' }, { field: 'bytes', format: ',' }, { field: 'packets', format: ',' }],
    },
  };
}

/** Bits and packets per second over time, stacked by protocol: two panels sharing the time axis. */
export function trafficSpec(s: ProtocolSeries): Spec {
  const seconds = s.intervalNs / 1e9;
  const values: Spec[] = [];
  for (const p of s.protocols) {
    for (let i = 0; i < s.intervals; i++) {
      values.push({ t: i * seconds, protocol: p.name, bps: (p.bytes[i]! * 8) / seconds, pps: p.packets[i]! / seconds });
    }
  }
  const names = s.protocols.map((p) => p.name);
  const panel = (field: string, title: string): Spec => ({
    width: PLOT_WIDTH,
    height: 150,
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: `Seconds after the first packet (intervals of ${intervalText(s.intervalNs)})` },
      y: { field, type: 'quantitative', stack: 'zero', title, axis: { format: '~s' } },
      color: { field: 'protocol', type: 'nominal', sort: names, scale: protocolScale(names), legend: { title: 'Protocol' } },
      order: { field: 'order', type: 'quantitative' },
    },
  });
  return {
    data: { values },
    transform: [{ calculate: `indexof(${JSON.stringify(names)}, datum.protocol)`, as: 'order' }],
    vconcat: [panel('bps', 'Bits/s'), panel('pps', 'Packets/s')],
    // One legend for both panels.
    resolve: { legend: { color: 'shared' } },
  };
}

/** How many TCP connections took how long to set up (SYN to the ACK of the SYN-ACK), in milliseconds. */
export function rttHistogramSpec(rttSeconds: readonly number[]): Spec {
  return {
    width: PLOT_WIDTH,
    height: 150,
    data: { values: rttSeconds.map((s) => ({ ms: s * 1000 })) },
    mark: { type: 'bar', color: '#4c78a8', tooltip: true },
    encoding: {
      x: { field: 'ms', type: 'quantitative', bin: { maxbins: 30 }, title: 'Handshake round-trip time (ms)' },
      y: { aggregate: 'count', type: 'quantitative', title: 'Connections' },
    },
  };
}

/** Counts by category as horizontal bars, in the order given (TCP connection states). */
export function countBarsSpec(rows: readonly { readonly label: string; readonly count: number }[], title: string): Spec {
  return {
    width: PLOT_WIDTH - 120,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: 'bar', color: '#59a14f', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: rows.map((r) => r.label), title: null },
      x: { field: 'count', type: 'quantitative', title, axis: { tickMinStep: 1 } },
    },
  };
}

/** `1 ms`, `100 ms`, `1 s`, `10 s`, `1,000 s`. */
export function intervalText(ns: number): string {
  return ns < 1e9 ? `${ns / 1e6} ms` : `${(ns / 1e9).toLocaleString('en-US')} s`;
}
