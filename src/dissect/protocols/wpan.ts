import type { Cursor } from '../cursor.js';
import { defineProtocol, type Next } from '../protocol.js';

const FRAME_TYPES: Record<number, string> = { 0: 'Beacon', 1: 'Data', 2: 'Ack', 3: 'Command', 4: 'Reserved', 5: 'Multipurpose', 6: 'Fragment', 7: 'Extended' };
const ADDR_MODES: Record<number, string> = { 0: 'None', 1: 'Reserved', 2: 'Short/16-bit', 3: 'Long/64-bit' };
const VERSIONS: Record<number, string> = { 0: 'IEEE Std 802.15.4-2003', 1: 'IEEE Std 802.15.4-2006', 2: 'IEEE Std 802.15.4-2015', 3: 'Reserved' };

const COMMANDS: Record<number, string> = {
  0x01: 'Association Request',
  0x02: 'Association Response',
  0x03: 'Disassociation Notification',
  0x04: 'Data Request',
  0x05: 'PAN ID Conflict',
  0x06: 'Orphan Notification',
  0x07: 'Beacon Request',
  0x08: 'Coordinator Realignment',
  0x09: 'GTS Request',
};

const ASSOC_STATUS: Record<number, string> = { 0: 'Association Successful', 1: 'PAN Full', 2: 'PAN Access Denied' };

const PAYLOAD_NEXT: Next = { table: 'wpan.payload', keys: [] };
const SHORT_NEXT: Next = { table: 'wpan.short', keys: [], fallback: PAYLOAD_NEXT };

/** Most GTS descriptors and pending addresses a beacon can list. */
const MAX_LIST = 15;

/** An IEEE EUI-64 written least significant byte first, as Wireshark prints it. */
function eui64(c: Cursor, key: string): string {
  const at = c.pos;
  c.need(8, key);
  const d = c.data;
  let s = '';
  for (let i = 7; i >= 0; i--) s += (i < 7 ? ':' : '') + d[at + i]!.toString(16).padStart(2, '0');
  c.add(key, s, at, 8);
  c.skip(8);
  return s;
}

/** A 16-bit short address or PAN id, little-endian, as tshark shows it (`0x01ff`). */
const hex16 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;

/** An address of the given mode under `short`/`long` keys; returns its text (Broadcast for 0xffff). */
function address(c: Cursor, mode: number, short: string, long: string): string | undefined {
  if (mode === 2) {
    const v = c.u16(short, true);
    return v === 0xffff ? 'Broadcast' : hex16(v);
  }
  if (mode === 3) return eui64(c, long);
  return undefined;
}

/**
 * IEEE 802.15.4 MAC frames (LINKTYPE_IEEE802_15_4_WITHFCS 195, _NOFCS 230): the frame control
 * field, sequence number, PAN ids and addresses as the addressing modes and PAN id compression
 * say, the auxiliary security header; beacons (superframe, GTS, pending addresses) and MAC
 * commands read; a data frame's payload goes to the heuristics (ZigBee NWK when both addresses
 * are short), a beacon's payload to the beacon heuristics (ZigBee beacons).
 */
export const wpan = defineProtocol({
  id: 'wpan',
  name: 'IEEE 802.15.4 Low-Rate Wireless PAN',
  short: 'IEEE 802.15.4',
  bindings: [
    { table: 'linktype', key: 195 },
    { table: 'linktype', key: 230 },
  ],
  fields: {
    'wpan.fcf': { label: 'Frame Control Field', type: 'u16', base: 'hex' },
    'wpan.frame_type': { label: 'Frame Type', type: 'u16', base: 'hex', mask: 0x0007, values: FRAME_TYPES },
    'wpan.security': { label: 'Security Enabled', type: 'bool', mask: 0x0008 },
    'wpan.pending': { label: 'Frame Pending', type: 'bool', mask: 0x0010 },
    'wpan.ack_request': { label: 'Acknowledge Request', type: 'bool', mask: 0x0020 },
    'wpan.pan_id_compression': { label: 'PAN ID Compression', type: 'bool', mask: 0x0040 },
    'wpan.fcf.reserved': { label: 'Reserved', type: 'bool', mask: 0x0080 },
    'wpan.seqno_suppression': { label: 'Sequence Number Suppression', type: 'bool', mask: 0x0100 },
    'wpan.ie_present': { label: 'Information Elements Present', type: 'bool', mask: 0x0200 },
    'wpan.dst_addr_mode': { label: 'Destination Addressing Mode', type: 'u16', base: 'hex', mask: 0x0c00, values: ADDR_MODES },
    'wpan.version': { label: 'Frame Version', type: 'u16', mask: 0x3000, values: VERSIONS },
    'wpan.src_addr_mode': { label: 'Source Addressing Mode', type: 'u16', base: 'hex', mask: 0xc000, values: ADDR_MODES },
    'wpan.seq_no': { label: 'Sequence Number', type: 'u8' },
    'wpan.dst_pan': { label: 'Destination PAN', type: 'u16', base: 'hex' },
    'wpan.dst16': { label: 'Destination', type: 'u16', base: 'hex' },
    'wpan.dst64': { label: 'Destination', type: 'eui64' },
    'wpan.src_pan': { label: 'Source PAN', type: 'u16', base: 'hex' },
    'wpan.src16': { label: 'Source', type: 'u16', base: 'hex' },
    'wpan.src64': { label: 'Extended Source', type: 'eui64' },
    'wpan.fcs': { label: 'FCS', type: 'u16', base: 'hex' },
    'wpan.aux_sec.hdr': { label: 'Auxiliary Security Header', type: 'none' },
    'wpan.aux_sec.sec_level': { label: 'Security Level', type: 'u8', mask: 0x07 },
    'wpan.aux_sec.key_id_mode': { label: 'Key Identifier Mode', type: 'u8', mask: 0x18 },
    'wpan.aux_sec.frame_counter_suppression': { label: 'Frame Counter Suppression', type: 'bool', mask: 0x20 },
    'wpan.aux_sec.frame_counter': { label: 'Frame Counter', type: 'u32' },
    'wpan.aux_sec.key_source.bytes': { label: 'Key Source', type: 'bytes' },
    'wpan.aux_sec.key_index': { label: 'Key Index', type: 'u8' },
    'wpan.beacon_order': { label: 'Beacon Interval', type: 'u16', mask: 0x000f },
    'wpan.superframe_order': { label: 'Superframe Interval', type: 'u16', mask: 0x00f0 },
    'wpan.cap': { label: 'Final CAP Slot', type: 'u16', mask: 0x0f00 },
    'wpan.battery_ext': { label: 'Battery Extension', type: 'bool', mask: 0x1000 },
    'wpan.bcn_coord': { label: 'PAN Coordinator', type: 'bool', mask: 0x4000 },
    'wpan.assoc_permit': { label: 'Association Permit', type: 'bool', mask: 0x8000 },
    'wpan.gts.count': { label: 'GTS Descriptor Count', type: 'u8', mask: 0x07 },
    'wpan.gts.permit': { label: 'GTS Permit', type: 'bool', mask: 0x80 },
    'wpan.gts.address': { label: 'Address', type: 'u16', base: 'hex' },
    'wpan.pending16': { label: 'Address', type: 'u16', base: 'hex' },
    'wpan.pending64': { label: 'Address', type: 'eui64' },
    'wpan.cmd': { label: 'Command Identifier', type: 'u8', base: 'hex', values: COMMANDS },
    'wpan.cinfo.alt_coord': { label: 'Alternate PAN Coordinator', type: 'bool', mask: 0x01 },
    'wpan.cinfo.device_type': { label: 'Device Type', type: 'bool', mask: 0x02, tfs: ['FFD', 'RFD'] },
    'wpan.cinfo.power_src': { label: 'Power Source', type: 'bool', mask: 0x04, tfs: ['AC/Mains Power', 'Battery'] },
    'wpan.cinfo.idle_rx': { label: 'Receive On When Idle', type: 'bool', mask: 0x08 },
    'wpan.cinfo.sec_capable': { label: 'Security Capability', type: 'bool', mask: 0x40 },
    'wpan.cinfo.alloc_addr': { label: 'Allocate Address', type: 'bool', mask: 0x80 },
    'wpan.asoc.addr': { label: 'Short Address', type: 'u16', base: 'hex' },
    'wpan.assoc.status': { label: 'Association Status', type: 'u8', base: 'hex', values: ASSOC_STATUS },
    'wpan.disassoc.reason': { label: 'Disassociation Reason', type: 'u8', base: 'hex' },
    'wpan.realign.pan': { label: 'PAN ID', type: 'u16', base: 'hex' },
    'wpan.realign.caddr': { label: 'Coordinator Short Address', type: 'u16', base: 'hex' },
    'wpan.realign.channel': { label: 'Logical Channel', type: 'u8' },
    'wpan.realign.addr': { label: 'Short Address', type: 'u16', base: 'hex' },
  },
  dissect(c) {
    const start = c.pos;
    // With an FCS, the last two bytes are not the frame's (they become trailing bytes).
    const withFcs = c.below.length === 0 && c.linkType === 195;
    if (withFcs && c.repEnd - start >= 5) {
      const fcsAt = c.repEnd - 2;
      c.limit(fcsAt - start);
      if (fcsAt + 2 <= c.data.length) c.add('wpan.fcs', c.data[fcsAt]! | (c.data[fcsAt + 1]! << 8), fcsAt, 0);
    }
    const fcf = c.peek16(0, true);
    const type = fcf & 0x07;
    const security = (fcf & 0x08) !== 0;
    const panCompression = (fcf & 0x40) !== 0;
    const seqSuppressed = (fcf & 0x0100) !== 0;
    const dstMode = (fcf >> 10) & 0x03;
    const version = (fcf >> 12) & 0x03;
    const srcMode = (fcf >> 14) & 0x03;
    const fcfAt = c.pos;
    c.group('wpan.fcf', () => {
      // Little-endian: each flag is tested on the value, shown over the word as read.
      const flag = (key: string, mask: number): void => c.add(key, (fcf & mask) !== 0, fcfAt, 2);
      const bits = (key: string, mask: number, shift: number): void => c.add(key, (fcf & mask) >> shift, fcfAt, 2);
      bits('wpan.frame_type', 0x0007, 0);
      flag('wpan.security', 0x0008);
      flag('wpan.pending', 0x0010);
      flag('wpan.ack_request', 0x0020);
      flag('wpan.pan_id_compression', 0x0040);
      flag('wpan.fcf.reserved', 0x0080);
      flag('wpan.seqno_suppression', 0x0100);
      flag('wpan.ie_present', 0x0200);
      bits('wpan.dst_addr_mode', 0x0c00, 10);
      bits('wpan.version', 0x3000, 12);
      bits('wpan.src_addr_mode', 0xc000, 14);
      c.skip(2);
      return fcf;
    }, 2);
    const typeName = FRAME_TYPES[type] ?? `Reserved (${type})`;
    c.provisional = typeName;
    const seq = seqSuppressed ? undefined : c.u8('wpan.seq_no');
    // PAN ids: the destination's with a destination address; the source's with a source address
    // unless compressed (2003/2006 rules; 2015 frames follow the same rule for these modes).
    let dst: string | undefined;
    let src: string | undefined;
    let pan: number | undefined;
    if (dstMode !== 0) {
      pan = c.u16('wpan.dst_pan', true);
      dst = address(c, dstMode, 'wpan.dst16', 'wpan.dst64');
    }
    if (srcMode !== 0) {
      if (!(panCompression && dstMode !== 0) && !(version === 2 && panCompression)) {
        const srcPan = c.u16('wpan.src_pan', true);
        pan ??= srcPan;
      }
      src = address(c, srcMode, 'wpan.src16', 'wpan.src64');
    }
    if (security && version >= 1) readAuxSecurity(c);
    const info: Record<string, unknown> = { type, seq, dstMode, srcMode };
    if (src !== undefined) info['src'] = src;
    if (dst !== undefined) info['dst'] = dst;
    const parts = [typeName];
    if (dst !== undefined) parts.push(`Dst: ${dst}`);
    if (src !== undefined) parts.push(`Src: ${src}`);
    const summary = type === 2 ? `Ack${seq !== undefined ? `, Sequence Number: ${seq}` : ''}` : parts.join(', ');
    // A secured payload cannot be read: it stays data.
    if (security) return { summary, info };
    switch (type) {
      case 0: {
        readBeacon(c);
        // Beacon payloads (ZigBee's) are looked for when the source address is short.
        return { summary, info, next: srcMode === 2 ? { table: 'wpan.beacon', keys: [] } : undefined };
      }
      case 1:
        // ZigBee's network layer needs short source and destination addresses.
        return { summary, info, next: dstMode === 2 && srcMode === 2 ? SHORT_NEXT : PAYLOAD_NEXT };
      case 3: {
        const cmd = c.u8('wpan.cmd');
        const name = COMMANDS[cmd] ?? `Unknown Command (0x${cmd.toString(16).padStart(2, '0')})`;
        c.provisional = name;
        const detail = readCommand(c, cmd, pan);
        return { summary: detail === undefined ? name : `${name}, ${detail}`, info: { ...info, cmd } };
      }
      default:
        return { summary, info };
    }
  },
});

/** The auxiliary security header (802.15.4-2006 and later). */
function readAuxSecurity(c: Cursor): void {
  c.group('wpan.aux_sec.hdr', () => {
    const control = c.peek8();
    c.bits('wpan.aux_sec.sec_level', 1, 0x07);
    c.bits('wpan.aux_sec.key_id_mode', 1, 0x18);
    c.flag('wpan.aux_sec.frame_counter_suppression', 1, 0x20);
    c.skip(1);
    if ((control & 0x20) === 0) c.u32('wpan.aux_sec.frame_counter', true);
    const keyMode = (control >> 3) & 0x03;
    if (keyMode === 2) c.bytes('wpan.aux_sec.key_source.bytes', 4);
    else if (keyMode === 3) c.bytes('wpan.aux_sec.key_source.bytes', 8);
    if (keyMode !== 0) c.u8('wpan.aux_sec.key_index');
    return 0;
  });
}

/** A beacon's superframe specification, GTS fields and pending addresses. */
function readBeacon(c: Cursor): void {
  const at = c.pos;
  const spec = c.peek16(0, true);
  c.add('wpan.beacon_order', spec & 0x0f, at, 2);
  c.add('wpan.superframe_order', (spec >> 4) & 0x0f, at, 2);
  c.add('wpan.cap', (spec >> 8) & 0x0f, at, 2);
  c.add('wpan.battery_ext', (spec & 0x1000) !== 0, at, 2);
  c.add('wpan.bcn_coord', (spec & 0x4000) !== 0, at, 2);
  c.add('wpan.assoc_permit', (spec & 0x8000) !== 0, at, 2);
  c.skip(2);
  const gts = c.peek8();
  c.bits('wpan.gts.count', 1, 0x07);
  c.flag('wpan.gts.permit', 1, 0x80);
  c.skip(1);
  const descriptors = gts & 0x07;
  if (descriptors > 0) {
    c.skip(1); // direction mask
    for (let i = 0; i < descriptors && i < MAX_LIST; i++) {
      c.u16('wpan.gts.address', true);
      c.skip(1);
    }
  }
  const pending = c.u8();
  const shorts = pending & 0x07;
  const longs = (pending >> 4) & 0x07;
  for (let i = 0; i < shorts; i++) c.u16('wpan.pending16', true);
  for (let i = 0; i < longs; i++) eui64(c, 'wpan.pending64');
}

/** The payload of a MAC command; returns what tshark's Info adds for it. */
function readCommand(c: Cursor, cmd: number, pan: number | undefined): string | undefined {
  switch (cmd) {
    case 0x01: {
      const ffd = (c.peek8() & 0x02) !== 0;
      c.flag('wpan.cinfo.alt_coord', 1, 0x01);
      c.flag('wpan.cinfo.device_type', 1, 0x02);
      c.flag('wpan.cinfo.power_src', 1, 0x04);
      c.flag('wpan.cinfo.idle_rx', 1, 0x08);
      c.flag('wpan.cinfo.sec_capable', 1, 0x40);
      c.flag('wpan.cinfo.alloc_addr', 1, 0x80);
      c.skip(1);
      return ffd ? 'FFD' : 'RFD';
    }
    case 0x02: {
      const addr = c.u16('wpan.asoc.addr', true);
      c.u8('wpan.assoc.status');
      return `PAN: ${hex16(pan ?? 0)} Addr: ${hex16(addr)}`;
    }
    case 0x03:
      c.u8('wpan.disassoc.reason');
      break;
    case 0x08:
      c.u16('wpan.realign.pan', true);
      c.u16('wpan.realign.caddr', true);
      c.u8('wpan.realign.channel');
      c.u16('wpan.realign.addr', true);
      break;
    default:
      break;
  }
  return undefined;
}
