import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump vrrp.pcap #1: VRRPv2 advertisement with three addresses and simple text authentication.
const PACKET = hex(`
  01005e00001200005e00012a0800
  4500003012340000ff70bebc0a00005be0000012
  21 2a bf 03 01 0a f11f 0a042a01 0a042a02 0a042a03 6162636465666768
`);

describe('vrrp', () => {
  it('reads version, router id, priority, addresses and the authentication string', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/vrrp');
    expect([field(p, 'vrrp.version').value, field(p, 'vrrp.type').value, field(p, 'vrrp.version').bits]).toEqual([2, 1, { offset: 0, length: 4 }]);
    expect([field(p, 'vrrp.virt_rtr_id').value, field(p, 'vrrp.prio').value, field(p, 'vrrp.prio').offset]).toEqual([42, 191, 36]);
    expect(values(p, 'vrrp.ip_addr')).toEqual(['10.4.42.1', '10.4.42.2', '10.4.42.3']);
    expect([field(p, 'vrrp.auth_string').value, field(p, 'vrrp.auth_string').offset]).toEqual(['abcdefgh', 54]);
    expect(field(p, 'vrrp.checksum.status').value).toBe(1);
    expect(layer(p, 'vrrp').summary).toBe('Announcement (v2)');
    checkInvariants(p);
  });

  it('a bad checksum is an expert note', () => {
    const bad = PACKET.slice();
    bad[41] = bad[41]! ^ 1;
    expect(layer(dissect(bad), 'vrrp').issues.map((i) => i.fieldKey)).toEqual(['vrrp.checksum']);
  });

  it('authentication data the IP length leaves no room for is malformed, as tshark reads it', () => {
    // tcpdump__icmp-icmp_print-oobr-2.pcap #2 in short: simple text authentication, 8 bytes missing.
    const short = Uint8Array.from(PACKET.subarray(0, PACKET.length - 8));
    short[17] = 0x28; // IP total length 40
    const p = dissect(short);
    expect(stack(p)).toBe('eth/ip/vrrp');
    expect(layer(p, 'vrrp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'vrrp.auth_string']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(PACKET);
  });
});
