import { defineProtocol } from '../protocol.js';

const CODES: Record<number, string> = {
  1: 'Access-Request', 2: 'Access-Accept', 3: 'Access-Reject', 4: 'Accounting-Request', 5: 'Accounting-Response',
  11: 'Access-Challenge', 12: 'Status-Server', 13: 'Status-Client', 40: 'Disconnect-Request', 41: 'Disconnect-ACK',
  42: 'Disconnect-NAK', 43: 'CoA-Request', 44: 'CoA-ACK', 45: 'CoA-NAK',
};

type Kind = 'string' | 'ipv4' | 'u32' | 'bytes';
/** Attribute number → [name, field key, kind]. */
const ATTRS: Record<number, [string, string, Kind]> = {
  1: ['User-Name', 'radius.User_Name', 'string'],
  2: ['User-Password', 'radius.User_Password', 'bytes'],
  3: ['CHAP-Password', 'radius.CHAP_Password', 'bytes'],
  4: ['NAS-IP-Address', 'radius.NAS_IP_Address', 'ipv4'],
  5: ['NAS-Port', 'radius.NAS_Port', 'u32'],
  6: ['Service-Type', 'radius.Service_Type', 'u32'],
  7: ['Framed-Protocol', 'radius.Framed_Protocol', 'u32'],
  8: ['Framed-IP-Address', 'radius.Framed_IP_Address', 'ipv4'],
  11: ['Filter-Id', 'radius.Filter_Id', 'string'],
  12: ['Framed-MTU', 'radius.Framed_MTU', 'u32'],
  18: ['Reply-Message', 'radius.Reply_Message', 'string'],
  24: ['State', 'radius.State', 'bytes'],
  25: ['Class', 'radius.Class', 'bytes'],
  26: ['Vendor-Specific', 'radius.Vendor_Specific', 'bytes'],
  27: ['Session-Timeout', 'radius.Session_Timeout', 'u32'],
  30: ['Called-Station-Id', 'radius.Called_Station_Id', 'string'],
  31: ['Calling-Station-Id', 'radius.Calling_Station_Id', 'string'],
  32: ['NAS-Identifier', 'radius.NAS_Identifier', 'string'],
  40: ['Acct-Status-Type', 'radius.Acct_Status_Type', 'u32'],
  44: ['Acct-Session-Id', 'radius.Acct_Session_Id', 'string'],
  60: ['CHAP-Challenge', 'radius.CHAP_Challenge', 'bytes'],
  61: ['NAS-Port-Type', 'radius.NAS_Port_Type', 'u32'],
  79: ['EAP-Message', 'radius.EAP_Message', 'bytes'],
  80: ['Message-Authenticator', 'radius.Message_Authenticator', 'bytes'],
};

const attrFields = Object.fromEntries(
  Object.values(ATTRS).map(([name, key, kind]) => [key, { label: name, type: kind === 'u32' ? ('u32' as const) : kind }]),
);

/** RADIUS (UDP 1812/1813 and the old 1645/1646): header and attributes by name. */
export const radius = defineProtocol({
  id: 'radius',
  name: 'RADIUS Protocol',
  short: 'RADIUS',
  bindings: [1645, 1646, 1812, 1813].map((key) => ({ table: 'udp.port', key })),
  fields: {
    'radius.code': { label: 'Code', type: 'u8', values: CODES },
    'radius.id': { label: 'Packet identifier', type: 'u8' },
    'radius.length': { label: 'Length', type: 'u16' },
    'radius.authenticator': { label: 'Authenticator', type: 'bytes' },
    'radius.avp': { label: 'AVP', type: 'bytes' },
    'radius.avp.type': { label: 'Type', type: 'u8' },
    'radius.avp.length': { label: 'Length', type: 'u8' },
    ...attrFields,
  },
  dissect(c) {
    const start = c.pos;
    const code = c.u8('radius.code');
    const id = c.u8('radius.id');
    const length = c.u16('radius.length');
    if (length < 20) c.malformed(`RADIUS length ${length} < 20`, 'radius.length', start + 2);
    c.limit(length, 'radius.length');
    c.bytes('radius.authenticator', 16);
    let guard = 0;
    while (c.remaining() >= 2 && guard++ < 256) {
      const at = c.pos;
      const type = c.peek8();
      const len = c.peek8(1);
      if (len < 2) c.malformed(`RADIUS attribute length ${len} < 2`, 'radius.avp.length', at + 1);
      const def = ATTRS[type];
      let shown = '';
      c.group('radius.avp', () => {
        c.u8('radius.avp.type');
        c.u8('radius.avp.length');
        const n = len - 2;
        if (def !== undefined && def[2] === 'string') shown = c.utf8(def[1], n);
        else if (def !== undefined && def[2] === 'ipv4' && n === 4) shown = c.ipv4(def[1]);
        else if (def !== undefined && def[2] === 'u32' && n === 4) shown = String(c.u32(def[1]));
        else if (def !== undefined && n > 0) c.bytes(def[1], n);
        else c.skip(n);
        return c.data.subarray(at, at + len);
      }, len, () => `AVP: t=${def?.[0] ?? `Unknown-Attribute-${type}`}(${type}) l=${len}${shown ? ` val=${shown}` : ''}`);
    }
    return { summary: c.summaries ? `${CODES[code] ?? `Unknown (${code})`} id=${id}` : '', info: { code, id } };
  },
});
