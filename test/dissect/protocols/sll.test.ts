import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// pcapplusplus__sll.pcap #1: Linux cooked v1, broadcast RIP response over UDP.
const V1 = hex(`
  0001 0001 0006 30469a23fbfa 0000 0800                       # SLL v1
  4500005c00004000401125090a00008a0a0000ff                    # IPv4
  020802080048 6fdf                                            # UDP 520 -> 520
  02010000000200005266803c000000000000000000000001000200000000000000000000000000000000000100020000574449f5000000000000000000000001
`);

// pcapplusplus__Sll2PacketLLC.pcap #1: Linux cooked v2, 802.2 LLC carrying an RSTP BPDU.
const V2 = hex(`
  0004 0000 00000003 0001 02 06 e01cfcd3b1e1 0000             # SLL v2
  424203                                                       # LLC
  0000 02 02 3e 80004c5e0c3ec6dd 00004e38 8000e01cfcd3b1df 8002 0300 1400 0200 0f00 00
  2020202020202020
`);

describe('sll', () => {
  it('v1: packet type, address, Ethertype, with offsets, then IPv4', () => {
    const p = dissect(V1, 113);
    expect(stack(p)).toBe('sll/ip/udp/rip');
    const pt = field(p, 'sll.pkttype');
    expect([pt.value, pt.offset, pt.length]).toEqual([1, 0, 2]);
    expect([field(p, 'sll.hatype').value, field(p, 'sll.halen').value]).toEqual([1, 6]);
    const src = field(p, 'sll.src.eth');
    expect([src.value, src.offset, src.length]).toEqual(['30:46:9a:23:fb:fa', 6, 6]);
    expect([field(p, 'sll.unused').offset, field(p, 'sll.unused').length]).toEqual([12, 2]);
    const et = field(p, 'sll.etype');
    expect([et.value, et.offset, et.length]).toEqual([0x0800, 14, 2]);
    expect(layer(p, 'sll').headerLength).toBe(16);
    expect(layer(p, 'sll').summary).toBe('Broadcast, Src: 30:46:9a:23:fb:fa, Protocol: IPv4');
    checkInvariants(p);
  });

  it('v2 (LINKTYPE 276) is shown as sll with the v2 layout, and 0x0004 leads to LLC', () => {
    const p = dissect(V2, 276);
    expect(stack(p).startsWith('sll/llc')).toBe(true);
    const lt = field(p, 'sll.ltype');
    expect([lt.value, lt.offset, lt.length]).toEqual([4, 0, 2]);
    expect([field(p, 'sll.ifindex').value, field(p, 'sll.ifindex').offset]).toEqual([3, 4]);
    const pt = field(p, 'sll.pkttype');
    expect([pt.value, pt.offset, pt.length]).toEqual([2, 10, 1]);
    expect([field(p, 'sll.halen').value, field(p, 'sll.halen').offset]).toEqual([6, 11]);
    expect(field(p, 'sll.src.eth').value).toBe('e0:1c:fc:d3:b1:e1');
    expect(layer(p, 'sll').headerLength).toBe(20);
    expect(layer(p, 'sll').name).toBe('SLL2');
    expect(field(p, 'llc.dsap').value).toBe(0x42);
  });

  it('a cut header is truncated and keeps what was read', () => {
    const p = dissect(V1.subarray(0, 10), 113, {}, V1.length);
    expect(stack(p)).toBe('sll');
    expect(layer(p, 'sll').issues[0]!.kind).toBe('truncated');
    expect(field(p, 'sll.halen').value).toBe(6);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(V1, 113);
    prefixSweep(V2, 276);
  });
});
