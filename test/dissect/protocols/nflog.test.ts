import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

const IP4 = '4500002000010000401100000a0000010a000002 0400270f000c0000 61626364';
// tcpdump__nflog.pcap #1 layout: header, PACKET_HDR, PREFIX, IFINDEX_INDEV, then PAYLOAD (IPv4).
const NFLOG = hex(`
  02 00 0014
  0800 0100 0800 01 27
  0500 0a00 00 000000
  0800 0400 00000002
  2400 0900 ${IP4}
`);

describe('nflog', () => {
  it('header, little-endian TLVs with offsets, then the payload TLV as IPv4', () => {
    const p = dissect(NFLOG, 239);
    expect(stack(p)).toBe('nflog/ip/udp/data');
    expect([field(p, 'nflog.family').value, field(p, 'nflog.res_id').value, field(p, 'nflog.res_id').offset]).toEqual([2, 20, 2]);
    expect(values(p, 'nflog.tlv_type')).toEqual([1, 10, 4, 9]);
    const len = field(p, 'nflog.tlv_length');
    expect([len.value, len.offset, len.length]).toEqual([8, 4, 2]);
    expect([field(p, 'nflog.protocol').value, field(p, 'nflog.hook').value]).toEqual([0x0800, 1]);
    expect([field(p, 'nflog.prefix').value, field(p, 'nflog.prefix').offset]).toEqual(['', 16]);
    expect([field(p, 'nflog.ifindex_indev').value, field(p, 'nflog.ifindex_indev').offset]).toEqual([2, 24]);
    expect(layer(p, 'nflog').headerLength).toBe(32);
    expect(layer(p, 'nflog').summary).toBe('IPv4, resource id 20');
    checkInvariants(p);
  });

  it('a TLV length below 4 is malformed', () => {
    const bad = NFLOG.slice();
    bad[4] = 2;
    const p = dissect(bad, 239);
    expect(layer(p, 'nflog').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'nflog.tlv_length']]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(NFLOG, 239);
  });
});
