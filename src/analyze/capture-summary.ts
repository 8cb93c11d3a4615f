import { describeLinkType } from '../capture/link-types.js';
import type { CaptureDamage, CaptureFormat, CaptureInterface, Frame } from '../capture/frame.js';
import { openCapture, type CaptureReader, type OpenCaptureOptions } from '../capture/read-capture.js';

/** A timestamp as the file recorded it, with the decimal digits its source resolves. */
export interface Timestamp {
  readonly sec: number;
  readonly nsec: number;
  readonly digits: number;
}

export interface InterfaceSummary {
  readonly id: number;
  readonly section: number;
  readonly linkType: number;
  readonly linkTypeName: string;
  readonly encapsulation: string;
  readonly snaplen: number;
  readonly tsresol: number | undefined;
  readonly tsDigits: number;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly os: string | undefined;
  readonly hardware: string | undefined;
  readonly filter: string | undefined;
  readonly packets: number;
}

/** Everything `pcapviz info` reports about one capture (capinfos' figures and a few more). */
export interface CaptureSummary {
  readonly file: string;
  readonly format: CaptureFormat;
  readonly compression: 'gzip' | 'zstd' | undefined;
  readonly byteOrder: 'little' | 'big';
  readonly version: string;
  readonly sections: number;
  readonly hardware: string | undefined;
  readonly os: string | undefined;
  readonly application: string | undefined;
  readonly comments: readonly string[];
  /** Link types of the pcap header or of every pcapng interface, without repeats, in file order. */
  readonly linkTypes: readonly number[];
  /** Wireshark's encapsulation name, or `per-packet` when interfaces differ. */
  readonly encapsulation: string;
  readonly interfaces: readonly InterfaceSummary[];
  /** Packet records (what capinfos counts). */
  readonly packets: number;
  /** pcapng custom blocks, which Wireshark shows as frames of their own. */
  readonly customBlocks: number;
  /** Sum of the packets' original (on-the-wire) lengths: capinfos' "data size". */
  readonly dataBytes: number;
  /** Sum of the captured lengths of every frame (packets and custom blocks), as Wireshark's frame.cap_len. */
  readonly capturedBytes: number;
  /** Packets captured shorter than they were on the wire (cut by the snaplen). */
  readonly truncatedPackets: number;
  /** Records whose captured length exceeds the snaplen, or the original length: read as given. */
  readonly oversizedRecords: number;
  readonly smallestPacket: number | undefined;
  readonly largestPacket: number | undefined;
  /** Earliest and latest timestamps; undefined when any packet has none (capinfos: unknown). */
  readonly firstTime: Timestamp | undefined;
  readonly lastTime: Timestamp | undefined;
  /** Whether every timestamp is at least the one before it; undefined when some packet has none. */
  readonly timeOrdered: boolean | undefined;
  /** The pcap header's snaplen; undefined for pcapng and for a header saying 0. */
  readonly snaplen: number | undefined;
  readonly blocks: Readonly<Record<string, number>>;
  readonly damage: CaptureDamage | undefined;
}

/**
 * Orders two timestamps the way Wireshark's capinfos does: seconds first, then nanoseconds,
 * with the seconds difference taken as a 32-bit signed number. That wrap only matters for
 * timestamps more than 68 years apart (broken clocks); we keep it so the earliest and latest
 * times we report are the ones capinfos reports for the same file.
 */
const cmpTime = (aSec: number, aNsec: number, bSec: number, bNsec: number): number =>
  aSec !== bSec ? (aSec - bSec) | 0 : (aNsec - bNsec) | 0;

/** Folds frames into the capinfos-style figures; feed every frame once, then call `finish`. */
export class CaptureSummaryBuilder {
  private packets = 0;
  private customBlocks = 0;
  private dataBytes = 0;
  private capturedBytes = 0;
  private truncated = 0;
  private oversized = 0;
  private smallest = Infinity;
  private largest = -1;
  private first: Timestamp | undefined;
  private last: Timestamp | undefined;
  private prevSec: number | undefined;
  private prevNsec = 0;
  private allTimed = true;
  private ordered = true;
  private readonly perInterface: number[] = [];
  private readonly reader: CaptureReader;

  constructor(reader: CaptureReader) {
    this.reader = reader;
  }

  add(f: Frame): void {
    this.capturedBytes += f.capLen;
    if (f.kind !== 'packet') {
      this.customBlocks++;
      return;
    }
    this.packets++;
    this.dataBytes += f.origLen;
    if (f.capLen < f.origLen) this.truncated++;
    const snaplen = this.reader.interfaces[f.ifaceGlobal]?.snaplen ?? 0;
    if (f.capLen > f.origLen || (snaplen > 0 && f.capLen > snaplen)) this.oversized++;
    if (f.origLen < this.smallest) this.smallest = f.origLen;
    if (f.origLen > this.largest) this.largest = f.origLen;
    this.perInterface[f.ifaceGlobal] = (this.perInterface[f.ifaceGlobal] ?? 0) + 1;
    if (!f.hasTimestamp) {
      this.allTimed = false;
      return;
    }
    const { tsSec, tsNsec } = f;
    if (this.prevSec !== undefined && cmpTime(tsSec, tsNsec, this.prevSec, this.prevNsec) < 0) this.ordered = false;
    this.prevSec = tsSec;
    this.prevNsec = tsNsec;
    if (this.first === undefined || cmpTime(tsSec, tsNsec, this.first.sec, this.first.nsec) < 0) {
      this.first = { sec: tsSec, nsec: tsNsec, digits: f.tsDigits };
    }
    if (this.last === undefined || cmpTime(tsSec, tsNsec, this.last.sec, this.last.nsec) > 0) {
      this.last = { sec: tsSec, nsec: tsNsec, digits: f.tsDigits };
    }
  }

  addBatch(frames: readonly Frame[]): void {
    for (const f of frames) this.add(f);
  }

  finish(): CaptureSummary {
    const reader = this.reader;
    const ifaces = reader.interfaces;
    const linkTypes = [...new Set(ifaces.map((i) => i.linkType))];
    const snaplenLimit = reader.pcapHeader?.snaplen;
    const encaps = [...new Set(ifaces.map((i) => describeLinkType(i.linkType).encap))];
    const section0 = reader.sections[0];
    return {
      file: reader.name,
      format: reader.format,
      compression: reader.compression,
      byteOrder: reader.byteOrder,
      version: reader.version,
      sections: reader.sections.length,
      hardware: section0?.hardware,
      os: section0?.os,
      application: section0?.application,
      comments: reader.sections.flatMap((s) => s.comments),
      linkTypes,
      encapsulation: encaps.length === 0 ? 'unknown' : encaps.length === 1 ? encaps[0]! : 'per-packet',
      interfaces: ifaces.map((i, n) => summariseInterface(i, this.perInterface[n] ?? 0)),
      packets: this.packets,
      customBlocks: this.customBlocks,
      dataBytes: this.dataBytes,
      capturedBytes: this.capturedBytes,
      truncatedPackets: this.truncated,
      oversizedRecords: this.oversized,
      smallestPacket: this.packets > 0 ? this.smallest : undefined,
      largestPacket: this.packets > 0 ? this.largest : undefined,
      firstTime: this.allTimed ? this.first : undefined,
      lastTime: this.allTimed ? this.last : undefined,
      timeOrdered: this.allTimed ? this.ordered : undefined,
      snaplen: snaplenLimit !== undefined && snaplenLimit > 0 ? snaplenLimit : undefined,
      blocks: Object.fromEntries(reader.blockCounts),
      damage: reader.damage,
    };
  }
}

function summariseInterface(i: CaptureInterface, packets: number): InterfaceSummary {
  const lt = describeLinkType(i.linkType);
  return {
    id: i.id,
    section: i.section,
    linkType: i.linkType,
    linkTypeName: lt.name,
    encapsulation: lt.encap,
    snaplen: i.snaplen,
    tsresol: i.tsresol,
    tsDigits: i.tsDigits,
    name: i.name,
    description: i.description,
    os: i.os,
    hardware: i.hardware,
    filter: i.filter,
    packets,
  };
}

/** Reads a whole capture and summarises it. */
export async function summarizeCapture(reader: CaptureReader): Promise<CaptureSummary> {
  const b = new CaptureSummaryBuilder(reader);
  for await (const batch of reader.batches()) b.addBatch(batch);
  return b.finish();
}

/** Opens, reads and summarises one capture file (`-` for standard input). Throws `CaptureError`. */
export async function summarizeFile(path: string, options?: OpenCaptureOptions): Promise<CaptureSummary> {
  const reader = await openCapture(path, options);
  try {
    return await summarizeCapture(reader);
  } finally {
    await reader.close();
  }
}
