import type { CommandModule } from 'yargs';
import type { FollowFormat } from '../../run/run-follow.js';
import { withDecodeAs, withFilter } from '../options.js';

interface FollowArgs {
  proto: 'tcp' | 'udp';
  capture: string;
  stream: number;
  format: FollowFormat;
  'decode-as': string[];
  filter: string | undefined;
}

export const followCommand: CommandModule<object, FollowArgs> = {
  command: 'follow <proto> <capture> <stream>',
  describe: "the payload of one TCP or UDP stream in order, each side marked, like tshark's -z follow",
  builder: (y) =>
    withFilter(withDecodeAs(
      y
        .positional('proto', { describe: 'tcp or udp', choices: ['tcp', 'udp'] as const, demandOption: true })
        .positional('capture', { describe: 'capture file', type: 'string', demandOption: true })
        .positional('stream', { describe: 'stream index (tcp.stream or udp.stream, as list and fields show)', type: 'number', demandOption: true }),
    ))
      .option('format', { describe: 'ascii (dots for unprintable bytes), hex dump, raw hex, or yaml', choices: ['ascii', 'hex', 'raw', 'yaml'] as const, default: 'ascii' as const })
      .example('$0 follow tcp trace.pcap 0', 'the first TCP connection as text')
      .example('$0 follow udp trace.pcap 3 --format hex', 'a UDP stream as a hex dump'),
  handler: async (a) => {
    const { runFollow } = await import('../../run/run-follow.js');
    process.exitCode = await runFollow(a.proto, a.capture, a.stream, { format: a.format, decodeAs: a['decode-as'], filter: a.filter });
  },
};
