import { readFileSync } from 'node:fs';
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

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const EPILOGUE = `Exit codes: 0 success; 1 bad usage, unreadable input or an output that cannot be written; 2 a capture was damaged (what could be read was still processed and reported); 130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP), leaving no partial output file.
Set NO_COLOR to turn colour off.`;

/** Whether the command line asks for help text (`--help`, `-h`, or the `help` word yargs knows). */
function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h' || a === 'help');
}

/** Runs the command line; sets process.exitCode (see EXIT). */
export async function main(argv: readonly string[]): Promise<void> {
  const cli = yargs(argv.map((a) => (a === '-' ? STDIO_ARG : a)))
    .scriptName('pcapviz')
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
  installInterruptHandlers();
  try {
    await cli.parseAsync();
  } catch (e) {
    warn(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = EXIT.FAILURE;
  }
}
