import { defineProtocol } from '../protocol.js';

const PROTOCOL_IDS: Record<number, string> = {
  0xc4: 'RFC 1201 IPv6',
  0xd4: 'RFC 1201 IP',
  0xd5: 'RFC 1201 ARP',
  0xd6: 'RFC 1201 RARP',
  0xdd: 'AppleTalk',
  0xe8: 'Diagnose',
  0xf0: 'RFC 1051 IP',
  0xf1: 'RFC 1051 ARP',
  0xfa: 'IPX',
};

/** RFC 1201 protocols carry a split flag and a sequence number after the protocol id. */
const HAS_SPLIT_FLAG = new Set([0xc4, 0xd4, 0xd5, 0xd6, 0xdd, 0xfa]);

/** Where each protocol id leads (Wireshark's `arcnet.protocol_id` table). */
const NEXT: Record<number, string> = { 0xc4: 'ipv6', 0xd4: 'ip', 0xf0: 'ip', 0xd5: 'arp', 0xf1: 'arp', 0xd6: 'arp' };

/**
 * ARCNET (LINKTYPE_ARCNET 7, and LINKTYPE_ARCNET_LINUX 129 which adds a 2-byte offset field
 * through the `arcnet.linux` hand-off): source and destination station ids, protocol id, and
 * for RFC 1201 the split flag (with exception packets) and sequence number.
 */
export const arcnet = defineProtocol({
  id: 'arcnet',
  name: 'ARCNET',
  short: 'ARCNET',
  bindings: [{ table: 'linktype', key: 7 }],
  fields: {
    'arcnet.src': { label: 'Source', type: 'u8', base: 'hex' },
    'arcnet.dst': { label: 'Dest', type: 'u8', base: 'hex' },
    'arcnet.offset': { label: 'Offset', type: 'bytes' },
    'arcnet.protID': { label: 'Protocol ID', type: 'u8', base: 'hex', values: PROTOCOL_IDS },
    'arcnet.split_flag': { label: 'Split Flag', type: 'u8' },
    'arcnet.exception_flag': { label: 'Exception Flag', type: 'u8', base: 'hex' },
    'arcnet.sequence': { label: 'Sequence', type: 'u16' },
    'arcnet.padding': { label: 'Padding', type: 'u16', base: 'hex' },
  },
  dissect(c) {
    const src = c.u8('arcnet.src');
    const dst = c.u8('arcnet.dst');
    if (c.ctx['handedOffFrom'] === 'arcnet.linux') c.bytes('arcnet.offset', 2);
    const protId = c.u8('arcnet.protID');
    let split: number | undefined;
    let seq: number | undefined;
    if (HAS_SPLIT_FLAG.has(protId)) {
      if (c.peek8() === 0xff) {
        // An exception packet: flag, padding, then the protocol id again.
        c.u8('arcnet.exception_flag');
        c.u16('arcnet.padding');
        c.u8('arcnet.protID');
      }
      split = c.u8('arcnet.split_flag');
      seq = c.u16('arcnet.sequence');
    }
    const next = NEXT[protId];
    const hex = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
    return {
      summary: () => `Src: ${hex(src)}, Dst: ${hex(dst)}, ${PROTOCOL_IDS[protId] ?? `Protocol ID ${hex(protId)}`}`,
      info: { src, dst, protId, split, seq },
      next: next !== undefined ? { protocol: next, ctx: { handedOffFrom: undefined } } : { table: 'arcnet.protocol_id', keys: [protId], ctx: { handedOffFrom: undefined } },
    };
  },
});

/** LINKTYPE_ARCNET_LINUX: hands the frame to `arcnet`, which then reads the offset field. */
export const arcnetLinux = defineProtocol({
  id: 'arcnet.linux',
  name: 'ARCNET (Linux)',
  short: 'ARCNET',
  bindings: [{ table: 'linktype', key: 129 }],
  fields: {},
  dissect: () => ({ handoff: 'arcnet' }),
});
