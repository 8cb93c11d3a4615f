import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

const PDUS: Record<number, string> = {
  0: 'get-request', 1: 'get-next-request', 2: 'get-response', 3: 'set-request', 4: 'trap', 5: 'getBulkRequest',
  6: 'informRequest', 7: 'snmpV2-trap', 8: 'report',
};
const PDU_KEYS = ['snmp.get_request_element', 'snmp.get_next_request_element', 'snmp.get_response_element', 'snmp.set_request_element', 'snmp.trap_element', 'snmp.getBulkRequest_element', 'snmp.informRequest_element', 'snmp.snmpV2_trap_element', 'snmp.report_element'];

interface Tlv {
  tag: number;
  len: number;
  /** Offset of the value. */
  at: number;
}

/** A BER tag and definite length (the cursor ends at the value). */
function tlv(c: Cursor): Tlv {
  const tag = c.u8();
  let len = c.u8();
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) c.malformed(`BER length with ${n} bytes`, undefined, c.pos - 1);
    len = c.uint(n);
  }
  return { tag, len, at: c.pos };
}

/** A BER INTEGER of up to 6 bytes (two's complement, or unsigned for tshark's FT_UINT fields). */
function berInt(c: Cursor, key: string | undefined, t: Tlv, unsigned = false): number {
  if (t.len < 1 || t.len > 6) {
    c.skip(t.len);
    return 0;
  }
  c.need(t.len);
  let v = !unsigned && c.data[t.at]! & 0x80 ? -1 : 0;
  for (let i = 0; i < t.len; i++) v = v * 256 + c.data[t.at + i]!;
  if (key !== undefined) c.add(key, v, t.at, t.len);
  c.skip(t.len);
  return v;
}

/** An OBJECT IDENTIFIER as Wireshark prints it (dotted). */
function oidText(b: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

function expect(c: Cursor, tag: number, what: string): Tlv {
  const at = c.pos;
  const t = tlv(c);
  if (t.tag !== tag) c.malformed(`SNMP: expected ${what}`, undefined, at);
  return t;
}

/** The variable bindings; their object names go into `oids` (tshark's Info column). */
function varbinds(c: Cursor, oids: string[]): void {
  const list = expect(c, 0x30, 'variable-bindings');
  const end = list.at + list.len;
  c.add('snmp.variable_bindings', 0, list.at, 0);
  let guard = 0;
  while (c.pos < end && guard++ < 1024) {
    const vbAt = c.pos;
    const vb = expect(c, 0x30, 'VarBind');
    c.group('snmp.VarBind_element', () => {
      const o = expect(c, 0x06, 'name');
      c.need(o.len);
      const name = oidText(c.data.subarray(o.at, o.at + o.len));
      if (oids.length < 64) oids.push(name);
      c.add('snmp.name', name, o.at, o.len);
      c.skip(o.len);
      const v = tlv(c);
      c.need(v.len);
      switch (v.tag) {
        case 0x05: c.add('snmp.value.null', 0, v.at - 2, 2); break;
        case 0x02: c.seek(v.at); berInt(c, 'snmp.value.int', v); break;
        case 0x04: c.add('snmp.value.octets', c.data.subarray(v.at, v.at + v.len), v.at, v.len); break;
        case 0x06: c.add('snmp.value.oid', oidText(c.data.subarray(v.at, v.at + v.len)), v.at, v.len); break;
        case 0x40: if (v.len === 4) c.add('snmp.value.ipv4', `${c.data[v.at]}.${c.data[v.at + 1]}.${c.data[v.at + 2]}.${c.data[v.at + 3]}`, v.at, 4); break;
        case 0x41: c.seek(v.at); berInt(c, 'snmp.value.counter', v); break;
        case 0x42: c.seek(v.at); berInt(c, 'snmp.value.g32', v); break;
        case 0x43: c.seek(v.at); berInt(c, 'snmp.value.timeticks', v); break;
        default: break;
      }
      c.seek(v.at + v.len);
      return c.data.subarray(vbAt, c.pos);
      // A VarBind whose length claims more than the packet holds ends with the bytes.
    }, Math.max(0, Math.min(vb.at + vb.len, c.capEnd, c.repEnd) - vb.at));
    c.seek(vb.at + vb.len);
  }
}

interface Pdu {
  kind: number;
  requestId: number | undefined;
  oids: string[];
}

/** A PDU (get-request ... report): its type, request id or trap header, and variable bindings. */
function readPdu(c: Cursor): Pdu {
  const pduAt = c.pos;
  const pt = tlv(c);
  const kind = pt.tag - 0xa0;
  if (kind < 0 || kind > 8) c.malformed('SNMP: unknown PDU type', 'snmp.data', pduAt);
  c.add('snmp.data', kind, pduAt, 0);
  const pdu: Pdu = { kind, requestId: undefined, oids: [] };
  c.provisional = () => PDUS[kind]!;
  c.group(PDU_KEYS[kind]!, () => {
    if (kind === 4) {
      const e = expect(c, 0x06, 'enterprise');
      c.need(e.len);
      c.add('snmp.enterprise', oidText(c.data.subarray(e.at, e.at + e.len)), e.at, e.len);
      c.skip(e.len);
      const a = tlv(c);
      if (a.len === 4) c.ipv4('snmp.agent_addr');
      else c.skip(a.len);
      berInt(c, 'snmp.generic_trap', tlv(c));
      berInt(c, 'snmp.specific_trap', tlv(c));
      berInt(c, 'snmp.time_stamp', tlv(c));
    } else {
      pdu.requestId = berInt(c, 'snmp.request_id', expect(c, 0x02, 'request-id'));
      berInt(c, kind === 5 ? 'snmp.non_repeaters' : 'snmp.error_status', expect(c, 0x02, 'error-status'));
      berInt(c, kind === 5 ? 'snmp.max_repetitions' : 'snmp.error_index', expect(c, 0x02, 'error-index'));
    }
    varbinds(c, pdu.oids);
    return c.data.subarray(pduAt, c.pos);
  }, -1);
  return pdu;
}

/** tshark's Info column: the PDU type and the object names of its bindings. */
function pduSummary(p: Pdu): string {
  return p.oids.length > 0 ? `${PDUS[p.kind]!} ${p.oids.join(' ')}` : PDUS[p.kind]!;
}

/** An OCTET STRING (tag 4) recorded as bytes under `key`; returns its TLV. */
function octets(c: Cursor, key: string, what: string): Tlv {
  const t = expect(c, 0x04, what);
  c.bytes(key, t.len);
  return t;
}

/**
 * The SNMPv3 message after its version (RFC 3412): the global data, the security parameters (the
 * user-based model's fields read from inside them), then a plaintext scoped PDU or encrypted bytes.
 */
function readV3(c: Cursor): Pdu | undefined {
  let model = 0;
  c.group('snmp.msgGlobalData_element', () => {
    const g = expect(c, 0x30, 'msgGlobalData');
    berInt(c, 'snmp.msgID', expect(c, 0x02, 'msgID'), true);
    berInt(c, 'snmp.msgMaxSize', expect(c, 0x02, 'msgMaxSize'), true);
    const f = expect(c, 0x04, 'msgFlags');
    if (f.len === 1) {
      c.group('snmp.msgFlags', () => {
        c.flag('snmp.v3.flags.report', 1, 0x04);
        c.flag('snmp.v3.flags.crypt', 1, 0x02);
        c.flag('snmp.v3.flags.auth', 1, 0x01);
        return c.bytes(undefined, 1);
      }, 1);
    } else {
      c.bytes('snmp.msgFlags', f.len);
    }
    model = berInt(c, 'snmp.msgSecurityModel', expect(c, 0x02, 'msgSecurityModel'), true);
    c.seek(g.at + g.len);
    return 0;
  });
  const sp = expect(c, 0x04, 'msgSecurityParameters');
  const spEnd = sp.at + sp.len;
  if (model === 3 && sp.len > 0 && c.peek8() === 0x30) {
    // USM: a SEQUENCE inside the octet string.
    expect(c, 0x30, 'UsmSecurityParameters');
    octets(c, 'snmp.msgAuthoritativeEngineID', 'msgAuthoritativeEngineID');
    berInt(c, 'snmp.msgAuthoritativeEngineBoots', expect(c, 0x02, 'msgAuthoritativeEngineBoots'), true);
    berInt(c, 'snmp.msgAuthoritativeEngineTime', expect(c, 0x02, 'msgAuthoritativeEngineTime'), true);
    const u = expect(c, 0x04, 'msgUserName');
    c.ascii('snmp.msgUserName', u.len);
    octets(c, 'snmp.msgAuthenticationParameters', 'msgAuthenticationParameters');
    octets(c, 'snmp.msgPrivacyParameters', 'msgPrivacyParameters');
    if (c.pos > spEnd) c.malformed('SNMP: security parameters run past their octet string', 'snmp.msgSecurityParameters', sp.at);
    c.seek(spEnd);
  } else {
    c.seek(sp.at);
    c.bytes('snmp.msgSecurityParameters', sp.len);
  }
  const dataAt = c.pos;
  const tag = c.peek8();
  if (tag === 0x04) {
    c.add('snmp.msgData', 1, dataAt, 0);
    const e = expect(c, 0x04, 'encryptedPDU');
    c.bytes('snmp.encryptedPDU', e.len);
    return undefined;
  }
  c.add('snmp.msgData', 0, dataAt, 0);
  let pdu: Pdu | undefined;
  c.group('snmp.plaintext_element', () => {
    expect(c, 0x30, 'ScopedPDU');
    octets(c, 'snmp.contextEngineID', 'contextEngineID');
    const n = expect(c, 0x04, 'contextName');
    c.ascii('snmp.contextName', n.len);
    pdu = readPdu(c);
    return 0;
  });
  return pdu;
}

/** Simple Network Management Protocol (UDP 161/162): version, community, PDU, request id, varbinds. */
export const snmp = defineProtocol({
  id: 'snmp',
  name: 'Simple Network Management Protocol',
  short: 'SNMP',
  bindings: [
    { table: 'udp.port', key: 161 },
    { table: 'udp.port', key: 162 },
  ],
  fields: {
    'snmp.version': { label: 'version', type: 'i32', values: { 0: 'version-1', 1: 'v2c', 3: 'v3' } },
    'snmp.msgVersion': { label: 'msgVersion', type: 'i32' },
    'snmp.community': { label: 'community', type: 'string' },
    'snmp.data': { label: 'data', type: 'u32', values: PDUS },
    ...Object.fromEntries(PDU_KEYS.map((k, i) => [k, { label: PDUS[i]!, type: 'none' as const }])),
    'snmp.request_id': { label: 'request-id', type: 'i32' },
    'snmp.error_status': { label: 'error-status', type: 'i32' },
    'snmp.error_index': { label: 'error-index', type: 'i32' },
    'snmp.non_repeaters': { label: 'non-repeaters', type: 'i32' },
    'snmp.max_repetitions': { label: 'max-repetitions', type: 'i32' },
    'snmp.enterprise': { label: 'enterprise', type: 'oid' },
    'snmp.agent_addr': { label: 'agent-addr', type: 'ipv4' },
    'snmp.generic_trap': { label: 'generic-trap', type: 'i32' },
    'snmp.specific_trap': { label: 'specific-trap', type: 'i32' },
    'snmp.time_stamp': { label: 'time-stamp', type: 'u32' },
    'snmp.variable_bindings': { label: 'variable-bindings', type: 'u32' },
    'snmp.VarBind_element': { label: 'VarBind', type: 'none' },
    'snmp.name': { label: 'Object Name', type: 'oid' },
    'snmp.value.null': { label: 'Value (Null)', type: 'none' },
    'snmp.value.int': { label: 'Value (Integer32)', type: 'i64' },
    'snmp.value.octets': { label: 'Value (OctetString)', type: 'bytes' },
    'snmp.value.oid': { label: 'Value (OID)', type: 'oid' },
    'snmp.value.ipv4': { label: 'Value (IpAddress)', type: 'ipv4' },
    'snmp.value.counter': { label: 'Value (Counter32)', type: 'u64' },
    'snmp.value.g32': { label: 'Value (Gauge32)', type: 'i64' },
    'snmp.value.timeticks': { label: 'Value (Timeticks)', type: 'u64' },
    'snmp.msgGlobalData_element': { label: 'msgGlobalData', type: 'none' },
    'snmp.msgID': { label: 'msgID', type: 'u32' },
    'snmp.msgMaxSize': { label: 'msgMaxSize', type: 'u32' },
    'snmp.msgFlags': { label: 'msgFlags', type: 'bytes' },
    'snmp.v3.flags.report': { label: 'Reportable', type: 'bool', mask: 0x04, tfs: ['Set', 'Not set'] },
    'snmp.v3.flags.crypt': { label: 'Encrypted', type: 'bool', mask: 0x02, tfs: ['Set', 'Not set'] },
    'snmp.v3.flags.auth': { label: 'Authenticated', type: 'bool', mask: 0x01, tfs: ['Set', 'Not set'] },
    'snmp.msgSecurityModel': { label: 'msgSecurityModel', type: 'u32', values: { 0: 'any', 1: 'v1', 2: 'v2c', 3: 'USM' } },
    'snmp.msgSecurityParameters': { label: 'msgSecurityParameters', type: 'bytes' },
    'snmp.msgAuthoritativeEngineID': { label: 'msgAuthoritativeEngineID', type: 'bytes' },
    'snmp.msgAuthoritativeEngineBoots': { label: 'msgAuthoritativeEngineBoots', type: 'u32' },
    'snmp.msgAuthoritativeEngineTime': { label: 'msgAuthoritativeEngineTime', type: 'u32' },
    'snmp.msgUserName': { label: 'msgUserName', type: 'string' },
    'snmp.msgAuthenticationParameters': { label: 'msgAuthenticationParameters', type: 'bytes' },
    'snmp.msgPrivacyParameters': { label: 'msgPrivacyParameters', type: 'bytes' },
    'snmp.msgData': { label: 'msgData', type: 'u32', values: { 0: 'plaintext', 1: 'encryptedPDU' } },
    'snmp.plaintext_element': { label: 'plaintext', type: 'none' },
    'snmp.contextEngineID': { label: 'contextEngineID', type: 'bytes' },
    'snmp.contextName': { label: 'contextName', type: 'string' },
    'snmp.encryptedPDU': { label: 'encryptedPDU', type: 'bytes' },
  },
  dissect(c) {
    const msg = expect(c, 0x30, 'Message');
    c.limit(Math.min(msg.at + msg.len - c.start, c.repEnd - c.start));
    const vt = expect(c, 0x02, 'version');
    c.seek(vt.at);
    const version = berInt(c, undefined, vt);
    if (version === 3) {
      c.add('snmp.msgVersion', version, vt.at, vt.len);
      const pdu = readV3(c);
      const summary = c.summaries ? (pdu === undefined ? 'encryptedPDU' : pduSummary(pdu)) : '';
      return { summary, info: { version, pdu: pdu?.kind, requestId: pdu?.requestId } };
    }
    c.add('snmp.version', version, vt.at, vt.len);
    const ct = expect(c, 0x04, 'community');
    const community = c.ascii('snmp.community', ct.len);
    const pdu = readPdu(c);
    const summary = c.summaries ? pduSummary(pdu) : '';
    return { summary, info: { version, community, pdu: pdu.kind, requestId: pdu.requestId } };
  },
});
