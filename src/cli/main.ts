import yargs from 'yargs';
import { batchCommand } from './commands/batch.js';
import { craftCommand } from './commands/craft.js';
import { fuzzCommand } from './commands/fuzz.js';
import { sendCommand } from './commands/send.js';
import { sniffCommand } from './commands/sniff.js';
import { fieldsCommand } from './commands/fields.js';
import { flowCommand } from './commands/flow.js';
import { followCommand } from './commands/follow.js';
import { graphCommand } from './commands/graph.js';
import { infoCommand } from './commands/info.js';
import { listCommand } from './commands/list.js';
import { mergeCommand } from './commands/merge.js';
import { pdfdumpCommand } from './commands/pdfdump.js';
import { reportCommand } from './commands/report.js';
import { showCommand } from './commands/show.js';
import { statsCommand } from './commands/stats.js';
import { STDIO_ARG } from './options.js';
import { EXIT, warn } from './output.js';
import { installInterruptHandlers } from '../util/output-file.js';
import { packageVersion } from '../util/package-files.js';

const EPILOGUE = `Exit codes: 0 success; 1 bad usage, unreadable input or an output that cannot be written; 2 a capture was damaged (what could be read was still processed and reported); 130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP), leaving no partial output file.
Set NO_COLOR to turn colour off.`;

/** Whether the command line asks for help text (`--help`, `-h`, or the `help` word yargs knows). */
function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h' || a === 'help');
}

/**
 * Once a command's handler has started, yargs lays out that command's help text and keeps it,
 * to show on a later failure. Ours show a pointer to --help instead, and laying it out (string
 * widths of every option's description) costs about 40 ms of every run, before the command's
 * first await lets it go on: it is skipped. The hook is yargs' own, not in its typings; when
 * a yargs version has no such hook, nothing changes.
 */
function skipHelpCache(cli: unknown): void {
  const internal = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = (): void => {};
}

/** Runs the command line; sets process.exitCode (see EXIT). */
export async function main(argv: readonly string[]): Promise<void> {
  const cli = yargs(argv.map((a) => (a === '-' ? STDIO_ARG : a)))
    .scriptName('pcapviz')
    // Every message of ours is English; so are yargs' own (usage errors, "[boolean]"), whatever
    // the user's locale, and the same from the bundle (which has no yargs locale files) and the modules.
    .locale('en')
    .usage('$0 <command> [options]\n\nTurn packet captures into pictures, PDFs and tables.')
    .command(infoCommand)
    .command(listCommand)
    .command(showCommand)
    .command(fieldsCommand)
    .command(statsCommand)
    .command(followCommand)
    .command(graphCommand)
    .command(flowCommand)
    .command(pdfdumpCommand)
    .command(reportCommand)
    .command(craftCommand)
    .command(fuzzCommand)
    .command(sniffCommand)
    .command(sendCommand)
    .command(batchCommand)
    .command(mergeCommand)
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .completion('completion', 'print a bash/zsh completion script (source it from your shell profile)')
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .alias('version', 'V')
    .epilogue(EPILOGUE)
    // yargs lays out the help text of the command being run even when it is not shown (it keeps
    // it for failures; ours print a pointer to --help instead): wrapping it to the terminal costs
    // tens of milliseconds of every run, so it is wrapped only when help is asked for.
    .wrap(asksForHelp(argv) ? Math.min(110, process.stdout.columns || 100) : null)
    .fail((msg, err) => {
      // Our own errors propagate; yargs' validation errors (YError) are usage errors like any other.
      if (err && err.name !== 'YError') throw err;
      warn(msg ?? err?.message ?? 'invalid command line');
      process.stderr.write('Run "pcapviz --help" for usage.\n');
      process.exit(EXIT.FAILURE);
    });
  skipHelpCache(cli);
  installInterruptHandlers();
  try {
    await cli.parseAsync();
  } catch (e) {
    warn(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = EXIT.FAILURE;
  }
}
