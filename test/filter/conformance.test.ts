/**
 * The conformance table: every filter of conformance.json selects exactly the frames tshark 4.0
 * selects with -Y on the same capture (the file is made once by make-conformance.mjs). Each
 * filter runs the three ways commands dissect: summary runs (list, stats) become select runs
 * that keep every layer, `fields` runs record their own fields too and may stop before
 * application layers, and `show` records everything.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { type DissectOptions, Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { compileFilter, filterDissectOptions } from '../../src/filter/index.js';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';

interface Case {
  readonly capture: string;
  readonly filter: string;
  readonly frames: readonly number[];
}

const table = JSON.parse(readFileSync(new URL('./conformance.json', import.meta.url), 'utf8')) as { tshark: string; cases: Case[] };
const registry = defaultRegistry();

const MODES: Readonly<Record<string, DissectOptions>> = {
  'summary run (list, stats)': { mode: 'summary' },
  'fields run': { mode: 'select', fields: ['frame.number', 'ip.src'] },
  'full run (show)': { mode: 'full' },
};

async function readFrames(capture: string): Promise<Frame[]> {
  const path = capture.startsWith('fixtures/') ? `${FIXTURES}${capture.slice('fixtures/'.length)}` : `${CAPTURES}${capture}`;
  const reader = await openCapture(path);
  const frames: Frame[] = [];
  for await (const f of reader) frames.push(f);
  await reader.close();
  return frames;
}

export function selectedFrames(frames: readonly Frame[], filterText: string, base: DissectOptions): number[] {
  const filter = compileFilter(filterText, registry);
  const d = new Dissector(registry, { ...filterDissectOptions(base, filter, registry), strict: true });
  const out: number[] = [];
  for (const f of frames) if (filter.matches(d.dissect(f))) out.push(f.index);
  return out;
}

describe(`display filters agree with ${table.tshark} -Y`, () => {
  it('the table holds at least 60 filters', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(60);
  });
  const captures = [...new Set(table.cases.map((c) => c.capture))];
  for (const capture of captures) {
    for (const [mode, base] of Object.entries(MODES)) {
      it(`${capture}: ${mode}`, async () => {
        const frames = await readFrames(capture);
        const wrong: string[] = [];
        for (const c of table.cases.filter((x) => x.capture === capture)) {
          const ours = selectedFrames(frames, c.filter, base);
          if (ours.join(',') !== c.frames.join(',')) wrong.push(`${c.filter}\n  tshark: ${c.frames.join(' ')}\n  ours:   ${ours.join(' ')}`);
        }
        expect(wrong.join('\n')).toBe('');
      });
    }
  }
});
