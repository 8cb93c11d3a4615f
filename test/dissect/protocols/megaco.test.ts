import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';
import { udpPacket } from '../../helpers/misc-packets.js';

// ndpi__sctp.cap #1: SCTP DATA chunk, PPID 7 (H.248), a text MEGACO Reply (payload at 62)
const REPLY = hex(`
  00a080005e460800034a003508004500007c141c00003b844a540a1c062b0a1c062c40000b8000016f0a6db018820003
  005b280243450000a0bd000000074d454741434f2f32203c6d672d74723e3a31363338340a5265706c79203d20313734
  3039317b0a436f6e74657874203d203235357b0a4d6f64696679203d204d55582f3235350a7d0a7d0a67
`);

const udp = (text: string): Uint8Array => udpPacket(2944, 2944, text);

describe('megaco', () => {
  it('reads the header, the transaction, the context and the command', () => {
    const p = dissect(REPLY);
    expect(stack(p)).toBe('eth/ip/sctp/megaco/padding');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('megaco.start_token')).toEqual(['MEGACO', 62, 6]);
    expect(f('megaco.version')).toEqual(['2', 69, 1]);
    expect(f('megaco.mId')).toEqual(['<mg-tr>:16384', 71, 13]);
    expect(f('megaco.transaction')).toEqual(['Reply', 85, 5]);
    expect(f('megaco.transid')).toEqual([174091, 93, 6]);
    expect(f('megaco.context')).toEqual([255, 111, 3]);
    expect(f('megaco.command')).toEqual(['Modify', 116, 6]);
    expect(f('megaco.termid')).toEqual(['MUX/255', 125, 7]);
    expect(layer(p, 'megaco').summary).toBe('174091 Reply   |=255 Modify=MUX/255');
    checkInvariants(p);
  });

  it('short forms and special contexts', () => {
    const text = '!/1 [10.0.0.1]:2944\nT=7{C=${A=ROOT,MF=rtp/1{}}}';
    const p = dissect(udp(text));
    expect(stack(p)).toBe('eth/ip/udp/megaco');
    expect(values(p, 'megaco.start_token')).toEqual(['!']);
    expect(values(p, 'megaco.transaction')).toEqual(['Request']);
    expect(values(p, 'megaco.context')).toEqual([0xfffffffe]);
    expect(values(p, 'megaco.command')).toEqual(['Add', 'Modify']);
    expect(values(p, 'megaco.termid')).toEqual(['ROOT', 'rtp/1']);
  });

  it('a message with no mId after the version is malformed', () => {
    const text = 'MEGACO/1   ';
    const p = dissect(udp(text));
    expect(layer(p, 'megaco').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'megaco.mId']]);
  });

  it('every prefix', () => {
    prefixSweep(REPLY);
    prefixSweep(udp('MEGACO/1 [10.0.0.1]:2944\nTransaction=7{Context=-{Notify=ROOT}}'));
  });
});
