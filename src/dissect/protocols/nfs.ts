import type { Cursor } from '../cursor.js';
import type { FieldDecl } from '../field-types.js';
import { defineProtocol } from '../protocol.js';
import { finishMessage, programSummary } from './portmap.js';
import { NFS, procedureValues, type RpcCall } from './rpc-programs.js';
import { crc32, xdrString } from './xdr.js';

/** NFS version 2 status (RFC 1094 2.3.1). */
const STATUS2: Record<number, string> = {
  0: 'NFS_OK', 1: 'NFS2ERR_PERM', 2: 'NFS2ERR_NOENT', 5: 'NFS2ERR_IO', 6: 'NFS2ERR_NXIO', 13: 'NFS2ERR_ACCES',
  17: 'NFS2ERR_EXIST', 19: 'NFS2ERR_NODEV', 20: 'NFS2ERR_NOTDIR', 21: 'NFS2ERR_ISDIR', 27: 'NFS2ERR_FBIG',
  28: 'NFS2ERR_NOSPC', 30: 'NFS2ERR_ROFS', 63: 'NFS2ERR_NAMETOOLONG', 66: 'NFS2ERR_NOTEMPTY', 69: 'NFS2ERR_DQUOT',
  70: 'NFS2ERR_STALE', 99: 'NFS2ERR_WFLUSH',
};

/** NFS version 3 status (RFC 1813 2.6). */
const STATUS3: Record<number, string> = {
  0: 'NFS3_OK', 1: 'NFS3ERR_PERM', 2: 'NFS3ERR_NOENT', 5: 'NFS3ERR_IO', 6: 'NFS3ERR_NXIO', 13: 'NFS3ERR_ACCES',
  17: 'NFS3ERR_EXIST', 18: 'NFS3ERR_XDEV', 19: 'NFS3ERR_NODEV', 20: 'NFS3ERR_NOTDIR', 21: 'NFS3ERR_ISDIR',
  22: 'NFS3ERR_INVAL', 27: 'NFS3ERR_FBIG', 28: 'NFS3ERR_NOSPC', 30: 'NFS3ERR_ROFS', 31: 'NFS3ERR_MLINK',
  63: 'NFS3ERR_NAMETOOLONG', 66: 'NFS3ERR_NOTEMPTY', 69: 'NFS3ERR_DQUOT', 70: 'NFS3ERR_STALE', 71: 'NFS3ERR_REMOTE',
  10001: 'NFS3ERR_BADHANDLE', 10002: 'NFS3ERR_NOT_SYNC', 10003: 'NFS3ERR_BAD_COOKIE', 10004: 'NFS3ERR_NOTSUPP',
  10005: 'NFS3ERR_TOOSMALL', 10006: 'NFS3ERR_SERVERFAULT', 10007: 'NFS3ERR_BADTYPE', 10008: 'NFS3ERR_JUKEBOX',
};

const FTYPE2: Record<number, string> = { 0: 'Non-File', 1: 'Regular File', 2: 'Directory', 3: 'Block Special Device', 4: 'Character Special Device', 5: 'Symbolic Link' };
const STABLE: Record<number, string> = { 0: 'UNSTABLE', 1: 'DATA_SYNC', 2: 'FILE_SYNC' };

/** The permission bits of a mode word (the low 12 bits): key, mask, label. */
const MODE_BITS: readonly (readonly [string, number, string])[] = [
  ['set_user_id', 0o4000, 'Set user id on exec'],
  ['set_group_id', 0o2000, 'Set group id on exec'],
  ['save_swap_text', 0o1000, 'Save swapped text even after use'],
  ['read_owner', 0o400, 'Read permission for owner'],
  ['write_owner', 0o200, 'Write permission for owner'],
  ['exec_owner', 0o100, 'Execute permission for owner'],
  ['read_group', 0o40, 'Read permission for group'],
  ['write_group', 0o20, 'Write permission for group'],
  ['exec_group', 0o10, 'Execute permission for group'],
  ['read_other', 0o4, 'Read permission for others'],
  ['write_other', 0o2, 'Write permission for others'],
  ['exec_other', 0o1, 'Execute permission for others'],
];

// Version 2 procedures (RFC 1094 2.2).
const V2 = { NULL: 0, GETATTR: 1, SETATTR: 2, LOOKUP: 4, READLINK: 5, READ: 6, WRITE: 8, CREATE: 9, REMOVE: 10, RENAME: 11, LINK: 12, SYMLINK: 13, MKDIR: 14, RMDIR: 15, READDIR: 16, STATFS: 17 } as const;
// Version 3 procedures (RFC 1813 3.3).
const V3 = { GETATTR: 1, SETATTR: 2, LOOKUP: 3, ACCESS: 4, READLINK: 5, READ: 6, WRITE: 7, CREATE: 8, MKDIR: 9, SYMLINK: 10, MKNOD: 11, REMOVE: 12, RMDIR: 13, RENAME: 14, LINK: 15, READDIR: 16, READDIRPLUS: 17, FSSTAT: 18, FSINFO: 19, PATHCONF: 20, COMMIT: 21 } as const;

/** Longest version 3 file handle (RFC 1813 2.4: NFS3_FHSIZE). */
const FHSIZE3 = 64;
/** Most directory entries of a READDIR reply read. */
const MAX_ENTRIES = 10_000;
const NAME_MAX = 1024;

const u32Field = (label: string, extra: Partial<FieldDecl> = {}): FieldDecl => ({ label, type: 'u32', ...extra });

/** A file handle's CRC-32, as tshark shows it in the Info column (`0x38a4e9f6`). */
const hashText = (h: number): string => `0x${h.toString(16).padStart(8, '0')}`;

/** Version 2 file handle: 32 opaque bytes. Returns its hash. */
export function readFh2(c: Cursor): number {
  return fhBytes(c, 32);
}

/** Version 3 file handle: a length (at most 64) and the bytes, padded. Returns its hash. */
export function readFh3(c: Cursor): number {
  const n = c.u32('nfs.fh.length');
  if (n > FHSIZE3) c.malformed(`file handle of ${n} bytes (at most ${FHSIZE3})`, 'nfs.fh.length', c.pos - 4);
  const h = fhBytes(c, n);
  const pad = (4 - (n % 4)) % 4;
  if (pad > 0) c.bytes('rpc.fill_bytes', pad);
  return h;
}

function fhBytes(c: Cursor, n: number): number {
  const at = c.pos;
  c.need(n);
  const h = crc32(c.data, at, at + n);
  c.add('nfs.fh.hash', h, at, n);
  c.bytes('nfs.fhandle', n);
  return h;
}

/** A time value: seconds and micro (v2) or nano (v3) seconds. */
function readTime(c: Cursor, key: string, nano: boolean): void {
  const sec = c.peek32();
  const sub = c.peek32(4);
  // Seconds of all ones (a settable time left unset) is "no value", shown without its parts.
  const none = sec === 0xffffffff;
  c.group(key, () => {
    if (none) {
      c.skip(8);
      return timeText(sec, 0);
    }
    c.u32(`${key}.sec`);
    c.u32(nano ? `${key}.nsec` : `${key}.usec`);
    return timeText(sec, nano ? sub : sub * 1000);
  }, 8, () => (none ? `${key.slice(4)}: no value` : `${key.slice(4)}: ${timeText(sec, nano ? sub : sub * 1000)}`));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Seconds since 1970 as tshark prints an absolute time in UTC. */
function timeText(sec: number, ns: number): string {
  const d = new Date(sec * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(ns).padStart(9, '0')} UTC`;
}

/** A mode word with its permission bits. */
function readMode(c: Cursor): void {
  const v = c.peek32();
  c.group('nfs.mode', () => {
    // All ones (a settable mode left unset) is "no value", shown without its bits.
    if (v !== 0xffffffff) for (const [k, mask] of MODE_BITS) c.flag(`nfs.mode.${k}`, 4, mask);
    return c.u32();
  }, 4, () => (v === 0xffffffff ? 'mode: no value' : `mode: 0${v.toString(8)}${MODE_BITS.filter(([, m]) => v & m).map(([, , l]) => `, ${l}`).join('')}`));
}

/** Version 2 file attributes (RFC 1094 2.3.5). */
function readFattr2(c: Cursor): void {
  c.u32('nfs.ftype');
  readMode(c);
  for (const k of ['nlink', 'uid', 'gid', 'size', 'blocksize', 'rdev', 'blocks', 'fsid', 'fileid']) c.u32(`nfs.fattr.${k}`);
  readTime(c, 'nfs.atime', false);
  readTime(c, 'nfs.mtime', false);
  readTime(c, 'nfs.ctime', false);
}

/** Version 2 settable attributes (RFC 1094 2.3.6). */
function readSattr2(c: Cursor): void {
  readMode(c);
  c.u32('nfs.fattr.uid');
  c.u32('nfs.fattr.gid');
  c.u32('nfs.fattr.size');
  readTime(c, 'nfs.atime', false);
  readTime(c, 'nfs.mtime', false);
}

/** Directory and name: `0x38a4e9f6/a` for the Info column. */
function readDirop2(c: Cursor): string {
  const h = readFh2(c);
  const name = xdrString(c, 'nfs.name', 'Name', NAME_MAX);
  return `${hashText(h)}/${name}`;
}

function readDirop3(c: Cursor): string {
  const h = readFh3(c);
  const name = xdrString(c, 'nfs.name', 'Name', NAME_MAX);
  return `${hashText(h)}/${name}`;
}

/**
 * Network File System (program 100003), versions 2 (RFC 1094) and 3 (RFC 1813): every version 2
 * call and reply; version 3 calls and the status of replies (with the file handle LOOKUP returns).
 * Data beyond the packet (a WRITE in the first fragment of a datagram) stops the layer as a
 * read past the end, which the hierarchy shows as unreassembled.
 */
export const nfs = defineProtocol({
  id: 'nfs',
  name: 'Network File System',
  short: 'NFS',
  bindings: [{ table: 'rpc.program', key: NFS }],
  fields: {
    'nfs.procedure_v2': { label: 'V2 Procedure', type: 'u32', values: procedureValues(NFS, 2) },
    'nfs.procedure_v3': { label: 'V3 Procedure', type: 'u32', values: procedureValues(NFS, 3) },
    'nfs.fh.length': u32Field('length'),
    'nfs.fh.hash': u32Field('hash (CRC-32)', { base: 'hex' }),
    'nfs.fhandle': { label: 'FileHandle', type: 'bytes' },
    'nfs.status2': u32Field('Status', { values: STATUS2 }),
    'nfs.status3': u32Field('Status', { values: STATUS3 }),
    'nfs.name': { label: 'Name', type: 'string' },
    'nfs.symlink.to': { label: 'To', type: 'string' },
    'nfs.readlink.data': { label: 'Data', type: 'string' },
    'nfs.ftype': u32Field('type', { values: FTYPE2 }),
    // Octal in the tree (the group's text), decimal in `fields` output as tshark prints it.
    'nfs.mode': { label: 'mode', type: 'u32' },
    ...Object.fromEntries(MODE_BITS.map(([k, mask, label]) => [`nfs.mode.${k}`, { label, type: 'bool' as const, mask, tfs: ['Yes', 'No'] as const }])),
    'nfs.fattr.nlink': u32Field('nlink'),
    'nfs.fattr.uid': u32Field('uid'),
    'nfs.fattr.gid': u32Field('gid'),
    'nfs.fattr.size': u32Field('size'),
    'nfs.fattr.blocksize': u32Field('blocksize'),
    'nfs.fattr.rdev': u32Field('rdev'),
    'nfs.fattr.blocks': u32Field('blocks'),
    'nfs.fattr.fsid': u32Field('fsid', { base: 'hex' }),
    'nfs.fattr.fileid': u32Field('fileid'),
    ...Object.fromEntries(['atime', 'mtime', 'ctime'].flatMap((t) => [
      [`nfs.${t}`, { label: t, type: 'abs_time' as const }],
      [`nfs.${t}.sec`, u32Field('seconds')],
      [`nfs.${t}.usec`, u32Field('micro seconds')],
      [`nfs.${t}.nsec`, u32Field('nano seconds')],
    ])),
    'nfs.read.offset': u32Field('Offset'),
    'nfs.read.count': u32Field('Count'),
    'nfs.read.totalcount': u32Field('Total Count'),
    'nfs.write.beginoffset': u32Field('Begin Offset'),
    'nfs.write.offset': u32Field('Offset'),
    'nfs.write.totalcount': u32Field('Total Count'),
    'nfs.write.stable': u32Field('Stable', { values: STABLE }),
    'nfs.data': { label: 'Data', type: 'bytes' },
    'nfs.readdir.cookie': u32Field('Cookie'),
    'nfs.readdir.count': u32Field('Count'),
    'nfs.readdir.entry': { label: 'Entry', type: 'none' },
    'nfs.readdir.entry.fileid': u32Field('File ID'),
    'nfs.readdir.entry.name': { label: 'Name', type: 'string' },
    'nfs.readdir.entry.cookie': u32Field('Cookie'),
    'nfs.readdir.eof': u32Field('EOF'),
    'nfs.statfs.tsize': u32Field('Transfer Size'),
    'nfs.statfs.bsize': u32Field('Block Size'),
    'nfs.statfs.blocks': u32Field('Total Blocks'),
    'nfs.statfs.bfree': u32Field('Free Blocks'),
    'nfs.statfs.bavail': u32Field('Available Blocks'),
    'nfs.offset3': { label: 'offset', type: 'u64' },
    'nfs.count3': u32Field('count'),
    'nfs.cookie3': { label: 'cookie', type: 'u64' },
    'nfs.verifier': { label: 'Verifier', type: 'bytes' },
    'nfs.dircount': u32Field('dircount'),
    'nfs.maxcount': u32Field('maxcount'),
    'nfs.access_check': { label: 'Check access', type: 'u8', base: 'hex' },
  },
  dissect(c) {
    const r = c.ctx['rpc'] as RpcCall | undefined;
    if (r === undefined) return undefined;
    const { version: v, procedure: proc } = r;
    const start = c.pos;
    c.add('rpc.programversion', v, start, 0);
    if (v === 2 || v === 3) c.add(`nfs.procedure_v${v}`, proc, start, 0);
    const head = programSummary(NFS, r);
    c.provisional = head;
    let extra = '';
    // The Info text is shown as far as it was built when a read fails.
    c.provisional = () => head + extra;
    if (v === 2) extra = r.call ? call2(c, proc, (s) => (extra = s)) : reply2(c, proc, (s) => (extra = s));
    else if (v === 3) extra = r.call ? call3(c, proc, (s) => (extra = s)) : reply3(c, proc, (s) => (extra = s));
    finishMessage(c, r);
    return { summary: head + extra, info: { procedure: proc, call: r.call, version: v } };
  },
});

/** A version 2 call; `say` records the Info text so far (for a read that fails later). */
function call2(c: Cursor, proc: number, say: (s: string) => void): string {
  switch (proc) {
    case V2.GETATTR:
    case V2.READLINK:
    case V2.STATFS:
      return `, FH: ${hashText(readFh2(c))}`;
    case V2.SETATTR: {
      const s = `, FH: ${hashText(readFh2(c))}`;
      say(s);
      readSattr2(c);
      return s;
    }
    case V2.LOOKUP:
    case V2.REMOVE:
    case V2.RMDIR:
      return `, DH: ${readDirop2(c)}`;
    case V2.CREATE:
    case V2.MKDIR: {
      const s = `, DH: ${readDirop2(c)}`;
      say(s);
      readSattr2(c);
      return s;
    }
    case V2.READ: {
      const fh = hashText(readFh2(c));
      const offset = c.u32('nfs.read.offset');
      const count = c.u32('nfs.read.count');
      const total = c.u32('nfs.read.totalcount');
      return `, FH: ${fh} Offset: ${offset} Count: ${count} TotalCount: ${total}`;
    }
    case V2.WRITE: {
      const fh = hashText(readFh2(c));
      const begin = c.u32('nfs.write.beginoffset');
      const offset = c.u32('nfs.write.offset');
      const total = c.u32('nfs.write.totalcount');
      const s = `, FH: ${fh} BeginOffset: ${begin} Offset: ${offset} TotalCount: ${total}`;
      say(s);
      readData(c);
      return s;
    }
    case V2.RENAME: {
      const from = readDirop2(c);
      say(`, From DH: ${from}`);
      return `, From DH: ${from} To DH: ${readDirop2(c)}`;
    }
    case V2.LINK: {
      const from = hashText(readFh2(c));
      say(`, From DH: ${from}`);
      return `, From DH: ${from} To DH: ${readDirop2(c)}`;
    }
    case V2.SYMLINK: {
      const from = readDirop2(c);
      say(`, From DH: ${from}`);
      const to = xdrString(c, 'nfs.symlink.to', 'To', NAME_MAX);
      const s = `, From DH: ${from} To ${to}`;
      say(s);
      readSattr2(c);
      return s;
    }
    case V2.READDIR: {
      const s = `, FH: ${hashText(readFh2(c))}`;
      say(s);
      c.u32('nfs.readdir.cookie');
      c.u32('nfs.readdir.count');
      return s;
    }
    default:
      return '';
  }
}

/** A version 2 reply: the status, then what the procedure returns. */
function reply2(c: Cursor, proc: number, say: (s: string) => void): string {
  if (proc === V2.NULL) return '';
  const status = c.u32('nfs.status2');
  if (status !== 0) return ` Error: ${STATUS2[status] ?? `Unknown (${status})`}`;
  switch (proc) {
    case V2.GETATTR:
    case V2.SETATTR:
    case V2.WRITE:
      readFattr2(c);
      return '';
    case V2.LOOKUP:
    case V2.CREATE:
    case V2.MKDIR: {
      const s = `, FH: ${hashText(readFh2(c))}`;
      say(s);
      readFattr2(c);
      return s;
    }
    case V2.READLINK:
      return ` Path: ${xdrString(c, 'nfs.readlink.data', 'Data', NAME_MAX)}`;
    case V2.READ:
      readFattr2(c);
      readData(c);
      return '';
    case V2.READDIR:
      readEntries2(c);
      return '';
    case V2.STATFS:
      for (const k of ['tsize', 'bsize', 'blocks', 'bfree', 'bavail']) c.u32(`nfs.statfs.${k}`);
      return '';
    default:
      return '';
  }
}

/** Opaque file data (a READ result, WRITE arguments). */
function readData(c: Cursor): void {
  const n = c.u32('rpc.opaque_length');
  c.bytes('nfs.data', n);
  const pad = (4 - (n % 4)) % 4;
  if (pad > 0) c.bytes('rpc.fill_bytes', pad);
}

/** READDIR entries: value-follows flags around each, then the EOF flag. */
function readEntries2(c: Cursor): void {
  for (let i = 0; i < MAX_ENTRIES; i++) {
    const follows = c.peek32() !== 0;
    c.add('rpc.value_follows', follows, c.pos, 4, `Value Follows: ${follows ? 'Yes' : 'No'}`);
    c.skip(4);
    if (!follows) {
      c.u32('nfs.readdir.eof');
      return;
    }
    let id = 0;
    let name = '';
    c.group('nfs.readdir.entry', () => {
      id = c.u32('nfs.readdir.entry.fileid');
      name = xdrString(c, 'nfs.readdir.entry.name', 'Name', NAME_MAX);
      c.u32('nfs.readdir.entry.cookie');
      return '';
    }, -1, () => `Entry: file ID ${id}, name ${name}`);
  }
  c.expert('note', `more than ${MAX_ENTRIES} directory entries; the rest is not read`);
}

/** A version 3 call (RFC 1813 3.3). */
function call3(c: Cursor, proc: number, say: (s: string) => void): string {
  switch (proc) {
    case V3.GETATTR:
    case V3.READLINK:
    case V3.FSSTAT:
    case V3.FSINFO:
    case V3.PATHCONF:
    case V3.SETATTR:
      return `, FH: ${hashText(readFh3(c))}`;
    case V3.ACCESS: {
      const s = `, FH: ${hashText(readFh3(c))}`;
      say(s);
      c.u32();
      c.add('nfs.access_check', c.data[c.pos - 1]!, c.pos - 4, 4);
      return s;
    }
    case V3.LOOKUP:
    case V3.REMOVE:
    case V3.RMDIR:
    case V3.CREATE:
    case V3.MKDIR:
    case V3.SYMLINK:
    case V3.MKNOD:
      return `, DH: ${readDirop3(c)}`;
    case V3.READ: {
      const fh = hashText(readFh3(c));
      const offset = c.u64('nfs.offset3');
      const count = c.u32('nfs.count3');
      return `, FH: ${fh} Offset: ${offset} Len: ${count}`;
    }
    case V3.WRITE: {
      const fh = hashText(readFh3(c));
      const offset = c.u64('nfs.offset3');
      const count = c.u32('nfs.count3');
      const stable = c.u32('nfs.write.stable');
      const s = `, FH: ${fh} Offset: ${offset} Len: ${count} ${STABLE[stable] ?? `Unknown (${stable})`}`;
      say(s);
      readData(c);
      return s;
    }
    case V3.COMMIT: {
      const fh = hashText(readFh3(c));
      const offset = c.u64('nfs.offset3');
      const count = c.u32('nfs.count3');
      return `, FH: ${fh} Offset: ${offset} Len: ${count}`;
    }
    case V3.RENAME: {
      const from = readDirop3(c);
      say(`, From DH: ${from}`);
      return `, From DH: ${from} To DH: ${readDirop3(c)}`;
    }
    case V3.LINK: {
      const from = hashText(readFh3(c));
      say(`, From DH: ${from}`);
      return `, From DH: ${from} To DH: ${readDirop3(c)}`;
    }
    case V3.READDIR:
    case V3.READDIRPLUS: {
      const s = `, FH: ${hashText(readFh3(c))}`;
      say(s);
      c.u64('nfs.cookie3');
      c.bytes('nfs.verifier', 8);
      if (proc === V3.READDIRPLUS) {
        c.u32('nfs.dircount');
        c.u32('nfs.maxcount');
      } else c.u32('nfs.count3');
      return s;
    }
    default:
      return '';
  }
}

/** A version 3 reply: the status (and the file handle LOOKUP returns); the attributes stay unread. */
function reply3(c: Cursor, proc: number, say: (s: string) => void): string {
  if (proc === 0) return '';
  const status = c.u32('nfs.status3');
  if (status !== 0) return ` Error: ${STATUS3[status] ?? `Unknown (${status})`}`;
  if (proc === V3.LOOKUP) {
    const s = `, FH: ${hashText(readFh3(c))}`;
    say(s);
    return s;
  }
  return '';
}
