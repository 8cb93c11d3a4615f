import type { Argv } from 'yargs';

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
