import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/** NetBIOS Frames Protocol commands (IBM NetBIOS LAN Technical Reference 5.3). */
const COMMANDS: Record<number, string> = {
  0x00: 'Add Group Name Query',
  0x01: 'Add Name Query',
  0x02: 'Name In Conflict',
  0x03: 'Status Query',
  0x07: 'Terminate Trace',
  0x08: 'Datagram',
  0x09: 'Broadcast Datagram',
  0x0a: 'Name Query',
  0x0d: 'Add Name Response',
  0x0e: 'Name Recognized',
  0x0f: 'Status Response',
  0x13: 'Terminate Trace',
  0x14: 'Data Ack',
  0x15: 'Data First Middle',
  0x16: 'Data Only Last',
  0x17: 'Session Confirm',
  0x18: 'Session End',
  0x19: 'Session Initialize',
  0x1a: 'No Receive',
  0x1b: 'Receive Outstanding',
  0x1c: 'Receive Continue',
  0x1f: 'Session Alive',
};
const DATAGRAM = 0x08;
const BROADCAST_DATAGRAM = 0x09;
const NAME_QUERY = 0x0a;
const DATA_FIRST_MIDDLE = 0x15;
const DATA_ONLY_LAST = 0x16;
/** Commands below this one carry two 16-byte names (a 44-byte header); the others a session header of 14. */
const FIRST_SESSION_COMMAND = 0x14;
const DELIMITER = 0xefff;
const NAME_TYPES: Record<number, string> = { 0: 'Unique name', 1: 'Group name' };

/** NetBIOS name suffixes (the 16th byte of a name), as tshark explains them; NBSS uses them too. */
export const NETBIOS_SUFFIXES: Record<number, string> = {
  0x00: 'Workstation/Redirector',
  0x01: 'Browser',
  0x03: 'Messenger service/Main name',
  0x05: 'Forwarded name',
  0x06: 'RAS Server service',
  0x1b: 'Domain Master Browser',
  0x1c: 'Domain Controllers',
  0x1d: 'Local Master Browser',
  0x1e: 'Browser Election Service',
  0x1f: 'Net DDE Service',
  0x20: 'Server service',
  0x21: 'RAS client service',
  0x22: 'Exchange Interchange (MSMail Connector)',
  0x23: 'Exchange Store',
  0x24: 'Exchange Directory',
  0x2b: 'Lotus Notes Server service',
  0x30: 'Modem sharing server service',
  0x31: 'Modem sharing client service',
  0x43: 'SMS Clients Remote Control',
  0x44: 'SMS Administrators Remote Control Tool',
  0x45: 'SMS Clients Remote Chat',
  0x46: 'SMS Clients Remote Transfer',
  0x4c: 'DEC Pathworks TCP/IP Service on Windows NT',
  0x52: 'DEC Pathworks TCP/IP Service on Windows NT',
  0x6a: 'Microsoft Exchange IMC',
  0x87: 'Microsoft Exchange MTA',
  0xbe: 'Network Monitor Agent',
  0xbf: 'Network Monitor Analyzer',
};

/** A 16-byte NetBIOS name: 15 characters (trailing spaces dropped) and the suffix byte. */
function nbName(c: Cursor): string {
  const at = c.pos;
  const raw = c.bytes(undefined, 15);
  let name = '';
  for (const b of raw) name += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  name = name.replace(/ +$/, '');
  c.add('netbios.nb_name', name, at, 15, name);
  const suffix = c.u8();
  const hex2 = suffix.toString(16).padStart(2, '0');
  c.add('netbios.nb_name_type', suffix, at + 15, 1, `0x${hex2} (${NETBIOS_SUFFIXES[suffix] ?? 'Unknown'})`);
  return `${name}<${hex2}>`;
}

/**
 * NetBIOS Frames Protocol (NBF) over 802.2 LLC (SAP 0xF0): the header length, the 0xEFFF
 * delimiter, the command and its fields: the two names of the name-service and datagram
 * frames, the session numbers of session frames. The user data of a datagram or data frame is
 * an SMB when it starts with SMB's magic, otherwise data.
 */
export const netbios = defineProtocol({
  id: 'netbios',
  name: 'NetBIOS',
  short: 'NetBIOS',
  bindings: [{ table: 'llc.dsap', key: 0xf0 }],
  fields: {
    'netbios.hdr_len': { label: 'Length', type: 'u16', unit: 'bytes' },
    'netbios.delimiter': { label: 'Delimiter', type: 'u16', base: 'hex', format: (v) => (v === DELIMITER ? 'EFFF (NetBIOS)' : `0x${v.toString(16).padStart(4, '0')}`) },
    'netbios.command': { label: 'Command', type: 'u8', base: 'hex', values: COMMANDS },
    'netbios.data2': { label: 'DATA2 value', type: 'u16', base: 'hex' },
    'netbios.local_session_no': { label: 'Local Session No.', type: 'u8', base: 'hex' },
    'netbios.call_name_type': { label: "Caller's Name Type", type: 'u8', base: 'hex', values: NAME_TYPES },
    'netbios.xmit_corrl': { label: 'Transmit Correlator', type: 'u16', base: 'hex' },
    'netbios.resp_corrl': { label: 'Response Correlator', type: 'u16', base: 'hex' },
    'netbios.nb_name': { label: 'NetBIOS Name', type: 'string' },
    'netbios.nb_name_type': { label: 'NetBIOS Name Type', type: 'u8', base: 'hex' },
    'netbios.remote_session': { label: 'Remote Session No.', type: 'u8', base: 'hex' },
    'netbios.local_session': { label: 'Local Session No.', type: 'u8', base: 'hex' },
  },
  dissect(c) {
    const start = c.pos;
    const hdrLen = c.u16('netbios.hdr_len', true);
    const delimiter = c.u16('netbios.delimiter', true);
    if (delimiter !== DELIMITER) c.malformed(`delimiter 0x${delimiter.toString(16)} is not 0xEFFF`, 'netbios.delimiter', start + 2);
    const cmd = c.u8('netbios.command');
    const name = COMMANDS[cmd] ?? `Unknown (0x${cmd.toString(16).padStart(2, '0')})`;
    c.provisional = name;
    let summary = name;
    // Which of DATA1, DATA2 and the correlators a command uses (datagrams use none of them).
    const datagram = cmd === DATAGRAM || cmd === BROADCAST_DATAGRAM;
    if (cmd === NAME_QUERY) {
      c.skip(1);
      c.u8('netbios.local_session_no');
      c.u8('netbios.call_name_type');
    } else {
      c.skip(1);
      if (datagram) c.skip(2);
      else c.u16('netbios.data2', true);
    }
    if (datagram || cmd === NAME_QUERY) c.skip(2);
    else c.u16('netbios.xmit_corrl', true);
    if (datagram) c.skip(2);
    else c.u16('netbios.resp_corrl', true);
    if (cmd < FIRST_SESSION_COMMAND) {
      const receiver = nbName(c);
      nbName(c);
      if (cmd === NAME_QUERY) summary = `${name} for ${receiver}`;
    } else {
      c.u8('netbios.remote_session');
      c.u8('netbios.local_session');
    }
    // The header length says where the user data starts (never before the fields read).
    if (hdrLen > c.pos - start) c.skip(Math.min(hdrLen - (c.pos - start), c.reportedRemaining()));
    const carries = cmd === DATAGRAM || cmd === BROADCAST_DATAGRAM || cmd === DATA_FIRST_MIDDLE || cmd === DATA_ONLY_LAST;
    const smb = carries && c.has(4) && c.peek32() === 0xff534d42;
    return { summary, info: { command: cmd }, next: smb ? { protocol: 'smb' } : undefined };
  },
});
