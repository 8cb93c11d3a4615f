import type { CommandModule } from 'yargs';
import { type ReportContentArgs, withDecodeAs, withFilter, withReportContent } from '../options.js';

interface BatchArgs extends ReportContentArgs {
  inputs: string[];
  o: string;
  outputs: string[];
  include: string[];
  exclude: string[];
  'follow-symlinks': boolean;
  jobs: number | undefined;
  shard: string | undefined;
  force: boolean;
  parquet: boolean;
  quiet: boolean;
  'decode-as': string[];
  filter: string | undefined;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat().map(String));

export const batchCommand: CommandModule<object, BatchArgs> = {
  command: 'batch <inputs..>',
  describe: 'analyse every capture of folders, globs or files in parallel: per-capture summary.json and reports, plus an index, CSV/Parquet tables and a merged graph',
  builder: (y) =>
    withReportContent(withFilter(withDecodeAs(y)))
      .positional('inputs', { describe: 'folders (searched recursively), globs (quoted) or capture files; captures are recognised by content', type: 'string', array: true, demandOption: true })
      .option('o', { alias: 'output', describe: 'output folder', type: 'string', demandOption: true, requiresArg: true })
      .option('outputs', { describe: 'files per capture besides summary.json: report.html, report.pdf, report.md, report.json, graph.svg, graph.png, graph.pdf, graph.dot, graph.json (comma-separated)', type: 'string', requiresArg: true, coerce: list, default: [] as string[] })
      .option('include', { describe: 'only files matching this glob (relative path, or file name when it has no slash; repeatable)', type: 'string', array: true, requiresArg: true, coerce: list, default: [] as string[] })
      .option('exclude', { describe: 'leave out files matching this glob (repeatable)', type: 'string', array: true, requiresArg: true, coerce: list, default: [] as string[] })
      .option('follow-symlinks', { describe: 'follow symbolic links that lead out of the input folders', type: 'boolean', default: false })
      .option('jobs', { alias: 'j', describe: 'worker threads (default: the number of cores)', type: 'number', requiresArg: true })
      .option('shard', { describe: 'process share i of n (i/n) of the captures, by sorted relative path; combine with merge', type: 'string', requiresArg: true })
      .option('force', { describe: 'redo captures whose outputs are up to date; write into an output folder that holds other files', type: 'boolean', default: false })
      .option('parquet', { describe: 'also write captures, conversations and hosts as Parquet', type: 'boolean', default: false })
      .option('quiet', { alias: 'q', describe: 'no progress or summary on stderr', type: 'boolean', default: false })
      .example('$0 batch archive/ -o results', 'summary.json per capture, index.html, CSV tables and graph.svg in results/')
      .example('$0 batch archive/ -o results --outputs report.html,graph.svg --parquet', 'a report and a graph per capture, and Parquet tables')
      .example("$0 batch 'incidents/**/*.pcap*' --exclude '*tmp*' -o out -j 4", 'a glob, four workers')
      .example('$0 batch archive/ -o part2 --shard 2/8', 'the second of eight shares (see docs/batch.md)'),
  handler: async (a) => {
    const { runBatch } = await import('../../run/run-batch.js');
    process.exitCode = await runBatch(a.inputs.map(String), {
      output: a.o,
      outputs: a.outputs,
      include: a.include,
      exclude: a.exclude,
      followSymlinks: a['follow-symlinks'],
      jobs: a.jobs,
      shard: a.shard,
      force: a.force,
      parquet: a.parquet,
      quiet: a.quiet,
      top: a.top,
      graphTop: a['graph-top'],
      names: a.names && a.n !== true,
      maxFlows: a['max-flows'],
      renderer: a.renderer,
      layoutTimeoutSeconds: a['layout-timeout'],
      decodeAs: a['decode-as'],
      filter: a.filter,
      progressInterval: process.env['PCAPVIZ_PROGRESS_MS'] === undefined ? undefined : Number(process.env['PCAPVIZ_PROGRESS_MS']),
    });
  },
};
