import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// PcapPlusPlus MplsPackets.pcap #1 (cut after the TCP header): two VLAN tags, one MPLS label, IPv4.
const PACKET = hex(`
  28c2ceba97e8508189f9d57b 8100 00d7 8100 000b 8847
  03e8017e
  4500014f7ac500007e06a0bf020304060c0d0e0f
  509c0050469662087fffffff501803fba1c80000
`);

describe('mpls', () => {
  it('reads the label stack and guesses IPv4 from the first nibble', () => {
    const p = dissect(PACKET, 1, {}, 14 + 8 + 4 + 0x14f);
    expect(stack(p)).toBe('eth/vlan/vlan/mpls/ip/tcp/http');
    const label = field(p, 'mpls.label');
    expect([label.value, label.offset, label.length, label.bits]).toEqual([16000, 22, 4, { offset: 0, length: 20 }]);
    expect(field(p, 'mpls.exp').value).toBe(0);
    expect(field(p, 'mpls.bottom').value).toBe(1);
    expect([field(p, 'mpls.ttl').value, field(p, 'mpls.ttl').bits]).toEqual([126, { offset: 24, length: 8 }]);
    expect(layer(p, 'mpls').summary).toBe('Label: 16000, Exp: 0, S: 1, TTL: 126');
    checkInvariants(p);
  });

  it('an Ethernet pseudowire with a control word after the stack', () => {
    const pw = hex(`
      000000000001 000000000002 8847
      00012040 00016140
      00000000
      aabbccddeeff 001122334455 0800
      4500001400000000400100000a0000010a000002
    `);
    const p = dissect(pw);
    expect(stack(p)).toBe('eth/mpls/pwethheuristic/pwethcw/eth/ip');
    expect(p.layers.filter((l) => l.protocol === 'mpls')).toHaveLength(1);
    expect(layer(p, 'mpls').fields.filter((f) => f.key === 'mpls.label').map((f) => f.value)).toEqual([18, 22]);
  });

  it('a stack cut before the bottom label is truncated', () => {
    const cut = dissect(PACKET.subarray(0, 24), 1, {}, PACKET.length);
    expect(layer(cut, 'mpls').issues[0]!.kind).toBe('truncated');
    prefixSweep(PACKET);
  });
});
