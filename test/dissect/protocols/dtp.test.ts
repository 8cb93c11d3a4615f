import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__various_gre.pcap #62: DTP from aa:bb:cc:00:03:10 (802.3, LLC SNAP Cisco PID 0x2004, DTP at 22)
const DTP = hex(`
  01000cccccccaabbcc0003100022aaaa0300000c2004010001000500000200058100030005a50004000aaabbcc000310
  000000000000000000000000
`);

// tcpdump__various_gre.pcap #49: CDP carried in GRE (protocol type 0x2000) over VLAN-tagged IPv4
const CDP_IN_GRE = hex(`
  aabbcc000200aabbcc000100810004bd08004500017d00980000ff2f24550aac40060aac4007200020000000002802b4
  a82e00010006523100050105436973636f20494f5320536f6674776172652c204c696e757820536f6674776172652028
  49383642495f4c494e55582d414456454e54455250524953454b392d4d292c2056657273696f6e2031352e3528332953
  322c20444556454c4f504d454e54205445535420534f4654574152450a546563686e6963616c20537570706f72743a20
  687474703a2f2f7777772e636973636f2e636f6d2f74656368737570706f72740a436f70797269676874202863292031
  3938362d3230313620627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564204d6f6e2030382d
  4665622d31362032303a34382062792070726f645f72656c5f7465616d0006000e4c696e757820556e69780002001100
  0000010101cc0004ac1101360003000c54756e6e656c34300004000800000001000700090aac40061f00160011000000
  010101cc0004ac110136001b000500
`);

describe('dtp', () => {
  it('reads the version and the TLVs', () => {
    const p = dissect(DTP);
    expect(stack(p).startsWith('eth/llc/dtp')).toBe(true);
    expect([field(p, 'dtp.version').value, field(p, 'dtp.version').offset]).toEqual([1, 22]);
    expect(field(p, 'dtp.domain').value).toBe('');
    expect(field(p, 'dtp.tos').value).toBe(1);
    expect(field(p, 'dtp.tas').value).toBe(1);
    expect(field(p, 'dtp.tot').value).toBe(5);
    expect(field(p, 'dtp.senderid').value).toBe('aa:bb:cc:00:03:10');
    expect(layer(p, 'dtp').summary).toBe('Dynamic Trunk Protocol');
    checkInvariants(p);
  });

  it('a TLV length under 4 stops with a warning', () => {
    const bad = DTP.slice();
    bad[26] = 0;
    bad[27] = 2;
    expect(layer(dissect(bad), 'dtp').issues.map((i) => i.fieldKey)).toEqual(['dtp.tlv_len']);
  });

  it('every prefix', () => prefixSweep(DTP));
});

describe('cdp over gre', () => {
  it('GRE protocol type 0x2000 is CDP (gre.proto before the ethertypes)', () => {
    const p = dissect(CDP_IN_GRE);
    expect(stack(p)).toBe('eth/vlan/ip/gre/cdp');
    expect(field(p, 'gre.proto').value).toBe(0x2000);
    checkInvariants(p);
  });
});
