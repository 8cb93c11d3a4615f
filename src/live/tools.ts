/**
 * The outside tools live capture and sending run through: found on PATH, never installed or
 * configured by pcapviz. Node has no raw sockets without native code, so capturing takes a
 * capture engine (dumpcap, tcpdump) and sending takes tcpreplay.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The full path of a program on PATH, or undefined. */
export function which(program: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export type EngineName = 'dumpcap' | 'tcpdump';

export interface CaptureEngine {
  readonly name: EngineName;
  readonly path: string;
  /** Arguments that capture on `iface` and write the capture to standard output. */
  readonly args: readonly string[];
}

/** dumpcap when installed (it writes pcapng), else tcpdump; `prefer` picks one. */
export function findEngine(iface: string, filter: string | undefined, prefer?: EngineName): CaptureEngine | undefined {
  const order: EngineName[] = prefer !== undefined ? [prefer] : ['dumpcap', 'tcpdump'];
  for (const name of order) {
    const path = which(name);
    if (path === undefined) continue;
    const args =
      name === 'dumpcap'
        ? ['-i', iface, '-q', '-w', '-', ...(filter !== undefined ? ['-f', filter] : [])]
        : ['-i', iface, '-U', '--immediate-mode', '-w', '-', ...(filter !== undefined ? [filter] : [])];
    return { name, path, args };
  }
  return undefined;
}

/** What an engine's or tcpreplay's error text means, in one line with what to do. */
export function explainToolError(tool: string, iface: string, stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const said = (re: RegExp): string => {
    const line = lines.find((l) => re.test(l)) ?? lines[lines.length - 1];
    return line !== undefined ? ` (${tool} said: ${line})` : '';
  };
  const denied = /permission|not permitted|privilege|EPERM|EACCES/i;
  if (denied.test(stderr)) {
    return `${tool} has no permission to use ${iface}: run as root, or give ${tool} capture rights (sudo setcap cap_net_raw,cap_net_admin+eip $(command -v ${tool}))${said(denied)}`;
  }
  const missing = /no such device|doesn't exist|does not exist|not found|unknown interface|no suitable device/i;
  if (missing.test(stderr)) return `${tool} cannot find the interface ${iface} (ip link lists them)${said(missing)}`;
  return lines.length > 0 ? `${tool} failed: ${lines.slice(-2).join(' ')}` : `${tool} failed without saying why`;
}
