import { escapeControl, hasControl, type TextParts } from '../render/text-safety.js';
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

/**
 * Whether standard output's reader has gone (`pcapviz list big.pcap | head`): commands that
 * print per packet stop reading then, as a tool killed by SIGPIPE would, and exit 0.
 */
export function standardOutputClosed(): boolean {
  return stdoutClosed;
}

/** Writes to stdout, waiting for it to drain so large outputs keep memory flat. */
export async function writeOut(text: string | Uint8Array): Promise<void> {
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

/** Bytes a line sink gathers before it writes them out. */
const SINK_BYTES = 1 << 16;
const HEX = '0123456789abcdef';

/**
 * Lines to standard output, encoded as UTF-8 straight into a buffer that is written when full:
 * no joined text to flatten and encode again per write. With `escape`, control characters are
 * written as the visible escapes `escapeControl` gives (`\n`, `\t`, `\r`, `\xNN`, `\u{NNNN}`),
 * in the same pass.
 */
export class LineSink {
  private buf = Buffer.allocUnsafe(SINK_BYTES);
  private pos = 0;
  private readonly escape: boolean;
  private readonly out: (bytes: Uint8Array) => Promise<void>;

  /** `out` takes each full buffer (standard output by default) and resolves when it may go on. */
  constructor(escape: boolean, out: (bytes: Uint8Array) => Promise<void> = writeOut) {
    this.escape = escape;
    this.out = out;
  }

  /** Appends `text` and (unless `newline` is false) a line end; returns a promise when the output must drain first. */
  write(text: string | TextParts, newline = true): Promise<void> | undefined {
    if (typeof text !== 'string') return this.writeParts(text, newline);
    const flushed = this.reserve(text.length);
    const b = this.buf;
    let p = this.pos;
    const escape = this.escape;
    // Node's own encoder first (the same bytes, lone surrogates included); with `escape`, the
    // character by character pass below redoes the line only when it holds something to escape
    // (tested on the text: the regular expression engine scans it faster than a loop over the bytes).
    const n = b.write(text, p);
    if (!escape || !hasControl(text)) {
      p += n;
      if (newline) b[p++] = 0x0a;
      this.pos = p;
      return flushed;
    }
    p = this.encode(b, p, text);
    if (newline) b[p++] = 0x0a;
    this.pos = p;
    return flushed;
  }

  /**
   * Writes parts joined by their separator without joining them first: parts are usually flat
   * strings (an address text, a number), and encoding them one after the other costs less than
   * flattening the joined text first. Same bytes as writing the joined text.
   */
  private writeParts(t: TextParts, newline: boolean): Promise<void> | undefined {
    const parts = t.parts;
    const sep = t.separator;
    let units = sep.length * Math.max(0, parts.length - 1);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      units += part.length;
      // Half a surrogate pair at the end of a part could pair with the next part's start.
      const last = part.charCodeAt(part.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) return this.write(t.toString(), newline);
    }
    const sepLast = sep.charCodeAt(sep.length - 1);
    if (sepLast >= 0xd800 && sepLast <= 0xdbff) return this.write(t.toString(), newline);
    const flushed = this.reserve(units);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) p = this.encode(b, p, sep);
      p = this.encode(b, p, parts[i]!);
    }
    if (newline) b[p++] = 0x0a;
    this.pos = p;
    return flushed;
  }

  /**
   * Makes room for a line of `units` UTF-16 units: at most 8 bytes each (`\u{202e}`) and the line
   * end. Flushes what is gathered first when it would not fit (the promise to wait for, if any).
   */
  private reserve(units: number): Promise<void> | undefined {
    const most = units * 8 + 1;
    if (this.pos + most <= this.buf.length) return undefined;
    const flushed = this.flush();
    if (most > this.buf.length) this.buf = Buffer.allocUnsafe(most);
    return flushed;
  }

  /** Encodes `text` as UTF-8 at `p` (escaping control characters when this sink escapes); returns the new position. */
  private encode(b: Uint8Array, p: number, text: string): number {
    const escape = this.escape;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f) {
        b[p++] = c;
        continue;
      }
      if (escape && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))) {
        b[p++] = 0x5c; // backslash
        if (c === 0x0a) b[p++] = 0x6e;
        else if (c === 0x09) b[p++] = 0x74;
        else if (c === 0x0d) b[p++] = 0x72;
        else if (c <= 0xff) {
          b[p++] = 0x78;
          b[p++] = HEX.charCodeAt(c >> 4);
          b[p++] = HEX.charCodeAt(c & 15);
        } else {
          b[p++] = 0x75;
          b[p++] = 0x7b;
          for (let s = 12; s >= 0; s -= 4) b[p++] = HEX.charCodeAt((c >> s) & 15);
          b[p++] = 0x7d;
        }
        continue;
      }
      if (c < 0x80) b[p++] = c;
      else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const lo = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
          i++;
          b[p++] = 0xf0 | (c >> 18);
          b[p++] = 0x80 | ((c >> 12) & 63);
          b[p++] = 0x80 | ((c >> 6) & 63);
          b[p++] = 0x80 | (c & 63);
        } else {
          // A lone surrogate: the replacement character, as Buffer.from writes it.
          b[p++] = 0xef;
          b[p++] = 0xbf;
          b[p++] = 0xbd;
        }
      } else {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 63);
        b[p++] = 0x80 | (c & 63);
      }
    }
    return p;
  }

  /** Writes what is gathered (a fresh buffer takes its place: the write may still hold it). */
  flush(): Promise<void> | undefined {
    if (this.pos === 0) return undefined;
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(SINK_BYTES);
    this.pos = 0;
    return this.out(out);
  }
}
