import type { CommandModule } from 'yargs';
import { DEFAULT_MAX_ARROWS, FLOW_ACKS, FLOW_BY, FLOW_FORMATS, type FlowAcks, type FlowBy, type FlowFormat } from '../../flow/constants.js';
import { STDIO_ARG, withDecodeAs, withFilter, withTlsKeylog } from '../options.js';

interface FlowArgs {
  capture: string;
  output: string | undefined;
  format: FlowFormat | undefined;
  by: FlowBy;
  acks: FlowAcks;
  stream: number | undefined;
  conv: string | undefined;
  packets: string | undefined;
  'max-arrows': number;
  names: boolean;
  n: boolean | undefined;
  states: boolean;
  'decode-as': string[];
  'tls-keylog': string | undefined;
  filter: string | undefined;
}

export const flowCommand: CommandModule<object, FlowArgs> = {
  command: 'flow <capture>',
  describe: "a sequence diagram of the packets (like Wireshark's Flow Graph) as text, SVG, PDF or Mermaid",
  builder: (y) =>
    withFilter(withTlsKeylog(
      withDecodeAs(
        y.positional('capture', {
          describe: 'capture file (pcap, pcapng, optionally gzip-compressed); - reads standard input',
          type: 'string',
          demandOption: true,
          coerce: (v: unknown) => (v === STDIO_ARG ? '-' : String(v)),
        }),
      ),
    ))
      .option('output', {
        alias: 'o',
        describe: 'output file; its extension picks the format (.txt .svg .pdf .mmd); - or none: text on standard output',
        type: 'string',
        requiresArg: true,
        coerce: (v: unknown) => (v === STDIO_ARG ? '-' : String(v)),
      })
      .option('format', { describe: 'output format when the extension does not say', choices: FLOW_FORMATS, requiresArg: true })
      .option('by', { describe: 'one lifeline per host (address) or per endpoint (address:port)', choices: FLOW_BY, default: 'host' as FlowBy })
      .option('acks', { describe: 'TCP packets carrying only an ACK: drawn solid, dashed, or left out', choices: FLOW_ACKS, default: 'dashed' as FlowAcks })
      .option('stream', { describe: 'only this TCP connection (tcp.stream, as list and fields number them)', type: 'number', requiresArg: true })
      .option('conv', { describe: 'only packets between two ends, either way: A,B with addresses or address:port ([v6]:port)', type: 'string', requiresArg: true })
      .option('packets', { describe: 'frame numbers to draw: 1-10,25,40- (as Wireshark numbers them)', type: 'string', requiresArg: true })
      .option('max-arrows', { describe: 'draw at most this many packets; the diagram says how many were left out (0: all)', type: 'number', default: DEFAULT_MAX_ARROWS, requiresArg: true })
      .option('names', { describe: 'show names learned from the capture (DNS, SNI, HTTP Host, DHCP) under lifeline addresses; --no-names for none', type: 'boolean', default: true })
      .option('n', { describe: 'no names learned from the capture (as --no-names)', type: 'boolean' })
      .option('states', { describe: 'notes with TCP connection states at the start and end of each connection; --no-states for none', type: 'boolean', default: true })
      .example('$0 flow trace.pcap --stream 0', 'one TCP connection as text in the terminal')
      .example('$0 flow trace.pcap --conv 10.0.0.5,10.0.0.9:443 -o tls.svg', 'one conversation as SVG, with tooltips')
      .example('$0 flow trace.pcap --acks hide --max-arrows 1000 -o flow.pdf', 'a printable diagram over several pages')
      .example('$0 flow trace.pcap --packets 1-40 -o flow.mmd', 'Mermaid text for a Markdown page'),
  handler: async (a) => {
    const { runFlow } = await import('../../run/run-flow.js');
    process.exitCode = await runFlow(a.capture, {
      output: a.output,
      format: a.format,
      by: a.by,
      acks: a.acks,
      stream: a.stream,
      conv: a.conv,
      packets: a.packets,
      maxArrows: a['max-arrows'],
      decodeAs: a['decode-as'],
      tlsKeylog: a['tls-keylog'],
      names: a.names && a.n !== true,
      states: a.states,
      filter: a.filter,
    });
  },
};
