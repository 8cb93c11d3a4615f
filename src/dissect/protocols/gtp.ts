import { defineProtocol } from '../protocol.js';

const MESSAGES: Record<number, string> = {
  0x01: 'Echo request',
  0x02: 'Echo response',
  0x03: 'Version not supported',
  0x10: 'Create PDP context request',
  0x11: 'Create PDP context response',
  0x12: 'Update PDP context request',
  0x13: 'Update PDP context response',
  0x14: 'Delete PDP context request',
  0x15: 'Delete PDP context response',
  0x1a: 'Error indication',
  0x1f: 'Supported extension headers notification',
  0xfe: 'End marker',
  0xff: 'T-PDU',
};

const EXT_TYPES: Record<number, string> = {
  0x00: 'No more extension headers',
  0x20: 'Service Class Indicator',
  0x40: 'UDP Port',
  0x81: 'RAN Container',
  0x82: 'Long PDCP PDU Number',
  0x83: 'Xw RAN Container',
  0x84: 'NR RAN Container',
  0x85: 'PDU Session Container',
  0xc0: 'PDCP PDU Number',
};

/** Most extension headers followed in one packet. */
const MAX_EXTENSIONS = 32;

/**
 * GPRS Tunnelling Protocol version 1 (GTP-U on UDP 2152, GTP-C on 2123): header, sequence
 * number and extension headers; a T-PDU carries IPv4 or IPv6. Version 2 goes to `gtpv2`.
 */
export const gtp = defineProtocol({
  id: 'gtp',
  name: 'GPRS Tunneling Protocol',
  short: 'GTP',
  bindings: [
    { table: 'udp.port', key: 2152 },
    { table: 'udp.port', key: 2123 },
  ],
  fields: {
    'gtp.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'gtp.flags.version': { label: 'Version', type: 'u8', mask: 0xe0, values: { 0: 'GTP release 97/98 version', 1: 'GTP release 99 version', 2: 'GTPv2' } },
    'gtp.flags.payload': { label: 'Protocol type', type: 'u8', mask: 0x10, values: { 0: "GTP' (GTP Prime)", 1: 'GTP (GTP or GTP\' with GTP Prime)' } },
    'gtp.flags.reserved': { label: 'Reserved', type: 'u8', mask: 0x08 },
    'gtp.flags.e': { label: 'Is Next Extension Header present?', type: 'bool', mask: 0x04, tfs: ['Yes', 'No'] },
    'gtp.flags.s': { label: 'Is Sequence Number present?', type: 'bool', mask: 0x02, tfs: ['Yes', 'No'] },
    'gtp.flags.pn': { label: 'Is N-PDU number present?', type: 'bool', mask: 0x01, tfs: ['Yes', 'No'] },
    'gtp.message': { label: 'Message Type', type: 'u8', base: 'hex', values: MESSAGES },
    'gtp.length': { label: 'Length', type: 'u16' },
    'gtp.teid': { label: 'TEID', type: 'u32', base: 'hex_dec' },
    'gtp.seq_number': { label: 'Sequence number', type: 'u16', base: 'hex_dec' },
    'gtp.npdu_number': { label: 'N-PDU Number', type: 'u8', base: 'hex' },
    'gtp.next': { label: 'Next extension header type', type: 'u8', base: 'hex', values: EXT_TYPES },
    'gtp.ext_hdr.length': { label: 'Extension Header Length', type: 'u8' },
    'gtp.ext_hdr': { label: 'Extension header content', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const flags = c.peek8();
    const version = flags >> 5;
    if (version === 2) return { handoff: 'gtpv2' };
    c.group('gtp.flags', () => {
      c.bits('gtp.flags.version', 1, 0xe0);
      c.bits('gtp.flags.payload', 1, 0x10);
      c.bits('gtp.flags.reserved', 1, 0x08);
      c.flag('gtp.flags.e', 1, 0x04);
      c.flag('gtp.flags.s', 1, 0x02);
      c.flag('gtp.flags.pn', 1, 0x01);
      return c.u8();
    }, 1);
    if (version !== 1) {
      c.expert('note', `GTP version ${version} is not dissected`, 'gtp.flags.version', start);
      return { summary: `GTP version ${version}`, info: { version }, payloadOffset: c.capEnd };
    }
    const type = c.u8('gtp.message');
    const length = c.u16('gtp.length');
    const teid = c.u32('gtp.teid');
    c.limit(8 + length, 'gtp.length');
    if ((flags & 0x07) !== 0) {
      c.u16('gtp.seq_number');
      c.u8('gtp.npdu_number');
      let nextType = c.u8('gtp.next');
      for (let i = 0; nextType !== 0; i++) {
        if (i >= MAX_EXTENSIONS) {
          c.expert('warning', `more than ${MAX_EXTENSIONS} extension headers`, 'gtp.next');
          break;
        }
        const lenAt = c.pos;
        const units = c.u8('gtp.ext_hdr.length');
        if (units === 0) c.malformed('GTP extension header of length 0', 'gtp.ext_hdr.length', lenAt);
        if (units * 4 > 2) c.bytes('gtp.ext_hdr', units * 4 - 2);
        nextType = c.u8('gtp.next');
      }
    }
    const name = MESSAGES[type] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    const summary = c.summaries ? name : '';
    const info = { version, type, teid };
    if (type !== 0xff) return { summary, info, payloadOffset: c.capEnd };
    if (!c.has(1)) return { summary, info };
    const nibble = c.peek8() >> 4;
    return { summary, info, next: nibble === 6 ? { protocol: 'ipv6' } : nibble === 4 ? { protocol: 'ip' } : { protocol: 'data' } };
  },
});
