import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { leFlag, smbPayloadTail } from './smb-common.js';

const COMMANDS: Record<number, string> = {
  0x01: 'Host Announcement',
  0x02: 'Request Announcement',
  0x08: 'Browser Election Request',
  0x09: 'Get Backup List Request',
  0x0a: 'Get Backup List Response',
  0x0b: 'Become Backup Browser',
  0x0c: 'Domain/Workgroup Announcement',
  0x0d: 'Master Announcement',
  0x0e: 'Reset Browser State Announcement',
  0x0f: 'Local Master Announcement',
};

const HOST_ANNOUNCEMENT = 0x01;
const REQUEST_ANNOUNCEMENT = 0x02;
const ELECTION_REQUEST = 0x08;
const BACKUP_LIST_REQUEST = 0x09;
const BACKUP_LIST_RESPONSE = 0x0a;
const BECOME_BACKUP = 0x0b;
const DOMAIN_ANNOUNCEMENT = 0x0c;
const MASTER_ANNOUNCEMENT = 0x0d;
const RESET_STATE = 0x0e;
const LOCAL_MASTER_ANNOUNCEMENT = 0x0f;
/** The announcements' signature word (MS-BRWS 2.2.1.1). */
const SIGNATURE = 0xaa55;

/** Server type bits (MS-RAP 5.1.1): key, mask, tree label, true/false texts, Info column name. */
const SERVER_TYPES: readonly (readonly [string, number, string, string, string, string])[] = [
  ['workstation', 0x1, 'Workstation', 'This is a Workstation', 'This is NOT a Workstation', 'Workstation'],
  ['server', 0x2, 'Server', 'This is a Server', 'This is NOT a Server', 'Server'],
  ['sql', 0x4, 'SQL', 'This is an SQL server', 'This is NOT an SQL server', 'SQL Server'],
  ['domain_controller', 0x8, 'Domain Controller', 'This is a Domain Controller', 'This is NOT a Domain Controller', 'Domain Controller'],
  ['backup_controller', 0x10, 'Backup Controller', 'This is a Backup Controller', 'This is NOT a Backup Controller', 'Backup Controller'],
  ['time', 0x20, 'Time Source', 'This is a Time Source', 'This is NOT a Time Source', 'Time Source'],
  ['apple', 0x40, 'Apple', 'This is an Apple host', 'This is NOT an Apple host', 'Apple Server'],
  ['novell', 0x80, 'Novell', 'This is a Novell server', 'This is NOT a Novell server', 'Novell Server'],
  ['member', 0x100, 'Member', 'This is a Domain Member server', 'This is NOT a Domain Member server', 'Domain Member Server'],
  ['print', 0x200, 'Print', 'This is a Print Queue server', 'This is NOT a Print Queue server', 'Print Queue Server'],
  ['dialin', 0x400, 'Dialin', 'This is a Dialin server', 'This is NOT a Dialin server', 'Dialin Server'],
  ['xenix', 0x800, 'Xenix', 'This is a Xenix server', 'This is NOT a Xenix server', 'Xenix Server'],
  ['ntw', 0x1000, 'NT Workstation', 'This is an NT Workstation', 'This is NOT an NT Workstation', 'NT Workstation'],
  ['wfw', 0x2000, 'WfW', 'This is a WfW host', 'This is NOT a WfW host', 'Windows for Workgroups'],
  ['nts', 0x8000, 'NT Server', 'This is an NT Server', 'This is NOT an NT Server', 'NT Server'],
  ['browser.potential', 0x10000, 'Potential Browser', 'This is a Potential Browser', 'This is NOT a Potential Browser', 'Potential Browser'],
  ['browser.backup', 0x20000, 'Backup Browser', 'This is a Backup Browser', 'This is NOT a Backup Browser', 'Backup Browser'],
  ['browser.master', 0x40000, 'Master Browser', 'This is a Master Browser', 'This is NOT a Master Browser', 'Master Browser'],
  ['browser.domain_master', 0x80000, 'Domain Master Browser', 'This is a Domain Master Browser', 'This is NOT a Domain Master Browser', 'Domain Master Browser'],
  ['osf', 0x100000, 'OSF', 'This is an OSF host', 'This is NOT an OSF host', 'OSF'],
  ['vms', 0x200000, 'VMS', 'This is a VMS host', 'This is NOT a VMS host', 'VMS'],
  ['w95', 0x400000, 'Windows 95+', 'This is a Windows 95 or above host', 'This is NOT a Windows 95 or above host', 'Windows 95 or above'],
  ['dfs', 0x800000, 'DFS', 'This is a DFS server', 'THis is NOT a DFS server', 'DFS server'],
  ['local', 0x40000000, 'Local', 'This is a local list only request', 'This is NOT a local list only request', 'Local List Only'],
  ['domainenum', 0x80000000, 'Domain Enum', 'This is a Domain Enum request', 'This is NOT a Domain Enum request', 'Domain Enum'],
];

const DESIRE: readonly (readonly [string, number, string, string, string])[] = [
  ['backup', 0x01, 'Backup', 'Backup Browse Server', 'NOT Backup Browse Server'],
  ['standby', 0x02, 'Standby', 'Standby Browse Server', 'NOT Standby Browse Server'],
  ['master', 0x04, 'Master', 'Master Browser', 'NOT Master Browser'],
  ['domain_master', 0x08, 'Domain Master', 'Domain Master Browse Server', 'NOT Domain Master Browse Server'],
  ['wins', 0x20, 'WINS', 'WINS Client', 'NOT WINS Client'],
  ['nt', 0x80, 'NT', 'Windows NT Advanced Server', 'NOT Windows NT Advanced Server'],
];

const ELECTION_OS: readonly (readonly [string, number, string, string, string])[] = [
  ['wfw', 0x01, 'WfW', 'Windows for Workgroups', 'Not Windows for Workgroups'],
  ['ntw', 0x10, 'NT Workstation', 'Windows NT Workstation', 'Not Windows NT Workstation'],
  ['nts', 0x20, 'NT Server', 'Windows NT Server', 'Not Windows NT Server'],
];

const RESET: readonly (readonly [string, number, string])[] = [
  ['demote', 0x1, 'Demote LMB'],
  ['flush', 0x2, 'Flush Browse List'],
  ['stop_lmb', 0x4, 'Stop Being LMB'],
];

/** Windows versions by OS major and minor version (the announcement's version bytes). */
const WINDOWS_VERSIONS: Record<number, string> = {
  0x0500: 'Windows 2000',
  0x0501: 'Windows XP',
  0x0502: 'Windows Server 2003',
  0x0600: 'Windows Vista',
  0x0601: 'Windows 7',
  0x0602: 'Windows 8',
  0x0603: 'Windows 8.1',
  0x0a00: 'Windows 10',
};

/** Milliseconds as tshark writes a duration: `13 days, 8 hours, 44 minutes, 22.982 seconds`. */
export function msecsText(ms: number): string {
  const parts: string[] = [];
  const unit = (n: number, word: string): void => {
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  const secs = Math.floor(ms / 1000);
  const frac = ms % 1000;
  unit(Math.floor(secs / 86400), 'day');
  unit(Math.floor((secs % 86400) / 3600), 'hour');
  unit(Math.floor((secs % 3600) / 60), 'minute');
  const s = secs % 60;
  if (frac !== 0) parts.push(`${s}.${String(frac).padStart(3, '0')} seconds`);
  else if (s !== 0 || parts.length === 0) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** A NUL-terminated string (the field covers the terminator), at most up to `end`. */
function stringz(c: Cursor, key: string, end: number, label?: string): string {
  const at = c.pos;
  let s = '';
  let guard = 0;
  while (guard++ < 0x10000) {
    if (c.pos >= end) c.need(1);
    const ch = c.u8();
    if (ch === 0) break;
    s += String.fromCharCode(ch);
  }
  c.add(key, s, at, c.pos - at, label === undefined ? undefined : `${label}: ${s}`);
  return s;
}

/** A fixed-width name padded with NULs (or anything after the first NUL). */
function fixedName(c: Cursor, key: string, width: number, label: string): string {
  const at = c.pos;
  const raw = c.bytes(undefined, width);
  let s = '';
  for (const b of raw) {
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  c.add(key, s, at, width, `${label}: ${s}`);
  return s;
}

/** A byte of flags with its named bits, displayed as tshark lists the set ones. */
function flagByte(c: Cursor, key: string, flags: readonly (readonly [string, number, string, ...string[]])[], label: string): number {
  const v = c.peek8();
  c.group(key, () => {
    for (const [k, mask] of flags) c.flag(`${key}.${k}`, 1, mask);
    return c.u8();
  }, 1, () => `${label}: 0x${v.toString(16).padStart(2, '0')}${flags.filter(([, m]) => v & m).map(([, , l]) => `, ${l}`).join('')}`);
  return v;
}

const flagFields = (prefix: string, flags: readonly (readonly [string, number, string, string, string])[]): Record<string, { label: string; type: 'bool'; mask: number; tfs: readonly [string, string] }> =>
  Object.fromEntries(flags.map(([k, mask, label, t, f]) => [`${prefix}.${k}`, { label, type: 'bool' as const, mask, tfs: [t, f] as const }]));

/**
 * Microsoft Windows Browser Protocol (MS-BRWS): announcements, elections and backup lists sent
 * to the browse mailslots.
 */
export const browser = defineProtocol({
  id: 'browser',
  name: 'Microsoft Windows Browser Protocol',
  short: 'BROWSER',
  fields: {
    'browser.command': { label: 'Command', type: 'u8', base: 'hex', values: COMMANDS },
    'browser.update_count': { label: 'Update Count', type: 'u8' },
    'browser.period': { label: 'Update Periodicity', type: 'u32', format: msecsText },
    'browser.server': { label: 'Server Name', type: 'string' },
    'browser.mb_server': { label: 'Master Browser Server Name', type: 'string' },
    'browser.windows_version': { label: 'Windows version', type: 'string' },
    'browser.os_major': { label: 'OS Major Version', type: 'u8' },
    'browser.os_minor': { label: 'OS Minor Version', type: 'u8' },
    'browser.server_type': { label: 'Server Type', type: 'u32', base: 'hex' },
    ...Object.fromEntries(SERVER_TYPES.map(([k, mask, label, t, f]) => [`browser.server_type.${k}`, { label, type: 'bool' as const, mask, tfs: [t, f] as const }])),
    'browser.proto_major': { label: 'Browser Protocol Major Version', type: 'u8' },
    'browser.proto_minor': { label: 'Browser Protocol Minor Version', type: 'u8' },
    'browser.sig': { label: 'Signature', type: 'u16', base: 'hex' },
    'browser.comment': { label: 'Host Comment', type: 'string' },
    'browser.mysterious_field': { label: 'Mysterious Field', type: 'u32', base: 'hex' },
    'browser.unused': { label: 'Unused flags', type: 'u8', base: 'hex' },
    'browser.response_computer_name': { label: 'Response Computer Name', type: 'string' },
    'browser.election.version': { label: 'Election Version', type: 'u8' },
    'browser.election.criteria': { label: 'Election Criteria', type: 'u32', base: 'hex' },
    'browser.election.desire': { label: 'Election Desire', type: 'u8', base: 'hex' },
    ...flagFields('browser.election.desire', DESIRE),
    'browser.election.os': { label: 'Election OS', type: 'u8', base: 'hex' },
    ...flagFields('browser.election.os', ELECTION_OS),
    'browser.uptime': { label: 'Uptime', type: 'u32', format: msecsText },
    'browser.backup.count': { label: 'Backup List Requested Count', type: 'u8' },
    'browser.backup.token': { label: 'Backup Request Token', type: 'u32' },
    'browser.backup.server': { label: 'Backup Server', type: 'string' },
    'browser.browser_to_promote': { label: 'Browser to Promote', type: 'string' },
    'browser.reset_cmd': { label: 'ResetBrowserState Command', type: 'u8', base: 'hex' },
    ...Object.fromEntries(RESET.map(([k, mask, label]) => [`browser.reset_cmd.${k}`, { label, type: 'bool' as const, mask }])),
  },
  dissect(c) {
    const start = c.pos;
    const dataEnd = c.ctx['smbDataEnd'];
    if (typeof dataEnd === 'number' && c.ctx['nbssEnd'] === undefined && dataEnd > start && dataEnd <= c.repEnd) c.limit(dataEnd - start);
    const end = c.repEnd;
    const cmd = c.u8('browser.command');
    const name = COMMANDS[cmd] ?? `Unknown command: 0x${cmd.toString(16).padStart(2, '0')}`;
    c.provisional = name;
    let summary = name;
    switch (cmd) {
      case HOST_ANNOUNCEMENT:
      case DOMAIN_ANNOUNCEMENT:
      case LOCAL_MASTER_ANNOUNCEMENT: {
        c.u8('browser.update_count');
        c.u32('browser.period', true);
        const host = fixedName(c, 'browser.server', 16, cmd === DOMAIN_ANNOUNCEMENT ? 'Domain/Workgroup' : 'Host Name');
        const major = c.peek8();
        const minor = c.peek8(1);
        c.add('browser.windows_version', WINDOWS_VERSIONS[(major << 8) | minor] ?? '', c.pos, 2);
        c.u8('browser.os_major');
        c.u8('browser.os_minor');
        const types = serverType(c);
        if (c.summaries) summary = `${name} ${host}${SERVER_TYPES.filter(([, m]) => (types & m) >>> 0 !== 0).map(([, , , , , info]) => `, ${info}`).join('')}`;
        c.provisional = summary;
        if (cmd === DOMAIN_ANNOUNCEMENT && c.peek16(2, true) !== SIGNATURE) {
          // Older senders put something else than the version and signature here.
          c.u32('browser.mysterious_field', true);
        } else {
          c.u8('browser.proto_major');
          c.u8('browser.proto_minor');
          c.u16('browser.sig', true);
        }
        stringz(c, cmd === DOMAIN_ANNOUNCEMENT ? 'browser.mb_server' : 'browser.comment', end);
        break;
      }
      case REQUEST_ANNOUNCEMENT:
        c.u8('browser.unused');
        stringz(c, 'browser.response_computer_name', end);
        break;
      case ELECTION_REQUEST: {
        c.u8('browser.election.version');
        const at = c.pos;
        c.group('browser.election.criteria', () => {
          flagByte(c, 'browser.election.desire', DESIRE, 'Election Desire');
          c.u8('browser.proto_major');
          c.u8('browser.proto_minor');
          flagByte(c, 'browser.election.os', ELECTION_OS, 'Election OS');
          return c.dv.getUint32(at, true);
        }, 4);
        c.u32('browser.uptime', true);
        c.skip(4);
        if (c.pos < end) stringz(c, 'browser.server', end);
        break;
      }
      case BACKUP_LIST_REQUEST:
        c.u8('browser.backup.count');
        c.u32('browser.backup.token', true);
        break;
      case BACKUP_LIST_RESPONSE: {
        const n = c.u8('browser.backup.count');
        c.u32('browser.backup.token', true);
        for (let i = 0; i < n && c.pos < end; i++) stringz(c, 'browser.backup.server', end);
        break;
      }
      case BECOME_BACKUP:
        stringz(c, 'browser.browser_to_promote', end);
        break;
      case MASTER_ANNOUNCEMENT:
        stringz(c, 'browser.mb_server', end);
        break;
      case RESET_STATE: {
        const v = c.peek8();
        c.group('browser.reset_cmd', () => {
          for (const [k, mask] of RESET) c.flag(`browser.reset_cmd.${k}`, 1, mask);
          return c.u8();
        }, 1, () => `ResetBrowserState Command: 0x${v.toString(16).padStart(2, '0')}`);
        break;
      }
      default:
        break;
    }
    // What is left of the mail data belongs to the browser message.
    if (c.pos < end) c.seek(Math.min(end, c.capEnd));
    return { summary, info: { cmd }, next: smbPayloadTail(c) };
  },
});

/** The server type word, little-endian, with its bits; returns the value. */
function serverType(c: Cursor): number {
  const at = c.pos;
  const v = c.group('browser.server_type', () => {
    for (const [k, mask] of SERVER_TYPES) leFlag(c, `browser.server_type.${k}`, at, mask);
    return c.u32(undefined, true);
  }, 4, (v) => `Server Type: 0x${v.toString(16).padStart(8, '0')}${SERVER_TYPES.filter(([, m]) => (v & m) >>> 0 !== 0).map(([, , label]) => `, ${label}`).join('')}`);
  return v;
}
