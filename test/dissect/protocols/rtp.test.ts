import { describe, expect, it } from 'vitest';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { ipv4Text, ipv6Text, readMediaDescriptions } from '../../../src/dissect/protocols/media-sessions.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../../src/dissect/tree.js';
import { checkInvariants, field, frameOf, hex, layer, stack, values } from '../../helpers/dissect.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';

const ip4 = (s: string): number[] => s.split('.').map(Number);

/** Ethernet, IPv4 and UDP (checksums 0) from `src:sport` to `dst:dport` around `payload`. */
function udp(src: string, sport: number, dst: string, dport: number, payload: Uint8Array | string): Uint8Array {
  const p = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const total = 28 + p.length;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, ...ip4(src), ...ip4(dst)];
  const u = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, (8 + p.length) >> 8, (8 + p.length) & 0xff, 0, 0];
  return Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, ...ip, ...u, ...p]);
}

/** A SIP message with an optional SDP body. */
function sip(first: string, callId: string, cseq: string, body = ''): string {
  let h = `${first}\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\n`;
  if (body !== '') h += 'Content-Type: application/sdp\r\n';
  return `${h}Content-Length: ${body.length}\r\n\r\n${body}`;
}

/** An SDP announcing `addr:port` for audio with AMR, telephone-event and RED mappings. */
function sdp(addr: string, port: number, extra: readonly string[] = []): string {
  return [
    'v=0',
    `o=- 1 1 IN IP4 ${addr}`,
    's=-',
    `c=IN IP4 ${addr}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 96 101 98`,
    'a=rtpmap:96 AMR/8000',
    'a=fmtp:96 octet-align=1',
    'a=rtpmap:101 telephone-event/8000',
    'a=rtpmap:98 red/8000',
    ...extra,
    '',
  ].join('\r\n');
}

/** An RTP packet (version 2, no padding, extension or CSRC). */
function rtpBytes(pt: number, seq: number, ssrc: number, payload: readonly number[], marker = false): Uint8Array {
  const ts = seq * 160;
  return Uint8Array.from([
    0x80,
    (marker ? 0x80 : 0) | pt,
    seq >> 8,
    seq & 0xff,
    (ts >>> 24) & 0xff,
    (ts >>> 16) & 0xff,
    (ts >>> 8) & 0xff,
    ts & 0xff,
    (ssrc >>> 24) & 0xff,
    (ssrc >>> 16) & 0xff,
    (ssrc >>> 8) & 0xff,
    ssrc & 0xff,
    ...payload,
  ]);
}

const AMR_OA = [0xf0, 0x3c, ...new Array<number>(31).fill(0)];

/** A dissector that keeps state across frames, numbering them from 1. */
function session(): (data: Uint8Array, origLen?: number) => DissectedPacket {
  const d = new Dissector(defaultRegistry(), { strict: true });
  let n = 0;
  return (data, origLen = data.length) => {
    const p = d.dissect(frameOf(data, 1, origLen, ++n));
    checkInvariants(p);
    return p;
  };
}

/** An offer from A:4000 and an answer from B:5000 (frames 1 and 2). */
function call(): (data: Uint8Array, origLen?: number) => DissectedPacket {
  const next = session();
  next(udp(A, 5060, B, 5060, sip('INVITE sip:b@y SIP/2.0', 'c1', '1 INVITE', sdp(A, 4000))));
  next(udp(B, 5060, A, 5060, sip('SIP/2.0 200 OK', 'c1', '1 INVITE', sdp(B, 5000))));
  return next;
}

describe('SDP media descriptions', () => {
  const read = (text: string) => readMediaDescriptions(Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1'), 0, text.length + 40);

  it('session and media connection addresses, ports, protocols, mappings, rtcp ports', () => {
    const m = read(
      'v=0\nc=IN IP4 10.0.0.1\nm=audio 4000/2 RTP/AVP 0 96\na=rtpmap:96 AMR/8000\na=fmtp:96 octet-align=1; mode-set=7\na=rtcp:7000\n' +
        'm=video 4100 RTP/SAVP 31\nc=IN IP4 10.0.0.9/127\na=rtcp:7100 IN IP4 10.0.0.9\nm=audio 4200 rtp/avp 0\nc=IN IP4 010.0.0.1\n',
    );
    expect(m.map((d) => [d.address, d.port, d.control, d.proto])).toEqual([
      ['10.0.0.1', 4000, 7000, 'rtp'],
      ['10.0.0.9', 4100, 0, 'srtp'],
      // Protocol names are case-sensitive; an invalid media-level address clears the session's.
      [undefined, 4200, 0, 'other'],
    ]);
    const amr = m[0]!.payloads.get(96)!;
    expect([amr.name, amr.rate, [...amr.fmtp]]).toEqual(['AMR', 8000, [['octet-align', '1'], ['mode-set', '7']]]);
  });

  it('at most four media descriptions; an empty line ends the description; bad ports are 0', () => {
    expect(read('c=IN IP4 10.0.0.1\n' + [1, 2, 3, 4, 5].map((i) => `m=audio ${4000 + i} RTP/AVP 0\n`).join('')).length).toBe(4);
    expect(read('c=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\n\nm=audio 4100 RTP/AVP 0\n').length).toBe(1);
    expect(read('c=IN IP4 10.0.0.1\nm=audio 4000x RTP/AVP 0\nm=audio 70000 RTP/AVP 0\n').map((d) => d.port)).toEqual([0, 0]);
    expect(read('c=IN IP4\nm=audio 4000 RTP/AVP 0\n')[0]!.address).toBeUndefined();
  });

  it('addresses as IP layers print them', () => {
    expect(ipv6Text('FD00:183:1:1:1886:9040:8605:32B8')).toBe('fd00:183:1:1:1886:9040:8605:32b8');
    expect(ipv6Text('fd01:0:0:0:0:0:0:183')).toBe('fd01::183');
    expect(ipv6Text('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(ipv6Text('1::2::3')).toBeUndefined();
    expect(ipv6Text('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(ipv4Text('192.168.1.2')).toBe('192.168.1.2');
    expect(ipv4Text('192.168.01.2')).toBeUndefined();
    expect(ipv4Text('192.168.1.256')).toBeUndefined();
  });
});

describe('rtp', () => {
  it('no SDP, no RTP: there is no port heuristic', () => {
    const next = session();
    expect(stack(next(udp(A, 4000, B, 5000, rtpBytes(0, 1, 1, [1, 2, 3]))))).toBe('eth/ip/udp/data');
  });

  it('both directions of an offer/answer exchange, with the mappings of the destination', () => {
    const next = call();
    const p = next(udp(A, 4000, B, 5000, rtpBytes(96, 1, 0xaaaa, AMR_OA, true)));
    expect(stack(p)).toBe('eth/ip/udp/rtp/amr');
    const rtp = layer(p, 'rtp');
    expect(rtp.summary).toBe('PT=AMR, SSRC=0xAAAA, Seq=1, Time=160, Mark');
    expect([field(p, 'rtp.p_type').display, field(p, 'rtp.p_type').offset]).toEqual(['Payload type: AMR (96)', 43]);
    expect([field(p, 'rtp.seq').value, field(p, 'rtp.seq').offset, field(p, 'rtp.seq').length]).toEqual([1, 44, 2]);
    expect(field(p, 'rtp.ssrc').display).toBe('Synchronization Source identifier: 0x0000aaaa (43690)');
    expect(field(p, 'rtp.marker').display).toBe('1... .... = Marker: True');
    // The answer's endpoint was set up by the request it answers (frame 1).
    expect([field(p, 'rtp.setup-frame').value, field(p, 'rtp.setup-method').value, field(p, 'sip.call_id_generated').value]).toEqual([1, 'SDP', 'c1']);
    expect(field(p, 'rtp.extseq').value).toBe(65537);
    expect([field(p, 'rtp.payload').offset, field(p, 'rtp.payload').length]).toEqual([54, 33]);
    const back = next(udp(B, 5000, A, 4000, rtpBytes(101, 7, 0xbbbb, [1, 0x8a, 0, 160])));
    expect(stack(back)).toBe('eth/ip/udp/rtp/rtpevent');
    expect(layer(back, 'rtpevent').summary).toBe('Payload type=RTP Event, DTMF One 1 (end)');
    expect(values(back, 'rtpevent.volume')).toEqual([10]);
    expect(field(back, 'rtpevent.duration').offset).toBe(56);
    // From the announced endpoint to anyone: still RTP (the other side is open).
    expect(stack(next(udp(A, 4000, C, 9999, rtpBytes(0, 2, 0xaaaa, [1, 2]))))).toBe('eth/ip/udp/rtp');
    // RTCP on the port after.
    expect(stack(next(udp(B, 5001, A, 4001, Uint8Array.from([0x80, 201, 0, 1, 0, 0, 0, 9]))))).toBe('eth/ip/udp/rtcp');
  });

  it('AMR: octet-aligned table of contents; reserved bits set end it with a warning', () => {
    const next = call();
    const p = next(udp(B, 5000, A, 4000, rtpBytes(96, 1, 1, [0x70, 0x84, 0x3c])));
    expect(values(p, 'amr.nb.cmr')).toEqual([7]);
    expect(values(p, 'amr.toc.f')).toEqual([true, false]);
    expect(values(p, 'amr.nb.toc.ft')).toEqual([0, 7]);
    expect(field(p, 'amr.nb.toc.ft', 1).display).toBe('.011 1... = FT bits: AMR 12,2 kbit/s (GSM-EFR) (7)');
    expect(layer(p, 'amr').summary).toBe('PT=AMR, SSRC=0x1, Seq=1, Time=160');
    const bad = next(udp(B, 5000, A, 4000, rtpBytes(96, 2, 1, [0x73, 0x84])));
    expect(layer(bad, 'amr').issues.map((i) => [i.kind, i.severity])).toEqual([['expert', 'warning']]);
    expect(values(bad, 'amr.toc.f')).toEqual([]);
    // A table of contents that runs past the payload is malformed.
    expect(layer(next(udp(B, 5000, A, 4000, rtpBytes(96, 3, 1, [0xf0, 0x84]))), 'amr').issues[0]!.kind).toBe('malformed');
  });

  it('RFC 2198 redundancy: a text item with the block headers and payloads', () => {
    const next = call();
    const red = [0x80 | 101, 0x05, 0x00, 0x04, 0x00, 1, 0x80, 0, 160, 9, 9];
    const p = next(udp(B, 5000, A, 4000, rtpBytes(98, 1, 1, red)));
    expect(stack(p)).toBe('eth/ip/udp/rtp/text');
    expect(values(p, 'rtp.p_type')).toEqual([98, 101, 0]);
    expect(values(p, 'rtp.timestamp-offset')).toEqual([320]);
    expect(values(p, 'rtp.block-length')).toEqual([4]);
    expect(layer(p, 'text').fields.map((f) => f.display)).toEqual(['Header 1: PT=telephone-event, len=4', 'Header 2: PT=ITU-T G.711 PCMU', 'Payload: 018000a0', 'Payload: 0909']);
    // Payload type 99 with no mapping is RFC 2198 by Wireshark's default.
    expect(stack(next(udp(B, 5000, A, 4000, rtpBytes(99, 2, 1, [0x71, 1, 2]))))).toBe('eth/ip/udp/rtp/text');
  });

  it('CSRCs, a one-byte header extension and padding', () => {
    const next = call();
    const body = [
      ...hex('b2 00 0001 00000000 00000001'), // V=2 P X CC=2
      ...hex('11111111 22222222'),
      ...hex('bede 0001 10 ab 00 00'),
      ...hex('7f 7f 00 03'),
    ];
    const p = next(udp(B, 5000, A, 4000, Uint8Array.from(body)));
    expect(stack(p)).toBe('eth/ip/udp/rtp');
    expect(field(p, 'rtp.csrc.items').display).toBe('Contributing Source identifiers (2 items)');
    expect(field(p, 'rtp.csrc.item', 1).display).toBe('CSRC item 1: 0x22222222');
    expect([field(p, 'rtp.ext.profile').display, field(p, 'rtp.ext.len').value]).toEqual(['Defined by profile: 0xbede (48862)', 1]);
    expect([field(p, 'rtp.ext.rfc5285.id').value, field(p, 'rtp.ext.rfc5285.len').value, field(p, 'rtp.ext.rfc5285.data').offset]).toEqual([1, 1, 67]);
    expect([field(p, 'rtp.payload').offset, field(p, 'rtp.payload').length]).toEqual([70, 1]);
    expect([field(p, 'rtp.padding.data').length, field(p, 'rtp.padding.count').value]).toEqual([2, 3]);
  });

  it('another version goes on to UDP; a marker with an RTCP payload type is RTCP', () => {
    const next = call();
    const v1 = next(udp(B, 5000, A, 4000, Uint8Array.from([0x40, 0, 0, 1, 0, 0, 0, 0])));
    expect(stack(v1)).toBe('eth/ip/udp/rtp/data');
    expect(layer(v1, 'rtp').summary).toBe('Unknown RTP version 1');
    const mux = next(udp(B, 5000, A, 4000, Uint8Array.from([0x80, 200 & 0xff, 0, 1, 0, 0, 0, 9])));
    expect(stack(mux)).toBe('eth/ip/udp/rtcp');
  });

  it('a fixed header cut short leaves no RTP item; CSRCs past the datagram are malformed', () => {
    const next = call();
    const short = next(udp(B, 5000, A, 4000, Uint8Array.from([0x80, 0, 0, 1, 0])));
    expect(layer(short, 'rtp').issues.map((i) => [i.kind, i.offset])).toEqual([['malformed', 42]]);
    const csrc = next(udp(B, 5000, A, 4000, rtpBytes(0, 1, 1, [0, 0]).map((b, i) => (i === 0 ? 0x83 : b))));
    expect(layer(csrc, 'rtp').issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(field(csrc, 'rtp.cc').value).toBe(3);
  });

  it('every prefix of an RTP packet on a conversation: no throw, cut fields truncated', () => {
    const next = call();
    const full = udp(B, 5000, A, 4000, rtpBytes(96, 1, 0xaaaa, AMR_OA, true));
    for (let n = 0; n < full.length; n++) {
      const p = next(full.subarray(0, n), full.length);
      for (const l of p.layers) for (const i of l.issues) expect(i.kind, `cut at ${n}: ${l.protocol} ${i.message}`).not.toBe('malformed');
    }
  });
});

describe('offer/answer bookkeeping (SIP over UDP)', () => {
  it('a rejecting answer is applied, later answers to the same offer are not; a resent offer is not', () => {
    const next = session();
    next(udp(A, 5060, B, 5060, sip('INVITE sip:b@y SIP/2.0', 'c1', '1 INVITE', sdp(A, 4000))));
    const busy = next(udp(B, 5060, A, 5060, sip('SIP/2.0 486 Busy', 'c1', '1 INVITE', sdp(B, 5000))));
    expect(layer(busy, 'sip').info['mediaEndpoints']).toEqual([
      { address: B, port: 5000, setup: 1, kind: 'rtp' },
      { address: B, port: 5001, setup: 1, kind: 'rtcp' },
    ]);
    next(udp(B, 5060, A, 5060, sip('SIP/2.0 200 OK', 'c1', '1 INVITE', sdp(B, 5100))));
    expect(stack(next(udp(B, 5100, A, 9, rtpBytes(0, 1, 1, [1]))))).toBe('eth/ip/udp/data');
    next(udp(A, 5060, B, 5060, sip('INVITE sip:b@y SIP/2.0', 'c4', '1 INVITE', sdp(A, 4300))));
    const resent = next(udp(A, 5060, B, 5060, sip('INVITE sip:b@y SIP/2.0', 'c4', '1 INVITE', sdp(A, 4310))));
    expect(layer(resent, 'sip').info['mediaEndpoints']).toBeUndefined();
    expect(stack(next(udp(A, 4310, B, 9, rtpBytes(0, 1, 1, [1]))))).toBe('eth/ip/udp/data');
  });

  it('a provisional response applies on its own; a later setup replaces an endpoint, an earlier does not', () => {
    const next = session();
    next(udp(A, 5060, B, 5060, sip('INVITE sip:b@y SIP/2.0', 'c1', '1 INVITE', sdp(A, 4000))));
    const early = next(udp(B, 5060, A, 5060, sip('SIP/2.0 183 Session Progress', 'c1', '1 INVITE', sdp(B, 6100))));
    expect((layer(early, 'sip').info['mediaEndpoints'] as { setup: number }[])[0]!.setup).toBe(2);
    // A 200 OK matched to the request (frame 1) does not replace the 183's conversation (frame 2).
    next(udp(B, 5060, A, 5060, sip('SIP/2.0 200 OK', 'c1', '1 INVITE', sdp(B, 6100))));
    expect(field(next(udp(A, 4000, B, 6100, rtpBytes(0, 1, 1, [1]))), 'rtp.setup-frame').value).toBe(2);
    // A re-INVITE (new CSeq) re-announces A:4000 from frame 5.
    next(udp(A, 5060, B, 5060, sip('INVITE sip:b@y SIP/2.0', 'c1', '2 INVITE', sdp(A, 4000))));
    expect(field(next(udp(B, 6100, A, 4000, rtpBytes(0, 1, 1, [1]))), 'rtp.setup-frame').value).toBe(5);
  });
});

describe('rtcp', () => {
  const SR = hex('81c8000c 00001111 e0000000 80000000 000004d2 00000005 00000320 00002222 05fffffe 00010002 0000001e 11112222 00010000');
  const SDES = hex('81ca0005 00001111 0105 61402e62 6307 03686579 00 000000');
  const BYE = hex('81cb0003 00001111 07 676f6f64627965');

  it('a compound packet: one layer per packet, Info for all, the length check on the last', () => {
    const p = session()(udp(A, 7001, B, 8001, Uint8Array.from([...SR, ...SDES, ...BYE])));
    expect(stack(p)).toBe('eth/ip/udp/rtcp/rtcp/rtcp');
    expect(p.layers.map((l) => [l.protocol, l.offset, l.headerLength])).toContainEqual(['rtcp', 42, 52]);
    expect(p.layers[p.layers.length - 1]!.summary).toBe('Sender Report   Source description   Goodbye   ');
    expect(field(p, 'rtcp.length').display).toBe('Length: 12 (52 bytes)');
    expect(field(p, 'rtcp.timestamp.ntp').value).toBe('Feb  2, 2019 11:39:44.500000000 UTC');
    expect([field(p, 'rtcp.ssrc.cum_nr').value, field(p, 'rtcp.ssrc.ext_high').value, field(p, 'rtcp.ssrc.dlsr').display]).toEqual([
      -2,
      65538,
      'Delay since last SR timestamp: 65536 (1000 milliseconds)',
    ]);
    expect(values(p, 'rtcp.sdes.text')).toEqual(['a@.bc', 'hey', 'goodbye']);
    expect(field(p, 'rtcp.sdes.chunk').display).toBe('Chunk 1, SSRC/CSRC 0x1111');
    expect(field(p, 'rtcp.length_check').display).toBe('RTCP frame length check: OK - 92 bytes');
  });

  it('the heuristic takes reports, goodbyes, applications and payload-specific feedback first, not descriptions', () => {
    const next = session();
    expect(stack(next(udp(A, 7000, B, 8000, BYE)))).toBe('eth/ip/udp/rtcp');
    expect(stack(next(udp(A, 7000, B, 8000, SDES)))).toBe('eth/ip/udp/data');
    // Not a multiple of four bytes.
    expect(stack(next(udp(A, 7000, B, 8000, Uint8Array.from([...BYE, 0]))))).toBe('eth/ip/udp/data');
  });

  it('an application packet: name, and printable data as text; padding; a wrong length', () => {
    const next = session();
    const app = next(udp(A, 7001, B, 8001, hex('83cc0004 00001111 54455354 6461746131323334')));
    expect([field(app, 'rtcp.app.name').value, field(app, 'rtcp.app.data_str').value]).toEqual(['TEST', 'data1234']);
    expect(layer(app, 'rtcp').summary).toBe('Application specific   ( TEST ) subtype=3');
    const padded = next(udp(A, 7001, B, 8001, hex('a3cc0004 00001111 54455354 61620000 00000004')));
    expect([field(padded, 'rtcp.app.data').value, values(padded, 'rtcp.padding.count')]).toEqual([hex('61620000'), [4]]);
    expect(field(padded, 'rtcp.padding.data').length).toBe(3);
    const wrong = next(udp(A, 7001, B, 8001, hex('80c90000 00000009')));
    expect(field(wrong, 'rtcp.length_check').value).toBe(false);
    expect(wrong.layers.flatMap((l) => l.issues.map((i) => i.severity))).toContain('warning');
  });

  it('a report block past the datagram is malformed; every prefix: no throw', () => {
    const bad = session()(udp(A, 7001, B, 8001, Uint8Array.from(SR.subarray(0, 32))));
    expect(layer(bad, 'rtcp').issues.map((i) => i.kind)).toEqual(['malformed']);
    const full = udp(A, 7001, B, 8001, Uint8Array.from([...SR, ...SDES, ...BYE]));
    const next = session();
    for (let n = 0; n < full.length; n++) {
      const p = next(full.subarray(0, n), full.length);
      for (const l of p.layers) for (const i of l.issues) expect(i.kind, `cut at ${n}: ${l.protocol} ${i.message}`).not.toBe('malformed');
    }
  });
});
