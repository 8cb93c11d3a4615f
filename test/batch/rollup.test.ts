import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureSummaryFile } from '../../src/batch/files.js';
import { buildRollup } from '../../src/batch/rollup.js';

const root = mkdtempSync(join(tmpdir(), 'pcapviz-rollup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A capture folder with a summary.json whose strings came from a hostile capture. */
function folder(name: string, capture: string, host: string): { rel: string; dir: string } {
  const dir = join(root, 'out', name);
  mkdirSync(dir, { recursive: true });
  const summary: CaptureSummaryFile = {
    kind: 'pcapviz-batch-capture',
    version: 1,
    generator: 'pcapviz test',
    capture,
    status: 'ok',
    error: undefined,
    warnings: [],
    info: { format: 'pcap', packets: 3, dataBytes: 180, capturedBytes: 180, firstTimeIso: '2024-01-02T03:04:05.000000Z', duration: '1.5' },
    stats: {
      conv: { eth: [], ip: [], ipv6: [], tcp: [], udp: [{ a: '10.0.0.1', portA: 53, b: '10.0.0.2', portB: 5353, nameA: host, packetsAtoB: 2, bytesAtoB: 120, packetsBtoA: 1, bytesBtoA: 60, start: 0, duration: 1.5 }] },
      endpoints: { eth: [], ip: [{ address: '10.0.0.1', name: host, packets: 3, bytes: 180, txPackets: 2, txBytes: 120, rxPackets: 1, rxBytes: 60 }], ipv6: [], tcp: [], udp: [] },
      tcp: [],
      expert: { rows: [{ severity: 'error', count: 2 }, { severity: 'warning', count: 5 }] },
    },
    graph: { protocols: {} },
    outputs: [],
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  return { rel: capture, dir };
}

describe('batch roll-up', () => {
  it('writes hostile capture-derived text safely to CSV, Parquet and the index', async () => {
    const entries = [folder('b', '=HYPERLINK("http://x")', '<img src=x onerror=alert(1)>'), folder('a', 'line\nbreak, "quoted"', '+cmd|calc')];
    const out = join(root, 'out');
    const r = await buildRollup(out, entries, { parquet: true, graphTop: 40, names: true, renderer: undefined, layoutTimeoutSeconds: 10, generator: 'pcapviz test', now: new Date(0), skipped: ['<script>.txt'], warn: () => undefined });
    expect(r.lines.map((l) => l.rel)).toEqual(['=HYPERLINK("http://x")', 'line\nbreak, "quoted"']);

    const captures = readFileSync(join(out, 'captures.csv'), 'utf8');
    expect(captures.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"")",ok,,pcap,3,180,180,2024-01-02T03:04:05.000000Z,,1.5,0,0,1,1,2,0,b,summary.json`);
    expect(captures).toContain('"line\\nbreak, ""quoted"""'); // one line per row: the break is escaped
    const conv = readFileSync(join(out, 'conversations.csv'), 'utf8');
    expect(conv).toContain(",'+cmd|calc,");
    expect(conv.split('\r\n')[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x""\)",udp,10\.0\.0\.1,53,<img src=x onerror=alert\(1\)>,10\.0\.0\.2,5353,,2,120,1,60,3,180,0,1\.5$/);

    const buf = readFileSync(join(out, 'hosts.parquet'));
    const rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) })) as Record<string, unknown>[];
    // Parquet keeps the exact text (no spreadsheet defusing); ports absent are null.
    expect(rows.map((x) => [x['capture'], x['name'], x['port'], x['packets']])).toEqual([
      ['=HYPERLINK("http://x")', '<img src=x onerror=alert(1)>', null, 3],
      ['line\nbreak, "quoted"', '+cmd|calc', null, 3],
    ]);

    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).not.toContain('<img');
    expect(index).not.toContain('<script>.txt');
    expect(index).toContain('&lt;script&gt;.txt');
    expect(index).toContain('line\\nbreak, &quot;quoted&quot;');
  });
});
