import { defineProtocol } from '../protocol.js';
import { trackNextPdu } from './tcp-sequence.js';

/**
 * Apache Etch over TCP, found as tshark finds it: a TCP heuristic on the signature 0xdeadbeef.
 * Each message is the signature, a 4-byte length, a version byte and the message body (kept as
 * `etch.struct` bytes; its tagged values are not read yet). tshark needs the signature and the
 * length before it shows anything, so a segment holding less is only a read past its end; a
 * message that goes on in later segments makes TCP skip the segments inside it. tshark's Info
 * column stays empty.
 */

const SIGNATURE = 0xdeadbeef;
/** Most messages read from one segment. */
const MAX_MESSAGES = 256;

export function looksLikeEtch(d: Uint8Array, p: number, end: number): boolean {
  return end - p >= 4 && d[p] === 0xde && d[p + 1] === 0xad && d[p + 2] === 0xbe && d[p + 3] === 0xef;
}

export const etch = defineProtocol({
  id: 'etch',
  name: 'Apache Etch Protocol',
  short: 'ETCH',
  heuristics: [{ table: 'tcp.port', test: looksLikeEtch }],
  fields: {
    'etch.signature': { label: 'Etch Signature', type: 'u32', base: 'hex' },
    'etch.msglength': { label: 'Etch Length', type: 'u32' },
    'etch.version': { label: 'Etch Version', type: 'u8' },
    'etch.struct': { label: 'Etch Struct', type: 'bytes' },
  },
  dissect(c) {
    // The signature and length come before the item: fewer bytes show nothing but the read past.
    if (c.remaining() < 8) c.need(8, 'etch.msglength');
    let n = 0;
    while (c.remaining() >= 8 && c.peek32() === SIGNATURE && n++ < MAX_MESSAGES) {
      const at = c.pos;
      c.u32('etch.signature');
      const length = c.u32('etch.msglength');
      const end = at + 8 + length;
      if (end > c.repEnd) trackNextPdu(c, end - c.repEnd);
      if (length === 0) continue;
      c.u8('etch.version');
      const body = Math.min(end, c.capEnd) - c.pos;
      if (body > 0) c.bytes('etch.struct', body);
      if (end >= c.capEnd) break;
    }
    // Bytes after the last message belong to the next one (tshark does not check its signature).
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary: '', info: { messages: n } };
  },
});
