import { escapeControl } from '../render/text-safety.js';
import { openOutput, type OutputFile, writeErrorText } from '../util/output-file.js';

/** Exit codes every command uses (documented in the README). */
export const EXIT = {
  OK: 0,
  /** Bad usage, or an input that cannot be read at all. */
  FAILURE: 1,
  /** A capture was damaged; what could be read was processed and reported. */
  DAMAGED: 2,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Combines the outcomes of several inputs: any unreadable input wins over damage. */
export function worstExit(a: ExitCode, b: ExitCode): ExitCode {
  const rank = (c: ExitCode): number => (c === EXIT.FAILURE ? 3 : c === EXIT.DAMAGED ? 2 : c === EXIT.OK ? 0 : 4);
  return rank(a) >= rank(b) ? a : b;
}

let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A reader that went away (`pcapviz ... | head`) is not an error of ours.
  if (e.code === 'EPIPE') stdoutClosed = true;
  else throw e;
});

/** Writes to stdout, waiting for it to drain so large outputs keep memory flat. */
export async function writeOut(text: string): Promise<void> {
  if (stdoutClosed || text.length === 0) return;
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('error', done);
    });
  }
}

/** A message on stderr, prefixed with the program name; packet-derived text is escaped. */
export function warn(message: string): void {
  process.stderr.write(`pcapviz: ${escapeControl(message)}\n`);
}

/** Whether colour may be used on a stream: a TTY, and neither NO_COLOR nor TERM=dumb. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && process.env['TERM'] !== 'dumb';
}

/**
 * Opens a command's `-o` file before any work is done, so a folder that does not exist or a
 * folder given as the file is said at once: undefined for `-` (standard output), null once the
 * reason it cannot be opened has been said (`prefix` names the command in the message).
 */
export function openCommandOutput(path: string, prefix = ''): OutputFile | undefined | null {
  if (path === '-') return undefined;
  try {
    return openOutput(path, { followLink: true });
  } catch (e) {
    warn(`${prefix}${writeErrorText(path, e)}`);
    return null;
  }
}

/** Whether a binary output (PDF, PNG) would go to a terminal; if so, says to use a file or a pipe. */
export function binaryToTerminal(command: string, output: string, format: string): boolean {
  if (output !== '-' || process.stdout.isTTY !== true) return false;
  warn(`${command}: standard output is a terminal; write the ${format.toUpperCase()} to a file (-o ${command === 'pdfdump' ? 'dump' : command}.${format}) or a pipe`);
  return true;
}
