import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const MAGIC = 0x1a2b3c4d;

const CONTROL_TYPES: Readonly<Record<number, string>> = {
  1: 'Start-Control-Connection-Request',
  2: 'Start-Control-Connection-Reply',
  3: 'Stop-Control-Connection-Request',
  4: 'Stop-Control-Connection-Reply',
  5: 'Echo-Request',
  6: 'Echo-Reply',
  7: 'Outgoing-Call-Request',
  8: 'Outgoing-Call-Reply',
  9: 'Incoming-Call-Request',
  10: 'Incoming-Call-Reply',
  11: 'Incoming-Call-Connected',
  12: 'Call-Clear-Request',
  13: 'Call-Disconnect-Notify',
  14: 'WAN-Error-Notify',
  15: 'Set-Link-Info',
};

/** A NUL-padded text field: the text before the first NUL, over the whole field. */
function nulPadded(c: Cursor, key: string, n: number): string {
  const at = c.pos;
  const v = c.ascii(undefined, n);
  const nul = v.indexOf('\0');
  const s = nul < 0 ? v : v.substring(0, nul);
  c.add(key, s, at, n);
  return s;
}

/**
 * Point-to-Point Tunnelling Protocol control connection (TCP 1723, RFC 2637): the common header,
 * the Start-Control-Connection fields and the call ids of call messages.
 */
export const pptp = defineProtocol({
  id: 'pptp',
  name: 'Point-to-Point Tunnelling Protocol',
  short: 'PPTP',
  bindings: [{ table: 'tcp.port', key: 1723 }],
  fields: {
    'pptp.length': { label: 'Length', type: 'u16' },
    'pptp.type': { label: 'Message type', type: 'u16', values: { 1: 'Control Message', 2: 'Management Message' } },
    'pptp.magic_cookie': { label: 'Magic Cookie', type: 'u32', base: 'hex' },
    'pptp.control_message_type': { label: 'Control Message Type', type: 'u16', values: CONTROL_TYPES },
    'pptp.reserved': { label: 'Reserved', type: 'bytes' },
    'pptp.protocol_version': { label: 'Protocol version', type: 'u16' },
    'pptp.result_code': { label: 'Result Code', type: 'u8' },
    'pptp.error_code': { label: 'Error Code', type: 'u8' },
    'pptp.framing_capabilities': { label: 'Framing Capabilities', type: 'u32' },
    'pptp.bearer_capabilities': { label: 'Bearer Capabilities', type: 'u32' },
    'pptp.maximum_channels': { label: 'Maximum Channels', type: 'u16' },
    'pptp.firmware_revision': { label: 'Firmware Revision', type: 'u16' },
    'pptp.host_name': { label: 'Host Name', type: 'string' },
    'pptp.vendor_name': { label: 'Vendor Name', type: 'string' },
    'pptp.call_id': { label: 'Call ID', type: 'u16' },
    'pptp.peer_call_id': { label: 'Peer Call ID', type: 'u16' },
  },
  dissect(c) {
    const start = c.pos;
    const length = c.u16('pptp.length');
    c.u16('pptp.type');
    const magic = c.u32('pptp.magic_cookie');
    if (magic !== MAGIC) c.expert('warning', `magic cookie 0x${magic.toString(16).padStart(8, '0')} is not 0x1a2b3c4d`, 'pptp.magic_cookie');
    const type = c.u16('pptp.control_message_type');
    const name = CONTROL_TYPES[type] ?? `Unknown control type (${type})`;
    c.provisional = () => name;
    c.bytes('pptp.reserved', 2);
    if (length >= 12 && length <= c.reportedRemaining() + (c.pos - start)) c.limit(length);
    let callId: number | undefined;
    if (type === 1 || type === 2) {
      c.u16('pptp.protocol_version');
      if (type === 1) c.bytes('pptp.reserved', 2);
      else {
        c.u8('pptp.result_code');
        c.u8('pptp.error_code');
      }
      c.u32('pptp.framing_capabilities');
      c.u32('pptp.bearer_capabilities');
      c.u16('pptp.maximum_channels');
      c.u16('pptp.firmware_revision');
      nulPadded(c, 'pptp.host_name', 64);
      nulPadded(c, 'pptp.vendor_name', 64);
    } else if (type >= 7 && type <= 15 && type !== 14) {
      callId = c.u16('pptp.call_id');
      if (type === 8 || type === 10 || type === 11) c.u16('pptp.peer_call_id');
    }
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary: name, info: { type, callId } };
  },
});
