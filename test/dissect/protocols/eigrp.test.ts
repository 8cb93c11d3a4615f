import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// arkime mpls-basic.pcap #3: EIGRP Hello to 224.0.0.10, AS 41, with Parameters and Software Version TLVs.
const PACKET = hex(`
  01005e00000a003096e6fc390800
  45c0003c000000000258cb9d 0a010202 e000000a
  02 05 eea7 00000000 00000000 00000000 0000 0029
  0001000c010001000000000f 000400080c010101
`);

describe('eigrp', () => {
  it('reads the fixed header; the TLVs stay part of EIGRP', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/eigrp');
    const l = layer(p, 'eigrp');
    expect([l.offset, l.headerLength]).toEqual([34, 40]);
    expect(l.summary).toBe('Hello');
    expect([field(p, 'eigrp.version').value, field(p, 'eigrp.version').offset]).toEqual([2, 34]);
    expect([field(p, 'eigrp.opcode').value, field(p, 'eigrp.opcode').offset]).toEqual([5, 35]);
    expect([field(p, 'eigrp.checksum').value, field(p, 'eigrp.checksum').offset, field(p, 'eigrp.checksum').length]).toEqual([0xeea7, 36, 2]);
    expect([field(p, 'eigrp.flags').value, field(p, 'eigrp.flags').offset, field(p, 'eigrp.flags').length]).toEqual([0, 38, 4]);
    expect([field(p, 'eigrp.flags.init').value, field(p, 'eigrp.flags.init').bits]).toEqual([false, { offset: 31, length: 1 }]);
    expect(field(p, 'eigrp.flags.eot').bits).toEqual({ offset: 28, length: 1 });
    expect([field(p, 'eigrp.seq').value, field(p, 'eigrp.seq').offset]).toEqual([0, 42]);
    expect([field(p, 'eigrp.ack').value, field(p, 'eigrp.ack').offset]).toEqual([0, 46]);
    expect([field(p, 'eigrp.vrid').value, field(p, 'eigrp.vrid').offset]).toEqual([0, 50]);
    expect([field(p, 'eigrp.as').value, field(p, 'eigrp.as').offset, field(p, 'eigrp.as').length]).toEqual([41, 52, 2]);
    checkInvariants(p);
  });

  it('a Hello with a non-zero acknowledgment is a Hello (Ack); flags are read', () => {
    const ack = PACKET.slice();
    ack[49] = 7;
    ack[41] = 0x09; // Init + End Of Table
    const p = dissect(ack);
    expect(layer(p, 'eigrp').summary).toBe('Hello (Ack)');
    expect(field(p, 'eigrp.ack').value).toBe(7);
    expect([field(p, 'eigrp.flags.init').value, field(p, 'eigrp.flags.eot').value, field(p, 'eigrp.flags.restart').value]).toEqual([true, true, false]);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(PACKET);
    const cut = dissect(PACKET.subarray(0, 48), 1, {}, PACKET.length);
    expect(layer(cut, 'eigrp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['truncated', 'eigrp.ack']]);
    expect(field(cut, 'eigrp.opcode').value).toBe(5);
  });
});
