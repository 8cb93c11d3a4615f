import { formatIpv4 } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/**
 * Teredo (RFC 4380): optional authentication and origin indication headers, then IPv6. Like
 * tshark 4.0, only UDP port 3544 (its heuristic is disabled by default).
 */
export const teredo = defineProtocol({
  id: 'teredo',
  name: 'Teredo IPv6 over UDP tunneling',
  short: 'Teredo',
  bindings: [{ table: 'udp.port', key: 3544 }],
  fields: {
    'teredo.auth': { label: 'Teredo Authentication header', type: 'none' },
    'teredo.auth.idlen': { label: 'Client identifier length', type: 'u8' },
    'teredo.auth.aulen': { label: 'Authentication value length', type: 'u8' },
    'teredo.auth.id': { label: 'Client identifier', type: 'bytes' },
    'teredo.auth.value': { label: 'Authentication value', type: 'bytes' },
    'teredo.auth.nonce': { label: 'Nonce value', type: 'bytes' },
    'teredo.auth.conf': { label: 'Confirmation byte', type: 'bytes' },
    'teredo.orig': { label: 'Teredo Origin Indication header', type: 'none' },
    'teredo.orig.port': { label: 'Origin UDP port', type: 'u16' },
    'teredo.orig.addr': { label: 'Origin IPv4 address', type: 'ipv4' },
  },
  dissect(c) {
    const info: Record<string, unknown> = {};
    let indicator = c.peek16();
    if (indicator === 1) {
      const at = c.pos;
      c.group('teredo.auth', () => {
        c.skip(2);
        const idlen = c.u8('teredo.auth.idlen');
        const aulen = c.u8('teredo.auth.aulen');
        if (idlen > 0) c.bytes('teredo.auth.id', idlen);
        if (aulen > 0) c.bytes('teredo.auth.value', aulen);
        c.bytes('teredo.auth.nonce', 8);
        c.bytes('teredo.auth.conf', 1);
        return c.data.subarray(at, c.pos);
      }, -1, () => 'Teredo Authentication header');
      info['auth'] = true;
      indicator = c.peek16();
    }
    if (indicator === 0) {
      const at = c.pos;
      c.group('teredo.orig', () => {
        c.skip(2);
        const port = c.u16() ^ 0xffff;
        c.add('teredo.orig.port', port, at + 2, 2);
        c.need(4, 'teredo.orig.addr');
        const b = Uint8Array.from(c.data.subarray(c.pos, c.pos + 4), (x) => x ^ 0xff);
        const addr = formatIpv4(b, 0);
        c.add('teredo.orig.addr', addr, c.pos, 4);
        c.skip(4);
        info['origPort'] = port;
        info['origAddr'] = addr;
        return c.data.subarray(at, at + 8);
      }, 8, () => 'Teredo Origin Indication header');
    }
    return { summary: 'Teredo', info, next: { protocol: 'ipv6' } };
  },
});
