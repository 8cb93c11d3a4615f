import { defineProtocol } from '../protocol.js';

const MESSAGES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'PFCP Heartbeat Request',
  2: 'PFCP Heartbeat Response',
  3: 'PFCP PFD Management Request',
  4: 'PFCP PFD Management Response',
  5: 'PFCP Association Setup Request',
  6: 'PFCP Association Setup Response',
  7: 'PFCP Association Update Request',
  8: 'PFCP Association Update Response',
  9: 'PFCP Association Release Request',
  10: 'PFCP Association Release Response',
  11: 'PFCP Version Not Supported Response',
  12: 'PFCP Node Report Request',
  13: 'PFCP Node Report Response',
  14: 'PFCP Session Set Deletion Request',
  15: 'PFCP Session Set Deletion Response',
  16: 'PFCP Session Set Modification Request',
  17: 'PFCP Session Set Modification Response',
  50: 'PFCP Session Establishment Request',
  51: 'PFCP Session Establishment Response',
  52: 'PFCP Session Modification Request',
  53: 'PFCP Session Modification Response',
  54: 'PFCP Session Deletion Request',
  55: 'PFCP Session Deletion Response',
  56: 'PFCP Session Report Request',
  57: 'PFCP Session Report Response',
};

/** Most information elements read from one message. */
const MAX_IES = 1024;

/**
 * Packet Forwarding Control Protocol (UDP 8805, 3GPP TS 29.244): the header (flags, type,
 * length, SEID when the S flag is set, sequence number) and the type and length of each
 * top-level information element.
 */
export const pfcp = defineProtocol({
  id: 'pfcp',
  name: 'Packet Forwarding Control Protocol',
  short: 'PFCP',
  bindings: [{ table: 'udp.port', key: 8805 }],
  fields: {
    'pfcp.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'pfcp.version': { label: 'Version', type: 'u8', mask: 0xe0 },
    'pfcp.fo_flag': { label: 'Follow On (FO)', type: 'bool', mask: 0x04 },
    'pfcp.mp_flag': { label: 'Message Priority (MP)', type: 'bool', mask: 0x02 },
    'pfcp.s': { label: 'SEID (S)', type: 'bool', mask: 0x01 },
    'pfcp.msg_type': { label: 'Message Type', type: 'u8', values: MESSAGES },
    'pfcp.length': { label: 'Length', type: 'u16' },
    'pfcp.seid': { label: 'SEID', type: 'u64', base: 'hex' },
    'pfcp.seqno': { label: 'Sequence Number', type: 'u24' },
    'pfcp.ie_type': { label: 'IE Type', type: 'u16' },
    'pfcp.ie_len': { label: 'IE Length', type: 'u16' },
  },
  dissect(c) {
    const start = c.pos;
    const flags = c.peek8();
    c.group('pfcp.flags', () => {
      c.bits('pfcp.version', 1, 0xe0);
      c.flag('pfcp.fo_flag', 1, 0x04);
      c.flag('pfcp.mp_flag', 1, 0x02);
      c.flag('pfcp.s', 1, 0x01);
      return c.u8();
    }, 1);
    const type = c.u8('pfcp.msg_type');
    const summary = MESSAGES[type] ?? `Unknown (${type})`;
    c.provisional = () => summary;
    const length = c.u16('pfcp.length');
    if (length + 4 <= c.reportedRemaining() + (c.pos - start)) c.limit(length + 4);
    else c.expert('warning', `length ${length} exceeds the datagram`, 'pfcp.length');
    let seid: bigint | undefined;
    if ((flags & 0x01) !== 0) seid = c.u64('pfcp.seid');
    const seq = c.u24('pfcp.seqno');
    c.skip(1); // spare (or message priority)
    let n = 0;
    while (c.capEnd - c.pos >= 4 && n++ < MAX_IES) {
      c.u16('pfcp.ie_type');
      const len = c.u16('pfcp.ie_len');
      c.skip(Math.min(len, c.capEnd - c.pos));
    }
    if (n > MAX_IES) c.expert('note', `more than ${MAX_IES} information elements; the rest is not read`);
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { type, seid, seq } };
  },
});
