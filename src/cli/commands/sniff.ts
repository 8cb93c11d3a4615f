import type { CommandModule } from 'yargs';

interface SniffArgs {
  i: string;
  f: string | undefined;
  c: number | undefined;
  duration: number | undefined;
  w: string | undefined;
  engine: 'dumpcap' | 'tcpdump' | undefined;
  q: boolean;
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
      .example('$0 sniff -i eth0 -f "tcp port 443" -c 100 -w https.pcapng', 'a hundred packets, shown and kept')
      .example('$0 sniff -i eth0 --duration 60 -w minute.pcapng && $0 report minute.pcapng -o minute.html', 'a minute of traffic, then a report'),
  handler: async (a) => {
    const { runSniff } = await import('../../live/sniff.js');
    process.exitCode = await runSniff({ iface: a.i, filter: a.f, count: a.c, duration: a.duration, write: a.w, engine: a.engine, quiet: a.q });
  },
};
