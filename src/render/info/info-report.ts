import type { CaptureSummary, InterfaceSummary, Timestamp } from '../../analyze/capture-summary.js';
import { describeLinkType } from '../../capture/link-types.js';
import { type Column, type Row, renderKeyValues, renderTable, type TableFormat } from '../table/table.js';
import { formatEpoch, formatIso, formatSeconds, toNanoseconds } from '../time-format.js';

/** The derived figures of a summary: duration and rates. */
export interface CaptureRates {
  /** Latest minus earliest timestamp, in nanoseconds; undefined when times are unknown. */
  readonly durationNs: bigint | undefined;
  readonly durationDigits: number;
  readonly averagePacketSize: number | undefined;
  readonly dataByteRate: number | undefined;
  readonly packetRate: number | undefined;
}

export function captureRates(s: CaptureSummary): CaptureRates {
  const f = s.firstTime;
  const l = s.lastTime;
  const durationNs = f && l ? toNanoseconds(l) - toNanoseconds(f) : undefined;
  const seconds = durationNs === undefined ? 0 : Number(durationNs) / 1e9;
  return {
    durationNs,
    durationDigits: Math.max(f?.digits ?? 0, l?.digits ?? 0),
    averagePacketSize: s.packets > 0 ? s.dataBytes / s.packets : undefined,
    dataByteRate: seconds > 0 ? s.dataBytes / seconds : undefined,
    packetRate: seconds > 0 ? s.packets / seconds : undefined,
  };
}

const round = (v: number | undefined, digits: number): number | null =>
  v === undefined ? null : Math.round(v * 10 ** digits) / 10 ** digits;
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const epoch = (t: Timestamp | undefined): string | null => (t ? formatEpoch(t) : null);
const iso = (t: Timestamp | undefined): string | null => (t ? formatIso(t) : null);

function interfaceJson(i: InterfaceSummary): Record<string, unknown> {
  return {
    id: i.id,
    section: i.section,
    linkType: i.linkType,
    linkTypeName: i.linkTypeName,
    encapsulation: i.encapsulation,
    snaplen: i.snaplen,
    tsresol: orNull(i.tsresol),
    timePrecisionDigits: i.tsDigits,
    name: orNull(i.name),
    description: orNull(i.description),
    os: orNull(i.os),
    hardware: orNull(i.hardware),
    filter: orNull(i.filter),
    packets: i.packets,
  };
}

/** The `info --format json` object (the contract in ARCHITECTURE.md, plus more figures). */
export function infoJson(s: CaptureSummary): Record<string, unknown> {
  const r = captureRates(s);
  return {
    file: s.file,
    format: s.format,
    compression: orNull(s.compression),
    byteOrder: s.byteOrder,
    version: s.version,
    encapsulation: s.encapsulation,
    linkTypes: s.linkTypes,
    linkTypeNames: s.linkTypes.map((lt) => describeLinkType(lt).name),
    packets: s.packets,
    customBlocks: s.customBlocks,
    dataBytes: s.dataBytes,
    capturedBytes: s.capturedBytes,
    truncatedPackets: s.truncatedPackets,
    oversizedRecords: s.oversizedRecords,
    smallestPacket: orNull(s.smallestPacket),
    largestPacket: orNull(s.largestPacket),
    firstTime: epoch(s.firstTime),
    lastTime: epoch(s.lastTime),
    firstTimeIso: iso(s.firstTime),
    lastTimeIso: iso(s.lastTime),
    duration: r.durationNs === undefined ? null : formatSeconds(r.durationNs, r.durationDigits),
    averagePacketSize: round(r.averagePacketSize, 2),
    dataByteRate: round(r.dataByteRate, 2),
    dataBitRate: round(r.dataByteRate === undefined ? undefined : r.dataByteRate * 8, 2),
    packetRate: round(r.packetRate, 2),
    timeOrdered: orNull(s.timeOrdered),
    snaplen: orNull(s.snaplen),
    sections: s.sections,
    application: orNull(s.application),
    os: orNull(s.os),
    hardware: orNull(s.hardware),
    comments: s.comments,
    interfaces: s.interfaces.map(interfaceJson),
    blocks: s.blocks,
    damaged: s.damage ? { message: s.damage.message, offset: s.damage.offset, frame: s.damage.frame } : null,
  };
}

const num = (v: number): string => v.toLocaleString('en-US');
const fixed = (v: number | undefined, d: number, unit: string): string =>
  v === undefined ? 'n/a' : `${v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })} ${unit}`;

function bitRate(bytesPerSec: number | undefined): string {
  if (bytesPerSec === undefined) return 'n/a';
  const bits = bytesPerSec * 8;
  const units: [number, string][] = [[1e9, 'Gbit/s'], [1e6, 'Mbit/s'], [1e3, 'kbit/s']];
  for (const [scale, name] of units) if (bits >= scale) return fixed(bits / scale, 2, name);
  return fixed(bits, 2, 'bit/s');
}

function timeText(t: Timestamp | undefined, known: boolean): string {
  if (!known) return 'unknown (some packets have no timestamp)';
  return t ? `${formatIso(t)} (${formatEpoch(t)})` : 'n/a';
}

export function damageText(s: CaptureSummary): string {
  if (!s.damage) return 'no';
  const where = s.damage.offset >= 0 ? ` at byte ${num(s.damage.offset)}${s.compression ? ' of the decompressed data' : ''}` : '';
  return `yes: ${s.damage.message}${where}, before frame ${s.damage.frame}`;
}

const MAX_LISTED_INTERFACES = 20;

function interfaceLine(i: InterfaceSummary): string {
  const parts = [`${i.encapsulation} (${i.linkTypeName}, ${i.linkType})`];
  parts.push(i.snaplen > 0 ? `snaplen ${i.snaplen}` : 'no snaplen');
  parts.push(`${i.tsDigits}-digit timestamps`);
  if (i.name !== undefined) parts.unshift(i.name);
  if (i.description !== undefined) parts.push(`"${i.description}"`);
  if (i.os !== undefined) parts.push(`OS ${i.os}`);
  if (i.hardware !== undefined) parts.push(`hardware ${i.hardware}`);
  if (i.filter !== undefined) parts.push(`filter ${i.filter}`);
  parts.push(`${num(i.packets)} packets`);
  return parts.join(', ');
}

/** capinfos-style report of one capture. */
export function infoKeyValues(s: CaptureSummary): string {
  return renderKeyValues(infoPairs(s));
}

/** The capinfos-style figures of a capture as label/value pairs, in the order `info` shows them. */
export function infoPairs(s: CaptureSummary): [string, string][] {
  const r = captureRates(s);
  const timesKnown = s.packets === 0 || s.firstTime !== undefined;
  const pairs: [string, string][] = [
    ['File name', s.file],
    [
      'File type',
      `${s.format} (${s.byteOrder}-endian, version ${s.version}${s.sections > 1 ? `, ${s.sections} sections` : ''})${s.compression ? `, ${s.compression}-compressed` : ''}`,
    ],
    ['File encapsulation', s.encapsulation],
  ];
  if (s.format === 'pcapng') {
    pairs.push(['Interfaces', String(s.interfaces.length)]);
    s.interfaces.slice(0, MAX_LISTED_INTERFACES).forEach((i, n) => pairs.push([`  Interface #${n}`, interfaceLine(i)]));
    if (s.interfaces.length > MAX_LISTED_INTERFACES) {
      pairs.push(['  ...', `${num(s.interfaces.length - MAX_LISTED_INTERFACES)} more interfaces (see --format json)`]);
    }
  }
  if (s.application !== undefined) pairs.push(['Capture application', s.application]);
  if (s.os !== undefined) pairs.push(['Capture OS', s.os]);
  if (s.hardware !== undefined) pairs.push(['Capture hardware', s.hardware]);
  for (const c of s.comments) pairs.push(['Capture comment', c]);
  pairs.push(['Packet size limit', s.snaplen !== undefined ? `${num(s.snaplen)} bytes` : s.format === 'pcapng' ? 'per interface' : 'not set']);
  pairs.push(['Packets', num(s.packets)]);
  if (s.customBlocks > 0) pairs.push(['Custom blocks', num(s.customBlocks)]);
  pairs.push(['Packets cut by snaplen', num(s.truncatedPackets)]);
  if (s.oversizedRecords > 0) pairs.push(['Oversized records', `${num(s.oversizedRecords)} (captured length above snaplen or original length)`]);
  pairs.push(['Data size', `${num(s.dataBytes)} bytes`]);
  pairs.push(['Captured bytes', `${num(s.capturedBytes)} bytes`]);
  pairs.push(['First packet time', timeText(s.firstTime, timesKnown)]);
  pairs.push(['Last packet time', timeText(s.lastTime, timesKnown)]);
  pairs.push(['Capture duration', r.durationNs === undefined ? 'n/a' : `${formatSeconds(r.durationNs, r.durationDigits)} seconds`]);
  pairs.push(['Data byte rate', fixed(r.dataByteRate, 2, 'bytes/s')]);
  pairs.push(['Data bit rate', bitRate(r.dataByteRate)]);
  pairs.push(['Average packet size', fixed(r.averagePacketSize, 2, 'bytes')]);
  pairs.push(['Average packet rate', fixed(r.packetRate, 2, 'packets/s')]);
  pairs.push(['Strict time order', s.timeOrdered === undefined ? 'unknown' : s.timeOrdered ? 'true' : 'false']);
  pairs.push(['Damaged', damageText(s)]);
  return pairs;
}

const COLUMNS: readonly Column[] = [
  { key: 'file', title: 'File' },
  { key: 'format', title: 'Format' },
  { key: 'encapsulation', title: 'Encapsulation' },
  { key: 'packets', title: 'Packets', align: 'right' },
  { key: 'dataBytes', title: 'Data bytes', align: 'right' },
  { key: 'capturedBytes', title: 'Captured bytes', align: 'right' },
  { key: 'firstTime', title: 'First packet (UTC)' },
  { key: 'lastTime', title: 'Last packet (UTC)' },
  { key: 'duration', title: 'Duration (s)', align: 'right' },
  { key: 'packetRate', title: 'Packets/s', align: 'right' },
  { key: 'averagePacketSize', title: 'Avg size', align: 'right' },
  { key: 'snaplen', title: 'Snaplen', align: 'right' },
  { key: 'truncatedPackets', title: 'Cut', align: 'right' },
  { key: 'damaged', title: 'Damaged' },
];

/** Machine columns for CSV: epoch times and raw numbers rather than display text. */
const CSV_EXTRA: readonly Column[] = [
  { key: 'firstEpoch', title: 'First packet (epoch)' },
  { key: 'lastEpoch', title: 'Last packet (epoch)' },
  { key: 'linkTypes', title: 'Link types' },
  { key: 'error', title: 'Error' },
];

/** A capture that could not be read at all, for multi-file tables. */
export interface UnreadableCapture {
  readonly file: string;
  readonly error: string;
}

function summaryRow(s: CaptureSummary): Row {
  const r = captureRates(s);
  return {
    file: s.file,
    format: `${s.format}${s.compression ? `+${s.compression}` : ''}`,
    encapsulation: s.encapsulation,
    packets: String(s.packets),
    dataBytes: String(s.dataBytes),
    capturedBytes: String(s.capturedBytes),
    firstTime: s.firstTime ? formatIso(s.firstTime) : '',
    lastTime: s.lastTime ? formatIso(s.lastTime) : '',
    firstEpoch: s.firstTime ? formatEpoch(s.firstTime) : '',
    lastEpoch: s.lastTime ? formatEpoch(s.lastTime) : '',
    duration: r.durationNs === undefined ? '' : formatSeconds(r.durationNs, r.durationDigits),
    packetRate: r.packetRate === undefined ? '' : r.packetRate.toFixed(2),
    averagePacketSize: r.averagePacketSize === undefined ? '' : r.averagePacketSize.toFixed(2),
    snaplen: s.snaplen === undefined ? '' : String(s.snaplen),
    truncatedPackets: String(s.truncatedPackets),
    linkTypes: s.linkTypes.join(' '),
    damaged: s.damage ? damageText(s).replace(/^yes: /, '') : 'no',
    error: '',
  };
}

/** One row per capture (the table, CSV and Markdown forms of `info`). */
export function infoTable(items: readonly (CaptureSummary | UnreadableCapture)[], format: TableFormat): string {
  const rows = items.map((it) =>
    'error' in it ? { file: it.file, damaged: 'unreadable', error: it.error } : summaryRow(it),
  );
  const columns = format === 'csv' ? [...COLUMNS, ...CSV_EXTRA] : COLUMNS;
  return renderTable(columns, rows, format);
}
