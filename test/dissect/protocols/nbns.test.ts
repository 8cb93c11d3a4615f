import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// ndpi__1kxun.pcap #39: NBNS name query NB WPAD<00>
const QUERY = hex(
  'ffffffffffff001c428e703108004500004e51c900008011f47cc0a87308c0a8ffff00890089003a16ba' +
    'b1e6011000010000000000002046484641454245454341434143414341434143414341434143414341434141410000200001',
);

describe('nbns', () => {
  it('reads the header and decodes the NetBIOS name', () => {
    const p = dissect(QUERY);
    expect(stack(p)).toBe('eth/ip/udp/nbns');
    expect(field(p, 'nbns.id').value).toBe(0xb1e6);
    expect(field(p, 'nbns.count.queries').value).toBe(1);
    expect([field(p, 'nbns.name').value, field(p, 'nbns.name').offset, field(p, 'nbns.name').length]).toEqual(['WPAD<00>', 54, 34]);
    expect(layer(p, 'nbns').summary).toBe('Name query NB WPAD<00>');
  });

  it('every prefix: no throw', () => prefixSweep(QUERY));
});
