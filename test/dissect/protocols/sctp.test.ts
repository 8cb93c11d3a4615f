import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// nDPI sctp.cap #2: one SACK chunk.
const PACKET = hex(`
  0800034a003500a080005e460800
  4500003009d94000ff8450e20a1c062c0a1c062b
  0b80 4000 21441523 2bf2024e
  03 00 0010 28024345 00002000 0000 0000
`);

describe('sctp', () => {
  it('reads the common header and a SACK chunk', () => {
    const p = dissect(PACKET);
    expect(stack(p)).toBe('eth/ip/sctp');
    expect([field(p, 'sctp.srcport').value, field(p, 'sctp.dstport').value, field(p, 'sctp.dstport').offset]).toEqual([2944, 16384, 36]);
    expect([field(p, 'sctp.verification_tag').value, field(p, 'sctp.verification_tag').offset]).toEqual([0x21441523, 38]);
    expect([field(p, 'sctp.chunk_type').value, field(p, 'sctp.chunk_type').offset]).toEqual([3, 46]);
    expect(field(p, 'sctp.chunk_length').value).toBe(16);
    expect([field(p, 'sctp.sack_cumulative_tsn_ack_raw').value, field(p, 'sctp.sack_a_rwnd').value]).toEqual([0x28024345, 8192]);
    expect(layer(p, 'sctp').summary).toBe('SACK');
    checkInvariants(p);
  });

  it('a DATA chunk starting a message hands its payload on; a chunk length below 4 is malformed', () => {
    const data = hex(`
      000000000001 000000000002 0800
      4500003400000000408400000a0000010a000002
      1000 2000 00000001 00000000
      00 03 0013 00000007 0001 0000 00000000 616263 00
    `);
    const p = dissect(data);
    expect(stack(p)).toBe('eth/ip/sctp/data/padding');
    expect(layer(p, 'data').length).toBe(3);
    expect(field(p, 'sctp.data_b_bit').value).toBe(true);
    const bad = PACKET.slice();
    bad[49] = 2;
    expect(layer(dissect(bad), 'sctp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'sctp.chunk_length']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(PACKET);
  });
});
