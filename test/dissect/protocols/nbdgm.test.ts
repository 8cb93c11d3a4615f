import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// ndpi__1kxun.pcap #389: NetBIOS datagram (direct group), header only
const DGM = hex(
  'ffffffffffff8c736eb7941d080045000110000040004011b349c0a80543c0a8ffff008a008a00fcff8a' +
    '110a2e43c0a80543008a00e60000',
);

describe('nbdgm', () => {
  it('reads the datagram header', () => {
    const p = dissect(DGM, 1, {}, DGM.length);
    expect(stack(p).startsWith('eth/ip/udp/nbdgm')).toBe(true);
    expect(field(p, 'nbdgm.type').value).toBe(17);
    expect([field(p, 'nbdgm.dgram_id').value, field(p, 'nbdgm.src.ip').value, field(p, 'nbdgm.src.port').value]).toEqual([0x2e43, '192.168.5.67', 138]);
    expect(layer(p, 'nbdgm').summary).toBe('Direct_group datagram');
  });

  it('every prefix: no throw', () => prefixSweep(DGM));
});
