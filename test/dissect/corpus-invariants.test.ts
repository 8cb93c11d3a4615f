import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { CaptureError } from '../../src/capture/errors.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { checkInvariants } from '../helpers/dissect.js';

const captures = readdirSync(CAPTURES)
  .filter((n) => !/\.(txt|out|md|tsv)$/.test(n))
  .sort();

/**
 * Every packet of every corpus capture, dissected strictly (a dissector bug throws here), in
 * full mode: fields inside their layer and the captured bytes, layers tiling the frame.
 */
describe('dissecting the whole corpus', () => {
  it.each(captures)('%s', async (name) => {
    let reader;
    try {
      reader = await openCapture(`${CAPTURES}${name}`);
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureError);
      return;
    }
    const full = new Dissector(defaultRegistry(), { strict: true });
    const summary = new Dissector(defaultRegistry(), { strict: true, mode: 'summary' });
    let n = 0;
    for await (const frame of reader) {
      const p = full.dissect(frame);
      checkInvariants(p);
      // Summary mode runs the same code: the same layers, summaries and info.
      const s = summary.dissect(frame);
      expect(s.layers.map((l) => [l.protocol, l.offset, l.headerLength, l.summary])).toEqual(p.layers.map((l) => [l.protocol, l.offset, l.headerLength, l.summary]));
      if (++n >= 3000) break;
    }
  });
});
