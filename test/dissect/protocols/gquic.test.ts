import { describe, expect, it } from 'vitest';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import { checkInvariants, dissect, field, frameOf, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';
import { udpPacket } from '../../helpers/misc-packets.js';

// A Q025 Client Hello from 10.0.0.1:50000 to port 443: flags 0x0d, CID 0x1122334455667788
// (little-endian before Q039), PKN 1, hash, private flags, a STREAM frame with a CHLO naming
// SNI example.com and VER Q025, then PADDING (tshark: "Client Hello, PKN: 1, CID: 1234605616436508552").
const CHLO = hex(`
  02000000000202000000000108004500006b00010000401100000a0000010a000002c35001bb005700000d8877665544
  3322115130323501000102030405060708090a0b01a001270043484c4f02000000534e49000b000000564552000f0000
  006578616d706c652e636f6d51303235000000000000000000
`);
// The server's answer: no version, no CID, PKN 1, encrypted (only the conversation says gQUIC).
const ANSWER = hex(`
  02000000000202000000000108004500004600010000401100000a0000020a00000101bbc35000320000000100010203
  0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627
`);

describe('gquic', () => {
  it('the heuristic takes a Q0xx Client Hello: public header, hash, private flags, the tag-value message', () => {
    const p = dissect(CHLO);
    expect(stack(p)).toBe('eth/ip/udp/gquic');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('gquic.puflags')).toEqual([0x0d, 42, 1]);
    expect(field(p, 'gquic.puflags.cid.old').value).toBe(3);
    expect(f('gquic.cid')).toEqual([1234605616436508552n, 43, 8]);
    expect(f('gquic.version')).toEqual(['Q025', 51, 4]);
    expect(f('gquic.packet_number')).toEqual([1n, 55, 1]);
    expect(f('gquic.message_authentication_hash')).toEqual([hex('000102030405060708090a0b'), 56, 12]);
    expect(field(p, 'gquic.prflags.entropy').value).toBe(true);
    expect(f('gquic.stream_id')).toEqual([1n, 70, 1]);
    expect(f('gquic.data_len')).toEqual([39n, 71, 2]);
    expect(f('gquic.tag')).toEqual(['CHLO', 73, 4]);
    expect(f('gquic.tag_number')).toEqual([2, 77, 2]);
    expect(values(p, 'gquic.tag_type')).toEqual(['SNI', 'VER']);
    expect(f('gquic.tag.sni')).toEqual(['example.com', 97, 11]);
    expect(f('gquic.tag.version')).toEqual(['Q025', 108, 4]);
    expect(field(p, 'gquic.frame_type.padding.length').value).toBe(8);
    expect(layer(p, 'gquic').summary).toBe('Client Hello, PKN: 1, CID: 1234605616436508552');
    checkInvariants(p);
  });

  it('later packets of the conversation are gQUIC without version or CID; IETF QUIC is not taken', () => {
    const d = new Dissector(defaultRegistry(), { strict: true });
    d.dissect(frameOf(CHLO));
    const p = d.dissect(frameOf(ANSWER, 1, ANSWER.length, 2));
    expect(stack(p)).toBe('eth/ip/udp/gquic');
    expect(field(p, 'gquic.packet_number').value).toBe(1n);
    expect(field(p, 'gquic.payload').length).toBe(40);
    expect(layer(p, 'gquic').summary).toBe('Payload (Encrypted), PKN: 1');
    // Alone, the answer is nothing the heuristic knows.
    expect(stack(dissect(ANSWER))).toBe('eth/ip/udp/data');
    // An IETF QUIC v1 Initial header is not gQUIC.
    expect(stack(dissect(udpPacket(50000, 443, hex('c00000000108' + '00'.repeat(8) + '00' + '00'.repeat(20)))))).not.toContain('gquic');
  });

  it('a tag value past the message is cut and flagged; an index running past the packet is malformed', () => {
    const bad = CHLO.slice();
    bad[93] = 0x40; // VER ends at 64, past the message
    const p = dissect(bad);
    expect(layer(p, 'gquic').issues.map((i) => [i.kind, i.fieldKey])).toContainEqual(['expert', 'gquic.tag_offset_length']);
    const long = CHLO.slice();
    long[77] = 0x40; // 64 tags: the index runs past the datagram
    expect(layer(dissect(long), 'gquic').issues.map((i) => i.kind)).toContain('malformed');
  });

  it('every prefix', () => prefixSweep(CHLO));
});
