import type { CommandModule } from 'yargs';
import { STDIO_ARG, withDecodeAs, withFilter, withPacketSelection, withTlsKeylog } from '../options.js';

interface PdfdumpArgs {
  capture: string;
  o: string;
  packets: string | undefined;
  c: number | undefined;
  paper: 'a4' | 'letter';
  landscape: boolean;
  theme: 'light' | 'print';
  connectors: boolean;
  compact: boolean;
  'decode-as': string[];
  'tls-keylog': string | undefined;
  filter: string | undefined;
}

const restoreDash = (v: unknown): string => (v === STDIO_ARG ? '-' : String(v));

export const pdfdumpCommand: CommandModule<object, PdfdumpArgs> = {
  command: 'pdfdump <capture>',
  describe: 'a PDF of packets layer by layer: every field beside its bytes, boxed in its layer colour, with a connector to exactly its bytes (and bits)',
  builder: (y) =>
    withFilter(withTlsKeylog(withPacketSelection(withDecodeAs(y))))
      .positional('capture', { describe: 'capture file (pcap, pcapng, optionally compressed); - reads standard input', type: 'string', demandOption: true, coerce: restoreDash })
      .option('o', { alias: 'output', describe: 'the PDF file to write; - writes to standard output', type: 'string', demandOption: true, requiresArg: true, coerce: restoreDash })
      .option('paper', { describe: 'paper size', choices: ['a4', 'letter'] as const, default: 'a4' as const })
      .option('landscape', { describe: 'turn the page sideways (wider field column)', type: 'boolean', default: false })
      .option('theme', { describe: 'light: a colour per protocol; print: greys and hatch patterns that survive black-and-white printing', choices: ['light', 'print'] as const, default: 'light' as const })
      .option('connectors', { describe: 'draw a connector from each field to its bytes (--no-connectors: boxes and colours only)', type: 'boolean', default: true })
      .option('compact', { describe: 'let small packets share a page', type: 'boolean', default: false })
      .example('$0 pdfdump trace.pcap -o dump.pdf', 'the first 100 packets')
      .example('$0 pdfdump trace.pcap --packets 1-20,33 --theme print -o dump.pdf', 'chosen packets, for a black-and-white printer')
      .example("$0 pdfdump trace.pcap -Y 'dns' -c 20 --compact -o dns.pdf", 'the first 20 DNS packets, several to a page')
      .example('tcpdump -w - | $0 pdfdump - -c 50 --compact -o -  > dump.pdf', 'from a pipe to a pipe'),
  handler: async (a) => {
    // Loaded when used: pdfkit and the layout cost nothing to other commands.
    const { runPdfdump } = await import('../../run/run-pdfdump.js');
    process.exitCode = await runPdfdump(a.capture, {
      output: a.o,
      packets: a.packets,
      count: a.c,
      paper: a.paper,
      landscape: a.landscape,
      theme: a.theme,
      connectors: a.connectors,
      compact: a.compact,
      decodeAs: a['decode-as'],
      tlsKeylog: a['tls-keylog'],
      filter: a.filter,
    });
  },
};
