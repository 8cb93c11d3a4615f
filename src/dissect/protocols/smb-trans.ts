/**
 * The SMB Trans command (0x25, MS-CIFS 2.2.4.33): its parameter words and byte block, and
 * where its payload goes. A request names its transaction: `\MAILSLOT\...` hands the setup
 * words, the name and the data to the mailslot dissector, `\PIPE\...` to the pipe dissector. A
 * response carries no name: it is matched to its request by the transport conversation and the
 * header's TID, PID, UID and MID, as tshark matches them.
 */
import type { Cursor } from '../cursor.js';
import type { FieldTable } from '../field-types.js';
import type { Next } from '../protocol.js';
import { BoundedMap, flowKey } from './flow-key.js';
import { leFlag } from './smb-common.js';

export const TRANS_FIELDS: FieldTable = {
  'smb.tpc': { label: 'Total Parameter Count', type: 'u32' },
  'smb.tdc': { label: 'Total Data Count', type: 'u32' },
  'smb.mpc': { label: 'Max Parameter Count', type: 'u32' },
  'smb.mdc': { label: 'Max Data Count', type: 'u32' },
  'smb.msc': { label: 'Max Setup Count', type: 'u8' },
  'smb.transaction.flags': { label: 'Flags', type: 'u16', base: 'hex' },
  'smb.transaction.flags.owt': { label: 'One Way Transaction', type: 'bool', mask: 0x0002, tfs: ['One way transaction', 'Two way transaction'] },
  'smb.transaction.flags.dtid': { label: 'Disconnect TID', type: 'bool', mask: 0x0001, tfs: ['Also DISCONNECT TID', 'Do NOT disconnect TID'] },
  'smb.timeout': { label: 'Timeout', type: 'u32', format: timeoutText },
  'smb.pc': { label: 'Parameter Count', type: 'u16' },
  'smb.po': { label: 'Parameter Offset', type: 'u16' },
  'smb.pd': { label: 'Parameter Displacement', type: 'u16' },
  'smb.dc': { label: 'Data Count', type: 'u16' },
  'smb.data_offset': { label: 'Data Offset', type: 'u16' },
  'smb.data_disp': { label: 'Data Displacement', type: 'u16' },
  'smb.sc': { label: 'Setup Count', type: 'u8' },
  'smb.trans_data.setup_word': { label: 'Setup Word', type: 'u16', base: 'hex' },
  'smb.trans_name': { label: 'Transaction Name', type: 'string' },
  'smb.padding': { label: 'Padding', type: 'bytes' },
  'smb.trans_data': { label: 'Data', type: 'bytes' },
};

/** A timeout in milliseconds as tshark words it. */
function timeoutText(ms: number): string {
  if (ms === 0) return 'Return immediately (0)';
  if (ms === 0xffffffff) return 'Wait indefinitely (-1)';
  const s = ms / 1000;
  return `${s} second${s === 1 ? '' : 's'}`;
}

/** What the mailslot dissector needs from the Trans request around it (absolute offsets). */
export interface MailslotCtx {
  readonly setupAt: number;
  readonly setupCount: number;
  readonly bccAt: number;
  readonly nameAt: number;
  readonly nameLength: number;
  readonly name: string;
  readonly dataStart: number;
  readonly dataEnd: number;
}

/** What the pipe dissector needs: the setup words of a request, or the matched request of a response. */
export interface PipeCtx {
  readonly response: boolean;
  readonly setupAt: number;
  readonly setupCount: number;
  readonly function: number;
  readonly fid: number;
  readonly dataStart: number;
  readonly dataEnd: number;
  /** The pipe's key for state kept per pipe (DCE/RPC bindings): conversation and FID. */
  readonly pipeKey: string;
}

/** The header values a transaction is matched by. */
export interface TransHeader {
  readonly response: boolean;
  readonly tid: number;
  readonly pid: number;
  readonly uid: number;
  readonly mid: number;
}

interface Pending {
  readonly pipe: boolean;
  readonly function: number;
  readonly fid: number;
}

const MAX_PENDING = 10_000;
const newPending = (): BoundedMap<string, Pending> => new BoundedMap(MAX_PENDING);

const MAILSLOT_PREFIX = '\\MAILSLOT\\';
const PIPE_PREFIX = '\\PIPE\\';

/** Where the Trans payload goes: the layer starts at `payloadOffset`. */
export interface Carried {
  readonly payloadOffset: number;
  readonly next: Next;
}

/**
 * Reads the Trans words (the word count already read, `words` is where they start) and the byte
 * block; leaves the cursor at the end of the byte block. `readName` reads the transaction name in
 * the message's character set and returns it with its span.
 */
export function readTrans(
  c: Cursor,
  h: TransHeader,
  wct: number,
  smbStart: number,
  end: number,
  readName: (bytesEnd: number) => { name: string; at: number; length: number },
): Carried | undefined {
  const words = c.pos;
  const key = flowKey(c);
  const pending = key === undefined ? undefined : c.session('smb transactions', newPending);
  const txKey = `${key}|${h.tid}|${h.pid}|${h.uid}|${h.mid}`;
  if (!h.response) {
    if (wct < 14) return plainBlocks(c, wct);
    const tpc = c.u16('smb.tpc', true);
    const tdc = c.u16('smb.tdc', true);
    c.u16('smb.mpc', true);
    c.u16('smb.mdc', true);
    c.u8('smb.msc');
    c.bytes('smb.reserved', 1);
    const flagsAt = c.pos;
    c.group('smb.transaction.flags', () => {
      leFlag(c, 'smb.transaction.flags.owt', flagsAt, 0x0002);
      leFlag(c, 'smb.transaction.flags.dtid', flagsAt, 0x0001);
      return c.u16(undefined, true);
    }, 2);
    c.u32('smb.timeout', true);
    c.bytes('smb.reserved', 2);
    const pc = c.u16('smb.pc', true);
    c.u16('smb.po', true);
    const dc = c.u16('smb.dc', true);
    const dOff = c.u16('smb.data_offset', true);
    const sc = c.u8('smb.sc');
    c.bytes('smb.reserved', 1);
    const setupAt = c.pos;
    const setupCount = Math.min(sc, wct - 14);
    toWordsEnd(c, words + wct * 2);
    const bccAt = c.pos;
    const bcc = c.u16('smb.bcc', true);
    const bytesAt = c.pos;
    const bytesEnd = Math.min(end, bytesAt + bcc);
    const n = readName(bytesEnd);
    if (pc !== tpc) return undefined;
    const dataStart = smbStart + dOff;
    const dataEnd = dataStart + dc;
    const upper = n.name.toUpperCase();
    const complete = dc === tdc && dataStart >= bytesAt && dataEnd <= end;
    if (complete && upper.startsWith(MAILSLOT_PREFIX) && setupCount >= 3) {
      const ctx: MailslotCtx = { setupAt, setupCount, bccAt, nameAt: n.at, nameLength: n.length, name: n.name, dataStart, dataEnd };
      return { payloadOffset: setupAt, next: { protocol: 'mailslot', ctx: { smbTrans: ctx } } };
    }
    if (complete && upper.startsWith(PIPE_PREFIX) && setupCount >= 2) {
      // The function and FID (the pipe dissector reads them again as its fields; cut short, they are unknown).
      const captured = setupAt + 4 <= c.capEnd;
      const fn = captured ? c.data[setupAt]! | (c.data[setupAt + 1]! << 8) : -1;
      const fid = captured ? c.data[setupAt + 2]! | (c.data[setupAt + 3]! << 8) : -1;
      if (captured) pending?.set(txKey, { pipe: true, function: fn, fid });
      const ctx: PipeCtx = { response: false, setupAt, setupCount, function: fn, fid, dataStart, dataEnd, pipeKey: `${key}|${fid}` };
      return { payloadOffset: setupAt, next: { protocol: 'smb_pipe', ctx: { smbPipe: ctx } } };
    }
    // Not handed on. A mailslot or pipe whose data lies outside the message keeps its setup
    // words unshown and the rest of the byte block is padding, as tshark shows it; otherwise the
    // setup words and the data stay SMB fields.
    if (upper.startsWith(MAILSLOT_PREFIX) || upper.startsWith(PIPE_PREFIX)) {
      const rest = Math.min(bytesEnd, c.capEnd) - c.pos;
      if (rest > 0) c.bytes('smb.padding', rest);
      return undefined;
    }
    c.seek(setupAt);
    for (let i = 0; i < setupCount; i++) c.u16('smb.trans_data.setup_word', true);
    if (dc > 0 && dataStart >= bytesAt && dataEnd <= Math.min(bytesEnd, c.capEnd)) {
      c.seek(dataStart);
      c.bytes('smb.trans_data', dc);
    }
    c.seek(Math.max(c.pos, Math.min(bytesEnd, c.capEnd)));
    return undefined;
  }
  if (wct < 10) return plainBlocks(c, wct);
  const request = pending?.get(txKey);
  // The pipe's FID, known from the request, as tshark names it in the response.
  if (request?.pipe === true) c.add('smb.fid', request.fid, words, 0);
  const tpc = c.u16('smb.tpc', true);
  const tdc = c.u16('smb.tdc', true);
  c.bytes('smb.reserved', 2);
  const pc = c.u16('smb.pc', true);
  const pOff = c.u16('smb.po', true);
  c.u16('smb.pd', true);
  const dc = c.u16('smb.dc', true);
  const dOff = c.u16('smb.data_offset', true);
  c.u16('smb.data_disp', true);
  const sc = c.u8('smb.sc');
  c.bytes('smb.reserved', 1);
  for (let i = 0; i < Math.min(sc, wct - 10); i++) c.u16('smb.trans_data.setup_word', true);
  toWordsEnd(c, words + wct * 2);
  c.u16('smb.bcc', true);
  const bytesAt = c.pos;
  const dataStart = smbStart + dOff;
  const dataEnd = dataStart + dc;
  // Padding up to the parameters (or the data when there are none).
  const first = pc > 0 ? smbStart + pOff : dataStart;
  if (first > bytesAt && first <= Math.min(end, c.capEnd) && first - bytesAt < 4) c.bytes('smb.padding', first - bytesAt);
  if (request?.pipe === true && pc === tpc && dc === tdc && dc > 0 && dataStart >= bytesAt && dataEnd <= end) {
    pending!.delete(txKey);
    const ctx: PipeCtx = { response: true, setupAt: dataStart, setupCount: 0, function: request.function, fid: request.fid, dataStart, dataEnd, pipeKey: `${key}|${request.fid}` };
    return { payloadOffset: dataStart, next: { protocol: 'smb_pipe', ctx: { smbPipe: ctx } } };
  }
  return undefined;
}

/** Moves to the end of the parameter words (a read past the packet signals as any read). */
function toWordsEnd(c: Cursor, target: number): void {
  if (target <= c.capEnd) c.seek(target);
  else c.skip(target - c.pos);
}

/** Words this module does not read: skipped, then the byte count. */
function plainBlocks(c: Cursor, wct: number): undefined {
  c.skip(wct * 2);
  c.u16('smb.bcc', true);
  return undefined;
}
