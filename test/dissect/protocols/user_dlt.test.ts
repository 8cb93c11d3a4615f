import { describe, expect, it } from 'vitest';
import { dissect, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__unsupported-link-type-160.pcap #1: 23 bytes on LINKTYPE_USER13
const USER = hex('490c6209692334e8efd3a7bf4ec0fd3b43e00b2b2b2b2b');

describe('user_dlt', () => {
  it('takes the user link types and hands every byte to data, with a warning', () => {
    const p = dissect(USER, 160);
    expect(stack(p)).toBe('user_dlt/data');
    expect(layer(p, 'data').length).toBe(23);
    expect(layer(p, 'user_dlt').issues.map((i) => i.severity)).toEqual(['warning']);
    expect(stack(dissect(USER, 147))).toBe('user_dlt/data');
  });

  it('every prefix', () => prefixSweep(USER, 160));
});
