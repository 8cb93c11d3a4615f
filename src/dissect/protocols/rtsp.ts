import { defineProtocol, type Next } from '../protocol.js';
import { latin1Text } from '../byte-text.js';

const METHODS = new Set(['DESCRIBE', 'ANNOUNCE', 'GET_PARAMETER', 'OPTIONS', 'PAUSE', 'PLAY', 'RECORD', 'REDIRECT', 'SETUP', 'SET_PARAMETER', 'TEARDOWN', 'PLAY_NOTIFY']);

/** Most header lines read from one message. */
const MAX_LINES = 256;

/** The end of the text of the line at `p` and the start of the next one (-1 when unterminated). */
function lineEnd(d: Uint8Array, p: number, end: number): [number, number] {
  let i = p;
  while (i < end && d[i] !== 0x0a && d[i] !== 0x0d) i++;
  if (i >= end) return [end, -1];
  return [i, d[i] === 0x0d && i + 1 < end && d[i + 1] === 0x0a ? i + 2 : i + 1];
}

/** What the first line is: a request (known method and a space), a response (`RTSP/`), or neither. */
function firstLineKind(line: string): 'request' | 'response' | undefined {
  if (line.startsWith('RTSP/')) return 'response';
  const sp = line.indexOf(' ');
  return sp > 0 && METHODS.has(line.substring(0, sp)) ? 'request' : undefined;
}

/**
 * Real Time Streaming Protocol (TCP 554, 8554, 7236), each segment on its own as tshark reads it
 * with reassembly off: a request or reply with its headers (an SDP body goes to SDP), interleaved
 * binary data (`$`, channel, length), or a continuation.
 */
export const rtsp = defineProtocol({
  id: 'rtsp',
  name: 'Real Time Streaming Protocol',
  short: 'RTSP',
  bindings: [554, 7236, 8554].map((key) => ({ table: 'tcp.port', key })),
  fields: {
    'rtsp.request': { label: 'Request', type: 'string' },
    'rtsp.response': { label: 'Response', type: 'string' },
    'rtsp.method': { label: 'Method', type: 'string' },
    'rtsp.url': { label: 'URL', type: 'string' },
    'rtsp.status': { label: 'Status', type: 'u32' },
    'rtsp.content-type': { label: 'Content-type', type: 'string' },
    'rtsp.content-length': { label: 'Content-length', type: 'u32' },
    'rtsp.session': { label: 'Session', type: 'string' },
    'rtsp.transport': { label: 'Transport', type: 'string' },
    'rtsp.magic': { label: 'Magic', type: 'u8', base: 'hex' },
    'rtsp.channel': { label: 'Channel', type: 'u8', base: 'hex' },
    'rtsp.length': { label: 'Length', type: 'u16' },
    'rtsp.data': { label: 'Data', type: 'bytes' },
  },
  dissect(c) {
    const d = c.data;
    const end = c.capEnd;
    const start = c.pos;
    if (d[start] === 0x24 && c.has(4)) {
      c.u8('rtsp.magic');
      const channel = c.u8('rtsp.channel');
      const len = c.u16('rtsp.length');
      const n = Math.min(len, end - c.pos);
      if (n > 0) c.bytes('rtsp.data', n);
      if (c.pos < end) c.skip(end - c.pos);
      return { summary: `Interleaved channel 0x${channel.toString(16).padStart(2, '0')}, ${len} bytes`, info: { kind: 'interleaved', channel } };
    }
    const [firstEnd, firstNext] = lineEnd(d, start, end);
    const first = latin1Text(d, start, firstEnd);
    const kind = firstLineKind(first);
    if (kind === undefined) {
      c.skip(end - start);
      return { summary: 'Continuation', info: { kind: 'continuation' } };
    }
    let status: number | undefined;
    if (kind === 'request') {
      const sp = first.indexOf(' ');
      const sp2 = first.indexOf(' ', sp + 1);
      c.add('rtsp.request', `${first}\r\n`, start, (firstNext < 0 ? end : firstNext) - start);
      c.add('rtsp.method', first.substring(0, sp), start, sp);
      const url = sp2 < 0 ? first.substring(sp + 1) : first.substring(sp + 1, sp2);
      c.add('rtsp.url', url, start + sp + 1, url.length);
    } else {
      c.add('rtsp.response', `${first}\r\n`, start, (firstNext < 0 ? end : firstNext) - start);
      const m = /^RTSP\/\S+ (\d{3})/.exec(first);
      if (m) {
        status = Number(m[1]);
        c.add('rtsp.status', status, start + first.indexOf(m[1]!), 3);
      }
    }
    let p = firstNext < 0 ? end : firstNext;
    let contentType: string | undefined;
    let contentLength = 0;
    let headersDone = false;
    for (let n = 0; n < MAX_LINES && p < end; n++) {
      const [te, next] = lineEnd(d, p, end);
      if (te === p && next >= 0) {
        p = next;
        headersDone = true;
        break;
      }
      const line = latin1Text(d, p, te);
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.substring(0, colon).trim().toLowerCase();
        const value = line.substring(colon + 1).trim();
        const len = (next < 0 ? end : next) - p;
        if (name === 'content-type') {
          contentType = value;
          c.add('rtsp.content-type', value, p, len);
        } else if (name === 'content-length' && /^\d+$/.test(value)) {
          contentLength = Number(value);
          c.add('rtsp.content-length', contentLength, p, len);
        } else if (name === 'session') c.add('rtsp.session', value, p, len);
        else if (name === 'transport') c.add('rtsp.transport', value, p, len);
      }
      if (next < 0) {
        p = end;
        break;
      }
      p = next;
    }
    c.seek(p);
    let next: Next | undefined;
    if (headersDone && contentLength > 0 && p < end && /^\s*application\/sdp\s*(;|$)/i.test(contentType ?? '')) {
      // The SDP body ends at Content-Length; bytes after it stay here.
      next = { protocol: 'sdp' };
    } else if (c.pos < end) c.skip(end - c.pos);
    const summary = kind === 'request' ? first : `Reply: ${first}`;
    return { summary, info: { kind, status }, next };
  },
});
