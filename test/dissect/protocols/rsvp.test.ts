import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// arkime__mpls-basic.pcap #44: RSVP PATH message over MPLS (RSVP at 42, after an IP header with a router alert option)
const PATH = hex(`
  003096e6fc3900309605283888470001d1fe460000c405420000fe2e0d830a1f00010a220001940400001001a2c4fe00
  00ac000c01010a2200011100000a000c03010a010201000000000008050100007530000c0b010a1f00010000000a0024
  0c0200000007010000067f000005449c4000461c40004998968000000000000005ea00540d0200000013010000080400
  000100000001060000014998968008000001000000000a000001000005dc02000008850000010002ee00860000010000
  04b0870000010002ee0088000001000004b005000000
`);

describe('rsvp', () => {
  it('reads the header and every object, and describes the session as tshark does', () => {
    const p = dissect(PATH);
    expect(stack(p)).toBe('eth/mpls/ip/rsvp');
    expect([field(p, 'rsvp.version').value, field(p, 'rsvp.version').offset]).toEqual([1, 42]);
    expect(field(p, 'rsvp.msg').value).toBe(1);
    expect(field(p, 'rsvp.message_checksum').value).toBe(0xa2c4);
    expect(field(p, 'rsvp.sending_ttl').value).toBe(254);
    expect(field(p, 'rsvp.message_length').value).toBe(172);
    expect([values(p, 'rsvp.object')[0], field(p, 'rsvp.length').value]).toEqual([1, 12]);
    expect(layer(p, 'rsvp').summary).toBe('PATH Message. SESSION: IPv4, Destination 10.34.0.1, Protocol 17, Port 10. SENDER TEMPLATE: IPv4, Sender 10.31.0.1, Port 10. ');
    checkInvariants(p);
  });

  it('an object length under 4 stops with a warning', () => {
    const bad = PATH.slice();
    bad[51] = 2;
    const l = layer(dissect(bad), 'rsvp');
    expect(l.issues.map((i) => i.fieldKey)).toEqual(['rsvp.length']);
  });

  it('every prefix', () => prefixSweep(PATH));
});
