import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const CODES: Record<number, string> = {
  0x00: 'Session Data',
  0x07: 'Active Discovery Offer (PADO)',
  0x09: 'Active Discovery Initiation (PADI)',
  0x0a: 'Active Discovery Session-Grant (PADG)',
  0x0b: 'Active Discovery Session-Credit Response (PADC)',
  0x0c: 'Active Discovery Quality (PADQ)',
  0x19: 'Active Discovery Request (PADR)',
  0x65: 'Active Discovery Session-confirmation (PADS)',
  0xa7: 'Active Discovery Terminate (PADT)',
};

const TAGS: Record<number, string> = {
  0x0000: 'End-Of-List',
  0x0101: 'Service-Name',
  0x0102: 'AC-Name',
  0x0103: 'Host-Uniq',
  0x0104: 'AC-Cookie',
  0x0105: 'Vendor-Specific',
  0x0106: 'Credits',
  0x0107: 'Metrics',
  0x0108: 'Sequence Number',
  0x0109: 'Credit Scale Factor',
  0x0110: 'Relay-Session-Id',
  0x0111: 'HURL',
  0x0112: 'MOTM',
  0x0120: 'PPP-Max-Payload',
  0x0121: 'IP Route Add',
  0x0201: 'Service-Name-Error',
  0x0202: 'AC-System-Error',
  0x0203: 'Generic-Error',
};

/** Tags whose value has its own field: text or bytes. */
const TAG_FIELDS: Record<number, [string, 'text' | 'bytes']> = {
  0x0101: ['pppoed.tags.service_name', 'text'],
  0x0102: ['pppoed.tags.ac_name', 'text'],
  0x0103: ['pppoed.tags.host_uniq', 'bytes'],
  0x0104: ['pppoed.tags.ac_cookie', 'bytes'],
  0x0110: ['pppoed.tags.relay_session_id', 'bytes'],
  0x0111: ['pppoed.tags.hurl', 'bytes'],
  0x0112: ['pppoed.tags.motm', 'bytes'],
  0x0120: ['pppoed.tags.max_payload', 'bytes'],
  0x0121: ['pppoed.tags.ip_route_add', 'bytes'],
  0x0201: ['pppoed.tags.service_name_error', 'text'],
  0x0202: ['pppoed.tags.ac_system_error', 'text'],
  0x0203: ['pppoed.tags.generic_error', 'text'],
};

/** The 6-byte PPPoE header, shared by discovery and session stages. */
function header(c: Cursor): { code: number; session: number; length: number } {
  c.bits('pppoe.version', 1, 0xf0);
  c.bits('pppoe.type', 1, 0x0f);
  c.skip(1);
  const code = c.u8('pppoe.code');
  const session = c.u16('pppoe.session_id');
  const length = c.u16('pppoe.payload_length');
  // Ethernet padding after the payload belongs to the Ethernet trailer.
  if (6 + length <= c.reportedRemaining() + (c.pos - c.start)) c.limit(6 + length);
  else c.expert('warning', `payload length ${length} exceeds the frame`, 'pppoe.payload_length', c.pos - 2);
  return { code, session, length };
}

/** PPPoE Discovery (Ethertype 0x8863): header and tags. */
export const pppoed = defineProtocol({
  id: 'pppoed',
  name: 'PPP-over-Ethernet Discovery',
  short: 'PPPoED',
  bindings: [{ table: 'ethertype', key: 0x8863 }],
  fields: {
    'pppoe.version': { label: 'Version', type: 'u8', mask: 0xf0 },
    'pppoe.type': { label: 'Type', type: 'u8', mask: 0x0f },
    'pppoe.code': { label: 'Code', type: 'u8', base: 'hex', values: CODES },
    'pppoe.session_id': { label: 'Session ID', type: 'u16', base: 'hex' },
    'pppoe.payload_length': { label: 'Payload Length', type: 'u16' },
    'pppoed.tags': { label: 'PPPoE Tags', type: 'none' },
    'pppoed.tag': { label: 'Tag', type: 'u16', base: 'hex', values: TAGS },
    'pppoed.tag_length': { label: 'Tag Length', type: 'u16' },
    'pppoed.tag.unknown_data': { label: 'Unknown Data', type: 'bytes' },
    'pppoed.tags.service_name': { label: 'Service-Name', type: 'string' },
    'pppoed.tags.ac_name': { label: 'AC-Name', type: 'string' },
    'pppoed.tags.host_uniq': { label: 'Host-Uniq', type: 'bytes' },
    'pppoed.tags.ac_cookie': { label: 'AC-Cookie', type: 'bytes' },
    'pppoed.tags.vendor_id': { label: 'Vendor id', type: 'u32' },
    'pppoed.tags.vendor_unspecified': { label: 'Vendor unspecified', type: 'bytes' },
    'pppoed.tags.relay_session_id': { label: 'Relay-Session-Id', type: 'bytes' },
    'pppoed.tags.hurl': { label: 'HURL', type: 'bytes' },
    'pppoed.tags.motm': { label: 'MOTM', type: 'bytes' },
    'pppoed.tags.max_payload': { label: 'PPP-Max-Payload', type: 'bytes' },
    'pppoed.tags.ip_route_add': { label: 'IP Route Add', type: 'bytes' },
    'pppoed.tags.service_name_error': { label: 'Service-Name-Error', type: 'string' },
    'pppoed.tags.ac_system_error': { label: 'AC-System-Error', type: 'string' },
    'pppoed.tags.generic_error': { label: 'Generic-Error', type: 'string' },
  },
  dissect(c) {
    const { code, session, length } = header(c);
    const end = c.start + 6 + length;
    const names: string[] = [];
    if (length > 0) {
      c.group('pppoed.tags', () => {
        let guard = 0;
        while (c.pos + 4 <= end && guard++ < 256) {
          const type = c.u16();
          const len = c.u16();
          c.seek(c.pos - 4);
          if (c.pos + 4 + len > end) c.malformed(`tag length ${len} runs past the payload`, 'pppoed.tag_length', c.pos + 2);
          names.push(TAGS[type] ?? `0x${type.toString(16).padStart(4, '0')}`);
          const spec = TAG_FIELDS[type];
          if (spec !== undefined) {
            // Wireshark shows a known tag as one item, the value under its own name (nothing
            // for an empty one).
            c.skip(4);
            if (len > 0 && spec[1] === 'text') c.ascii(spec[0], len);
            else if (len > 0) c.bytes(spec[0], len);
          } else {
            c.u16('pppoed.tag');
            c.u16('pppoed.tag_length');
            if (type === 0x0105 && len >= 4) {
              c.u32('pppoed.tags.vendor_id');
              if (len > 4) c.bytes('pppoed.tags.vendor_unspecified', len - 4);
            } else if (len > 0) {
              c.bytes('pppoed.tag.unknown_data', len);
            }
          }
          if (type === 0) break;
        }
        if (guard > 256) c.expert('warning', 'too many tags; the rest is not dissected');
        return c.data.subarray(c.start + 6, Math.min(end, c.capEnd));
        // The tags item ends where the bytes do when the payload length claims more.
      }, Math.max(0, Math.min(end, c.capEnd, c.repEnd) - (c.start + 6)));
    }
    return {
      summary: () => CODES[code] ?? `Unknown code 0x${code.toString(16).padStart(2, '0')}`,
      info: { code, session, tags: names },
    };
  },
});

/** PPPoE Session (Ethertype 0x8864): header, then PPP without address and control bytes. */
export const pppoes = defineProtocol({
  id: 'pppoes',
  name: 'PPP-over-Ethernet Session',
  short: 'PPPoES',
  bindings: [
    { table: 'ethertype', key: 0x8864 },
    { table: 'linktype', key: 51 },
  ],
  fields: {},
  dissect(c) {
    const { code, session, length } = header(c);
    const hex = `0x${session.toString(16).padStart(4, '0')}`;
    return {
      summary: () => `${CODES[code] ?? 'Unknown code'}, Session ID: ${hex}`,
      info: { code, session, length },
      next: length > 0 ? { protocol: 'ppp', ctx: { pppPlain: true } } : undefined,
    };
  },
});
