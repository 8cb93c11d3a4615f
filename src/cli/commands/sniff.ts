import type { CommandModule } from 'yargs';
import { STATS_TABLES, statsTablesArg, type StatsTable } from '../../run/stats-tables.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../options.js';

interface SniffArgs {
  i: string;
  f: string | undefined;
  c: number | undefined;
  duration: number | undefined;
  w: string | undefined;
  engine: 'dumpcap' | 'tcpdump' | undefined;
  q: boolean;
  stats: StatsTable[] | undefined;
  format: OutputFormat;
  graph: string | undefined;
  report: string | undefined;
}

export const sniffCommand: CommandModule<object, SniffArgs> = {
  command: 'sniff',
  describe: 'capture live traffic through dumpcap or tcpdump, printing list lines as packets arrive',
  builder: (y) =>
    y
      .option('i', { alias: 'interface', describe: 'the interface to capture on', type: 'string', demandOption: true, requiresArg: true })
      .option('f', { alias: 'filter', describe: 'a capture (BPF) filter, e.g. "udp port 53"', type: 'string', requiresArg: true })
      .option('c', { alias: 'count', describe: 'stop after this many packets', type: 'number', requiresArg: true })
      .option('duration', { describe: 'stop after this many seconds', type: 'number', requiresArg: true })
      .option('w', { alias: 'write', describe: 'keep the packets in this pcapng file (for stats, graph, report)', type: 'string', requiresArg: true })
      .option('engine', { describe: 'the capture engine (default: dumpcap when installed, else tcpdump)', choices: ['dumpcap', 'tcpdump'] as const })
      .option('q', { alias: 'quiet', describe: 'print no list lines, only the count at the end', type: 'boolean', default: false })
      .option('stats', {
        describe: `when the capture stops, print these stats tables (${STATS_TABLES.join(', ')}; several separated by commas, or all)`,
        type: 'string',
        requiresArg: true,
        coerce: statsTablesArg,
      })
      .option('format', { describe: 'format of the --stats tables', choices: OUTPUT_FORMATS, default: 'table' as OutputFormat })
      .option('graph', { describe: 'when the capture stops, write its conversation graph to this file (.svg .png .pdf .dot .json)', type: 'string', requiresArg: true })
      .option('report', { describe: 'when the capture stops, write a report of it to this file (.html .pdf .md .json)', type: 'string', requiresArg: true })
      .example('$0 sniff -i eth0 -f "tcp port 443" -c 100 -w https.pcapng', 'a hundred packets, shown and kept')
      .example('$0 sniff -i eth0 --duration 60 -q --stats conv,protocols --graph minute.svg --report minute.html', 'a minute of traffic, then its tables, graph and report')
      .example('$0 sniff -i eth0 --duration 60 -w minute.pcapng && $0 report minute.pcapng -o minute.html', 'a minute of traffic, then a report'),
  handler: async (a) => {
    const { runSniff } = await import('../../live/sniff.js');
    process.exitCode = await runSniff({ iface: a.i, filter: a.f, count: a.c, duration: a.duration, write: a.w, engine: a.engine, quiet: a.q, stats: a.stats, statsFormat: a.format, graph: a.graph, report: a.report });
  },
};
