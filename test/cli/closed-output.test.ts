import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write-capture.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'pcapviz.js');

/** An Ethernet + IPv4 + UDP frame (192.0.2.1:5000 → 192.0.2.2:6000, 8 payload bytes). */
function frame(): Uint8Array {
  const b = Buffer.alloc(14 + 20 + 8 + 8);
  b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  b.set([0x45, 0, 0, 36, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2], 14);
  b.set([0x13, 0x88, 0x17, 0x70, 0, 16, 0, 0], 34);
  return b;
}

/**
 * Runs the CLI on a capture fed through standard input that never ends, reads its first line of
 * output and closes the pipe; resolves with the exit code once the CLI has stopped. A CLI that
 * did not stop when its reader went away would wait for more input for ever (the hang guard).
 */
function stopsWhenReaderGoes(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, args[0]!, '-', ...args.slice(1)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const opts = { linkType: 1 };
    let n = 0;
    const more = (count: number): void => {
      for (let i = 0; i < count; i++) child.stdin.write(encodePcapRecord({ tsSec: 1_700_000_000 + n++, tsNsec: 0, data: frame() }, opts));
    };
    child.stdin.on('error', () => undefined); // the CLI may stop reading at any time
    child.stdin.write(encodePcapHeader(opts));
    more(200);
    // Packets keep coming, so the CLI keeps writing and learns that nobody reads it.
    const feeder = setInterval(() => more(50), 20);
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString('utf8');
      if (seen.includes('\n')) child.stdout.destroy();
    });
    const guard = setTimeout(() => {
      clearInterval(feeder);
      child.kill('SIGKILL');
      reject(new Error(`pcapviz ${args.join(' ')} was still running 60 s after its output was closed`));
    }, 60_000);
    child.on('exit', (code) => {
      clearInterval(feeder);
      clearTimeout(guard);
      resolve(code);
    });
  });
}

describe('a closed standard output', () => {
  for (const args of [['list'], ['fields', '-e', 'udp.srcport'], ['show']]) {
    it(`stops ${args[0]} reading (exit 0), as a pipe into head expects`, async () => {
      expect(await stopsWhenReaderGoes(args)).toBe(0);
    }, 90_000);
  }
});
