/**
 * `stats` tables that read nothing above TCP and UDP let the pass stop before application
 * layers (`skipApplication`): their results must be those of a pass that dissects everything.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FLOWS } from '../../src/analyze/flow-table.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { collectStats, renderStats, type CaptureStats } from '../../src/run/run-stats.js';
import { STATS_TABLE_DEFS } from '../../src/run/stats/index.js';
import type { StatsSettings } from '../../src/run/stats/table.js';
import { CAPTURES } from '../helpers/capture-bytes.js';

const FILES = [`${CAPTURES}pcapplusplus__four_ipv6_http_streams.pcap`, `${CAPTURES}zeek__dhcp.pcap`, new URL('../../fixtures/small-office.pcapng', import.meta.url).pathname];
const registry = defaultRegistry();
const settings = (types: string[] | undefined, names: boolean): StatsSettings => ({ types, format: 'json', top: undefined, sort: undefined, maxFlows: DEFAULT_MAX_FLOWS, names, intervalNs: 1e9 });

async function json(file: string, tables: string[], s: StatsSettings): Promise<string> {
  const defs = tables.map((t) => STATS_TABLE_DEFS.find((d) => d.name === t)!);
  const results: CaptureStats[] = [];
  await collectStats([file], registry, defs, s, (r) => results.push(r));
  return renderStats(results, false, defs, s);
}

describe('stats without application layers', () => {
  it('only transport-level tables without names or UDP skip them', () => {
    const s = settings(['tcp', 'ip'], false);
    const skips = (tables: string[], st = s): boolean => tables.every((t) => STATS_TABLE_DEFS.find((d) => d.name === t)!.transportOnly?.(st) === true);
    expect(skips(['conv', 'endpoints', 'tcp', 'io'])).toBe(true);
    expect(skips(['conv'], settings(undefined, false))).toBe(false);
    expect(skips(['conv'], settings(['udp'], false))).toBe(false);
    for (const t of ['protocols', 'expert', 'dns', 'http', 'tls']) expect(skips([t])).toBe(false);
  });

  it('stops before application layers (no data layer either) but keeps the transport layers and their analysis', async () => {
    const reader = await openCapture(FILES[0]!);
    const full = new Dissector(registry, { mode: 'summary', summaries: false });
    const short = new Dissector(registry, { mode: 'summary', summaries: false, skipApplication: true });
    let skipped = 0;
    for await (const frame of reader) {
      const a = full.dissect(frame).layers;
      const b = short.dissect(frame).layers;
      const t = a.findIndex((l) => l.protocol === 'tcp' || l.protocol === 'udp');
      if (t < 0) continue;
      expect(b.slice(0, t + 1).map((l) => [l.protocol, l.info])).toEqual(a.slice(0, t + 1).map((l) => [l.protocol, l.info]));
      expect(b.some((l) => registry.protocols.get(l.protocol)?.leaf === true)).toBe(false);
      // Nor are the bytes past the transport header kept as data or padding layers.
      expect(b.filter((l) => l.protocol === 'data' || l.protocol === 'padding')).toEqual([]);
      if (a.some((l) => registry.protocols.get(l.protocol)?.leaf === true)) skipped++;
    }
    await reader.close();
    expect(skipped).toBeGreaterThan(0);
  });

  it('gives the same conv, endpoints, tcp and io results as a pass over every layer', async () => {
    const s = settings(['eth', 'ip', 'ipv6', 'tcp'], false);
    for (const file of FILES) {
      const alone = await json(file, ['conv', 'endpoints', 'tcp', 'io'], s);
      // `protocols` reads every layer, so this pass dissects them all.
      const withAll = JSON.parse(await json(file, ['conv', 'endpoints', 'tcp', 'io', 'protocols'], s)) as Record<string, unknown>;
      delete withAll['protocols'];
      expect(JSON.parse(alone)).toEqual(withAll);
    }
  });
});
