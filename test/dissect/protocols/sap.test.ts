import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';
import { udpPacket } from '../../helpers/misc-packets.js';

// zeek__q-in-q.pcap #3: a SAPv1 announcement from 193.1.186.60 with payload type application/sdp
// (two 802.1Q tags; SAP at 50, SDP at 74)
const ANNOUNCE = hex(`
  01005e027ffe08007f0a00528100000d8100000a080045000130000040000511997ec101ba3ce0027ffe26932693011c
  ce6020000001c101ba3c6170706c69636174696f6e2f73647000763d300d0a6f3d2d2032333732373632393035203133
  363030373234333020494e20495034203139332e312e3138362e36300d0a733d4f69726561636874617320436f6d6d69
  747465652023340d0a693d4f69726561636874617320636f6d6d697474656520726f6f6d202334206c69766520776562
  636173740d0a633d494e20495034203233332e342e3138392e33382f31360d0a623d41533a333238370d0a743d333536
  3930363132323920300d0a613d617574686f723a4845416e65740d0a613d6b65797764733a4972656c616e642c204972
  6973682c20506f6c69746963730d0a6d3d766964656f20313233342f31207564702033330d0a
`);

describe('sap', () => {
  it('reads the header, the payload type, and hands the SDP payload on', () => {
    const p = dissect(ANNOUNCE);
    expect(stack(p)).toBe('eth/vlan/vlan/ip/udp/sap/sdp');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('sap.flags')).toEqual([0x20, 50, 1]);
    expect(f('sap.flags.v')).toEqual([1, 50, 1]);
    expect([field(p, 'sap.flags.a').value, field(p, 'sap.flags.t').value, field(p, 'sap.flags.e').value]).toEqual([false, false, false]);
    expect(f('sap.auth.len')).toEqual([0, 51, 1]);
    expect(f('sap.message_identifier_hash')).toEqual([1, 52, 2]);
    expect(f('sap.originating_source')).toEqual(['193.1.186.60', 54, 4]);
    expect(f('sap.payload_type')).toEqual(['application/sdp', 58, 15]);
    expect(layer(p, 'sdp').offset).toBe(74);
    expect(field(p, 'sdp.session_name').value).toBe('Oireachtas Committee #4');
    expect(layer(p, 'sap').summary).toBe('Announcement (v1)');
    // SDP writes no Info of its own and appends to the carrier's protocol column.
    expect([layer(p, 'sdp').summary, layer(p, 'sdp').name]).toEqual(['Announcement (v1)', 'SAP/SDP']);
    checkInvariants(p);
  });

  it('a payload starting with v=0 needs no payload type; IPv6 sources and authentication data', () => {
    const p = dissect(udpPacket(9875, 9875, Uint8Array.from([...hex('3401 1234 20010db8000000000000000000000001 21000000'), ...Buffer.from('v=0\r\ns=x\r\n')])));
    expect(stack(p)).toBe('eth/ip/udp/sap/sdp');
    expect(field(p, 'sap.originating_source.ipv6').value).toBe('2001:db8::1');
    expect(field(p, 'sap.auth.flags.v').value).toBe(1);
    expect(layer(p, 'sap').summary).toBe('Deletion (v1)');
  });

  it('authentication data longer than the datagram is malformed', () => {
    const p = dissect(udpPacket(9875, 9875, hex('2040 1234 0a000001')));
    expect(layer(p, 'sap').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('every prefix', () => prefixSweep(ANNOUNCE));
});
