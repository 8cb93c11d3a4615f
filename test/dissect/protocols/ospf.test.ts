import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, values } from '../../helpers/dissect.js';

// tcpdump OSPFv2_Capture_FINAL.pcapng #1: OSPFv2 Hello, cryptographic authentication, two neighbours;
// the 16-byte auth digest and an LLS data block follow the 52 bytes of the packet length.
const PACKET = hex(`
  01005e0000050025456017c10800
  45c0007cbf1d00000159df98 c0a87905 e0000005
  02 01 0034 c0a8ff0f 00000000 0000 0002 000001105a834112
  ffffff00 000a 12 01 00000028 c0a87904 c0a87905 c0a8ff0b c0a8ff0e
  91b01c6bd6c7093c11861e76334ba858
  000000090001000400000001000200145a83411262a849db4649604c9fda6c0a9fdf2586
  022a42ea
`);

// PcapPlusPlus ipv6_options.pcap #1 (tail): the OSPFv3 Hello after the AH header, checked separately.
const V3 = hex(`
  333300000005c20168b3000186dd
  6e00000000680001 fe800000000000000000000000000002 ff020000000000000000000000000005
  3c00050200000100
  2b000b0109010100
  330200010000000022000000000002100002000000000004
  590400000000010000000020 35482148b2435a23dcdd5536
  03 01 0028 02020202 00000001 f173 00 00
  00000005 01 000013 000a 0028 02020202 01010101 01010101
`);

describe('ospf', () => {
  it('OSPFv2 Hello: header, auth type and Hello body at their offsets', () => {
    const p = dissect(PACKET);
    expect(p.layers.slice(0, 3).map((l) => l.protocol)).toEqual(['eth', 'ip', 'ospf']);
    const o = layer(p, 'ospf');
    expect(o.offset).toBe(34);
    expect(o.summary).toBe('Hello Packet');
    expect([field(p, 'ospf.version').value, field(p, 'ospf.version').offset]).toEqual([2, 34]);
    expect([field(p, 'ospf.msg').value, field(p, 'ospf.msg').offset]).toEqual([1, 35]);
    expect([field(p, 'ospf.packet_length').value, field(p, 'ospf.packet_length').offset, field(p, 'ospf.packet_length').length]).toEqual([52, 36, 2]);
    expect([field(p, 'ospf.srcrouter').value, field(p, 'ospf.srcrouter').offset, field(p, 'ospf.srcrouter').length]).toEqual(['192.168.255.15', 38, 4]);
    expect([field(p, 'ospf.area_id').value, field(p, 'ospf.area_id').offset]).toEqual(['0.0.0.0', 42]);
    expect([field(p, 'ospf.checksum').value, field(p, 'ospf.checksum').offset]).toEqual([0, 46]);
    expect([field(p, 'ospf.auth.type').value, field(p, 'ospf.auth.type').offset]).toEqual([2, 48]);
    expect([field(p, 'ospf.hello.network_mask').value, field(p, 'ospf.hello.network_mask').offset]).toEqual(['255.255.255.0', 58]);
    expect([field(p, 'ospf.hello.hello_interval').value, field(p, 'ospf.hello.hello_interval').offset, field(p, 'ospf.hello.hello_interval').length]).toEqual([10, 62, 2]);
    expect([field(p, 'ospf.hello.router_priority').value, field(p, 'ospf.hello.router_priority').offset]).toEqual([1, 65]);
    expect([field(p, 'ospf.hello.router_dead_interval').value, field(p, 'ospf.hello.router_dead_interval').offset, field(p, 'ospf.hello.router_dead_interval').length]).toEqual([40, 66, 4]);
    expect(field(p, 'ospf.hello.designated_router').value).toBe('192.168.121.4');
    expect([field(p, 'ospf.hello.backup_designated_router').value, field(p, 'ospf.hello.backup_designated_router').offset]).toEqual(['192.168.121.5', 74]);
    expect(values(p, 'ospf.hello.active_neighbor')).toEqual(['192.168.255.11', '192.168.255.14']);
    expect(field(p, 'ospf.hello.active_neighbor', 1).offset).toBe(82);
    checkInvariants(p);
  });

  it('OSPFv3 Hello: instance ID, interface ID and 16-bit intervals', () => {
    const p = dissect(V3);
    const o = layer(p, 'ospf');
    expect([o.offset, o.summary]).toEqual([118, 'Hello Packet']);
    expect(field(p, 'ospf.version').value).toBe(3);
    expect([field(p, 'ospf.area_id').value, field(p, 'ospf.area_id').offset]).toEqual(['0.0.0.1', 126]);
    expect([field(p, 'ospf.instance_id').value, field(p, 'ospf.instance_id').offset]).toEqual([0, 132]);
    expect([field(p, 'ospf.hello.interface_id').value, field(p, 'ospf.hello.interface_id').offset]).toEqual([5, 134]);
    expect([field(p, 'ospf.hello.router_priority').value, field(p, 'ospf.hello.router_priority').offset]).toEqual([1, 138]);
    expect([field(p, 'ospf.hello.hello_interval').value, field(p, 'ospf.hello.hello_interval').offset]).toEqual([10, 142]);
    expect([field(p, 'ospf.hello.router_dead_interval').value, field(p, 'ospf.hello.router_dead_interval').offset, field(p, 'ospf.hello.router_dead_interval').length]).toEqual([40, 144, 2]);
    expect(values(p, 'ospf.hello.active_neighbor')).toEqual(['1.1.1.1']);
    expect(() => field(p, 'ospf.auth.type')).toThrow();
    checkInvariants(p);
  });

  it('a packet length shorter than the header is malformed', () => {
    const bad = PACKET.slice();
    bad[37] = 0x10; // 16 < 24
    const p = dissect(bad);
    expect(layer(p, 'ospf').issues.map((i) => [i.kind, i.fieldKey, i.offset])).toEqual([['malformed', 'ospf.packet_length', 36]]);
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    prefixSweep(V3);
    const cut = dissect(PACKET.subarray(0, 72), 1, {}, PACKET.length);
    expect(layer(cut, 'ospf').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'ospf.hello.designated_router']]);
    expect(field(cut, 'ospf.hello.router_dead_interval').value).toBe(40);
  });
});
