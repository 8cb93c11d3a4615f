import type { CommandModule } from 'yargs';
import type { TimeFormat } from '../../render/list/packet-list.js';
import { withCaptures, withDecodeAs, withFilter, withPacketSelection, withTlsKeylog } from '../options.js';

interface ListArgs {
  captures: string[];
  format: 'table' | 'json' | 'csv';
  t: TimeFormat;
  packets: string | undefined;
  c: number | undefined;
  'decode-as': string[];
  'tls-keylog': string | undefined;
  filter: string | undefined;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list <captures..>',
  describe: "one line per packet, like tshark's default output: number, time, addresses, protocol, length, info",
  builder: (y) =>
    withFilter(withTlsKeylog(withPacketSelection(withDecodeAs(withCaptures(y)))))
      .option('format', { describe: 'table for people; json or csv for scripts', choices: ['table', 'json', 'csv'] as const, default: 'table' as const })
      .option('t', {
        describe: 'time column: r relative to the first packet, d delta, dd delta displayed, a absolute, ad with date, u / ud UTC, e epoch',
        choices: ['r', 'a', 'ad', 'd', 'dd', 'e', 'u', 'ud'] as const,
        default: 'r' as const,
      })
      .example('$0 list trace.pcap -c 20', 'the first 20 packets')
      .example('$0 list trace.pcap --packets 100-120 -t ud', 'a range, with UTC dates')
      .example("$0 list trace.pcap -Y 'tcp.port == 443 && tcp.flags.syn == 1'", 'the TLS connection attempts'),
  handler: async (a) => {
    // Loaded when used: other commands do not pay for the dissector.
    const { runList } = await import('../../run/run-list.js');
    process.exitCode = await runList(a.captures, { format: a.format, time: a.t, packets: a.packets, count: a.c, decodeAs: a['decode-as'], tlsKeylog: a['tls-keylog'], filter: a.filter });
  },
};
