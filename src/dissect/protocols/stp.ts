import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const VERSIONS: Record<number, string> = { 0: 'Spanning Tree', 2: 'Rapid Spanning Tree', 3: 'Multiple Spanning Tree', 4: 'Shortest Path Tree' };
const TYPES: Record<number, string> = { 0x00: 'Configuration', 0x02: 'Rapid/Multiple Spanning Tree', 0x80: 'Topology Change Notification' };
const ROLES: Record<number, string> = { 0: 'Unknown', 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' };
const YES_NO = ['Yes', 'No'] as const;

const TYPE_CONF = 0x00;
const TYPE_RST = 0x02;
const TYPE_TCN = 0x80;

/** Cisco's PVST+ BPDUs come over SNAP with this OUI and PID. */
const PVST_SNAP = 0x00000c * 0x10000 + 0x010b;
/** Most MSTI configuration messages read from one BPDU (the standard allows 64). */
const MAX_MSTI = 64;
/** Most PVST+ TLVs read. */
const MAX_TLVS = 32;

const text = (label: string) => ({ label, type: 'none' as const });

/** The flag names tshark appends to the flags item, in its order. */
function flagsText(flags: number, rapid: boolean): string {
  let s = `0x${flags.toString(16).padStart(2, '0')}`;
  if (flags & 0x80) s += ', Topology Change Acknowledgment';
  if (rapid) {
    if (flags & 0x40) s += ', Agreement';
    if (flags & 0x20) s += ', Forwarding';
    if (flags & 0x10) s += ', Learning';
    if (flags & 0x0c) s += `, Port Role: ${ROLES[(flags & 0x0c) >> 2]}`;
    if (flags & 0x02) s += ', Proposal';
  }
  if (flags & 0x01) s += ', Topology Change';
  return s;
}

/** The flag bits: Configuration BPDUs have two, rapid and multiple ones seven. */
function readFlags(c: Cursor, key: string, rapid: boolean): number {
  const flags = c.peek8();
  c.group(key, () => {
    c.flag('stp.flags.tcack', 1, 0x80);
    if (rapid) {
      c.flag('stp.flags.agreement', 1, 0x40);
      c.flag('stp.flags.forwarding', 1, 0x20);
      c.flag('stp.flags.learning', 1, 0x10);
      c.bits('stp.flags.port_role', 1, 0x0c);
      c.flag('stp.flags.proposal', 1, 0x02);
    }
    c.flag('stp.flags.tc', 1, 0x01);
    return c.u8();
  }, 1, (v) => `${key === 'stp.flags' ? 'BPDU flags' : 'MSTI flags'}: ${flagsText(v, rapid)}`);
  return flags;
}

interface BridgeId {
  prio: number;
  ext: number;
  hw: string;
}

/** A bridge identifier: priority (high 4 bits), system id extension (low 12 bits), MAC address. */
function bridgeId(c: Cursor, group: string, prefix: string, title: string): BridgeId {
  const at = c.pos;
  const id: BridgeId = { prio: 0, ext: 0, hw: '' };
  c.group(group, () => {
    const v = c.u16();
    id.prio = v & 0xf000;
    id.ext = v & 0x0fff;
    c.add(`${prefix}.prio`, id.prio, at, 2);
    c.add(`${prefix}.ext`, id.ext, at, 2);
    id.hw = c.mac(`${prefix}.hw`);
    return c.data.subarray(at, at + 8);
  }, 8, () => `${title}: ${id.prio} / ${id.ext} / ${id.hw}`);
  return id;
}

/** A timer in units of 1/256 second, shown in seconds. */
function timer(c: Cursor, key: string): number {
  const at = c.pos;
  const v = c.u16() / 256;
  c.add(key, v, at, 2);
  return v;
}

/** The MST extension of a version 3 BPDU (IEEE 802.1Q): configuration id, CIST fields, MSTI messages. */
function mstExtension(c: Cursor): void {
  const v3len = c.u16('mstp.version_3_length');
  const end = c.pos + v3len;
  c.group('mstp.ext', () => {
    c.u8('mstp.config_format_selector');
    const nameAt = c.pos;
    const raw = c.bytes(undefined, 32);
    const nul = raw.indexOf(0);
    c.add('mstp.config_name', String.fromCharCode(...raw.subarray(0, nul < 0 ? 32 : nul)), nameAt, 32);
    c.u16('mstp.config_revision_level');
    c.bytes('mstp.config_digest', 16);
    c.u32('mstp.cist_internal_root_path_cost');
    bridgeId(c, 'mstp.cist_bridge', 'mstp.cist_bridge', 'CIST Bridge Identifier');
    c.u8('mstp.cist_remaining_hops');
    let n = 0;
    while (c.pos + 16 <= end && n++ < MAX_MSTI) {
      const at = c.pos;
      const rootHi = c.peek16(1);
      const prio = (rootHi & 0xf000) >> 12;
      const mstiId = rootHi & 0x0fff;
      let rootMac = '';
      c.group('mstp.msti', () => {
        readFlags(c, 'mstp.msti.flags', true);
        c.bits('mstp.msti.priority', 1, 0xf0);
        c.bits('mstp.msti.msti_id', 2, 0x0fff);
        c.skip(2);
        rootMac = c.mac('mstp.msti.root.hw');
        c.u32('mstp.msti.root_cost');
        const bp = c.u8();
        c.add('mstp.msti.bridge_priority', bp >> 4, c.pos - 1, 1);
        const pp = c.u8();
        c.add('mstp.msti.port_priority', pp >> 4, c.pos - 1, 1);
        c.u8('mstp.msti.remaining_hops');
        return c.data.subarray(at, at + 16);
      }, 16, () => `MSTID ${mstiId}, Regional Root Identifier ${prio * 4096} / ${rootMac}`);
    }
    if (n > MAX_MSTI) c.expert('note', `more than ${MAX_MSTI} MSTI messages: the rest are not read`);
    return c.data.subarray(c.pos, c.pos);
  }, -1, () => 'MST Extension');
}

/** Cisco PVST+ TLVs after the configuration BPDU (the originating VLAN). */
function pvstTlvs(c: Cursor): void {
  let n = 0;
  while (c.remaining() >= 4 && n++ < MAX_TLVS) {
    const at = c.pos;
    const type = c.peek16();
    const len = c.peek16(2);
    if (len > c.reportedRemaining() - 4) break;
    let vlan: number | undefined;
    c.group('stp.pvst.tlv', () => {
      c.u16('stp.pvst.tlvtype');
      c.u16('stp.pvst.tlvlen');
      if (type === 0 && len === 2) vlan = c.u16('stp.pvst.origvlan');
      else c.bytes('stp.pvst.tlvval', len);
      return c.data.subarray(at, c.pos);
    }, -1, () => (vlan !== undefined ? `Originating VLAN (PVID): ${vlan}` : `Unknown TLV (0x${type.toString(16).padStart(4, '0')})`));
  }
}

/** Spanning Tree Protocol BPDUs (IEEE 802.1D/802.1w/802.1s, and Cisco PVST+ over SNAP). */
export const stp = defineProtocol({
  id: 'stp',
  name: 'Spanning Tree Protocol',
  short: 'STP',
  bindings: [
    { table: 'llc.dsap', key: 0x42 },
    { table: 'llc.snap', key: PVST_SNAP },
  ],
  fields: {
    'stp.protocol': { label: 'Protocol Identifier', type: 'u16', base: 'hex', values: { 0: 'Spanning Tree Protocol' } },
    'stp.version': { label: 'Protocol Version Identifier', type: 'u8', values: VERSIONS },
    'stp.type': { label: 'BPDU Type', type: 'u8', base: 'hex', values: TYPES },
    'stp.flags': { label: 'BPDU flags', type: 'u8', base: 'hex' },
    'stp.flags.tcack': { label: 'Topology Change Acknowledgment', type: 'bool', mask: 0x80, tfs: YES_NO },
    'stp.flags.agreement': { label: 'Agreement', type: 'bool', mask: 0x40, tfs: YES_NO },
    'stp.flags.forwarding': { label: 'Forwarding', type: 'bool', mask: 0x20, tfs: YES_NO },
    'stp.flags.learning': { label: 'Learning', type: 'bool', mask: 0x10, tfs: YES_NO },
    'stp.flags.port_role': { label: 'Port Role', type: 'u8', mask: 0x0c, values: ROLES },
    'stp.flags.proposal': { label: 'Proposal', type: 'bool', mask: 0x02, tfs: YES_NO },
    'stp.flags.tc': { label: 'Topology Change', type: 'bool', mask: 0x01, tfs: YES_NO },
    // Text items of Wireshark's tree, kept as groups here.
    'stp.root': text('Root Identifier'),
    'stp.bridge': text('Bridge Identifier'),
    'stp.root.prio': { label: 'Root Bridge Priority', type: 'u16' },
    'stp.root.ext': { label: 'Root Bridge System ID Extension', type: 'u16' },
    'stp.root.hw': { label: 'Root Bridge System ID', type: 'ether' },
    'stp.root.cost': { label: 'Root Path Cost', type: 'u32' },
    'stp.bridge.prio': { label: 'Bridge Priority', type: 'u16' },
    'stp.bridge.ext': { label: 'Bridge System ID Extension', type: 'u16' },
    'stp.bridge.hw': { label: 'Bridge System ID', type: 'ether' },
    'stp.port': { label: 'Port identifier', type: 'u16', base: 'hex' },
    'stp.msg_age': { label: 'Message Age', type: 'double' },
    'stp.max_age': { label: 'Max Age', type: 'double' },
    'stp.hello': { label: 'Hello Time', type: 'double' },
    'stp.forward': { label: 'Forward Delay', type: 'double' },
    'stp.version_1_length': { label: 'Version 1 Length', type: 'u8' },
    'stp.pvst.tlv': text('PVST+ TLV'),
    'stp.pvst.tlvtype': { label: 'Type', type: 'u16', base: 'hex', values: { 0: 'Originating VLAN' } },
    'stp.pvst.tlvlen': { label: 'Length', type: 'u16' },
    'stp.pvst.origvlan': { label: 'Originating VLAN', type: 'u16' },
    'stp.pvst.tlvval': { label: 'Value', type: 'bytes' },
    'mstp.version_3_length': { label: 'Version 3 Length', type: 'u16' },
    'mstp.ext': text('MST Extension'),
    'mstp.config_format_selector': { label: 'MST Config ID format selector', type: 'u8' },
    'mstp.config_name': { label: 'MST Config name', type: 'string' },
    'mstp.config_revision_level': { label: 'MST Config revision', type: 'u16' },
    'mstp.config_digest': { label: 'MST Config digest', type: 'bytes' },
    'mstp.cist_internal_root_path_cost': { label: 'CIST Internal Root Path Cost', type: 'u32' },
    'mstp.cist_bridge': text('CIST Bridge Identifier'),
    'mstp.cist_bridge.prio': { label: 'CIST Bridge Priority', type: 'u16' },
    'mstp.cist_bridge.ext': { label: 'CIST Bridge Identifier System ID Extension', type: 'u16' },
    'mstp.cist_bridge.hw': { label: 'CIST Bridge Identifier System ID', type: 'ether' },
    'mstp.cist_remaining_hops': { label: 'CIST Remaining hops', type: 'u8' },
    'mstp.msti': text('MSTI configuration message'),
    'mstp.msti.flags': { label: 'MSTI flags', type: 'u8', base: 'hex' },
    'mstp.msti.priority': { label: 'Priority', type: 'u8', base: 'hex', mask: 0xf0 },
    'mstp.msti.msti_id': { label: 'MSTID', type: 'u16', mask: 0x0fff },
    'mstp.msti.root.hw': { label: 'Regional Root', type: 'ether' },
    'mstp.msti.root_cost': { label: 'Internal root path cost', type: 'u32' },
    'mstp.msti.bridge_priority': { label: 'Bridge Identifier Priority', type: 'u8' },
    'mstp.msti.port_priority': { label: 'Port identifier priority', type: 'u8' },
    'mstp.msti.remaining_hops': { label: 'Remaining hops', type: 'u8' },
  },
  dissect(c) {
    const protocol = c.u16('stp.protocol');
    const version = c.u8('stp.version');
    const type = c.u8('stp.type');
    if (type === TYPE_TCN) {
      return { summary: 'Topology Change Notification', info: { protocol, version, type } };
    }
    if (type !== TYPE_CONF && type !== TYPE_RST) {
      c.expert('warning', 'Unknown BPDU type data', 'stp.type', c.pos - 1);
      c.skip(c.remaining());
      return { summary: `Unknown BPDU type (${type})`, info: { protocol, version, type } };
    }
    const rapid = type === TYPE_RST;
    const flags = readFlags(c, 'stp.flags', rapid);
    const root = bridgeId(c, 'stp.root', 'stp.root', 'Root Identifier');
    const cost = c.u32('stp.root.cost');
    const bridge = bridgeId(c, 'stp.bridge', 'stp.bridge', 'Bridge Identifier');
    const port = c.u16('stp.port');
    timer(c, 'stp.msg_age');
    timer(c, 'stp.max_age');
    timer(c, 'stp.hello');
    timer(c, 'stp.forward');
    if (rapid) {
      c.u8('stp.version_1_length');
      if (version === 3 && c.remaining() >= 2) mstExtension(c);
    }
    const llc = c.below[c.below.length - 1];
    if (llc?.protocol === 'llc' && llc.info['oui'] === 0x00000c && llc.info['pid'] === 0x010b) {
      // PVST+ TLVs start 36 bytes into the BPDU, where a rapid BPDU's Version 1 Length is.
      if (!rapid && c.remaining() > 0) c.skip(1);
      pvstTlvs(c);
    }
    // What follows the BPDU (padding some senders add) belongs to it, as in tshark.
    if (c.remaining() > 0) c.skip(c.remaining());
    const kind = !rapid ? 'Conf. ' : version === 3 ? 'MST. ' : version === 4 ? 'SPT. ' : 'RST. ';
    return {
      summary: () => `${kind}${flags & 0x01 ? 'TC + ' : ''}Root = ${root.prio}/${root.ext}/${root.hw}  Cost = ${cost}  Port = 0x${port.toString(16).padStart(4, '0')}`,
      info: { protocol, version, type, flags, root: `${root.prio}/${root.ext}/${root.hw}`, bridge: `${bridge.prio}/${bridge.ext}/${bridge.hw}`, cost, port },
    };
  },
});
