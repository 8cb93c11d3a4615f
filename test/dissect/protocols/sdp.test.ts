import { describe, expect, it } from 'vitest';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import { checkInvariants, dissect, field, frameOf, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

/** Ethernet + IPv4 + UDP 5060 (checksum 0) around a SIP message. */
function sipPacket(message: string): Uint8Array {
  const body = new TextEncoder().encode(message);
  const out = new Uint8Array(42 + body.length);
  out.set(hex('000000000002000000000001 0800'), 0);
  out.set(hex(`4500 ${(28 + body.length).toString(16).padStart(4, '0')} 0000 4000 4011 0000 0a000001 0a000002`), 14);
  out.set(hex(`13c4 13c4 ${(8 + body.length).toString(16).padStart(4, '0')} 0000`), 34);
  out.set(body, 42);
  return out;
}

// Checked with tshark 4.0 (every line type; RTP payload type names; rtpmap and fmtp parts).
const SDP = [
  'v=0', 'o=user 123 456 IN IP6 ::1', 's=Talk', 'i=info', 'c=IN IP4 224.2.1.1/127/3', 'b=AS:64', 't=2873397496 2873404696',
  'a=recvonly', 'a=tool:x', 'm=audio 49170/2 RTP/AVP 0 8 18 96 128', 'i=title', 'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 maxplaybackrate=48000', 'a=ptime:20', 'm=image 5202 udptl t38', 'x=unknown', 'bad line', '',
].join('\r\n');
const INVITE = sipPacket(
  `INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: abc@h\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`,
);
const SDP_AT = INVITE.length - SDP.length;

describe('sdp', () => {
  it('each line as its field, split into parts, inside the SIP message body', () => {
    const p = dissect(INVITE);
    expect(stack(p)).toBe('eth/ip/udp/sip');
    const l = layer(p, 'sip');
    expect([l.name, l.summary]).toEqual(['SIP/SDP', 'Request: INVITE sip:bob@example.com | ']);
    const item = field(p, 'sdp');
    expect([item.offset, item.length, item.display]).toEqual([SDP_AT, SDP.length, 'Session Description Protocol']);
    const v = field(p, 'sdp.version');
    expect([v.value, v.offset, v.length]).toEqual(['0', SDP_AT, 3]);
    expect([field(p, 'sdp.owner.username').value, field(p, 'sdp.owner.address_type').value, field(p, 'sdp.owner.address').value]).toEqual(['user', 'IP6', '::1']);
    expect([field(p, 'sdp.connection_info.address').value, field(p, 'sdp.connection_info.ttl').value, field(p, 'sdp.connection_info.num_addr').value]).toEqual(['224.2.1.1', '127', '3']);
    expect([field(p, 'sdp.bandwidth.modifier').value, field(p, 'sdp.time.stop').value]).toEqual(['AS', '2873404696']);
    // "i" and "a" lines change meaning once a media section starts
    expect([field(p, 'sdp.session_info').value, field(p, 'sdp.media_title').value]).toEqual(['info', 'title']);
    expect(values(p, 'sdp.session_attr')).toEqual(['recvonly', 'tool:x']);
    expect([field(p, 'sdp.session_attr.field').value, field(p, 'sdp.session_attr.value').value]).toEqual(['tool', 'x']);
    expect(values(p, 'sdp.media.media')).toEqual(['audio', 'image']);
    expect([field(p, 'sdp.media.port').value, field(p, 'sdp.media.portcount').value]).toEqual([49170, '2']);
    expect(values(p, 'sdp.media.format')).toEqual(['ITU-T G.711 PCMU', 'ITU-T G.711 PCMA', 'ITU-T G.729', 'DynamicRTP-Type-96', '128', '96', '96', 't38']);
    expect([field(p, 'sdp.mime.type').value, field(p, 'sdp.sample_rate').value, field(p, 'sdp.fmtp.parameter').value]).toEqual(['opus', '48000', 'maxplaybackrate=48000']);
    expect(values(p, 'sdp.media_attribute.value')).toEqual(['20']);
    expect([field(p, 'sdp.unknown').value, field(p, 'sdp.invalid').value]).toEqual(['x=unknown', 'bad line']);
    expect(l.issues.map((i) => i.fieldKey)).toEqual(['sdp.invalid']);
    expect(values(p, 'sip.call_id_generated')).toEqual(['abc@h', 'abc@h']);
    checkInvariants(p);
  });

  it('only the bytes the SIP Content-Length gives are SDP lines', () => {
    const short = sipPacket(`INVITE sip:bob@example.com SIP/2.0\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n`);
    const p = dissect(short);
    expect(values(p, 'sdp.version')).toEqual(['0']);
    expect(values(p, 'sdp.owner')).toEqual([]);
    checkInvariants(p);
  });

  it('decoded as SDP on its own (--decode-as): the lines from the start of the payload', () => {
    const raw = sipPacket('v=0\r\ns=x\r\n');
    raw.set([0x27, 0x0f, 0x27, 0x0f], 34); // ports 9999
    const registry = defaultRegistry().with({ 'udp.port': { 9999: 'sdp' } });
    const p = new Dissector(registry, { strict: true }).dissect(frameOf(raw));
    expect(stack(p)).toBe('eth/ip/udp/sdp');
    expect([field(p, 'sdp.version').value, field(p, 'sdp.session_name').value]).toEqual(['0', 'x']);
    checkInvariants(p);
  });

  it('every prefix: no throw', () => {
    prefixSweep(INVITE);
  });
});
