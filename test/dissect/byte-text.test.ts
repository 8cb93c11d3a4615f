/** Text of bytes in place: the same strings as TextDecoder gives, for frames and Buffers alike. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latin1Text, utf8Text } from '../../src/dissect/byte-text.js';

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

describe('latin1Text and utf8Text', () => {
  it('read ASCII header text out of a frame view and decode UTF-8 beyond it', () => {
    const frame = new Uint8Array(new TextEncoder().encode('xxHost: example.com\r\n').buffer, 0);
    expect(latin1Text(frame, 2, 6)).toBe('Host');
    expect(latin1Text(frame, 8, 19)).toBe('example.com');
    expect(latin1Text(Uint8Array.from([0x41, 0xe9]), 0, 2)).toBe('Aé');
    expect(utf8Text(Uint8Array.from([0x63, 0x61, 0x66, 0xc3, 0xa9]), 0, 5)).toBe('café');
    expect(utf8Text(Uint8Array.from([0x41, 0xff]), 0, 2)).toBe('A\ufffd');
    expect(latin1Text(frame, 5, 5)).toBe('');
    expect(latin1Text(frame, 6, 4)).toBe('');
  });

  it('agree with TextDecoder on any bytes, any range, views at any offset and Buffers, alternating', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(8),
        fc.nat(80),
        fc.nat(80),
        (a, b, shift, x, y) => {
          // A view into a larger buffer, as capture readers hand frames over, and a Buffer.
          const backing = new Uint8Array(a.length + shift + 3);
          backing.set(a, shift);
          const view = new Uint8Array(backing.buffer, shift, a.length);
          const buf = Buffer.from(b);
          for (const d of [view, buf, view]) {
            const from = Math.min(x, d.length);
            const to = Math.min(y, d.length);
            const part = d.subarray(from, Math.max(from, to));
            expect(latin1Text(d, from, to)).toBe(latin1.decode(part));
            expect(utf8Text(d, from, to)).toBe(utf8.decode(part));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
