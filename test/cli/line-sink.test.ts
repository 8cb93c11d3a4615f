import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSink } from '../../src/cli/output.js';
import { escapeControl, type TextParts } from '../../src/render/text-safety.js';

/** Everything a sink wrote, with the size of each buffer it handed out. */
async function sinkBytes(escape: boolean, lines: readonly string[], newline = true): Promise<{ bytes: Buffer; chunks: number[] }> {
  const parts: Buffer[] = [];
  const sink = new LineSink(escape, (b) => {
    parts.push(Buffer.from(b));
    return Promise.resolve();
  });
  for (const l of lines) await sink.write(l, newline);
  await sink.flush();
  return { bytes: Buffer.concat(parts), chunks: parts.map((p) => p.length) };
}

const expected = (escape: boolean, lines: readonly string[], newline = true): Buffer =>
  Buffer.from(lines.map((l) => `${escape ? escapeControl(l) : l}${newline ? '\n' : ''}`).join(''), 'utf8');

const parts = (cells: string[], separator: string): TextParts => ({ parts: cells, separator, toString: () => cells.join(separator) });

/** What a sink wrote for records given as parts. */
async function partBytes(escape: boolean, rows: readonly TextParts[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const sink = new LineSink(escape, (b) => {
    out.push(Buffer.from(b));
    return Promise.resolve();
  });
  for (const r of rows) await sink.write(r);
  await sink.flush();
  return Buffer.concat(out);
}

describe('LineSink', () => {
  it('writes parts as their joined text, byte for byte, ASCII or not, across buffer boundaries', async () => {
    const rows = [
      parts(['10.0.0.1', '192.0.2.7', '443', ''], '\t'),
      parts(['', '', ''], ','),
      parts(['"é"', '"x"'], ','),
      parts(['a', 'b'], ' → '),
      parts(['lone \ud800', '😀'], '\t'),
      ...Array.from({ length: 4000 }, (_, i) => parts([`198.51.100.${i % 256}`, String(i), 'x'.repeat(i % 50)], '\t')),
      parts(['y'.repeat(70_000), 'z'], '\t'),
    ];
    const want = Buffer.from(rows.map((r) => `${r.toString()}\n`).join(''), 'utf8');
    expect(await partBytes(false, rows)).toEqual(want);
    expect(await partBytes(true, rows)).toEqual(Buffer.from(rows.map((r) => `${escapeControl(r.toString())}\n`).join(''), 'utf8'));
  });

  it('parts agree with their joined text on any input', async () => {
    const cell = fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 40 });
    const ascii = fc.string({ maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.oneof(ascii, ascii, cell), { maxLength: 6 }), { maxLength: 30 }), fc.constantFrom('\t', ',', ' '), async (table, sep) => {
        const rows = table.map((cells) => parts(cells, sep));
        expect(await partBytes(false, rows)).toEqual(Buffer.from(rows.map((r) => `${r.toString()}\n`).join(''), 'utf8'));
      }),
      { numRuns: 200 },
    );
  });

  it('escapes what escapeControl escapes, byte for byte', async () => {
    const lines = [
      'plain ASCII 10.0.0.1 → 10.0.0.2',
      'tab\there, CR\r, LF\n, NUL\u0000, ESC\u001b[31m, DEL\u007f',
      'C1 \u0085 \u009b and Latin-1 é ÿ',
      'bidi \u202aa\u202eb\u2066c\u2069 and a zero-width joiner \u200d',
      'astral 😀 𝄞, lone high \ud800 and lone low \udc00 surrogates',
      // Neighbours of the escaped ranges, which stay as they are: U+00A0, U+2029, U+202F, U+2065, U+206A.
      'edges \u009f|\u00a0 \u2029|\u202a \u202e|\u202f \u2065|\u2066 \u2069|\u206a \u2192',
      'only edges that stay: \u00a0\u2029\u202f\u2065\u206a\u2192 ok',
    ];
    expect((await sinkBytes(true, lines)).bytes).toEqual(expected(true, lines));
    expect((await sinkBytes(false, lines)).bytes).toEqual(expected(false, lines));
  });

  it('writes text without a line end when asked', async () => {
    const parts = ['[', '\n{"a":1}', ',\n{"b":"\u0001"}'];
    expect((await sinkBytes(false, parts, false)).bytes.toString('utf8')).toBe('[\n{"a":1},\n{"b":"\u0001"}');
  });

  it('hands out buffers of at most 64 KiB, except for a line longer than that', async () => {
    const short = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`);
    const r = await sinkBytes(true, short);
    expect(r.bytes).toEqual(expected(true, short));
    expect(r.chunks.length).toBeGreaterThan(3);
    expect(Math.max(...r.chunks)).toBeLessThanOrEqual(65536);
    const long = ['a', 'é'.repeat(100_000), 'b'];
    const l = await sinkBytes(true, long);
    expect(l.bytes).toEqual(expected(true, long));
    expect(l.chunks.some((n) => n > 65536)).toBe(true);
  });

  it('agrees with Buffer.from(escapeControl(s)) on any text, lone surrogates included', async () => {
    // Whole code points, and single UTF-16 units (which make lone surrogates).
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 300 }));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 20 }), fc.boolean(), async (lines, escape) => {
        expect((await sinkBytes(escape, lines)).bytes).toEqual(expected(escape, lines));
      }),
      { numRuns: 300 },
    );
  });
});
