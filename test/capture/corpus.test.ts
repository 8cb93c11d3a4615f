import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeFile } from '../../src/analyze/capture-summary.js';
import { CaptureError } from '../../src/capture/errors.js';
import { CAPTURES, TRUTH } from '../helpers/capture-bytes.js';

/** capinfos' packet counts from the corpus manifest: a number, "N (then error)", or "n/a ...". */
function manifestCounts(): Map<string, { packets: number | null; thenError: boolean }> {
  const rows = readFileSync(`${CAPTURES}MANIFEST.tsv`, 'utf8').trim().split('\n').slice(1);
  const out = new Map<string, { packets: number | null; thenError: boolean }>();
  for (const row of rows) {
    const cols = row.split('\t');
    const count = cols[6]!;
    const m = /^(\d+)( \(then error\))?/.exec(count);
    out.set(cols[0]!, { packets: m ? Number(m[1]) : null, thenError: m?.[2] !== undefined });
  }
  return out;
}

const manifest = manifestCounts();
const captures = readdirSync(CAPTURES)
  .filter((n) => !/\.(txt|out|md|tsv)$/.test(n))
  .sort();

describe('every capture of the shared corpus', () => {
  it('is listed in the manifest (the corpus is what this test expects)', () => {
    expect(captures.length).toBe(280);
    for (const c of captures) expect(manifest.has(c), c).toBe(true);
  });

  it.each(captures)('%s: read without an uncaught error, counts as capinfos does', async (name) => {
    const expected = manifest.get(name)!;
    let summary;
    try {
      summary = await summarizeFile(`${CAPTURES}${name}`);
    } catch (e) {
      // Only files capinfos cannot read either (or formats we name in the error) may be refused.
      expect(e).toBeInstanceOf(CaptureError);
      expect((e as CaptureError).message).toContain(name);
      const otherFormat = /not a capture I can read: looks like/.test((e as Error).message);
      expect(expected.packets === null || otherFormat, (e as Error).message).toBe(true);
      return;
    }
    expect(expected.packets, 'capinfos refuses this file; so should we').not.toBeNull();
    if (expected.thenError) {
      // Damaged: we stop at the first broken record, never later than capinfos does.
      expect(summary.damage).toBeDefined();
      expect(summary.packets).toBeLessThanOrEqual(expected.packets!);
      expect(summary.packets).toBeGreaterThanOrEqual(expected.packets! - 1);
    } else {
      expect(summary.damage).toBeUndefined();
      expect(summary.packets).toBe(expected.packets);
    }
    const truthPath = `${TRUTH}${name}.json`;
    if (existsSync(truthPath)) {
      const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { info: { dataBytes: number; linkTypes: number[]; format: string } };
      expect(summary.dataBytes).toBe(truth.info.dataBytes);
      expect(summary.format).toBe(truth.info.format);
      // The truth's link types come from a scan of plain pcap/pcapng headers (empty for compressed files and snoop).
      if (truth.info.linkTypes.length > 0) expect(summary.linkTypes).toEqual(truth.info.linkTypes);
    }
  });
});
