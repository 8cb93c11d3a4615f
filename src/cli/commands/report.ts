import type { CommandModule } from 'yargs';
import { REPORT_FORMATS, REPORT_SECTIONS, type ReportFormat } from '../../report/model.js';
import { type ReportContentArgs, STDIO_ARG, withDecodeAs, withFilter, withReportContent } from '../options.js';

interface ReportArgs extends ReportContentArgs {
  capture: string;
  o: string;
  format: ReportFormat | undefined;
  sections: string[] | undefined;
  dump: number;
  'decode-as': string[];
  filter: string | undefined;
}

const restoreDash = (v: unknown): string => (v === STDIO_ARG ? '-' : String(v));

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <capture>',
  describe: 'one report of a capture: summary, protocols, traffic over time, talkers, conversations, graph, TCP, expert findings, DNS/HTTP/TLS (HTML, PDF or Markdown)',
  builder: (y) =>
    withReportContent(withFilter(withDecodeAs(y)))
      .positional('capture', { describe: 'capture file (pcap, pcapng, optionally compressed); - reads standard input', type: 'string', demandOption: true, coerce: restoreDash })
      .option('o', { alias: 'output', describe: 'the report file; its extension picks the format (.html .pdf .md .json); - for standard output with --format', type: 'string', demandOption: true, requiresArg: true, coerce: restoreDash })
      .option('format', { describe: 'output format when the extension does not say (json: the report\'s data)', choices: REPORT_FORMATS, requiresArg: true })
      .option('sections', {
        describe: `sections to include, comma-separated: ${REPORT_SECTIONS.join(', ')}, or all (default: all but dump, and dump too with --dump)`,
        type: 'string',
        requiresArg: true,
        coerce: (v: string | string[]) => [v].flat().map(String),
      })
      .option('dump', { describe: 'show the first N packets as layered dumps (tree and bytes)', type: 'number', default: 0, requiresArg: true })
      .example('$0 report trace.pcapng -o report.html', 'a self-contained HTML page')
      .example('$0 report trace.pcapng -o report.pdf --dump 5', 'a PDF with the first five packets dumped layer by layer')
      .example('$0 report trace.pcapng -o report.md --sections summary,protocols,conversations', 'three sections as Markdown for a ticket')
      .example("$0 report trace.pcapng -Y 'dns' -o dns.html", 'only DNS packets counted'),
  handler: async (a) => {
    // Loaded when used: the report's renderers cost nothing to other commands.
    const { runReport } = await import('../../run/run-report.js');
    process.exitCode = await runReport(a.capture, {
      output: a.o,
      format: a.format,
      sections: a.sections,
      top: a.top,
      graphTop: a['graph-top'],
      dump: a.dump,
      names: a.names && a.n !== true,
      maxFlows: a['max-flows'],
      decodeAs: a['decode-as'],
      filter: a.filter,
      renderer: a.renderer,
      timeoutSeconds: a['layout-timeout'],
    });
  },
};
