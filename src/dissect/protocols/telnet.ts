import { defineProtocol } from '../protocol.js';

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;

const COMMANDS: Readonly<Record<number, string>> = {
  240: 'Suboption End', 241: 'No Operation', 242: 'Data Mark', 243: 'Break', 244: 'Interrupt Process', 245: 'Abort Output',
  246: 'Are You There?', 247: 'Escape Character', 248: 'Erase Line', 249: 'Go Ahead', 250: 'Suboption', 251: 'Will', 252: "Won't",
  253: 'Do', 254: "Don't",
};

/** Most commands and data runs read from one segment. */
const MAX_ITEMS = 4096;

/**
 * Telnet (TCP 23): IAC commands with their option, subnegotiations, and the text between them
 * as `telnet.data`.
 */
export const telnet = defineProtocol({
  id: 'telnet',
  name: 'Telnet',
  short: 'TELNET',
  bindings: [{ table: 'tcp.port', key: 23 }],
  fields: {
    'telnet.cmd': { label: 'Command', type: 'u8', values: COMMANDS },
    'telnet.subcmd': { label: 'Subcommand', type: 'u8' },
    'telnet.option_data': { label: 'Option data', type: 'bytes' },
    'telnet.data': { label: 'Data', type: 'string' },
  },
  dissect(c) {
    const d = c.data;
    const end = c.capEnd;
    let commands = 0;
    let items = 0;
    while (c.pos < end && items++ < MAX_ITEMS) {
      if (d[c.pos] !== IAC || c.pos + 1 >= end || d[c.pos + 1] === IAC) {
        // Text up to the next IAC (a doubled IAC is a data byte 0xff).
        let i = c.pos;
        while (i < end && !(d[i] === IAC && i + 1 < end && d[i + 1] !== IAC)) i += d[i] === IAC ? 2 : 1;
        c.ascii('telnet.data', Math.min(i, end) - c.pos);
        continue;
      }
      c.skip(1);
      const cmd = c.u8('telnet.cmd');
      commands++;
      if (cmd >= 251 && cmd <= 254) c.u8('telnet.subcmd');
      else if (cmd === SB) {
        c.u8('telnet.subcmd');
        let i = c.pos;
        while (i + 1 < end && !(d[i] === IAC && d[i + 1] === SE)) i++;
        const n = (i + 1 < end ? i : end) - c.pos;
        if (n > 0) c.bytes('telnet.option_data', n);
        if (c.pos + 2 <= end) c.skip(2);
      }
    }
    if (items > MAX_ITEMS) c.expert('note', `more than ${MAX_ITEMS} items; the rest is not read`);
    if (c.pos < end) c.skip(end - c.pos);
    return { summary: 'Telnet Data ...', info: { commands } };
  },
});
