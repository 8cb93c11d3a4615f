import { defineProtocol } from '../protocol.js';
import type { PipeCtx } from './smb-trans.js';

/** Named pipe functions (MS-CIFS 2.2.5: the first setup word of a Trans to `\PIPE\`). */
const FUNCTIONS: Record<number, string> = {
  0x0001: 'SetNmPHandState',
  0x0011: 'RawReadNmPipe',
  0x0021: 'QNmPHandState',
  0x0022: 'QNmPipeInfo',
  0x0023: 'PeekNmPipe',
  0x0026: 'TransactNmPipe',
  0x0031: 'RawWriteNmPipe',
  0x0036: 'ReadNmPipe',
  0x0037: 'WriteNmPipe',
  0x0053: 'WaitNmPipe',
  0x0054: 'CallNmPipe',
};
const TRANSACT = 0x0026;
const CALL = 0x0054;

/** Whether a connection-oriented DCE/RPC PDU header starts at `at` (version 5, minor 0 or 1). */
function dcerpcAt(d: Uint8Array, at: number, end: number): boolean {
  return at + 16 <= end && d[at] === 5 && (d[at + 1] === 0 || d[at + 1] === 1) && d[at + 2]! <= 20;
}

/**
 * SMB Pipe Protocol: a Trans to a named pipe. In a request the layer starts at the setup words
 * (function, FID); a response carries no setup words, so the layer is empty and names what the
 * request said. TransactNmPipe and CallNmPipe data is a DCE/RPC PDU when it looks like one.
 */
export const smbPipe = defineProtocol({
  id: 'smb_pipe',
  name: 'SMB Pipe Protocol',
  short: 'SMB Pipe',
  fields: {
    'smb_pipe.function': { label: 'Function', type: 'u16', base: 'hex', values: FUNCTIONS },
  },
  dissect(c) {
    const t = c.ctx['smbPipe'] as PipeCtx | undefined;
    if (t === undefined) return { next: { protocol: 'data' } };
    if (t.response) {
      c.add('smb_pipe.function', t.function, c.pos, 0);
      c.add('smb.fid', t.fid, c.pos, 0);
    } else {
      c.u16('smb_pipe.function', true);
      c.u16('smb.fid', true);
      if (t.setupCount > 2) c.skip(2 * (t.setupCount - 2));
    }
    if (t.dataStart > c.capEnd) c.need(t.dataStart - c.pos);
    if (c.pos < t.dataStart) c.seek(t.dataStart);
    const rpc = (t.function === TRANSACT || t.function === CALL) && dcerpcAt(c.data, t.dataStart, Math.min(c.capEnd, t.dataEnd));
    const name = FUNCTIONS[t.function] ?? `Unknown (0x${t.function.toString(16).padStart(4, '0')})`;
    return {
      summary: `${name} ${t.response ? 'Response' : 'Request'}, FID: 0x${t.fid.toString(16).padStart(4, '0')}`,
      info: { function: t.function, fid: t.fid },
      next: rpc ? { protocol: 'dcerpc', ctx: { dcerpcKey: t.pipeKey, dcerpcEnd: t.dataEnd } } : undefined,
    };
  },
});
