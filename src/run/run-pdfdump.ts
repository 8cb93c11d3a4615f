/**
 * `pcapviz pdfdump`: the layered PDF dump of a capture's packets.
 *
 * Two passes over the capture. The first summarises the whole capture (the first page's `info`
 * report), picks the packets, lays each out and counts the pages it takes, so the contents can
 * give every packet's page and every footer the page count. The second lays the same packets
 * out again and writes them, page by page, to the output. Between the passes only one line per
 * packet is kept (for the contents); layouts are never kept, so memory does not grow with the
 * number of packets. Standard input is copied to a temporary file first, to be read twice.
 */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CaptureSummaryBuilder, type CaptureSummary } from '../analyze/capture-summary.js';
import { CaptureError } from '../capture/errors.js';
import type { CaptureReader } from '../capture/read-capture.js';
import { openCapture } from '../capture/read-capture.js';
import { binaryToTerminal, EXIT, type ExitCode, openCommandOutput, warn } from '../cli/output.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { KeyLog } from '../dissect/keylog.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { infoKeyValues } from '../render/info/info-report.js';
import { PacketLister, type ListRow } from '../render/list/packet-list.js';
import { escapeControl } from '../render/text-safety.js';
import { formatIso } from '../render/time-format.js';
import { layoutCover, layoutTocPage, PacketPager, tocPageCount, tocRowsPerPage, type TocEntry } from '../pdfdump/document.js';
import { layoutPacket, type LayoutContext, measurePacket, type PacketFacts } from '../pdfdump/layout.js';
import { PdfDumpWriter } from '../pdfdump/render.js';
import { createTextMetrics, fitText, type TextMetrics, thousands } from '../pdfdump/text-metrics.js';
import { FONT_SIZE, pageGeometry, type Paper, ProtocolSlots, THEMES, type ThemeName } from '../pdfdump/theme.js';
import { type PacketSelection, selectPackets } from './selection.js';
import { trackTemp, writeErrorText } from '../util/output-file.js';

/** Packets dumped when neither `--packets` nor `-c` says otherwise. */
export const DEFAULT_PACKET_LIMIT = 100;

/** Keeps a packet or leaves it out (for library callers; `-Y` is `filter`). */
export type PacketFilter = (p: DissectedPacket) => boolean;

export interface PdfdumpOptions {
  /** Output file, or `-` for standard output. */
  readonly output: string;
  readonly packets: string | undefined;
  readonly count: number | undefined;
  readonly paper: Paper;
  readonly landscape: boolean;
  readonly theme: ThemeName;
  readonly connectors: boolean;
  readonly compact: boolean;
  readonly decodeAs: readonly string[];
  readonly tlsKeylog?: string | undefined;
  /** `-Y`: a Wireshark display filter; packets it rejects are left out (and named on the first page). */
  readonly filter?: string | undefined;
  /** A test of the caller's own, applied like the display filter. */
  readonly keep?: PacketFilter | undefined;
}

export interface DumpResult {
  readonly exit: ExitCode;
  readonly packets: number;
  readonly pages: number;
}

/** The list line without number and time. */
export function summaryLine(r: ListRow): string {
  const path = r.source !== '' || r.destination !== '' ? `${r.source} → ${r.destination} ` : '';
  return escapeControl(`${path}${r.protocol} ${r.length} ${r.info}`);
}

export function absoluteTime(p: DissectedPacket): string {
  const f = p.frame;
  if (!f.hasTimestamp) return '';
  return formatIso({ sec: f.tsSec, nsec: f.tsNsec, digits: f.tsDigits }).replace('T', ' ').replace(/Z$/, ' UTC');
}

/** What the header of a packet's pages says besides the tree. */
export function packetFacts(p: DissectedPacket, row: ListRow, interfaceName: string | undefined): PacketFacts {
  return { summary: summaryLine(row), absoluteTime: absoluteTime(p), relativeTime: row.time, interfaceName };
}

/** The TLS secrets of one capture: its own secrets blocks, then the user's key log. */
function captureKeys(reader: CaptureReader, user: KeyLog | undefined): KeyLog | undefined {
  return reader.secrets.length === 0 && reader.format !== 'pcapng' ? user : new KeyLog({ fallback: user, blocks: reader.secrets });
}

interface PassHooks {
  /** The capture was opened. */
  readonly open?: (reader: CaptureReader) => void;
  /** Every frame read. */
  readonly frame?: (f: DissectedPacket['frame']) => void;
  readonly packet: (p: DissectedPacket, facts: PacketFacts, row: ListRow) => void | Promise<void>;
}

/**
 * One pass: dissects frames until the selection is complete, handing on the selected packets;
 * `readAll` goes on reading (without dissecting) to the end for the summary.
 */
async function pass(path: string, sel: PacketSelection, o: PdfdumpOptions, readAll: boolean, hooks: PassHooks): Promise<void> {
  const reader = await openCapture(path);
  hooks.open?.(reader);
  try {
    const dissector = new Dissector(sel.registry, { mode: 'full', keyLog: captureKeys(reader, sel.keyLog) });
    const lister = new PacketLister('r');
    outer: for await (const batch of reader.batches()) {
      for (const frame of batch) {
        hooks.frame?.(frame);
        if (sel.done()) {
          if (readAll) continue;
          break outer;
        }
        const p = dissector.dissect(frame);
        const row = lister.row(p);
        // Every packet goes through the filter, in order (some filter fields count displayed packets).
        if (sel.filter !== undefined && !sel.filter.matches(p)) continue;
        if (o.keep !== undefined && !o.keep(p)) continue;
        if (!sel.take(frame.index)) continue;
        const facts = packetFacts(p, row, reader.interfaces[frame.ifaceGlobal]?.name);
        const r = hooks.packet(p, facts, row);
        if (r !== undefined) await r;
      }
    }
  } finally {
    await reader.close();
  }
}

/** The `info` report as label/value pairs. */
function summaryPairs(s: CaptureSummary, shownName: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of infoKeyValues(s).split('\n')) {
    const m = /^(.+?):\s+(.*)$/.exec(line);
    if (m === null) continue;
    pairs.push([m[1]!, m[1] === 'File name' ? shownName : m[2]!]);
  }
  return pairs;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${thousands(n)} ${n === 1 ? one : many}`;

/**
 * Writes the dump of `path` to `out`. The capture must be readable twice (a file). Throws
 * `CaptureError` when it cannot be read at all.
 */
export async function writePacketDump(path: string, shownName: string, out: Writable, o: PdfdumpOptions): Promise<DumpResult> {
  const defaultLimit = o.packets === undefined && o.count === undefined;
  const limit = o.count ?? (defaultLimit ? DEFAULT_PACKET_LIMIT : undefined);
  // One selection (and one compiled filter) per pass: both keep state over the packets they see.
  const selA = selectPackets(o.packets, o.decodeAs, limit, o.tlsKeylog, o.filter);
  const selB = selectPackets(o.packets, o.decodeAs, limit, o.tlsKeylog, o.filter);
  if (selA === undefined || selB === undefined) return { exit: EXIT.FAILURE, packets: 0, pages: 0 };
  const metrics: TextMetrics = await createTextMetrics();
  const page = pageGeometry(o.paper, o.landscape);
  const theme = THEMES[o.theme];
  const slots = new ProtocolSlots();
  const registry = selA.registry;
  const ctx: LayoutContext = {
    metrics,
    page,
    protocolName: (id) => registry.protocols.get(id)?.name ?? id,
    slotOf: (protocol) => slots.slot(protocol),
    connectors: o.connectors,
  };

  // Pass 1: summary, selection, page count of every packet.
  const tocWidth = page.contentWidth - 118 - 40;
  const entries: TocEntry[] = [];
  const chunkCounts: number[] = [];
  const planPager = new PacketPager(page.bodyHeight, o.compact);
  let builder: CaptureSummaryBuilder | undefined;
  await pass(path, selA, o, true, {
    open: (reader) => {
      builder = new CaptureSummaryBuilder(reader);
    },
    frame: (f) => builder!.add(f),
    packet: (p, facts, row) => {
      const heights = measurePacket(p, facts, ctx);
      let first = 0;
      heights.forEach((h, part) => {
        planPager.place(h, part === 0);
        if (part === 0) first = planPager.pages;
      });
      chunkCounts.push(heights.length);
      const line = facts.summary.length > 1000 ? facts.summary.slice(0, 1000) : facts.summary;
      const text = fitText(line, metrics.fontFor(line, 'H'), FONT_SIZE, tocWidth, metrics);
      entries.push({ frame: p.frame.index, time: row.time, text, page: first });
    },
  });
  const summary = builder!.finish();
  const shown = entries.length;

  const notes: string[] = [];
  const total = summary.packets + summary.customBlocks;
  const how = [
    o.packets !== undefined ? `--packets ${o.packets}` : '',
    o.count !== undefined ? `-c ${o.count}` : '',
    o.filter !== undefined ? `-Y "${o.filter}"` : '',
  ].filter((s) => s !== '');
  notes.push(`${plural(shown, 'packet')} of ${plural(total, 'frame')} in the capture ${shown === 1 ? 'is' : 'are'} dumped here${how.length > 0 ? ` (chosen with ${how.join(' ')})` : ''}.`);
  if (total > shown) {
    notes.push(
      defaultLimit
        ? `${plural(total - shown, 'packet')} ${total - shown === 1 ? 'is' : 'are'} left out: without --packets or -c the first ${DEFAULT_PACKET_LIMIT} are dumped.`
        : `${plural(total - shown, 'packet')} ${total - shown === 1 ? 'is' : 'are'} left out.`,
    );
  }
  if (summary.damage !== undefined) notes.push(`The capture is damaged: ${summary.damage.message}; packets after that point could not be read.`);

  const coverFor = (contentsPage: number) =>
    layoutCover(
      {
        title: `Packet dump of ${shownName}`,
        subtitle: `pcapviz pdfdump · ${o.paper === 'a4' ? 'A4' : 'Letter'}${o.landscape ? ' landscape' : ''} · ${o.theme} theme${o.compact ? ' · compact' : ''}${o.connectors ? '' : ' · no connectors'}`,
        notes,
        summary: summaryPairs(summary, shownName),
        legend: slots.protocols().map((p) => ({ protocol: p, name: ctx.protocolName(p), slot: slots.slot(p) })),
        contentsPage,
      },
      page,
      metrics,
    );
  const coverPages = coverFor(1).length;
  const cover = coverFor(coverPages + 1);
  const tocPages = tocPageCount(entries.length, page);
  const offset = cover.length + tocPages;
  const totalPages = offset + planPager.pages;

  // Pass 2: write.
  const writer = await PdfDumpWriter.open(out, {
    page,
    theme,
    metrics,
    info: {
      Title: `Packet dump of ${shownName}`,
      Subject: `${plural(shown, 'packet')} of ${shownName}, layer by layer, with their bytes`,
      Keywords: ['pcap', 'packet dump', ...slots.protocols()].join(', '),
    },
    footer: `${shownName} · pcapviz pdfdump`,
    totalPages,
  });
  for (const p of cover) await writer.docPage(p);
  const { first, other } = tocRowsPerPage(page);
  for (let i = 0, n = 0; n < tocPages; n++) {
    const take = n === 0 ? first : other;
    const slice = entries.slice(i, i + take).map((e) => ({ ...e, page: e.page + offset }));
    await writer.docPage(layoutTocPage(slice, n === 0, page, metrics));
    i += take;
  }
  entries.length = 0;
  const pager = new PacketPager(page.bodyHeight, o.compact);
  let k = 0;
  await pass(path, selB, o, false, {
    packet: async (p, facts, row) => {
      const layout = layoutPacket(p, facts, ctx);
      if (layout.chunks.length !== chunkCounts[k]) throw new Error(`pdfdump: frame ${p.frame.index} laid out differently on the second pass`);
      k++;
      const title = `Frame ${p.frame.index}: ${row.protocol} ${escapeControl(row.info)}`.trim();
      await writer.packet(layout, title, (h, firstChunk) => pager.place(h, firstChunk));
    },
  });
  await writer.close();
  if (summary.damage !== undefined) {
    const d = summary.damage;
    warn(`warning: ${shownName} is damaged: ${d.message}${d.offset >= 0 ? ` at byte ${d.offset}` : ''}; ${plural(total, 'frame')} read before it`);
  }
  return { exit: summary.damage !== undefined ? EXIT.DAMAGED : EXIT.OK, packets: shown, pages: totalPages };
}

/** Copies standard input to a temporary file (the dump reads its input twice). */
async function spoolStdin(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  // Made synchronously and registered, so a signal's handler removes it whatever it interrupts.
  const dir = mkdtempSync(join(tmpdir(), 'pcapviz-pdfdump-'));
  const untrack = trackTemp(dir);
  const cleanup = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
    untrack();
  };
  const path = join(dir, 'stdin.capture');
  try {
    await pipeline(process.stdin, createWriteStream(path));
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { path, cleanup };
}

/** The command: checks the output, runs the dump, reports problems on stderr; returns the exit code. */
export async function runPdfdump(capture: string, o: PdfdumpOptions): Promise<ExitCode> {
  if (binaryToTerminal('pdfdump', o.output, 'pdf')) return EXIT.FAILURE;
  // The PDF streams into a temporary file beside the output, renamed into place when complete.
  const file = openCommandOutput(o.output, 'pdfdump: ');
  if (file === null) return EXIT.FAILURE;
  let input = capture;
  let cleanup = async (): Promise<void> => {};
  const out: Writable = file?.stream ?? process.stdout;
  try {
    if (capture === '-') {
      const spooled = await spoolStdin();
      input = spooled.path;
      cleanup = spooled.cleanup;
    }
    const shownName = capture === '-' ? '<stdin>' : basename(capture);
    const r = await writePacketDump(input, shownName, out, o);
    await file?.commit();
    return r.exit;
  } catch (e) {
    if (e instanceof CaptureError) {
      warn(e.message);
      return EXIT.FAILURE;
    }
    // A reader that went away (`pcapviz pdfdump x -o - | head`) is not an error of ours.
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.OK;
    if (file !== undefined && ['write', 'close', 'rename'].includes((e as NodeJS.ErrnoException).syscall ?? '')) {
      warn(`pdfdump: ${writeErrorText(o.output, e)}`);
      return EXIT.FAILURE;
    }
    throw e;
  } finally {
    await file?.abort();
    await cleanup();
  }
}

