import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const MESSAGE_TYPES: Record<number, string> = {
  0x00: 'Who-Is-Router-To-Network',
  0x01: 'I-Am-Router-To-Network',
  0x02: 'I-Could-Be-Router-To-Network',
  0x03: 'Reject-Message-To-Network',
  0x04: 'Router-Busy-To-Network',
  0x05: 'Router-Available-To-Network',
  0x06: 'Initialize-Routing-Table',
  0x07: 'Initialize-Routing-Table-Ack',
  0x08: 'Establish-Connection-To-Network',
  0x09: 'Disconnect-Connection-To-Network',
  0x0a: 'Challenge-Request',
  0x0b: 'Security-Payload',
  0x0c: 'Security-Response',
  0x0d: 'Request-Key-Update',
  0x0e: 'Update-Key-Set',
  0x0f: 'Update-Distribution-Key',
  0x10: 'Request-Master-Key',
  0x11: 'Set-Master-Key',
  0x12: 'What-Is-Network-Number',
  0x13: 'Network-Number-Is',
};

const VERSIONS: Record<number, string> = { 1: 'ASHRAE 135-1995' };

/** Most network numbers or routing table entries read from one message. */
const MAX_ENTRIES = 1024;

/** A MAC address of `len` bytes under the Ethernet, one-byte (MS/TP, ARCNET) or raw key. */
function readMac(c: Cursor, len: number, eth: string, mstp: string, raw: string): void {
  if (len === 6) c.mac(eth);
  else if (len === 1) c.u8(mstp);
  else if (len > 0) c.bytes(raw, len);
}

/** The network numbers that fill the rest of a router message. */
function readNetworks(c: Cursor, end: number): void {
  for (let i = 0; c.pos + 2 <= end && i < MAX_ENTRIES; i++) c.u16('bacnet.dnet');
}

/** The body of a network layer message. */
function readNetworkMessage(c: Cursor, type: number): void {
  const end = Math.min(c.capEnd, c.repEnd);
  switch (type) {
    case 0x00:
      // At most one network number (absent: every network).
      if (c.pos + 2 <= end) c.u16('bacnet.dnet');
      break;
    case 0x01:
    case 0x04:
    case 0x05:
      readNetworks(c, end);
      break;
    case 0x02:
      c.u16('bacnet.dnet');
      c.u8('bacnet.perf');
      break;
    case 0x03:
      c.u8('bacnet.rejectreason');
      c.u16('bacnet.dnet');
      break;
    case 0x06:
    case 0x07: {
      const n = c.u8('bacnet.rportnum');
      for (let i = 0; i < n; i++) {
        c.u16('bacnet.dnet');
        c.u8('bacnet.portid');
        const len = c.u8('bacnet.pinfolen');
        if (len > 0) c.bytes('bacnet.pinfo', len);
      }
      break;
    }
    case 0x08:
      c.u16('bacnet.dnet');
      c.u8('bacnet.term_time_value');
      break;
    case 0x09:
      c.u16('bacnet.dnet');
      break;
    case 0x13:
      c.u16('bacnet.dnet');
      c.u8('bacnet.netno_status');
      break;
    default:
      break;
  }
}

/**
 * The BACnet network layer (NPDU, ASHRAE 135 clause 6): version, control bits, destination
 * and source network addresses, hop count; then a network layer message, or an APDU for BACapp.
 */
export const bacnet = defineProtocol({
  id: 'bacnet',
  name: 'Building Automation and Control Network NPDU',
  short: 'BACnet-NPDU',
  bindings: [
    // BACnet over Ethernet 802.2 LLC (DSAP 0x82) and ARCNET.
    { table: 'llc.dsap', key: 0x82 },
  ],
  fields: {
    'bacnet.version': { label: 'Version', type: 'u8', base: 'hex', values: VERSIONS },
    'bacnet.control': { label: 'Control', type: 'u8', base: 'hex' },
    'bacnet.control_net': { label: 'NSDU contains', type: 'bool', mask: 0x80, tfs: ['network layer message, message type field present.', 'BACnet APDU, message type field absent.'] },
    'bacnet.control_res1': { label: 'Reserved', type: 'bool', mask: 0x40, tfs: ['Shall be zero, but is one.', 'Shall be zero and is zero.'] },
    'bacnet.control_dest': { label: 'Destination Specifier', type: 'bool', mask: 0x20, tfs: ['DNET, DLEN and Hop Count present. If DLEN=0: broadcast, dest. address field absent.', 'DNET, DLEN, DADR and Hop Count absent'] },
    'bacnet.control_res2': { label: 'Reserved', type: 'bool', mask: 0x10, tfs: ['Shall be zero, but is one.', 'Shall be zero and is zero.'] },
    'bacnet.control_src': { label: 'Source specifier', type: 'bool', mask: 0x08, tfs: ['SNET, SLEN and SADR present, SLEN=0 Invalid, SLEN specifies length of SADR', 'SNET, SLEN and SADR absent'] },
    'bacnet.control_expect': { label: 'Expecting Reply', type: 'bool', mask: 0x04, tfs: ['BACnet-Confirmed-Request-PDU, a segment of a BACnet-ComplexACK-PDU or Network Message expecting a reply present.', 'Other than a BACnet-Confirmed-Request-PDU, segment of BACnet-ComplexACK-PDU or network layer message expecting a reply present.'] },
    'bacnet.control_prio_high': { label: 'Priority', type: 'bool', mask: 0x02, tfs: ['Life Safety or Critical Equipment message.', 'Not a Life Safety or Critical Equipment message.'] },
    'bacnet.control_prio_low': { label: 'Priority', type: 'bool', mask: 0x01, tfs: ['Urgent message', 'Normal message'] },
    'bacnet.dnet': { label: 'Destination Network Address', type: 'u16' },
    'bacnet.dlen': { label: 'Destination MAC Layer Address Length', type: 'u8' },
    'bacnet.dadr_eth': { label: 'Destination ISO 8802-3 MAC Address', type: 'ether' },
    'bacnet.dadr_mstp': { label: 'DADR', type: 'u8' },
    'bacnet.dadr_tmp': { label: 'Unknown Destination MAC', type: 'bytes' },
    'bacnet.snet': { label: 'Source Network Address', type: 'u16' },
    'bacnet.slen': { label: 'Source MAC Layer Address Length', type: 'u8' },
    'bacnet.sadr_eth': { label: 'SADR', type: 'ether' },
    'bacnet.sadr_mstp': { label: 'SADR', type: 'u8' },
    'bacnet.sadr_tmp': { label: 'Unknown Source MAC', type: 'bytes' },
    'bacnet.hopc': { label: 'Hop Count', type: 'u8' },
    'bacnet.mesgtyp': { label: 'Network Layer Message Type', type: 'u8', base: 'hex', values: MESSAGE_TYPES },
    'bacnet.vendor': { label: 'Vendor ID', type: 'u16' },
    'bacnet.perf': { label: 'Performance Index', type: 'u8' },
    'bacnet.rejectreason': { label: 'Reject Reason', type: 'u8' },
    'bacnet.rportnum': { label: 'Number of Port Mappings', type: 'u8' },
    'bacnet.pinfolen': { label: 'Port Info Length', type: 'u8' },
    'bacnet.pinfo': { label: 'Port Inf', type: 'bytes' },
    'bacnet.portid': { label: 'Port ID', type: 'u8' },
    'bacnet.term_time_value': { label: 'Termination Time Value (seconds)', type: 'u8' },
    'bacnet.netno_status': { label: 'Network number status (enumerated)', type: 'u8' },
  },
  dissect(c) {
    c.u8('bacnet.version');
    const control = c.peek8();
    c.group('bacnet.control', () => {
      c.flag('bacnet.control_net', 1, 0x80);
      c.flag('bacnet.control_res1', 1, 0x40);
      c.flag('bacnet.control_dest', 1, 0x20);
      c.flag('bacnet.control_res2', 1, 0x10);
      c.flag('bacnet.control_src', 1, 0x08);
      c.flag('bacnet.control_expect', 1, 0x04);
      c.flag('bacnet.control_prio_high', 1, 0x02);
      c.flag('bacnet.control_prio_low', 1, 0x01);
      return c.u8();
    }, 1);
    if ((control & 0x20) !== 0) {
      c.u16('bacnet.dnet');
      const dlen = c.u8('bacnet.dlen');
      readMac(c, dlen, 'bacnet.dadr_eth', 'bacnet.dadr_mstp', 'bacnet.dadr_tmp');
    }
    if ((control & 0x08) !== 0) {
      c.u16('bacnet.snet');
      const slen = c.u8('bacnet.slen');
      readMac(c, slen, 'bacnet.sadr_eth', 'bacnet.sadr_mstp', 'bacnet.sadr_tmp');
    }
    if ((control & 0x20) !== 0) c.u8('bacnet.hopc');
    if ((control & 0x80) === 0) return { summary: '', info: { control }, next: { protocol: 'bacapp' } };
    const type = c.u8('bacnet.mesgtyp');
    if (type >= 0x80) c.u16('bacnet.vendor');
    const name = MESSAGE_TYPES[type] ?? (type >= 0x80 ? `Vendor Proprietary Message (0x${type.toString(16)})` : `Reserved (0x${type.toString(16)})`);
    c.provisional = name;
    readNetworkMessage(c, type);
    return { summary: name, info: { control, type } };
  },
});
