import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import { CAPTURES, readBytes } from '../helpers/capture-bytes.js';

/** Reading must end in frames (maybe with a damage report) or a CaptureError, never anything else. */
async function readsCleanly(bytes: Uint8Array, chunks: number[]): Promise<void> {
  try {
    const { frames, reader } = await readBytes(bytes, chunks);
    let prev = 0;
    for (const f of frames) {
      expect(f.index).toBe(prev + 1);
      prev = f.index;
      expect(f.data.length).toBe(f.capLen);
      expect(f.capLen).toBeLessThanOrEqual(16 * 1024 * 1024);
    }
    if (reader.damage) expect(reader.damage.frame).toBe(frames.length + 1);
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
  }
}

const SEEDS = [
  'tcpdump__pptp.pcap',
  'pcapng-test-generator__le__test202.pcapng',
  'pcapng-test-generator__be__test102.pcapng',
  'pcapplusplus__nanosecs_big_endian.pcap',
].map((n) => readFileSync(`${CAPTURES}${n}`));

describe('readers on hostile input', () => {
  it('random bytes behind each magic number', async () => {
    const magics = [
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0xa1, 0xb2, 0x3c, 0x4d],
      [0x34, 0xcd, 0xb2, 0xa1],
      [0x0a, 0x0d, 0x0d, 0x0a],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...magics),
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }),
        async (magic, rest, chunks) => readsCleanly(Uint8Array.from([...magic, ...rest]), chunks),
      ),
      { numRuns: 300 },
    );
  });

  it('real captures with bytes overwritten, inserted or removed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'insert', 'delete', 'max32') }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 3 }),
        async (seed, edits, chunks) => {
          const bytes = [...seed];
          for (const e of edits) {
            const at = e.at % Math.max(1, bytes.length);
            if (e.op === 'set') bytes[at] = e.value;
            else if (e.op === 'insert') bytes.splice(at, 0, e.value);
            else if (e.op === 'delete') bytes.splice(at, 1);
            else bytes.splice(at, 4, 0xff, 0xff, 0xff, 0x7f);
          }
          await readsCleanly(Uint8Array.from(bytes), chunks);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a zstd frame announcing a window over 128 MiB is refused at once, a real one read', async () => {
    const { zstdWindow } = await import('../../src/capture/read-capture.js');
    // magic, then a frame header descriptor with a checksum and a window descriptor of 1.75 GiB
    const huge = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x04, 0xa6, 0x58, 0, 0, 0, 0, 0);
    expect(zstdWindow(huge)).toBe(2 ** 30 + 6 * 2 ** 27);
    const started = performance.now();
    await expect(readBytes(huge)).rejects.toThrow(/zstd data needs a 1792 MiB window, more than the 128 MiB/);
    expect(performance.now() - started).toBeLessThan(1000);
    const real = readFileSync(`${CAPTURES}pcapplusplus__pcapng-example.pcapng.zst`);
    expect(zstdWindow(real)).toBeLessThanOrEqual(2 ** 27);
    expect((await readBytes(real)).frames).toHaveLength(159);
  });
});
