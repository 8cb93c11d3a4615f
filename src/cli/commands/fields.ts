import type { CommandModule } from 'yargs';
import { withCaptures, withDecodeAs, withFilter, withPacketSelection, withTlsKeylog } from '../options.js';

interface FieldsArgs {
  captures: string[];
  e: string[];
  E: string[];
  'decode-as': string[];
  'tls-keylog': string | undefined;
  packets: string | undefined;
  c: number | undefined;
  filter: string | undefined;
}

export const fieldsCommand: CommandModule<object, FieldsArgs> = {
  command: 'fields <captures..>',
  describe: 'print chosen fields of every packet, one line each, like tshark -T fields',
  builder: (y) =>
    withFilter(withTlsKeylog(withPacketSelection(withDecodeAs(withCaptures(y)))))
      .option('e', {
        describe: 'a field to print (Wireshark name, e.g. ip.src); repeat for more columns',
        type: 'string',
        array: true,
        demandOption: true,
        requiresArg: true,
      })
      .option('E', {
        describe: 'output option like tshark: header=y|n, separator=/t|/s|<char>, occurrence=a|f|l, aggregator=<char>, quote=d|s|n',
        type: 'string',
        array: true,
        default: [] as string[],
        requiresArg: true,
      })
      .example('$0 fields trace.pcap -e ip.src -e ip.dst -e tcp.dstport', 'three columns, tab-separated')
      .example('$0 fields trace.pcap -e dns.qry.name -E header=y -E separator=,', 'CSV-like with a header line')
      .example("$0 fields trace.pcap -Y 'dns.flags.response == 1' -e dns.qry.name -e dns.a", 'DNS answers only'),
  handler: async (args) => {
    const { runFields } = await import('../../run/run-fields.js');
    process.exitCode = await runFields(args.captures, args.e, args.E, { decodeAs: args['decode-as'], packets: args.packets, count: args.c, tlsKeylog: args['tls-keylog'], filter: args.filter });
  },
};
