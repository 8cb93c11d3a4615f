/**
 * `pcapviz send`: sends the packets of a capture, or of a craft expression, out of an interface
 * through tcpreplay (Node cannot open a raw socket without native code, so there is no fallback).
 * Asks first on a terminal; without one, sends only with --yes.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CaptureError, openCapture } from '../capture/index.js';
import { PcapWriter } from '../capture/write-capture.js';
import { EXIT, type ExitCode, warn } from '../cli/output.js';
import { CraftError } from '../craft/errors.js';
import { compileCraft } from '../craft/expr.js';
import { explainToolError, which } from './tools.js';
import { trackTemp } from '../util/output-file.js';

export interface SendOptions {
  readonly iface: string;
  /** Packets per second (default: the capture's own timing). */
  readonly rate?: number | undefined;
  /** Times the whole series or capture is sent (default 1). */
  readonly loop?: number | undefined;
  readonly yes?: boolean | undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function countPackets(path: string): Promise<number> {
  let n = 0;
  for await (const f of await openCapture(path)) if (f.kind === 'packet') n++;
  return n;
}

/** Writes an expression's packets to a pcap file for tcpreplay; returns how many. */
async function writeExpression(expression: string, path: string): Promise<number> {
  const series = compileCraft(expression);
  if (series.first !== 'Ether') throw new Error(`send: tcpreplay sends whole Ethernet frames: start the expression with Ether() (it starts with ${series.first})`);
  const out = createWriteStream(path);
  const w = new PcapWriter(out, { linkType: 1 });
  let n = 0;
  for (const data of series.frames()) {
    await w.write({ tsSec: 0, tsNsec: 0, data });
    n++;
  }
  await w.close();
  return n;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runSend(input: string, o: SendOptions): Promise<ExitCode> {
  if (o.rate !== undefined && !(o.rate > 0)) {
    warn('send: --rate takes a number of packets per second above 0');
    return EXIT.FAILURE;
  }
  if (o.loop !== undefined && (!Number.isInteger(o.loop) || o.loop < 1)) {
    warn('send: --loop takes a whole number of times, 1 or more');
    return EXIT.FAILURE;
  }
  if (input === '-') {
    warn('send: give a capture file or an expression (tcpreplay reads files, not standard input)');
    return EXIT.FAILURE;
  }
  const tcpreplay = which('tcpreplay');
  if (tcpreplay === undefined) {
    warn('send: tcpreplay is not installed (Debian/Ubuntu: apt install tcpreplay). pcapviz sends through it: Node has no raw sockets without native code, so there is no built-in way to send');
    return EXIT.FAILURE;
  }
  // Registered, so a signal's handler removes it (and the expression's capture in it).
  const dir = mkdtempSync(join(tmpdir(), 'pcapviz-send-'));
  const untrack = trackTemp(dir);
  try {
    let file: string;
    let n: number;
    let what: string;
    try {
      if (isFile(input)) {
        file = input;
        n = await countPackets(input);
        what = input;
      } else {
        file = join(dir, 'packets.pcap');
        n = await writeExpression(input, file);
        what = `the expression's packets`;
      }
    } catch (e) {
      if (e instanceof CraftError) {
        const [first, ...rest] = e.lines();
        warn(first);
        process.stderr.write(`${rest.join('\n')}\n`);
      } else if (e instanceof CaptureError) warn(`send: ${e.message}`);
      else warn((e as Error).message);
      return EXIT.FAILURE;
    }
    const times = o.loop ?? 1;
    const question = `Send ${n * times} packet${n * times === 1 ? '' : 's'} (${what}${times > 1 ? `, ${times} times` : ''}) out of ${o.iface}${o.rate !== undefined ? ` at ${o.rate} packets/s` : ''}? [y/N] `;
    if (o.yes !== true) {
      if (process.stdin.isTTY !== true || process.stderr.isTTY !== true) {
        warn('send: not sending without a confirmation: give --yes (there is no terminal to ask on)');
        return EXIT.FAILURE;
      }
      if (!(await confirm(question))) {
        process.stderr.write('pcapviz: send: nothing sent\n');
        return EXIT.FAILURE;
      }
    }
    const args = ['-i', o.iface, ...(o.rate !== undefined ? [`--pps=${o.rate}`] : []), ...(times > 1 ? [`--loop=${times}`] : []), file];
    const child = spawn(tcpreplay, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // tcpreplay outlives no exit of ours: an interrupted send stops sending.
    const killChild = (): void => {
      if (child.exitCode === null) child.kill('SIGINT');
    };
    process.once('exit', killChild);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.once('error', (e) => {
        output += e.message;
        resolve(-1);
      });
    });
    process.off('exit', killChild);
    if (code !== 0) {
      warn(`send: ${explainToolError('tcpreplay', o.iface, output)}`);
      return EXIT.FAILURE;
    }
    const sent = /Actual:\s*(\d+) packets/.exec(output)?.[1];
    process.stderr.write(`pcapviz: send: ${sent ?? n * times} packets sent out of ${o.iface} (tcpreplay)\n`);
    return EXIT.OK;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    untrack();
  }
}
