import type { CommandModule } from 'yargs';
import { withCaptures, withDecodeAs, withFilter, withPacketSelection, withTlsKeylog } from '../options.js';

interface ShowArgs {
  captures: string[];
  format: 'text' | 'json';
  x: boolean;
  packets: string | undefined;
  c: number | undefined;
  'decode-as': string[];
  'tls-keylog': string | undefined;
  filter: string | undefined;
}

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <captures..>',
  describe: 'the full layered tree of packets, each field with the offset and length of its bytes (like tshark -V)',
  builder: (y) =>
    withFilter(withTlsKeylog(withPacketSelection(withDecodeAs(withCaptures(y)))))
      .option('format', { describe: 'text for people; json for the tree with offsets, lengths and bit ranges', choices: ['text', 'json'] as const, default: 'text' as const })
      .option('x', { describe: 'add a hex and ASCII dump of each packet (coloured by layer on a terminal)', type: 'boolean', default: false })
      .example('$0 show trace.pcap --packets 5 -x', 'packet 5 with its bytes')
      .example('$0 show trace.pcap -c 1 --format json', 'the first packet as a JSON tree')
      .example("$0 show trace.pcap -Y 'http.request' -c 1", 'the first HTTP request'),
  handler: async (a) => {
    // Loaded when used: other commands do not pay for the tree and hex renderers.
    const { runShow } = await import('../../run/run-show.js');
    process.exitCode = await runShow(a.captures, { format: a.format, hex: a.x, packets: a.packets, count: a.c, decodeAs: a['decode-as'], tlsKeylog: a['tls-keylog'], filter: a.filter });
  },
};
