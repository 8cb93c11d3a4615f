import type { CommandModule } from 'yargs';
import { TRAFFIC_TYPES } from '../../analyze/traffic-taps.js';
import { STATS_SORTS, type StatsSort } from '../../render/stats/order.js';
import { STATS_TABLES, statsTablesArg, type StatsTable } from '../../run/stats-tables.js';
import { withCaptures, withDecodeAs, withFilter, withFormat, type OutputFormat } from '../options.js';

interface StatsArgs {
  table: StatsTable[];
  captures: string[];
  type: string[] | undefined;
  format: OutputFormat;
  top: number | undefined;
  sort: StatsSort | undefined;
  'max-flows': number | undefined;
  'decode-as': string[];
  names: boolean;
  n: boolean | undefined;
  interval: string | undefined;
  filter: string | undefined;
}

/** `--type tcp --type udp` or `--type tcp,udp` → ['tcp', 'udp'] (checked by runStats). */
const splitTypes = (value: string | string[]): string[] => [...new Set([value].flat().flatMap((v) => String(v).split(',')).map((t) => t.trim()))];

export const statsCommand: CommandModule<object, StatsArgs> = {
  command: 'stats <table> <captures..>',
  describe: `summary tables like tshark -z: ${STATS_TABLES.join(', ')} (several at once from one pass, or all)`,
  builder: (y) =>
    withFilter(withDecodeAs(
      withFormat(
        withCaptures(
          y.positional('table', {
            describe: `${STATS_TABLES.join(', ')}; several separated by commas, or all (every table from one pass)`,
            type: 'string',
            demandOption: true,
            coerce: statsTablesArg,
          }),
        ),
      ),
    ))
      .option('type', {
        // Not an array option: it would swallow the capture names after it.
        describe: `conversation or endpoint type: ${TRAFFIC_TYPES.join(', ')} (repeat it or separate with commas; all five when omitted)`,
        type: 'string',
        requiresArg: true,
        coerce: splitTypes,
      })
      .option('top', { describe: 'only the first N rows of each table (children of each node for protocols)', type: 'number', requiresArg: true })
      .option('sort', {
        describe: 'row order: bytes or packets (largest first), start, duration (longest first), name, order (first seen), count (largest count first); default bytes for conv and endpoints, order for protocols and io, count for dns, http and tls',
        choices: STATS_SORTS,
        requiresArg: true,
      })
      .option('max-flows', {
        describe: 'most flows kept live per table (default 1000000); idle ones past it are retired into final rows, reported on stderr',
        type: 'number',
        requiresArg: true,
      })
      .option('names', {
        describe: 'label hosts in conv and endpoints with names learned from the capture (DNS answers, TLS SNI, HTTP Host, DHCP, NetBIOS); --no-names for none',
        type: 'boolean',
        default: true,
      })
      .option('interval', { describe: 'io: interval length, e.g. 1s (default), 100ms, 10s, 1m', type: 'string', requiresArg: true })
      .option('n', { describe: 'no names learned from the capture (as --no-names)', type: 'boolean' })
      .example('$0 stats conv trace.pcap --type tcp --top 10', 'the ten TCP conversations with the most bytes')
      .example('$0 stats protocols trace.pcap --format json', 'the protocol hierarchy as a JSON tree')
      .example('$0 stats endpoints trace.pcap --type ip --format csv', 'IPv4 endpoints as CSV')
      .example('$0 stats conv,endpoints,protocols trace.pcap --format json', 'three tables from one pass, as one JSON object keyed by table')
      .example('$0 stats all trace.pcap', 'every table')
      .example('$0 stats io trace.pcap --interval 100ms --format csv', 'packets, bytes and bits/s per 100 ms')
      .example('$0 stats dns,http,tls trace.pcap --top 10', 'the ten most frequent names, hosts, URIs, server names, suites'),
  handler: async (args) => {
    // Loaded when used: other commands do not pay for the analysers.
    const { runStats } = await import('../../run/run-stats.js');
    process.exitCode = await runStats(args.captures, {
      tables: args.table,
      types: args.type,
      format: args.format,
      top: args.top,
      sort: args.sort,
      maxFlows: args['max-flows'],
      decodeAs: args['decode-as'],
      names: args.names && args.n !== true,
      interval: args.interval,
      filter: args.filter,
    });
  },
};
