import { type Cursor, DissectSignal } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { nbssTail } from './nbss.js';
import { leFlag, NT_STATUS, ntStatusText } from './smb-common.js';

/** SMB2 commands (MS-SMB2 2.2.1), as tshark names them. */
const COMMANDS: Record<number, string> = {
  0: 'Negotiate Protocol',
  1: 'Session Setup',
  2: 'Session Logoff',
  3: 'Tree Connect',
  4: 'Tree Disconnect',
  5: 'Create',
  6: 'Close',
  7: 'Flush',
  8: 'Read',
  9: 'Write',
  10: 'Lock',
  11: 'Ioctl',
  12: 'Cancel',
  13: 'KeepAlive',
  14: 'Find',
  15: 'Notify',
  16: 'GetInfo',
  17: 'SetInfo',
  18: 'Break',
};

const CMD_TREE_CONNECT = 3;
const CMD_CREATE = 5;

const FLAGS: [string, number, string, readonly [string, string]][] = [
  ['response', 0x00000001, 'Response', ['This is a RESPONSE', 'This is a REQUEST']],
  ['async', 0x00000002, 'Async command', ['This is an ASYNC command', 'This is a SYNC command']],
  ['chained', 0x00000004, 'Chained', ['This pdu IS a chained command', 'This pdu is NOT a chained command']],
  ['signature', 0x00000008, 'Signing', ['This pdu IS signed', 'This pdu is NOT signed']],
  ['priority_mask', 0x00000070, 'Priority', ['This pdu contains a PRIORITY', 'This pdu does NOT contain a PRIORITY']],
  ['dfs', 0x10000000, 'DFS operation', ['This is a DFS OPERATION', 'This is a normal operation']],
  ['replay', 0x20000000, 'Replay operation', ['This is a REPLAY OPERATION', 'This is NOT a replay operation']],
];

const HEADER_SIZE = 64;
const TRANSFORM_SIZE = 52;
/** Most chained (compound) commands read from one message. */
const MAX_CHAIN = 32;

interface Command {
  cmd: number;
  response: boolean;
  status: number;
  /** Text tshark appends to the command's Info (the tree of a Tree Connect, the file of a Create). */
  extra: string;
}

/** A UTF-16LE string at `offset` from the SMB2 header, `length` bytes, if it lies inside the message. */
function utf16(c: Cursor, key: string, at: number, length: number, end: number): string | undefined {
  if (length === 0 || at + length > end || length % 2 !== 0) return undefined;
  c.seek(at);
  let s = '';
  for (let i = 0; i < length; i += 2) s += String.fromCharCode(c.u16(undefined, true));
  c.add(key, s, at, length);
  return s;
}

/** One SMB2 header and the start of its body; returns where the next chained command starts (0: none). */
function header(c: Cursor, start: number, end: number, out: Command[]): number {
  const flags = c.has(20) ? (c.data[start + 16]! | (c.data[start + 17]! << 8) | (c.data[start + 18]! << 16) | (c.data[start + 19]! << 24)) >>> 0 : 0;
  const response = (flags & 1) !== 0;
  const async = (flags & 2) !== 0;
  const command: Command = { cmd: -1, response, status: 0, extra: '' };
  let next = 0;
  c.group('smb2.header', () => {
    c.u32('smb2.protocol_id');
    c.u16('smb2.header_len', true);
    c.u16('smb2.credit.charge', true);
    if (response) command.status = c.u32('smb2.nt_status', true);
    else {
      c.u16('smb2.channel_sequence', true);
      c.bytes('smb2.reserved', 2);
    }
    command.cmd = c.u16('smb2.cmd', true);
    out.push(command);
    c.u16(response ? 'smb2.credits.granted' : 'smb2.credits.requested', true);
    const fAt = c.pos;
    c.group('smb2.flags', () => {
      for (const [k, mask] of FLAGS) leFlag(c, `smb2.flags.${k}`, fAt, mask);
      return c.u32(undefined, true);
    }, 4, (v) => `Flags: 0x${v.toString(16).padStart(8, '0')}${FLAGS.filter(([k, mask]) => k !== 'priority_mask' && (v & mask) !== 0).map(([, , label]) => `, ${label}`).join('')}`);
    next = c.u32('smb2.chain_offset', true);
    c.u64('smb2.msg_id', true);
    if (async) c.u64('smb2.aid', true);
    else {
      c.u32('smb2.pid', true);
      c.u32('smb2.tid', true);
    }
    c.u64('smb2.sesid', true);
    c.bytes('smb2.signature', 16);
    return true;
  }, HEADER_SIZE, () => 'SMB2 Header');
  const bodyEnd = next > 0 ? Math.min(end, start + next) : end;
  // Cancel and unknown commands have no body tshark reads.
  if (c.pos + 2 <= bodyEnd && command.cmd !== 12 && COMMANDS[command.cmd] !== undefined) {
    const bcAt = c.pos;
    const bc = c.peek16(0, true);
    c.group('smb2.buffer_code', () => {
      c.add('smb2.buffer_code.length', (bc & 0xfffe) >> 1, bcAt, 2);
      leFlag(c, 'smb2.buffer_code.dynamic', bcAt, 0x0001);
      return c.u16(undefined, true);
    }, 2, (v) => `StructureSize: 0x${v.toString(16).padStart(4, '0')}`);
    if (!response && command.cmd === CMD_TREE_CONNECT && c.pos + 6 <= bodyEnd) {
      c.skip(2);
      const off = c.u16(undefined, true);
      const len = c.u16(undefined, true);
      const tree = utf16(c, 'smb2.tree', start + off, len, bodyEnd);
      command.extra = ` Tree: ${tree ?? ''}`;
    } else if (!response && command.cmd === CMD_CREATE && c.pos + 46 <= bodyEnd) {
      c.seek(bcAt + 44);
      const off = c.u16(undefined, true);
      const len = c.u16(undefined, true);
      const name = utf16(c, 'smb2.filename', start + off, len, bodyEnd);
      command.extra = ` File: ${name ?? ''}`;
    }
  }
  return next;
}

/** The SMB3 transform header of an encrypted message; the rest is ciphertext. */
function transform(c: Cursor, end: number): void {
  c.group('smb2.transform', () => {
    c.u32('smb2.protocol_id');
    c.bytes('smb2.header.transform.signature', 16);
    c.bytes('smb2.header.transform.nonce', 16);
    c.u32('smb2.header.transform.msg_size', true);
    c.bytes('smb2.header.transform.reserved', 2);
    const fAt = c.pos;
    c.group('smb2.header.transform.flags', () => {
      leFlag(c, 'smb2.header.transform.flags.encrypted', fAt, 0x0001);
      return c.u16(undefined, true);
    }, 2, (v) => `Flags: 0x${v.toString(16).padStart(4, '0')}${v & 1 ? ', Encrypted' : ''}`);
    c.u64('smb2.sesid', true);
    return true;
  }, TRANSFORM_SIZE, () => 'SMB2 Transform Header');
  const n = Math.min(end, c.capEnd) - c.pos;
  if (n > 0) c.bytes('smb2.header.transform.enc_data', n);
}

function infoText(cmds: readonly Command[]): string {
  return cmds
    .map((m) => {
      let s = `${COMMANDS[m.cmd] ?? `unknown-0x${m.cmd.toString(16).padStart(2, '0')}`} ${m.response ? 'Response' : 'Request'}${m.extra}`;
      if (m.response && m.status !== 0) s += `, Error: ${ntStatusText(m.status)}`;
      return s;
    })
    .join(';');
}

/** SMB2/SMB3: the 64-byte header of each (chained) command and a few body fields; the SMB3 transform header. */
export const smb2 = defineProtocol({
  id: 'smb2',
  name: 'SMB2 (Server Message Block Protocol version 2)',
  short: 'SMB2',
  fields: {
    'smb2.header': { label: 'SMB2 Header', type: 'none' },
    'smb2.protocol_id': { label: 'ProtocolId', type: 'u32', base: 'hex' },
    'smb2.header_len': { label: 'Header Length', type: 'u16' },
    'smb2.credit.charge': { label: 'Credit Charge', type: 'u16' },
    'smb2.nt_status': { label: 'NT Status', type: 'u32', base: 'hex', values: NT_STATUS },
    'smb2.channel_sequence': { label: 'Channel Sequence', type: 'u16' },
    'smb2.reserved': { label: 'Reserved', type: 'bytes' },
    'smb2.cmd': { label: 'Command', type: 'u16', values: COMMANDS },
    'smb2.credits.requested': { label: 'Credits requested', type: 'u16' },
    'smb2.credits.granted': { label: 'Credits granted', type: 'u16' },
    'smb2.flags': { label: 'Flags', type: 'u32', base: 'hex' },
    ...Object.fromEntries(FLAGS.map(([k, m, label, tfs]) => [`smb2.flags.${k}`, { label, type: 'bool' as const, mask: m, tfs }])),
    'smb2.chain_offset': { label: 'Chain Offset', type: 'u32', base: 'hex' },
    'smb2.msg_id': { label: 'Message ID', type: 'u64' },
    'smb2.aid': { label: 'Async Id', type: 'u64', base: 'hex' },
    'smb2.pid': { label: 'Process Id', type: 'u32', base: 'hex' },
    'smb2.tid': { label: 'Tree Id', type: 'u32', base: 'hex' },
    'smb2.sesid': { label: 'Session Id', type: 'u64', base: 'hex' },
    'smb2.signature': { label: 'Signature', type: 'bytes' },
    'smb2.buffer_code': { label: 'StructureSize', type: 'u16', base: 'hex' },
    'smb2.buffer_code.length': { label: 'Fixed Part Length', type: 'u16', mask: 0xfffe },
    'smb2.buffer_code.dynamic': { label: 'Dynamic Part', type: 'bool', mask: 0x0001 },
    'smb2.tree': { label: 'Tree', type: 'string' },
    'smb2.filename': { label: 'Filename', type: 'string' },
    'smb2.transform': { label: 'SMB2 Transform Header', type: 'none' },
    'smb2.header.transform.signature': { label: 'Signature', type: 'bytes' },
    'smb2.header.transform.nonce': { label: 'Nonce', type: 'bytes' },
    'smb2.header.transform.msg_size': { label: 'Message size', type: 'u32' },
    'smb2.header.transform.reserved': { label: 'Reserved', type: 'bytes' },
    'smb2.header.transform.flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'smb2.header.transform.flags.encrypted': { label: 'Encrypted', type: 'bool', mask: 0x0001 },
    'smb2.header.transform.enc_data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const tail = nbssTail(c);
    const end = tail.end ?? c.repEnd;
    const cmds: Command[] = [];
    let encrypted = false;
    let unreassembled = false;
    try {
      if (c.peek8() === 0xfd) {
        transform(c, end);
        encrypted = true;
      } else {
        let at = c.pos;
        for (let i = 0; i < MAX_CHAIN; i++) {
          c.seek(at);
          const next = header(c, at, end, cmds);
          if (next === 0) break;
          if (next < HEADER_SIZE || at + next >= end) {
            c.expert('warning', `chain offset ${next} does not lead to another command`, 'smb2.chain_offset');
            break;
          }
          at += next;
        }
      }
    } catch (e) {
      // Over NBSS with reassembly off, a message longer than the segment is read as far as it goes.
      if (!(e instanceof DissectSignal) || e.kind !== 'malformed' || tail.end === undefined || tail.end <= c.repEnd) throw e;
      c.closeAll();
      unreassembled = true;
      c.expert('note', 'the SMB2 message continues past this segment; reassembly is off');
    }
    c.seek(unreassembled ? c.capEnd : Math.min(end, c.capEnd));
    const first = cmds[0];
    return {
      summary: () => (encrypted ? 'Encrypted SMB3' : infoText(cmds)),
      info: first ? { cmd: first.cmd, response: first.response, status: first.status, commands: cmds.length } : { encrypted },
      next: unreassembled ? undefined : tail.next,
    };
  },
});
