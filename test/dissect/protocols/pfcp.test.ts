import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// scapy__pfcp.pcap #1: Association Setup Response on raw IPv4 (PFCP at 28)
const SETUP = hex(`
  4500003f0000000040117cab7f0000017f00000222652265002bb8a02106001f0000000000000083000004000062000a
  0006227e92322785014d008c000100
`);

describe('pfcp', () => {
  it('reads the header (with the SEID the S flag announces) and the IE types', () => {
    const p = dissect(SETUP, 101);
    expect(stack(p)).toBe('raw/ip/udp/pfcp');
    expect([field(p, 'pfcp.flags').value, field(p, 'pfcp.flags').offset]).toEqual([0x21, 28]);
    expect(field(p, 'pfcp.version').value).toBe(1);
    expect(field(p, 'pfcp.s').value).toBe(true);
    expect(field(p, 'pfcp.msg_type').value).toBe(6);
    expect(field(p, 'pfcp.length').value).toBe(31);
    expect([field(p, 'pfcp.seid').value, field(p, 'pfcp.seid').offset]).toEqual([0x83n, 32]);
    expect([field(p, 'pfcp.seqno').value, field(p, 'pfcp.seqno').offset]).toEqual([4, 40]);
    expect(values(p, 'pfcp.ie_type')[0]).toBe(98);
    expect(layer(p, 'pfcp').summary).toBe('PFCP Association Setup Response');
    checkInvariants(p);
  });

  it('a length past the datagram is a warning', () => {
    const bad = SETUP.slice();
    bad[31] = 0xff;
    const l = layer(dissect(bad, 101), 'pfcp');
    expect(l.issues.map((i) => i.fieldKey)).toEqual(['pfcp.length']);
  });

  it('every prefix', () => prefixSweep(SETUP, 101));
});
