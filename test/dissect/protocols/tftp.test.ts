import { describe, expect, it } from 'vitest';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import { checkInvariants, dissect, field, frameOf, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// pcapplusplus__solaris.snoop #48: a read request from 129.111.3.120:2001 to port 69 (TFTP at 42).
const RRQ = hex(
  'ffffffffffff0800870a3c4508004500003000a20000401173c5816f0378816fffff07d10045001c00000001783061336334352e70726d00' +
    '6f6374657400',
);

/** A datagram from 129.111.3.200:3000 to the requester's port 2001 carrying `payload`. */
function answer(payload: string): Uint8Array {
  const body = hex(payload);
  const b = new Uint8Array(42 + body.length);
  b.set(hex('0800870a3c45ffffffffffff0800'), 0);
  b.set(hex('4500 0000 00a3 0000 4011 0000 816f03c8 816f0378'), 14);
  b[17] = 28 + body.length;
  b.set(hex('0bb8 07d1 0000 0000'), 34);
  b[39] = 8 + body.length;
  b.set(body, 42);
  return b;
}

describe('tftp', () => {
  it('a read request: file name and transfer type', () => {
    const p = dissect(RRQ);
    expect(stack(p)).toBe('eth/ip/udp/tftp');
    expect(field(p, 'tftp.opcode').display).toBe('Opcode: Read Request (1)');
    const file = field(p, 'tftp.source_file');
    expect([file.value, file.offset, file.length]).toEqual(['x0a3c45.prm', 44, 12]);
    expect([field(p, 'tftp.type').value, field(p, 'tftp.type').offset, field(p, 'tftp.type').length]).toEqual(['octet', 56, 6]);
    expect(layer(p, 'tftp').summary).toBe('Read Request, File: x0a3c45.prm, Transfer type: octet');
    checkInvariants(p);
  });

  it('the transfer answering from another port is TFTP once the request was seen', () => {
    const d = new Dissector(defaultRegistry(), { strict: true });
    d.dissect(frameOf(RRQ, 1, RRQ.length, 1));
    const data = d.dissect(frameOf(answer('00030001 68656c6c6f'), 1, 47, 2));
    expect(stack(data)).toBe('eth/ip/udp/tftp');
    expect(layer(data, 'tftp').summary).toBe('Data Packet, Block: 1 (last)');
    expect([field(data, 'tftp.data').offset, field(data, 'tftp.data').length]).toEqual([46, 5]);
    const err = d.dissect(frameOf(answer('00050001 46696c65206e6f7420666f756e6400'), 1, 61, 3));
    expect(layer(err, 'tftp').summary).toBe('Error Code, Code: File not found, Message: File not found');
    // The same bytes between hosts that never made a request stay data.
    expect(stack(dissect(answer('00040001')))).toBe('eth/ip/udp/data');
  });

  it('a file name running past the end of the datagram is malformed', () => {
    const bad = RRQ.slice(0, 50);
    bad[17] = 36; // IPv4 total length
    bad[39] = 16; // UDP length
    const p = dissect(bad);
    expect(layer(p, 'tftp').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('every prefix: no throw', () => {
    prefixSweep(RRQ);
  });
});
