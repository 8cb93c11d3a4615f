import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countText, humanBytes } from '../../src/render/stats/units.js';

describe('countText', () => {
  it('groups thousands as en-US does', () => {
    expect(countText(0)).toBe('0');
    expect(countText(999)).toBe('999');
    expect(countText(1000)).toBe('1,000');
    expect(countText(652333483)).toBe('652,333,483');
    expect(countText(-1234567)).toBe('-1,234,567');
    expect(countText(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991');
  });

  it('writes every number exactly as toLocaleString("en-US")', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.constantFrom(-0, 1e21, -1e21, Infinity, NaN, 0.5, 1234.5678)), (n) => {
        expect(countText(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('humanBytes', () => {
  it('keeps three significant digits and moves up a unit at 1000', () => {
    expect(humanBytes(512)).toBe('512 B');
    expect(humanBytes(1980)).toBe('1.98 kB');
    expect(humanBytes(159_000)).toBe('159 kB');
    expect(humanBytes(999_999)).toBe('1.00 MB');
  });
});
