import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump__dhcpv6-ia-na.pcap #1: Solicit, XID 0x90b45c
const SOLICIT = hex(
  '33330001000200010203040586dd6c00000000381140fe80000000000000020102fffe030405ff02000000000000000000000001000202220223003811230' +
    '190b45c0001000a0003000100010203040500060004001700180008000200000003000c0203040500000e1000001518',
);

describe('dhcpv6', () => {
  it('reads message type, transaction id and the options as groups', () => {
    const p = dissect(SOLICIT);
    expect(stack(p)).toBe('eth/ipv6/udp/dhcpv6');
    expect(field(p, 'dhcpv6.msgtype').value).toBe(1);
    expect([field(p, 'dhcpv6.xid').value, field(p, 'dhcpv6.xid').offset]).toEqual([0x90b45c, 63]);
    expect(values(p, 'dhcpv6.option.type')).toEqual([1, 6, 8, 3]);
    expect(values(p, 'dhcpv6.requested_option_code')).toEqual([23, 24]);
    expect(layer(p, 'dhcpv6').summary).toBe('Solicit XID: 0x90b45c');
  });

  it('an option longer than the message is malformed', () => {
    const bad = SOLICIT.slice();
    bad[69] = 0x40;
    expect(layer(dissect(bad), 'dhcpv6').issues[0]!.kind).toBe('malformed');
  });

  it('every prefix: no throw', () => prefixSweep(SOLICIT));
});
