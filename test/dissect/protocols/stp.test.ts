import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump__802.1D_spanning_tree.pcap #1: 802.3 + LLC (DSAP 0x42), configuration BPDU at 17.
const CONF = hex('0180c2000000001906eab885002642420300000000008001001906eab880000000008001001906eab88080050000140002000f000000000000000000');

// zeek__wikipedia.pcap #4: rapid spanning tree BPDU (version 2, type 2), port role designated.
const RST = hex('0180c200000000137f4f8ef20027424203000002023c82d000137fbe8cc00000000082d000137fbe8cc081930000140002000f000000000000000000');

// tcpdump__various_gre.pcap #2: Cisco PVST+ over 802.1Q and SNAP (00000c/010b) with the originating VLAN TLV.
const PVST = hex('01000ccccccdaabbcc000310810004bd0032aaaa0300000c010b000000000084bdaabbcc0003000000000084bdaabbcc00030080020000140002000f00000000000204bd');

// Built with tshark 4.0 as the reference: MSTP (version 3) with TC set and one MSTI message.
const MSTP = hex(
  '0180c200000000137f4f8ef20079424203000003027d8000001c0e877800000000048000001c0e87780180040100140002000f00000050006d7374' +
    '0000000000000000000000000000000000000000000000000000000000000700112233445566778899aabbccddeeff000000008000001c0e877801' +
    '143e8001001c0e87780000000010809014',
);

// A topology change notification: four bytes.
const TCN = hex('0180c200000000137f4f8ef2000742420300000080');

describe('stp', () => {
  it('reads a configuration BPDU with the bridge identifiers split as tshark shows them', () => {
    const p = dissect(CONF);
    expect(stack(p)).toBe('eth/llc/stp/padding'); // the 802.3 length ends the BPDU; the rest is Ethernet padding
    expect([field(p, 'stp.protocol').value, field(p, 'stp.version').value, field(p, 'stp.type').value]).toEqual([0, 0, 0]);
    const prio = field(p, 'stp.root.prio');
    expect([prio.value, prio.offset, prio.length]).toEqual([32768, 22, 2]);
    expect([field(p, 'stp.root.ext').value, field(p, 'stp.root.hw').value, field(p, 'stp.root.hw').offset]).toEqual([1, '00:19:06:ea:b8:80', 24]);
    expect([field(p, 'stp.root.cost').value, field(p, 'stp.root.cost').offset]).toEqual([0, 30]);
    const port = field(p, 'stp.port');
    expect([port.value, port.offset, port.length]).toEqual([0x8005, 42, 2]);
    expect([field(p, 'stp.msg_age').value, field(p, 'stp.max_age').value, field(p, 'stp.hello').value, field(p, 'stp.forward').value]).toEqual([0, 20, 2, 15]);
    // configuration BPDUs have two flags only
    const flags = layer(p, 'stp').fields.find((f) => f.key === 'stp.flags');
    expect(flags?.children?.map((f) => f.key)).toEqual(['stp.flags.tcack', 'stp.flags.tc']);
    expect(field(p, 'stp.flags.tc').bits).toEqual({ offset: 7, length: 1 });
    expect(values(p, 'stp.version_1_length')).toEqual([]);
    expect(layer(p, 'stp').summary).toBe('Conf. Root = 32768/1/00:19:06:ea:b8:80  Cost = 0  Port = 0x8005');
    checkInvariants(p);
  });

  it('reads the rapid flags: port role as a two-bit field', () => {
    const p = dissect(RST);
    expect(stack(p)).toBe('eth/llc/stp/padding');
    const role = field(p, 'stp.flags.port_role');
    expect([role.value, role.offset, role.bits]).toEqual([3, 21, { offset: 4, length: 2 }]);
    expect([field(p, 'stp.flags.forwarding').value, field(p, 'stp.flags.learning').value, field(p, 'stp.flags.agreement').value]).toEqual([true, true, false]);
    expect(field(p, 'stp.flags').display).toBe('BPDU flags: 0x3c, Forwarding, Learning, Port Role: Designated');
    expect([field(p, 'stp.root.ext').value, field(p, 'stp.version_1_length').offset]).toEqual([720, 52]);
    expect(layer(p, 'stp').summary).toBe('RST. Root = 32768/720/00:13:7f:be:8c:c0  Cost = 0  Port = 0x8193');
  });

  it('PVST+ over SNAP: the originating VLAN TLV after the BPDU', () => {
    const p = dissect(PVST);
    expect(stack(p)).toBe('eth/vlan/llc/stp');
    const vlan = field(p, 'stp.pvst.origvlan');
    expect([vlan.value, vlan.offset, vlan.length]).toEqual([1213, 66, 2]);
    expect(field(p, 'stp.pvst.tlvtype').offset).toBe(62);
    expect(layer(p, 'stp').summary).toBe('Conf. Root = 32768/1213/aa:bb:cc:00:03:00  Cost = 0  Port = 0x8002');
    checkInvariants(p);
  });

  it('MSTP: configuration identifier, CIST and MSTI fields; TC in the summary', () => {
    const p = dissect(MSTP);
    expect(field(p, 'mstp.version_3_length').value).toBe(80);
    expect([field(p, 'mstp.config_name').value, field(p, 'mstp.config_name').length]).toEqual(['mst', 32]);
    expect(field(p, 'mstp.config_revision_level').value).toBe(7);
    expect(field(p, 'mstp.cist_bridge.hw').value).toBe('00:1c:0e:87:78:01');
    expect(field(p, 'mstp.cist_remaining_hops').value).toBe(20);
    expect([field(p, 'mstp.msti.msti_id').value, field(p, 'mstp.msti.msti_id').bits]).toEqual([1, { offset: 4, length: 12 }]);
    expect([field(p, 'mstp.msti.priority').value, field(p, 'mstp.msti.root.hw').value]).toEqual([8, '00:1c:0e:87:78:00']);
    expect([field(p, 'mstp.msti.bridge_priority').value, field(p, 'mstp.msti.port_priority').value, field(p, 'mstp.msti.remaining_hops').value]).toEqual([8, 9, 20]);
    // the MSTI flags reuse the stp.flags.* bits
    expect(values(p, 'stp.flags.proposal')).toEqual([false, true]);
    expect(layer(p, 'stp').summary).toBe('MST. TC + Root = 32768/0/00:1c:0e:87:78:00  Cost = 4  Port = 0x8004');
    checkInvariants(p);
  });

  it('a topology change notification is four bytes', () => {
    const p = dissect(TCN);
    expect(stack(p)).toBe('eth/llc/stp');
    expect(field(p, 'stp.type').value).toBe(0x80);
    expect(values(p, 'stp.flags')).toEqual([]);
    expect(layer(p, 'stp').summary).toBe('Topology Change Notification');
  });

  it('a BPDU longer than its 802.3 length allows is malformed', () => {
    const bad = CONF.slice(0, 30);
    bad[12] = 0;
    bad[13] = 0x10; // 802.3 length 16: 13 bytes of BPDU
    const p = dissect(bad);
    expect(layer(p, 'stp').issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(field(p, 'stp.type').value).toBe(0);
  });

  it('every prefix: no throw', () => {
    prefixSweep(CONF);
    prefixSweep(PVST);
    prefixSweep(MSTP);
  });
});
