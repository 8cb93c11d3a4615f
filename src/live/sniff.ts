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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError, openCapture } from '../capture/index.js';
import { PcapngWriter } from '../capture/write-capture.js';
import type { OutputFormat } from '../cli/options.js';
import { EXIT, type ExitCode, useColor, warn, worstExit } from '../cli/output.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import { createJob } from '../run/packet-jobs.js';
import type { StatsTable } from '../run/stats-tables.js';
import { explainToolError, findEngine, type EngineName } from './tools.js';
import { exitOnSignal, openOutput, takeInterrupts, trackTemp, writeErrorText, type OutputFile, type StopSignal } from '../util/output-file.js';

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
  /** When the capture stops: these stats tables, printed on standard output. */
  readonly stats?: readonly StatsTable[] | undefined;
  /** The format of those tables (default table). */
  readonly statsFormat?: OutputFormat | undefined;
  /** When the capture stops: a conversation graph written to this file (format by extension). */
  readonly graph?: string | undefined;
  /** When the capture stops: a report written to this file (format by extension). */
  readonly report?: string | undefined;
}

/** Whether the capture is handed to stats, graph or report when it stops. */
const analyses = (o: SniffOptions): boolean => (o.stats !== undefined && o.stats.length > 0) || o.graph !== undefined || o.report !== undefined;

export async function runSniff(o: SniffOptions): Promise<ExitCode> {
  if (o.count !== undefined && (!Number.isInteger(o.count) || o.count < 1)) {
    warn('sniff: -c takes a whole number of packets, 1 or more');
    return EXIT.FAILURE;
  }
  if (o.duration !== undefined && !(o.duration > 0)) {
    warn('sniff: --duration takes a number of seconds above 0');
    return EXIT.FAILURE;
  }
  // Output names are checked before capturing, not after a long capture.
  if (o.graph !== undefined) {
    const { graphFormatOf } = await import('../run/run-graph.js');
    const f = graphFormatOf(o.graph, undefined);
    if ('error' in f) {
      warn(`sniff: --graph: ${f.error}`);
      return EXIT.FAILURE;
    }
  }
  if (o.report !== undefined) {
    const { reportFormatOf } = await import('../run/run-report.js');
    const f = reportFormatOf(o.report, undefined);
    if ('error' in f) {
      warn(`sniff: --report: ${f.error}`);
      return EXIT.FAILURE;
    }
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
  // The packets are kept when asked (-w), or in a temporary file while stats, graph or report
  // need them after the capture stops; those read the file as they read any capture.
  let file: OutputFile | undefined;
  let tempDir: string | undefined;
  let untrack = (): void => undefined;
  try {
    if (o.write !== undefined) file = openOutput(o.write, { followLink: true });
    else if (analyses(o)) {
      tempDir = mkdtempSync(join(tmpdir(), 'pcapviz-sniff-'));
      untrack = trackTemp(tempDir);
      file = openOutput(join(tempDir, 'sniff.pcapng'));
    }
  } catch (e) {
    warn(`sniff: ${writeErrorText(o.write ?? tempDir ?? tmpdir(), e)}`);
    if (tempDir !== undefined) {
      rmSync(tempDir, { recursive: true, force: true });
      untrack();
    }
    return EXIT.FAILURE;
  }
  try {
    return await capture(o, engine, file, o.write ?? (tempDir !== undefined ? join(tempDir, 'sniff.pcapng') : undefined));
  } finally {
    await file?.abort();
    if (tempDir !== undefined) {
      rmSync(tempDir, { recursive: true, force: true });
      untrack();
    }
  }
}

async function capture(o: SniffOptions, engine: NonNullable<ReturnType<typeof findEngine>>, file: OutputFile | undefined, keep: string | undefined): Promise<ExitCode> {
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
      if (o.quiet !== true) process.stdout.write(`${String(job.record(dissector.dissect(f)))}\n`);
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
    warn(`sniff: ${writeErrorText(keep ?? 'the capture file', e)}`);
    return EXIT.FAILURE;
  }
  const stopped = o.count !== undefined && n >= o.count ? `${n} packet${n === 1 ? '' : 's'} (-c)` : `${n} packet${n === 1 ? '' : 's'}`;
  process.stderr.write(`pcapviz: sniff: ${stopped} captured on ${o.iface}${o.write !== undefined ? `, written to ${o.write} (pcapviz stats, graph and report read it)` : ''}\n`);
  if (n === 0 && /permission|not permitted|no such device|doesn't exist|failed/i.test(stderr)) {
    warn(`sniff: ${explainToolError(engine.name, o.iface, stderr)}`);
    return EXIT.FAILURE;
  }
  if (keep === undefined || !analyses(o)) return EXIT.OK;
  return analyse(keep, o);
}

/**
 * Hands what was captured to the same runs as `stats`, `graph` and `report` with their default
 * options; the worst exit code of the three is the command's.
 */
async function analyse(path: string, o: SniffOptions): Promise<ExitCode> {
  let exit: ExitCode = EXIT.OK;
  if (o.stats !== undefined && o.stats.length > 0) {
    const { runStats } = await import('../run/run-stats.js');
    exit = worstExit(exit, await runStats([path], { tables: o.stats, types: undefined, format: o.statsFormat ?? 'table', top: undefined, sort: undefined, maxFlows: undefined, decodeAs: [] }));
  }
  if (o.graph !== undefined) {
    const { runGraph } = await import('../run/run-graph.js');
    const { DEFAULT_TOP } = await import('../graph/constants.js');
    exit = worstExit(
      exit,
      await runGraph([path], {
        output: o.graph,
        format: undefined,
        layer: 'ip',
        weight: 'packets',
        top: DEFAULT_TOP,
        cluster: undefined,
        clusterV6: 64,
        excludeBroadcast: false,
        engine: undefined,
        renderer: undefined,
        timeoutSeconds: 120,
        maxFlows: undefined,
        decodeAs: [],
        names: true,
      }),
    );
    if (exit !== EXIT.FAILURE) process.stderr.write(`pcapviz: sniff: graph written to ${o.graph}\n`);
  }
  if (o.report !== undefined) {
    const { runReport } = await import('../run/run-report.js');
    exit = worstExit(exit, await runReport(path, { output: o.report, format: undefined }));
    if (exit !== EXIT.FAILURE) process.stderr.write(`pcapviz: sniff: report written to ${o.report}\n`);
  }
  return exit;
}
