/**
 * `pcapviz report`: one pass over a capture (plus a short one for `--dump`), the report value
 * built from it, rendered as HTML, PDF, Markdown or the value itself as JSON, written through a
 * temporary file opened before the capture is read (no partial file is left when something fails).
 */
import { extname } from 'node:path';
import { DEFAULT_MAX_FLOWS } from '../analyze/flow-table.js';
import { binaryToTerminal, EXIT, type ExitCode, openCommandOutput, warn } from '../cli/output.js';
import type { GraphRenderer } from '../graph/constants.js';
import { jsonText } from '../render/text-safety.js';
import { buildReport } from '../report/build.js';
import { collectCapture } from '../report/collect.js';
import { DEFAULT_SECTIONS, REPORT_SECTIONS, type ReportData, type ReportFormat, type ReportSectionId } from '../report/model.js';
import type { StatsSettings } from './stats/table.js';
import { selectPackets } from './selection.js';
import { writeErrorText } from '../util/output-file.js';
import { packageVersion } from '../util/package-files.js';

/** Packets dumped when the dump section is named without `--dump N`. */
const DEFAULT_DUMP = 10;

/** What a report contains and how it is made (the library's options; every one has a default). */
export interface ReportContentOptions {
  /** Sections by name (or `all`); default: all but `dump`, and `dump` too when `dump > 0`. */
  readonly sections?: readonly string[] | undefined;
  /** Rows per table (default 10). */
  readonly top?: number;
  /** Hosts kept in the graph (default 40; 0 keeps all). */
  readonly graphTop?: number;
  /** First N packets as layered dumps (default 0). */
  readonly dump?: number;
  /** Label hosts with names learned from the capture (default true). */
  readonly names?: boolean;
  readonly maxFlows?: number | undefined;
  readonly decodeAs?: readonly string[];
  /** A display filter: only matching packets are counted. */
  readonly filter?: string | undefined;
  /** Graph layout: built-in (`wasm`, default) or installed Graphviz. */
  readonly renderer?: GraphRenderer | undefined;
  /** Seconds the graph layout may take (default 120). */
  readonly timeoutSeconds?: number;
  /** The time the report says it was made (tests fix it); default now. */
  readonly now?: Date;
}

export interface ReportOptions extends ReportContentOptions {
  /** Output file; `-` for standard output (then `format` is needed). */
  readonly output: string;
  readonly format: ReportFormat | undefined;
}

const DEFAULTS = { top: 10, graphTop: 40, dump: 0, timeoutSeconds: 120 } as const;

/** The format of an output name, or a message. */
export function reportFormatOf(output: string, format: ReportFormat | undefined): { format: ReportFormat } | { error: string } {
  if (format !== undefined) return { format };
  if (output === '-') return { error: 'writing to standard output needs --format (html, pdf, md or json)' };
  const ext = extname(output).slice(1).toLowerCase();
  const byExt: Record<string, ReportFormat> = { html: 'html', htm: 'html', pdf: 'pdf', md: 'md', markdown: 'md', json: 'json' };
  const f = byExt[ext];
  return f !== undefined ? { format: f } : { error: `cannot tell the format of "${output}" from its extension: name it .html, .pdf, .md or .json, or give --format` };
}

/** `summary,graph` → the sections in report order; a message for an unknown one. */
export function parseSections(names: readonly string[] | undefined, dump: number): ReportSectionId[] | string {
  if (names === undefined) return dump > 0 ? [...DEFAULT_SECTIONS, 'dump'] : [...DEFAULT_SECTIONS];
  const wanted = new Set<string>();
  for (const n of names.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    if (n === 'all') for (const s of REPORT_SECTIONS) wanted.add(s);
    else if (!(REPORT_SECTIONS as readonly string[]).includes(n)) return `unknown section "${n}": choose from ${REPORT_SECTIONS.join(', ')}, or all`;
    else wanted.add(n);
  }
  if (wanted.size === 0) return `name a section: ${REPORT_SECTIONS.join(', ')}, or all`;
  return REPORT_SECTIONS.filter((s) => wanted.has(s));
}

function checkOptions(o: ReportContentOptions): string | undefined {
  const { top, graphTop, dump, timeoutSeconds } = { ...DEFAULTS, ...o };
  if (!Number.isInteger(top) || top < 1) return '--top must be a whole number of at least 1';
  if (!Number.isInteger(graphTop) || graphTop < 0) return '--graph-top must be a whole number (0 keeps every host)';
  if (!Number.isInteger(dump) || dump < 0) return '--dump must be a whole number of packets';
  if (o.maxFlows !== undefined && (!Number.isInteger(o.maxFlows) || o.maxFlows < 1)) return '--max-flows must be a whole number of at least 1';
  if (!(timeoutSeconds > 0)) return '--layout-timeout must be a number of seconds above 0';
  return undefined;
}

/**
 * Builds the report value of one capture: one pass (two with dumps). `report` is undefined when
 * the capture cannot be read or an option is wrong (said on stderr); `exit` is the exit code
 * the run deserves (2: the capture is damaged, and the report says so).
 */
export async function makeReport(path: string, options: ReportContentOptions = {}): Promise<{ exit: ExitCode; report: ReportData | undefined }> {
  const o = { ...DEFAULTS, ...options };
  const sections = parseSections(o.sections, o.dump);
  const bad = typeof sections === 'string' ? sections : checkOptions(o);
  if (bad !== undefined || typeof sections === 'string') {
    warn(bad!);
    return { exit: EXIT.FAILURE, report: undefined };
  }
  const sel = selectPackets(undefined, o.decodeAs ?? [], undefined, undefined, o.filter);
  if (sel === undefined) return { exit: EXIT.FAILURE, report: undefined };
  // Every table keeps all its rows (the report cuts them), so totals count every connection.
  const settings: StatsSettings = { types: undefined, format: 'json', top: undefined, sort: undefined, maxFlows: o.maxFlows ?? DEFAULT_MAX_FLOWS, names: o.names ?? true, intervalNs: 1e9 };
  const dump = sections.includes('dump') ? (o.dump > 0 ? o.dump : DEFAULT_DUMP) : 0;
  const { exit, capture } = await collectCapture(path, { registry: sel.registry, filter: sel.filter, settings, graphLayer: sections.includes('graph') ? 'ip' : undefined, dump });
  if (capture === undefined) return { exit, report: undefined };
  const d = capture.summary.damage;
  const warnings = d === undefined ? [] : [`The capture is damaged: ${d.message}${d.offset >= 0 ? ` at byte ${d.offset}` : ''}; the ${capture.summary.packets} packets before it are reported.`];
  const report = await buildReport(capture, {
    sections,
    top: o.top,
    graphTop: o.graphTop,
    settings,
    filter: o.filter,
    generator: `pcapviz ${packageVersion()}`,
    now: o.now ?? new Date(),
    renderer: o.renderer ?? 'wasm',
    layoutTimeoutMs: o.timeoutSeconds * 1000,
    warn,
    warnings,
  });
  return { exit, report };
}

/** Renders a report value in a format. */
export async function renderReport(r: ReportData, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${jsonText(r, 2)}\n`);
    case 'md': {
      const { renderReportMarkdown } = await import('../report/markdown.js');
      return Buffer.from(renderReportMarkdown(r));
    }
    case 'html': {
      const { renderReportHtml } = await import('../report/html.js');
      return Buffer.from(await renderReportHtml(r));
    }
    case 'pdf': {
      const { renderReportPdf } = await import('../report/pdf.js');
      return renderReportPdf(r);
    }
  }
}

export async function runReport(path: string, o: ReportOptions): Promise<ExitCode> {
  const f = reportFormatOf(o.output, o.format);
  if ('error' in f) {
    warn(f.error);
    return EXIT.FAILURE;
  }
  if (f.format === 'pdf' && binaryToTerminal('report', o.output, 'pdf')) return EXIT.FAILURE;
  let file = openCommandOutput(o.output);
  if (file === null) return EXIT.FAILURE;
  try {
    const { exit, report } = await makeReport(path, o);
    if (report === undefined) return exit;
    let data: Buffer;
    try {
      data = await renderReport(report, f.format);
    } catch (e) {
      warn(`cannot make the ${f.format} report: ${(e as Error).message}`);
      return EXIT.FAILURE;
    }
    try {
      if (file === undefined) await new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
      else {
        await file.write(data);
        await file.commit();
        file = undefined;
      }
    } catch (e) {
      warn(writeErrorText(o.output, e));
      return EXIT.FAILURE;
    }
    if (o.output !== '-') warn(`wrote ${o.output}: ${report.sections.length} sections, ${data.length.toLocaleString('en-US')} bytes`);
    return exit;
  } finally {
    await file?.abort();
  }
}
