import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const TYPES: Record<number, string> = {
  0: 'Reserved',
  1: 'Map-Request',
  2: 'Map-Reply',
  3: 'Map-Register',
  4: 'Map-Notify',
  5: 'Map-Notify-Ack',
  6: 'Map-Referral',
  7: 'Info',
  8: 'Encapsulated Control Message',
  15: 'LISP Experimental Message',
};

const AFIS: Record<number, string> = { 0: 'Reserved', 1: 'IPv4', 2: 'IPv6', 6: '802 (includes all 802 media plus Ethernet)', 16387: 'LISP Canonical Address Format (LCAF)', 16389: '48-bit MAC' };

const ACTIONS: Record<number, string> = { 0: 'No-Action', 1: 'Natively-Forward', 2: 'Send-Map-Request', 3: 'Drop/No-Reason', 4: 'Drop/Policy-Denied', 5: 'Drop/Authentication-Failure' };

const SET = ['Set', 'Not set'] as const;

/** Keys under which an address of each family is recorded. */
interface AddressKeys {
  readonly ipv4: string;
  readonly ipv6: string;
  readonly mac?: string;
  /** A key for any family as text (locators). */
  readonly text?: string;
}

/**
 * An address of the given family (RFC 1700 AFI numbers): IPv4, IPv6, MAC, none (AFI 0), or an
 * LCAF block skipped by its length. Returns its text; an unknown family stops the message.
 */
function readAddress(c: Cursor, afi: number, keys: AddressKeys): string {
  const at = c.pos;
  let text: string;
  switch (afi) {
    case 0:
      return '';
    case 1:
      text = keys.text !== undefined ? c.ipv4() : c.ipv4(keys.ipv4);
      break;
    case 2:
      text = keys.text !== undefined ? c.ipv6() : c.ipv6(keys.ipv6);
      break;
    case 6:
    case 16389:
      text = keys.mac !== undefined && keys.text === undefined ? c.mac(keys.mac) : c.mac();
      break;
    case 16387: {
      // LCAF: reserved, flags, type, reserved, then a length and that many bytes.
      c.skip(4);
      const len = c.u16();
      c.skip(len);
      text = 'LCAF';
      break;
    }
    default:
      c.malformed(`LISP: unknown address family ${afi}`, undefined, at - 2);
  }
  if (keys.text !== undefined) c.add(keys.text, text, at, c.pos - at);
  return text;
}

/** One locator of a mapping record. */
function readLocator(c: Cursor): void {
  c.group('lisp.loc', () => {
    c.u8('lisp.loc.priority');
    c.u8('lisp.loc.weight');
    c.u8('lisp.loc.multicast_priority');
    c.u8('lisp.loc.multicast_weight');
    c.group('lisp.loc.flags', () => {
      c.bits('lisp.loc.flags.res', 2, 0xfff8);
      c.flag('lisp.loc.flags.local', 2, 0x4);
      c.flag('lisp.loc.flags.probe', 2, 0x2);
      c.flag('lisp.loc.flags.reach', 2, 0x1);
      return c.u16();
    }, 2);
    const afi = c.u16('lisp.loc.afi');
    return readAddress(c, afi, { ipv4: '', ipv6: '', text: 'lisp.loc.locator' });
  });
}

/**
 * Mapping records (Map-Reply, Map-Register, Map-Notify, Map-Referral); returns the first one's
 * EID prefix as `address/length` (tshark's Info).
 */
function readMappings(c: Cursor, count: number, referral: boolean): string | undefined {
  let first: string | undefined;
  for (let i = 0; i < count; i++) {
    c.group('lisp.mapping', () => {
      c.u32('lisp.mapping.ttl');
      const locators = c.u8('lisp.mapping.loccnt');
      const masklen = c.u8('lisp.mapping.eid.masklen');
      c.bits('lisp.mapping.act', 2, 0xe000);
      c.flag('lisp.mapping.auth', 2, 0x1000);
      if (referral) {
        c.flag('lisp.referral.incomplete', 2, 0x0800);
        c.bits('lisp.mapping.res1', 2, 0x07ff);
      } else {
        c.bits('lisp.mapping.res1', 2, 0x07ff);
      }
      c.skip(2);
      c.bits('lisp.mapping.res2', 2, 0xf000);
      c.bits('lisp.mapping.ver', 2, 0x0fff);
      c.skip(2);
      const afi = c.u16('lisp.mapping.eid.afi');
      const eid = readAddress(c, afi, { ipv4: 'lisp.mapping.eid.ipv4', ipv6: 'lisp.mapping.eid.ipv6', mac: 'lisp.mapping.eid.mac' });
      first ??= `${eid}/${masklen}`;
      for (let l = 0; l < locators; l++) readLocator(c);
      return eid;
    });
  }
  return first;
}

/** Key id, authentication data length and data (Map-Register, Map-Notify). */
function readAuth(c: Cursor): void {
  c.u16('lisp.keyid');
  const len = c.u16('lisp.authlen');
  if (len > 0) c.bytes('lisp.auth', len);
}

/**
 * LISP control messages (RFC 6830/6833 and RFC 9301, UDP 4342): the type and its flags, record
 * count and nonce; Map-Request source EID, ITR-RLOCs and EID records; mapping records with
 * their locators for Map-Reply/Register/Notify/Referral; authentication data. An Encapsulated
 * Control Message carries an IP packet.
 */
export const lisp = defineProtocol({
  id: 'lisp',
  name: 'Locator/ID Separation Protocol',
  short: 'LISP',
  bindings: [{ table: 'udp.port', key: 4342 }],
  fields: {
    'lisp.type': { label: 'Type', type: 'u24', mask: 0xf00000, values: TYPES },
    'lisp.irc': { label: 'ITR-RLOC Count', type: 'u24', mask: 0x1f },
    'lisp.records': { label: 'Record Count', type: 'u8' },
    'lisp.nonce': { label: 'Nonce', type: 'u64', base: 'hex' },
    'lisp.mreq.flags.auth': { label: 'A bit (Authoritative)', type: 'bool', mask: 0x080000, tfs: SET },
    'lisp.mreq.flags.mrp': { label: 'M bit (Map-Reply present)', type: 'bool', mask: 0x040000, tfs: SET },
    'lisp.mreq.flags.probe': { label: 'P bit (Probe)', type: 'bool', mask: 0x020000, tfs: SET },
    'lisp.mreq.flags.smr': { label: 'S bit (Solicit-Map-Request)', type: 'bool', mask: 0x010000, tfs: SET },
    'lisp.mreq.flags.pitr': { label: 'p bit (Proxy ITR)', type: 'bool', mask: 0x008000, tfs: SET },
    'lisp.mreq.flags.smri': { label: 's bit (SMR-invoked)', type: 'bool', mask: 0x004000, tfs: SET },
    'lisp.mreq.res': { label: 'Reserved bits', type: 'u24', base: 'hex', mask: 0x003fe0 },
    'lisp.mreq.srceid.afi': { label: 'Source EID AFI', type: 'u16', values: AFIS },
    'lisp.mreq.srceid.ipv4': { label: 'Source EID', type: 'ipv4' },
    'lisp.mreq.srceid_ipv6': { label: 'Source EID', type: 'ipv6' },
    'lisp.mreq.srceid.mac': { label: 'Source EID', type: 'ether' },
    'lisp.mreq.itr_rloc': { label: 'ITR-RLOC', type: 'none' },
    'lisp.mreq.itr_rloc.afi': { label: 'ITR-RLOC AFI', type: 'u16', values: AFIS },
    'lisp.mreq.itr_rloc_ipv4': { label: 'ITR-RLOC Address', type: 'ipv4' },
    'lisp.mreq.itr_rloc_ipv6': { label: 'ITR-RLOC Address', type: 'ipv6' },
    'lisp.mreq.record': { label: 'Map-Request Record', type: 'none' },
    'lisp.mreq.record.res': { label: 'Reserved', type: 'u8' },
    'lisp.mreq.record.prefix.length': { label: 'Prefix Length', type: 'u8' },
    'lisp.mreq.record.prefix.afi': { label: 'Prefix AFI', type: 'u16', values: AFIS },
    'lisp.mreq.record.prefix.ipv4': { label: 'Prefix', type: 'ipv4' },
    'lisp.mreq.record.prefix.ipv6': { label: 'Prefix', type: 'ipv6' },
    'lisp.mreq.record.prefix.mac': { label: 'Prefix', type: 'ether' },
    'lisp.mrep.flags.probe': { label: 'P bit (Probe)', type: 'bool', mask: 0x080000, tfs: SET },
    'lisp.mrep.flags.enlr': { label: 'E bit (Echo-Nonce locator reachability algorithm enabled)', type: 'bool', mask: 0x040000, tfs: SET },
    'lisp.mrep.flags.sec': { label: 'S bit (LISP-SEC capable)', type: 'bool', mask: 0x020000, tfs: SET },
    'lisp.mrep.res': { label: 'Reserved bits', type: 'u24', base: 'hex', mask: 0x01ffff },
    'lisp.mreg.flags.pmr': { label: 'P bit (Proxy-Map-Reply)', type: 'bool', mask: 0x080000, tfs: SET },
    'lisp.mreg.flags.sec': { label: 'S bit (LISP-SEC capable)', type: 'bool', mask: 0x040000, tfs: SET },
    'lisp.mreg.flags.xtrid': { label: 'I bit (xTR-ID present)', type: 'bool', mask: 0x020000, tfs: SET },
    'lisp.mreg.flags.rtr': { label: 'R bit (Built for an RTR)', type: 'bool', mask: 0x010000, tfs: SET },
    'lisp.mreg.res': { label: 'Reserved bits', type: 'u24', base: 'hex', mask: 0x00fffe },
    'lisp.mreg.flags.wmn': { label: 'M bit (Want-Map-Notify)', type: 'bool', mask: 0x000001, tfs: SET },
    'lisp.mnot.flags.xtrid': { label: 'I bit (xTR-ID present)', type: 'bool', mask: 0x080000, tfs: SET },
    'lisp.mnot.flags.rtr': { label: 'R bit (Built for an RTR)', type: 'bool', mask: 0x040000, tfs: SET },
    'lisp.mnot.res': { label: 'Reserved bits', type: 'u24', base: 'hex', mask: 0x03ffff },
    'lisp.mref.res': { label: 'Reserved bits', type: 'u24', base: 'hex', mask: 0x0fffff },
    'lisp.ecm.flags.sec': { label: 'S bit (LISP-SEC capable)', type: 'bool', mask: 0x08000000, tfs: SET },
    'lisp.ecm.flags.ddt': { label: 'D bit (DDT-originated)', type: 'bool', mask: 0x04000000, tfs: SET },
    'lisp.ecm.res': { label: 'Reserved bits', type: 'u32', base: 'hex', mask: 0x03ffffff },
    'lisp.keyid': { label: 'Key ID', type: 'u16', base: 'hex' },
    'lisp.authlen': { label: 'Authentication Data Length', type: 'u16' },
    'lisp.auth': { label: 'Authentication Data', type: 'bytes' },
    'lisp.xtrid': { label: 'xTR-ID', type: 'bytes' },
    'lisp.siteid': { label: 'Site-ID', type: 'bytes' },
    'lisp.mapping': { label: 'Mapping Record', type: 'none' },
    'lisp.mapping.ttl': { label: 'Record TTL', type: 'u32' },
    'lisp.mapping.loccnt': { label: 'Locator Count', type: 'u8' },
    'lisp.mapping.eid.masklen': { label: 'EID Mask Length', type: 'u8' },
    'lisp.mapping.act': { label: 'Action', type: 'u16', mask: 0xe000, values: ACTIONS },
    'lisp.mapping.auth': { label: 'Authoritative bit', type: 'bool', mask: 0x1000, tfs: SET },
    'lisp.referral.incomplete': { label: 'Incomplete', type: 'bool', mask: 0x0800, tfs: SET },
    'lisp.mapping.res1': { label: 'Reserved', type: 'u16', base: 'hex', mask: 0x07ff },
    'lisp.mapping.res2': { label: 'Reserved', type: 'u16', base: 'hex', mask: 0xf000 },
    'lisp.mapping.ver': { label: 'Mapping Version', type: 'u16', mask: 0x0fff },
    'lisp.mapping.eid.afi': { label: 'EID Prefix AFI', type: 'u16', values: AFIS },
    'lisp.mapping.eid.ipv4': { label: 'EID Prefix', type: 'ipv4' },
    'lisp.mapping.eid.ipv6': { label: 'EID Prefix', type: 'ipv6' },
    'lisp.mapping.eid.mac': { label: 'EID Prefix', type: 'ether' },
    'lisp.loc': { label: 'Locator Record', type: 'none' },
    'lisp.loc.priority': { label: 'Priority', type: 'u8' },
    'lisp.loc.weight': { label: 'Weight', type: 'u8' },
    'lisp.loc.multicast_priority': { label: 'Multicast Priority', type: 'u8' },
    'lisp.loc.multicast_weight': { label: 'Multicast Weight', type: 'u8' },
    'lisp.loc.flags': { label: 'Flags', type: 'u16', base: 'hex' },
    'lisp.loc.flags.res': { label: 'Reserved', type: 'u16', base: 'hex', mask: 0xfff8 },
    'lisp.loc.flags.local': { label: 'Local', type: 'bool', mask: 0x4, tfs: SET },
    'lisp.loc.flags.probe': { label: 'Probe', type: 'bool', mask: 0x2, tfs: SET },
    'lisp.loc.flags.reach': { label: 'Reachable', type: 'bool', mask: 0x1, tfs: SET },
    'lisp.loc.afi': { label: 'AFI', type: 'u16', values: AFIS },
    'lisp.loc.locator': { label: 'Locator', type: 'string' },
  },
  dissect(c) {
    const type = c.bits('lisp.type', 3, 0xf00000);
    const name = TYPES[type] ?? `Unknown LISP Control Packet (${type})`;
    c.provisional = name;
    const info = { type };
    if (type === 8) {
      // Encapsulated Control Message: 4 bytes of flags, then an IP header.
      c.flag('lisp.ecm.flags.sec', 4, 0x08000000);
      c.flag('lisp.ecm.flags.ddt', 4, 0x04000000);
      c.bits('lisp.ecm.res', 4, 0x03ffffff);
      c.skip(4);
      const version = c.peek8() >> 4;
      return { summary: name, info, next: version === 6 ? { protocol: 'ipv6' } : { protocol: 'ip' } };
    }
    let xtrid = false;
    switch (type) {
      case 1:
        c.flag('lisp.mreq.flags.auth', 3, 0x080000);
        c.flag('lisp.mreq.flags.mrp', 3, 0x040000);
        c.flag('lisp.mreq.flags.probe', 3, 0x020000);
        c.flag('lisp.mreq.flags.smr', 3, 0x010000);
        c.flag('lisp.mreq.flags.pitr', 3, 0x008000);
        c.flag('lisp.mreq.flags.smri', 3, 0x004000);
        c.bits('lisp.mreq.res', 3, 0x003fe0);
        c.bits('lisp.irc', 3, 0x1f);
        break;
      case 2:
        c.flag('lisp.mrep.flags.probe', 3, 0x080000);
        c.flag('lisp.mrep.flags.enlr', 3, 0x040000);
        c.flag('lisp.mrep.flags.sec', 3, 0x020000);
        c.bits('lisp.mrep.res', 3, 0x01ffff);
        break;
      case 3:
        c.flag('lisp.mreg.flags.pmr', 3, 0x080000);
        c.flag('lisp.mreg.flags.sec', 3, 0x040000);
        xtrid = c.flag('lisp.mreg.flags.xtrid', 3, 0x020000);
        c.flag('lisp.mreg.flags.rtr', 3, 0x010000);
        c.bits('lisp.mreg.res', 3, 0x00fffe);
        c.flag('lisp.mreg.flags.wmn', 3, 0x000001);
        break;
      case 4:
      case 5:
        xtrid = c.flag('lisp.mnot.flags.xtrid', 3, 0x080000);
        c.flag('lisp.mnot.flags.rtr', 3, 0x040000);
        c.bits('lisp.mnot.res', 3, 0x03ffff);
        break;
      case 6:
        c.bits('lisp.mref.res', 3, 0x0fffff);
        break;
      default:
        break;
    }
    const irc = type === 1 ? c.peek8(2) & 0x1f : 0;
    c.skip(3);
    if (type < 1 || type > 6) {
      // Info, experimental and reserved types: the rest is not dissected.
      c.skip(c.remaining());
      return { summary: name, info };
    }
    const records = c.u8('lisp.records');
    c.u64('lisp.nonce');
    let eid: string | undefined;
    if (type === 1) {
      const afi = c.u16('lisp.mreq.srceid.afi');
      readAddress(c, afi, { ipv4: 'lisp.mreq.srceid.ipv4', ipv6: 'lisp.mreq.srceid_ipv6', mac: 'lisp.mreq.srceid.mac' });
      for (let i = 0; i <= irc; i++) {
        c.group('lisp.mreq.itr_rloc', () => {
          const a = c.u16('lisp.mreq.itr_rloc.afi');
          return readAddress(c, a, { ipv4: 'lisp.mreq.itr_rloc_ipv4', ipv6: 'lisp.mreq.itr_rloc_ipv6' });
        });
      }
      for (let i = 0; i < records; i++) {
        c.group('lisp.mreq.record', () => {
          c.u8('lisp.mreq.record.res');
          const len = c.u8('lisp.mreq.record.prefix.length');
          const a = c.u16('lisp.mreq.record.prefix.afi');
          const prefix = readAddress(c, a, { ipv4: 'lisp.mreq.record.prefix.ipv4', ipv6: 'lisp.mreq.record.prefix.ipv6', mac: 'lisp.mreq.record.prefix.mac' });
          eid ??= `${prefix}/${len}`;
          return prefix;
        });
      }
    } else {
      if (type === 3 || type === 4 || type === 5) readAuth(c);
      eid = readMappings(c, records, type === 6);
      if (xtrid) {
        c.bytes('lisp.xtrid', 16);
        c.bytes('lisp.siteid', 8);
      }
    }
    // Anything after the records (LISP-SEC data, padding) stays in this layer.
    c.skip(c.remaining());
    return { summary: eid === undefined ? name : `${name} for ${eid}`, info };
  },
});

/**
 * The LISP data-plane header (UDP 4341): flags, nonce or map-versions, instance id or
 * locator-status bits; the encapsulated IPv4 or IPv6 packet follows.
 */
export const lispData = defineProtocol({
  id: 'lisp-data',
  name: 'Locator/ID Separation Protocol (Data)',
  short: 'LISP',
  bindings: [{ table: 'udp.port', key: 4341 }],
  fields: {
    'lisp-data.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'lisp-data.flags.nonce': { label: 'N bit (Nonce present)', type: 'bool', mask: 0x80, tfs: SET },
    'lisp-data.flags.lsb': { label: 'L bit (Locator-Status-Bits field enabled)', type: 'bool', mask: 0x40, tfs: SET },
    'lisp-data.flags.enr': { label: 'E bit (Echo-Nonce-Request)', type: 'bool', mask: 0x20, tfs: SET },
    'lisp-data.flags.mv': { label: 'V bit (Map-Version present)', type: 'bool', mask: 0x10, tfs: SET },
    'lisp-data.flags.iid': { label: 'I bit (Instance ID present)', type: 'bool', mask: 0x08, tfs: SET },
    'lisp-data.flags.res': { label: 'Reserved', type: 'u8', base: 'hex', mask: 0x07 },
    'lisp-data.nonce': { label: 'Nonce', type: 'u24' },
    'lisp-data.srcmapver': { label: 'Source Map-Version', type: 'u24', mask: 0xfff000 },
    'lisp-data.dstmapver': { label: 'Destination Map-Version', type: 'u24', mask: 0x000fff },
    'lisp-data.iid': { label: 'Instance ID', type: 'u24' },
    'lisp-data.lsb': { label: 'Locator-Status-Bits', type: 'u32', base: 'hex' },
    'lisp-data.lsb8': { label: 'Locator-Status-Bits', type: 'u8', base: 'hex' },
  },
  dissect(c) {
    const flags = c.peek8();
    c.group('lisp-data.flags', () => {
      c.flag('lisp-data.flags.nonce', 1, 0x80);
      c.flag('lisp-data.flags.lsb', 1, 0x40);
      c.flag('lisp-data.flags.enr', 1, 0x20);
      c.flag('lisp-data.flags.mv', 1, 0x10);
      c.flag('lisp-data.flags.iid', 1, 0x08);
      c.bits('lisp-data.flags.res', 1, 0x07);
      return c.u8();
    }, 1);
    if ((flags & 0x20) !== 0 && (flags & 0x80) === 0) c.expert('warning', 'Invalid flag combination: if E is set, N MUST be set', 'lisp-data.flags');
    if ((flags & 0x80) !== 0 && (flags & 0x10) !== 0) c.expert('warning', "Invalid flag combination: N and V can't be set both", 'lisp-data.flags');
    if ((flags & 0x80) !== 0) c.u24('lisp-data.nonce');
    else if ((flags & 0x10) !== 0) {
      c.bits('lisp-data.srcmapver', 3, 0xfff000);
      c.bits('lisp-data.dstmapver', 3, 0x000fff);
      c.skip(3);
    } else c.skip(3);
    if ((flags & 0x08) !== 0) {
      c.u24('lisp-data.iid');
      c.u8('lisp-data.lsb8');
    } else {
      c.u32('lisp-data.lsb');
    }
    if (!c.has(1)) return { summary: 'LISP Encapsulation Header', info: { flags } };
    const version = c.peek8() >> 4;
    return {
      summary: 'LISP Encapsulation Header',
      info: { flags },
      next: version === 4 ? { protocol: 'ip' } : version === 6 ? { protocol: 'ipv6' } : undefined,
    };
  },
});
