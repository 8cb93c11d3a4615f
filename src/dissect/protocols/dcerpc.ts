import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { BoundedMap } from './flow-key.js';
import { smbPayloadTail } from './smb-common.js';

const PKT_TYPES: Record<number, string> = {
  0: 'Request', 1: 'Ping', 2: 'Response', 3: 'Fault', 4: 'Working', 5: 'Nocall', 6: 'Reject', 7: 'Ack', 8: 'Cl_cancel',
  9: 'Fack', 10: 'Cancel_ack', 11: 'Bind', 12: 'Bind_ack', 13: 'Bind_nak', 14: 'Alter_context', 15: 'Alter_context_resp',
  16: 'AUTH3', 17: 'Shutdown', 18: 'Co_cancel', 19: 'Orphaned', 20: 'RTS',
};
const REQUEST = 0;
const RESPONSE = 2;
const FAULT = 3;
const BIND = 11;
const BIND_ACK = 12;
const BIND_NAK = 13;
const ALTER_CONTEXT = 14;
const ALTER_CONTEXT_RESP = 15;

const FLAGS: readonly (readonly [string, number, string])[] = [
  ['object', 0x80, 'Object'],
  ['maybe', 0x40, 'Maybe'],
  ['dne', 0x20, 'Did Not Execute'],
  ['mpx', 0x10, 'Multiplex'],
  ['reserved', 0x08, 'Reserved'],
  ['cancel_pending', 0x04, 'Cancel Pending'],
  ['last_frag', 0x02, 'Last Frag'],
  ['first_frag', 0x01, 'First Frag'],
];
const ACK_RESULTS: Record<number, string> = { 0: 'Acceptance', 1: 'User rejection', 2: 'Provider rejection', 3: 'Negotiate ACK' };
const BYTE_ORDERS: Record<number, string> = { 0: 'Big-endian', 1: 'Little-endian' };
const CHARACTERS: Record<number, string> = { 0: 'ASCII', 1: 'EBCDIC' };
const FLOATS: Record<number, string> = { 0: 'IEEE', 1: 'VAX', 2: 'Cray', 3: 'IBM' };

/** Transfer syntaxes by UUID. */
const SYNTAXES: Readonly<Record<string, string>> = {
  '8a885d04-1ceb-11c9-9fe8-08002b104860': '32bit NDR',
  '71710533-beba-4937-8319-b5dbef9ccc36': '64bit NDR',
  '6cb71c2c-9812-4540-0300-000000000000': 'bind time feature negotiation',
};

/** Interfaces by UUID: their name, and the protocol that reads their stub data when there is one. */
export const INTERFACES: Readonly<Record<string, { readonly name: string; readonly protocol?: string }>> = {
  '3919286a-b10c-11d0-9ba8-00c04fd92ef5': { name: 'DSSETUP', protocol: 'dssetup' },
  '12345778-1234-abcd-ef00-0123456789ab': { name: 'LSARPC' },
  '12345778-1234-abcd-ef00-0123456789ac': { name: 'SAMR' },
  '12345678-1234-abcd-ef00-01234567cffb': { name: 'RPC_NETLOGON' },
  '4b324fc8-1670-01d3-1278-5a47bf6ee188': { name: 'SRVSVC' },
  '6bffd098-a112-3610-9833-46c3f87e345a': { name: 'WKSSVC' },
  'e1af8308-5d1f-11c9-91a4-08002b14a0fa': { name: 'EPMv4' },
  '12345678-1234-abcd-ef00-0123456789ab': { name: 'SPOOLSS' },
  '367abb81-9844-35f1-ad32-98f038001003': { name: 'SVCCTL' },
  '338cd001-2244-31f1-aaaa-900038001003': { name: 'WINREG' },
};

/** Most contexts and calls remembered per connection, and connections remembered. */
const MAX_CALLS = 1000;
const MAX_CONNECTIONS = 10_000;
/** Most context items read from a bind and results from its acknowledgement. */
const MAX_ITEMS = 64;

interface Connection {
  readonly contexts: Map<number, string>;
  readonly calls: BoundedMap<number, { opnum: number; uuid: string | undefined; frame: number }>;
}
const newConnections = (): BoundedMap<string, Connection> => new BoundedMap(MAX_CONNECTIONS);

const hex = (d: Uint8Array, from: number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += d[from + i]!.toString(16).padStart(2, '0');
  return s;
};

/** A UUID in the PDU's byte order, as text. */
function uuidAt(d: Uint8Array, at: number, little: boolean): string {
  const field = (from: number, n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += d[from + (little ? n - 1 - i : i)]!.toString(16).padStart(2, '0');
    return s;
  };
  return `${field(at, 4)}-${field(at + 4, 2)}-${field(at + 6, 2)}-${hex(d, at + 8, 2)}-${hex(d, at + 10, 6)}`;
}

/**
 * Distributed Computing Environment / Remote Procedure Call, connection-oriented (C706 12, as
 * carried in SMB named pipes): the common header, Bind and Alter Context with their context
 * items, their acknowledgements, Request, Response and Fault. A connection (the pipe) remembers
 * which interface each context id was bound to, and each request's opnum by call id, so that
 * the stub data goes to the interface's dissector.
 */
export const dcerpc = defineProtocol({
  id: 'dcerpc',
  name: 'Distributed Computing Environment / Remote Procedure Call (DCE/RPC)',
  short: 'DCERPC',
  fields: {
    'dcerpc.ver': { label: 'Version', type: 'u8' },
    'dcerpc.ver_minor': { label: 'Version (minor)', type: 'u8' },
    'dcerpc.pkt_type': { label: 'Packet type', type: 'u8', values: PKT_TYPES },
    'dcerpc.cn_flags': { label: 'Packet Flags', type: 'u8', base: 'hex' },
    ...Object.fromEntries(FLAGS.map(([k, mask, label]) => [`dcerpc.cn_flags.${k}`, { label, type: 'bool' as const, mask, tfs: ['Set', 'Not set'] as const }])),
    'dcerpc.drep': { label: 'Data Representation', type: 'bytes' },
    'dcerpc.drep.byteorder': { label: 'Byte order', type: 'u8', values: BYTE_ORDERS },
    'dcerpc.drep.character': { label: 'Character', type: 'u8', values: CHARACTERS },
    'dcerpc.drep.fp': { label: 'Floating-point', type: 'u8', values: FLOATS },
    'dcerpc.cn_frag_len': { label: 'Frag Length', type: 'u16' },
    'dcerpc.cn_auth_len': { label: 'Auth Length', type: 'u16' },
    'dcerpc.cn_call_id': { label: 'Call ID', type: 'u32' },
    'dcerpc.cn_max_xmit': { label: 'Max Xmit Frag', type: 'u16' },
    'dcerpc.cn_max_recv': { label: 'Max Recv Frag', type: 'u16' },
    'dcerpc.cn_assoc_group': { label: 'Assoc Group', type: 'u32', base: 'hex' },
    'dcerpc.cn_num_ctx_items': { label: 'Num Ctx Items', type: 'u8' },
    'dcerpc.cn_ctx_item': { label: 'Ctx Item', type: 'none' },
    'dcerpc.cn_ctx_id': { label: 'Context ID', type: 'u16' },
    'dcerpc.cn_num_trans_items': { label: 'Num Trans Items', type: 'u8' },
    'dcerpc.cn_bind_abstract_syntax': { label: 'Abstract Syntax', type: 'none' },
    'dcerpc.cn_bind_to_uuid': { label: 'Interface UUID', type: 'guid' },
    'dcerpc.cn_bind_if_ver': { label: 'Interface Ver', type: 'u16' },
    'dcerpc.cn_bind_if_ver_minor': { label: 'Interface Ver Minor', type: 'u16' },
    'dcerpc.cn_bind_trans': { label: 'Transfer Syntax', type: 'none' },
    'dcerpc.cn_bind_trans_id': { label: 'ID', type: 'guid' },
    'dcerpc.cn_bind_trans_ver': { label: 'ver', type: 'u32' },
    'dcerpc.cn_sec_addr_len': { label: 'Scndry Addr len', type: 'u16' },
    'dcerpc.cn_sec_addr': { label: 'Scndry Addr', type: 'string' },
    'dcerpc.cn_num_results': { label: 'Num results', type: 'u8' },
    'dcerpc.cn_ack_result': { label: 'Ack result', type: 'u16', values: ACK_RESULTS },
    'dcerpc.cn_ack_reason': { label: 'Ack reason', type: 'u16' },
    'dcerpc.cn_ack_trans_id': { label: 'Transfer Syntax', type: 'guid' },
    'dcerpc.cn_ack_trans_ver': { label: 'Syntax ver', type: 'u32' },
    'dcerpc.cn_reject_reason': { label: 'Reject reason', type: 'u16' },
    'dcerpc.cn_alloc_hint': { label: 'Alloc hint', type: 'u32' },
    'dcerpc.cn_cancel_count': { label: 'Cancel count', type: 'u8' },
    'dcerpc.cn_status': { label: 'Status', type: 'u32', base: 'hex' },
    'dcerpc.obj_id': { label: 'Object', type: 'guid' },
    'dcerpc.opnum': { label: 'Opnum', type: 'u16' },
    'dcerpc.request_in': { label: 'Request in frame', type: 'framenum' },
    'dcerpc.reserved': { label: 'Reserved', type: 'bytes' },
    'dcerpc.stub_data': { label: 'Stub data', type: 'bytes' },
    'dcerpc.auth_type': { label: 'Auth type', type: 'u8' },
    'dcerpc.auth_level': { label: 'Auth level', type: 'u8' },
  },
  dissect(c) {
    const start = c.pos;
    const key = typeof c.ctx['dcerpcKey'] === 'string' ? (c.ctx['dcerpcKey'] as string) : undefined;
    const ver = c.u8('dcerpc.ver');
    const minor = c.u8('dcerpc.ver_minor');
    if (ver !== 5) c.malformed(`DCE/RPC version ${ver}.${minor} is not connection-oriented version 5`, 'dcerpc.ver', start);
    const type = c.u8('dcerpc.pkt_type');
    const flags = c.peek8();
    c.group('dcerpc.cn_flags', () => {
      for (const [k, mask] of FLAGS) c.flag(`dcerpc.cn_flags.${k}`, 1, mask);
      return c.u8();
    }, 1);
    const drep = c.peek8();
    const little = drep >> 4 === 1;
    c.group('dcerpc.drep', () => {
      c.bits('dcerpc.drep.byteorder', 1, 0xf0);
      c.bits('dcerpc.drep.character', 1, 0x0f);
      c.skip(1);
      c.u8('dcerpc.drep.fp');
      c.skip(2);
      return c.span(c.pos - 4, c.pos);
    }, 4);
    const fragLen = c.u16('dcerpc.cn_frag_len', little);
    const authLen = c.u16('dcerpc.cn_auth_len', little);
    const callId = c.u32('dcerpc.cn_call_id', little);
    if (fragLen < 16) c.malformed(`fragment length ${fragLen} is shorter than the header`, 'dcerpc.cn_frag_len', start + 8);
    if (c.ctx['nbssEnd'] === undefined && start + fragLen <= c.repEnd) c.limit(fragLen);
    const end = Math.min(start + fragLen, c.repEnd);
    const stubEnd = Math.max(c.pos, end - (authLen > 0 ? authLen + 8 : 0));
    const fragment = (flags & 3) === 3 ? 'Single' : flags & 1 ? 'First' : flags & 2 ? 'Last' : 'Mid';
    const conns = c.session('dcerpc connections', newConnections);
    let conn = key === undefined ? undefined : conns.get(key);
    if (key !== undefined && conn === undefined && (type === BIND || type === ALTER_CONTEXT)) {
      conn = { contexts: new Map(), calls: new BoundedMap(MAX_CALLS) };
      conns.set(key, conn);
    }
    const typeName = PKT_TYPES[type] ?? `Unknown (${type})`;
    let summary = `${typeName}: call_id: ${callId}, Fragment: ${fragment}`;
    c.provisional = summary;
    let next: { protocol: string; ctx: Record<string, unknown> } | undefined;
    switch (type) {
      case BIND:
      case ALTER_CONTEXT: {
        c.u16('dcerpc.cn_max_xmit', little);
        c.u16('dcerpc.cn_max_recv', little);
        c.u32('dcerpc.cn_assoc_group', little);
        const n = c.u8('dcerpc.cn_num_ctx_items');
        c.skip(3);
        const names: string[] = [];
        for (let i = 0; i < Math.min(n, MAX_ITEMS); i++) names.push(contextItem(c, little, i, conn));
        summary += `, ${n} context items: ${names.join(', ')}`;
        break;
      }
      case BIND_ACK:
      case ALTER_CONTEXT_RESP: {
        const xmit = c.u16('dcerpc.cn_max_xmit', little);
        const recv = c.u16('dcerpc.cn_max_recv', little);
        c.u32('dcerpc.cn_assoc_group', little);
        const alen = c.u16('dcerpc.cn_sec_addr_len', little);
        if (alen > 0) {
          const at = c.pos;
          const raw = c.bytes(undefined, alen);
          let s = '';
          for (const b of raw) {
            if (b === 0) break;
            s += String.fromCharCode(b);
          }
          c.add('dcerpc.cn_sec_addr', s, at, alen);
        }
        const pad = (4 - ((c.pos - start) % 4)) % 4;
        if (pad > 0) c.skip(pad);
        const n = c.u8('dcerpc.cn_num_results');
        c.skip(3);
        const results: string[] = [];
        for (let i = 0; i < Math.min(n, MAX_ITEMS); i++) {
          const r = c.u16('dcerpc.cn_ack_result', little);
          c.u16('dcerpc.cn_ack_reason', little);
          const at = c.pos;
          c.need(16);
          c.add('dcerpc.cn_ack_trans_id', uuidAt(c.data, at, little), at, 16);
          c.skip(16);
          c.u32('dcerpc.cn_ack_trans_ver', little);
          results.push(ACK_RESULTS[r] ?? `Unknown (${r})`);
        }
        summary += `, max_xmit: ${xmit} max_recv: ${recv}, ${n} results: ${results.join(', ')}`;
        break;
      }
      case BIND_NAK:
        c.u16('dcerpc.cn_reject_reason', little);
        break;
      case REQUEST: {
        c.u32('dcerpc.cn_alloc_hint', little);
        const ctxId = c.u16('dcerpc.cn_ctx_id', little);
        const opnum = c.u16('dcerpc.opnum', little);
        if (flags & 0x80) {
          const at = c.pos;
          c.need(16);
          c.add('dcerpc.obj_id', uuidAt(c.data, at, little), at, 16);
          c.skip(16);
        }
        summary += `, opnum: ${opnum}, Ctx: ${ctxId}`;
        const uuid = conn?.contexts.get(ctxId);
        conn?.calls.set(callId, { opnum, uuid, frame: c.frameNumber });
        next = stub(c, uuid, { opnum, request: true, little, stubEnd, requestFrame: 0 });
        break;
      }
      case RESPONSE:
      case FAULT: {
        c.u32('dcerpc.cn_alloc_hint', little);
        const ctxId = c.u16('dcerpc.cn_ctx_id', little);
        c.u8('dcerpc.cn_cancel_count');
        c.bytes('dcerpc.reserved', 1);
        summary += `, Ctx: ${ctxId}`;
        const call = conn?.calls.get(callId);
        if (call !== undefined) {
          c.add('dcerpc.opnum', call.opnum, start, 0);
          c.add('dcerpc.request_in', call.frame, start, 0, `Request in frame: ${call.frame}`);
        }
        if (type === FAULT) {
          c.u32('dcerpc.cn_status', little);
          c.bytes('dcerpc.reserved', 4);
        } else if (call !== undefined) {
          next = stub(c, call.uuid, { opnum: call.opnum, request: false, little, stubEnd, requestFrame: call.frame });
        }
        break;
      }
      default:
        break;
    }
    if (next === undefined && c.pos < stubEnd && (type === REQUEST || type === RESPONSE)) c.bytes('dcerpc.stub_data', Math.min(stubEnd, c.capEnd) - c.pos);
    if (next === undefined && c.pos < end) c.seek(Math.min(end, c.capEnd));
    return {
      summary,
      info: { type, callId },
      next: next ?? smbPayloadTail(c),
    };
  },
});

/** What an interface's dissector gets in `ctx.dcerpc`. */
export interface DcerpcCall {
  readonly opnum: number;
  readonly request: boolean;
  readonly little: boolean;
  readonly stubEnd: number;
  readonly requestFrame: number;
}

/** The dispatch to the interface's dissector for the stub data, when the interface has one. */
function stub(c: Cursor, uuid: string | undefined, call: DcerpcCall): { protocol: string; ctx: Record<string, unknown> } | undefined {
  const protocol = uuid === undefined ? undefined : INTERFACES[uuid]?.protocol;
  if (protocol === undefined || c.pos > call.stubEnd) return undefined;
  return { protocol, ctx: { dcerpc: call } };
}

/** One context item of a Bind: its id, interface and transfer syntaxes; returns its Info text. */
function contextItem(c: Cursor, little: boolean, index: number, conn: Connection | undefined): string {
  let text = '';
  c.group('dcerpc.cn_ctx_item', () => {
    const ctxId = c.u16('dcerpc.cn_ctx_id', little);
    const n = c.u8('dcerpc.cn_num_trans_items');
    c.skip(1);
    let at = c.pos;
    c.need(20);
    const uuid = uuidAt(c.data, at, little);
    const iface = INTERFACES[uuid]?.name ?? uuid;
    let ver = 0;
    let verMinor = 0;
    c.group('dcerpc.cn_bind_abstract_syntax', () => {
      c.add('dcerpc.cn_bind_to_uuid', uuid, at, 16, `Interface: ${iface} UUID: ${uuid}`);
      c.skip(16);
      ver = c.u16('dcerpc.cn_bind_if_ver', little);
      verMinor = c.u16('dcerpc.cn_bind_if_ver_minor', little);
      return '';
    }, 20, () => `Abstract Syntax: ${iface} V${ver}.${verMinor}`);
    conn?.contexts.set(ctxId, uuid);
    if (conn !== undefined && conn.contexts.size > MAX_CALLS) conn.contexts.delete(conn.contexts.keys().next().value!);
    const syntaxes: string[] = [];
    for (let i = 0; i < Math.min(n, MAX_ITEMS); i++) {
      at = c.pos;
      c.need(20);
      const id = uuidAt(c.data, at, little);
      const name = SYNTAXES[id] ?? id;
      let sver = 0;
      c.group('dcerpc.cn_bind_trans', () => {
        c.add('dcerpc.cn_bind_trans_id', id, at, 16, `Transfer Syntax: ${name} UUID:${id}`);
        c.skip(16);
        sver = c.u32('dcerpc.cn_bind_trans_ver', little);
        return '';
      }, 20, () => `Transfer Syntax[${i + 1}]: ${name} V${sver}`);
      syntaxes.push(name);
    }
    text = `${iface} V${ver}.${verMinor} (${syntaxes.join(', ')})`;
    return '';
  }, -1, () => `Ctx Item[${index + 1}]: ${text}`);
  return text;
}
