/**
 * `pcapviz craft`: builds the series of packets an expression stands for and writes it as a
 * capture (pcap or pcapng) to a file or standard output.
 */
import type { Writable } from 'node:stream';
import { PcapngWriter, PcapWriter, type PacketToWrite } from '../capture/write-capture.js';
import { EXIT, type ExitCode, openCommandOutput, warn } from '../cli/output.js';
import { CraftError } from './errors.js';
import { compileCraft } from './expr.js';
import { writeErrorText } from '../util/output-file.js';

export interface CraftOptions {
  /** Times the whole series is written (default 1). */
  readonly count?: number;
  /** A file, or '-' for standard output. */
  readonly output: string;
  /** Default: pcapng when the file name ends in .pcapng, else pcap. */
  readonly format?: 'pcap' | 'pcapng' | undefined;
  /** Seconds between packets, a decimal (default 0). */
  readonly interval?: string | undefined;
  /** The first packet's time, seconds since 1970 as a decimal (default: now). */
  readonly start?: string | undefined;
  /** The capture's link type (default: from the outermost layer). */
  readonly linkType?: number | undefined;
}

const LINK_TYPES: Readonly<Record<string, number>> = { Ether: 1, IP: 228, IPv6: 229 };

/** Nanoseconds in a non-negative decimal number of seconds, exactly. */
export function parseSeconds(text: string, what: string): bigint {
  const m = /^(\d+)(?:\.(\d{0,9})\d*)?$/.exec(text.trim());
  if (m === null) throw new Error(`${what} takes a number of seconds (e.g. 0.001), not "${text}"`);
  return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function reportCraftError(e: CraftError): ExitCode {
  const [first, ...rest] = e.lines();
  warn(first);
  process.stderr.write(`${rest.join('\n')}\n`);
  return EXIT.FAILURE;
}

export async function runCraft(expression: string, o: CraftOptions): Promise<ExitCode> {
  let series;
  let startNs: bigint;
  let stepNs: bigint;
  try {
    series = compileCraft(expression);
    startNs = o.start !== undefined ? parseSeconds(o.start, '--start') : BigInt(Date.now()) * 1_000_000n;
    stepNs = o.interval !== undefined ? parseSeconds(o.interval, '--interval') : 0n;
  } catch (e) {
    if (e instanceof CraftError) return reportCraftError(e);
    warn((e as Error).message);
    return EXIT.FAILURE;
  }
  const linkType = o.linkType ?? LINK_TYPES[series.first];
  if (linkType === undefined) {
    warn(`craft: a capture needs a link type: start the packet with Ether, IP or IPv6, or give --linktype (${series.first} is the outermost layer)`);
    return EXIT.FAILURE;
  }
  const repeats = o.count ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1) {
    warn('craft: -c takes a whole number of times, 1 or more');
    return EXIT.FAILURE;
  }
  if (o.output === '-' && process.stdout.isTTY) {
    warn('craft: not writing a capture to a terminal; give -o FILE or redirect standard output');
    return EXIT.FAILURE;
  }
  const format = o.format ?? (/\.pcapng$/i.test(o.output) ? 'pcapng' : 'pcap');
  // Build the first packet before opening the output, so a value that cannot be encoded leaves no file.
  const frames = series.frames();
  let first: Uint8Array;
  try {
    first = frames.next().value as Uint8Array;
  } catch (e) {
    if (e instanceof CraftError) return reportCraftError(e);
    throw e;
  }
  const nanosecond = startNs % 1000n !== 0n || stepNs % 1000n !== 0n;
  const toStdout = o.output === '-';
  // A temporary file beside the output, renamed into place when the last packet is written.
  const file = openCommandOutput(o.output, 'craft: ');
  if (file === null) return EXIT.FAILURE;
  const out: Writable = file?.stream ?? process.stdout;
  const failed = new Promise<Error>((resolve) => out.once('error', resolve));
  const write = async (): Promise<void> => {
    let pcap: PcapWriter | undefined;
    let pcapng: PcapngWriter | undefined;
    if (format === 'pcap') pcap = new PcapWriter(out, { linkType, nanosecond });
    else {
      pcapng = new PcapngWriter(out);
      await pcapng.section({ application: 'pcapviz craft' });
      await pcapng.addInterface({ linkType, snaplen: 0, ...(nanosecond ? { tsresol: 9 } : {}) });
    }
    let n = 0n;
    for (let r = 0; r < repeats; r++) {
      const list = r === 0 ? (function* () {
        yield first;
        yield* frames;
      })() : series.frames();
      for (const data of list) {
        const t = startNs + n * stepNs;
        const p: PacketToWrite = { tsSec: Number(t / 1_000_000_000n), tsNsec: Number(t % 1_000_000_000n), data };
        await (pcap ?? pcapng)!.write(p);
        n++;
      }
    }
    if (!toStdout) await (pcap ?? pcapng)!.close();
    else if (pcap !== undefined && n === 0n) await pcap.close();
  };
  try {
    const outcome = await Promise.race([write().then(() => undefined), failed]);
    if (outcome instanceof Error) throw outcome;
    await file?.commit();
  } catch (e) {
    if (e instanceof CraftError) return reportCraftError(e);
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.OK;
    warn(`craft: ${toStdout ? `cannot write standard output: ${(e as Error).message}` : writeErrorText(o.output, e)}`);
    return EXIT.FAILURE;
  } finally {
    await file?.abort();
  }
  return EXIT.OK;
}
