import { defineProtocol } from '../protocol.js';

const OPCODES: Record<number, string> = {
  1: 'Update',
  2: 'Request',
  3: 'Query',
  4: 'Reply',
  5: 'Hello',
  6: 'IPX SAP',
  10: 'SIA Query',
  11: 'SIA Reply',
};

/** Cisco's Enhanced Interior Gateway Routing Protocol (RFC 7868): the fixed header; TLVs stay part of it. */
export const eigrp = defineProtocol({
  id: 'eigrp',
  name: 'Cisco EIGRP',
  short: 'EIGRP',
  bindings: [{ table: 'ip.proto', key: 88 }],
  fields: {
    'eigrp.version': { label: 'Version', type: 'u8' },
    'eigrp.opcode': { label: 'Opcode', type: 'u8', values: OPCODES },
    'eigrp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'eigrp.flags': { label: 'Flags', type: 'u32', base: 'hex' },
    'eigrp.flags.init': { label: 'Init', type: 'bool', mask: 0x1 },
    'eigrp.flags.condrecv': { label: 'Conditional Receive', type: 'bool', mask: 0x2 },
    'eigrp.flags.restart': { label: 'Restart', type: 'bool', mask: 0x4 },
    'eigrp.flags.eot': { label: 'End Of Table', type: 'bool', mask: 0x8 },
    'eigrp.seq': { label: 'Sequence', type: 'u32' },
    'eigrp.ack': { label: 'Acknowledge', type: 'u32' },
    'eigrp.vrid': { label: 'Virtual Router ID', type: 'u16' },
    'eigrp.as': { label: 'Autonomous System', type: 'u16' },
  },
  dissect(c) {
    c.u8('eigrp.version');
    const opcode = c.u8('eigrp.opcode');
    c.u16('eigrp.checksum');
    c.group('eigrp.flags', () => {
      c.flag('eigrp.flags.init', 4, 0x1);
      c.flag('eigrp.flags.condrecv', 4, 0x2);
      c.flag('eigrp.flags.restart', 4, 0x4);
      c.flag('eigrp.flags.eot', 4, 0x8);
      return c.u32();
    }, 4);
    const seq = c.u32('eigrp.seq');
    const ack = c.u32('eigrp.ack');
    c.u16('eigrp.vrid');
    const as = c.u16('eigrp.as');
    const name = OPCODES[opcode] ?? `Unknown (0x${opcode.toString(16).padStart(2, '0')})`;
    const summary = c.summaries ? (opcode === 5 && ack !== 0 ? 'Hello (Ack)' : name) : '';
    return { summary, info: { opcode, seq, ack, as }, payloadOffset: c.capEnd };
  },
});
