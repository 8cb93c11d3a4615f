import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// scapy__ecu_trace.pcap.gz #1: CAN frame 0x710 with 8 data bytes in a Linux cooked capture (CAN at 16, id little-endian)
const FRAME = hex(`
  0001011800000000000000000000000c10070000080000000210035555555555
`);

describe('can', () => {
  it('reads the SocketCAN header; the data bytes are data', () => {
    const p = dissect(FRAME, 113);
    expect(stack(p)).toBe('sll/can/data');
    expect([field(p, 'can.id').value, field(p, 'can.id').offset]).toEqual([0x710, 16]);
    expect(field(p, 'can.flags.xtd').value).toBe(false);
    expect([field(p, 'can.len').value, field(p, 'can.len').offset]).toEqual([8, 20]);
    expect(layer(p, 'data').offset).toBe(24);
    expect(layer(p, 'can').summary).toBe('ID: 1808 (0x710), Length: 8');
    checkInvariants(p);
  });

  it('LINKTYPE_CAN_SOCKETCAN is big-endian; an extended id keeps 29 bits', () => {
    const be = new Uint8Array([0x80, 0x12, 0x34, 0x56, 0x01, 0, 0, 0, 0xaa]);
    const p = dissect(be, 227);
    expect(stack(p)).toBe('can/data');
    expect(field(p, 'can.id').value).toBe(0x123456);
    expect(field(p, 'can.flags.xtd').value).toBe(true);
    expect(layer(p, 'can').summary).toBe('ID: 1193046 (0x00123456), Length: 1');
  });

  it('every prefix', () => prefixSweep(FRAME, 113));
});
