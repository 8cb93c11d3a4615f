/** Values as `tshark -T fields` (4.0) prints them, checked against tshark's own output. */
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
});
