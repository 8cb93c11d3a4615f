import type { CommandModule } from 'yargs';
import { STDIO_ARG } from '../options.js';

interface CraftArgs {
  expression: string;
  c: number;
  o: string;
  format: 'pcap' | 'pcapng' | undefined;
  interval: string | undefined;
  start: string | undefined;
  linktype: number | undefined;
}

const restoreDash = (v: unknown): string => (v === STDIO_ARG ? '-' : String(v));

export const craftCommand: CommandModule<object, CraftArgs> = {
  command: 'craft <expression>',
  describe: 'build packets from a Scapy-style expression and write them as a capture',
  builder: (y) =>
    y
      .positional('expression', { describe: 'layers joined by /, fields as keyword arguments: \'Ether()/IP(dst="8.8.8.8")/ICMP()\'', type: 'string', demandOption: true })
      .option('c', { alias: 'count', describe: 'write the series of packets this many times', type: 'number', default: 1, requiresArg: true })
      .option('o', { alias: 'output', describe: 'the capture file to write; - writes to standard output', type: 'string', default: '-', requiresArg: true, coerce: restoreDash })
      .option('format', { describe: 'capture format (default: pcapng for a .pcapng file name, else pcap)', choices: ['pcap', 'pcapng'] as const })
      .option('interval', { describe: 'seconds between packets\' timestamps, e.g. 0.01', type: 'string', requiresArg: true })
      .option('start', { describe: 'the first timestamp, seconds since 1970 (default: now)', type: 'string', requiresArg: true })
      .option('linktype', { describe: 'the capture\'s link type number (default: from the outermost layer: Ether 1, IP 228, IPv6 229)', type: 'number', requiresArg: true })
      .example('$0 craft \'Ether()/IP(dst="8.8.8.8")/ICMP()\' -c 10 -o ping.pcap', 'ten echo requests')
      .example('$0 craft \'IP(dst="192.0.2.1")/TCP(dport=(1,1024), flags="S")\' -o syn.pcapng --interval 0.001', 'a SYN to each of ports 1 to 1024, a millisecond apart')
      .example('$0 craft \'IP()/UDP()/DNS(qd=DNSQR(qname="example.com", qtype="AAAA"))\' | pcapviz show -', 'build and look at once'),
  handler: async (a) => {
    const { runCraft } = await import('../../craft/run.js');
    process.exitCode = await runCraft(a.expression, { count: a.c, output: a.o, format: a.format, interval: a.interval, start: a.start, linkType: a.linktype });
  },
};
