/**
 * The checks behind the coverage-guided fuzz targets (`fuzz/*.mjs`, run by Jazzer.js) and the
 * replay of their findings (`test/hardening/regress.test.ts`). Each takes arbitrary bytes and
 * returns normally when the code under test behaved: it read, dissected or compiled the input,
 * or refused it with its own error type. Anything else throws (a `FuzzFinding` for a broken
 * invariant, or the unexpected error itself), which the fuzzer reports as a crash.
 */
import { Readable } from 'node:stream';
import { CaptureError } from '../capture/errors.js';
import { type Frame, memoryFrame } from '../capture/frame.js';
import { openCapture } from '../capture/read-capture.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { defaultRegistry } from '../dissect/protocols/index.js';
import type { Registry } from '../dissect/registry.js';
import { invariantProblem, packetLabel } from '../dissect/invariants.js';
import type { DissectedPacket } from '../dissect/tree.js';
import { compileFilter, FilterError } from '../filter/index.js';
import { CraftError } from './errors.js';
import { compileCraft } from './expr.js';

/** A broken invariant (as opposed to an error thrown by the code under test). */
export class FuzzFinding extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzFinding';
  }
}

/** Throws a `FuzzFinding` when a dissected packet breaks the tree's invariants (`invariantProblem`). */
export function checkInvariants(p: DissectedPacket): void {
  const problem = invariantProblem(p);
  if (problem !== undefined) throw new FuzzFinding(`${packetLabel(p)}: ${problem}`);
}

// ---------------------------------------------------------------------------------------------
// Capture readers

/** Bytes per chunk fed to the reader: a prime, so records straddle chunks at every alignment. */
const READ_CHUNK = 509;

/**
 * Reads `bytes` as a whole capture file (pcap, pcapng, snoop, gzip or zstd around them), fed in
 * small chunks. Ends in frames (maybe with a damage report) or a `CaptureError`. Returns the
 * frames read.
 */
export async function checkReader(bytes: Uint8Array): Promise<Frame[]> {
  const chunks: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += READ_CHUNK) chunks.push(Buffer.from(bytes.subarray(o, o + READ_CHUNK)));
  const frames: Frame[] = [];
  let reader;
  try {
    reader = await openCapture('-', { stdin: Readable.from(chunks) });
    for await (const f of reader) frames.push(f);
  } catch (e) {
    if (e instanceof CaptureError) return frames;
    throw e;
  }
  let prev = 0;
  for (const f of frames) {
    if (f.index !== prev + 1) throw new FuzzFinding(`frame ${f.index} follows frame ${prev}`);
    prev = f.index;
    if (f.data.length !== f.capLen) throw new FuzzFinding(`frame ${f.index}: ${f.data.length} bytes for a captured length of ${f.capLen}`);
  }
  if (reader.damage !== undefined && reader.damage.frame !== frames.length + 1) {
    throw new FuzzFinding(`damage reported at frame ${reader.damage.frame} after ${frames.length} frames`);
  }
  return frames;
}

// ---------------------------------------------------------------------------------------------
// The dissector, per protocol entry point

/** One way into the dissector: a dispatch-table entry, or a table's heuristics. */
export interface DissectorEntry {
  readonly table: string;
  /** The table key; undefined for the table's heuristics. */
  readonly key: number | undefined;
  readonly protocol: string;
}

/** Tables the fuzz target reaches through real outer headers it writes itself. */
const WRAPPED = new Set(['linktype', 'ethertype', 'sll.ltype', 'ip.proto', 'ppp.protocol', 'llc.snap', 'llc.dsap', 'gre.proto', 'udp.port', 'tcp.port', 'sctp.port', 'sctp.ppi', 'netlink.protocol', 'mtp3.service_indicator']);
/** Link-type numbers given to protocols entered directly (Decode As on link types nobody uses). */
const DIRECT_BASE = 0x7fff_0000;
/** A port no table binds: the other end of every TCP, UDP and SCTP entry. */
const FREE_PORT = 40_000;

/** Every binding of every protocol, then one entry per table with heuristics, in registry order. */
export function dissectorEntries(registry: Registry = defaultRegistry()): DissectorEntry[] {
  const out: DissectorEntry[] = [];
  const heuristics = new Map<string, string>();
  for (const p of registry.protocols.values()) {
    for (const b of p.bindings ?? []) out.push({ table: b.table, key: b.key, protocol: p.id });
    for (const h of p.heuristics ?? []) if (!heuristics.has(h.table)) heuristics.set(h.table, p.id);
  }
  for (const [table, protocol] of heuristics) out.push({ table, key: undefined, protocol });
  return out;
}

interface EntryPoints {
  readonly entries: readonly DissectorEntry[];
  readonly dissector: Dissector;
}

let entryPoints: EntryPoints | undefined;

function entryPointsOf(): EntryPoints {
  if (entryPoints !== undefined) return entryPoints;
  const base = defaultRegistry();
  const entries = dissectorEntries(base);
  if (entries.some((e) => e.table.endsWith('.port') && (e.key === FREE_PORT || e.key === FREE_PORT + 1))) throw new Error(`port ${FREE_PORT} or the next is bound`);
  const direct: Record<number, string> = {};
  entries.forEach((e, i) => {
    if (!WRAPPED.has(e.table)) direct[DIRECT_BASE + i] = e.protocol;
  });
  const registry = base.with({ linktype: direct });
  entryPoints = { entries, dissector: new Dissector(registry, { mode: 'full', strict: true }) };
  return entryPoints;
}

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const MACS = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

function ipv4(proto: number, payload: number): number[] {
  return [0x45, 0, ...u16(20 + payload), 0, 1, 0x40, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
}

function sctp(sport: number, dport: number, ppi: number, payload: number): number[] {
  return [...u16(sport), ...u16(dport), ...u32(1), ...u32(0), 0, 0x03, ...u16(16 + payload), ...u32(1), 0, 0, 0, 0, ...u32(ppi)];
}

/** The outer headers that lead to `e`, and the link type of the frame they start. */
export function entryFrame(e: DissectorEntry, index: number, payload: Uint8Array): { linkType: number; data: Uint8Array } {
  const n = payload.length;
  const k = e.key ?? 0;
  let linkType = 1;
  let head: number[];
  switch (e.table) {
    case 'linktype':
      linkType = k;
      head = [];
      break;
    case 'ethertype':
      head = [...MACS, ...u16(k)];
      break;
    case 'sll.ltype':
      linkType = 113;
      head = [0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...u16(k)];
      break;
    case 'ip.proto':
      linkType = 228;
      head = ipv4(k, n);
      break;
    case 'ppp.protocol':
      linkType = 9;
      head = [0xff, 0x03, ...u16(k)];
      break;
    case 'llc.snap': {
      const oui = Math.floor(k / 0x10000);
      head = [...MACS, ...u16(8 + n), 0xaa, 0xaa, 0x03, (oui >> 16) & 0xff, (oui >> 8) & 0xff, oui & 0xff, ...u16(k % 0x10000)];
      break;
    }
    case 'llc.dsap':
      head = [...MACS, ...u16(3 + n), k, k, 0x03];
      break;
    case 'gre.proto':
      linkType = 228;
      head = [...ipv4(47, 4 + n), 0, 0, ...u16(k)];
      break;
    case 'udp.port':
      linkType = 228;
      head = [...ipv4(17, 8 + n), ...u16(FREE_PORT), ...u16(e.key ?? FREE_PORT + 1), ...u16(8 + n), 0, 0];
      break;
    case 'tcp.port':
      linkType = 228;
      head = [...ipv4(6, 20 + n), ...u16(FREE_PORT), ...u16(e.key ?? FREE_PORT + 1), ...u32(1), ...u32(1), 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0];
      break;
    case 'sctp.port':
      linkType = 228;
      head = [...ipv4(132, 28 + n), ...sctp(FREE_PORT, e.key ?? FREE_PORT + 1, 0, n)];
      break;
    case 'sctp.ppi':
      linkType = 228;
      head = [...ipv4(132, 28 + n), ...sctp(FREE_PORT, FREE_PORT + 1, k, n)];
      break;
    case 'netlink.protocol':
      linkType = 253;
      head = [0, 0, ...u16(824), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...u16(k)];
      break;
    case 'mtp3.service_indicator':
      // MTP2 (an MSU: length indicator 3 or more), then MTP3's service octet and routing label.
      linkType = 140;
      head = [0x80, 0x80, Math.min(5 + n, 63), 0x80 | (k & 0x0f), 0x01, 0x00, 0x00, 0x00];
      break;
    default:
      linkType = DIRECT_BASE + index;
      head = [];
  }
  const data = new Uint8Array(head.length + n);
  data.set(head);
  data.set(payload, head.length);
  return { linkType, data };
}

/** Dissects one frame in full mode with a strict dissector and checks the invariants. */
export function checkFrame(linkType: number, data: Uint8Array, origLen = data.length, dissector?: Dissector): DissectedPacket {
  const d = dissector ?? entryPointsOf().dissector;
  const p = d.dissect(memoryFrame(data, { index: 1, linkType, origLen, tsSec: 1_700_000_000 }));
  checkInvariants(p);
  return p;
}

/** How many entry points the dissector target reaches. */
export function dissectorEntryCount(): number {
  return entryPointsOf().entries.length;
}

/**
 * The dissector target's input: two bytes choose the entry point (big-endian, modulo the
 * number of entries), a third says how many bytes the packet claimed beyond those captured (a
 * snaplen cut), and the rest is the payload written behind the entry's outer headers.
 */
export function dissectorInput(bytes: Uint8Array): { entry: DissectorEntry; linkType: number; data: Uint8Array; origLen: number } | undefined {
  if (bytes.length < 3) return undefined;
  const { entries } = entryPointsOf();
  const index = ((bytes[0]! << 8) | bytes[1]!) % entries.length;
  const entry = entries[index]!;
  const { linkType, data } = entryFrame(entry, index, bytes.subarray(3));
  return { entry, linkType, data, origLen: data.length + bytes[2]! };
}

/** The selector bytes that choose entry `index` (for seeds). */
export function dissectorSelector(index: number, cut = 0): Uint8Array {
  return Uint8Array.of(index >> 8, index & 0xff, cut);
}

export function checkDissector(bytes: Uint8Array): void {
  const input = dissectorInput(bytes);
  if (input !== undefined) checkFrame(input.linkType, input.data, input.origLen);
}

// ---------------------------------------------------------------------------------------------
// Display filters and craft expressions

/** The first `count` packets of a capture file, dissected in full (what filters are run on). */
export async function samplePackets(path: string, count: number): Promise<DissectedPacket[]> {
  const packets: DissectedPacket[] = [];
  const reader = await openCapture(path);
  try {
    for await (const f of reader) {
      packets.push(checkFrame(f.linkType, Uint8Array.from(f.data), f.origLen));
      if (packets.length >= count) break;
    }
  } finally {
    await reader.close();
  }
  return packets;
}

/**
 * Compiles `text` as a display filter: it compiles or raises `FilterError`. A compiled filter is
 * run on every packet given, which must not throw.
 */
export function checkFilter(text: string, packets: readonly DissectedPacket[]): void {
  let filter;
  try {
    filter = compileFilter(text, defaultRegistry());
  } catch (e) {
    if (e instanceof FilterError) return;
    throw e;
  }
  for (const p of packets) filter.matches(p);
}

let craftDissector: Dissector | undefined;

/** Link types of the layers a craft expression may start with. */
const CRAFT_LINK_TYPES: Readonly<Record<string, number>> = { Ether: 1, IP: 228, IPv6: 229 };
/** Packets of one expression that are built and dissected (a list or range may stand for millions). */
const CRAFT_FRAMES = 4;

/**
 * Compiles `text` as a craft expression: it compiles or raises `CraftError`. Its first packets
 * are built (a value that cannot be encoded is a `CraftError` too) and dissected back strictly,
 * with the invariants checked.
 */
export function checkCraft(text: string): void {
  let series;
  try {
    series = compileCraft(text);
  } catch (e) {
    if (e instanceof CraftError) return;
    throw e;
  }
  const linkType = CRAFT_LINK_TYPES[series.first] ?? 147;
  craftDissector ??= new Dissector(defaultRegistry(), { mode: 'full', strict: true });
  const d = craftDissector;
  let n = 0;
  try {
    for (const data of series.frames()) {
      checkFrame(linkType, data, data.length, d);
      if (++n >= CRAFT_FRAMES) break;
    }
  } catch (e) {
    if (e instanceof CraftError) return;
    throw e;
  }
}

/** Fuzzer bytes as text (UTF-8; invalid sequences become U+FFFD). */
export function textOf(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
