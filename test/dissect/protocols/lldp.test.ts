import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump__LLDP_and_CDP.pcap #4: chassis MAC, port "Fa0/13" (locally assigned), TTL 120, system
// name and description, port description, capabilities, IEEE 802.1 and 802.3 TLVs, End (LLDP at 14).
const CISCO = hex(
  '0180c200000e0018ba98688f88cc0207040018ba98688f0407074661302f3133060200780a0c53312e636973636f2e636f6d0cbe43697363' +
    '6f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c' +
    '2056657273696f6e2031322e322834342953452c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920' +
    '313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205361742030352d4a616e2d30382030' +
    '303a3135206279207765696c697508104661737445746865726e6574302f31330e0400140004fe060080c2010001fe0900120f010300360010' +
    '0000',
);

// Checked with tshark 4.0: chassis as an IPv4 network address, port as a MAC, a management address with
// an OID, an IEEE 802.1 VLAN name, End, then two bytes of Ethernet padding.
const ADDRESSES = hex(
  '0180c200000e00112233445588cc02060501c0a8000104070300112233445506020078101405010a0000010200000003082b06010401090501' +
    'fe0d0080c203006406766c616e2d310000' +
    '0000',
);

describe('lldp', () => {
  it('reads the mandatory TLVs, names, capabilities and organisation TLVs as children', () => {
    const p = dissect(CISCO);
    expect(stack(p)).toBe('eth/lldp');
    const tlvs = layer(p, 'lldp').fields.filter((f) => f.key === 'lldp.tlv');
    expect(tlvs.map((f) => f.display)).toEqual([
      'Chassis Subtype = MAC address, Id: 00:18:ba:98:68:8f',
      'Port Subtype = Locally assigned, Id: Fa0/13',
      'Time To Live = 120 sec',
      'System Name = S1.cisco.com',
      expect.stringMatching(/^System Description = Cisco IOS Software, .*\\nCopyright/),
      'Port Description = FastEthernet0/13',
      'Capabilities',
      'IEEE - Port VLAN ID',
      'Ieee 802.3 - MAC/PHY Configuration/Status',
      'End of LLDPDU',
    ]);
    const type = field(p, 'lldp.tlv.type');
    expect([type.value, type.offset, type.length, type.bits]).toEqual([1, 14, 2, { offset: 0, length: 7 }]);
    expect([field(p, 'lldp.tlv.len').value, field(p, 'lldp.tlv.len').bits]).toEqual([7, { offset: 7, length: 9 }]);
    const mac = field(p, 'lldp.chassis.id.mac');
    expect([mac.value, mac.offset, mac.length]).toEqual(['00:18:ba:98:68:8f', 17, 6]);
    expect([field(p, 'lldp.port.subtype').value, field(p, 'lldp.port.id').value, field(p, 'lldp.port.id').offset]).toEqual([7, 'Fa0/13', 26]);
    expect([field(p, 'lldp.time_to_live').value, field(p, 'lldp.time_to_live').offset]).toEqual([120, 34]);
    expect(field(p, 'lldp.tlv.system.name').value).toBe('S1.cisco.com');
    expect(field(p, 'lldp.tlv.system_cap').value).toBe(0x14);
    expect([field(p, 'lldp.tlv.enable_system_cap.bridge').value, field(p, 'lldp.tlv.enable_system_cap.router').value]).toEqual([true, false]);
    expect(field(p, 'lldp.tlv.system_cap.router').bits).toEqual({ offset: 11, length: 1 });
    expect(values(p, 'lldp.orgtlv.oui')).toEqual([0x0080c2, 0x00120f]);
    expect(field(p, 'lldp.ieee.802_1.port_vlan.id').value).toBe(1);
    expect([field(p, 'lldp.ieee.802_3.pmd_auto_neg_advertised_caps').value, field(p, 'lldp.ieee.802_3.pmd_mau_type').value]).toEqual([0x0036, 0x0010]);
    expect(layer(p, 'lldp').summary).toMatch(/^MA\/00:18:ba:98:68:8f LA\/Fa0\/13 120 SysN=S1\.cisco\.com SysD=Cisco IOS .*\\nCompiled Sat 05-Jan-08 00:15 by weiliu $/);
    checkInvariants(p);
  });

  it('network addresses, the management address OID, a VLAN name; bytes after End are padding', () => {
    const p = dissect(ADDRESSES);
    expect(stack(p)).toBe('eth/lldp/padding');
    expect([field(p, 'lldp.network_address.subtype').value, field(p, 'lldp.chassis.id.ip4').value]).toEqual([1, '192.168.0.1']);
    expect(field(p, 'lldp.port.id.mac').value).toBe('00:11:22:33:44:55');
    expect([field(p, 'lldp.mgn.addr.ip4').value, field(p, 'lldp.mgn.interface.number').value]).toEqual(['10.0.0.1', 3]);
    const oid = field(p, 'lldp.mgn.obj.id');
    expect([oid.value, oid.offset, oid.length]).toEqual(['1.3.6.1.4.1.9.5.1', 49, 8]);
    expect([field(p, 'lldp.ieee.802_1.vlan.id').value, field(p, 'lldp.ieee.802_1.vlan.name').value]).toEqual([100, 'vlan-1']);
    expect(layer(p, 'lldp').summary).toBe('NA/192.168.0.1 MA/00:11:22:33:44:55 120 ');
    expect(layer(p, 'padding').offset).toBe(ADDRESSES.length - 2);
    checkInvariants(p);
  });

  it('TLVs out of order: the summary says which, as tshark does', () => {
    // Port Id first
    const p = dissect(hex('0180c200000e00112233445588cc 0403077031 020704001122334455 06020078 0000'));
    expect(layer(p, 'lldp').summary).toBe('Invalid Chassis ID TLV');
    expect(layer(p, 'lldp').issues.map((i) => i.message)).toEqual(['Invalid Chassis ID (0x02), expected (0x01)']);
  });

  it('a TLV longer than the frame is malformed', () => {
    const bad = CISCO.slice();
    bad[15] = 0xff; // Chassis Id length 255 in a 287-byte frame: fits; make it 511
    bad[14] = 0x03;
    const p = dissect(bad);
    expect(layer(p, 'lldp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'lldp.tlv.len']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(CISCO);
    prefixSweep(ADDRESSES);
  });
});
