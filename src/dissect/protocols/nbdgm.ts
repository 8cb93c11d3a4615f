import { defineProtocol } from '../protocol.js';
import { nbName } from './nbns.js';

const TYPES: Record<number, string> = { 16: 'Direct_unique datagram', 17: 'Direct_group datagram', 18: 'Broadcast datagram', 19: 'Datagram error', 20: 'Datagram query request', 21: 'Datagram positive query response', 22: 'Datagram negative query response' };

/** NetBIOS Datagram Service (UDP 138): the datagram header. */
export const nbdgm = defineProtocol({
  id: 'nbdgm',
  name: 'NetBIOS Datagram Service',
  short: 'NBDS',
  bindings: [{ table: 'udp.port', key: 138 }],
  fields: {
    'nbdgm.type': { label: 'Message Type', type: 'u8', values: TYPES },
    'nbdgm.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'nbdgm.first': { label: 'This is the first fragment', type: 'bool', mask: 0x02 },
    'nbdgm.node_type': { label: 'Node Type', type: 'u8', mask: 0x0c, values: { 0: 'B node', 1: 'P node', 2: 'M node', 3: 'NBDD' } },
    'nbdgm.dgram_id': { label: 'Datagram ID', type: 'u16', base: 'hex' },
    'nbdgm.src.ip': { label: 'Source IP', type: 'ipv4' },
    'nbdgm.src.port': { label: 'Source Port', type: 'u16' },
    'nbdgm.dgram_len': { label: 'Datagram length', type: 'u16' },
    'nbdgm.pkt_offset': { label: 'Packet offset', type: 'u16' },
    'nbdgm.source_name': { label: 'Source name', type: 'string' },
    'nbdgm.destination_name': { label: 'Destination name', type: 'string' },
  },
  dissect(c) {
    const type = c.u8('nbdgm.type');
    c.group('nbdgm.flags', () => {
      c.flag('nbdgm.first', 1, 0x02);
      c.bits('nbdgm.node_type', 1, 0x0c);
      return c.u8();
    }, 1);
    c.u16('nbdgm.dgram_id');
    const sourceIp = c.ipv4('nbdgm.src.ip');
    c.u16('nbdgm.src.port');
    const summary = c.summaries ? (TYPES[type] ?? `Unknown message type (0x${type.toString(16)})`) : '';
    if (type < 16 || type > 18) return { summary, info: { type } };
    c.provisional = summary;
    c.u16('nbdgm.dgram_len');
    c.u16('nbdgm.pkt_offset');
    // The two names, then the user data: an SMB message (a mailslot write) as tshark reads it.
    const msgStart = c.pos;
    let at = c.pos;
    const source = nbName(c, msgStart);
    c.add('nbdgm.source_name', source, at, c.pos - at);
    at = c.pos;
    const destination = nbName(c, msgStart);
    c.add('nbdgm.destination_name', destination, at, c.pos - at);
    const smb = c.has(4) && c.peek32() === 0xff534d42;
    return { summary, info: { type, source, destination, sourceIp }, next: smb ? { protocol: 'smb' } : undefined };
  },
});
