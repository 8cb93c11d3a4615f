import { defineProtocol } from '../protocol.js';
import { ETHERTYPES } from './ethertypes.js';

const OPCODES: Record<number, string> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  8: 'inverse request',
  9: 'inverse reply',
  10: 'ARP-NAK',
};

const HW_TYPES: Record<number, string> = {
  1: 'Ethernet',
  6: 'IEEE 802 Networks',
  7: 'ARCNET',
  15: 'Frame Relay',
  16: 'Asynchronous Transmission Mode (ATM)',
  18: 'Fibre Channel',
  20: 'Serial Line',
  24: 'IEEE 1394.1995',
  32: 'InfiniBand',
};

/** ARP and RARP (the same packet; RARP only differs in ethertype and opcodes). */
export const arp = defineProtocol({
  id: 'arp',
  name: 'Address Resolution Protocol',
  short: 'ARP',
  bindings: [
    { table: 'ethertype', key: 0x0806 },
    { table: 'ethertype', key: 0x8035 },
  ],
  fields: {
    'arp.hw.type': { label: 'Hardware type', type: 'u16', values: HW_TYPES },
    'arp.proto.type': { label: 'Protocol type', type: 'u16', base: 'hex', values: ETHERTYPES },
    'arp.hw.size': { label: 'Hardware size', type: 'u8' },
    'arp.proto.size': { label: 'Protocol size', type: 'u8' },
    'arp.opcode': { label: 'Opcode', type: 'u16', values: OPCODES },
    'arp.src.hw_mac': { label: 'Sender MAC address', type: 'ether' },
    'arp.src.hw': { label: 'Sender hardware address', type: 'bytes' },
    'arp.src.proto_ipv4': { label: 'Sender IP address', type: 'ipv4' },
    'arp.src.proto': { label: 'Sender protocol address', type: 'bytes' },
    'arp.dst.hw_mac': { label: 'Target MAC address', type: 'ether' },
    'arp.dst.hw': { label: 'Target hardware address', type: 'bytes' },
    'arp.dst.proto_ipv4': { label: 'Target IP address', type: 'ipv4' },
    'arp.dst.proto': { label: 'Target protocol address', type: 'bytes' },
    'arp.isgratuitous': { label: 'Is gratuitous', type: 'bool' },
  },
  dissect(c) {
    const start = c.pos;
    const hwType = c.u16('arp.hw.type');
    const protoType = c.u16('arp.proto.type');
    const hwSize = c.u8('arp.hw.size');
    const protoSize = c.u8('arp.proto.size');
    const op = c.u16('arp.opcode');
    const hw = (macKey: string, rawKey: string): string =>
      hwSize === 6 ? c.mac(macKey) : [...c.bytes(rawKey, hwSize)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    const proto = (v4Key: string, rawKey: string): string =>
      protoSize === 4 && (protoType === 0x0800 || protoType === 0x0001) ? c.ipv4(v4Key) : [...c.bytes(rawKey, protoSize)].join('.');
    const srcHw = hw('arp.src.hw_mac', 'arp.src.hw');
    const srcProto = proto('arp.src.proto_ipv4', 'arp.src.proto');
    const dstHw = hw('arp.dst.hw_mac', 'arp.dst.hw');
    const dstProto = proto('arp.dst.proto_ipv4', 'arp.dst.proto');
    c.limit(c.pos - start);
    const gratuitous = (op === 1 || op === 2) && srcProto === dstProto;
    if (gratuitous) c.add('arp.isgratuitous', true, start, 0);
    const rarp = op === 3 || op === 4;
    const summary = (): string => {
      if (op === 1) return gratuitous ? `Gratuitous ARP for ${srcProto} (Request)` : `Who has ${dstProto}? Tell ${srcProto}`;
      if (op === 2) return gratuitous ? `Gratuitous ARP for ${srcProto} (Reply)` : `${srcProto} is at ${srcHw}`;
      if (op === 3) return `Who is ${dstHw}? Tell ${srcHw}`;
      if (op === 4) return `${dstHw} is at ${dstProto}`;
      return OPCODES[op] ?? `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
    };
    return {
      name: rarp ? 'RARP' : 'ARP',
      summary,
      info: { opcode: op, hwType, protoType, srcHw, srcProto, dstHw, dstProto },
    };
  },
});
