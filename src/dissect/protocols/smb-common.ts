/**
 * What SMB and SMB2 share: NT status names (the common ones; MS-ERREF 2.3) and reading a flag
 * out of a little-endian word.
 */
import type { Cursor } from '../cursor.js';

export const NT_STATUS: Readonly<Record<number, string>> = {
  0x00000000: 'STATUS_SUCCESS',
  0x00000001: 'STATUS_WAIT_1',
  0x00000103: 'STATUS_PENDING',
  0x0000010b: 'STATUS_NOTIFY_CLEANUP',
  0x0000010c: 'STATUS_NOTIFY_ENUM_DIR',
  0x80000005: 'STATUS_BUFFER_OVERFLOW',
  0x80000006: 'STATUS_NO_MORE_FILES',
  0xc0000001: 'STATUS_UNSUCCESSFUL',
  0xc0000002: 'STATUS_NOT_IMPLEMENTED',
  0xc0000003: 'STATUS_INVALID_INFO_CLASS',
  0xc0000004: 'STATUS_INFO_LENGTH_MISMATCH',
  0xc0000008: 'STATUS_INVALID_HANDLE',
  0xc000000d: 'STATUS_INVALID_PARAMETER',
  0xc000000f: 'STATUS_NO_SUCH_FILE',
  0xc0000010: 'STATUS_INVALID_DEVICE_REQUEST',
  0xc0000011: 'STATUS_END_OF_FILE',
  0xc0000016: 'STATUS_MORE_PROCESSING_REQUIRED',
  0xc0000022: 'STATUS_ACCESS_DENIED',
  0xc0000023: 'STATUS_BUFFER_TOO_SMALL',
  0xc0000033: 'STATUS_OBJECT_NAME_INVALID',
  0xc0000034: 'STATUS_OBJECT_NAME_NOT_FOUND',
  0xc0000035: 'STATUS_OBJECT_NAME_COLLISION',
  0xc000003a: 'STATUS_OBJECT_PATH_NOT_FOUND',
  0xc0000043: 'STATUS_SHARING_VIOLATION',
  0xc0000054: 'STATUS_FILE_LOCK_CONFLICT',
  0xc0000055: 'STATUS_LOCK_NOT_GRANTED',
  0xc0000061: 'STATUS_PRIVILEGE_NOT_HELD',
  0xc0000064: 'STATUS_NO_SUCH_USER',
  0xc000006a: 'STATUS_WRONG_PASSWORD',
  0xc000006d: 'STATUS_LOGON_FAILURE',
  0xc000006f: 'STATUS_INVALID_LOGON_HOURS',
  0xc0000070: 'STATUS_INVALID_WORKSTATION',
  0xc0000071: 'STATUS_PASSWORD_EXPIRED',
  0xc0000072: 'STATUS_ACCOUNT_DISABLED',
  0xc000009a: 'STATUS_INSUFFICIENT_RESOURCES',
  0xc00000ac: 'STATUS_PIPE_NOT_AVAILABLE',
  0xc00000ad: 'STATUS_INVALID_PIPE_STATE',
  0xc00000ae: 'STATUS_PIPE_BUSY',
  0xc00000b0: 'STATUS_PIPE_DISCONNECTED',
  0xc00000b1: 'STATUS_PIPE_CLOSING',
  0xc00000b5: 'STATUS_IO_TIMEOUT',
  0xc00000ba: 'STATUS_FILE_IS_A_DIRECTORY',
  0xc00000bb: 'STATUS_NOT_SUPPORTED',
  0xc00000c9: 'STATUS_NETWORK_NAME_DELETED',
  0xc00000cc: 'STATUS_BAD_NETWORK_NAME',
  0xc00000d0: 'STATUS_REQUEST_NOT_ACCEPTED',
  0xc0000101: 'STATUS_DIRECTORY_NOT_EMPTY',
  0xc0000120: 'STATUS_CANCELLED',
  0xc0000128: 'STATUS_FILE_CLOSED',
  0xc000014b: 'STATUS_PIPE_BROKEN',
  0xc000015b: 'STATUS_LOGON_TYPE_NOT_GRANTED',
  0xc0000203: 'STATUS_USER_SESSION_DELETED',
  0xc0000205: 'STATUS_INSUFF_SERVER_RESOURCES',
  0xc000020c: 'STATUS_CONNECTION_DISCONNECTED',
  0xc0000225: 'STATUS_NOT_FOUND',
  0xc0000234: 'STATUS_ACCOUNT_LOCKED_OUT',
  0xc0000236: 'STATUS_CONNECTION_REFUSED',
  0xc000023c: 'STATUS_NETWORK_UNREACHABLE',
  0xc0000257: 'STATUS_PATH_NOT_COVERED',
  0xc000035c: 'STATUS_NETWORK_SESSION_EXPIRED',
};

/** An NT status as the Info column shows it after "Error: ". */
export function ntStatusText(status: number): string {
  return NT_STATUS[status] ?? `Unknown (0x${status.toString(16).toUpperCase().padStart(8, '0')})`;
}

/**
 * A flag of a little-endian word at `at`: the cursor reads bits big-endian, so the bit is read
 * from the byte that holds it (which is also where its bits lie on the wire). The position is
 * left unchanged.
 */
export function leFlag(c: Cursor, key: string, at: number, mask: number): boolean {
  let byte = 0;
  while (byte < 3 && mask >= 2 ** (8 * (byte + 1))) byte++;
  const save = c.pos;
  c.seek(at + byte);
  const v = c.flag(key, 1, Math.floor(mask / 2 ** (8 * byte)) & 0xff);
  c.seek(save);
  return v;
}

/**
 * For the last layer of what an SMB message carries (browser data, a DCE/RPC PDU in a pipe):
 * over NBSS, moves to the end of the NBSS message (what is left of it belongs to this layer) and
 * says whether another NBSS message follows in the segment.
 */
export function smbPayloadTail(c: Cursor): { readonly protocol: string } | undefined {
  const end = c.ctx['nbssEnd'];
  if (typeof end !== 'number') return undefined;
  if (c.pos < end) c.seek(Math.min(end, c.capEnd));
  return end < c.repEnd ? { protocol: 'nbss' } : undefined;
}
