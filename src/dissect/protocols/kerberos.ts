import { type Cursor, DissectSignal } from '../cursor.js';
import type { FieldDecl } from '../field-types.js';
import { defineProtocol } from '../protocol.js';

/**
 * Kerberos V5 (RFC 4120) over UDP and TCP port 88: the message is found from its outer ASN.1
 * application tag and read with a small DER reader, as far as the clear-text fields go
 * (principal names, realms, times, nonces, encryption types, pre-authentication data, error
 * codes). Encrypted parts stay bytes. Over TCP each message follows a 4-byte record mark; with
 * reassembly off (as the corpus truth has it) a message that runs past the segment is read as far
 * as it goes, with a note.
 */

const MSG_TYPES: Record<number, string> = {
  10: 'krb-as-req',
  11: 'krb-as-rep',
  12: 'krb-tgs-req',
  13: 'krb-tgs-rep',
  14: 'krb-ap-req',
  15: 'krb-ap-rep',
  16: 'krb-tgt-req',
  17: 'krb-tgt-rep',
  20: 'krb-safe',
  21: 'krb-priv',
  22: 'krb-cred',
  30: 'krb-error',
};

/** The Info column text of each message type. */
const MSG_INFO: Record<number, string> = {
  10: 'AS-REQ',
  11: 'AS-REP',
  12: 'TGS-REQ',
  13: 'TGS-REP',
  14: 'AP-REQ',
  15: 'AP-REP',
  16: 'TGT-REQ',
  17: 'TGT-REP',
  20: 'KRB-SAFE',
  21: 'KRB-PRIV',
  22: 'KRB-CRED',
  30: 'KRB-ERROR',
};

/** Application tags tshark accepts as the start of a Kerberos message on UDP. */
const UDP_TAGS = new Set([1, 2, 3, 10, 11, 12, 13, 14, 15, 20, 21, 25, 26, 27, 28, 29, 30]);

/** The element of each application tag (the tree's first item and its key). */
const ELEMENTS: Record<number, [string, string]> = {
  1: ['kerberos.ticket_element', 'ticket'],
  10: ['kerberos.as_req_element', 'as-req'],
  11: ['kerberos.as_rep_element', 'as-rep'],
  12: ['kerberos.tgs_req_element', 'tgs-req'],
  13: ['kerberos.tgs_rep_element', 'tgs-rep'],
  14: ['kerberos.ap_req_element', 'ap-req'],
  15: ['kerberos.ap_rep_element', 'ap-rep'],
  20: ['kerberos.krb_safe_element', 'krb-safe'],
  21: ['kerberos.krb_priv_element', 'krb-priv'],
  22: ['kerberos.krb_cred_element', 'krb-cred'],
  30: ['kerberos.krb_error_element', 'krb-error'],
};

/** Error codes as the tree names them (RFC 4120 section 7.5.9). */
const ERROR_TREE: Record<number, string> = {};
/** Error codes as the Info column names them (MIT krb5 names). */
const ERROR_INFO: Record<number, string> = {};
{
  const kdc = [
    'NONE', 'NAME_EXP', 'SERVICE_EXP', 'BAD_PVNO', 'C_OLD_MAST_KVNO', 'S_OLD_MAST_KVNO', 'C_PRINCIPAL_UNKNOWN',
    'S_PRINCIPAL_UNKNOWN', 'PRINCIPAL_NOT_UNIQUE', 'NULL_KEY', 'CANNOT_POSTDATE', 'NEVER_VALID', 'POLICY', 'BADOPTION',
    'ETYPE_NOSUPP', 'SUMTYPE_NOSUPP', 'PADATA_TYPE_NOSUPP', 'TRTYPE_NOSUPP', 'CLIENT_REVOKED', 'SERVICE_REVOKED',
    'TGT_REVOKED', 'CLIENT_NOTYET', 'SERVICE_NOTYET', 'KEY_EXP', 'PREAUTH_FAILED', 'PREAUTH_REQUIRED', 'SERVER_NOMATCH',
    'MUST_USE_USER2USER', 'PATH_NOT_ACCEPTED', 'SVC_UNAVAILABLE',
  ];
  kdc.forEach((n, i) => {
    ERROR_INFO[i] = `KRB5KDC_ERR_${n}`;
    ERROR_TREE[i] = `eRR-${n.replace(/_/g, '-')}`;
  });
  const ap = [
    'BAD_INTEGRITY', 'TKT_EXPIRED', 'TKT_NYV', 'REPEAT', 'NOT_US', 'BADMATCH', 'SKEW', 'BADADDR', 'BADVERSION', 'MSG_TYPE',
    'MODIFIED', 'BADORDER', 'ILL_CR_TKT', 'BADKEYVER', 'NOKEY', 'MUT_FAIL', 'BADDIRECTION', 'METHOD', 'BADSEQ', 'INAPP_CKSUM',
  ];
  ap.forEach((n, i) => {
    ERROR_INFO[31 + i] = `KRB5KRB_AP_ERR_${n}`;
    ERROR_TREE[31 + i] = `eRR-${n.replace(/_/g, '-')}`;
  });
  const more: [number, string, string][] = [
    [51, 'KRB5KDC_AP_PATH_NOT_ACCEPTED', 'pATH-NOT-ACCEPTED'],
    [52, 'KRB5KRB_ERR_RESPONSE_TOO_BIG', 'eRR-RESPONSE-TOO-BIG'],
    [60, 'KRB5KRB_ERR_GENERIC', 'eRR-GENERIC'],
    [61, 'KRB5KRB_ERR_FIELD_TOOLONG', 'eRR-FIELD-TOOLONG'],
    [62, 'KDC_ERROR_CLIENT_NOT_TRUSTED', 'eRROR-CLIENT-NOT-TRUSTED'],
    [63, 'KDC_ERROR_KDC_NOT_TRUSTED', 'eRROR-KDC-NOT-TRUSTED'],
    [64, 'KDC_ERROR_INVALID_SIG', 'eRROR-INVALID-SIG'],
    [65, 'KDC_ERR_KEY_TOO_WEAK', 'eRR-KEY-TOO-WEAK'],
    [66, 'KDC_ERR_CERTIFICATE_MISMATCH', 'eRR-CERTIFICATE-MISMATCH'],
    [67, 'KRB_AP_ERR_NO_TGT', 'eRR-NO-TGT'],
    [68, 'KDC_ERR_WRONG_REALM', 'eRR-WRONG-REALM'],
    [69, 'KRB_AP_ERR_USER_TO_USER_REQUIRED', 'eRR-USER-TO-USER-REQUIRED'],
    [70, 'KDC_ERR_CANT_VERIFY_CERTIFICATE', 'eRR-CANT-VERIFY-CERTIFICATE'],
    [71, 'KDC_ERR_INVALID_CERTIFICATE', 'eRR-INVALID-CERTIFICATE'],
    [72, 'KDC_ERR_REVOKED_CERTIFICATE', 'eRR-REVOKED-CERTIFICATE'],
    [73, 'KDC_ERR_REVOCATION_STATUS_UNKNOWN', 'eRR-REVOCATION-STATUS-UNKNOWN'],
    [74, 'KDC_ERR_REVOCATION_STATUS_UNAVAILABLE', 'eRR-REVOCATION-STATUS-UNAVAILABLE'],
    [75, 'KDC_ERR_CLIENT_NAME_MISMATCH', 'eRR-CLIENT-NAME-MISMATCH'],
    [76, 'KDC_ERR_KDC_NAME_MISMATCH', 'eRR-KDC-NAME-MISMATCH'],
  ];
  for (const [code, info, tree] of more) {
    ERROR_INFO[code] = info;
    ERROR_TREE[code] = tree;
  }
  // Names only the Info column knows (RFC 6113 FAST).
  ERROR_INFO[90] = 'KDC_ERR_PREAUTH_EXPIRED';
  ERROR_INFO[91] = 'KDC_ERR_MORE_PREAUTH_DATA_REQUIRED';
  ERROR_INFO[92] = 'KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET';
  ERROR_INFO[93] = 'KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS';
}

const ETYPES: Record<number, string> = {
  [-135]: 'eTYPE-ARCFOUR-HMAC-OLD-EXP',
  [-133]: 'eTYPE-ARCFOUR-HMAC-OLD',
  [-128]: 'eTYPE-ARCFOUR-MD4',
  0: 'eTYPE-NULL',
  1: 'eTYPE-DES-CBC-CRC',
  2: 'eTYPE-DES-CBC-MD4',
  3: 'eTYPE-DES-CBC-MD5',
  5: 'eTYPE-DES3-CBC-MD5',
  7: 'eTYPE-OLD-DES3-CBC-SHA1',
  8: 'eTYPE-SIGN-DSA-GENERATE',
  9: 'eTYPE-DSA-SHA1',
  10: 'eTYPE-RSA-MD5',
  11: 'eTYPE-RSA-SHA1',
  12: 'eTYPE-RC2-CBC',
  13: 'eTYPE-RSA',
  14: 'eTYPE-RSAES-OAEP',
  15: 'eTYPE-DES-EDE3-CBC',
  16: 'eTYPE-DES3-CBC-SHA1',
  17: 'eTYPE-AES128-CTS-HMAC-SHA1-96',
  18: 'eTYPE-AES256-CTS-HMAC-SHA1-96',
  19: 'eTYPE-AES128-CTS-HMAC-SHA256-128',
  20: 'eTYPE-AES256-CTS-HMAC-SHA384-192',
  23: 'eTYPE-ARCFOUR-HMAC-MD5',
  24: 'eTYPE-ARCFOUR-HMAC-MD5-56',
  25: 'eTYPE-CAMELLIA128-CTS-CMAC',
  26: 'eTYPE-CAMELLIA256-CTS-CMAC',
};

const NAME_TYPES: Record<number, string> = {
  0: 'kRB5-NT-UNKNOWN',
  1: 'kRB5-NT-PRINCIPAL',
  2: 'kRB5-NT-SRV-INST',
  3: 'kRB5-NT-SRV-HST',
  4: 'kRB5-NT-SRV-XHST',
  5: 'kRB5-NT-UID',
  6: 'kRB5-NT-X500-PRINCIPAL',
  7: 'kRB5-NT-SMTP-NAME',
  10: 'kRB5-NT-ENTERPRISE-PRINCIPAL',
  11: 'kRB5-NT-WELLKNOWN',
  12: 'kRB5-NT-SRV-HST-DOMAIN',
};

const PA_TYPES: Record<number, string> = {
  [-1]: 'pA-PROV-SRV-LOCATION',
  0: 'pA-NONE',
  1: 'pA-TGS-REQ',
  2: 'pA-ENC-TIMESTAMP',
  3: 'pA-PW-SALT',
  5: 'pA-ENC-UNIX-TIME',
  6: 'pA-SANDIA-SECUREID',
  7: 'pA-SESAME',
  8: 'pA-OSF-DCE',
  9: 'pA-CYBERSAFE-SECUREID',
  10: 'pA-AFS3-SALT',
  11: 'pA-ETYPE-INFO',
  12: 'pA-SAM-CHALLENGE',
  13: 'pA-SAM-RESPONSE',
  14: 'pA-PK-AS-REQ-19',
  15: 'pA-PK-AS-REP-19',
  16: 'pA-PK-AS-REQ',
  17: 'pA-PK-AS-REP',
  18: 'pA-PK-OCSP-RESPONSE',
  19: 'pA-ETYPE-INFO2',
  20: 'pA-USE-SPECIFIED-KVNO',
  21: 'pA-SAM-REDIRECT',
  22: 'pA-GET-FROM-TYPED-DATA',
  23: 'pA-SAM-ETYPE-INFO',
  24: 'pA-ALT-PRINC',
  25: 'pA-SERVER-REFERRAL',
  128: 'pA-PAC-REQUEST',
  129: 'pA-FOR-USER',
  130: 'pA-FOR-X509-USER',
  131: 'pA-FOR-CHECK-DUPS',
  132: 'pA-PK-AS-09-BINDING',
  133: 'pA-FX-COOKIE',
  134: 'pA-AUTHENTICATION-SET',
  135: 'pA-AUTH-SET-SELECTED',
  136: 'pA-FX-FAST',
  137: 'pA-FX-ERROR',
  138: 'pA-ENCRYPTED-CHALLENGE',
  141: 'pA-OTP-CHALLENGE',
  142: 'pA-OTP-REQUEST',
  143: 'pA-OTP-CONFIRM',
  144: 'pA-OTP-PIN-CHANGE',
  145: 'pA-EPAK-AS-REQ',
  146: 'pA-EPAK-AS-REP',
  147: 'pA-PKINIT-KX',
  148: 'pA-PKU2U-NAME',
  149: 'pA-REQ-ENC-PA-REP',
  150: 'pA-AS-FRESHNESS',
  151: 'pA-SPAKE',
  152: 'pA-REDHAT-IDP-OAUTH2',
  153: 'pA-REDHAT-PASSKEY',
  161: 'pA-KERB-KEY-LIST-REQ',
  162: 'pA-KERB-KEY-LIST-REP',
  165: 'pA-SUPPORTED-ETYPES',
  166: 'pA-EXTENDED-ERROR',
  167: 'pA-PAC-OPTIONS',
};

/** KDCOptions bits, most significant first, with their key suffixes and labels. */
const KDC_OPTIONS: [string, string][] = [
  ['reserved', 'reserved'], ['forwardable', 'forwardable'], ['forwarded', 'forwarded'], ['proxiable', 'proxiable'],
  ['proxy', 'proxy'], ['allow.postdate', 'allow-postdate'], ['postdated', 'postdated'], ['unused7', 'unused7'],
  ['renewable', 'renewable'], ['unused9', 'unused9'], ['unused10', 'unused10'], ['opt.hardware.auth', 'opt-hardware-auth'],
  ['unused12', 'unused12'], ['unused13', 'unused13'], ['constrained.delegation', 'constrained-delegation'], ['canonicalize', 'canonicalize'],
  ['request.anonymous', 'request-anonymous'], ['unused17', 'unused17'], ['unused18', 'unused18'], ['unused19', 'unused19'],
  ['unused20', 'unused20'], ['unused21', 'unused21'], ['unused22', 'unused22'], ['unused23', 'unused23'],
  ['unused24', 'unused24'], ['unused25', 'unused25'], ['disable.transited.check', 'disable-transited-check'], ['renewable.ok', 'renewable-ok'],
  ['enc.tkt.in.skey', 'enc-tkt-in-skey'], ['unused29', 'unused29'], ['renew', 'renew'], ['validate', 'validate'],
];
const AP_OPTIONS: [string, string][] = [['reserved', 'reserved'], ['use.session.key', 'use-session-key'], ['mutual.required', 'mutual-required']];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Most components read from one SEQUENCE, and how deep messages may nest (an AP-REQ in PA-DATA). */
const MAX_ITEMS = 256;
const MAX_NESTING = 4;

const BER_UNIVERSAL = 0;
const BER_APPLICATION = 1;
const BER_CONTEXT = 2;

const none = (label: string): FieldDecl => ({ label, type: 'none' });
const i32 = (label: string, values?: Record<number, string>): FieldDecl => (values ? { label, type: 'i32', values } : { label, type: 'i32' });
const u32 = (label: string): FieldDecl => ({ label, type: 'u32' });
const time = (label: string): FieldDecl => ({ label, type: 'abs_time' });

/**
 * Set when this dissector itself finds the structure impossible (as opposed to a read running
 * past the end of a segment that holds only part of a record).
 */
let structural = false;

function bad(c: Cursor, message: string, key?: string, at?: number): never {
  structural = true;
  return c.malformed(message, key, at);
}

/** One BER identifier and length. */
interface Tlv {
  readonly cls: number;
  readonly constructed: boolean;
  readonly tag: number;
  /** Offset of the identifier. */
  readonly at: number;
  /** Offset of the contents. */
  readonly content: number;
  /** End of the contents. */
  readonly end: number;
}

/** Reads the identifier and definite length at the position; the element must end by `limit`. */
function header(c: Cursor, limit: number): Tlv {
  const at = c.pos;
  const first = c.u8();
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      const b = c.u8();
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
      if (i >= 3) bad(c, 'BER tag number too long', undefined, at);
    }
  }
  const l = c.u8();
  let len = l;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0) bad(c, 'BER indefinite length is not allowed in DER', undefined, at);
    if (n > 4) bad(c, `BER length of ${n} bytes`, undefined, at);
    len = c.uint(n);
  }
  const content = c.pos;
  if (content + len > limit) bad(c, `BER length ${len} runs past its container`, undefined, at);
  return { cls: first >> 6, constructed: (first & 0x20) !== 0, tag, at, content, end: content + len };
}

/** Calls `fn` for each element inside a constructed element (bounded). */
function each(c: Cursor, t: Tlv, fn: (child: Tlv) => void): number {
  c.seek(t.content);
  let n = 0;
  while (c.pos < t.end && n < MAX_ITEMS) {
    const child = header(c, t.end);
    n++;
    fn(child);
    c.seek(child.end);
  }
  if (c.pos < t.end) c.expert('note', `more than ${MAX_ITEMS} components: the rest are not read`);
  return n;
}

/** The element inside an explicit context tag `[n]`. */
function inner(c: Cursor, t: Tlv): Tlv {
  c.seek(t.content);
  return header(c, t.end);
}

/** An INTEGER's value (two's complement, up to 6 bytes). */
function intValue(c: Cursor, t: Tlv): number {
  const len = t.end - t.content;
  if (t.cls !== BER_UNIVERSAL || t.tag !== 2 || len < 1 || len > 6) bad(c, `expected an INTEGER of 1 to 6 bytes`, undefined, t.at);
  c.seek(t.content);
  let v = c.uint(len);
  if (c.data[t.content]! & 0x80) v -= 2 ** (8 * len);
  return v;
}

/** An explicitly tagged INTEGER, recorded under `key`. */
function int(c: Cursor, t: Tlv, key: string): number {
  const i = inner(c, t);
  const v = intValue(c, i);
  c.add(key, v, i.content, i.end - i.content);
  return v;
}

/** An explicitly tagged string (GeneralString, KerberosString), recorded under `key`. */
function str(c: Cursor, t: Tlv, key: string): string {
  const i = inner(c, t);
  c.seek(i.content);
  return c.ascii(key, i.end - i.content);
}

/** An explicitly tagged KerberosTime (GeneralizedTime), shown as tshark shows absolute times. */
function kerberosTime(c: Cursor, t: Tlv, key: string): void {
  const i = inner(c, t);
  c.seek(i.content);
  const raw = c.ascii(undefined, i.end - i.content);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(raw);
  const month = m ? Number(m[2]) : 0;
  const text =
    m && month >= 1 && month <= 12
      ? `${MONTHS[month - 1]} ${String(Number(m[3])).padStart(2, ' ')}, ${m[1]} ${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '').padEnd(9, '0')} UTC`
      : raw;
  c.add(key, text, i.content, i.end - i.content);
}

/** A BIT STRING of flags (KDCOptions, APOptions): the bytes after the unused-bits count, and its named bits. */
function bitFlags(c: Cursor, t: Tlv, key: string, prefix: string, names: readonly [string, string][]): void {
  const i = inner(c, t);
  if (i.end - i.content < 1) bad(c, 'empty BIT STRING', key, i.at);
  const from = i.content + 1;
  const len = i.end - from;
  c.seek(from);
  c.group(key, () => {
    for (let b = 0; b < names.length && b < len * 8; b++) {
      c.seek(from + (b >> 3));
      c.flag(`${prefix}.${names[b]![0]}`, 1, 0x80 >> (b & 7));
    }
    c.seek(from);
    return c.bytes(undefined, len);
  }, len);
}

/** PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }. */
function principalName(c: Cursor, t: Tlv, which: 'cname' | 'sname', out: string[]): void {
  const seq = inner(c, t);
  c.seek(seq.at);
  c.group(`kerberos.${which}_element`, () => {
    each(c, seq, (ch) => {
      if (ch.cls !== BER_CONTEXT) return;
      if (ch.tag === 0) int(c, ch, 'kerberos.name_type');
      else if (ch.tag === 1) {
        const list = inner(c, ch);
        c.seek(list.at);
        c.group(`kerberos.${which}_string`, () =>
          each(c, list, (s) => {
            c.seek(s.content);
            out.push(c.ascii(which === 'cname' ? 'kerberos.CNameString' : 'kerberos.SNameString', s.end - s.content));
          }), list.end - list.at, (n) => `${which}-string: ${n} item${n === 1 ? '' : 's'}`);
      }
    });
    return true;
  }, seq.end - seq.at, () => which);
}

/** EncryptedData ::= SEQUENCE { etype [0], kvno [1] OPTIONAL, cipher [2] OCTET STRING }. */
function encryptedData(c: Cursor, t: Tlv, key: string, title: string): void {
  const seq = inner(c, t);
  c.seek(seq.at);
  c.group(key, () => {
    each(c, seq, (ch) => {
      if (ch.cls !== BER_CONTEXT) return;
      if (ch.tag === 0) int(c, ch, 'kerberos.etype');
      else if (ch.tag === 1) int(c, ch, 'kerberos.kvno');
      else if (ch.tag === 2) {
        const o = inner(c, ch);
        c.seek(o.content);
        c.bytes('kerberos.cipher', o.end - o.content);
      }
    });
    return true;
  }, seq.end - seq.at, () => title);
}

/** What a message says, for the Info column and the info record. */
interface Msg {
  msgType?: number;
  errorCode?: number;
  realm?: string;
  cname: string[];
  sname: string[];
}

/** Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] }. */
function ticketBody(c: Cursor, seq: Tlv, m: Msg): void {
  each(c, seq, (ch) => {
    if (ch.cls !== BER_CONTEXT) return;
    if (ch.tag === 0) int(c, ch, 'kerberos.tkt_vno');
    else if (ch.tag === 1) {
      const realm = str(c, ch, 'kerberos.realm');
      m.realm ??= realm;
    }
    else if (ch.tag === 2) principalName(c, ch, 'sname', m.sname);
    else if (ch.tag === 3) encryptedData(c, ch, 'kerberos.enc_part_element', 'enc-part');
  });
}

function ticket(c: Cursor, t: Tlv, m: Msg): void {
  const app = inner(c, t);
  c.seek(app.at);
  c.group('kerberos.ticket_element', () => {
    if (app.cls === BER_APPLICATION && app.tag === 1) ticketBody(c, inner(c, app), m);
    return true;
  }, app.end - app.at, () => 'ticket');
}

/** PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING }. */
function padata(c: Cursor, t: Tlv, m: Msg, depth: number): void {
  const list = inner(c, t);
  c.seek(list.at);
  c.group('kerberos.padata', () =>
    each(c, list, (pa) => {
      let type: number | undefined;
      c.seek(pa.at);
      c.group('kerberos.PA_DATA_element', () => {
        each(c, pa, (ch) => {
          if (ch.cls !== BER_CONTEXT) return;
          if (ch.tag === 1) type = int(c, ch, 'kerberos.padata_type');
          else if (ch.tag === 2) {
            const o = inner(c, ch);
            c.seek(o.content);
            c.group('kerberos.padata_value', () => {
              if (o.end > o.content) paValue(c, type, o, m, depth);
              c.seek(o.content);
              return c.bytes(undefined, o.end - o.content);
            }, o.end - o.content);
          }
        });
        return true;
      }, pa.end - pa.at, () => `PA-DATA ${type === undefined ? '' : (PA_TYPES[type] ?? `Unknown (${type})`)}`);
    }), list.end - list.at, (n) => `padata: ${n} item${n === 1 ? '' : 's'}`);
}

/** The padata-value types read further: a TGS-REQ's AP-REQ and the PAC request flag. */
function paValue(c: Cursor, type: number | undefined, o: Tlv, m: Msg, depth: number): void {
  c.seek(o.content);
  if (type === 1 && depth < MAX_NESTING) {
    const app = header(c, o.end);
    if (app.cls === BER_APPLICATION) message(c, app, { cname: [], sname: [] }, depth + 1);
  } else if (type === 128) {
    const seq = header(c, o.end);
    each(c, seq, (ch) => {
      if (ch.cls !== BER_CONTEXT || ch.tag !== 0) return;
      const b = inner(c, ch);
      if (b.tag !== 1 || b.end - b.content !== 1) return;
      c.seek(b.content);
      c.add('kerberos.include_pac', c.u8() !== 0, b.content, 1);
    });
  }
}

/** KDC-REQ-BODY. */
function reqBody(c: Cursor, t: Tlv, m: Msg): void {
  const seq = inner(c, t);
  c.seek(seq.at);
  c.group('kerberos.req_body_element', () => {
    each(c, seq, (ch) => {
      if (ch.cls !== BER_CONTEXT) return;
      switch (ch.tag) {
        case 0:
          bitFlags(c, ch, 'kerberos.kdc_options', 'kerberos.KDCOptions', KDC_OPTIONS);
          break;
        case 1:
          principalName(c, ch, 'cname', m.cname);
          break;
        case 2:
          m.realm = str(c, ch, 'kerberos.realm');
          break;
        case 3:
          principalName(c, ch, 'sname', m.sname);
          break;
        case 4:
          kerberosTime(c, ch, 'kerberos.from');
          break;
        case 5:
          kerberosTime(c, ch, 'kerberos.till');
          break;
        case 6:
          kerberosTime(c, ch, 'kerberos.rtime');
          break;
        case 7:
          int(c, ch, 'kerberos.nonce');
          break;
        case 8: {
          const list = inner(c, ch);
          c.seek(list.at);
          c.group('kerberos.kdc-req-body.etype', () =>
            each(c, list, (e) => {
              const v = intValue(c, e);
              c.add('kerberos.ENCTYPE', v, e.content, e.end - e.content);
            }), list.end - list.at, (n) => `etype: ${n} item${n === 1 ? '' : 's'}`);
          break;
        }
        case 10:
          encryptedData(c, ch, 'kerberos.enc_authorization_data_element', 'enc-authorization-data');
          break;
        default:
          break;
      }
    });
    return true;
  }, seq.end - seq.at, () => 'req-body');
}

/** One message (its application element at `app`): the components of each message type. */
function message(c: Cursor, app: Tlv, m: Msg, depth: number): void {
  const [key, title] = ELEMENTS[app.tag] ?? ['kerberos.unknown_element', `[APPLICATION ${app.tag}]`];
  const seq = inner(c, app);
  c.seek(seq.at);
  const request = app.tag === 10 || app.tag === 12;
  const reply = app.tag === 11 || app.tag === 13;
  c.group(key, () => {
    if (app.tag === 1) {
      ticketBody(c, seq, m);
      return true;
    }
    each(c, seq, (ch) => {
      if (ch.cls !== BER_CONTEXT) return;
      const tag = ch.tag;
      // KDC-REQ numbers its components from 1, every other message from 0.
      const n = request ? tag - 1 : tag;
      if (n === 0) {
        int(c, ch, 'kerberos.pvno');
        return;
      }
      if (n === 1) {
        const v = int(c, ch, 'kerberos.msg_type');
        if (depth === 0) m.msgType = v;
        return;
      }
      if (request) {
        if (tag === 3) padata(c, ch, m, depth);
        else if (tag === 4) reqBody(c, ch, m);
      } else if (reply) {
        if (tag === 2) padata(c, ch, m, depth);
        else if (tag === 3) m.realm = str(c, ch, 'kerberos.crealm');
        else if (tag === 4) principalName(c, ch, 'cname', m.cname);
        else if (tag === 5) ticket(c, ch, m);
        else if (tag === 6) encryptedData(c, ch, 'kerberos.enc_part_element', 'enc-part');
      } else if (app.tag === 14) {
        if (tag === 2) bitFlags(c, ch, 'kerberos.ap_options', 'kerberos.APOptions', AP_OPTIONS);
        else if (tag === 3) ticket(c, ch, m);
        else if (tag === 4) encryptedData(c, ch, 'kerberos.authenticator_element', 'authenticator');
      } else if (app.tag === 15) {
        if (tag === 2) encryptedData(c, ch, 'kerberos.enc_part_element', 'enc-part');
      } else if (app.tag === 21) {
        if (tag === 3) encryptedData(c, ch, 'kerberos.enc_part_element', 'enc-part');
      } else if (app.tag === 30) {
        krbError(c, ch, m, depth);
      }
    });
    return true;
  }, seq.end - seq.at, () => title);
}

/** KRB-ERROR components from [2] on. */
function krbError(c: Cursor, ch: Tlv, m: Msg, depth: number): void {
  switch (ch.tag) {
    case 2:
      kerberosTime(c, ch, 'kerberos.ctime');
      break;
    case 3:
      int(c, ch, 'kerberos.cusec');
      break;
    case 4:
      kerberosTime(c, ch, 'kerberos.stime');
      break;
    case 5:
      int(c, ch, 'kerberos.susec');
      break;
    case 6: {
      const v = int(c, ch, 'kerberos.error_code');
      if (depth === 0) m.errorCode = v;
      break;
    }
    case 7:
      str(c, ch, 'kerberos.crealm');
      break;
    case 8:
      principalName(c, ch, 'cname', m.cname);
      break;
    case 9:
      m.realm = str(c, ch, 'kerberos.realm');
      break;
    case 10:
      principalName(c, ch, 'sname', m.sname);
      break;
    case 11:
      str(c, ch, 'kerberos.e_text');
      break;
    case 12: {
      const o = inner(c, ch);
      c.seek(o.content);
      c.bytes('kerberos.e_data', o.end - o.content);
      break;
    }
    default:
      break;
  }
}

/** The Info text of a message. */
function infoText(m: Msg): string {
  if (m.errorCode !== undefined && m.errorCode !== 0) {
    return `KRB Error: ${ERROR_INFO[m.errorCode] ?? `Unknown error code 0x${(m.errorCode >>> 0).toString(16)}`}`;
  }
  if (m.msgType === undefined) return '';
  return MSG_INFO[m.msgType] ?? `Unknown msg type ${m.msgType}`;
}

/** Whether a UDP payload starts the way tshark requires of a Kerberos message. */
function looksLikeKerberos(first: number): boolean {
  return first >> 6 === BER_APPLICATION && (first & 0x1f) !== 0x1f && UDP_TAGS.has(first & 0x1f);
}

/** Most messages read from one TCP segment. */
const MAX_RECORDS = 16;

export const kerberos = defineProtocol({
  id: 'kerberos',
  name: 'Kerberos',
  short: 'KRB5',
  bindings: [
    { table: 'udp.port', key: 88 },
    { table: 'tcp.port', key: 88 },
  ],
  fields: {
    'kerberos.rm': none('Record Mark'),
    'kerberos.rm.reserved': { label: 'Reserved', type: 'bool', mask: 0x80000000, tfs: ['Set', 'Not set'] },
    'kerberos.rm.length': { label: 'Record Length', type: 'u32', mask: 0x7fffffff },
    'kerberos.as_req_element': none('as-req'),
    'kerberos.as_rep_element': none('as-rep'),
    'kerberos.tgs_req_element': none('tgs-req'),
    'kerberos.tgs_rep_element': none('tgs-rep'),
    'kerberos.ap_req_element': none('ap-req'),
    'kerberos.ap_rep_element': none('ap-rep'),
    'kerberos.krb_safe_element': none('krb-safe'),
    'kerberos.krb_priv_element': none('krb-priv'),
    'kerberos.krb_cred_element': none('krb-cred'),
    'kerberos.krb_error_element': none('krb-error'),
    'kerberos.unknown_element': none('Unknown message'),
    'kerberos.ticket_element': none('ticket'),
    'kerberos.req_body_element': none('req-body'),
    'kerberos.enc_part_element': none('enc-part'),
    'kerberos.authenticator_element': none('authenticator'),
    'kerberos.enc_authorization_data_element': none('enc-authorization-data'),
    'kerberos.cname_element': none('cname'),
    'kerberos.sname_element': none('sname'),
    'kerberos.PA_DATA_element': none('PA-DATA'),
    'kerberos.pvno': u32('pvno'),
    'kerberos.msg_type': i32('msg-type', MSG_TYPES),
    'kerberos.padata': u32('padata'),
    'kerberos.padata_type': i32('padata-type', PA_TYPES),
    'kerberos.padata_value': { label: 'padata-value', type: 'bytes' },
    'kerberos.include_pac': { label: 'include-pac', type: 'bool' },
    'kerberos.kdc_options': { label: 'kdc-options', type: 'bytes' },
    ...Object.fromEntries(KDC_OPTIONS.map(([k, label], b) => [`kerberos.KDCOptions.${k}`, { label, type: 'bool' as const, mask: 0x80 >> (b & 7) }])),
    'kerberos.ap_options': { label: 'ap-options', type: 'bytes' },
    ...Object.fromEntries(AP_OPTIONS.map(([k, label], b) => [`kerberos.APOptions.${k}`, { label, type: 'bool' as const, mask: 0x80 >> b }])),
    'kerberos.name_type': i32('name-type', NAME_TYPES),
    'kerberos.cname_string': u32('cname-string'),
    'kerberos.CNameString': { label: 'CNameString', type: 'string' },
    'kerberos.sname_string': u32('sname-string'),
    'kerberos.SNameString': { label: 'SNameString', type: 'string' },
    'kerberos.realm': { label: 'realm', type: 'string' },
    'kerberos.crealm': { label: 'crealm', type: 'string' },
    'kerberos.from': time('from'),
    'kerberos.till': time('till'),
    'kerberos.rtime': time('rtime'),
    'kerberos.ctime': time('ctime'),
    'kerberos.stime': time('stime'),
    'kerberos.cusec': u32('cusec'),
    'kerberos.susec': u32('susec'),
    'kerberos.nonce': u32('nonce'),
    'kerberos.kdc-req-body.etype': u32('etype'),
    'kerberos.ENCTYPE': i32('ENCTYPE', ETYPES),
    'kerberos.etype': i32('etype', ETYPES),
    'kerberos.kvno': u32('kvno'),
    'kerberos.cipher': { label: 'cipher', type: 'bytes' },
    'kerberos.tkt_vno': u32('tkt-vno'),
    'kerberos.error_code': i32('error-code', ERROR_TREE),
    'kerberos.e_text': { label: 'e-text', type: 'string' },
    'kerberos.e_data': { label: 'e-data', type: 'bytes' },
  },
  dissect(c) {
    const overTcp = c.below[c.below.length - 1]?.protocol === 'tcp';
    if (!overTcp && !looksLikeKerberos(c.peek8())) return { handoff: 'data' };
    const msgs: Msg[] = [];
    if (!overTcp) {
      const m: Msg = { cname: [], sname: [] };
      msgs.push(m);
      const app = header(c, c.repEnd);
      message(c, app, m, 0);
      c.seek(app.end);
    } else {
      let n = 0;
      while (c.remaining() >= 4 && n++ < MAX_RECORDS) {
        const rmAt = c.pos;
        const rm = c.peek32();
        const len = rm & 0x7fffffff;
        c.group('kerberos.rm', () => {
          c.flag('kerberos.rm.reserved', 4, 0x80000000);
          c.bits('kerberos.rm.length', 4, 0x7fffffff);
          c.skip(4);
          return true;
        }, 4, () => `Record Mark: ${len} bytes`);
        const m: Msg = { cname: [], sname: [] };
        msgs.push(m);
        const end = c.pos + len;
        if (end <= c.repEnd) {
          const app = header(c, end);
          message(c, app, m, 0);
          c.seek(end);
          continue;
        }
        // The message continues in later segments (reassembly is off): read what is here.
        structural = false;
        try {
          const app = header(c, end);
          message(c, app, m, 0);
        } catch (e) {
          if (!(e instanceof DissectSignal) || e.kind !== 'malformed' || structural) throw e;
          c.closeAll();
        }
        c.expert('note', `the record (${len} bytes) continues past this segment; reassembly is off`, 'kerberos.rm.length', rmAt);
        c.seek(c.capEnd);
        break;
      }
    }
    const last = msgs[msgs.length - 1];
    return {
      summary: () => (last ? infoText(last) : ''),
      info: last
        ? { msgType: last.msgType, errorCode: last.errorCode, realm: last.realm, cname: last.cname.join('/'), sname: last.sname.join('/') }
        : {},
    };
  },
});
