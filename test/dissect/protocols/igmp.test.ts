import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump igmpv3-queries.pcap #1: an IGMPv3 general query (IP header with router alert).
const PACKET = hex(`
  01005e000001020001630000 0800
  46c00024000100000102840dc0020002e000000194040000
  11 64 ec1e 00000000 02 7d 0000
`);

describe('igmp', () => {
  it('recognises a version 3 query by its length and reads its fields', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/igmp');
    expect([field(p, 'igmp.version').value, field(p, 'igmp.type').value, field(p, 'igmp.type').offset]).toEqual([3, 0x11, 38]);
    expect(field(p, 'igmp.max_resp').value).toBe(100);
    expect(field(p, 'igmp.checksum.status').value).toBe(1);
    expect([field(p, 'igmp.qrv').value, field(p, 'igmp.qrv').bits]).toEqual([2, { offset: 5, length: 3 }]);
    expect([field(p, 'igmp.qqic').value, field(p, 'igmp.num_src').value]).toEqual([125, 0]);
    expect(layer(p, 'igmp').summary).toBe('Membership Query, general');
    checkInvariants(p);
  });

  it('a version 3 report cut inside its group records is truncated', () => {
    const report = hex(`
      01005e000016020001630000 0800
      4600002800010000010200000a000001e000001694040000
      22 00 0000 0000 0001 04 00 0000 e00000fb
    `);
    const p = dissect(report);
    expect(layer(p, 'igmp').summary).toBe('Membership Report / Join group 224.0.0.251 for any sources');
    const cut = dissect(report.subarray(0, report.length - 2), 1, {}, report.length);
    expect(layer(cut, 'igmp').issues[0]!.kind).toBe('truncated');
  });

  it('every prefix: no throw', () => {
    prefixSweep(PACKET);
  });
});
