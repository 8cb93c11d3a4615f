import { defineProtocol } from '../protocol.js';
import type { DcerpcCall } from './dcerpc.js';
import { smbPayloadTail } from './smb-common.js';

/** The interface's operations (MS-DSSP 3.2.5). */
const OPERATIONS: Record<number, string> = {
  0: 'DsRoleGetPrimaryDomainInformation',
  1: 'DsRoleDnsNameToFlatName',
  2: 'DsRoleDcAsDc',
  3: 'DsRoleDcAsReplica',
  4: 'DsRoleDemoteDc',
  5: 'DsRoleGetDcOperationProgress',
  6: 'DsRoleGetDcOperationResults',
  7: 'DsRoleCancel',
  8: 'DsRoleServerSaveStateForUpgrade',
  9: 'DsRoleUpgradeDownlevelServer',
  10: 'DsRoleAbortDownlevelServerUpgrade',
};
const LEVELS: Record<number, string> = { 1: 'DS_ROLE_BASIC_INFORMATION', 2: 'DS_ROLE_UPGRADE_STATUS', 3: 'DS_ROLE_OP_STATUS' };
const ROLES: Record<number, string> = {
  0: 'DS_ROLE_STANDALONE_WORKSTATION',
  1: 'DS_ROLE_MEMBER_WORKSTATION',
  2: 'DS_ROLE_STANDALONE_SERVER',
  3: 'DS_ROLE_MEMBER_SERVER',
  4: 'DS_ROLE_BACKUP_DC',
  5: 'DS_ROLE_PRIMARY_DC',
};
const WERRORS: Record<number, string> = { 0: 'WERR_OK', 5: 'WERR_ACCESS_DENIED', 87: 'WERR_INVALID_PARAMETER', 124: 'WERR_UNKNOWN_LEVEL' };

const GET_PRIMARY_DOMAIN_INFORMATION = 0;
const BASIC_INFORMATION = 1;

/**
 * Active Directory Setup (MS-DSSP), the DSSETUP interface over DCE/RPC: the operation, the
 * level of DsRoleGetPrimaryDomainInformation, the role its basic information answers, and the
 * Windows error code that ends every response.
 */
export const dssetup = defineProtocol({
  id: 'dssetup',
  name: 'Active Directory Setup',
  short: 'DSSETUP',
  fields: {
    'dssetup.opnum': { label: 'Operation', type: 'u16', values: OPERATIONS },
    'dssetup.dssetup_DsRoleGetPrimaryDomainInformation.level': { label: 'Level', type: 'u32', values: LEVELS },
    'dssetup.dssetup_DsRolePrimaryDomInfoBasic.role': { label: 'Role', type: 'u32', values: ROLES },
    'dssetup.dssetup_DsRolePrimaryDomInfoBasic.flags': { label: 'Flags', type: 'u32', base: 'hex' },
    'dssetup.werror': { label: 'Windows Error', type: 'u32', base: 'hex', values: WERRORS },
  },
  dissect(c) {
    const call = c.ctx['dcerpc'] as DcerpcCall | undefined;
    if (call === undefined) return undefined;
    const le = call.little;
    c.add('dssetup.opnum', call.opnum, c.pos, 0);
    if (!call.request && call.requestFrame > 0) c.add('dcerpc.request_in', call.requestFrame, c.pos, 0, `Request in frame: ${call.requestFrame}`);
    const op = OPERATIONS[call.opnum] ?? `Unknown operation ${call.opnum}`;
    const summary = `${op} ${call.request ? 'request' : 'response'}`;
    c.provisional = summary;
    const end = Math.min(call.stubEnd, c.repEnd);
    if (call.opnum === GET_PRIMARY_DOMAIN_INFORMATION) {
      if (call.request) c.add('dssetup.dssetup_DsRoleGetPrimaryDomainInformation.level', c.u16(undefined, le), c.pos - 2, 2);
      else if (end - c.pos >= 16) {
        // A pointer to the union, its level, then (for basic information) the role and flags.
        const ptr = c.u32(undefined, le);
        if (ptr !== 0) {
          // The union's discriminant (the level), aligned to four.
          const level = c.u16(undefined, le);
          c.skip(2);
          if (level === BASIC_INFORMATION && end - c.pos >= 8) {
            // The role is an NDR enum (two bytes), the flags word that follows is aligned to four.
            c.add('dssetup.dssetup_DsRolePrimaryDomInfoBasic.role', c.u16(undefined, le), c.pos - 2, 2);
            c.skip(2);
            c.u32('dssetup.dssetup_DsRolePrimaryDomInfoBasic.flags', le);
          }
        }
      }
    }
    if (!call.request && end - c.pos >= 4) {
      c.seek(Math.min(end - 4, c.capEnd));
      c.u32('dssetup.werror', le);
    }
    if (c.pos < end) c.seek(Math.min(end, c.capEnd));
    // The rest of the PDU (an authentication trailer) and the SMB message stay in this layer.
    if (c.ctx['nbssEnd'] === undefined && c.pos < c.repEnd) c.seek(Math.min(c.repEnd, c.capEnd));
    return { summary, info: { opnum: call.opnum, request: call.request }, next: smbPayloadTail(c) };
  },
});
