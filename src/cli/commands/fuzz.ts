import type { CommandModule } from 'yargs';
import { STDIO_ARG } from '../options.js';

interface FuzzArgs {
  input: string;
  c: number | undefined;
  seed: string | undefined;
  o: string;
  format: 'pcap' | 'pcapng' | undefined;
  'fuzz-computed': boolean;
  mutations: number | undefined;
  start: string | undefined;
  interval: string | undefined;
}

const restoreDash = (v: unknown): string => (v === STDIO_ARG ? '-' : String(v));

export const fuzzCommand: CommandModule<object, FuzzArgs> = {
  command: 'fuzz <input>',
  describe: 'write random packets from a craft expression, or mutated copies of a capture\'s packets',
  builder: (y) =>
    y
      .positional('input', { describe: 'a capture file (mutated), - for a capture on standard input, or a craft expression (fuzzed)', type: 'string', demandOption: true, coerce: restoreDash })
      .option('c', { alias: 'count', describe: 'packets to write (default: each packet of the expression\'s series or of the capture once)', type: 'number', requiresArg: true })
      .option('seed', { describe: 'any text; the same seed writes the same bytes (default: a random seed, printed on standard error)', type: 'string', requiresArg: true })
      .option('o', { alias: 'output', describe: 'the capture file to write; - writes to standard output', type: 'string', default: '-', requiresArg: true, coerce: restoreDash })
      .option('format', { describe: 'pcapng (the default) records what was fuzzed as packet comments; pcap drops them', choices: ['pcap', 'pcapng'] as const })
      .option('fuzz-computed', { describe: 'expressions: also randomise the fields normally computed (lengths, checksums, protocol numbers, counts)', type: 'boolean', default: false })
      .option('mutations', { describe: 'captures: at most this many mutations per packet (default 3)', type: 'number', requiresArg: true })
      .option('start', { describe: 'expressions: the first timestamp, seconds since 1970 (default 0, so runs repeat byte for byte)', type: 'string', requiresArg: true })
      .option('interval', { describe: 'expressions: seconds between packets (default 0.001)', type: 'string', requiresArg: true })
      .example('$0 fuzz \'Ether()/IP(version=4, flags=0, frag=0, dst="192.0.2.1")/TCP(dport=80)\' -c 1000 --seed 7 -o tcp-fuzz.pcapng', 'a thousand TCP packets with random fields; what is set stays as given')
      .example('$0 fuzz capture.pcapng -c 5000 --seed 7 -o mutants.pcapng', 'bit flips, lying lengths, cuts and duplicated options, each noted in a packet comment'),
  handler: async (a) => {
    const { runFuzz } = await import('../../craft/fuzz-run.js');
    process.exitCode = await runFuzz(a.input, {
      count: a.c,
      seed: a.seed,
      output: a.o,
      format: a.format,
      computed: a['fuzz-computed'],
      most: a.mutations,
      start: a.start,
      interval: a.interval,
    });
  },
};
