import { defineProtocol } from '../protocol.js';
import { readZbeeSecurity } from './zbee-nwk.js';

const FRAME_TYPES: Record<number, string> = { 0: 'Data', 1: 'Command', 2: 'Ack', 3: 'Inter-PAN' };
const DELIVERY: Record<number, string> = { 0: 'Unicast', 1: 'Indirect', 2: 'Broadcast', 3: 'Group' };
const COMMANDS: Record<number, string> = {
  1: 'SKKE-1', 2: 'SKKE-2', 3: 'SKKE-3', 4: 'SKKE-4', 5: 'Transport Key', 6: 'Update Device', 7: 'Remove Device',
  8: 'Request Key', 9: 'Switch Key', 10: 'Entity Authentication Initiator Challenge',
  11: 'Entity Authentication Responder Challenge', 12: 'Entity Authentication Initiator MAC and Data',
  13: 'Entity Authentication Responder MAC and Data', 14: 'Tunnel', 15: 'Verify Key', 16: 'Confirm Key',
};

/**
 * ZigBee application support layer: frame control, endpoints, group, cluster and profile of data
 * and acknowledgement frames, the counter, the extended header (fragmentation); a secured
 * frame's security header and encrypted payload; a command's identifier.
 */
export const zbeeAps = defineProtocol({
  id: 'zbee_aps',
  name: 'ZigBee Application Support Layer',
  short: 'ZigBee',
  fields: {
    'zbee_aps.fcf': { label: 'Frame Control Field', type: 'u8', base: 'hex' },
    'zbee_aps.type': { label: 'Frame Type', type: 'u8', base: 'hex', mask: 0x03, values: FRAME_TYPES },
    'zbee_aps.delivery': { label: 'Delivery Mode', type: 'u8', base: 'hex', mask: 0x0c, values: DELIVERY },
    'zbee_aps.ack_format': { label: 'Acknowledgement Format', type: 'bool', mask: 0x10 },
    'zbee_aps.security': { label: 'Security', type: 'bool', mask: 0x20 },
    'zbee_aps.ack_req': { label: 'Acknowledgement Request', type: 'bool', mask: 0x40 },
    'zbee_aps.ext_header': { label: 'Extended Header', type: 'bool', mask: 0x80 },
    'zbee_aps.dst': { label: 'Destination Endpoint', type: 'u8' },
    'zbee_aps.group': { label: 'Group', type: 'u16', base: 'hex' },
    'zbee_aps.cluster': { label: 'Cluster', type: 'u16', base: 'hex' },
    'zbee_aps.profile': { label: 'Profile', type: 'u16', base: 'hex' },
    'zbee_aps.src': { label: 'Source Endpoint', type: 'u8' },
    'zbee_aps.counter': { label: 'Counter', type: 'u8' },
    'zbee_aps.fragmentation': { label: 'Fragmentation', type: 'u8', base: 'hex', mask: 0x03 },
    'zbee_aps.block': { label: 'Block Number', type: 'u8' },
    'zbee_aps.block_acks': { label: 'Block Acknowledgements', type: 'u8', base: 'hex' },
    'zbee_aps.cmd.id': { label: 'Command Identifier', type: 'u8', base: 'hex', values: COMMANDS },
    'zbee_aps.payload': { label: 'Payload', type: 'bytes' },
  },
  dissect(c) {
    const fcf = c.peek8();
    const type = fcf & 0x03;
    const delivery = (fcf >> 2) & 0x03;
    c.group('zbee_aps.fcf', () => {
      c.bits('zbee_aps.type', 1, 0x03);
      c.bits('zbee_aps.delivery', 1, 0x0c);
      c.flag('zbee_aps.ack_format', 1, 0x10);
      c.flag('zbee_aps.security', 1, 0x20);
      c.flag('zbee_aps.ack_req', 1, 0x40);
      c.flag('zbee_aps.ext_header', 1, 0x80);
      return c.u8();
    }, 1);
    const typeName = FRAME_TYPES[type]!;
    const summary = `APS: ${typeName}`;
    c.provisional = summary;
    // Endpoints, cluster and profile: data frames, and acknowledgements in the long format.
    if (type === 0 || (type === 2 && (fcf & 0x10) === 0) || type === 3) {
      if (type !== 3) {
        if (delivery === 3) c.u16('zbee_aps.group', true);
        else if (delivery !== 1) c.u8('zbee_aps.dst');
      } else if (delivery === 3) c.u16('zbee_aps.group', true);
      c.u16('zbee_aps.cluster', true);
      c.u16('zbee_aps.profile', true);
      if (type !== 3) c.u8('zbee_aps.src');
    }
    if (type !== 3) c.u8('zbee_aps.counter');
    if ((fcf & 0x80) !== 0) {
      const ext = c.peek8();
      c.bits('zbee_aps.fragmentation', 1, 0x03);
      c.skip(1);
      if ((ext & 0x03) !== 0) {
        c.u8('zbee_aps.block');
        if (type === 2) c.u8('zbee_aps.block_acks');
      }
    }
    const info = { type, delivery };
    if ((fcf & 0x20) !== 0) {
      readZbeeSecurity(c);
      return { summary, info };
    }
    if (type === 1) {
      const cmd = c.u8('zbee_aps.cmd.id');
      if (c.remaining() > 0) c.bytes('zbee_aps.payload', c.remaining());
      return { summary: `APS: Command, ${COMMANDS[cmd] ?? `Unknown (0x${cmd.toString(16)})`}`, info: { ...info, cmd } };
    }
    // Application payloads (ZCL, ZDP) are not dissected: they stay in this layer.
    if (c.remaining() > 0) c.bytes('zbee_aps.payload', c.remaining());
    return { summary, info };
  },
});
