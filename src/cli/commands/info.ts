import type { CommandModule } from 'yargs';
import type { CaptureSummary } from '../../analyze/capture-summary.js';
import type { UnreadableCapture } from '../../render/info/info-report.js';
import { jsonText } from '../../render/text-safety.js';
import { withCaptures, withFormat, type OutputFormat } from '../options.js';
import { EXIT, type ExitCode, warn, worstExit, writeOut } from '../output.js';

interface InfoArgs {
  captures: string[];
  format: OutputFormat;
}

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <captures..>',
  describe: 'summarise captures like capinfos: format, interfaces, counts, sizes, times, rates, damage',
  builder: (y) =>
    withFormat(withCaptures(y))
      .example('$0 info trace.pcapng', 'one capture, as a report')
      .example('$0 info *.pcap --format csv', 'one row per capture')
      .example('zcat trace.pcap.gz | $0 info -', 'from standard input'),
  handler: async (args) => {
    process.exitCode = await runInfoCommand(args);
  },
};

async function runInfoCommand(args: InfoArgs): Promise<ExitCode> {
  if (args.captures.filter((c) => c === '-').length > 1) {
    warn('standard input (-) can be read only once');
    return EXIT.FAILURE;
  }
  // Loaded when used: other commands do not pay for the reader and its summaries.
  const [{ summarizeFile }, { CaptureError }, { infoJson, infoKeyValues, infoTable }] = await Promise.all([
    import('../../analyze/capture-summary.js'),
    import('../../capture/errors.js'),
    import('../../render/info/info-report.js'),
  ]);
  const results: (CaptureSummary | UnreadableCapture)[] = [];
  let exit: ExitCode = EXIT.OK;
  for (const path of args.captures) {
    try {
      const s = await summarizeFile(path);
      results.push(s);
      if (s.damage) {
        warn(`warning: ${s.file} is damaged: ${s.damage.message}${s.damage.offset >= 0 ? ` at byte ${s.damage.offset}` : ''}; ${s.packets} packets read before it`);
        exit = worstExit(exit, EXIT.DAMAGED);
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      warn(e.message);
      results.push({ file: e.file, error: e.message });
      exit = worstExit(exit, EXIT.FAILURE);
    }
  }
  const readable = results.filter((r): r is CaptureSummary => !('error' in r));
  if (args.format === 'json') {
    const objects = results.map((r) => ('error' in r ? { file: r.file, error: r.error } : infoJson(r)));
    if (args.captures.length === 1) {
      if (objects.length === 1 && readable.length === 1) await writeOut(`${jsonText(objects[0], 2)}\n`);
    } else {
      await writeOut(`${jsonText(objects, 2)}\n`);
    }
  } else if (args.format === 'table' && args.captures.length === 1) {
    if (readable[0]) await writeOut(infoKeyValues(readable[0]));
  } else {
    await writeOut(infoTable(results, args.format));
  }
  return exit;
}
