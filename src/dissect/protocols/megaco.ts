import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/** Transaction keywords (long and short forms, RFC 3525 / H.248.1 annex B) and tshark's names for them. */
const TRANSACTIONS: Record<string, string> = {
  TRANSACTION: 'Request',
  T: 'Request',
  REPLY: 'Reply',
  P: 'Reply',
  PENDING: 'Pending',
  PN: 'Pending',
  TRANSACTIONRESPONSEACK: 'TransactionResponseAck',
  K: 'TransactionResponseAck',
};

/** Command keywords, long and short, by their long name. */
const COMMANDS: Record<string, string> = {
  ADD: 'Add',
  A: 'Add',
  MOVE: 'Move',
  MV: 'Move',
  MODIFY: 'Modify',
  MF: 'Modify',
  SUBTRACT: 'Subtract',
  S: 'Subtract',
  AUDITVALUE: 'AuditValue',
  AV: 'AuditValue',
  AUDITCAPABILITY: 'AuditCapability',
  AC: 'AuditCapability',
  NOTIFY: 'Notify',
  N: 'Notify',
  SERVICECHANGE: 'ServiceChange',
  SC: 'ServiceChange',
};

/** Context ids that are not numbers: the null context, "choose one" and "all". */
const SPECIAL_CONTEXTS: Record<string, number> = { '-': 0, $: 0xfffffffe, '*': 0xffffffff };
const CONTEXT_NAMES: Record<number, string> = { 0: 'NULL', 0xfffffffe: '$', 0xffffffff: 'ALL' };

/** Most tokens read from one message (a bound on work for a message of nothing but tokens). */
const MAX_TOKENS = 4096;

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
/** Characters of a keyword or a value token (anything but white space, separators and brackets). */
const isTokenChar = (b: number): boolean => b > 0x20 && b < 0x7f && b !== 0x3d && b !== 0x7b && b !== 0x7d && b !== 0x2c && b !== 0x3b && b !== 0x22;

/** A reader of the message text: skips white space and `;` comments, reads tokens. */
class Text {
  readonly d: Uint8Array;
  p: number;
  readonly end: number;
  constructor(d: Uint8Array, p: number, end: number) {
    this.d = d;
    this.p = p;
    this.end = end;
  }
  skipSpace(): void {
    while (this.p < this.end) {
      const b = this.d[this.p]!;
      if (isSpace(b)) this.p++;
      else if (b === 0x3b) while (this.p < this.end && this.d[this.p] !== 0x0a) this.p++;
      else break;
    }
  }
  /** A token at the position (after white space): its start and text, empty when none. */
  token(): [number, string] {
    this.skipSpace();
    const at = this.p;
    while (this.p < this.end && isTokenChar(this.d[this.p]!)) this.p++;
    let s = '';
    for (let i = at; i < this.p; i++) s += String.fromCharCode(this.d[i]!);
    return [at, s];
  }
  /** Whether the next character (after white space) is `ch`; consumes it if so. */
  take(ch: number): boolean {
    this.skipSpace();
    if (this.p < this.end && this.d[this.p] === ch) {
      this.p++;
      return true;
    }
    return false;
  }
  /** A quoted string (from the opening quote), returned whole. */
  skipQuoted(): void {
    this.p++;
    while (this.p < this.end && this.d[this.p] !== 0x22) this.p++;
    if (this.p < this.end) this.p++;
  }
}

/** Whether the bytes at `offset` start a text MEGACO message (`MEGACO/` or `!/`, after white space). */
function looksLikeMegaco(d: Uint8Array, offset: number, end: number): boolean {
  let p = offset;
  while (p < end && isSpace(d[p]!)) p++;
  if (p + 2 <= end && d[p] === 0x21 && d[p + 1] === 0x2f) return true;
  const tag = 'MEGACO';
  if (p + tag.length + 1 > end) return false;
  // Letters compared without case (bit 0x20 cleared).
  for (let i = 0; i < tag.length; i++) if ((d[p + i]! & 0xdf) !== tag.charCodeAt(i)) return false;
  return d[p + tag.length] === 0x2f;
}

/**
 * MEGACO / H.248 in its text encoding (RFC 3525 annex B): the header (`MEGACO/version` and the
 * sender's mId), then each transaction with its id, each context and each command with its
 * termination id. The binary (ASN.1) encoding is not dissected.
 */
export const megaco = defineProtocol({
  id: 'megaco',
  name: 'MEGACO',
  short: 'MEGACO',
  leaf: true,
  bindings: [
    { table: 'sctp.ppi', key: 7 },
    { table: 'sctp.port', key: 2944 },
    { table: 'udp.port', key: 2944 },
    { table: 'tcp.port', key: 2944 },
  ],
  fields: {
    'megaco.start_token': { label: 'Start token', type: 'string' },
    'megaco.version': { label: 'Version', type: 'string' },
    'megaco.mId': { label: 'MediagatewayID', type: 'string' },
    'megaco.transaction': { label: 'Transaction', type: 'string' },
    'megaco.transid': { label: 'Transaction ID', type: 'u32' },
    'megaco.context': { label: 'Context', type: 'u32', values: CONTEXT_NAMES },
    'megaco.command': { label: 'Command', type: 'string' },
    'megaco.termid': { label: 'Termination ID', type: 'string' },
    'megaco.error_code': { label: 'ERROR Code', type: 'u32' },
  },
  dissect(c) {
    const start = c.pos;
    const end = c.capEnd;
    if (!looksLikeMegaco(c.data, start, end)) {
      // Binary H.248, or not MEGACO at all: the bytes stay in this layer.
      c.skip(end - start);
      return { summary: 'Binary or unrecognised MEGACO', info: {} };
    }
    const t = new Text(c.data, start, end);
    const [tokAt, tok] = t.token();
    const slash = tok.indexOf('/');
    const startToken = slash < 0 ? tok : tok.substring(0, slash);
    c.add('megaco.start_token', startToken, tokAt, startToken.length);
    const version = slash < 0 ? '' : tok.substring(slash + 1);
    if (slash >= 0) c.add('megaco.version', version, tokAt + slash + 1, version.length);
    const [midAt, mid] = t.token();
    if (mid === '') {
      // The text ends before the mId: cut by the snaplen (truncated) or missing (malformed).
      if (midAt >= end) c.need(1, 'megaco.mId', midAt);
      c.malformed('MEGACO: no mId after the version', 'megaco.mId', midAt);
    }
    c.add('megaco.mId', mid, midAt, mid.length);
    const info: string[] = [];
    readBody(c, t, info);
    c.seek(end);
    return { summary: info.join(' '), info: { mid, version } };
  },
});

/** The transactions (depth 0), contexts (depth 1) and commands (depth 2) of the message body. */
function readBody(c: Cursor, t: Text, info: string[]): void {
  let depth = 0;
  let n = 0;
  while (t.p < t.end && n++ < MAX_TOKENS) {
    t.skipSpace();
    if (t.p >= t.end) break;
    const b = t.d[t.p]!;
    if (b === 0x7b) {
      depth++;
      t.p++;
      continue;
    }
    if (b === 0x7d) {
      if (depth > 0) depth--;
      t.p++;
      continue;
    }
    if (b === 0x22) {
      t.skipQuoted();
      continue;
    }
    if (!isTokenChar(b)) {
      t.p++;
      continue;
    }
    const [at, word] = t.token();
    if (!t.take(0x3d)) continue;
    const [valueAt, value] = t.token();
    const key = word.toUpperCase();
    if (depth === 0 && TRANSACTIONS[key] !== undefined) {
      const name = TRANSACTIONS[key]!;
      c.add('megaco.transaction', name, at, word.length);
      const id = Number.parseInt(value, 10);
      if (/^\d+$/.test(value) && id <= 0xffffffff) c.add('megaco.transid', id, valueAt, value.length);
      info.push(`${value} ${name} `);
    } else if (depth === 0 && (key === 'ERROR' || key === 'ER')) {
      if (/^\d+$/.test(value)) c.add('megaco.error_code', Number.parseInt(value, 10), valueAt, value.length);
      info.push(`Error ${value}`);
    } else if (depth === 1 && (key === 'CONTEXT' || key === 'C')) {
      const id = SPECIAL_CONTEXTS[value] ?? (/^\d+$/.test(value) ? Number.parseInt(value, 10) : undefined);
      if (id !== undefined && id <= 0xffffffff) c.add('megaco.context', id, valueAt, value.length);
      info.push(` |=${value}`);
    } else if (depth === 2) {
      // Optional (O-) and wildcard-response (W-) prefixes may come before a command.
      const bare = key.replace(/^(?:[OW]-)+/, '');
      const command = COMMANDS[bare];
      if (command !== undefined) {
        c.add('megaco.command', command, at, word.length);
        c.add('megaco.termid', value, valueAt, value.length);
        info.push(`${command}=${value}`);
      }
    }
  }
  if (n > MAX_TOKENS) c.expert('warning', `more than ${MAX_TOKENS} tokens; the rest is not read`);
}
