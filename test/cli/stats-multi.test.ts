import { describe, expect, it } from 'vitest';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { collectStats, type CaptureStats } from '../../src/run/run-stats.js';
import { selectPackets } from '../../src/run/selection.js';
import { STATS_TABLE_DEFS } from '../../src/run/stats/index.js';
import type { StatsTableDef } from '../../src/run/stats/table.js';
import { STATS_TABLES, parseStatsTables } from '../../src/run/stats-tables.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

const PPTP = `${CAPTURES}tcpdump__pptp.pcap`;
const GRE = `${CAPTURES}zeek__gre-sample.pcap`;

/** A table that only remembers the packet objects it was given. */
function probe(name: string, seen: DissectedPacket[]): StatsTableDef<number> {
  return {
    name,
    describe: 'probe',
    sorts: ['order'],
    reducer: () => ({ add: (p) => seen.push(p), finish: () => seen.length }),
    json: (r) => r,
    csvColumns: () => [],
    csvRows: () => [],
    sections: () => [],
  };
}

describe('stats tables', () => {
  it('the command-line names and the definitions list the same tables in the same order', () => {
    expect(STATS_TABLE_DEFS.map((d) => d.name)).toEqual([...STATS_TABLES]);
    expect(parseStatsTables('all')).toEqual([...STATS_TABLES]);
    expect(parseStatsTables('protocols,conv,conv')).toEqual(['protocols', 'conv']);
    expect(parseStatsTables('conv,flows')).toMatch(/unknown table "flows"/);
  });

  it('one pass: every table of a run is fed the very same dissected packet objects', async () => {
    const a: DissectedPacket[] = [];
    const b: DissectedPacket[] = [];
    const out: CaptureStats[] = [];
    const settings = { types: undefined, format: 'json' as const, top: undefined, sort: undefined, maxFlows: 1000, names: false, intervalNs: 1e9 };
    const exit = await collectStats([GRE], selectPackets(undefined, [], undefined)!.registry, [probe('a', a), probe('b', b)], settings, (r) => out.push(r));
    expect(exit).toBe(0);
    const frames = JSON.parse(runCli(['info', GRE, '--format', 'json']).stdout) as { packets: number };
    expect(a.length).toBe(frames.packets);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBe(a[i]); // the same object: dissected once
    expect(out.map((r) => [r.file, r.results.get('a'), r.results.get('b')])).toEqual([[GRE, a.length, a.length]]);
  });
});

describe('pcapviz stats with several tables', () => {
  it('JSON is one object keyed by table name, each value what the table alone gives', () => {
    const r = runCli(['stats', 'conv,endpoints,protocols', PPTP, '--type', 'tcp', '--format', 'json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['conv', 'endpoints', 'protocols']);
    expect(j['conv']).toEqual(JSON.parse(runCli(['stats', 'conv', PPTP, '--type', 'tcp', '--format', 'json']).stdout));
    expect(j['endpoints']).toEqual(JSON.parse(runCli(['stats', 'endpoints', PPTP, '--type', 'tcp', '--format', 'json']).stdout));
    expect(j['protocols']).toEqual(JSON.parse(runCli(['stats', 'protocols', PPTP, '--format', 'json']).stdout));
  });

  it('stats all names every table; several captures give an array of {file, TABLE...}', () => {
    const j = JSON.parse(runCli(['stats', 'all', PPTP, GRE, '--format', 'json']).stdout) as Record<string, unknown>[];
    expect(j.map((x) => Object.keys(x))).toEqual([['file', ...STATS_TABLES], ['file', ...STATS_TABLES]]);
    expect(j[1]!['file']).toBe(GRE);
  });

  it('CSV of several tables: a table column first, one header row for all', () => {
    const r = runCli(['stats', 'conv,protocols', PPTP, '--type', 'ip', '--format', 'csv']);
    const lines = r.stdout.trimEnd().split('\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['table', 'type', 'a']);
    expect(header).toContain('path');
    for (const line of lines.slice(1)) expect(line.split(',').length).toBe(header.length);
    expect(lines.filter((l) => l.startsWith('conv,')).length).toBe(1);
    expect(lines.filter((l) => l.startsWith('protocols,')).length).toBe(8); // frame and seven nodes
  });

  it('--type needs a table that takes it; a sort no chosen table takes is refused', () => {
    expect(runCli(['stats', 'conv,protocols', PPTP, '--type', 'tcp']).status).toBe(0);
    const r = runCli(['stats', 'protocols', PPTP, '--type', 'tcp']);
    expect([r.status, r.stderr]).toEqual([1, 'pcapviz: --type applies to conv and endpoints, not protocols\n']);
    expect(runCli(['stats', 'endpoints,protocols', PPTP, '--sort', 'start']).status).toBe(1);
    expect(runCli(['stats', 'conv,protocols', PPTP, '--sort', 'start']).status).toBe(0);
  });
});
