import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import { CAPTURES, readFile } from '../helpers/capture-bytes.js';

/**
 * A file is read with blocking reads when it holds at most eight chunks, and with reads ahead on
 * libuv's pool otherwise. Each corpus capture is read three ways: in one blocking read (the default
 * chunk), in blocking reads of 16 KiB, and ahead in chunks of 1 KiB (for files over 8 KiB).
 * Every way must give the same frames, bytes, damage and refusals.
 */
const captures = readdirSync(CAPTURES)
  .filter((n) => !/\.(txt|out|md|tsv)$/.test(n))
  .sort();

interface Outcome {
  readonly frames: number;
  readonly hash: number;
  readonly lastOffset: number;
  readonly damage: string | undefined;
  readonly refused: string | undefined;
}

async function outcome(path: string, chunkSize: number | undefined): Promise<Outcome> {
  try {
    const { reader, frames } = await readFile(path, chunkSize === undefined ? {} : { chunkSize });
    let hash = 0x811c9dc5;
    for (const f of frames) for (let i = 0; i < f.data.length; i++) hash = Math.imul(hash ^ f.data[i]!, 0x01000193);
    const d = reader.damage;
    return { frames: frames.length, hash, lastOffset: frames.at(-1)?.fileOffset ?? -1, damage: d === undefined ? undefined : `${d.message} @${d.offset}`, refused: undefined };
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return { frames: 0, hash: 0, lastOffset: -1, damage: undefined, refused: (e as Error).message };
  }
}

describe('reading a file in blocking reads or ahead', () => {
  it('covers both ways on the corpus (files larger than eight 1 KiB chunks exist)', () => {
    expect(captures.filter((n) => statSync(`${CAPTURES}${n}`).size > 8 * 1024).length).toBeGreaterThan(40);
  });

  it.each(captures)('%s: the same frames every way', async (name) => {
    const path = `${CAPTURES}${name}`;
    const whole = await outcome(path, undefined);
    expect(await outcome(path, 16 * 1024)).toEqual(whole);
    expect(await outcome(path, 1024)).toEqual(whole);
  });
});
