// @vitest-environment jsdom
/**
 * The report's Markdown graph block through Mermaid's own parser (a flowchart needs a DOM for
 * Mermaid's sanitizer, hence jsdom here): it parses, has every host as a node, and the hostile
 * fixture's server name comes back as the text the packets carried.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';

// Under jsdom, import.meta.url is not a file URL: paths come from the project root vitest runs in.
const BIN = resolve('bin/pcapviz.js');
const FIXTURES = `${resolve('fixtures')}/`;

const mermaidBlock = (capture: string): string => {
  const r = spawnSync(process.execPath, [BIN, 'report', capture, '-o', '-', '--format', 'md', '--sections', 'graph'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return /```mermaid\n([\s\S]*?)\n```/.exec(r.stdout)![1]!;
};

interface FlowDb {
  getVertices(): Map<string, { text?: string }>;
  getEdges(): { start: string; end: string; text: string }[];
}

async function parseFlowchart(text: string): Promise<FlowDb> {
  await mermaid.parse(text);
  const d = await mermaid.mermaidAPI.getDiagramFromText(text);
  return d.db as unknown as FlowDb;
}

/** Mermaid's parser keeps `#34;` entity codes in label text in its own encoding; this reads them back. */
const decode = (s: string): string => s.replace(/ﬂ°°(\d+)¶ß|#(\d+);/g, (_, a: string | undefined, b: string | undefined) => String.fromCodePoint(Number(a ?? b)));

describe('report Markdown: the graph as Mermaid', () => {
  it('parses, with one vertex per host and one edge per conversation pair', async () => {
    const db = await parseFlowchart(mermaidBlock(`${FIXTURES}small-office.pcapng`));
    const labels = [...db.getVertices().values()].map((v) => decode(v.text ?? ''));
    expect(labels).toContain('alice-laptop 192.168.1.101');
    expect(labels).toContain('www.example.com 198.51.100.10');
    expect(db.getEdges().length).toBe(14);
    expect(db.getEdges().map((e) => decode(e.text))).toContain('23.1 kB, 46 pkts');
  });

  it('labels a host with a hostile name as exactly that text', async () => {
    const db = await parseFlowchart(mermaidBlock(`${FIXTURES}hostile-strings.pcap`));
    const labels = [...db.getVertices().values()].map((v) => decode(v.text ?? ''));
    expect(labels).toContain('"><b>sni</b>_[t](http://e.invalid) 198.51.100.66');
  });
});
