import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { PORTMAP, procedureName, procedureValues, PROGRAM_NAMES, type RpcCall } from './rpc-programs.js';
import { xdrOpaque, xdrString } from './xdr.js';

const PROTOCOLS: Record<number, string> = { 6: 'TCP', 17: 'UDP' };
/** Most entries of a DUMP reply read. */
const MAX_ENTRIES = 1000;

const SET = 1;
const UNSET = 2;
const GETPORT = 3; // GETADDR in versions 3 and 4
const DUMP = 4;
const CALLIT = 5; // BCAST in version 4
const GETTIME = 6;

/**
 * Portmap (RFC 1833: program 100000): version 2 mappings (program, version, protocol, port) and
 * the rpcbind versions 3 and 4 (network id and universal address strings); CALLIT's arguments
 * and results are kept as opaque bytes.
 */
export const portmap = defineProtocol({
  id: 'portmap',
  name: 'Portmap',
  short: 'Portmap',
  bindings: [{ table: 'rpc.program', key: PORTMAP }],
  fields: {
    'portmap.procedure_v1': { label: 'V1 Procedure', type: 'u32', values: procedureValues(PORTMAP, 2) },
    'portmap.procedure_v2': { label: 'V2 Procedure', type: 'u32', values: procedureValues(PORTMAP, 2) },
    'portmap.procedure_v3': { label: 'V3 Procedure', type: 'u32', values: procedureValues(PORTMAP, 3) },
    'portmap.procedure_v4': { label: 'V4 Procedure', type: 'u32', values: procedureValues(PORTMAP, 4) },
    'portmap.prog': { label: 'Program', type: 'u32', values: PROGRAM_NAMES },
    'portmap.version': { label: 'Version', type: 'u32' },
    'portmap.proc': { label: 'Procedure', type: 'u32' },
    'portmap.proto': { label: 'Protocol', type: 'u32', values: PROTOCOLS },
    'portmap.port': { label: 'Port', type: 'u32' },
    'portmap.answer': { label: 'Answer', type: 'bool' },
    'portmap.args': { label: 'Arguments', type: 'bytes' },
    'portmap.result': { label: 'Result', type: 'bytes' },
    'portmap.rpcb': { label: 'RPCB', type: 'none' },
    'portmap.rpcb.prog': { label: 'Program', type: 'u32', values: PROGRAM_NAMES },
    'portmap.rpcb.version': { label: 'Version', type: 'u32' },
    'portmap.rpcb.netid': { label: 'Network Id', type: 'string' },
    'portmap.rpcb.addr': { label: 'Universal Address', type: 'string' },
    'portmap.rpcb.owner': { label: 'Owner of this Service', type: 'string' },
    'portmap.uaddr': { label: 'Universal Address', type: 'string' },
    'rpc.argument_length': { label: 'Argument length', type: 'u32' },
  },
  dissect(c) {
    const r = c.ctx['rpc'] as RpcCall | undefined;
    if (r === undefined) return undefined;
    const { version: v, procedure: proc } = r;
    const start = c.pos;
    c.add('rpc.programversion', v, start, 0);
    const procKey = `portmap.procedure_v${v >= 1 && v <= 4 ? v : 2}`;
    c.add(procKey, proc, start, 0, `V${v} Procedure: ${procedureName(PORTMAP, v, proc)} (${proc})`);
    const summary = programSummary(PORTMAP, r);
    c.provisional = summary;
    const rpcb = v >= 3;
    if (r.call) {
      if (proc === SET || proc === UNSET || proc === GETPORT) {
        if (rpcb) readRpcb(c);
        else readMapping(c);
      } else if (proc === CALLIT) {
        c.u32('portmap.prog');
        c.u32('portmap.version');
        c.u32('portmap.proc');
        // The arguments are the called procedure's (left unread, as a call of that program would be).
        const n = c.u32('rpc.argument_length');
        c.skip(n);
      }
    } else if (proc === SET || proc === UNSET) {
      c.add('portmap.answer', c.peek32() !== 0, c.pos, 4);
      c.skip(4);
    } else if (proc === GETPORT) {
      if (rpcb) xdrString(c, 'portmap.uaddr', 'Universal Address');
      else c.u32('portmap.port');
    } else if (proc === DUMP) {
      for (let i = 0; i < MAX_ENTRIES && c.pos < r.end; i++) {
        const follows = c.peek32() !== 0;
        c.add('rpc.value_follows', follows, c.pos, 4);
        c.skip(4);
        if (!follows) break;
        if (rpcb) readRpcb(c);
        else readMapping(c);
      }
    } else if (proc === CALLIT) {
      if (rpcb) xdrString(c, 'portmap.uaddr', 'Universal Address');
      else c.u32('portmap.port');
      xdrOpaque(c, 'portmap.result');
    } else if (proc === GETTIME && rpcb) {
      c.u32();
    }
    finishMessage(c, r);
    return { summary, info: { procedure: proc, call: r.call } };
  },
});

/** A version 2 mapping. */
function readMapping(c: Cursor): void {
  c.u32('portmap.prog');
  c.u32('portmap.version');
  c.u32('portmap.proto');
  c.u32('portmap.port');
}

/** An rpcbind entry: program, version, network id, universal address, owner. */
function readRpcb(c: Cursor): void {
  c.group('portmap.rpcb', () => {
    c.u32('portmap.rpcb.prog');
    c.u32('portmap.rpcb.version');
    xdrString(c, 'portmap.rpcb.netid', 'Network Id');
    xdrString(c, 'portmap.rpcb.addr', 'Universal Address');
    xdrString(c, 'portmap.rpcb.owner', 'Owner of this Service');
    return '';
  }, -1, () => 'RPCB');
}

/** The Info text of an RPC program message: `V3 GETADDR Call`, `V3 GETADDR Reply (Call In 1)`. */
export function programSummary(program: number, r: RpcCall, extra = ''): string {
  const name = procedureName(program, r.version, r.procedure);
  return r.call ? `V${r.version} ${name} Call${extra}` : `V${r.version} ${name} Reply (Call In ${r.callFrame})${extra}`;
}

/** The rest of the RPC message belongs to the program's layer (what it did not read). */
export function finishMessage(c: Cursor, r: RpcCall): void {
  const end = Math.min(r.end, c.repEnd);
  if (c.pos < end) c.seek(Math.min(end, c.capEnd));
}
