import { defineProtocol } from '../protocol.js';
import type { Cursor } from '../cursor.js';
import { gquicTracked } from './gquic.js';
import { mediaNext, mediaTracked } from './media-sessions.js';
import { quicConversation, quicTracked } from './quic.js';
import { inFirstFragment } from './tcp.js';
import { CHECKSUM_STATUS, verifyTransportChecksum } from './transport-checksum.js';

/** User Datagram Protocol. */
export const udp = defineProtocol({
  id: 'udp',
  name: 'User Datagram Protocol',
  short: 'UDP',
  bindings: [{ table: 'ip.proto', key: 17 }],
  fields: {
    'udp.srcport': { label: 'Source Port', type: 'u16' },
    'udp.dstport': { label: 'Destination Port', type: 'u16' },
    'udp.port': { label: 'Source or Destination Port', type: 'u16' },
    'udp.length': { label: 'Length', type: 'u16' },
    'udp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'udp.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'udp.payload': { label: 'UDP payload', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const sport = c.u16('udp.srcport');
    const dport = c.u16('udp.dstport');
    if (c.wantsHidden('udp.port')) {
      c.add('udp.port', sport, start, 2);
      c.add('udp.port', dport, start + 2, 2);
    }
    const length = c.u16('udp.length');
    if (length < 8) c.malformed(`bad UDP length ${length} < 8`, 'udp.length', start + 4);
    const checksumAt = c.pos;
    const checksum = c.u16('udp.checksum');
    if (c.mode === 'full' && checksum !== 0) {
      const ok = verifyTransportChecksum(c, start, length, 17);
      if (ok !== undefined) {
        c.add('udp.checksum.status', ok ? 1 : 0, checksumAt, 0);
        if (!ok) c.expert('warning', `bad UDP checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'udp.checksum', checksumAt);
      }
    }
    if (c.ctx['inError'] === true) {
      if (start + length < c.repEnd) c.limit(length);
    } else if (start + length > c.repEnd) {
      c.expert('warning', `bad UDP length ${length} > IP payload length ${c.repEnd - start}`, 'udp.length', start + 4);
    } else {
      c.limit(length);
    }
    const payloadLen = Math.max(0, Math.min(length, c.repEnd - start) - 8);
    // A first fragment that ends with the UDP header while the length says more follows: tshark
    // reads the payload's first byte past the fragment (shown as unreassembled).
    if (payloadLen === 0 && length > 8 && c.pos >= c.repEnd && c.ctx['inError'] !== true && inFirstFragment(c)) {
      c.addIssue({ kind: 'malformed', severity: 'error', offset: c.pos, fieldKey: undefined, message: `udp payload: 1 bytes needed at offset ${c.pos}, packet ends at ${c.repEnd}` });
    }
    if (c.wants('udp.payload') && payloadLen > 0) c.add('udp.payload', c.data.subarray(c.pos, Math.min(c.capEnd, c.pos + payloadLen)), c.pos, Math.min(c.capEnd - c.pos, payloadLen));
    return {
      summary: c.summaries ? () => `${sport} → ${dport} Len=${length - 8}` : undefined,
      info: { srcport: sport, dstport: dport, length, payloadLength: payloadLen },
      next: payloadLen > 0 ? ((c.ctx['inError'] !== true ? quicConversation(c, sport, dport) : undefined) ?? mediaNext(c, sport, dport) ?? { table: 'udp.port', keys: sport <= dport ? [sport, dport] : [dport, sport] }) : undefined,
    };
  },
});

/**
 * Whether the protocol of a datagram outside an ICMP error's quote comes from the `udp.port`
 * table alone (ports, lower first, then the table's heuristics): no QUIC, gQUIC or media
 * conversation is known that could claim it first.
 */
export function udpByPortsOnly(c: Cursor): boolean {
  return !quicTracked(c) && !gquicTracked(c) && !mediaTracked(c);
}
