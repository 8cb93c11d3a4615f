import { defineProtocol } from '../protocol.js';

/** Longest text looked at for the announcement's members. */
const MAX_SCAN = 4096;

/** The value of a top-level numeric member `"name": 123` in a JSON text (undefined if absent). */
function jsonNumber(text: string, name: string): number | undefined {
  const m = new RegExp(`"${name}"\\s*:\\s*(\\d{1,15})`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Dropbox LAN sync discovery (UDP 17500): a JSON object announcing a host. tshark hands the
 * whole datagram to its JSON dissector inside this layer, so the hierarchy shows only
 * `db-lsp-disc`.
 */
export const dbLspDisc = defineProtocol({
  id: 'db-lsp-disc',
  name: 'Dropbox LAN sync Discovery Protocol',
  short: 'DB-LSP-DISC',
  bindings: [{ table: 'udp.port', key: 17500 }],
  fields: {},
  dissect(c) {
    const start = c.pos;
    const n = c.capEnd - start;
    const isJson = n > 0 && c.data[start] === 0x7b;
    let hostInt: number | undefined;
    let port: number | undefined;
    if (isJson) {
      const text = new TextDecoder('latin1').decode(c.data.subarray(start, start + Math.min(n, MAX_SCAN)));
      hostInt = jsonNumber(text, 'host_int');
      port = jsonNumber(text, 'port');
    }
    c.skip(n);
    return {
      name: isJson ? 'DB-LSP-DISC/JSON' : 'DB-LSP-DISC',
      summary: isJson ? 'Dropbox LAN sync Discovery Protocol, JavaScript Object Notation' : 'Dropbox LAN sync Discovery Protocol',
      info: { hostInt, port },
    };
  },
});
