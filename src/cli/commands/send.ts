import type { CommandModule } from 'yargs';
import { STDIO_ARG } from '../options.js';

interface SendArgs {
  input: string;
  i: string;
  rate: number | undefined;
  loop: number | undefined;
  yes: boolean;
}

export const sendCommand: CommandModule<object, SendArgs> = {
  command: 'send <input>',
  describe: 'send the packets of a capture or a craft expression out of an interface (through tcpreplay)',
  builder: (y) =>
    y
      .positional('input', { describe: 'a capture file, or a craft expression starting with Ether()', type: 'string', demandOption: true, coerce: (v: unknown) => (v === STDIO_ARG ? '-' : String(v)) })
      .option('i', { alias: 'interface', describe: 'the interface to send on', type: 'string', demandOption: true, requiresArg: true })
      .option('rate', { describe: 'packets per second (default: the capture\'s own timing)', type: 'number', requiresArg: true })
      .option('loop', { describe: 'send everything this many times', type: 'number', requiresArg: true })
      .option('yes', { describe: 'send without asking (needed when there is no terminal)', type: 'boolean', default: false })
      .example('$0 send \'Ether(dst="02:00:00:00:00:02")/IP(dst="192.0.2.2")/UDP(dport=9)/Raw(load="hi")\' -i veth0', 'one packet, after a confirmation')
      .example('$0 send capture.pcap -i veth0 --rate 100 --yes', 'a capture at 100 packets per second, no question'),
  handler: async (a) => {
    const { runSend } = await import('../../live/send.js');
    process.exitCode = await runSend(a.input, { iface: a.i, rate: a.rate, loop: a.loop, yes: a.yes });
  },
};
