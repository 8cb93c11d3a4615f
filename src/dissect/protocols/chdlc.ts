import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

/** Cisco HDLC protocol numbers: Ethertypes, plus Cisco's own. */
export const CHDLC_TYPES: Readonly<Record<number, string>> = {
  ...ETHERTYPES,
  0x2000: 'Cisco Discovery Protocol',
  0x8035: 'SLARP',
  0xfefe: 'OSI',
};

/**
 * Where a Cisco HDLC protocol number leads: SLARP and CDP by id (0x8035 is RARP as an
 * Ethertype), everything else through the Ethertype table, as Wireshark's `chdlc.protocol`
 * table holds the same protocols under the same numbers.
 */
export function chdlcNext(type: number): { protocol: string } | { table: string; keys: number[] } {
  if (type === 0x8035) return { protocol: 'slarp' };
  if (type === 0x2000) return { protocol: 'cdp' };
  return { table: 'ethertype', keys: [type] };
}

/** Cisco HDLC (LINKTYPE_C_HDLC 104): address, control, 2-byte protocol. */
export const chdlc = defineProtocol({
  id: 'chdlc',
  name: 'Cisco HDLC',
  short: 'CHDLC',
  bindings: [{ table: 'linktype', key: 104 }],
  fields: {
    'chdlc.address': { label: 'Address', type: 'u8', base: 'hex', values: { 0x0f: 'Unicast', 0x8f: 'Multicast' } },
    'chdlc.control': { label: 'Control', type: 'u8', base: 'hex' },
    'chdlc.protocol': { label: 'Protocol', type: 'u16', base: 'hex', values: CHDLC_TYPES },
  },
  dissect(c) {
    const address = c.u8('chdlc.address');
    c.u8('chdlc.control');
    const type = c.u16('chdlc.protocol');
    const name = CHDLC_TYPES[type] ?? `0x${type.toString(16).padStart(4, '0')}`;
    return {
      summary: () => `${address === 0x8f ? 'Multicast' : address === 0x0f ? 'Unicast' : `Address 0x${address.toString(16).padStart(2, '0')}`}, Protocol: ${name}`,
      info: { address, type },
      next: chdlcNext(type),
    };
  },
});

const SLARP_TYPES: Record<number, string> = { 0: 'Request', 1: 'Reply', 2: 'Line keepalive' };

/** Cisco Serial Line ARP: address requests and replies, and line keepalives. */
export const slarp = defineProtocol({
  id: 'slarp',
  name: 'Cisco SLARP',
  short: 'SLARP',
  fields: {
    'slarp.ptype': { label: 'Packet type', type: 'u32', values: SLARP_TYPES },
    'slarp.address': { label: 'Address', type: 'ipv4' },
    'slarp.netmask': { label: 'Netmask', type: 'ipv4' },
    'slarp.mysequence': { label: 'Outgoing sequence number', type: 'u32' },
    'slarp.yoursequence': { label: 'Returned sequence number', type: 'u32' },
    'slarp.reliability': { label: 'Reliability', type: 'u16', base: 'hex' },
  },
  dissect(c) {
    const start = c.pos;
    const ptype = c.u32('slarp.ptype');
    if (ptype === 0 || ptype === 1) {
      const address = c.ipv4('slarp.address');
      const mask = c.ipv4('slarp.netmask');
      // Anything after the mask is unused: it becomes link padding.
      c.limit(c.pos - start);
      return {
        summary: () => `${SLARP_TYPES[ptype]}, from ${address}, mask ${mask}`,
        info: { ptype, address, mask },
        payloadOffset: c.pos,
      };
    }
    if (ptype === 2) {
      const mine = c.u32('slarp.mysequence');
      const yours = c.u32('slarp.yoursequence');
      const reliability = c.u16('slarp.reliability');
      if (reliability !== 0xffff) c.expert('warning', 'Reliability must be 0xFFFF', 'slarp.reliability', c.pos - 2);
      c.limit(14);
      return {
        summary: () => `Line keepalive, outgoing sequence ${mine}, returned sequence ${yours}`,
        info: { ptype, mysequence: mine, yoursequence: yours },
      };
    }
    return { summary: () => `Unknown packet type 0x${ptype.toString(16).padStart(8, '0')}`, info: { ptype } };
  },
});
