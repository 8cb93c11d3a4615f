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

  it('reads both NetBIOS names and hands the user data to SMB, as tshark does', () => {
    // The same datagram with its names and the start of the SMB mailslot write.
    const full = hex(
      'ffffffffffff8c736eb7941d080045000110000040004011b349c0a80543c0a8ffff008a008a00fcff8a110a2e43c0a80543008a00e60000' +
        '2046444542454f454b454a434e454d454a45474546454345504550454c434e414100' +
        '20464845504643454c45484643455046464641434143414341434143414341424f00' +
        'ff534d42250000000000000000000000000000000000000000000000000000001100004c00000000',
    );
    const p = dissect(full, 1, {}, 0x110 + 14);
    expect(stack(p).startsWith('eth/ip/udp/nbdgm/smb')).toBe(true);
    // tshark: Source name: SANJI-LIFEBOOK-<00>, Destination name: WORKGROUP<1e>
    expect(field(p, 'nbdgm.source_name')).toMatchObject({ value: 'SANJI-LIFEBOOK-<00>', offset: 56, length: 34 });
    expect(field(p, 'nbdgm.destination_name')).toMatchObject({ value: 'WORKGROUP<1e>', offset: 90, length: 34 });
  });

  it('every prefix: no throw', () => prefixSweep(DGM));
});
