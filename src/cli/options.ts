import type { Argv } from 'yargs';
import { GRAPH_RENDERERS, type GraphRenderer } from '../graph/constants.js';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'md'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * yargs drops a bare `-` argument, so `main` hands it over as this token and options turn it
 * back into `-` (standard input or output).
 */
export const STDIO_ARG = '\u0000-';

const restoreDash = (v: unknown): string => (v === STDIO_ARG ? '-' : String(v));

/** `<captures..>`: one or more capture files, `-` for standard input. */
export function withCaptures<T>(y: Argv<T>): Argv<T & { captures: string[] }> {
  return y.positional('captures', {
    describe: 'capture files (pcap, pcapng, optionally gzip-compressed); - reads standard input',
    type: 'string',
    array: true,
    demandOption: true,
    coerce: (list: unknown[]) => list.map(restoreDash),
  }) as Argv<T & { captures: string[] }>;
}

/** `--format table|json|csv|md`. */
export function withFormat<T>(y: Argv<T>): Argv<T & { format: OutputFormat }> {
  return y.option('format', {
    describe: 'output format: table for people; json, csv or md for scripts and documents',
    choices: OUTPUT_FORMATS,
    default: 'table' as OutputFormat,
  }) as Argv<T & { format: OutputFormat }>;
}

/** `--decode-as TABLE==VALUE,PROTOCOL` (Wireshark's "Decode As"), repeatable. */
export function withDecodeAs<T>(y: Argv<T>): Argv<T & { 'decode-as': string[] }> {
  return y.option('decode-as', {
    describe: 'dissect a port or other table value as a protocol, e.g. udp.port==9999,dns (repeatable)',
    type: 'string',
    array: true,
    default: [] as string[],
    requiresArg: true,
  }) as Argv<T & { 'decode-as': string[] }>;
}

/** `--tls-keylog FILE`: TLS secrets in the NSS key log format, for QUIC decryption. */
export function withTlsKeylog<T>(y: Argv<T>): Argv<T & { 'tls-keylog': string | undefined }> {
  return y.option('tls-keylog', {
    describe: 'TLS key log file (SSLKEYLOGFILE / NSS format) to decrypt QUIC with, besides the secrets a pcapng capture holds',
    type: 'string',
    requiresArg: true,
  }) as Argv<T & { 'tls-keylog': string | undefined }>;
}

/** A set of frame numbers: `1-10,25,40-` (open-ended ranges allowed). */
export interface PacketRange {
  has(n: number): boolean;
  /** The last number the range can match (Infinity when open-ended). */
  readonly max: number;
}

export function parsePacketRange(text: string): PacketRange {
  const parts: [number, number][] = [];
  for (const raw of text.split(',')) {
    const p = raw.trim();
    const m = /^(\d+)(?:\s*-\s*(\d*))?$/.exec(p);
    if (!m) throw new Error(`bad packet range "${p}": use numbers and ranges like 1-10,25,40-`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : m[2] === '' ? Infinity : Number(m[2]);
    if (from < 1 || to < from) throw new Error(`bad packet range "${p}"`);
    parts.push([from, to]);
  }
  return { has: (n) => parts.some(([a, b]) => n >= a && n <= b), max: Math.max(...parts.map(([, b]) => b)) };
}

/** `--packets RANGE` and `-c N`. */
export function withPacketSelection<T>(y: Argv<T>): Argv<T & { packets: string | undefined; c: number | undefined }> {
  return y
    .option('packets', {
      describe: 'frame numbers to show: 1-10,25,40- (as Wireshark numbers them)',
      type: 'string',
      requiresArg: true,
    })
    .option('c', {
      describe: 'stop after this many packets',
      type: 'number',
      requiresArg: true,
    }) as Argv<T & { packets: string | undefined; c: number | undefined }>;
}

/** `-Y/--filter EXPR`: a Wireshark display filter; packets it rejects are skipped before anything else. */
export function withFilter<T>(y: Argv<T>): Argv<T & { filter: string | undefined }> {
  return y.option('filter', {
    alias: 'Y',
    describe: 'Wireshark display filter: only matching packets are shown and counted, e.g. "tcp.port == 443 && tcp.flags.syn == 1"',
    type: 'string',
    requiresArg: true,
  }) as Argv<T & { filter: string | undefined }>;
}

/** What a report holds and how its graph is laid out: options `report` and `batch` share. */
export interface ReportContentArgs {
  top: number;
  'graph-top': number;
  names: boolean;
  n: boolean | undefined;
  'max-flows': number | undefined;
  renderer: GraphRenderer | undefined;
  'layout-timeout': number;
}

export function withReportContent<T>(y: Argv<T>): Argv<T & ReportContentArgs> {
  return y
    .option('top', { describe: 'rows per report table', type: 'number', default: 10, requiresArg: true })
    .option('graph-top', { describe: 'hosts kept in the conversation graph (the rest fold into one node); 0 keeps all', type: 'number', default: 40, requiresArg: true })
    .option('names', { describe: 'label hosts with names learned from the capture (--no-names for none)', type: 'boolean', default: true })
    .option('n', { describe: 'no names learned from the capture (as --no-names)', type: 'boolean' })
    .option('max-flows', { describe: 'most conversations kept live per table (default 1000000)', type: 'number', requiresArg: true })
    .option('renderer', { describe: 'graph layout: wasm (built-in Graphviz, default) or system (the installed dot)', choices: GRAPH_RENDERERS, requiresArg: true })
    .option('layout-timeout', { describe: 'seconds a graph layout may take before sfdp is tried instead', type: 'number', default: 120, requiresArg: true }) as unknown as Argv<T & ReportContentArgs>;
}
