import { describe, expect, it } from 'vitest';
import { hierarchyPath } from '../../../src/analyze/protocol-hierarchy.js';
import type { DissectedPacket } from '../../../src/dissect/tree.js';
import { checkInvariants, dissect, field, prefixSweep, stack, values } from '../../helpers/dissect.js';

/** Ethernet + IPv4 + TCP 15000 → 16000 (20-byte header) carrying `payload`; TCP payload at 54. */
function tcpPacket(payload: number[]): Uint8Array {
  const tcp = [0x3a, 0x98, 0x3e, 0x80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0x20, 0, 0, 0, 0, 0, ...payload];
  const len = 20 + tcp.length;
  const ip = [0x45, 0, len >> 8, len & 0xff, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  return new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0x08, 0x00, ...ip, ...tcp]);
}

const phs = (p: DissectedPacket): string => {
  const names: string[] = [];
  hierarchyPath(p, (n) => names.push(n));
  return names.join('/');
};

// Signature, length 4, version 3, three NULL type codes (tshark: Etch Struct 808080).
const MESSAGE = tcpPacket([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 4, 3, 0x80, 0x80, 0x80]);

describe('etch', () => {
  it('reads signature, length, version and the message body, found by the TCP heuristic', () => {
    const p = dissect(MESSAGE);
    expect(stack(p)).toBe('eth/ip/tcp/etch');
    const sig = field(p, 'etch.signature');
    expect([sig.value, sig.offset, sig.length]).toEqual([0xdeadbeef, 54, 4]);
    const len = field(p, 'etch.msglength');
    expect([len.value, len.offset, len.length]).toEqual([4, 58, 4]);
    expect(field(p, 'etch.version').value).toBe(3);
    const body = field(p, 'etch.struct');
    expect([body.offset, body.length]).toEqual([63, 3]);
    expect(p.layers.at(-1)!.summary).toBe('');
    checkInvariants(p);
  });

  it('a segment holding only the signature is read past before any item (tshark: tcp/_ws.unreassembled)', () => {
    const p = dissect(tcpPacket([0xde, 0xad, 0xbe, 0xef]));
    expect(phs(p)).toBe('eth/ip/tcp/_ws.unreassembled');
    expect(values(p, 'etch.signature')).toEqual([]);
  });

  it('a length past the segment shows what is there (the rest is in later segments)', () => {
    const p = dissect(tcpPacket([0xde, 0xad, 0xbe, 0xef, 0, 0, 1, 0, 0, 0, 0]));
    expect(phs(p)).toBe('eth/ip/tcp/etch');
    expect(field(p, 'etch.struct').length).toBe(2);
  });

  it('every prefix: no throw', () => {
    prefixSweep(MESSAGE);
  });
});
