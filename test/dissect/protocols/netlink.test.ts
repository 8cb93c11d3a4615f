import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// pcapplusplus__microsecs_big_endian.pcap #3: an rtnetlink "delete neighbour" message from a big-endian host (LINKTYPE_NETLINK)
const DELNEIGH = hex(`
  0004033800000000000000000000000000000044001d00000000000000000000070000000000000500020000000a0002
  f46d048facd2000000080009000000040014000300000000000026ef0000181000000000
`);

describe('netlink and netlink-route', () => {
  it('reads the cooked header, then the message header in the host byte order that fits', () => {
    const p = dissect(DELNEIGH, 253);
    expect(stack(p)).toBe('netlink/netlink-route');
    expect(field(p, 'netlink.hatype').value).toBe(824);
    expect([field(p, 'netlink.family').value, field(p, 'netlink.family').offset]).toEqual([0, 14]);
    expect([field(p, 'netlink.hdr_len').value, field(p, 'netlink.hdr_len').offset]).toEqual([68, 16]);
    expect(field(p, 'netlink.hdr_type').value).toBe(29);
    expect(layer(p, 'netlink-route').info['littleEndian']).toBe(false);
    checkInvariants(p);
  });

  it('a message length under 16 is a warning', () => {
    const bad = DELNEIGH.slice();
    bad[19] = 8;
    const l = layer(dissect(bad, 253), 'netlink-route');
    expect(l.issues.map((i) => i.fieldKey)).toEqual(['netlink.hdr_len']);
  });

  it('a message length of 2^31 or more ends the messages at the captured end', () => {
    const huge = DELNEIGH.slice();
    huge.set([0xff, 0xff, 0xff, 0xef], 16);
    const p = dissect(huge, 253);
    expect(values(p, 'netlink.hdr_len')).toEqual([0xefffffff]); // neither order fits: the smaller reading
    checkInvariants(p);
  });

  it('every prefix', () => prefixSweep(DELNEIGH, 253));
});
