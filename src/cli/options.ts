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
