/** Values as `tshark -T fields` (4.0) prints them, checked against tshark's own output. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldText } from '../../src/dissect/field-types.js';

describe('fieldText', () => {
  it('prints bytes as plain lower-case hex, no separators (tshark 4.0: udp.payload 0101060000...)', () => {
    expect(fieldText({ label: 'UDP payload', type: 'bytes' }, Uint8Array.from([0x01, 0x01, 0x06, 0x00, 0xab]))).toBe('010106' + '00ab');
    expect(fieldText({ label: 'Padding', type: 'bytes' }, new Uint8Array(0))).toBe('');
  });

  it('prints booleans as 1/0 and hex bases zero-padded to the type width', () => {
    expect(fieldText({ label: 'SYN', type: 'bool' }, true)).toBe('1');
    expect(fieldText({ label: 'Type', type: 'u16', base: 'hex' }, 0x800)).toBe('0x0800');
    expect(fieldText({ label: 'Flags', type: 'u8', base: 'hex' }, 2)).toBe('0x02');
    expect(fieldText({ label: 'Port', type: 'u16' }, 443)).toBe('443');
  });

  it('prints decimal numbers as String() does, from its table of 16-bit texts or not', () => {
    const decls = [undefined, { label: 'N', type: 'u32' as const }, { label: 'N', type: 'u16' as const, base: 'dec' as const }, { label: 'N', type: 'u32' as const, base: 'dec_hex' as const }];
    const numbers = fc.oneof(fc.integer({ min: -2, max: 0x10002 }), fc.integer(), fc.double(), fc.bigInt(), fc.constantFrom(-0, 65535, 65536, 0.5, 2 ** 40, 2n ** 64n - 1n));
    fc.assert(
      fc.property(fc.constantFrom(...decls), numbers, (decl, n) => {
        // Twice: the second answer for a 16-bit value comes from the table.
        expect(fieldText(decl, n)).toBe(String(n));
        expect(fieldText(decl, n)).toBe(String(n));
      }),
    );
  });
});
