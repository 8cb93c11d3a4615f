import { defineProtocol } from '../protocol.js';

const MESSAGES: Record<number, string> = {
  1: 'Echo Request',
  2: 'Echo Response',
  3: 'Version Not Supported Indication',
  32: 'Create Session Request',
  33: 'Create Session Response',
  34: 'Modify Bearer Request',
  35: 'Modify Bearer Response',
  36: 'Delete Session Request',
  37: 'Delete Session Response',
  95: 'Create Bearer Request',
  96: 'Create Bearer Response',
  97: 'Update Bearer Request',
  98: 'Update Bearer Response',
  99: 'Delete Bearer Request',
  100: 'Delete Bearer Response',
  170: 'Release Access Bearers Request',
  171: 'Release Access Bearers Response',
  176: 'Downlink Data Notification',
  177: 'Downlink Data Notification Acknowledgement',
};

/** GPRS Tunnelling Protocol version 2 (3GPP TS 29.274): the header; information elements stay part of it. */
export const gtpv2 = defineProtocol({
  id: 'gtpv2',
  name: 'GPRS Tunneling Protocol V2',
  short: 'GTPv2',
  fields: {
    'gtpv2.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'gtpv2.version': { label: 'Version', type: 'u8', mask: 0xe0 },
    'gtpv2.p': { label: 'Piggybacking flag (P)', type: 'u8', mask: 0x10 },
    'gtpv2.t': { label: 'TEID flag (T)', type: 'u8', mask: 0x08 },
    'gtpv2.mp': { label: 'Message Priority(MP)', type: 'u8', mask: 0x04 },
    'gtpv2.message_type': { label: 'Message Type', type: 'u8', values: MESSAGES },
    'gtpv2.msg_length': { label: 'Message Length', type: 'u16' },
    'gtpv2.teid': { label: 'Tunnel Endpoint Identifier', type: 'u32', base: 'hex_dec' },
    'gtpv2.seq': { label: 'Sequence Number', type: 'u24', base: 'hex_dec' },
    'gtpv2.spare': { label: 'Spare', type: 'u16' },
  },
  dissect(c) {
    const flags = c.peek8();
    c.group('gtpv2.flags', () => {
      c.bits('gtpv2.version', 1, 0xe0);
      c.bits('gtpv2.p', 1, 0x10);
      c.bits('gtpv2.t', 1, 0x08);
      c.bits('gtpv2.mp', 1, 0x04);
      return c.u8();
    }, 1);
    const type = c.u8('gtpv2.message_type');
    const length = c.u16('gtpv2.msg_length');
    c.limit(4 + length, 'gtpv2.msg_length');
    let teid: number | undefined;
    if ((flags & 0x08) !== 0) teid = c.u32('gtpv2.teid');
    const seq = c.u24('gtpv2.seq');
    if ((flags & 0x04) !== 0) c.u8();
    else c.add('gtpv2.spare', c.u8(), c.pos - 1, 1);
    return {
      summary: c.summaries ? MESSAGES[type] ?? `Unknown (${type})` : '',
      info: { type, teid, seq },
      payloadOffset: c.capEnd,
    };
  },
});
