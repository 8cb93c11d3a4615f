import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { BoundedMap, flowKey } from './flow-key.js';
import { DISSECTED_VERSIONS, procedureName, PROGRAM_NAMES, type RpcCall } from './rpc-programs.js';
import { XDR_FIELDS, xdrString } from './xdr.js';

const MSG_TYPES: Record<number, string> = { 0: 'Call', 1: 'Reply' };
const REPLY_STATES: Record<number, string> = { 0: 'accepted', 1: 'denied' };
const ACCEPT_STATES: Record<number, string> = {
  0: 'RPC executed successfully',
  1: "remote hasn't exported program",
  2: "remote can't support version #",
  3: "program can't support procedure",
  4: 'procedure can\'t decode params',
  5: 'remote system error',
};
const REJECT_STATES: Record<number, string> = { 0: 'RPC_MISMATCH', 1: 'AUTH_ERROR' };
const AUTH_STATES: Record<number, string> = {
  0: 'Success',
  1: 'bad credential (seal broken)',
  2: 'client must begin new session',
  3: 'bad verifier (seal broken)',
  4: 'verifier expired or replayed',
  5: 'rejected for security reasons',
  6: 'GSS credential problem',
  7: 'GSS context problem',
};
const FLAVORS: Record<number, string> = {
  0: 'AUTH_NULL',
  1: 'AUTH_UNIX',
  2: 'AUTH_SHORT',
  3: 'AUTH_DES',
  4: 'AUTH_KERB',
  5: 'AUTH_RSA',
  6: 'RPCSEC_GSS',
  390003: 'RPCSEC_GSS_KRB5',
  390004: 'RPCSEC_GSS_KRB5I',
  390005: 'RPCSEC_GSS_KRB5P',
};

const CALL = 0;
const REPLY = 1;
const AUTH_UNIX = 1;
/** Most bytes of credentials or a verifier (RFC 5531 9: at most 400). */
const MAX_AUTH = 400;
/** Most auxiliary group ids read from AUTH_UNIX credentials (the RFC allows 16). */
const MAX_GIDS = 16;
/** Calls remembered for their replies. */
const MAX_CALLS = 20_000;

interface PendingCall {
  readonly program: number;
  readonly version: number;
  readonly procedure: number;
  readonly frame: number;
  readonly sec: number;
  readonly nsec: number;
}
const newCalls = (): BoundedMap<string, PendingCall> => new BoundedMap(MAX_CALLS);

const u32 = (d: Uint8Array, o: number): number => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
const plausibleFlavor = (f: number): boolean => f <= 6 || (f >= 390003 && f <= 390005);

/**
 * Whether an RPC message starts at `o`: a call of a program dissected here (RPC version 2, a
 * known version, plausible credentials), or a reply whose header is well formed. A reply is
 * kept only if it answers a call seen before (checked when it is dissected).
 */
function messageAt(d: Uint8Array, o: number, end: number): boolean {
  if (o + 12 > end) return false;
  const type = u32(d, o + 4);
  if (type === CALL) {
    if (o + 24 > end || u32(d, o + 8) !== 2) return false;
    const versions = DISSECTED_VERSIONS[u32(d, o + 12)];
    if (versions === undefined || !versions.includes(u32(d, o + 16))) return false;
    if (o + 32 > end) return true;
    return plausibleFlavor(u32(d, o + 24)) && u32(d, o + 28) <= MAX_AUTH;
  }
  if (type !== REPLY) return false;
  const stat = u32(d, o + 8);
  if (stat === 1) return u32(d, o + 12) <= 1;
  if (stat !== 0 || o + 20 > end) return false;
  const len = u32(d, o + 16);
  if (!plausibleFlavor(u32(d, o + 12)) || len > MAX_AUTH) return false;
  const acceptAt = o + 20 + len + ((4 - (len % 4)) % 4);
  return acceptAt + 4 > end || u32(d, acceptAt) <= 5;
}

/** Over TCP: a record mark (RFC 5531 11), then a message. */
function recordAt(d: Uint8Array, o: number, end: number): boolean {
  if (o + 4 > end) return false;
  const len = u32(d, o) & 0x7fffffff;
  if (len < 12 || len > 0x1000000) return false;
  return messageAt(d, o + 4, Math.min(end, o + 4 + len));
}

/**
 * Remote Procedure Call (ONC RPC, RFC 5531) over UDP, and over TCP with record marking: the call
 * and reply headers, credentials and verifier. A call is remembered by conversation and XID so
 * that its reply can name the program and procedure; the program's dissector is found in the
 * `rpc.program` table.
 */
export const rpc = defineProtocol({
  id: 'rpc',
  name: 'Remote Procedure Call',
  short: 'RPC',
  heuristics: [
    { table: 'udp.port', test: messageAt },
    { table: 'tcp.port', test: recordAt },
  ],
  fields: {
    'rpc.lastfrag': { label: 'Last Fragment', type: 'bool', mask: 0x80000000, tfs: ['Yes', 'No'] },
    'rpc.fraglen': { label: 'Fragment Length', type: 'u32', mask: 0x7fffffff },
    'rpc.xid': { label: 'XID', type: 'u32', base: 'hex_dec' },
    'rpc.msgtyp': { label: 'Message Type', type: 'u32', values: MSG_TYPES },
    'rpc.version': { label: 'RPC Version', type: 'u32' },
    'rpc.version.min': { label: 'RPC Version (Minimum)', type: 'u32' },
    'rpc.version.max': { label: 'RPC Version (Maximum)', type: 'u32' },
    'rpc.program': { label: 'Program', type: 'u32', values: PROGRAM_NAMES },
    'rpc.programversion': { label: 'Program Version', type: 'u32' },
    'rpc.programversion.min': { label: 'Program Version (Minimum)', type: 'u32' },
    'rpc.programversion.max': { label: 'Program Version (Maximum)', type: 'u32' },
    'rpc.procedure': { label: 'Procedure', type: 'u32' },
    'rpc.cred': { label: 'Credentials', type: 'none' },
    'rpc.verf': { label: 'Verifier', type: 'none' },
    'rpc.auth.flavor': { label: 'Flavor', type: 'u32', values: FLAVORS },
    'rpc.auth.length': { label: 'Length', type: 'u32' },
    'rpc.auth.stamp': { label: 'Stamp', type: 'u32', base: 'hex' },
    'rpc.auth.machinename': { label: 'Machine Name', type: 'string' },
    'rpc.auth.uid': { label: 'UID', type: 'u32' },
    'rpc.auth.gid': { label: 'GID', type: 'u32' },
    'rpc.replystat': { label: 'Reply State', type: 'u32', values: REPLY_STATES },
    'rpc.state_accept': { label: 'Accept State', type: 'u32', values: ACCEPT_STATES },
    'rpc.state_reject': { label: 'Reject State', type: 'u32', values: REJECT_STATES },
    'rpc.state_auth': { label: 'Auth State', type: 'u32', values: AUTH_STATES },
    'rpc.repframe': { label: 'Reply Frame', type: 'framenum' },
    'rpc.time': { label: 'Time from request', type: 'rel_time' },
    ...XDR_FIELDS,
  },
  dissect(c) {
    const tcp = c.below.length > 0 && c.below[c.below.length - 1]!.protocol === 'tcp';
    if (tcp) {
      const at = c.pos;
      const mark = c.peek32();
      c.flag('rpc.lastfrag', 4, 0x80000000);
      c.bits('rpc.fraglen', 4, 0x7fffffff);
      c.skip(4);
      const len = (mark & 0x7fffffff) >>> 0;
      if (at + 4 + len <= c.repEnd) c.limit(at + 4 + len - c.start);
    }
    const xidAt = c.pos;
    const xid = c.peek32();
    const type = c.peek32(4);
    const key = flowKey(c);
    const calls = c.session('rpc calls', newCalls);
    const callKey = `${key}|${xid}`;
    if (type === REPLY && (key === undefined || !calls.has(callKey))) return { handoff: 'data' };
    c.u32('rpc.xid');
    c.u32('rpc.msgtyp');
    const end = c.repEnd;
    if (type === CALL) {
      c.u32('rpc.version');
      const program = c.u32('rpc.program');
      const version = c.u32('rpc.programversion');
      const procedure = c.peek32();
      const pname = procedureName(program, version, procedure);
      c.u32();
      c.add('rpc.procedure', procedure, c.pos - 4, 4, `Procedure: ${pname} (${procedure})`);
      const summary = `V${version} ${pname} Call`;
      c.provisional = summary;
      if (key !== undefined) calls.set(callKey, { program, version, procedure, frame: c.frameNumber, sec: c.tsSec, nsec: c.tsNsec });
      auth(c, 'rpc.cred', 'Credentials');
      auth(c, 'rpc.verf', 'Verifier');
      const info: RpcCall = { call: true, program, version, procedure, callFrame: 0, end };
      return {
        summary,
        info: { xid, call: true, program, version, procedure },
        next: { table: 'rpc.program', keys: [program], ctx: { rpc: info }, empty: true },
      };
    }
    const call = calls.get(callKey)!;
    const pname = procedureName(call.program, call.version, call.procedure);
    c.add('rpc.program', call.program, xidAt, 0);
    c.add('rpc.programversion', call.version, xidAt, 0);
    c.add('rpc.procedure', call.procedure, xidAt, 0, `Procedure: ${pname} (${call.procedure})`);
    const summary = `V${call.version} ${pname} Reply (Call In ${call.frame})`;
    c.provisional = summary;
    const stat = c.u32('rpc.replystat');
    c.add('rpc.repframe', call.frame, xidAt, 0, `This is a reply to a request in frame ${call.frame}`);
    if (c.wants('rpc.time')) {
      const t = elapsed(c.tsSec, c.tsNsec, call.sec, call.nsec);
      c.add('rpc.time', t, c.pos, 0, `Time from request: ${t} seconds`);
    }
    const info = { xid, call: false, program: call.program, version: call.version, procedure: call.procedure, callFrame: call.frame };
    if (stat === 1) {
      const reject = c.u32('rpc.state_reject');
      if (reject === 0) {
        c.u32('rpc.version.min');
        c.u32('rpc.version.max');
      } else if (reject === 1) c.u32('rpc.state_auth');
      return { summary, info };
    }
    if (stat !== 0) return { summary, info };
    auth(c, 'rpc.verf', 'Verifier');
    const accept = c.u32('rpc.state_accept');
    if (accept === 2) {
      c.u32('rpc.programversion.min');
      c.u32('rpc.programversion.max');
    }
    if (accept !== 0) return { summary, info };
    const ctx: RpcCall = { call: false, program: call.program, version: call.version, procedure: call.procedure, callFrame: call.frame, end };
    return { summary, info, next: { table: 'rpc.program', keys: [call.program], ctx: { rpc: ctx }, empty: true } };
  },
});

/** Credentials or a verifier: flavor, length, and the AUTH_UNIX body (others as opaque bytes). */
function auth(c: Cursor, key: string, label: string): void {
  c.group(key, () => {
    const flavor = c.u32('rpc.auth.flavor');
    const len = c.u32('rpc.auth.length');
    if (len > MAX_AUTH) c.malformed(`${label.toLowerCase()} of ${len} bytes (at most ${MAX_AUTH})`, 'rpc.auth.length', c.pos - 4);
    const bodyEnd = c.pos + len;
    if (flavor === AUTH_UNIX && len >= 20) {
      c.u32('rpc.auth.stamp');
      xdrString(c, 'rpc.auth.machinename', 'Machine Name', 255);
      c.u32('rpc.auth.uid');
      c.u32('rpc.auth.gid');
      const n = c.u32('rpc.array.len');
      for (let i = 0; i < Math.min(n, MAX_GIDS) && c.pos + 4 <= bodyEnd; i++) c.u32('rpc.auth.gid');
    }
    if (c.pos < bodyEnd) c.bytes('rpc.opaque_data', bodyEnd - c.pos);
    else if (c.pos > bodyEnd) c.expert('warning', `the ${label.toLowerCase()} body runs past its length ${len}`, 'rpc.auth.length');
    return '';
  }, -1, () => label);
}

/** Seconds between two timestamps, as tshark prints a relative time (`0.010000000`). */
function elapsed(sec: number, nsec: number, fromSec: number, fromNsec: number): string {
  let s = sec - fromSec;
  let ns = nsec - fromNsec;
  if (ns < 0) {
    ns += 1_000_000_000;
    s -= 1;
  }
  const neg = s < 0;
  if (neg) {
    s = -s - (ns > 0 ? 1 : 0);
    ns = ns > 0 ? 1_000_000_000 - ns : 0;
  }
  return `${neg ? '-' : ''}${s}.${String(ns).padStart(9, '0')}`;
}
