/**
 * Progress of a batch on stderr: on a terminal one line redrawn in place (captures done of
 * total, packets/s, time left, failures); otherwise a plain line every `intervalMs` and at the
 * end; nothing with `--quiet`.
 */
import { escapeControl } from '../render/text-safety.js';

export class Progress {
  private done = 0;
  private skipped = 0;
  private failed = 0;
  private packets = 0;
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private shown = false;
  private readonly tty: boolean;
  private readonly total: number;
  private readonly quiet: boolean;
  /** Bytes of every capture, and of those finished (run or skipped): the time left goes by bytes. */
  private readonly totalBytes: number;
  private doneBytes = 0;
  private skippedBytes = 0;

  constructor(total: number, totalBytes: number, quiet: boolean, intervalMs: number) {
    this.total = total;
    this.totalBytes = totalBytes;
    this.quiet = quiet;
    this.tty = process.stderr.isTTY === true && process.env['TERM'] !== 'dumb';
    if (!quiet && total > 0) {
      this.timer = setInterval(() => this.draw(), this.tty ? 250 : intervalMs);
      this.timer.unref();
    }
  }

  /** A capture already up to date. */
  skip(bytes: number): void {
    this.skipped++;
    this.skippedBytes += bytes;
  }

  /** Packets read since the last call (reported while captures are read). */
  read(packets: number): void {
    this.packets += packets;
  }

  finished(failed: boolean, bytes: number): void {
    this.done++;
    this.doneBytes += bytes;
    if (failed) this.failed++;
    if (this.tty) this.draw();
  }

  /** A message for one capture, on a line of its own. */
  say(message: string): void {
    if (this.quiet) return;
    this.clear();
    process.stderr.write(`pcapviz: ${escapeControl(message)}\n`);
    if (this.tty) this.draw();
  }

  line(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const finished = this.done + this.skipped;
    const rate = seconds > 0 ? this.packets / seconds : 0;
    const left = this.total - finished;
    const leftBytes = this.totalBytes - this.doneBytes - this.skippedBytes;
    const eta = this.done > 0 && left > 0 && this.doneBytes > 0 ? (seconds / this.doneBytes) * leftBytes : undefined;
    const parts = [`${finished}/${this.total} captures`];
    if (this.skipped > 0) parts.push(`${this.skipped} up to date`);
    parts.push(`${Math.round(rate).toLocaleString('en-US')} packets/s`);
    if (eta !== undefined) parts.push(`about ${formatDuration(eta)} left`);
    if (this.failed > 0) parts.push(`${this.failed} with errors`);
    return parts.join(', ');
  }

  private draw(): void {
    if (this.quiet) return;
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${this.line()}`);
      this.shown = true;
    } else {
      process.stderr.write(`pcapviz: batch: ${this.line()}\n`);
    }
  }

  private clear(): void {
    if (this.tty && this.shown) {
      process.stderr.write('\r\x1b[K');
      this.shown = false;
    }
  }

  /** Stops the timer; the last state once more (unless quiet). */
  stop(final: boolean): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.quiet) return;
    this.clear();
    if (final && this.total > 0) process.stderr.write(`pcapviz: batch: ${this.line()}, ${formatDuration((performance.now() - this.started) / 1000)} in all\n`);
  }
}

function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
