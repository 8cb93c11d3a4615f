import type { Cursor } from '../cursor.js';
import { defineProtocol, type DissectResult } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

const PACKET_TYPES: Record<number, string> = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};

const HA_TYPES: Record<number, string> = {
  1: 'Ethernet',
  6: 'IEEE 802',
  15: 'Frame Relay',
  24: 'IEEE 1394',
  32: 'InfiniBand',
  280: 'Controller Area Network',
  512: 'PPP',
  772: 'Loopback',
  776: 'IPv6-in-IPv4',
  778: 'GRE over IP',
  801: 'IEEE 802.11',
  803: 'IEEE 802.11 + radiotap header',
  804: 'IEEE 802.15.4',
  820: 'Netlink',
  824: 'Netlink',
  0xfffe: 'None',
  0xffff: 'Void',
};

/** Linux protocol numbers used in the protocol field when it is 1536 or less (`sll.ltype`). */
const LINUX_PROTOCOLS: Record<number, string> = {
  0x0001: 'Novell 802.3',
  0x0002: 'AX.25',
  0x0003: 'All',
  0x0004: '802.2 LLC',
  0x0005: 'SNAP',
  0x0007: 'PPP (HDLC)',
  0x000c: 'CAN',
  0x000d: 'CAN FD',
  0x0010: 'LocalTalk',
  0x0011: 'IrDA',
  0x0016: 'ISI',
  0x001a: 'Netlink',
  0x00f5: 'IEEE 802.15.4 (no FCS)',
  0x00f6: 'IEEE 802.15.4',
};

const ARPHRD_ETHER = 1;
const ARPHRD_IPGRE = 778;

const PROTO_NAMES = { ...ETHERTYPES, ...LINUX_PROTOCOLS };

/**
 * The source address: `sll.src.eth` for a 6-byte Ethernet address, `sll.src.ipv4` for GRE
 * tunnels, else raw bytes; the unused part of the 8-byte slot is `sll.unused`.
 */
function readAddress(c: Cursor, hatype: number, halen: number): string | undefined {
  const slot = c.pos;
  let src: string | undefined;
  if (halen === 6 && hatype === ARPHRD_ETHER) {
    src = c.mac('sll.src.eth');
  } else if (halen === 4 && hatype === ARPHRD_IPGRE) {
    src = c.ipv4('sll.src.ipv4');
  } else if (halen > 0) {
    const n = Math.min(halen, 8);
    c.bytes('sll.src.other', n);
    src = Array.from(c.data.subarray(slot, slot + n), (b) => b.toString(16).padStart(2, '0')).join(':');
  }
  const used = Math.min(halen, 8);
  if (used < 8) c.bytes('sll.unused', 8 - used);
  return src;
}

/** The protocol field: a Linux protocol number (≤ 1536), a GRE type, or an Ethertype. */
function readProtocol(c: Cursor, hatype: number): { key: string; proto: number } {
  const proto = c.peek16();
  const key = proto <= 1536 ? 'sll.ltype' : hatype === ARPHRD_IPGRE ? 'sll.gretype' : 'sll.etype';
  c.u16(key);
  return { key, proto };
}

/** The next table; the v2 hand-off marker is cleared so inner layers do not see it. */
function nextFor(key: string, proto: number): DissectResult['next'] {
  const ctx = { handedOffFrom: undefined };
  if (key === 'sll.ltype') return { table: 'sll.ltype', keys: [proto], ctx };
  // GRE protocol types (sll.gretype) are Ethertypes: the same table serves both.
  return { table: 'ethertype', keys: [proto], ctx };
}

function summaryOf(pkttype: number, src: string | undefined, proto: number): () => string {
  return () => {
    const parts = [PACKET_TYPES[pkttype] ?? `Unknown (${pkttype})`];
    if (src !== undefined) parts.push(`Src: ${src}`);
    parts.push(`Protocol: ${PROTO_NAMES[proto] ?? `0x${proto.toString(16).padStart(4, '0')}`}`);
    return parts.join(', ');
  };
}

const FIELDS = {
  'sll.pkttype': { label: 'Packet type', type: 'u16', values: PACKET_TYPES },
  'sll.hatype': { label: 'Link-layer address type', type: 'u16', values: HA_TYPES },
  'sll.halen': { label: 'Link-layer address length', type: 'u16' },
  'sll.src.eth': { label: 'Source', type: 'ether' },
  'sll.src.ipv4': { label: 'Source', type: 'ipv4' },
  'sll.src.other': { label: 'Source', type: 'bytes' },
  'sll.unused': { label: 'Unused', type: 'bytes' },
  'sll.ltype': { label: 'Protocol', type: 'u16', base: 'hex', values: LINUX_PROTOCOLS },
  'sll.gretype': { label: 'Protocol', type: 'u16', base: 'hex', values: ETHERTYPES },
  'sll.etype': { label: 'Protocol', type: 'u16', base: 'hex', values: ETHERTYPES },
  'sll.ifindex': { label: 'Interface index', type: 'u32' },
} as const;

/**
 * Linux cooked-mode capture: v1 (LINKTYPE_LINUX_SLL, 16-byte header) and v2 (reached through
 * the `sll2` hand-off below, 20-byte header). Wireshark 4.0 shows both as the `sll` protocol
 * with the same field names (v2's packet type and address length are 1 byte).
 */
export const sll = defineProtocol({
  id: 'sll',
  name: 'Linux cooked capture v1',
  short: 'SLL',
  bindings: [{ table: 'linktype', key: 113 }],
  fields: FIELDS,
  dissect(c) {
    if (c.ctx['handedOffFrom'] === 'sll2') return dissectV2(c);
    const pkttype = c.u16('sll.pkttype');
    const hatype = c.u16('sll.hatype');
    const halen = c.u16('sll.halen');
    const src = readAddress(c, hatype, halen);
    const { key, proto } = readProtocol(c, hatype);
    return {
      summary: summaryOf(pkttype, src, proto),
      info: { pkttype, hatype, halen, src, protocol: proto, version: 1 },
      next: nextFor(key, proto),
    };
  },
});

function dissectV2(c: Cursor): DissectResult {
  // On the wire: protocol, reserved, ifindex, hatype, pkttype, halen, address.
  const hatype = c.peek16(8);
  const { key, proto } = readProtocol(c, hatype);
  c.skip(2);
  const ifindex = c.u32('sll.ifindex');
  c.u16('sll.hatype');
  const pkttype = c.u8('sll.pkttype');
  const halen = c.u8('sll.halen');
  const src = readAddress(c, hatype, halen);
  return {
    name: 'SLL2',
    summary: summaryOf(pkttype, src, proto),
    info: { pkttype, hatype, halen, src, protocol: proto, ifindex, version: 2 },
    next: nextFor(key, proto),
  };
}

/** LINKTYPE_LINUX_SLL2: hands the frame to `sll`, which reads the v2 layout. */
export const sll2 = defineProtocol({
  id: 'sll2',
  name: 'Linux cooked capture v2',
  short: 'SLL2',
  bindings: [{ table: 'linktype', key: 276 }],
  fields: {},
  dissect: () => ({ handoff: 'sll' }),
});
