import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// ndpi__1kxun.pcap #685: MNDP broadcast from 192.168.0.100:50925 to port 5678 (MNDP at 42)
const ANNOUNCE = hex(`
  ffffffffffff4c5e0cea03880800450000800000400040117961c0a80064ffffffffc6ed162e006ce8170000a91d0001
  00064c5e0cea038800050005344d4e41540007000f362e33352e312028737461626c6529000800084d696b726f54696b
  000a000483962400000b00094e3533382d47303455000c0006524234353047000e00010000100006657468657232
`);

describe('mndp', () => {
  it('reads the header and every TLV', () => {
    const p = dissect(ANNOUNCE);
    expect(stack(p)).toBe('eth/ip/udp/mndp');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('mndp.header.seqno')).toEqual([43293, 44, 2]);
    expect(values(p, 'mndp.tlv.type')).toEqual([1, 5, 7, 8, 10, 11, 12, 14, 16]);
    expect(f('mndp.mac')).toEqual(['4c:5e:0c:ea:03:88', 50, 6]);
    expect(f('mndp.identity')).toEqual(['4MNAT', 60, 5]);
    expect(f('mndp.version')).toEqual(['6.35.1 (stable)', 69, 15]);
    expect(f('mndp.platform')).toEqual(['MikroTik', 88, 8]);
    expect(f('mndp.uptime')).toEqual(['2397827.000000000', 100, 4]);
    expect(f('mndp.softwareid')).toEqual(['N538-G04U', 108, 9]);
    expect(f('mndp.board')).toEqual(['RB450G', 121, 6]);
    expect(f('mndp.unpack')).toEqual([0, 131, 1]);
    expect(f('mndp.interfacename')).toEqual(['ether2', 136, 6]);
    expect(field(p, 'mndp.tlv').display).toBe('T 1, L 6: MAC-Address');
    expect(layer(p, 'mndp').summary).toBe('50925 → 5678 Len=100');
    checkInvariants(p);
  });

  it('a TLV running past the datagram is malformed', () => {
    const bad = ANNOUNCE.slice();
    bad[135] = 0x20; // the interface name claims 32 bytes
    expect(layer(dissect(bad), 'mndp').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('every prefix', () => prefixSweep(ANNOUNCE));
});
