/**
 * `pcapviz fuzz`: random packets from a craft expression, or mutations of the packets of a
 * capture, written as a capture. Packet k is drawn from its own generator, seeded from the seed
 * and k, so the same seed gives byte-identical output and a longer run starts with a shorter one.
 */
import { randomInt } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { CaptureError, openCapture } from '../capture/index.js';
import type { Frame } from '../capture/frame.js';
import { PcapngWriter, PcapWriter, type PacketToWrite } from '../capture/write-capture.js';
import { EXIT, type ExitCode, openCommandOutput, warn } from '../cli/output.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import { CraftError } from './errors.js';
import { compileCraft, type CraftSeries } from './expr.js';
import { fuzzPacket, mutatePacket, mutationTargets, type MutationTargets } from './fuzz.js';
import { Rng } from './random.js';
import { parseSeconds } from './run.js';
import { mutationComment } from './fuzz-comment.js';
import { writeErrorText } from '../util/output-file.js';

export interface FuzzOptions {
  /** Packets to write (default: one pass: each packet of the series or capture once). */
  readonly count?: number | undefined;
  /** Any text; default: a random number, printed on standard error so the run can be repeated. */
  readonly seed?: string | undefined;
  /** A file, or '-' for standard output. */
  readonly output: string;
  /** Default pcapng (it carries the comments); pcap drops them. */
  readonly format?: 'pcap' | 'pcapng' | undefined;
  /** Templates: randomise computed fields (lengths, checksums, protocol numbers) too. */
  readonly computed?: boolean | undefined;
  /** Captures: most mutations per packet (default 3). */
  readonly most?: number | undefined;
  /** Templates: first timestamp and step, seconds as decimals (default 0 and 0.001). */
  readonly start?: string | undefined;
  readonly interval?: string | undefined;
}

/** The generator of packet `k` of a run. */
export function packetRng(seed: string, k: number): Rng {
  return new Rng(`${seed}/${k}`);
}

/** One fuzzed packet to write, with its interface's link type. */
interface Fuzzed extends PacketToWrite {
  readonly linkType: number;
}

const LINK_TYPES: Readonly<Record<string, number>> = { Ether: 1, IP: 228, IPv6: 229 };

/** Packets of a template run: each a fuzz() of the next packet of the series. */
export function* fuzzTemplate(series: CraftSeries, seed: string, count: number, o: { computed?: boolean; startNs?: bigint; stepNs?: bigint } = {}): Generator<Fuzzed> {
  const linkType = LINK_TYPES[series.first] ?? 1;
  const start = o.startNs ?? 0n;
  const step = o.stepNs ?? 1_000_000n;
  let members = series.packets();
  for (let k = 0; k < count; k++) {
    let next = members.next();
    if (next.done === true) {
      members = series.packets();
      next = members.next();
    }
    const { layer, data } = fuzzPacket(next.value as NonNullable<typeof next.value>, packetRng(seed, k), { computed: o.computed === true });
    const t = start + BigInt(k) * step;
    yield { tsSec: Number(t / 1_000_000_000n), tsNsec: Number(t % 1_000_000_000n), data, linkType, comments: [`fuzz: seed ${seed} packet ${k + 1}: ${layer.toString()}`] };
  }
}

/** A capture's packets, kept with what the dissector says can be mutated in them. */
export interface Corpus {
  readonly frames: readonly Frame[];
  targets(i: number): MutationTargets;
}

export function corpusOf(frames: readonly Frame[]): Corpus {
  const dissector = new Dissector(defaultRegistry(), { mode: 'full', summaries: false });
  const cache = new Map<number, MutationTargets>();
  return {
    frames,
    targets(i) {
      let t = cache.get(i);
      if (t === undefined) {
        t = mutationTargets(frames[i]!, dissector);
        cache.set(i, t);
      }
      return t;
    },
  };
}

/** Packets of a capture run: the capture's packets in turn, each mutated. */
export function* fuzzCapture(corpus: Corpus, seed: string, count: number, most?: number): Generator<Fuzzed> {
  for (let k = 0; k < count; k++) {
    const i = k % corpus.frames.length;
    const f = corpus.frames[i]!;
    const m = mutatePacket(f.data, corpus.targets(i), packetRng(seed, k), most !== undefined ? { most } : {});
    yield { tsSec: f.tsSec, tsNsec: f.tsNsec, data: m.data, origLen: m.origLen, linkType: f.linkType, comments: [mutationComment(String(seed), k + 1, f.index, m.changes)] };
  }
}

async function readFrames(path: string): Promise<Frame[]> {
  const reader = await openCapture(path);
  const out: Frame[] = [];
  for await (const f of reader) if (f.kind === 'packet') out.push({ ...f, data: Uint8Array.from(f.data) });
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Writes fuzzed packets; pcapng gets one interface per link type, in order of first use. */
export async function writeFuzzed(out: Writable, packets: Iterable<Fuzzed>, format: 'pcap' | 'pcapng', closeStream: boolean): Promise<number> {
  let pcap: PcapWriter | undefined;
  let pcapLink: number | undefined;
  let pcapng: PcapngWriter | undefined;
  const ifaces = new Map<number, number>();
  let n = 0;
  for (const p of packets) {
    if (format === 'pcap') {
      if (pcap === undefined) {
        pcapLink = p.linkType;
        pcap = new PcapWriter(out, { linkType: p.linkType, nanosecond: true });
      } else if (p.linkType !== pcapLink) throw new Error(`a pcap file holds one link type (${pcapLink} and ${p.linkType} here): write pcapng`);
      await pcap.write({ tsSec: p.tsSec, tsNsec: p.tsNsec, data: p.data, ...(p.origLen !== undefined ? { origLen: p.origLen } : {}) });
    } else {
      if (pcapng === undefined) {
        pcapng = new PcapngWriter(out);
        await pcapng.section({ application: 'pcapviz fuzz' });
      }
      let iface = ifaces.get(p.linkType);
      if (iface === undefined) {
        iface = await pcapng.addInterface({ linkType: p.linkType, snaplen: 0, tsresol: 9 });
        ifaces.set(p.linkType, iface);
      }
      await pcapng.write({ ...p, iface });
    }
    n++;
  }
  if (format === 'pcap' && pcap === undefined) pcap = new PcapWriter(out, { linkType: 1, nanosecond: true });
  if (format === 'pcapng' && pcapng === undefined) {
    pcapng = new PcapngWriter(out);
    await pcapng.section({ application: 'pcapviz fuzz' });
  }
  if (closeStream) await (pcap ?? pcapng)!.close();
  else if (pcap !== undefined && n === 0) await pcap.close();
  return n;
}

export async function runFuzz(input: string, o: FuzzOptions): Promise<ExitCode> {
  if (o.count !== undefined && (!Number.isInteger(o.count) || o.count < 1)) {
    warn('fuzz: -c takes a whole number of packets, 1 or more');
    return EXIT.FAILURE;
  }
  if (o.most !== undefined && (!Number.isInteger(o.most) || o.most < 1)) {
    warn('fuzz: --mutations takes a whole number, 1 or more');
    return EXIT.FAILURE;
  }
  if (o.output === '-' && process.stdout.isTTY) {
    warn('fuzz: not writing a capture to a terminal; give -o FILE or redirect standard output');
    return EXIT.FAILURE;
  }
  const seed = o.seed ?? String(randomInt(0, 2 ** 48 - 1));
  if (o.seed === undefined) process.stderr.write(`pcapviz: fuzz: seed ${seed} (give --seed ${seed} to write the same packets again)\n`);
  let packets: Iterable<Fuzzed>;
  if (input === '-' || isFile(input)) {
    let frames: Frame[];
    try {
      frames = await readFrames(input);
    } catch (e) {
      if (e instanceof CaptureError) {
        warn(`fuzz: ${e.message}`);
        return EXIT.FAILURE;
      }
      throw e;
    }
    if (frames.length === 0) {
      warn(`fuzz: ${input === '-' ? '<stdin>' : input} holds no packets to mutate`);
      return EXIT.FAILURE;
    }
    packets = fuzzCapture(corpusOf(frames), seed, o.count ?? frames.length, o.most);
  } else {
    let series: CraftSeries;
    let startNs: bigint;
    let stepNs: bigint;
    try {
      series = compileCraft(input);
      // The template itself must build (a value no layer can encode is reported with a caret).
      series.frames().next();
      startNs = parseSeconds(o.start ?? '0', '--start');
      stepNs = parseSeconds(o.interval ?? '0.001', '--interval');
    } catch (e) {
      if (e instanceof CraftError) {
        const [first, ...rest] = e.lines();
        warn(`${first} (not a file either, so it was read as an expression)`);
        process.stderr.write(`${rest.join('\n')}\n`);
        return EXIT.FAILURE;
      }
      warn(`fuzz: ${(e as Error).message}`);
      return EXIT.FAILURE;
    }
    if (LINK_TYPES[series.first] === undefined) {
      warn(`fuzz: a capture needs a link type: start the template with Ether, IP or IPv6 (${series.first} is the outermost layer)`);
      return EXIT.FAILURE;
    }
    const one = series.count > 1_000_000n ? 1_000_000 : Number(series.count);
    packets = fuzzTemplate(series, seed, o.count ?? one, { computed: o.computed === true, startNs, stepNs });
  }
  const toStdout = o.output === '-';
  // A temporary file beside the output, renamed into place when the last packet is written.
  const file = openCommandOutput(o.output, 'fuzz: ');
  if (file === null) return EXIT.FAILURE;
  const out: Writable = file?.stream ?? process.stdout;
  const failed = new Promise<Error>((resolve) => out.once('error', resolve));
  try {
    const outcome = await Promise.race([writeFuzzed(out, packets, o.format ?? 'pcapng', !toStdout), failed]);
    if (outcome instanceof Error) throw outcome;
    await file?.commit();
  } catch (e) {
    if (e instanceof CraftError) {
      const [first, ...rest] = e.lines();
      warn(first);
      process.stderr.write(`${rest.join('\n')}\n`);
      return EXIT.FAILURE;
    }
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.OK;
    warn(`fuzz: ${toStdout ? `cannot write standard output: ${(e as Error).message}` : writeErrorText(o.output, e)}`);
    return EXIT.FAILURE;
  } finally {
    await file?.abort();
  }
  return EXIT.OK;
}
