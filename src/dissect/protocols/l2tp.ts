import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const MESSAGE_TYPES: Record<number, string> = {
  0: 'Zero Length Bit message',
  1: 'Start_Control_Request',
  2: 'Start_Control_Reply',
  3: 'Start_Control_Connected',
  4: 'Stop_Control_Notification',
  6: 'Hello',
  7: 'Outgoing_Call_Request',
  8: 'Outgoing_Call_Reply',
  9: 'Outgoing_Call_Connected',
  10: 'Incoming_Call_Request',
  11: 'Incoming_Call_Reply',
  12: 'Incoming_Call_Connected',
  14: 'Call_Disconnect_Notification',
  15: 'WAN_Error_Notify',
  16: 'Set_Link_Info',
};

/** Most AVPs read from one control message. */
const MAX_AVPS = 256;

function readAvps(c: Cursor, end: number): number | undefined {
  let messageType: number | undefined;
  // `end` is where the message ends as its length says; a read past the captured bytes before
  // it is a truncation (the cursor reports it), past `end` a malformed AVP.
  for (let i = 0; c.pos + 6 <= end; i++) {
    if (i >= MAX_AVPS) {
      c.expert('warning', `more than ${MAX_AVPS} AVPs; the rest is not dissected`, 'l2tp.avp.type');
      break;
    }
    const at = c.pos;
    const len = c.peek16() & 0x03ff;
    if (len < 6 || at + len > end) c.malformed(`L2TP AVP length ${len}`, 'l2tp.avp.length', at);
    c.flag('l2tp.avp.mandatory', 2, 0x8000);
    c.flag('l2tp.avp.hidden', 2, 0x4000);
    c.bits('l2tp.avp.length', 2, 0x03ff);
    c.skip(2);
    const vendor = c.u16('l2tp.avp.vendor_id');
    const type = c.u16('l2tp.avp.type');
    if (vendor === 0 && type === 0 && len === 8 && i === 0) messageType = c.u16('l2tp.avp.message_type');
    if (c.pos < at + len) c.skip(at + len - c.pos);
  }
  return messageType;
}

/** Layer 2 Tunneling Protocol version 2 (RFC 2661, UDP 1701) and version 3 over IP (RFC 3931, protocol 115). */
export const l2tp = defineProtocol({
  id: 'l2tp',
  name: 'Layer 2 Tunneling Protocol',
  short: 'L2TP',
  bindings: [
    { table: 'udp.port', key: 1701 },
    { table: 'ip.proto', key: 115 },
  ],
  fields: {
    'l2tp.flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'l2tp.type': { label: 'Type', type: 'u16', mask: 0x8000, values: { 0: 'Data Message', 1: 'Control Message' } },
    'l2tp.length_bit': { label: 'Length Bit', type: 'bool', mask: 0x4000, tfs: ['Length field is present', 'Length field is not present'] },
    'l2tp.seq_bit': { label: 'Sequence Bit', type: 'bool', mask: 0x0800, tfs: ['Ns and Nr fields are present', 'Ns and Nr fields are not present'] },
    'l2tp.offset_bit': { label: 'Offset bit', type: 'bool', mask: 0x0200, tfs: ['Offset Size field is present', 'Offset size field is not present'] },
    'l2tp.priority': { label: 'Priority', type: 'bool', mask: 0x0100, tfs: ['This data message has priority', 'No priority'] },
    'l2tp.version': { label: 'Version', type: 'u16', mask: 0x000f },
    'l2tp.length': { label: 'Length', type: 'u16' },
    'l2tp.tunnel': { label: 'Tunnel ID', type: 'u16' },
    'l2tp.session': { label: 'Session ID', type: 'u16' },
    'l2tp.Ns': { label: 'Ns', type: 'u16' },
    'l2tp.Nr': { label: 'Nr', type: 'u16' },
    'l2tp.offset': { label: 'Offset', type: 'u16' },
    'l2tp.sid': { label: 'Session ID', type: 'u32', base: 'hex' },
    'l2tp.ccid': { label: 'Control Connection ID', type: 'u32', base: 'hex' },
    'l2tp.res': { label: 'Reserved', type: 'u16', base: 'hex' },
    'l2tp.avp.mandatory': { label: 'Mandatory', type: 'bool', mask: 0x8000 },
    'l2tp.avp.hidden': { label: 'Hidden', type: 'bool', mask: 0x4000 },
    'l2tp.avp.length': { label: 'Length', type: 'u16', mask: 0x03ff },
    'l2tp.avp.vendor_id': { label: 'Vendor ID', type: 'u16' },
    'l2tp.avp.type': { label: 'AVP Type', type: 'u16' },
    'l2tp.avp.message_type': { label: 'Message Type', type: 'u16', values: MESSAGE_TYPES },
  },
  dissect(c) {
    const start = c.pos;
    const overIp = c.below[c.below.length - 1]?.protocol !== 'udp';
    if (overIp) {
      // L2TPv3 over IP: a session ID, 0 for control messages (then as over UDP, without tunnel/session).
      const sid = c.u32('l2tp.sid');
      if (sid !== 0) return { summary: c.summaries ? `L2TPv3 data, session 0x${sid.toString(16).padStart(8, '0')}` : '', info: { sid }, next: { protocol: 'data' } };
    }
    const flags = c.peek16();
    const control = (flags & 0x8000) !== 0;
    const version = flags & 0x000f;
    c.group('l2tp.flags', () => {
      c.bits('l2tp.type', 2, 0x8000);
      c.flag('l2tp.length_bit', 2, 0x4000);
      c.flag('l2tp.seq_bit', 2, 0x0800);
      c.flag('l2tp.offset_bit', 2, 0x0200);
      c.flag('l2tp.priority', 2, 0x0100);
      c.bits('l2tp.version', 2, 0x000f);
      return c.u16();
    }, 2);
    const base = c.pos - 2;
    if (version === 3) {
      if (control) {
        c.u16('l2tp.length');
        c.u32('l2tp.ccid');
        c.u16('l2tp.Ns');
        c.u16('l2tp.Nr');
        const mt = readAvps(c, c.repEnd);
        return { summary: c.summaries ? `L2TPv3 ${mt !== undefined ? MESSAGE_TYPES[mt] ?? `Unknown (${mt})` : 'control message'}` : '', info: { version, control } };
      }
      const sid = c.u32('l2tp.sid');
      return { summary: c.summaries ? 'L2TPv3 data' : '', info: { version, sid }, next: { protocol: 'data' } };
    }
    if (version !== 2) {
      c.expert('warning', `unknown L2TP version ${version}`, 'l2tp.version', base);
      return { summary: `Unknown L2TP version ${version}`, info: { version }, payloadOffset: c.capEnd };
    }
    let length: number | undefined;
    if ((flags & 0x4000) !== 0) {
      length = c.u16('l2tp.length');
      // The length counts from the flags; one that ends inside the bytes already read is broken.
      if (length < c.pos - base) c.malformed(`L2TP length ${length} is shorter than the ${c.pos - base} bytes read`, 'l2tp.length', c.pos - 2);
      c.limit(base - start + length, 'l2tp.length');
    }
    const tunnel = c.u16('l2tp.tunnel');
    const session = c.u16('l2tp.session');
    if ((flags & 0x0800) !== 0) {
      c.u16('l2tp.Ns');
      c.u16('l2tp.Nr');
    }
    if ((flags & 0x0200) !== 0) {
      const off = c.u16('l2tp.offset');
      if (off > 0) c.skip(off);
    }
    const info = { version, control, tunnel, session };
    if (control) {
      const mt = readAvps(c, c.repEnd);
      const name = mt !== undefined ? MESSAGE_TYPES[mt] ?? `Unknown (${mt})` : 'Zero Length Bit message';
      return { summary: c.summaries ? `Control Message - ${name} (tunnel id=${tunnel}, session id=${session})` : '', info };
    }
    return {
      summary: c.summaries ? `Data Message (tunnel id=${tunnel}, session id=${session})` : '',
      info,
      next: c.reportedRemaining() > 0 ? { protocol: 'ppp' } : undefined,
    };
  },
});
