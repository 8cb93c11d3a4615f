/** `pcapviz follow tcp|udp CAPTURE STREAM`: one stream's payload, as tshark's `-z follow` prints it. */
import { FollowBuilder, type FollowReport } from '../analyze/follow.js';
import { EXIT, type ExitCode, warn, writeOut } from '../cli/output.js';
import { forEachPacket } from './packet-loop.js';
import { selectPackets } from './selection.js';

export type FollowFormat = 'ascii' | 'hex' | 'raw' | 'yaml';

export interface FollowOptions {
  readonly format: FollowFormat;
  readonly decodeAs: readonly string[];
  /** `-Y`: a display filter; packets it rejects are left out of the stream. */
  readonly filter?: string | undefined;
}

const RULE = '===================================================================';

/**
 * Printable ASCII, with CR and LF kept; anything else (tabs too) is a dot, as tshark shows it.
 * For a terminal, a CR not ending a line is a dot too: it would move the cursor back over what
 * was printed.
 */
function asciiText(data: Uint8Array, terminal: boolean): string {
  let s = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    const keep = (b >= 0x20 && b < 0x7f) || b === 0x0a || (b === 0x0d && (!terminal || data[i + 1] === 0x0a));
    s += keep ? String.fromCharCode(b) : '.';
  }
  return s;
}

/** tshark's hex layout: offset (per side, counted across chunks), 16 bytes in two groups of 8, then the text. */
function hexLines(data: Uint8Array, start: number, indent: string): string {
  let out = '';
  for (let i = 0; i < data.length; i += 16) {
    const row = data.subarray(i, i + 16);
    let hex = '';
    let text = '';
    for (let j = 0; j < 16; j++) {
      if (j === 8) {
        hex += ' ';
        text += ' ';
      }
      if (j < row.length) {
        hex += `${row[j]!.toString(16).padStart(2, '0')} `;
        text += row[j]! >= 0x20 && row[j]! < 0x7f ? String.fromCharCode(row[j]!) : '.';
      } else {
        hex += '   ';
      }
    }
    out += `${indent}${(start + i).toString(16).toUpperCase().padStart(8, '0')}  ${hex} ${text}`.trimEnd() + '\n';
  }
  return out;
}

const hostPort = (n: { host: string; port: number }): string => (n.host.includes(':') ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`);

/** The stream as text in the chosen format (`terminal`: for a terminal, see asciiText). */
export function followText(r: FollowReport, format: FollowFormat, terminal = false): string {
  const nodes = r.nodes ?? [
    { host: '', port: 0 },
    { host: '', port: 0 },
  ];
  if (format === 'yaml') {
    let s = 'peers:\n';
    nodes.forEach((n, i) => (s += `  - peer: ${i}\n    host: ${n.host}\n    port: ${n.port}\n`));
    s += 'packets:\n';
    const index = [0, 0];
    for (const c of r.chunks) {
      s += `  - packet: ${c.frame}\n    peer: ${c.node}\n    index: ${index[c.node]!++}\n    timestamp: ${c.tsSec}.${String(c.tsNsec).padStart(9, '0')}\n    data: !!binary |\n`;
      const b64 = Buffer.from(c.data).toString('base64');
      for (let i = 0; i < b64.length; i += 76) s += `      ${b64.slice(i, i + 76)}\n`;
    }
    return s;
  }
  let s = `\n${RULE}\nFollow: ${r.proto},${format}\nFilter: ${r.proto}.stream eq ${r.stream}\nNode 0: ${hostPort(nodes[0])}\nNode 1: ${hostPort(nodes[1])}\n`;
  const offset = [0, 0];
  for (const c of r.chunks) {
    const indent = c.node === 1 ? '\t' : '';
    if (format === 'ascii') s += `${indent}${c.data.length}\n${asciiText(c.data, terminal)}\n`;
    else if (format === 'raw') s += `${indent}${Buffer.from(c.data).toString('hex')}\n`;
    else s += hexLines(c.data, offset[c.node]!, indent);
    offset[c.node]! += c.data.length;
  }
  return `${s}${RULE}\n`;
}

export async function runFollow(proto: 'tcp' | 'udp', path: string, stream: number, o: FollowOptions): Promise<ExitCode> {
  if (!Number.isInteger(stream) || stream < 0) {
    warn(`the stream must be a whole number (${proto}.stream), not "${stream}"`);
    return EXIT.FAILURE;
  }
  const sel = selectPackets(undefined, o.decodeAs, undefined, undefined, o.filter);
  if (sel === undefined) return EXIT.FAILURE;
  const b = new FollowBuilder(proto, stream);
  const exit = await forEachPacket([path], sel.registry, { mode: 'summary' }, { packet: (p) => b.add(p) }, sel.filter);
  const r = b.finish();
  if (r.nodes === undefined) warn(`no ${proto}.stream ${stream} in ${path}`);
  if (r.waitingBytes > 0) warn(`${r.waitingBytes} bytes are missing from the capture where nothing acknowledged them; what came after them is given at the end`);
  await writeOut(followText(r, o.format, process.stdout.isTTY === true));
  return exit;
}
