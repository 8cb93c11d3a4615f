import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { BoundedMap } from './flow-key.js';

const OPCODES: Record<number, string> = {
  1: 'Read Request',
  2: 'Write Request',
  3: 'Data Packet',
  4: 'Acknowledgement',
  5: 'Error Code',
  6: 'Option Acknowledgement',
};
const ERRORS: Record<number, string> = {
  0: 'Not defined',
  1: 'File not found',
  2: 'Access violation',
  3: 'Disk full or allocation exceeded',
  4: 'Illegal TFTP Operation',
  5: 'Unknown transfer ID',
  6: 'File already exists',
  7: 'No such user',
  8: 'Option negotiation failed',
};

const RRQ = 1;
const WRQ = 2;
const DATA = 3;
const ACK = 4;
const ERROR = 5;
const OACK = 6;
const PORT = 69;
/** Most options read from a request or an option acknowledgement. */
const MAX_OPTIONS = 32;
/** Client endpoints (address and port) of requests seen: the transfer that follows is TFTP too. */
const MAX_TRANSFERS = 10_000;
const newTransfers = (): BoundedMap<string, number> => new BoundedMap(MAX_TRANSFERS);

/** The client endpoints of a datagram: `address|port` of each side. */
function endpoints(c: Cursor): [string, string] | undefined {
  let sport: unknown;
  let dport: unknown;
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'udp' && sport === undefined) {
      sport = l.info['srcport'];
      dport = l.info['dstport'];
    } else if ((l.protocol === 'ip' || l.protocol === 'ipv6') && sport !== undefined) {
      return [`${String(l.info['src'])}|${String(sport)}`, `${String(l.info['dst'])}|${String(dport)}`];
    }
  }
  return undefined;
}

/** A transfer packet (data, acknowledgement, error, option acknowledgement) by its shape. */
function transferAt(d: Uint8Array, o: number, end: number): boolean {
  if (o + 4 > end || d[o] !== 0) return false;
  const op = d[o + 1]!;
  if (op === ACK) return end - o === 4;
  return op === DATA || op === ERROR || op === OACK;
}

/** A NUL-terminated string (the field covers the terminator). */
function stringz(c: Cursor, key: string): string {
  const at = c.pos;
  let s = '';
  let guard = 0;
  while (guard++ < 0x10000) {
    if (c.pos >= c.capEnd) c.need(1);
    const ch = c.u8();
    if (ch === 0) break;
    s += String.fromCharCode(ch);
  }
  c.add(key, s, at, c.pos - at);
  return s;
}

/**
 * Trivial File Transfer Protocol (RFC 1350, options RFC 2347): requests on UDP 69; the transfer
 * that answers from another port is recognised by the client's address and port.
 */
export const tftp = defineProtocol({
  id: 'tftp',
  name: 'Trivial File Transfer Protocol',
  short: 'TFTP',
  bindings: [{ table: 'udp.port', key: PORT }],
  heuristics: [{ table: 'udp.port', test: transferAt }],
  fields: {
    'tftp.opcode': { label: 'Opcode', type: 'u16', values: OPCODES },
    'tftp.source_file': { label: 'Source File', type: 'string' },
    'tftp.destination_file': { label: 'Destination File', type: 'string' },
    'tftp.type': { label: 'Type', type: 'string' },
    'tftp.option.name': { label: 'Option name', type: 'string' },
    'tftp.option.value': { label: 'Option value', type: 'string' },
    'tftp.block': { label: 'Block', type: 'u16' },
    'tftp.error.code': { label: 'Error code', type: 'u16', values: ERRORS },
    'tftp.error.message': { label: 'Error message', type: 'string' },
    'tftp.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const ends = endpoints(c);
    const transfers = c.session('tftp transfers', newTransfers);
    const udp = c.below[c.below.length - 1];
    const toPort = udp?.protocol === 'udp' && (udp.info['dstport'] === PORT || udp.info['srcport'] === PORT);
    const known = ends !== undefined && (transfers.has(ends[0]) || transfers.has(ends[1]));
    if (!toPort && !known) return { handoff: 'data' };
    const op = c.u16('tftp.opcode');
    const name = OPCODES[op] ?? `Unknown (0x${op.toString(16).padStart(4, '0')})`;
    c.provisional = name;
    let summary = name;
    const options = (): string => {
      let s = '';
      for (let i = 0; i < MAX_OPTIONS && c.pos < c.capEnd; i++) {
        const k = stringz(c, 'tftp.option.name');
        const v = stringz(c, 'tftp.option.value');
        s += `, ${k}=${v}`;
      }
      return s;
    };
    switch (op) {
      case RRQ:
      case WRQ: {
        if (ends !== undefined && udp?.info['dstport'] === PORT) transfers.set(ends[0], c.frameNumber);
        const file = stringz(c, op === RRQ ? 'tftp.source_file' : 'tftp.destination_file');
        const type = stringz(c, 'tftp.type');
        summary = `${name}, File: ${file}, Transfer type: ${type}`;
        c.provisional = summary;
        summary += options();
        break;
      }
      case DATA: {
        const block = c.u16('tftp.block');
        const n = c.remaining();
        if (n > 0) c.bytes('tftp.data', n);
        summary = `${name}, Block: ${block}${c.reportedRemaining() === 0 && n < 512 ? ' (last)' : ''}`;
        break;
      }
      case ACK:
        summary = `${name}, Block: ${c.u16('tftp.block')}`;
        break;
      case ERROR: {
        const code = c.u16('tftp.error.code');
        const msg = c.pos < c.capEnd ? stringz(c, 'tftp.error.message') : '';
        summary = `${name}, Code: ${ERRORS[code] ?? `Unknown (${code})`}, Message: ${msg}`;
        break;
      }
      case OACK:
        summary = `${name}${options()}`;
        break;
      default:
        break;
    }
    if (c.pos < c.capEnd) c.seek(c.capEnd);
    return { summary, info: { opcode: op } };
  },
});
