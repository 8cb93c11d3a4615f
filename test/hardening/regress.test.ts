/**
 * Every input the coverage-guided fuzzers (fuzz/, scripts/fuzz.mjs) found crashing, replayed
 * through the same check: fixtures/regress/reader-* as whole capture files, dissector-* as
 * captures whose packets are dissected strictly with the invariants checked (a .bin is a raw
 * fuzzer input, for entry points no link type reaches), filter-* and
 * craft-* as text. Inputs that used to hang (`*-hang.*`) run in a child process on the built
 * dist/ under a time limit, since a loop in this process could not be interrupted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { checkCraft, checkDissector, checkFilter, checkFrame, checkReader, samplePackets, textOf } from '../../src/craft/fuzz-targets.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { FIXTURES } from '../helpers/capture-bytes.js';

const DIR = `${FIXTURES}regress/`;
const files = readdirSync(DIR).filter((n) => !n.startsWith('.') && n !== 'README.md').sort();
const ROOT = new URL('../../', import.meta.url).pathname;

let packets: DissectedPacket[] = [];
beforeAll(async () => {
  packets = await samplePackets(`${FIXTURES}small-office.pcapng`, 60);
});

/** Replays one file in a child process on dist/, killed after `ms`; `checkMs`: the check alone. */
function replayApart(name: string, ms: number): { status: number | null; checkMs: number; stderr: string } {
  const script = `
    const { readFileSync } = await import('node:fs');
    const t = await import(${JSON.stringify(`${ROOT}dist/craft/fuzz-targets.js`)});
    const bytes = readFileSync(${JSON.stringify(DIR + name)});
    const kind = ${JSON.stringify(name.split('-')[0])};
    const packets = kind === 'filter' ? await t.samplePackets(${JSON.stringify(`${FIXTURES}small-office.pcapng`)}, 60) : [];
    const started = performance.now();
    if (kind === 'craft') t.checkCraft(t.textOf(bytes));
    else if (kind === 'filter') t.checkFilter(t.textOf(bytes), packets);
    else if (kind === 'reader') await t.checkReader(bytes);
    else throw new Error('no replay for ' + kind);
    process.stdout.write(String(performance.now() - started));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: ms, encoding: 'utf8' });
  return { status: r.status, checkMs: Number(r.stdout), stderr: r.stderr };
}

describe('inputs the fuzzers found', () => {
  it('the folder holds the findings', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const n of files) expect(n).toMatch(/^(reader|dissector|filter|craft)-[a-z0-9-]+\.(pcap|pcapng|snoop|gz|zst|txt|bin)$/);
  });

  for (const name of files) {
    const kind = name.split('-')[0];
    if (name.includes('-hang.')) {
      it(`${name} is answered within five seconds (a loaded machine included)`, () => {
        const r = replayApart(name, 30_000);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.checkMs).toBeLessThan(5000);
      });
      continue;
    }
    it(`${name} is read, dissected or refused cleanly`, async () => {
      const bytes = readFileSync(DIR + name);
      if (kind === 'reader') {
        await checkReader(bytes);
      } else if (kind === 'dissector' && name.endsWith('.bin')) {
        // an entry point no link type reaches: the raw fuzzer input, selector bytes first
        checkDissector(bytes);
      } else if (kind === 'dissector') {
        const reader = await openCapture(DIR + name);
        let n = 0;
        for await (const f of reader) {
          checkFrame(f.linkType, Uint8Array.from(f.data), f.origLen);
          n++;
        }
        expect(n).toBeGreaterThan(0);
      } else if (kind === 'filter') {
        checkFilter(textOf(bytes), packets);
      } else {
        checkCraft(textOf(bytes));
      }
    });
  }
});
