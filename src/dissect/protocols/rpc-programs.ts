/**
 * ONC RPC program numbers and the procedure names of the programs dissected here (portmap,
 * RFC 1833; mount, RFC 1094 and RFC 1813; NFS, RFC 1094 and RFC 1813), shared by the rpc layer
 * (which names the procedure of a call and of its reply) and the program dissectors.
 */

export const PORTMAP = 100000;
export const NFS = 100003;
export const MOUNT = 100005;

/** Program names as tshark shows them after "Program:". */
export const PROGRAM_NAMES: Readonly<Record<number, string>> = {
  100000: 'Portmap',
  100001: 'RSTAT',
  100002: 'RUSERS',
  100003: 'NFS',
  100004: 'YPSERV',
  100005: 'MOUNT',
  100007: 'YPBIND',
  100008: 'WALL',
  100009: 'YPPASSWD',
  100011: 'RQUOTA',
  100012: 'SPRAY',
  100021: 'NLM',
  100024: 'STAT',
  100227: 'NFS_ACL',
  150001: 'PCNFSD',
};

const PORTMAP_V2 = ['NULL', 'SET', 'UNSET', 'GETPORT', 'DUMP', 'CALLIT'];
const RPCBIND_V3 = ['NULL', 'SET', 'UNSET', 'GETADDR', 'DUMP', 'CALLIT', 'GETTIME', 'UADDR2TADDR', 'TADDR2UADDR'];
const RPCBIND_V4 = [...RPCBIND_V3.slice(0, 5), 'BCAST', ...RPCBIND_V3.slice(6), 'GETVERSADDR', 'INDIRECT', 'GETADDRLIST', 'GETSTAT'];
const MOUNT_V1 = ['NULL', 'MNT', 'DUMP', 'UMNT', 'UMNTALL', 'EXPORT', 'EXPORTALL'];
const MOUNT_V2 = [...MOUNT_V1, 'PATHCONF'];
const NFS_V2 = ['NULL', 'GETATTR', 'SETATTR', 'ROOT', 'LOOKUP', 'READLINK', 'READ', 'WRITECACHE', 'WRITE', 'CREATE', 'REMOVE', 'RENAME', 'LINK', 'SYMLINK', 'MKDIR', 'RMDIR', 'READDIR', 'STATFS'];
const NFS_V3 = ['NULL', 'GETATTR', 'SETATTR', 'LOOKUP', 'ACCESS', 'READLINK', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'SYMLINK', 'MKNOD', 'REMOVE', 'RMDIR', 'RENAME', 'LINK', 'READDIR', 'READDIRPLUS', 'FSSTAT', 'FSINFO', 'PATHCONF', 'COMMIT'];

/** Procedure names by program and version. */
const PROCEDURES: Readonly<Record<number, Readonly<Record<number, readonly string[]>>>> = {
  [PORTMAP]: { 2: PORTMAP_V2, 3: RPCBIND_V3, 4: RPCBIND_V4 },
  [MOUNT]: { 1: MOUNT_V1, 2: MOUNT_V2, 3: MOUNT_V1 },
  [NFS]: { 2: NFS_V2, 3: NFS_V3 },
};

/** The versions a call may have for the heuristic to take it as RPC. */
export const DISSECTED_VERSIONS: Readonly<Record<number, readonly number[]>> = {
  [PORTMAP]: [2, 3, 4],
  [MOUNT]: [1, 2, 3],
  [NFS]: [2, 3],
};

/** A procedure's name (`GETADDR`), or its number when the program or version is not known. */
export function procedureName(program: number, version: number, procedure: number): string {
  return PROCEDURES[program]?.[version]?.[procedure] ?? `proc-${procedure}`;
}

/** Procedure names of one program version as field value names (`{3: 'GETADDR'}`). */
export function procedureValues(program: number, version: number): Readonly<Record<number, string>> {
  return Object.fromEntries((PROCEDURES[program]?.[version] ?? []).map((n, i) => [i, n]));
}

/** What the rpc layer hands its program's dissector (in `ctx.rpc`). */
export interface RpcCall {
  readonly call: boolean;
  readonly program: number;
  readonly version: number;
  readonly procedure: number;
  /** For a reply: the frame of its call. */
  readonly callFrame: number;
  /** Where the message ends (the record's end over TCP). */
  readonly end: number;
}
