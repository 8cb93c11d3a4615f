import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// packetnet__udp-ip-fragmented.pcap #7: "SIP/2.0 200 OK" to an INVITE, with an SDP body (SIP at 42).
const OK_SDP = hex(
  '00000c07ac05001185d3a76a0800450002bd0db00000801100000ae2029a0ae2283813c413c402a9f0455349502f322e3020323030204f4b' +
    '0d0a46726f6d3a203c7369703a3430343033343035406373313030302e636f6d3b757365723d70686f6e653e3b7461673d36663735306630' +
    '2d33383238653230612d313363342d34303033302d3962616334632d32643933643538382d3962616334630d0a546f3a203c7369703a3932' +
    '3937303b70686f6e652d636f6e746578743d6364702e756470406373313030302e636f6d3b757365723d70686f6e653e3b7461673d383362' +
    '303563302d39613032653230612d313363342d35353031332d3138346633352d31646365383833382d3138346633350d0a43616c6c2d4944' +
    '3a20383238376130382d33383238653230612d313363342d34303033302d3962616334632d33653532376434612d3962616334630d0a4353' +
    '65713a203120494e564954450d0a5669613a205349502f322e302f5544502031302e3232362e34302e35363a353036303b6272616e63683d' +
    '7a39684734624b2d3962616334632d36303139306162662d34333134396133610d0a537570706f727465643a2074696d65720d0a55736572' +
    '2d4167656e743a2042726b747369702f362e352e30423420284469616c6f676963290d0a436f6e746163743a203c7369703a31302e323236' +
    '2e322e3135343e0d0a436f6e74656e742d547970653a206170706c69636174696f6e2f7364700d0a436f6e74656e742d4c656e6774683a20' +
    '3134380d0a0d0a763d300d0a6f3d2d2032323130353832303434203033353036363630303020494e204950342031302e3232362e322e3135' +
    '340d0a733d6e6f5f73657373696f6e5f6e616d650d0a743d3020300d0a6d3d617564696f203536303230205254502f41565020380d0a633d' +
    '494e204950342031302e3232362e322e3135340d0a613d7274706d61703a382050434d412f383030300d0a',
);

/** Ethernet + IPv4 + UDP (checksum 0) or TCP (checksum 0) around `payload`. */
function packet(proto: 'udp' | 'tcp', sport: number, dport: number, payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const l4 = proto === 'udp' ? 8 : 20;
  const out = new Uint8Array(14 + 20 + l4 + body.length);
  out.set(hex('000000000002000000000001 0800'), 0);
  out.set(hex(`4500 ${(20 + l4 + body.length).toString(16).padStart(4, '0')} 0000 4000 40 ${proto === 'udp' ? '11' : '06'} 0000 0a000001 0a000002`), 14);
  const p = (n: number): string => n.toString(16).padStart(4, '0');
  if (proto === 'udp') out.set(hex(`${p(sport)} ${p(dport)} ${p(8 + body.length)} 0000`), 34);
  else out.set(hex(`${p(sport)} ${p(dport)} 00000001 00000001 5018 ffff 0000 0000`), 34);
  out.set(body, 34 + l4);
  return out;
}

const HEADERS = [
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@example.com>',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
].join('\r\n');

const REGISTER = packet(
  'udp', 5060, 5060,
  `REGISTER sip:example.com SIP/2.0\r\n${HEADERS}\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@10.0.0.1>;expires=3600, "Alice" <sip:alice@10.0.0.3;transport=tcp>\r\nContent-Length: 0\r\n\r\n`,
);

describe('sip', () => {
  it('a status line with its code, the headers split into parts, the SDP body in its own subtree', () => {
    const p = dissect(OK_SDP);
    expect(stack(p)).toBe('eth/ip/udp/sip');
    const line = field(p, 'sip.Status-Line');
    expect([line.value, line.offset, line.length]).toEqual(['SIP/2.0 200 OK', 42, 14]);
    const code = field(p, 'sip.Status-Code');
    expect([code.value, code.offset, code.length]).toEqual([200, 50, 3]);
    expect(field(p, 'sip.from.addr').value).toBe('sip:40403405@cs1000.com;user=phone');
    expect([field(p, 'sip.from.user').value, field(p, 'sip.from.host').value, field(p, 'sip.from.param').value]).toEqual(['40403405', 'cs1000.com', 'user=phone']);
    expect(field(p, 'sip.to.user').value).toBe('92970;phone-context=cdp.udp');
    const callId = field(p, 'sip.Call-ID');
    expect([callId.value, callId.offset, callId.length]).toEqual(['8287a08-3828e20a-13c4-40030-9bac4c-3e527d4a-9bac4c', 273, 59]);
    expect([field(p, 'sip.CSeq').value, field(p, 'sip.CSeq.seq').value, field(p, 'sip.CSeq.method').value]).toEqual(['1 INVITE', 1, 'INVITE']);
    expect([field(p, 'sip.Via.transport').value, field(p, 'sip.Via.sent-by.address').value, field(p, 'sip.Via.sent-by.port').value]).toEqual(['UDP', '10.226.40.56', 5060]);
    expect(field(p, 'sip.Via.branch').value).toBe('z9hG4bK-9bac4c-60190abf-43149a3a');
    expect([field(p, 'sip.Contact').value, field(p, 'sip.contact.host').value]).toEqual(['<sip:10.226.2.154>', '10.226.2.154']);
    expect([field(p, 'sip.Content-Type').value, field(p, 'sip.Content-Length').value, field(p, 'sip.User-Agent').value]).toEqual(['application/sdp', 148, 'Brktsip/6.5.0B4 (Dialogic)']);
    // the headers are children of the Message Header item
    const hdr = layer(p, 'sip').fields.find((f) => f.key === 'sip.msg_hdr');
    expect(hdr?.children?.map((f) => f.key).slice(0, 3)).toEqual(['sip.From', 'sip.To', 'sip.Call-ID']);
    expect([layer(p, 'sip').summary, layer(p, 'sip').name]).toEqual(['Status: 200 OK (INVITE) | ', 'SIP/SDP']);
    // the body: Message Body > Session Description Protocol > lines, as in tshark's tree
    const body = field(p, 'sip.msg_body');
    expect([body.offset, body.length, body.children?.map((f) => f.key)]).toEqual([567, 148, ['sdp']]);
    expect([field(p, 'sdp.media.port').value, field(p, 'sdp.media.format').value, field(p, 'sdp.connection_info.address').value]).toEqual([56020, 'ITU-T G.711 PCMA', '10.226.2.154']);
    expect(values(p, 'sip.call_id_generated')).toHaveLength(2);
    checkInvariants(p);
  });

  it('a request line; REGISTER counts its bindings', () => {
    const p = dissect(REGISTER);
    expect(stack(p)).toBe('eth/ip/udp/sip');
    const method = field(p, 'sip.Method');
    expect([method.value, method.offset, method.length]).toEqual(['REGISTER', 42, 8]);
    expect([field(p, 'sip.r-uri').value, field(p, 'sip.r-uri').offset, field(p, 'sip.r-uri.host').value]).toEqual(['sip:example.com', 51, 'example.com']);
    expect(field(p, 'sip.Request-Line').value).toBe('REGISTER sip:example.com SIP/2.0');
    expect(values(p, 'sip.contact.uri')).toEqual(['sip:alice@10.0.0.1', 'sip:alice@10.0.0.3;transport=tcp']);
    expect(values(p, 'sip.contact.param')).toEqual(['transport=tcp']);
    expect(values(p, 'sip.contact.parameter')).toEqual(['expires=3600']);
    expect(values(p, 'sip.contact.display.info')).toEqual(['"Alice"']);
    expect(field(p, 'sip.Via.rport').value).toBe('rport');
    expect([field(p, 'sip.from.display.info').value, field(p, 'sip.from.tag').value]).toEqual(['Alice ', '1928301774']);
    expect(layer(p, 'sip').summary).toBe('Request: REGISTER sip:example.com  (2 bindings) | ');
    checkInvariants(p);
  });

  it('Via parameters named like properties of every object are no fields', () => {
    const odd = packet('udp', 5060, 5060, `REGISTER sip:example.com SIP/2.0\r\n${HEADERS.replace(';rport', ';constructor=1;__proto__;rport')}\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n`);
    const p = dissect(odd);
    expect(field(p, 'sip.Via.rport').value).toBe('rport');
    expect(field(p, 'sip.Via.branch').value).toBe('z9hG4bK776asdhds');
    checkInvariants(p);
  });

  it('Info details as tshark: in-dialog INVITE, unknown methods, compact headers', () => {
    const reinvite = packet('udp', 5060, 5060, `INVITE sip:bob@10.0.0.2 SIP/2.0\r\n${HEADERS.replace('To: Bob <sip:bob@example.com>', 'To: <sip:bob@example.com>;tag=a6c85cf')}\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n`);
    expect(layer(dissect(reinvite), 'sip').summary).toBe('Request: INVITE sip:bob@10.0.0.2, in-dialog | ');
    const unknown = packet('udp', 5060, 5060, 'FOO sip:b@example.com SIP/2.0\r\nCSeq: 1 FOO\r\n\r\n');
    expect(layer(dissect(unknown), 'sip').summary).toBe('Unknown request: FOO sip:b@example.com | ');
    const compact = dissect(packet('udp', 5060, 5060, 'MESSAGE sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP 10.0.0.1\r\nf: <sip:al@example.com>;tag=1\r\ni: xyz@h\r\nl: 0\r\n\r\n'));
    expect([field(compact, 'sip.Via.sent-by.address').value, field(compact, 'sip.from.user').value, field(compact, 'sip.Call-ID').value, field(compact, 'sip.Content-Length').value]).toEqual(['10.0.0.1', 'al', 'xyz@h', 0]);
  });

  it('by heuristic on another UDP port; on UDP 5060 a datagram that is not SIP is data', () => {
    const p = dissect(packet('udp', 9999, 8888, 'SIP/2.0 404 Not Found\r\nCSeq: 9 OPTIONS\r\nContent-Length: 0\r\n\r\n'));
    expect([stack(p), layer(p, 'sip').summary]).toEqual(['eth/ip/udp/sip', 'Status: 404 Not Found | ']);
    expect(stack(dissect(packet('udp', 9999, 8888, 'SIP/2.0 404\r\n\r\n')))).toBe('eth/ip/udp/data');
    expect(stack(dissect(packet('udp', 5060, 5060, 'hello world\r\n')))).toBe('eth/ip/udp/data');
  });

  it('TCP: several messages in one segment; a segment that continues one', () => {
    const two = dissect(packet('tcp', 5060, 40000, 'SIP/2.0 100 Trying\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\nSIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n'));
    expect(stack(two)).toBe('eth/ip/tcp/sip');
    expect(values(two, 'sip.Status-Code')).toEqual([100, 180]);
    expect(layer(two, 'sip').summary).toBe('Status: 100 Trying | Status: 180 Ringing | ');
    const cont = dissect(packet('tcp', 40000, 5060, 'a=sendrecv\r\nmore body\r\n'));
    expect([layer(cont, 'sip').summary, field(cont, 'sip.continuation').length]).toEqual(['Continuation', 23]);
    // a message whose headers run past the segment: the Info stops after the start line
    const cut = dissect(packet('tcp', 40000, 5060, 'OPTIONS sip:b@example.com SIP/2.0\r\nCSeq: 1 OPT'));
    expect([layer(cut, 'sip').summary, field(cut, 'sip.CSeq.seq').value]).toEqual(['Request: OPTIONS sip:b@example.com', 1]);
  });

  it('the SDP part of a multipart body', () => {
    const body = '--b1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nm=audio 5202 RTP/AVP 8\r\n\r\n--b1\r\nContent-Type: application/isup\r\n\r\nxyz\r\n--b1--\r\n';
    const p = dissect(packet('udp', 5060, 5060, `INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: x@y\r\nContent-Type: multipart/mixed;boundary=b1\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    expect([field(p, 'sdp.media.port').value, field(p, 'sdp.media.format').value, layer(p, 'sip').name]).toEqual([5202, 'ITU-T G.711 PCMA', 'SIP/SDP']);
    expect(values(p, 'sdp.version')).toEqual(['0']);
    checkInvariants(p);
  });

  it('a datagram ending inside a header line is malformed, as in tshark (the start line stays in the Info)', () => {
    const p = dissect(packet('udp', 5060, 5060, 'SIP/2.0 401 Unauthorized\r\nCall-ID: 578222729-4m65q775\xaa\xaa'));
    expect(layer(p, 'sip').issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(layer(p, 'sip').summary).toBe('Status: 401 Unauthorized');
  });

  it('every prefix: no throw', () => {
    prefixSweep(OK_SDP);
    prefixSweep(REGISTER);
  });
});
