import { defineProtocol } from '../protocol.js';
import { readFh2, readFh3 } from './nfs.js';
import { finishMessage, programSummary } from './portmap.js';
import { MOUNT, procedureName, procedureValues, type RpcCall } from './rpc-programs.js';
import { xdrString } from './xdr.js';

/** Mount status (RFC 1813 5.1.1; version 1 uses the same small numbers). */
const STATUS: Record<number, string> = {
  0: 'OK',
  1: 'ERR_PERM',
  2: 'ERR_NOENT',
  5: 'ERR_IO',
  13: 'ERR_ACCESS',
  20: 'ERR_NOTDIR',
  22: 'ERR_INVAL',
  63: 'ERR_NAMETOOLONG',
  10004: 'ERR_NOTSUPP',
  10006: 'ERR_SERVERFAULT',
};

const MNT = 1;
const UMNT = 3;
/** Most authentication flavors read from a version 3 MNT reply. */
const MAX_FLAVORS = 64;

/**
 * Mount (program 100005, RFC 1094 appendix A and RFC 1813 5): MNT and UMNT with their path, the
 * MNT reply's status and file handle (and, in version 3, the authentication flavors).
 */
export const mount = defineProtocol({
  id: 'mount',
  name: 'Mount Service',
  short: 'MOUNT',
  bindings: [{ table: 'rpc.program', key: MOUNT }],
  fields: {
    'mount.procedure_v1': { label: 'V1 Procedure', type: 'u32', values: procedureValues(MOUNT, 1) },
    'mount.procedure_v2': { label: 'V2 Procedure', type: 'u32', values: procedureValues(MOUNT, 2) },
    'mount.procedure_v3': { label: 'V3 Procedure', type: 'u32', values: procedureValues(MOUNT, 3) },
    'mount.path': { label: 'Path', type: 'string' },
    'mount.status': { label: 'Status', type: 'u32', values: STATUS },
    'mount.flavors': { label: 'Flavors', type: 'u32' },
    'mount.flavor': { label: 'Flavor', type: 'u32' },
  },
  dissect(c) {
    const r = c.ctx['rpc'] as RpcCall | undefined;
    if (r === undefined) return undefined;
    const { version: v, procedure: proc } = r;
    const start = c.pos;
    c.add('rpc.programversion', v, start, 0);
    c.add(`mount.procedure_v${v >= 1 && v <= 3 ? v : 1}`, proc, start, 0, `V${v} Procedure: ${procedureName(MOUNT, v, proc)} (${proc})`);
    let summary = programSummary(MOUNT, r);
    c.provisional = summary;
    if (r.call && (proc === MNT || proc === UMNT)) {
      const path = xdrString(c, 'mount.path', 'Path', 1024);
      summary += ` ${path}`;
    } else if (!r.call && proc === MNT) {
      const status = c.u32('mount.status');
      if (status === 0) {
        if (v === 3) {
          readFh3(c);
          const n = c.u32('mount.flavors');
          for (let i = 0; i < Math.min(n, MAX_FLAVORS); i++) c.u32('mount.flavor');
        } else readFh2(c);
      } else if (c.summaries) summary += ` Error: ${STATUS[status] ?? `Unknown (${status})`}`;
    }
    finishMessage(c, r);
    return { summary, info: { procedure: proc, call: r.call } };
  },
});
