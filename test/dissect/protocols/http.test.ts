import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__wikipedia.pcap frame 6: GET /w/index.php?... HTTP/1.1 (eth/ip/tcp with timestamps, HTTP at 66)
const GET = hex(`
  00137fbe8cff00247ee01db508004500020334d94000400631c48d8edc76d05098028b32005051ffd352b8fe3a8d8018
  00364d5300000101080a001be7ac757ac4c2474554202f20485454502f312e310d0a486f73743a207777772e77696b69
  70656469612e6f72670d0a557365722d4167656e743a204d6f7a696c6c612f352e3020285831313b20553b204c696e75
  78207838365f36343b20656e2d55533b2072763a312e392e322e313529204765636b6f2f323031313033303320556275
  6e74752f31302e303420286c75636964292046697265666f782f332e362e31350d0a4163636570743a20746578742f68
  746d6c2c6170706c69636174696f6e2f7868746d6c2b786d6c2c6170706c69636174696f6e2f786d6c3b713d302e392c
  2a2f2a3b713d302e380d0a4163636570742d4c616e67756167653a20656e2d75732c656e3b713d302e350d0a41636365
  70742d456e636f64696e673a20677a69702c6465666c6174650d0a4163636570742d436861727365743a2049534f2d38
  3835392d312c7574662d383b713d302e372c2a3b713d302e370d0a4b6565702d416c6976653a203131350d0a436f6e6e
  656374696f6e3a206b6565702d616c6976650d0a49662d4d6f6469666965642d53696e63653a2053756e2c2036204d61
  7220323031312032323a34353a353120474d540d0a43616368652d436f6e74726f6c3a206d61782d6167653d300d0a0d
  0a
`);

// zeek__wikipedia.pcap frame 14: HTTP/1.1 304 Not Modified (HTTP at 66)
const RESPONSE = hex(`
  00247ee01db500137fbe8cff08004500011c1b27400031065ae9d05098768d8edc760050be093521cfdc579e2b6f8018
  000e9d3900000101080a07d3d4fa001be7ba485454502f312e3120333034204e6f74204d6f6469666965640d0a446174
  653a204672692c203138204d617220323031312031393a30363a303920474d540d0a5669613a20312e31207661726e69
  73680d0a582d5661726e6973683a203534333335363635310d0a4c6173742d4d6f6469666965643a205765642c203136
  2046656220323031312030373a33343a353520474d540d0a455461673a2022353763322d343963363135313334383563
  30222d677a69700d0a566172793a204163636570742d456e636f64696e670d0a436f6e6e656374696f6e3a206b656570
  2d616c6976650d0a0d0a
`);

describe('http', () => {
  it('reads the request line and known headers with their offsets', () => {
    const p = dissect(GET);
    expect(stack(p)).toBe('eth/ip/tcp/http');
    const m = field(p, 'http.request.method');
    expect([m.value, m.offset, m.length]).toEqual(['GET', 66, 3]);
    const uri = field(p, 'http.request.uri');
    expect(uri.offset).toBe(70);
    expect(String(uri.value).startsWith('/')).toBe(true);
    expect(field(p, 'http.request.version').value).toBe('HTTP/1.1');
    expect(field(p, 'http.host').value).toBe('www.wikipedia.org');
    expect(values(p, 'http.response.code')).toEqual([]);
    // the start line's fields are children of the request item
    const req = layer(p, 'http').fields.find((f) => f.key === 'http.request');
    expect(req?.children?.map((f) => f.key)).toEqual(['http.request.method', 'http.request.uri', 'http.request.version']);
    expect(layer(p, 'http').summary).toBe(`GET ${String(uri.value)} HTTP/1.1`);
    checkInvariants(p);
  });

  it('reads the status line: code as a number, phrase, unknown headers', () => {
    const p = dissect(RESPONSE);
    expect(stack(p)).toBe('eth/ip/tcp/http');
    const code = field(p, 'http.response.code');
    expect([code.value, code.offset, code.length]).toEqual([304, 75, 3]);
    expect(field(p, 'http.response.phrase').value).toBe('Not Modified');
    expect(field(p, 'http.connection').value).toBe('keep-alive');
    expect(values(p, 'http.unknown_header')).toContain('X-Varnish: 543356651');
    expect(values(p, 'http.request.method')).toEqual([]);
  });

  it('a segment that continues a message is http without request or response fields', () => {
    const cont = RESPONSE.slice();
    cont.set(new TextEncoder().encode('<html><bo'), 66);
    const p = dissect(cont);
    expect(stack(p)).toBe('eth/ip/tcp/http');
    expect(values(p, 'http.response.code')).toEqual([]);
    expect(layer(p, 'http').summary).toBe('Continuation');
  });

  it('a header line without a colon ends the headers (tshark: the rest is the body)', () => {
    const bad = RESPONSE.slice();
    bad[66 + 27 + 37 + 3] = 0x20; // "Via: 1.1 varnish" -> "Via  1.1 varnish" (a line with any colon is a header)
    const p = dissect(bad);
    expect(field(p, 'http.response.code').value).toBe(304);
    expect(values(p, 'http.connection')).toEqual([]);
    expect(field(p, 'http.date').value).toBe('Fri, 18 Mar 2011 19:06:09 GMT');
    // A 304 has no body; what follows is no message tshark shows (no request was seen on the connection).
    expect(stack(p)).toBe('eth/ip/tcp/http');
    expect(values(p, 'data.len')).toEqual([]);
  });

  it('a header named like a property of every object is an unknown header', () => {
    const odd = Buffer.from(RESPONSE);
    const at = odd.indexOf('X-Varnish: 543356651');
    odd.write('constructor: 5433566', at, 'latin1');
    const p = dissect(Uint8Array.from(odd));
    expect(values(p, 'http.unknown_header')).toContain('constructor: 5433566');
    expect(field(p, 'http.connection').value).toBe('keep-alive');
    checkInvariants(p);
  });

  it('every prefix: no throw', () => {
    prefixSweep(GET);
    prefixSweep(RESPONSE);
  });
});
