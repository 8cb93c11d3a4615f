import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// ndpi__rtsp.pcap #1: GET_PARAMETER to 10.2.2.2:8554 (Linux cooked, RTSP at 56)
const REQUEST = hex(`
  000300010006000c29f31e7200000800450000bd56de400080068c4e0a01010a0a020202ccf6216a3be26f8261076fc2
  50180401cc5e00004745545f504152414d4554455220727473703a2f2f31302e322e322e323a383535342f2052545350
  2f312e300d0a435365713a20370d0a557365722d4167656e743a204c6962564c432f332e302e313620284c4956453535
  352053747265616d696e67204d656469612076323031362e31312e3238290d0a53657373696f6e3a2036363066633463
  3063366164343361310d0a0d0a
`);

// ndpi__rtsp.pcap #33: RTSP/1.0 200 OK reply to OPTIONS
const REPLY = hex(`
  000000010006000c293b2fb000000800450000a5cd924000400655b20a0202020a01010a216accf8e218bf57a1dfb3af
  501801f5bc4d0000525453502f312e3020323030204f4b0d0a5365727665723a20564c432f332e302e31320d0a436f6e
  74656e742d4c656e6774683a20300d0a437365713a20320d0a5075626c69633a2044455343524942452c53455455502c
  54454152444f574e2c504c41592c50415553452c4745545f504152414d455445520d0a0d0a
`);

describe('rtsp', () => {
  it('reads the request line and the session header', () => {
    const p = dissect(REQUEST, 113);
    expect(stack(p)).toBe('sll/ip/tcp/rtsp');
    expect([field(p, 'rtsp.method').value, field(p, 'rtsp.method').offset]).toEqual(['GET_PARAMETER', 56]);
    expect([field(p, 'rtsp.url').value, field(p, 'rtsp.url').offset]).toEqual(['rtsp://10.2.2.2:8554/', 70]);
    expect(field(p, 'rtsp.session').value).toBe('660fc4c0c6ad43a1');
    expect(layer(p, 'rtsp').summary).toBe('GET_PARAMETER rtsp://10.2.2.2:8554/ RTSP/1.0');
    checkInvariants(p);
  });

  it('reads a reply: status and content length', () => {
    const p = dissect(REPLY, 113);
    expect(field(p, 'rtsp.status').value).toBe(200);
    expect(field(p, 'rtsp.content-length').value).toBe(0);
    expect(layer(p, 'rtsp').summary).toBe('Reply: RTSP/1.0 200 OK');
  });

  it('a segment that starts with neither is a continuation; $ starts interleaved data', () => {
    const cont = REQUEST.slice();
    cont[56] = 0x78;
    expect(layer(dissect(cont, 113), 'rtsp').summary).toBe('Continuation');
    const inter = REQUEST.slice();
    inter.set([0x24, 0x01, 0x00, 0x04], 56);
    const p = dissect(inter, 113);
    expect([field(p, 'rtsp.channel').value, field(p, 'rtsp.length').value, field(p, 'rtsp.data').length]).toEqual([1, 4, 4]);
    checkInvariants(p);
  });

  it('every prefix', () => {
    prefixSweep(REQUEST, 113);
    prefixSweep(REPLY, 113);
  });
});
