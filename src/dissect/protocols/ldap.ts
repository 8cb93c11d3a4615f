import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';
import { trackNextPdu } from './tcp-sequence.js';

/** protocolOp choices (RFC 4511 4.2-4.14): [APPLICATION n]. */
const OPS: Record<number, string> = {
  0: 'bindRequest', 1: 'bindResponse', 2: 'unbindRequest', 3: 'searchRequest', 4: 'searchResEntry', 5: 'searchResDone',
  6: 'modifyRequest', 7: 'modifyResponse', 8: 'addRequest', 9: 'addResponse', 10: 'delRequest', 11: 'delResponse',
  12: 'modDNRequest', 13: 'modDNResponse', 14: 'compareRequest', 15: 'compareResponse', 16: 'abandonRequest',
  19: 'searchResRef', 23: 'extendedReq', 24: 'extendedResp', 25: 'intermediateResponse',
};
const RESULT_CODES: Record<number, string> = {
  0: 'success', 1: 'operationsError', 2: 'protocolError', 3: 'timeLimitExceeded', 4: 'sizeLimitExceeded',
  5: 'compareFalse', 6: 'compareTrue', 7: 'authMethodNotSupported', 8: 'strongAuthRequired', 10: 'referral',
  11: 'adminLimitExceeded', 12: 'unavailableCriticalExtension', 13: 'confidentialityRequired', 14: 'saslBindInProgress',
  16: 'noSuchAttribute', 17: 'undefinedAttributeType', 18: 'inappropriateMatching', 19: 'constraintViolation',
  20: 'attributeOrValueExists', 21: 'invalidAttributeSyntax', 32: 'noSuchObject', 33: 'aliasProblem',
  34: 'invalidDNSyntax', 36: 'aliasDereferencingProblem', 48: 'inappropriateAuthentication', 49: 'invalidCredentials',
  50: 'insufficientAccessRights', 51: 'busy', 52: 'unavailable', 53: 'unwillingToPerform', 54: 'loopDetect',
  64: 'namingViolation', 65: 'objectClassViolation', 66: 'notAllowedOnNonLeaf', 67: 'notAllowedOnRDN',
  68: 'entryAlreadyExists', 69: 'objectClassModsProhibited', 71: 'affectsMultipleDSAs', 80: 'other',
};
const AUTHENTICATION: Record<number, string> = { 0: 'simple', 3: 'sasl', 9: 'sicilyPackageDiscovery', 10: 'sicilyNegotiate', 11: 'sicilyResponse' };
const SCOPES: Record<number, string> = { 0: 'baseObject', 1: 'singleLevel', 2: 'wholeSubtree' };
const DEREF: Record<number, string> = { 0: 'neverDerefAliases', 1: 'derefInSearching', 2: 'derefFindingBaseObj', 3: 'derefAlways' };

const BIND_REQUEST = 0;
const BIND_RESPONSE = 1;
const SEARCH_REQUEST = 3;
const SEARCH_RES_ENTRY = 4;
const DEL_REQUEST = 10;
const ABANDON_REQUEST = 16;
const EXTENDED_REQ = 23;
const EXTENDED_RESP = 24;
/** LDAPResult-shaped responses. */
const RESULTS = new Set([1, 5, 7, 9, 11, 13, 15, 24]);

/** Most messages read from one segment, attributes from one entry, values from one attribute. */
const MAX_MESSAGES = 64;
const MAX_ITEMS = 256;
/** Longest string shown in a field (longer ones are cut). */
const MAX_TEXT = 4096;

interface Tlv {
  readonly cls: number;
  readonly constructed: boolean;
  readonly tag: number;
  readonly len: number;
  /** Where the value starts. */
  readonly at: number;
}

/** A BER identifier and length (RFC 4511 5.1 allows only definite lengths); the value is not read. */
function tlv(c: Cursor): Tlv {
  const id = c.u8();
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; i < 4; i++) {
      const b = c.u8();
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  const first = c.u8();
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) c.malformed(n === 0 ? 'indefinite BER length (not allowed in LDAP)' : `BER length of ${n} bytes`, undefined, c.pos - 1);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + c.u8();
  }
  return { cls: id >> 6, constructed: (id & 0x20) !== 0, tag, len, at: c.pos };
}

/** An INTEGER or ENUMERATED value (at most four bytes are kept). */
function integer(c: Cursor, t: Tlv, key?: string): number {
  let v = 0;
  const n = t.len;
  for (let i = 0; i < n; i++) {
    const b = c.u8();
    v = i === 0 && b & 0x80 ? b - 256 : v * 256 + b;
  }
  if (key !== undefined) c.add(key, v, t.at, n);
  return v;
}

/** An OCTET STRING shown as text. */
function text(c: Cursor, t: Tlv, key?: string): string {
  const raw = c.bytes(undefined, t.len);
  let s = '';
  for (let i = 0; i < raw.length && i < MAX_TEXT; i++) s += String.fromCharCode(raw[i]!);
  if (key !== undefined) c.add(key, s, t.at, t.len);
  return s;
}

/** The next element, which must lie inside `end`. */
function element(c: Cursor, end: number): Tlv {
  const t = tlv(c);
  if (t.at + t.len > end) c.malformed(`BER element of ${t.len} bytes runs past its container`, undefined, t.at);
  return t;
}

/** Whether a SASL buffer starts at `at`: a length, then a GSS-API token (RFC 4752, RFC 4121). */
function saslAt(d: Uint8Array, at: number, end: number): boolean {
  if (at + 6 > end || d[at] !== 0) return false;
  const b = d[at + 4]!;
  const b2 = d[at + 5]!;
  return b === 0x60 || ((b === 0x04 || b === 0x05) && (b2 === 0x04 || b2 === 0x05));
}

/**
 * Lightweight Directory Access Protocol (RFC 4511) over TCP 389 and 3268: each LDAPMessage in
 * the segment (message id, operation and its main fields, the result of responses), and SASL
 * buffers once a SASL bind has wrapped the connection (RFC 4513 5.2.1.5; their GSS-API tokens
 * stay opaque). A message longer than the segment is read as far as it goes (no reassembly).
 */
export const ldap = defineProtocol({
  id: 'ldap',
  name: 'Lightweight Directory Access Protocol',
  short: 'LDAP',
  bindings: [
    { table: 'tcp.port', key: 389 },
    { table: 'tcp.port', key: 3268 },
  ],
  fields: {
    'ldap.LDAPMessage_element': { label: 'LDAPMessage', type: 'none' },
    'ldap.messageID': { label: 'messageID', type: 'u32' },
    'ldap.protocolOp': { label: 'protocolOp', type: 'u32', values: OPS },
    'ldap.bindRequest_element': { label: 'bindRequest', type: 'none' },
    'ldap.bindResponse_element': { label: 'bindResponse', type: 'none' },
    'ldap.searchRequest_element': { label: 'searchRequest', type: 'none' },
    'ldap.searchResEntry_element': { label: 'searchResEntry', type: 'none' },
    'ldap.version': { label: 'version', type: 'u32' },
    'ldap.name': { label: 'name', type: 'string' },
    'ldap.authentication': { label: 'authentication', type: 'u32', values: AUTHENTICATION },
    'ldap.simple': { label: 'simple', type: 'string' },
    'ldap.sasl_element': { label: 'sasl', type: 'none' },
    'ldap.mechanism': { label: 'mechanism', type: 'string' },
    'ldap.credentials': { label: 'credentials', type: 'bytes' },
    'ldap.resultCode': { label: 'resultCode', type: 'u32', values: RESULT_CODES },
    'ldap.matchedDN': { label: 'matchedDN', type: 'string' },
    'ldap.errorMessage': { label: 'errorMessage', type: 'string' },
    'ldap.serverSaslCreds': { label: 'serverSaslCreds', type: 'bytes' },
    'ldap.baseObject': { label: 'baseObject', type: 'string' },
    'ldap.scope': { label: 'scope', type: 'u32', values: SCOPES },
    'ldap.derefAliases': { label: 'derefAliases', type: 'u32', values: DEREF },
    'ldap.sizeLimit': { label: 'sizeLimit', type: 'u32' },
    'ldap.timeLimit': { label: 'timeLimit', type: 'u32' },
    'ldap.typesOnly': { label: 'typesOnly', type: 'bool' },
    'ldap.attributes': { label: 'attributes', type: 'u32' },
    'ldap.AttributeDescription': { label: 'AttributeDescription', type: 'string' },
    'ldap.objectName': { label: 'objectName', type: 'string' },
    'ldap.type': { label: 'type', type: 'string' },
    'ldap.delRequest': { label: 'delRequest', type: 'string' },
    'ldap.abandonRequest': { label: 'abandonRequest', type: 'u32' },
    'ldap.requestName': { label: 'requestName', type: 'string' },
    'ldap.responseName': { label: 'responseName', type: 'string' },
    'ldap.sasl_buffer_length': { label: 'SASL Buffer Length', type: 'u32' },
    'ldap.gssapi_encrypted_payload': { label: 'GSS-API Encrypted payload', type: 'bytes' },
  },
  dissect(c) {
    const parts: string[] = [];
    c.provisional = () => parts.join(' | ');
    for (let i = 0; i < MAX_MESSAGES && c.pos < c.capEnd; i++) {
      if (c.peek8() === 0x30) message(c, parts);
      else if (saslAt(c.data, c.pos, c.capEnd)) parts.push(saslBuffer(c));
      else {
        // Not the start of a message: the rest of a message an earlier segment began.
        c.skip(c.remaining());
        if (parts.length === 0) parts.push('Continuation');
      }
    }
    return { summary: () => parts.join(' | '), info: { messages: parts.length } };
  },
});

/**
 * A SASL-wrapped buffer: its length and the (opaque) GSS-API token. The Info column counts the
 * payload as tshark does for a sealed Kerberos CFX wrap token (RFC 4121 4.2.6.2): the buffer less
 * the token header, the rotated bytes, the filler and the encrypted copy of the header.
 */
function saslBuffer(c: Cursor): string {
  const n = c.u32('ldap.sasl_buffer_length');
  if (c.pos + n > c.repEnd) trackNextPdu(c, c.pos + n - c.repEnd);
  let payload = n;
  // The token's header, its rotated bytes and (sealed) the encrypted header copy are not payload.
  let before = 0;
  if (n >= 16 && c.has(8) && c.peek8() === 0x05 && c.peek8(1) === 0x04) {
    const sealed = (c.peek8(2) & 0x02) !== 0;
    const ec = c.peek16(4);
    const rrc = c.peek16(6);
    const p = n - 16 - rrc - (sealed ? ec + 16 : ec);
    if (p >= 0) {
      payload = p;
      before = 16 + rrc + (sealed ? 16 : 0);
    }
  }
  const at = c.pos;
  c.skip(before);
  c.bytes('ldap.gssapi_encrypted_payload', payload === n ? n : payload);
  // The filler after the payload (if any) belongs to the token too.
  c.skip(at + n - c.pos);
  return `SASL GSS-API Privacy: payload (${payload} bytes)`;
}

/** One LDAPMessage; its Info text goes into `parts` as it grows (so a read that fails keeps it). */
function message(c: Cursor, parts: string[]): void {
  let info = '';
  const slot = parts.length;
  const say = (s: string): void => {
    info = s;
    parts[slot] = s;
  };
  c.group('ldap.LDAPMessage_element', () => {
    const seq = tlv(c);
    const end = seq.at + seq.len;
    // A message that goes on in later segments: those are its continuation, not new messages.
    if (end > c.repEnd) trackNextPdu(c, end - c.repEnd);
    const idTlv = element(c, end);
    const id = integer(c, idTlv, 'ldap.messageID');
    const opAt = c.pos;
    const op = element(c, end);
    const opName = OPS[op.tag] ?? `unknown (${op.tag})`;
    c.add('ldap.protocolOp', op.tag, opAt, 1, `protocolOp: ${opName} (${op.tag})`);
    say(`${opName}(${id}) `);
    const opEnd = op.at + op.len;
    if (op.tag === BIND_REQUEST) {
      c.group('ldap.bindRequest_element', () => {
        integer(c, element(c, opEnd), 'ldap.version');
        const name = text(c, element(c, opEnd), 'ldap.name');
        say(`${opName}(${id}) "${name === '' ? '<ROOT>' : name}" `);
        const authAt = c.pos;
        const auth = element(c, opEnd);
        c.add('ldap.authentication', auth.tag, authAt, 1);
        if (auth.tag === 0) {
          text(c, auth, 'ldap.simple');
          say(`${info}simple `);
        } else if (auth.tag === 3) {
          c.group('ldap.sasl_element', () => {
            const authEnd = auth.at + auth.len;
            text(c, element(c, authEnd), 'ldap.mechanism');
            if (c.pos < authEnd) {
              const cred = element(c, authEnd);
              c.bytes('ldap.credentials', cred.len);
            }
            return '';
          }, -1, () => 'sasl');
          say(`${info}sasl `);
        } else c.skip(auth.len);
        return '';
      }, -1, () => 'bindRequest');
    } else if (RESULTS.has(op.tag)) {
      const code = result(c, opEnd);
      say(`${opName}(${id}) ${RESULT_CODES[code] ?? `unknown (${code})`} `);
      if (op.tag === BIND_RESPONSE && c.pos < opEnd) {
        const t = element(c, opEnd);
        if (t.tag === 7) c.bytes('ldap.serverSaslCreds', t.len);
        else c.skip(t.len);
      } else if (op.tag === EXTENDED_RESP && c.pos < opEnd) {
        const t = element(c, opEnd);
        if (t.tag === 10) text(c, t, 'ldap.responseName');
        else c.skip(t.len);
      }
    } else if (op.tag === SEARCH_REQUEST) {
      c.group('ldap.searchRequest_element', () => {
        const base = text(c, element(c, opEnd), 'ldap.baseObject');
        const scope = integer(c, element(c, opEnd), 'ldap.scope');
        say(`${opName}(${id}) "${base === '' ? '<ROOT>' : base}" ${SCOPES[scope] ?? scope} `);
        integer(c, element(c, opEnd), 'ldap.derefAliases');
        integer(c, element(c, opEnd), 'ldap.sizeLimit');
        integer(c, element(c, opEnd), 'ldap.timeLimit');
        const only = element(c, opEnd);
        c.add('ldap.typesOnly', integer(c, only) !== 0, only.at, only.len);
        const filter = element(c, opEnd);
        c.skip(filter.len);
        if (c.pos < opEnd) {
          const list = element(c, opEnd);
          const listEnd = list.at + list.len;
          c.add('ldap.attributes', 0, list.at, list.len);
          for (let i = 0; i < MAX_ITEMS && c.pos < listEnd; i++) text(c, element(c, listEnd), 'ldap.AttributeDescription');
        }
        return '';
      }, -1, () => 'searchRequest');
    } else if (op.tag === SEARCH_RES_ENTRY) {
      c.group('ldap.searchResEntry_element', () => {
        const name = text(c, element(c, opEnd), 'ldap.objectName');
        say(`${opName}(${id}) "${name}" `);
        if (c.pos < opEnd) {
          const list = element(c, opEnd);
          const listEnd = list.at + list.len;
          for (let i = 0; i < MAX_ITEMS && c.pos < listEnd; i++) {
            const item = element(c, listEnd);
            const itemEnd = item.at + item.len;
            text(c, element(c, itemEnd), 'ldap.type');
            c.skip(itemEnd - c.pos);
          }
        }
        return '';
      }, -1, () => 'searchResEntry');
    } else if (op.tag === DEL_REQUEST) {
      const dn = text(c, op, 'ldap.delRequest');
      say(`${opName}(${id}) "${dn}" `);
    } else if (op.tag === ABANDON_REQUEST) {
      integer(c, op, 'ldap.abandonRequest');
    } else if (op.tag === EXTENDED_REQ) {
      const t = element(c, opEnd);
      const name = t.tag === 0 ? text(c, t, 'ldap.requestName') : '';
      say(`${opName}(${id}) ${name} `);
    }
    // What is not read of the operation and the controls after it.
    if (c.pos < end) c.skip(end - c.pos);
    return '';
  }, -1, () => `LDAPMessage ${info}`);
}

/** An LDAPResult's code, matched DN and error message; returns the code. */
function result(c: Cursor, end: number): number {
  const code = integer(c, element(c, end), 'ldap.resultCode');
  text(c, element(c, end), 'ldap.matchedDN');
  text(c, element(c, end), 'ldap.errorMessage');
  return code;
}
