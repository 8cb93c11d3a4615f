import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mediaDissector } from '../../../src/dissect/protocols/http.js';
import { checkInvariants, dissect, field, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

/** An Ethernet/IPv4/TCP frame from port 80 to 50000 carrying `payload` (TCP payload at 54). */
function tcpFrame(payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const f = new Uint8Array(54 + body.length);
  f.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  const ipLen = 40 + body.length;
  f.set([0x45, 0, ipLen >> 8, ipLen & 0xff, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  f.set([0, 80, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0x10, 0, 0, 0, 0, 0], 34);
  f.set(body, 54);
  return f;
}

const concat = (...parts: (Uint8Array | string)[]): Uint8Array => {
  const bufs = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
  const out = new Uint8Array(bufs.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bufs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
};

const HTML = 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: 13\r\n\r\n<p>hello</p>\n';
const FORM = 'POST /login HTTP/1.1\r\nHost: a.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 25\r\n\r\nuser=bob+smith&pw=a%26b=c';

describe('http bodies by media type', () => {
  it('maps Content-Type to the dissector tshark registers for it', () => {
    expect(mediaDissector('text/html; charset=ISO-8859-1')).toBe('data-text-lines');
    expect(mediaDissector('Application/X-Javascript')).toBe('data-text-lines');
    expect(mediaDissector('application/javascript')).toBe('media');
    expect(mediaDissector('application/json;charset=utf-8')).toBe('json');
    expect(mediaDissector('application/soap+xml')).toBe('xml');
    expect(mediaDissector('multipart/form-data; boundary=x')).toBe('mime_multipart');
    expect(mediaDissector('image/jpeg')).toBe('image-jfif');
    expect(mediaDissector('application/octet-stream')).toBe('data');
    expect(mediaDissector(undefined)).toBeUndefined();
  });

  it('a text/html body is data-text-lines, starting after the blank line', () => {
    const p = dissect(tcpFrame(HTML));
    expect(stack(p)).toBe('eth/ip/tcp/http/data-text-lines');
    const body = layer(p, 'data-text-lines');
    expect([body.offset, body.length]).toEqual([54 + HTML.length - 13, 13]);
    expect(body.info['mediaType']).toBe('text/html; charset=UTF-8');
    expect(layer(p, 'http').info['bodyCut']).toBe(false);
    expect([body.name, body.summary]).toEqual(['HTTP', 'HTTP/1.1 200 OK  (text/html)']);
    checkInvariants(p);
  });

  it('a body cut by the segment end is marked for the hierarchy (unreassembled)', () => {
    const p = dissect(tcpFrame(HTML.replace('Content-Length: 13', 'Content-Length: 99')));
    expect(stack(p)).toBe('eth/ip/tcp/http/data-text-lines');
    expect(layer(p, 'http').info['bodyCut']).toBe(true);
  });

  it('a body without Content-Type stays inside http', () => {
    const p = dissect(tcpFrame('HTTP/1.1 403 Forbidden\r\nContent-Length: 4\r\n\r\nnope'));
    expect(stack(p)).toBe('eth/ip/tcp/http');
  });

  it('an unregistered type is media, with the type recorded', () => {
    const p = dissect(tcpFrame('HTTP/1.1 200 OK\r\nContent-Type: image/x-icon\r\nContent-Length: 4\r\n\r\n\x00\x00\x01\x00'));
    expect(stack(p)).toBe('eth/ip/tcp/http/media');
    expect(field(p, 'media.type').value).toBe('image/x-icon');
  });

  it('urlencoded-form: keys and decoded values with their offsets', () => {
    const p = dissect(tcpFrame(FORM));
    expect(stack(p)).toBe('eth/ip/tcp/http/urlencoded-form');
    expect(values(p, 'urlencoded-form.key')).toEqual(['user', 'pw']);
    expect(values(p, 'urlencoded-form.value')).toEqual(['bob smith', 'a&b=c']);
    const at = 54 + FORM.length - 25;
    expect([field(p, 'urlencoded-form.key').offset, field(p, 'urlencoded-form.key').length]).toEqual([at, 4]);
    expect([field(p, 'urlencoded-form.value', 1).offset, field(p, 'urlencoded-form.value', 1).length]).toEqual([at + 18, 7]);
    checkInvariants(p);
  });

  it('image-gif: version and screen size (little-endian)', () => {
    const gif = concat('HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: 13\r\n\r\n', 'GIF89a', new Uint8Array([0x10, 0x00, 0x20, 0x01, 0x80, 0, 0]));
    const p = dissect(tcpFrame(gif));
    expect(stack(p)).toBe('eth/ip/tcp/http/image-gif');
    expect(field(p, 'image-gif.version').value).toBe('GIF89a');
    expect(field(p, 'image-gif.screen.width').value).toBe(16);
    expect(field(p, 'image-gif.screen.height').value).toBe(288);
    // As tshark's columns: HTTP's name and Info, then the GIF version.
    expect([layer(p, 'image-gif').name, layer(p, 'image-gif').summary]).toEqual(['HTTP', 'HTTP/1.1 200 OK  (GIF89a)']);
  });

  it('png: signature and IHDR size', () => {
    const head = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0, 0x40]);
    const p = dissect(tcpFrame(concat('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 24\r\n\r\n', head)));
    expect(stack(p)).toBe('eth/ip/tcp/http/png');
    expect(field(p, 'png.ihdr.width').value).toBe(256);
    expect(field(p, 'png.ihdr.height').value).toBe(64);
  });

  it('a complete chunked body goes to its media type; an empty one to nobody', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n';
    expect(stack(dissect(tcpFrame(`${chunked}5\r\nhello\r\n0\r\n\r\n`)))).toBe('eth/ip/tcp/http/data-text-lines');
    expect(stack(dissect(tcpFrame(`${chunked}0\r\n\r\n`)))).toBe('eth/ip/tcp/http');
  });

  it('a chunk running past the segment leaves an unreassembled read in http', () => {
    const p = dissect(tcpFrame('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n400\r\nabc'));
    expect(stack(p)).toBe('eth/ip/tcp/http');
    const h = layer(p, 'http');
    expect(h.info['bodyCut']).toBe(true);
    expect(h.issues.map((i) => i.kind)).toEqual(['malformed']);
    checkInvariants(p);
  });

  it('a gzip text/html body that inflates to <?xml is XML, as tshark shows it', () => {
    const gz = gzipSync(Buffer.from('<?xml version="1.0"?><html/>'));
    const p = dissect(tcpFrame(concat(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\nContent-Length: ${gz.length}\r\n\r\n`, gz)));
    expect(stack(p)).toBe('eth/ip/tcp/http/xml');
    const plain = dissect(tcpFrame('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 7\r\n\r\n<html/>'));
    expect(stack(plain)).toBe('eth/ip/tcp/http/data-text-lines');
  });

  it('every prefix', () => {
    prefixSweep(tcpFrame(FORM));
    prefixSweep(tcpFrame(HTML));
  });
});
