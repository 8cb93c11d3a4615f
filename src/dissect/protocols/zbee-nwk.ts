import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const FRAME_TYPES: Record<number, string> = { 0: 'Data', 1: 'Command', 3: 'Inter-PAN' };
const DISCOVERY: Record<number, string> = { 0: 'Suppress', 1: 'Enable', 2: 'Force' };
const KEY_IDS: Record<number, string> = { 0: 'Link Key', 1: 'Network Key', 2: 'Key-Transport Key', 3: 'Key-Load Key' };
const COMMANDS: Record<number, string> = {
  1: 'Route Request', 2: 'Route Reply', 3: 'Network Status', 4: 'Leave', 5: 'Route Record', 6: 'Rejoin Request',
  7: 'Rejoin Response', 8: 'Link Status', 9: 'Network Report', 10: 'Network Update', 11: 'End Device Timeout Request',
  12: 'End Device Timeout Response', 13: 'Link Power Delta',
};
const STACK_PROFILES: Record<number, string> = { 0: 'Network Specific', 1: 'ZigBee Home', 2: 'ZigBee PRO' };

/** Length of the message integrity code for a security level (the frame's level is 0 on air: ZigBee's default 5 is used). */
const MIC_LENGTHS = [4, 4, 8, 16, 4, 4, 8, 16] as const;

/** A little-endian EUI-64, as Wireshark prints it. */
export function zbeeEui64(c: Cursor, key: string): string {
  const at = c.pos;
  c.need(8, key);
  let s = '';
  for (let i = 7; i >= 0; i--) s += (i < 7 ? ':' : '') + c.data[at + i]!.toString(16).padStart(2, '0');
  c.add(key, s, at, 8);
  c.skip(8);
  return s;
}

/** A short address as tshark's Info shows it: Broadcast for the broadcast addresses. */
export const zbeeAddress = (v: number): string => (v >= 0xfff8 ? 'Broadcast' : `0x${v.toString(16).padStart(4, '0')}`);

/**
 * The ZigBee security header (NWK or APS): control field (key id, extended nonce), frame counter,
 * extended source, key sequence number; then the encrypted payload (kept as data inside the layer,
 * it cannot be decrypted without keys) and the message integrity code at the end.
 */
export function readZbeeSecurity(c: Cursor): void {
  const end = Math.min(c.repEnd, c.capEnd);
  const control = c.peek8();
  c.group('zbee.sec.field', () => {
    c.bits('zbee.sec.key_id', 1, 0x18);
    c.flag('zbee.sec.ext_nonce', 1, 0x20);
    return c.u8();
  }, 1);
  c.u32('zbee.sec.counter', true);
  if ((control & 0x20) !== 0) zbeeEui64(c, 'zbee.sec.src64');
  if (((control >> 3) & 0x03) === 1) c.u8('zbee.sec.key_seqno');
  const mic = MIC_LENGTHS[5]!;
  const payloadEnd = c.repEnd - mic;
  if (payloadEnd < c.pos) c.malformed('ZigBee secured payload shorter than its integrity code', 'zbee.sec.mic');
  c.expert('warning', 'Encrypted Payload', 'zbee_sec.encrypted_payload');
  if (payloadEnd > c.pos) {
    const n = Math.min(payloadEnd, end) - c.pos;
    c.add('data.data', c.span(c.pos, c.pos + n), c.pos, n);
    c.skip(n);
  }
  // A capture cut inside the payload leaves the code out (tshark: "cut short when capturing");
  // one cut inside the code is truncated.
  if (payloadEnd <= end) c.bytes('zbee.sec.mic', mic);
}

/**
 * Whether the payload of an 802.15.4 data frame with short addresses looks like the ZigBee
 * network layer: a frame type it has and a protocol version of ZigBee 2004 or 2007.
 */
function looksLikeZbeeNwk(d: Uint8Array, p: number, end: number): boolean {
  if (end - p < 2) return false;
  const fcf = d[p]! | (d[p + 1]! << 8);
  const version = (fcf >> 2) & 0x0f;
  const type = fcf & 0x03;
  return type !== 2 && version >= 1 && version <= 2;
}

/** A ZigBee beacon payload: protocol id 0 and the 15 bytes of the beacon. */
function looksLikeZbeeBeacon(d: Uint8Array, p: number, end: number): boolean {
  return end - p >= 15 && d[p] === 0;
}

/**
 * ZigBee network layer (ZigBee specification 05-3474): frame control, addresses, radius,
 * sequence number, extended addresses, multicast control, source route; a secured frame's
 * security header and encrypted payload; otherwise a command, or the APS layer for data.
 */
export const zbeeNwk = defineProtocol({
  id: 'zbee_nwk',
  name: 'ZigBee Network Layer',
  short: 'ZigBee',
  heuristics: [{ table: 'wpan.short', test: looksLikeZbeeNwk }],
  fields: {
    'zbee_nwk.fcf': { label: 'Frame Control Field', type: 'u16', base: 'hex' },
    'zbee_nwk.frame_type': { label: 'Frame Type', type: 'u16', base: 'hex', mask: 0x0003, values: FRAME_TYPES },
    'zbee_nwk.proto_version': { label: 'Protocol Version', type: 'u16', mask: 0x003c },
    'zbee_nwk.discovery': { label: 'Discover Route', type: 'u16', base: 'hex', mask: 0x00c0, values: DISCOVERY },
    'zbee_nwk.multicast': { label: 'Multicast', type: 'bool', mask: 0x0100 },
    'zbee_nwk.security': { label: 'Security', type: 'bool', mask: 0x0200 },
    'zbee_nwk.src_route': { label: 'Source Route', type: 'bool', mask: 0x0400 },
    'zbee_nwk.ext_dst': { label: 'Destination', type: 'bool', mask: 0x0800 },
    'zbee_nwk.ext_src': { label: 'Extended Source', type: 'bool', mask: 0x1000 },
    'zbee_nwk.end_device_initiator': { label: 'End Device Initiator', type: 'bool', mask: 0x2000 },
    'zbee_nwk.dst': { label: 'Destination', type: 'u16', base: 'hex' },
    'zbee_nwk.src': { label: 'Source', type: 'u16', base: 'hex' },
    'zbee_nwk.radius': { label: 'Radius', type: 'u8' },
    'zbee_nwk.seqno': { label: 'Sequence Number', type: 'u8' },
    'zbee_nwk.dst64': { label: 'Destination', type: 'eui64' },
    'zbee_nwk.src64': { label: 'Extended Source', type: 'eui64' },
    'zbee_nwk.multicast.cf': { label: 'Multicast Control Field', type: 'u8', base: 'hex' },
    'zbee_nwk.relay.count': { label: 'Relay Count', type: 'u8' },
    'zbee_nwk.relay.index': { label: 'Relay Index', type: 'u8' },
    'zbee_nwk.relay': { label: 'Relay', type: 'u16', base: 'hex' },
    'zbee_nwk.cmd.id': { label: 'Command Identifier', type: 'u8', base: 'hex', values: COMMANDS },
    'zbee_nwk.cmd.payload': { label: 'Command Payload', type: 'bytes' },
    'zbee.sec.field': { label: 'Security Control Field', type: 'u8', base: 'hex' },
    'zbee.sec.key_id': { label: 'Key Id', type: 'u8', base: 'hex', mask: 0x18, values: KEY_IDS },
    'zbee.sec.ext_nonce': { label: 'Extended Nonce', type: 'bool', mask: 0x20 },
    'zbee.sec.counter': { label: 'Frame Counter', type: 'u32' },
    'zbee.sec.src64': { label: 'Extended Source', type: 'eui64' },
    'zbee.sec.key_seqno': { label: 'Key Sequence Number', type: 'u8' },
    'zbee.sec.mic': { label: 'Message Integrity Code', type: 'bytes' },
  },
  dissect(c) {
    const fcf = c.peek16(0, true);
    const at = c.pos;
    const type = fcf & 0x03;
    c.group('zbee_nwk.fcf', () => {
      const flag = (key: string, mask: number): void => c.add(key, (fcf & mask) !== 0, at, 2);
      c.add('zbee_nwk.frame_type', type, at, 2);
      c.add('zbee_nwk.proto_version', (fcf >> 2) & 0x0f, at, 2);
      c.add('zbee_nwk.discovery', (fcf >> 6) & 0x03, at, 2);
      flag('zbee_nwk.multicast', 0x0100);
      flag('zbee_nwk.security', 0x0200);
      flag('zbee_nwk.src_route', 0x0400);
      flag('zbee_nwk.ext_dst', 0x0800);
      flag('zbee_nwk.ext_src', 0x1000);
      flag('zbee_nwk.end_device_initiator', 0x2000);
      c.skip(2);
      return fcf;
    }, 2);
    const typeName = FRAME_TYPES[type] ?? `Reserved (${type})`;
    c.provisional = typeName;
    if (type === 3) {
      // Inter-PAN: only the frame control; the APS layer follows.
      return { summary: typeName, info: { type }, next: { protocol: 'zbee_aps' } };
    }
    const dst = c.u16('zbee_nwk.dst', true);
    const src = c.u16('zbee_nwk.src', true);
    c.u8('zbee_nwk.radius');
    c.u8('zbee_nwk.seqno');
    if ((fcf & 0x0800) !== 0) zbeeEui64(c, 'zbee_nwk.dst64');
    if ((fcf & 0x1000) !== 0) zbeeEui64(c, 'zbee_nwk.src64');
    if ((fcf & 0x0100) !== 0) c.u8('zbee_nwk.multicast.cf');
    if ((fcf & 0x0400) !== 0) {
      const count = c.u8('zbee_nwk.relay.count');
      c.u8('zbee_nwk.relay.index');
      for (let i = 0; i < count; i++) c.u16('zbee_nwk.relay', true);
    }
    const summary = `${typeName}, Dst: ${zbeeAddress(dst)}, Src: ${zbeeAddress(src)}`;
    c.provisional = summary;
    // tshark's address columns show the network layer's addresses.
    const info = { type, dstAddr: dst, srcAddr: src, src: zbeeAddress(src), dst: zbeeAddress(dst) };
    if ((fcf & 0x0200) !== 0) {
      readZbeeSecurity(c);
      return { summary, info };
    }
    if (type === 1) {
      const cmd = c.u8('zbee_nwk.cmd.id');
      if (c.remaining() > 0) c.bytes('zbee_nwk.cmd.payload', c.remaining());
      return { summary: `${COMMANDS[cmd] ?? `Unknown Command (0x${cmd.toString(16)})`}, Dst: ${zbeeAddress(dst)}, Src: ${zbeeAddress(src)}`, info: { ...info, cmd } };
    }
    return { summary, info, next: { protocol: 'zbee_aps' } };
  },
});

/** The ZigBee beacon payload: protocol id, stack profile and capacities, extended PAN id, offset, update id. */
export const zbeeBeacon = defineProtocol({
  id: 'zbee_beacon',
  name: 'ZigBee Beacon',
  short: 'ZigBee',
  heuristics: [{ table: 'wpan.beacon', test: looksLikeZbeeBeacon }],
  fields: {
    'zbee_beacon.protocol': { label: 'Protocol ID', type: 'u8' },
    'zbee_beacon.profile': { label: 'Stack Profile', type: 'u16', base: 'hex', mask: 0x000f, values: STACK_PROFILES },
    'zbee_beacon.version': { label: 'Protocol Version', type: 'u16', mask: 0x00f0 },
    'zbee_beacon.router': { label: 'Router Capacity', type: 'bool', mask: 0x0400 },
    'zbee_beacon.depth': { label: 'Device Depth', type: 'u16', mask: 0x7800 },
    'zbee_beacon.end_dev': { label: 'End Device Capacity', type: 'bool', mask: 0x8000 },
    'zbee_beacon.ext_panid': { label: 'Extended PAN ID', type: 'eui64' },
    'zbee_beacon.tx_offset': { label: 'Tx Offset', type: 'u24' },
    'zbee_beacon.update_id': { label: 'Update ID', type: 'u8' },
  },
  dissect(c) {
    c.u8('zbee_beacon.protocol');
    const at = c.pos;
    const v = c.peek16(0, true);
    const profile = v & 0x0f;
    c.add('zbee_beacon.profile', profile, at, 2);
    c.add('zbee_beacon.version', (v >> 4) & 0x0f, at, 2);
    c.add('zbee_beacon.router', (v & 0x0400) !== 0, at, 2);
    c.add('zbee_beacon.depth', (v >> 11) & 0x0f, at, 2);
    c.add('zbee_beacon.end_dev', (v & 0x8000) !== 0, at, 2);
    c.skip(2);
    const epid = zbeeEui64(c, 'zbee_beacon.ext_panid');
    c.u24('zbee_beacon.tx_offset', true);
    if (c.reportedRemaining() > 0) c.u8('zbee_beacon.update_id');
    const src = c.below[c.below.length - 1]?.info['src'];
    return {
      summary: `Beacon${typeof src === 'string' ? `, Src: ${src}` : ''}, EPID: ${epid}`,
      info: { profile, epid },
    };
  },
});
