import type { ProtocolDef } from '../protocol.js';
import { defineBodyProtocol } from './media-body.js';

/** Most body bytes checked for being JSON. */
const MAX_VALIDATE = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: false });

const body = defineBodyProtocol({ id: 'json', name: 'JavaScript Object Notation', short: 'JSON', column: { name: 'HTTP/JSON', info: (http, type) => `${http} , JavaScript Object Notation (${type})` } });

/**
 * A JSON body (application/json and `+json` types); its members are not read yet. tshark checks
 * the body is JSON first: one that is not (JSONP, a body cut by the segment's end) is then shown
 * as text lines after the JSON item.
 */
export const json: ProtocolDef = {
  ...body,
  dissect(c) {
    const start = c.pos;
    const end = c.capEnd;
    const r = body.dissect(c) ?? {};
    // A compressed or chunked body is checked as tshark sees it: de-chunked and inflated.
    const decode = c.ctx['decoded'];
    const text = c.ctx['encoded'] === true ? (typeof decode === 'function' ? (decode as () => Uint8Array | undefined)() : undefined) : c.data.subarray(start, end);
    if (text === undefined || text.length > MAX_VALIDATE || text.length === 0) return r;
    try {
      JSON.parse(utf8.decode(text));
      return r;
    } catch {
      return { ...r, payloadOffset: start, next: { protocol: 'data-text-lines' } };
    }
  },
};
