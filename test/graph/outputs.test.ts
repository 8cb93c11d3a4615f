/**
 * `pcapviz graph` run as a user runs it, one output of each kind, each read back: JSON numbers,
 * DOT parsed with ts-graphviz, SVG as XML with one node group per node, PNG decoded to its size,
 * PDF opened with pdf.js and its node labels found as text. The WebAssembly Graphviz does the
 * layout; the system one is tried when `dot` is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { fromDot } from 'ts-graphviz';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const EXAMPLE = `${CAPTURES}pcapplusplus__example.pcap`;
const TLS2 = `${CAPTURES}pcapplusplus__tls2.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface GraphJson {
  layer: string;
  nodes: { id: string; key: string; kind: string; address?: string; packets: number; bytes: number; folded?: number }[];
  edges: { from: string; to: string; a: string; b: string; packets: number; bytes: number; packetsAtoB: number; protocol: string; captures: string[] }[];
  totals: { nodes: number; edges: number };
}

const graph = (args: string[], out: string): { path: string; stderr: string } => {
  const path = join(dir, out);
  const r = runCli(['graph', ...args, '-o', path]);
  expect(r.stderr).toMatch(/wrote/);
  expect(r.status).toBe(0);
  return { path, stderr: r.stderr };
};

/** Width, height and decoded pixel bytes of an 8-bit RGBA/RGB PNG (checks every chunk's framing). */
function decodePng(png: Buffer): { width: number; height: number; pixels: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8);
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (1 + width * channels));
  return { width, height, pixels: raw.length };
}

describe('pcapviz graph outputs', () => {
  const json = (): GraphJson => {
    const { path } = graph([EXAMPLE, '--top', '12'], 'example.json');
    return JSON.parse(readFileSync(path, 'utf8')) as GraphJson;
  };

  it('JSON: nodes and edges with the numbers of stats conv, the rest folded', () => {
    const g = json();
    expect(g.layer).toBe('ip');
    expect(g.nodes).toHaveLength(13);
    const other = g.nodes.find((n) => n.kind === 'other')!;
    expect(other.folded).toBe(g.totals.nodes - 12);
    const conv = JSON.parse(runCli(['stats', 'conv', EXAMPLE, '--type', 'ip', '--format', 'json']).stdout) as { a: string; b: string; packets: number; bytes: number }[];
    const top = conv.find((c) => c.b === '212.199.202.9')!;
    const edge = g.edges.find((e) => (e.a === top.a && e.b === top.b) || (e.a === top.b && e.b === top.a))!;
    expect([edge.packets, edge.bytes]).toEqual([top.packets, top.bytes]);
    expect(edge.protocol).toBe('http');
    expect(edge.captures).toEqual([EXAMPLE]);
  });

  it('DOT parses back with ts-graphviz with every node and edge', () => {
    const { path } = graph([EXAMPLE, '--top', '12', '--cluster', '24'], 'example.dot');
    const parsed = fromDot(readFileSync(path, 'utf8'));
    const nodes = [...parsed.nodes, ...parsed.subgraphs.flatMap((s) => s.nodes)];
    expect(nodes).toHaveLength(13);
    expect(parsed.edges).toHaveLength(json().edges.length);
    expect(parsed.subgraphs.some((s) => s.get('label') === '212.199.202.0/24')).toBe(true);
    const hub = nodes.find((n) => n.id === 'n1')!;
    expect(String(hub.attributes.get('label'))).toContain('10.0.0.6');
  });

  it('SVG is well-formed XML with one node group per node, tooltips and a legend', () => {
    const { path } = graph([EXAMPLE, '--top', '12'], 'example.svg');
    const svg = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<g id="node\d+" class="node[^"]*"/g)).toHaveLength(13);
    expect(svg).toMatch(/xlink:title="10\.0\.0\.6 → www\.ynet\.co\.il \(212\.199\.202\.9\): [\d,]+ pkts/);
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('other hosts');
  });

  it('PNG decodes to the size reported, at most 4,000 px on its longest side', () => {
    const { path, stderr } = graph([TLS2], 'tls2.png');
    const png = decodePng(readFileSync(path));
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(4000);
    expect(stderr).toContain(`${png.width}×${png.height} px`);
    expect(png.width).toBeGreaterThan(1000);
  });

  it('PDF opens with the node labels as text', async () => {
    const { path } = graph([EXAMPLE, '--top', '12'], 'example.pdf');
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)), useSystemFonts: false }).promise;
    expect(doc.numPages).toBe(1);
    const content = await (await doc.getPage(1)).getTextContent();
    const text = content.items.map((i) => ('str' in i ? i.str : '')).join('\n');
    for (const label of ['10.0.0.6', '212.199.202.9', 'other hosts', 'Edge colour: main protocol']) expect(text).toContain(label);
    await doc.destroy();
  });

  it('refuses an output whose format it cannot tell, and a bad --top', () => {
    const r = runCli(['graph', EXAMPLE, '-o', join(dir, 'x.gif')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\.svg, \.png, \.pdf, \.dot or \.json/);
    expect(runCli(['graph', EXAMPLE, '--top', '-1', '-o', join(dir, 'x.svg')]).stderr).toMatch(/--top must be/);
  });

  it('a layout that runs past --layout-timeout is redone with sfdp, with a warning', () => {
    const { path, stderr } = graph([EXAMPLE, '--top', '8', '--layout-timeout', '0.001'], 'late.svg');
    expect(stderr).toMatch(/layout with dot failed \(dot did not finish within 0 s\); laying out with sfdp instead/);
    expect(stderr).toMatch(/sfdp \(built-in Graphviz/);
    expect(readFileSync(path, 'utf8').match(/<g id="node\d+" class="node[^"]*"/g)).toHaveLength(9);
  });

  const hasDot = spawnSync('dot', ['-V'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasDot)('--renderer system lays out with the installed Graphviz', () => {
    const { path, stderr } = graph([EXAMPLE, '--top', '8', '--renderer', 'system'], 'system.svg');
    expect(stderr).toContain('system Graphviz');
    const svg = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<g id="node\d+" class="node[^"]*"/g)).toHaveLength(9);
  });
});
