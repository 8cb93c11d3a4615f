import { defineProtocol } from '../protocol.js';
import { latin1Text } from '../byte-text.js';

/**
 * Simple Service Discovery Protocol (UDP 1900). Wireshark dissects it with its HTTP dissector
 * under the protocol name `ssdp`, so the start line and headers are recorded as http.* fields
 * (declared by the http protocol).
 */
export const ssdp = defineProtocol({
  id: 'ssdp',
  name: 'Simple Service Discovery Protocol',
  short: 'SSDP',
  bindings: [{ table: 'udp.port', key: 1900 }],
  fields: {
    'ssdp.line': { label: 'Line', type: 'string' },
  },
  dissect(c) {
    const start = c.pos;
    const end = c.capEnd;
    const d = c.data;
    let first = '';
    let lines = 0;
    let pos = start;
    let method: string | undefined;
    let code: number | undefined;
    while (pos < end && lines < 256) {
      let eol = pos;
      while (eol < end && d[eol] !== 0x0a) eol++;
      const lineEnd = eol < end ? eol + 1 : eol;
      let textEnd = eol;
      if (textEnd > pos && d[textEnd - 1] === 0x0d) textEnd--;
      const line = latin1Text(d, pos, textEnd);
      if (lines === 0) {
        first = line;
        const resp = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
        const req = /^([A-Z][A-Z-]*) (\S+) (HTTP\/\d\.\d)$/.exec(line);
        if (resp) {
          code = Number(resp[2]);
          c.add('http.response.version', resp[1]!, pos, resp[1]!.length);
          c.add('http.response.code', code, pos + resp[1]!.length + 1, 3);
          if (resp[3] !== undefined) c.add('http.response.phrase', resp[3], pos + resp[1]!.length + 5, resp[3].length);
        } else if (req) {
          method = req[1]!;
          c.add('http.request.method', method, pos, method.length);
          c.add('http.request.uri', req[2]!, pos + method.length + 1, req[2]!.length);
          c.add('http.request.version', req[3]!, pos + method.length + req[2]!.length + 2, req[3]!.length);
        } else {
          c.add('ssdp.line', line, pos, lineEnd - pos);
        }
      } else if (line === '') {
        pos = lineEnd;
        break;
      } else {
        const colon = line.indexOf(':');
        const name = colon > 0 ? line.slice(0, colon).toLowerCase() : '';
        const value = colon > 0 ? line.slice(colon + 1).trim() : '';
        if (name === 'host') c.add('http.host', value, pos, lineEnd - pos);
        else c.add('ssdp.line', line, pos, lineEnd - pos);
      }
      pos = lineEnd;
      lines++;
    }
    c.seek(pos);
    return { summary: c.summaries ? first : '', info: { method, code } };
  },
});
