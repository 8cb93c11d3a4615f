/**
 * `pcapviz sniff`: live capture through a capture engine (dumpcap or tcpdump) writing to its
 * standard output, read by our capture reader as it arrives; each packet is printed as a
 * `list` line, and `-w` keeps the packets (pcapng). Stops on Ctrl-C, after `-c` packets or
 * after `--duration` seconds: the engine is asked to stop (SIGINT), what it still had is read
 * and written, and the file is closed. Ctrl-C (and SIGTERM, SIGHUP) is the normal way to stop, so
 * the `-w` file is completed and the exit code is 0, as with tcpdump; a second signal while
 * stopping ends at once (exit 130/143/129) and leaves no file. `-w` is written through a
 * temporary file beside it, renamed into place when the capture ends.
 */
import { spawn } from 'node:child_process';
import { CaptureError, openCapture } from '../capture/index.js';
import { PcapngWriter } from '../capture/write-capture.js';
import { EXIT, type ExitCode, useColor, warn } from '../cli/output.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import { createJob } from '../run/packet-jobs.js';
import { explainToolError, findEngine, type EngineName } from './tools.js';
import { exitOnSignal, openOutput, takeInterrupts, writeErrorText, type OutputFile, type StopSignal } from '../util/output-file.js';

export interface SniffOptions {
  readonly iface: string;
  readonly filter?: string | undefined;
  readonly count?: number | undefined;
  /** Seconds, a decimal. */
  readonly duration?: number | undefined;
  /** A pcapng file to keep the packets in. */
  readonly write?: string | undefined;
  readonly engine?: EngineName | undefined;
  /** Print no list lines (only the summary at the end). */
  readonly quiet?: boolean | undefined;
}

export async function runSniff(o: SniffOptions): Promise<ExitCode> {
  if (o.count !== undefined && (!Number.isInteger(o.count) || o.count < 1)) {
    warn('sniff: -c takes a whole number of packets, 1 or more');
    return EXIT.FAILURE;
  }
  if (o.duration !== undefined && !(o.duration > 0)) {
    warn('sniff: --duration takes a number of seconds above 0');
    return EXIT.FAILURE;
  }
  const engine = findEngine(o.iface, o.filter, o.engine);
  if (engine === undefined) {
    warn(
      o.engine !== undefined
        ? `sniff: ${o.engine} is not installed (or not on PATH)`
        : 'sniff: no capture engine found: install dumpcap (Debian/Ubuntu: apt install wireshark-common; it comes with Wireshark) or tcpdump (apt install tcpdump)',
    );
    return EXIT.FAILURE;
  }
  // Opened before the engine starts, so a folder that does not exist is said at once.
  let file: OutputFile | undefined;
  try {
    if (o.write !== undefined) file = openOutput(o.write, { followLink: true });
  } catch (e) {
    warn(`sniff: ${writeErrorText(o.write!, e)}`);
    return EXIT.FAILURE;
  }
  try {
    return await capture(o, engine, file);
  } finally {
    await file?.abort();
  }
}

async function capture(o: SniffOptions, engine: NonNullable<ReturnType<typeof findEngine>>, file: OutputFile | undefined): Promise<ExitCode> {
  const child = spawn(engine.path, engine.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // An engine outlives no exit of ours (a second Ctrl-C ends the process at once).
  const killChild = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr += s;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (e) => {
      stderr += e.message;
      resolve(-1);
    });
  });
  process.stderr.write(`pcapviz: sniff: capturing on ${o.iface} with ${engine.name}${o.filter !== undefined ? ` (filter: ${o.filter})` : ''}; Ctrl-C stops\n`);

  let stopping = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) child.kill('SIGINT');
    // An engine that does not stop within 3 s is stopped for good.
    killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    killTimer.unref();
  };
  // Ctrl-C ends the capture cleanly here rather than ending the process at once; a second one does.
  const restore = takeInterrupts((signal: StopSignal) => {
    if (stopping) exitOnSignal(signal);
    else stop();
  });
  const timer = o.duration !== undefined ? setTimeout(stop, o.duration * 1000) : undefined;

  let reader;
  try {
    reader = await openCapture('-', { stdin: child.stdout });
  } catch (e) {
    stop();
    const code = await exited;
    if (timer !== undefined) clearTimeout(timer);
    if (e instanceof CaptureError && stderr.trim() !== '') warn(`sniff: ${explainToolError(engine.name, o.iface, stderr)}`);
    else if (e instanceof CaptureError && stopping && code !== null && code <= 0) warn('sniff: stopped before the engine wrote anything');
    else warn(`sniff: ${(e as Error).message}`);
    restore();
    process.off('exit', killChild);
    return EXIT.FAILURE;
  }

  const registry = defaultRegistry();
  const job = createJob({ kind: 'list', format: 'table', time: 'r', colour: useColor(process.stdout) }, registry);
  const dissector = new Dissector(registry, job.dissect);
  const writer = file !== undefined ? new PcapngWriter(file.stream) : undefined;
  const ifaces = new Map<number, number>();
  if (writer !== undefined) await writer.section({ application: `pcapviz sniff (${engine.name})` });
  let n = 0;
  try {
    for await (const f of reader) {
      if (f.kind !== 'packet') continue;
      n++;
      if (o.quiet !== true) process.stdout.write(`${job.record(dissector.dissect(f))}\n`);
      if (writer !== undefined) {
        let iface = ifaces.get(f.ifaceGlobal);
        if (iface === undefined) {
          iface = await writer.addInterface({ linkType: f.linkType, snaplen: 0, tsresol: 9, name: o.iface });
          ifaces.set(f.ifaceGlobal, iface);
        }
        await writer.write({ tsSec: f.tsSec, tsNsec: f.tsNsec, data: f.data, origLen: f.origLen, iface, comments: f.comments, flags: f.flags });
      }
      if (o.count !== undefined && n >= o.count) break;
    }
  } finally {
    stop();
    // After -c the rest of the engine's output is not wanted: it must not block on a full pipe.
    child.stdout.destroy();
    await reader.close().catch(() => undefined);
    if (timer !== undefined) clearTimeout(timer);
    await exited;
    if (killTimer !== undefined) clearTimeout(killTimer);
    restore();
    process.off('exit', killChild);
    if (writer !== undefined) await writer.close();
  }
  try {
    await file?.commit();
  } catch (e) {
    warn(`sniff: ${writeErrorText(o.write!, e)}`);
    return EXIT.FAILURE;
  }
  const stopped = o.count !== undefined && n >= o.count ? `${n} packet${n === 1 ? '' : 's'} (-c)` : `${n} packet${n === 1 ? '' : 's'}`;
  process.stderr.write(`pcapviz: sniff: ${stopped} captured on ${o.iface}${o.write !== undefined ? `, written to ${o.write} (pcapviz stats, graph and report read it)` : ''}\n`);
  if (n === 0 && /permission|not permitted|no such device|doesn't exist|failed/i.test(stderr)) {
    warn(`sniff: ${explainToolError(engine.name, o.iface, stderr)}`);
    return EXIT.FAILURE;
  }
  return EXIT.OK;
}
