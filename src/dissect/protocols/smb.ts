import { type Cursor, DissectSignal } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { nbssTail } from './nbss.js';
import { leFlag, NT_STATUS, ntStatusText } from './smb-common.js';
import { type Carried, readTrans, TRANS_FIELDS } from './smb-trans.js';

/** SMB command names (MS-CIFS 2.2.2.1), as tshark names them. */
const COMMANDS: Record<number, string> = {
  0x00: 'Create Directory', 0x01: 'Delete Directory', 0x02: 'Open', 0x03: 'Create', 0x04: 'Close', 0x05: 'Flush',
  0x06: 'Delete', 0x07: 'Rename', 0x08: 'Query Information', 0x09: 'Set Information', 0x0a: 'Read', 0x0b: 'Write',
  0x0c: 'Lock Byte Range', 0x0d: 'Unlock Byte Range', 0x0e: 'Create Temp', 0x0f: 'Create New', 0x10: 'Check Directory',
  0x11: 'Process Exit', 0x12: 'Seek', 0x13: 'Lock And Read', 0x14: 'Write And Unlock', 0x15: 'unknown-0x15',
  0x16: 'unknown-0x16', 0x17: 'unknown-0x17', 0x18: 'unknown-0x18', 0x19: 'unknown-0x19', 0x1a: 'Read Raw',
  0x1b: 'Read MPX', 0x1c: 'Read MPX Secondary', 0x1d: 'Write Raw', 0x1e: 'Write MPX', 0x1f: 'Write MPX Secondary',
  0x20: 'Write Complete', 0x21: 'Query Server (reserved)', 0x22: 'Set Information2', 0x23: 'Query Information2',
  0x24: 'Locking AndX', 0x25: 'Trans', 0x26: 'Trans Secondary', 0x27: 'IOCTL', 0x28: 'IOCTL Secondary', 0x29: 'Copy',
  0x2a: 'Move', 0x2b: 'Echo', 0x2c: 'Write And Close', 0x2d: 'Open AndX', 0x2e: 'Read AndX', 0x2f: 'Write AndX',
  0x30: 'New File Size (reserved)', 0x31: 'Close And Tree Disconnect', 0x32: 'Trans2', 0x33: 'Trans2 Secondary',
  0x34: 'Find Close2', 0x35: 'Find Notify Close', 0x70: 'Tree Connect', 0x71: 'Tree Disconnect',
  0x72: 'Negotiate Protocol', 0x73: 'Session Setup AndX', 0x74: 'Logoff AndX', 0x75: 'Tree Connect AndX',
  0x80: 'Query Information Disk', 0x81: 'Search', 0x82: 'Find', 0x83: 'Find Unique', 0x84: 'Find Close',
  0xa0: 'NT Trans', 0xa1: 'NT Trans Secondary', 0xa2: 'NT Create AndX', 0xa3: 'unknown-0xA3', 0xa4: 'NT Cancel',
  0xa5: 'NT Rename', 0xc0: 'Open Print File', 0xc1: 'Write Print File', 0xc2: 'Close Print File', 0xc3: 'Get Print Queue',
  0xd0: 'Send Single Block Message', 0xd1: 'Send Broadcast Message', 0xd2: 'Forward User Name', 0xd3: 'Cancel Forward',
  0xd4: 'Get Machine Name', 0xd5: 'Send Start of Multi-block Message', 0xd6: 'Send End of Multi-block Message',
  0xd7: 'Send Text of Multi-block Message', 0xd8: 'SMBreadbulk', 0xd9: 'SMBwritebulk', 0xda: 'SMBwritebulkdata',
  0xfe: 'SMBinvalid', 0xff: 'No further commands',
};

const commandName = (cmd: number): string => (cmd === 0xff ? 'Unknown (0xff)' : (COMMANDS[cmd] ?? `Unknown (0x${cmd.toString(16).padStart(2, '0')})`));

const CMD_CLOSE = 0x04;
const CMD_TRANS = 0x25;
const CMD_TREE_CONNECT_ANDX = 0x75;
const CMD_NT_CREATE_ANDX = 0xa2;

const FLAGS: [string, number, string, readonly [string, string]][] = [
  ['response', 0x80, 'Request/Response', ['Message is a response to the client/redirector', 'Message is a request to the server']],
  ['notify', 0x40, 'Notify', ['Notify client on all modifications', 'Notify client only on open']],
  ['oplock', 0x20, 'Oplocks', ['OpLock requested/granted', 'OpLock not requested/granted']],
  ['canon', 0x10, 'Canonicalized Pathnames', ['Pathnames are canonicalized', 'Pathnames are not canonicalized']],
  ['caseless', 0x08, 'Case Sensitivity', ['Path names are caseless', 'Path names are case sensitive']],
  ['receive_buffer', 0x02, 'Receive Buffer Posted', ['Receive buffer has been posted', 'Receive buffer has not been posted']],
  ['lock', 0x01, 'Lock and Read', ['Lock&Read, Write&Unlock are supported', 'Lock&Read, Write&Unlock are not supported']],
];

const FLAGS2: [string, number, string, readonly [string, string]][] = [
  ['string', 0x8000, 'Unicode Strings', ['Strings are Unicode', 'Strings are ASCII']],
  ['nt_error', 0x4000, 'Error Code Type', ['Error codes are NT error codes', 'Error codes are DOS error codes']],
  ['roe', 0x2000, 'Execute-only Reads', ['Permit reads if execute-only', "Don't permit reads if execute-only"]],
  ['dfs', 0x1000, 'Dfs', ['Resolve pathnames with Dfs', "Don't resolve pathnames with Dfs"]],
  ['esn', 0x0800, 'Extended Security Negotiation', ['Extended security negotiation is supported', 'Extended security negotiation is not supported']],
  ['reparse_path', 0x0400, 'Reparse Path', ['The request uses a @GMT reparse path', 'The request does not use a @GMT reparse path']],
  ['long_names_used', 0x0040, 'Long Names Used', ['Path names in request are long file names', 'Path names in request are not long file names']],
  ['sec_sig_required', 0x0010, 'Security Signatures Required', ['Security signatures are required', 'Security signatures are not required']],
  ['compressed', 0x0008, 'Compressed', ['Compression is requested', 'Compression is not requested']],
  ['sec_sig', 0x0004, 'Security Signatures', ['Security signatures are supported', 'Security signatures are not supported']],
  ['ea', 0x0002, 'Extended Attributes', ['Extended attributes are supported', 'Extended attributes are not supported']],
  ['long_names_allowed', 0x0001, 'Long Names Allowed', ['Long file names are allowed in the response', 'Long file names are not allowed in the response']],
];

/**
 * A string in the SMB's character set: UTF-16LE (NUL-terminated, 2-byte aligned from the SMB
 * header) or ASCII. The field covers the terminator when `withNul` (as tshark's Trans name does).
 */
function smbString(c: Cursor, key: string, unicode: boolean, smbStart: number, end: number, withNul = false): string {
  if (unicode && (c.pos - smbStart) % 2 === 1 && c.pos < end) c.skip(1);
  const at = c.pos;
  let s = '';
  let terminated = false;
  if (unicode) {
    while (c.pos + 2 <= end) {
      const ch = c.u16(undefined, true);
      if (ch === 0) {
        terminated = true;
        break;
      }
      s += String.fromCharCode(ch);
    }
  } else {
    while (c.pos < end) {
      const ch = c.u8();
      if (ch === 0) {
        terminated = true;
        break;
      }
      // ASCII as tshark decodes it: a byte above 0x7f is not a character.
      s += ch < 0x80 ? String.fromCharCode(ch) : '\ufffd';
    }
  }
  c.add(key, s, at, c.pos - at - (terminated && !withNul ? (unicode ? 2 : 1) : 0));
  return s;
}

interface Message {
  /** The magic was read: the Info column is this message's (empty until the header is complete). */
  started: boolean;
  /** The whole header was read. */
  complete: boolean;
  cmd: number;
  response: boolean;
  status: number;
  ntError: boolean;
  extra: string;
  tid: number;
  pid: number;
  uid: number;
  mid: number;
}

/**
 * The parameter and data blocks: word and byte counts, and the few fields the Info column names.
 * Returns where a Trans payload goes, if it goes anywhere.
 */
function body(c: Cursor, m: Message, smbStart: number, unicode: boolean, end: number): Carried | undefined {
  const wct = c.u8('smb.wct');
  const words = c.pos;
  if (m.cmd === CMD_TRANS) {
    return readTrans(c, m, wct, smbStart, end, (bytesEnd) => {
      if (unicode && (c.pos - smbStart) % 2 === 1 && c.pos < bytesEnd) c.skip(1);
      const at = c.pos;
      const name = smbString(c, 'smb.trans_name', unicode, smbStart, bytesEnd, true);
      return { name, at, length: c.pos - at };
    });
  }
  let pwlen = 0;
  // Parameter words.
  if (m.cmd === CMD_CLOSE && !m.response && wct >= 1) {
    const fid = c.u16('smb.fid', true);
    m.extra = `, FID: 0x${fid.toString(16).padStart(4, '0')}`;
  } else if (m.cmd === CMD_NT_CREATE_ANDX && wct >= 3) {
    c.u8('smb.cmd');
    if (m.response && wct >= 4) {
      c.seek(words + 5);
      const fid = c.u16('smb.fid', true);
      m.extra = `, FID: 0x${fid.toString(16).padStart(4, '0')}`;
    }
  } else if (m.cmd === CMD_TREE_CONNECT_ANDX && !m.response && wct >= 4) {
    c.u8('smb.cmd');
    c.seek(words + 6);
    pwlen = c.u16(undefined, true);
  }
  c.seek(words);
  c.skip(wct * 2);
  const bcc = c.u16('smb.bcc', true);
  const bytes = c.pos;
  const bytesEnd = Math.min(end, bytes + bcc);
  // Data bytes.
  if (m.cmd === CMD_NT_CREATE_ANDX && !m.response && wct >= 3) {
    const name = smbString(c, 'smb.file', unicode, smbStart, bytesEnd);
    m.extra = `, Path: ${name}`;
  } else if (m.cmd === CMD_TREE_CONNECT_ANDX && !m.response && wct >= 4 && bytes + pwlen <= bytesEnd) {
    c.seek(bytes + pwlen);
    const path = smbString(c, 'smb.path', unicode, smbStart, bytesEnd);
    m.extra = `, Path: ${path}`;
  }
  c.seek(Math.min(bytes + bcc, Math.max(bytes, Math.min(end, c.capEnd))));
  return undefined;
}

/** The Info text of a message. */
function infoText(m: Message): string {
  let s = `${commandName(m.cmd)} ${m.response ? 'Response' : 'Request'}${m.extra}`;
  if (m.ntError && m.status !== 0) s += `, Error: ${ntStatusText(m.status)}`;
  return s;
}

/** Server Message Block (SMB1/CIFS): the 32-byte header, word and byte counts, a few command fields. */
export const smb = defineProtocol({
  id: 'smb',
  name: 'SMB (Server Message Block Protocol)',
  short: 'SMB',
  fields: {
    'smb.header': { label: 'SMB Header', type: 'none' },
    'smb.server_component': { label: 'Server Component', type: 'u32', base: 'hex', format: (v) => (v === 0x424d53ff ? 'SMB' : `0x${v.toString(16).padStart(8, '0')}`) },
    'smb.cmd': { label: 'SMB Command', type: 'u8', base: 'hex', values: COMMANDS },
    'smb.nt_status': { label: 'NT Status', type: 'u32', base: 'hex', values: NT_STATUS },
    'smb.error_class': { label: 'Error Class', type: 'u8', base: 'hex' },
    'smb.reserved': { label: 'Reserved', type: 'bytes' },
    'smb.error_code': { label: 'Error Code', type: 'u16', base: 'hex' },
    'smb.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    ...Object.fromEntries(FLAGS.map(([k, m, label, tfs]) => [`smb.flags.${k}`, { label, type: 'bool' as const, mask: m, tfs }])),
    'smb.flags2': { label: 'Flags2', type: 'u16', base: 'hex' },
    ...Object.fromEntries(FLAGS2.map(([k, m, label, tfs]) => [`smb.flags2.${k}`, { label, type: 'bool' as const, mask: m, tfs }])),
    'smb.pid.high': { label: 'Process ID High', type: 'u16' },
    'smb.signature': { label: 'Signature', type: 'bytes' },
    'smb.tid': { label: 'Tree ID', type: 'u16' },
    'smb.pid': { label: 'Process ID', type: 'u16' },
    'smb.uid': { label: 'User ID', type: 'u16' },
    'smb.mid': { label: 'Multiplex ID', type: 'u16' },
    'smb.wct': { label: 'Word Count (WCT)', type: 'u8' },
    'smb.bcc': { label: 'Byte Count (BCC)', type: 'u16' },
    'smb.fid': { label: 'FID', type: 'u16', base: 'hex' },
    'smb.file': { label: 'File Name', type: 'string' },
    'smb.path': { label: 'Path', type: 'string' },
    ...TRANS_FIELDS,
  },
  dissect(c) {
    const start = c.pos;
    const tail = nbssTail(c);
    const end = tail.end ?? c.repEnd;
    const m: Message = { started: false, complete: false, cmd: -1, response: false, status: 0, ntError: false, extra: '', tid: 0, pid: 0, uid: 0, mid: 0 };
    let unreassembled = false;
    let carried: Carried | undefined;
    try {
      if (c.remaining() >= 4 && c.peek8() === 0xfe) return { handoff: 'smb2' };
      carried = header(c, start, end, m);
    } catch (e) {
      // Over NBSS with reassembly off, a message longer than the segment is read as far as it goes.
      if (!(e instanceof DissectSignal) || e.kind !== 'malformed' || tail.end === undefined || tail.end <= c.repEnd) throw e;
      c.closeAll();
      unreassembled = true;
    }
    if (unreassembled) {
      c.expert('note', 'the SMB message continues past this segment; reassembly is off');
      c.seek(c.capEnd);
    } else if (carried !== undefined) {
      // A mailslot or pipe message: it (or what it carries) takes the NBSS tail on.
      return {
        summary: () => infoText(m),
        info: { cmd: m.cmd, response: m.response, status: m.status },
        payloadOffset: carried.payloadOffset,
        next: carried.next,
      };
    } else if (tail.end !== undefined) c.seek(Math.min(tail.end, c.capEnd));
    // Over NetBIOS datagrams the message is the rest of the datagram: nothing is left as data.
    else c.seek(Math.max(c.pos, c.capEnd));
    return {
      summary: () => (m.complete && m.cmd !== 0xff ? infoText(m) : m.started || tail.end === undefined ? '' : 'Session message'),
      // Until the magic is read the Protocol column is still NBSS's, as in tshark.
      name: m.started || tail.end === undefined ? undefined : 'NBSS',
      info: m.complete ? { cmd: m.cmd, response: m.response, status: m.status } : {},
      next: unreassembled ? undefined : tail.next,
    };
  },
});

/** The header and the blocks after it; the message is recorded in `m` as it is read. */
function header(c: Cursor, start: number, end: number, m: Message): Carried | undefined {
  const flags2 = c.has(12) ? c.data[start + 10]! | (c.data[start + 11]! << 8) : 0;
  const unicode = (flags2 & 0x8000) !== 0;
  c.group('smb.header', () => {
    const magic = c.u32('smb.server_component', true);
    if (magic !== 0x424d53ff) c.malformed('not an SMB header (no 0xFF "SMB" magic)', 'smb.server_component', start);
    m.started = true;
    m.cmd = c.u8('smb.cmd');
    m.ntError = (flags2 & 0x4000) !== 0;
    if (m.ntError) m.status = c.u32('smb.nt_status', true);
    else {
      c.u8('smb.error_class');
      c.bytes('smb.reserved', 1);
      m.status = c.u16('smb.error_code', true);
    }
    const flags = c.peek8();
    m.response = (flags & 0x80) !== 0;
    c.group('smb.flags', () => {
      for (const [k, mask] of FLAGS) c.flag(`smb.flags.${k}`, 1, mask);
      return c.u8();
    }, 1, (v) => `Flags: 0x${v.toString(16).padStart(2, '0')}${FLAGS.filter(([, mask]) => v & mask).map(([, , label]) => `, ${label}`).join('')}`);
    const f2At = c.pos;
    c.group('smb.flags2', () => {
      for (const [k, mask] of FLAGS2) leFlag(c, `smb.flags2.${k}`, f2At, mask);
      return c.u16(undefined, true);
    }, 2, (v) => `Flags2: 0x${v.toString(16).padStart(4, '0')}${FLAGS2.filter(([, mask]) => v & mask).map(([, , label]) => `, ${label}`).join('')}`);
    c.u16('smb.pid.high', true);
    c.bytes('smb.signature', 8);
    c.bytes('smb.reserved', 2);
    m.tid = c.u16('smb.tid', true);
    m.pid = c.u16('smb.pid', true);
    m.uid = c.u16('smb.uid', true);
    m.mid = c.u16('smb.mid', true);
    return true;
  }, 32, () => 'SMB Header');
  m.complete = true;
  if (c.pos < end && m.cmd !== 0xff) return body(c, m, start, unicode, end);
  return undefined;
}
