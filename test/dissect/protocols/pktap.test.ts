import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__LINKTYPE_PKTAP.pcap #1: a 108-byte PKTAP header (en0, DLT 1), then Ethernet/IPv4/UDP.
const PKTAP = hex(`
6c0000000100000001000000656e3000000000000000000000000000000000000000000002000000020000000e000000000000000002000000000000000000000000000000000000000000000000000000000000ffffffff0000000000000000000000000000000000000000
001e491ff2c47073cb0b262a0800 4500002000010000ff1100000a20041b0a20640f f832270f000c0000 61626364
`);

describe('pktap', () => {
  it('little-endian header fields with offsets, then the inner frame by its DLT', () => {
    const p = dissect(PKTAP, 258);
    expect(stack(p)).toBe('pktap/eth/ip/udp/data');
    expect([field(p, 'pktap.hdrlen').value, field(p, 'pktap.hdrlen').offset]).toEqual([108, 0]);
    expect([field(p, 'pktap.dlt').value, field(p, 'pktap.dlt').offset]).toEqual([1, 8]);
    const ifname = field(p, 'pktap.ifname');
    expect([ifname.value, ifname.offset, ifname.length]).toEqual(['en0', 12, 24]);
    expect([field(p, 'pktap.pid').value, field(p, 'pktap.pid').offset]).toEqual([512, 52]);
    expect(field(p, 'pktap.epid').value).toBe(0xffffffff);
    expect(layer(p, 'pktap').headerLength).toBe(108);
    expect(layer(p, 'pktap').summary).toBe('en0, DLT 1');
    checkInvariants(p);
  });

  it('a header length below 108 is malformed', () => {
    const bad = PKTAP.slice();
    bad[0] = 20;
    const p = dissect(bad, 258);
    expect(layer(p, 'pktap').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'pktap.hdrlen']]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PKTAP, 258);
  });
});
