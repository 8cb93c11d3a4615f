import { type Cursor, u16At } from '../cursor.js';
import type { FieldTable } from '../field-types.js';
import { defineProtocol } from '../protocol.js';
import { trackNextPdu } from './tcp-sequence.js';

/** Resource record types, as Wireshark names them. */
export const DNS_TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL',
  11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB',
  19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX',
  27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA',
  35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL',
  43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID',
  50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 56: 'NINFO', 57: 'RKEY',
  58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB',
  65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID',
  105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG',
  251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA',
  258: 'AVC', 259: 'DOA', 260: 'AMTRELAY', 32768: 'TA', 32769: 'DLV', 65281: 'WINS', 65282: 'WINS-R',
  65521: 'XPF',
};

const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CSNET', 3: 'CHAOS', 4: 'HESIOD', 254: 'NONE', 255: 'ANY' };

const OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification',
  5: 'Dynamic update', 6: 'DNS Stateful operations (DSO)',
};

const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented',
  5: 'Refused', 6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative',
  10: 'Name out of zone', 11: 'DSO-Type not implemented', 16: 'Bad OPT Version OR TSIG Signature Failure',
  17: 'Key not recognized', 18: 'Signature out of time window', 19: 'Bad TKEY Mode', 20: 'Duplicate key name',
  21: 'Algorithm not supported', 22: 'Bad truncation', 23: 'Bad/missing server cookie',
};

const OPT_CODES: Record<number, string> = {
  3: 'NSID', 5: 'DAU', 6: 'DHU', 7: 'N3U', 8: 'CSUBNET - Client subnet', 9: 'EDNS EXPIRE', 10: 'COOKIE',
  11: 'EDNS TCP KEEPALIVE', 12: 'PADDING', 13: 'CHAIN', 14: 'EDNS KEY TAG', 15: 'Extended DNS Error',
};

const SVC_KEYS: Record<number, string> = {
  0: 'mandatory', 1: 'alpn', 2: 'no-default-alpn', 3: 'port', 4: 'ipv4hint', 5: 'ech', 6: 'ipv6hint', 7: 'dohpath', 8: 'odohconfig',
};

const text = (label: string) => ({ label, type: 'none' as const });

/** Every dns.* field (mdns and llmnr use the same ones, as in Wireshark). */
const DNS_FIELDS: FieldTable = {
  'dns.length': { label: 'Length', type: 'u16' },
  'dns.id': { label: 'Transaction ID', type: 'u16', base: 'hex' },
  'dns.flags': { label: 'Flags', type: 'u16', base: 'hex' },
  'dns.flags.response': { label: 'Response', type: 'bool', mask: 0x8000, tfs: ['Message is a response', 'Message is a query'] },
  'dns.flags.opcode': { label: 'Opcode', type: 'u16', mask: 0x7800, values: OPCODES },
  'dns.flags.authoritative': { label: 'Authoritative', type: 'bool', mask: 0x0400, tfs: ['Server is an authority for domain', 'Server is not an authority for domain'] },
  'dns.flags.conflict': { label: 'Conflict', type: 'bool', mask: 0x0400, tfs: ['The sender received multiple responses', 'None'] },
  'dns.flags.truncated': { label: 'Truncated', type: 'bool', mask: 0x0200, tfs: ['Message is truncated', 'Message is not truncated'] },
  'dns.flags.recdesired': { label: 'Recursion desired', type: 'bool', mask: 0x0100, tfs: ['Do query recursively', "Don't do query recursively"] },
  'dns.flags.tentative': { label: 'Tentative', type: 'bool', mask: 0x0100, tfs: ['Tentative', 'Not tentative'] },
  'dns.flags.recavail': { label: 'Recursion available', type: 'bool', mask: 0x0080, tfs: ['Server can do recursive queries', "Server can't do recursive queries"] },
  'dns.flags.z': { label: 'Z', type: 'bool', mask: 0x0040, tfs: ['reserved (1)', 'reserved (0)'] },
  'dns.flags.authenticated': { label: 'Answer authenticated', type: 'bool', mask: 0x0020, tfs: ['Answer/authority portion was authenticated by the server', 'Answer/authority portion was not authenticated by the server'] },
  'dns.flags.checkdisable': { label: 'Non-authenticated data', type: 'bool', mask: 0x0010, tfs: ['Acceptable', 'Unacceptable'] },
  'dns.flags.rcode': { label: 'Reply code', type: 'u16', mask: 0x000f, values: RCODES },
  'dns.count.queries': { label: 'Questions', type: 'u16' },
  'dns.count.zones': { label: 'Zones', type: 'u16' },
  'dns.count.answers': { label: 'Answer RRs', type: 'u16' },
  'dns.count.prerequisites': { label: 'Prerequisites', type: 'u16' },
  'dns.count.auth_rr': { label: 'Authority RRs', type: 'u16' },
  'dns.count.updates': { label: 'Updates', type: 'u16' },
  'dns.count.add_rr': { label: 'Additional RRs', type: 'u16' },
  // Text items of Wireshark's tree (sections and records), kept as groups here.
  'dns.queries': text('Queries'),
  'dns.answers': text('Answers'),
  'dns.authorities': text('Authoritative nameservers'),
  'dns.additionals': text('Additional records'),
  'dns.query': text('Query'),
  'dns.rr': text('Resource record'),
  'dns.qry.name': { label: 'Name', type: 'string' },
  'dns.qry.name.len': { label: 'Name Length', type: 'u16' },
  'dns.count.labels': { label: 'Label Count', type: 'u16' },
  'dns.qry.type': { label: 'Type', type: 'u16', values: DNS_TYPES },
  'dns.qry.class': { label: 'Class', type: 'u16', base: 'hex', values: CLASSES },
  'dns.qry.qu': { label: '"QU" question', type: 'bool', mask: 0x8000 },
  'dns.resp.name': { label: 'Name', type: 'string' },
  'dns.resp.type': { label: 'Type', type: 'u16', values: DNS_TYPES },
  'dns.resp.class': { label: 'Class', type: 'u16', base: 'hex', values: CLASSES },
  'dns.resp.cache_flush': { label: 'Cache flush', type: 'bool', mask: 0x8000 },
  'dns.resp.ttl': { label: 'Time to live', type: 'u32' },
  'dns.resp.len': { label: 'Data length', type: 'u16' },
  'dns.rr.udp_payload_size': { label: 'UDP payload size', type: 'u16', base: 'hex' },
  'dns.resp.ext_rcode': { label: 'Higher bits in extended RCODE', type: 'u8', base: 'hex' },
  'dns.resp.edns0_version': { label: 'EDNS0 version', type: 'u8' },
  'dns.resp.z': { label: 'Z', type: 'u16', base: 'hex' },
  'dns.resp.z.do': { label: 'DO bit', type: 'bool', mask: 0x8000, tfs: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'] },
  'dns.resp.z.reserved': { label: 'Reserved', type: 'u16', base: 'hex', mask: 0x7fff },
  'dns.opt': text('Option'),
  'dns.opt.code': { label: 'Option Code', type: 'u16', values: OPT_CODES },
  'dns.opt.len': { label: 'Option Length', type: 'u16' },
  'dns.opt.data': { label: 'Option Data', type: 'bytes' },
  'dns.opt.cookie.client': { label: 'Client Cookie', type: 'bytes' },
  'dns.opt.cookie.server': { label: 'Server Cookie', type: 'bytes' },
  'dns.opt.padding': { label: 'Padding', type: 'bytes' },
  'dns.a': { label: 'Address', type: 'ipv4' },
  'dns.aaaa': { label: 'AAAA Address', type: 'ipv6' },
  'dns.ns': { label: 'Name Server', type: 'string' },
  'dns.cname': { label: 'CNAME', type: 'string' },
  'dns.ptr.domain_name': { label: 'Domain Name', type: 'string' },
  'dns.mx.preference': { label: 'Preference', type: 'u16' },
  'dns.mx.mail_exchange': { label: 'Mail Exchange', type: 'string' },
  'dns.soa.mname': { label: 'Primary name server', type: 'string' },
  'dns.soa.rname': { label: "Responsible authority's mailbox", type: 'string' },
  'dns.soa.serial_number': { label: 'Serial Number', type: 'u32' },
  'dns.soa.refresh_interval': { label: 'Refresh Interval', type: 'u32' },
  'dns.soa.retry_interval': { label: 'Retry Interval', type: 'u32' },
  'dns.soa.expire_limit': { label: 'Expire limit', type: 'u32' },
  'dns.soa.minimum_ttl': { label: 'Minimum TTL', type: 'u32' },
  'dns.txt.length': { label: 'TXT Length', type: 'u8' },
  'dns.txt': { label: 'TXT', type: 'string' },
  'dns.hinfo.cpu_length': { label: 'CPU Length', type: 'u8' },
  'dns.hinfo.cpu': { label: 'CPU', type: 'string' },
  'dns.hinfo.os_length': { label: 'OS Length', type: 'u8' },
  'dns.hinfo.os': { label: 'OS', type: 'string' },
  'dns.srv.priority': { label: 'Priority', type: 'u16' },
  'dns.srv.weight': { label: 'Weight', type: 'u16' },
  'dns.srv.port': { label: 'Port', type: 'u16' },
  'dns.srv.target': { label: 'Target', type: 'string' },
  'dns.nsec.next_domain_name': { label: 'Next Domain Name', type: 'string' },
  'dns.rr.nsec.bitmap': text('Type bitmap'),
  'dns.rrsig.type_covered': { label: 'Type Covered', type: 'u16', values: DNS_TYPES },
  'dns.rrsig.algorithm': { label: 'Algorithm', type: 'u8' },
  'dns.rrsig.labels': { label: 'Labels', type: 'u8' },
  'dns.rrsig.original_ttl': { label: 'Original TTL', type: 'u32' },
  'dns.rrsig.signature_expiration': { label: 'Signature Expiration', type: 'u32' },
  'dns.rrsig.signature_inception': { label: 'Signature Inception', type: 'u32' },
  'dns.rrsig.key_tag': { label: 'Key Tag', type: 'u16' },
  'dns.rrsig.signers_name': { label: "Signer's name", type: 'string' },
  'dns.rrsig.signature': { label: 'Signature', type: 'bytes' },
  'dns.dnskey.flags': { label: 'Flags', type: 'u16', base: 'hex' },
  'dns.dnskey.protocol': { label: 'Protocol', type: 'u8' },
  'dns.dnskey.algorithm': { label: 'Algorithm', type: 'u8' },
  'dns.dnskey.public_key': { label: 'Public Key', type: 'bytes' },
  'dns.ds.key_id': { label: 'Key id', type: 'u16', base: 'hex' },
  'dns.ds.algorithm': { label: 'Algorithm', type: 'u8' },
  'dns.ds.digest_type': { label: 'Digest Type', type: 'u8' },
  'dns.ds.digest': { label: 'Digest', type: 'bytes' },
  'dns.caa.flags': { label: 'CAA Flags', type: 'u8', base: 'hex' },
  'dns.caa.flags.issuer_critical': { label: 'Issuer Critical', type: 'bool', mask: 0x80 },
  'dns.caa.tag_length': { label: 'Tag length', type: 'u8' },
  'dns.caa.tag': { label: 'Tag', type: 'string' },
  'dns.caa.value': { label: 'Value', type: 'string' },
  'dns.svcb.svcpriority': { label: 'SvcPriority', type: 'u16' },
  'dns.svcb.targetname': { label: 'TargetName', type: 'string' },
  'dns.svcb.svcparam': text('SvcParam'),
  'dns.svcb.svcparam.key': { label: 'SvcParamKey', type: 'u16', values: SVC_KEYS },
  'dns.svcb.svcparam.value.length': { label: 'SvcParamValue length', type: 'u16' },
  'dns.svcb.svcparam.value': { label: 'SvcParamValue', type: 'bytes' },
  'dns.data': { label: 'Data', type: 'bytes' },
  'dns.extraneous.data': { label: 'Extraneous Data Bytes', type: 'bytes' },
  'dns.extraneous.length': { label: 'Extraneous Data Length', type: 'i32' },
};

// ------------------------------------------------------------------ names

const utf8 = new TextDecoder('utf-8');

/** Wireshark's `format_text`: UTF-8 kept, control characters as C escapes or octal. */
export function formatText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c !== 0x7f) {
      out += ch;
      continue;
    }
    const esc = ({ 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' } as Record<number, string>)[c];
    out += esc !== undefined ? `\\${esc}` : `\\${c.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export interface DnsName {
  /** The name as Wireshark shows it (`<Root>`, `<Name too long>`, ... included). */
  readonly text: string;
  /** Bytes the name occupies where it starts (up to and including the first pointer). */
  readonly used: number;
  /** Length of the name in bytes (Wireshark's `name_len`). */
  readonly rawLength: number;
}

const MAX_NAME = 253;
/**
 * Most compression pointers followed for one name. A name has at most 127 labels, so a longer
 * chain only points at pointers; without this cap, names chained through each other cost the
 * square of the message size (10,000 questions of 6 bytes: 50 million steps).
 */
export const MAX_POINTER_HOPS = 128;
const LOOP_TEXT = '<Name contains a pointer that loops>';
/**
 * Which pointer targets (14-bit offsets) the name being read has followed: `visited[t] ===
 * nameSerial`. Following one twice is a cycle, shown at once as Wireshark shows it in the end.
 */
const visited = new Uint32Array(0x4000);
let nameSerial = 0;
const LOOP_NOTE = 'DNS name compression pointers loop or chain too long; the name is cut';

/**
 * Where the labels of the name being read are (names are read one at a time, so these are
 * reused): frame offset and length, or -1 and the index of a bitstring label's text.
 */
const labelAt: number[] = [];
const labelLen: number[] = [];
const bitLabels: string[] = [];

/**
 * Reads a (possibly compressed) domain name at `at`, as Wireshark's `expand_dns_name`: pointers
 * are relative to `msgStart`, a loop is detected by counting bytes processed against the message
 * size, names longer than 253 characters become `<Name too long>`. Reads past the data throw the
 * cursor's signals. Bounded: a pointer target followed twice is a loop at once, at most
 * MAX_POINTER_HOPS pointers are followed (more is shown as a loop; either adds one note per
 * layer), and no label is read after a pointer once the name is too long (so a cycle whose
 * labels pass 253 characters before it closes is `<Name too long>` here, a loop in Wireshark).
 */
export function readDnsName(c: Cursor, at: number, msgStart: number, maxLen = 0): DnsName {
  const start = at;
  const dataSize = Math.max(0, c.repEnd - msgStart);
  let off = at;
  let used = -1;
  let processed = 0;
  let count = 0;
  let hops = 0;
  if (++nameSerial === 0xffffffff) {
    visited.fill(0);
    nameSerial = 1;
  }
  // (A store to `length` is a call into the runtime: only when a bitstring label was read.)
  if (bitLabels.length !== 0) bitLabels.length = 0;
  let textLen = 0;
  let special: string | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    if (maxLen && off - start > maxLen - 1) break;
    c.need(1, undefined, off);
    const len = c.data[off]!;
    off++;
    if (len === 0) break;
    processed++;
    const kind = len & 0xc0;
    if (kind === 0) {
      c.need(len, undefined, off);
      if (maxLen && off + len - start > maxLen) c.malformed('DNS label runs past the record data', undefined, off);
      if (textLen > 0 || count > 0) textLen++;
      if (textLen <= MAX_NAME + 1) {
        labelAt[count] = off;
        labelLen[count++] = len;
      }
      textLen += len;
      off += len;
      processed += len;
      // After a pointer the name's extent is known; once too long, more labels change nothing.
      if (used >= 0 && textLen > MAX_NAME) break;
    } else if (len === 0x41) {
      // Bitstring label (RFC 2673): a bit count, then the bits, shown as \[x<hex>/<count>].
      c.need(1, undefined, off);
      const bitCount = c.data[off]!;
      off++;
      const n = bitCount === 0 ? 1 : Math.floor((bitCount - 1) / 8) + 1;
      c.need(n, undefined, off);
      let t = '\\[x';
      for (let i = 0; i < n; i++) t += c.data[off + i]!.toString(16).padStart(2, '0');
      t += `/${bitCount}]`;
      if (textLen > 0 || count > 0) textLen++;
      if (textLen <= MAX_NAME + 1) {
        labelAt[count] = -1;
        labelLen[count++] = bitLabels.push(t) - 1;
      }
      textLen += t.length;
      off += n;
    } else if (kind === 0x40) {
      // Wireshark returns the distance from the start, even after a pointer has been followed.
      special = '<Unknown extended label>';
      used = off - start;
      if (used < 2) c.malformed('DNS name with an unknown extended label', undefined, off - 1);
      break;
    } else if (kind === 0x80) {
      c.malformed('DNS label with reserved type 0x80', undefined, off - 1);
    } else {
      c.need(1, undefined, off);
      const rel = ((len & 0x3f) << 8) | c.data[off]!;
      const target = msgStart + rel;
      off++;
      processed++;
      if (used < 0) used = off - start;
      if (processed >= dataSize || visited[rel] === nameSerial || ++hops > MAX_POINTER_HOPS) {
        special = LOOP_TEXT;
        // One note per layer: a message of thousands of looping names gets one, not thousands.
        if (!c.issues.some((i) => i.message === LOOP_NOTE)) c.expert('warning', LOOP_NOTE, undefined, start);
        break;
      }
      visited[rel] = nameSerial;
      off = target;
    }
  }
  if (used < 0) used = off - start;
  if (special !== undefined) return { text: special, used, rawLength: special.length };
  if (count === 0) return { text: '<Root>', used, rawLength: 6 };
  if (textLen > MAX_NAME) return { text: '<Name too long>', used, rawLength: 15 };
  // Printable ASCII labels (nearly every name) are their own text, built here without a joined
  // copy, decoding or escaping (a bitstring label's text is printable ASCII too).
  const d = c.data;
  let text = '';
  let ascii = true;
  for (let k = 0; k < count && ascii; k++) {
    if (k > 0) text += '.';
    const from = labelAt[k]!;
    if (from < 0) {
      text += bitLabels[labelLen[k]!]!;
      continue;
    }
    for (let i = from, to = from + labelLen[k]!; i < to; i++) {
      const b = d[i]!;
      if (b < 0x20 || b > 0x7e) {
        ascii = false;
        break;
      }
      text += String.fromCharCode(b);
    }
  }
  if (ascii) return { text, used, rawLength: textLen };
  const bytes = new Uint8Array(textLen);
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p > 0) bytes[p++] = 0x2e;
    const from = labelAt[k]!;
    const part = from < 0 ? new TextEncoder().encode(bitLabels[labelLen[k]!]!) : d.subarray(from, from + labelLen[k]!);
    bytes.set(part, p);
    p += part.length;
  }
  return { text: formatText(utf8.decode(bytes)), used, rawLength: textLen };
}

/** Label count as Wireshark's `qname_labels_count` (dots + 1, 0 for a one-byte name). */
function labelCount(name: DnsName): number {
  if (name.rawLength <= 1) return 0;
  let n = 1;
  for (const ch of name.text) if (ch === '.') n++;
  return n;
}

// ------------------------------------------------------------------ messages

export type DnsFlavour = 'dns' | 'mdns' | 'llmnr';

interface Section {
  readonly key: string;
  readonly title: string;
  readonly count: number;
}

/**
 * Dissects one DNS message starting at the cursor (ending at the layer's end). Returns the Info
 * text and a small record for analysers.
 */
export function dissectDnsMessage(c: Cursor, flavour: DnsFlavour): { summary: string; info: Record<string, unknown> } {
  const msgStart = c.pos;
  // Wireshark reads the id and flags before showing any of them.
  c.need(4);
  const id = c.u16('dns.id');
  const flags = c.peek16();
  const response = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  c.group('dns.flags', () => {
    c.flag('dns.flags.response', 2, 0x8000);
    c.bits('dns.flags.opcode', 2, 0x7800);
    if (flavour === 'llmnr') c.flag('dns.flags.conflict', 2, 0x0400);
    else if (response) c.flag('dns.flags.authoritative', 2, 0x0400);
    c.flag('dns.flags.truncated', 2, 0x0200);
    if (flavour === 'llmnr') c.flag('dns.flags.tentative', 2, 0x0100);
    else c.flag('dns.flags.recdesired', 2, 0x0100);
    if (flavour !== 'llmnr' && response) c.flag('dns.flags.recavail', 2, 0x0080);
    c.flag('dns.flags.z', 2, 0x0040);
    if (response) c.flag('dns.flags.authenticated', 2, 0x0020);
    c.flag('dns.flags.checkdisable', 2, 0x0010);
    if (response) c.bits('dns.flags.rcode', 2, 0x000f);
    return c.u16();
  }, 2, (v) => `Flags: 0x${v.toString(16).padStart(4, '0')} ${OPCODES[opcode] ?? 'Unknown operation'}${response ? ' response' : ''}${response && rcode !== 0 ? `, ${RCODES[rcode] ?? 'Unknown error'}` : ''}`);
  const update = opcode === 5;
  let summary = '';
  if (c.summaries) {
    summary = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${response ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`;
    if (response && rcode !== 0) summary += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  }
  // questions and records (A/AAAA/CNAME/PTR of every section) are what the dns table and name book read.
  const questions: DnsQuestion[] = [];
  const records: DnsAnswer[] = [];
  const info: Record<string, unknown> = { id, response, opcode, rcode, queries: [] as string[], answers: [] as string[], questions, records };
  const qd = c.u16(update ? 'dns.count.zones' : 'dns.count.queries');
  const an = c.u16(update ? 'dns.count.prerequisites' : 'dns.count.answers');
  const ns = c.u16(update ? 'dns.count.updates' : 'dns.count.auth_rr');
  const ar = c.u16('dns.count.add_rr');
  const parts: string[] = [];
  // What Info says if a later read fails: the header and the records read so far (as tshark).
  if (c.summaries) c.provisional = () => summary + parts.join('');
  try {
    if (qd > 0) {
      c.group('dns.queries', () => {
        for (let i = 0; i < qd; i++) {
          const q = dnsQuery(c, msgStart, flavour);
          (info['queries'] as string[]).push(q.name);
          questions.push({ name: q.name, type: q.type });
          if (c.summaries) parts.push(` ${q.typeName} ${q.name}${flavour === 'mdns' ? `, "${q.qu ? 'QU' : 'QM'}" question` : ''}`);
        }
        return c.span(c.pos, c.pos);
      }, -1, () => (update ? 'Zone' : 'Queries'));
    }
    const sections: Section[] = [
      { key: 'dns.answers', title: update ? 'Prerequisites' : 'Answers', count: an },
      { key: 'dns.authorities', title: update ? 'Updates' : 'Authoritative nameservers', count: ns },
      { key: 'dns.additionals', title: 'Additional records', count: ar },
    ];
    for (const [si, s] of sections.entries()) {
      if (s.count === 0) continue;
      c.group(s.key, () => {
        for (let i = 0; i < s.count; i++) {
          const text = dnsRecord(c, msgStart, flavour, records, si);
          if (si === 0) (info['answers'] as string[]).push(text);
          if (c.summaries) parts.push(text);
        }
        return c.span(c.pos, c.pos);
      }, -1, () => s.title);
    }
    if (c.remaining() > 0 && flavour !== 'mdns') {
      const at = c.pos;
      const n = c.remaining();
      c.bytes('dns.extraneous.data', n);
      c.add('dns.extraneous.length', n, at, 0);
      c.expert('warning', `Extraneous data (${n} bytes)`, 'dns.extraneous.data', at);
    }
  } finally {
    if (c.summaries) info['summary'] = summary + parts.join('');
  }
  return { summary: summary + parts.join(''), info };
}

/** What `readDnsAnswers` gives: the parts of `dissectDnsMessage`'s `info` that name hosts. */
export interface DnsAnswers {
  readonly response: boolean;
  readonly opcode: number;
  readonly rcode: number;
  readonly questions: DnsQuestion[];
  readonly records: DnsAnswer[];
}

/**
 * The header, questions and A/AAAA/CNAME/PTR records that `dissectDnsMessage` would give in its
 * `info` for the message at the cursor (ending at the layer's end), read the way it reads them
 * but without fields, Info texts or closures: for a run that wants names only. It reads a
 * message whose records are all of those types, NS, SOA or OPT. For a record of any other type,
 * and wherever `dissectDnsMessage` would stop (a cut or malformed message), it gives undefined,
 * and the caller dissects the message instead. Moves the cursor.
 */
export function readDnsAnswers(c: Cursor, flavour: DnsFlavour): DnsAnswers | undefined {
  const msgStart = c.pos;
  const d = c.data;
  const end = c.capEnd;
  if (msgStart + 12 > end) return undefined;
  const flags = u16At(d, msgStart + 2);
  const questions: DnsQuestion[] = [];
  const records: DnsAnswer[] = [];
  const qd = u16At(d, msgStart + 4);
  let p = msgStart + 12;
  try {
    for (let i = 0; i < qd; i++) {
      const name = readDnsName(c, p, msgStart);
      // The type and class are read before the question is shown (`dnsQuery`).
      if (p + name.used + 4 > end) return undefined;
      questions.push({ name: name.text, type: u16At(d, p + name.used) });
      p += name.used + 4;
    }
    for (let section = 0; section < 3; section++) {
      const count = u16At(d, msgStart + 6 + 2 * section);
      for (let i = 0; i < count; i++) {
        const name = readDnsName(c, p, msgStart);
        const fixed = p + name.used;
        if (fixed + 10 > end) return undefined;
        const type = u16At(d, fixed);
        const klass = u16At(d, fixed + 2);
        const cls = flavour === 'mdns' && type !== 41 ? klass & 0x7fff : klass;
        const rstart = fixed + 10;
        const len = u16At(d, fixed + 8);
        const rend = rstart + len;
        // Whatever the data holds, a record that runs past the captured bytes stops the dissector.
        if (rend > end) return undefined;
        // Where the record's data reading ends (`rdata`), when it may pass the record's end.
        let at = rstart;
        if (len > 0) {
          if (type === 1 || type === 28) {
            // An address of the right size is kept; any other is shown as bytes (`rdata`).
            if (type === 1 ? cls === 1 && len >= 4 : len >= 16) {
              records.push({ name: name.text, type, value: type === 1 ? c.ipv4Text(rstart) : c.ipv6Text(rstart), section });
            }
          } else if (type === 5 || type === 12) {
            const target = readDnsName(c, rstart, msgStart, len);
            records.push({ name: name.text, type, value: target.text, section });
            at = rstart + target.used;
          } else if (type === 2) {
            at = rstart + readDnsName(c, rstart, msgStart, len).used;
          } else if (type === 6) {
            // SOA: two names, each limited to what is left of the data, then five 32-bit numbers.
            at = rstart + readDnsName(c, rstart, msgStart, len).used;
            at += readDnsName(c, at, msgStart, rend - at).used;
            if (at + 20 > end) return undefined;
            at += 20;
          } else if (type === 41) {
            // OPT options (`optOptions`): each one's code and length, then its data.
            for (let guard = 0; at < rend && guard < 4096; guard++) {
              if (at + 4 > end) return undefined;
              at += 4 + u16At(d, at + 2);
              if (at > end) return undefined;
            }
          } else return undefined;
        }
        p = Math.max(at, rend);
      }
    }
  } catch {
    // A name the dissector would find cut or malformed (`readDnsName` throws its signals).
    return undefined;
  }
  c.seek(p);
  return { response: (flags & 0x8000) !== 0, opcode: (flags >> 11) & 0xf, rcode: flags & 0xf, questions, records };
}

/** A question as analysers see it. */
export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
}
/** A record of type A, AAAA, CNAME or PTR: its owner name, its value as text, its section (0 answers, 1 authority, 2 additional). */
export interface DnsAnswer {
  readonly name: string;
  readonly type: number;
  readonly value: string;
  readonly section: number;
}
/** Answer types whose value is kept for analysers (A, CNAME, PTR, AAAA). */
const KEPT_ANSWER_TYPES = new Set([1, 5, 12, 28]);

function dnsQuery(c: Cursor, msgStart: number, flavour: DnsFlavour): { name: string; type: number; typeName: string; qu: boolean } {
  const at = c.pos;
  const name = readDnsName(c, at, msgStart);
  // Type and class are read before anything is shown (a cut query shows nothing).
  c.need(name.used + 4, undefined, at);
  const type = u16At(c.data, at + name.used);
  const klass = u16At(c.data, at + name.used + 2);
  const typeName = DNS_TYPES[type] ?? `Unknown (${type})`;
  const qu = flavour === 'mdns' && (klass & 0x8000) !== 0;
  const cls = flavour === 'mdns' ? klass & 0x7fff : klass;
  c.group('dns.query', () => {
    c.add('dns.qry.name', name.text, at, name.used);
    c.add('dns.qry.name.len', name.rawLength > 1 ? name.rawLength : 0, at, 0);
    if (c.wants('dns.count.labels')) c.add('dns.count.labels', labelCount(name), at, 0);
    c.skip(name.used);
    c.u16('dns.qry.type');
    if (flavour === 'mdns') {
      c.add('dns.qry.class', cls, c.pos, 2);
      c.flag('dns.qry.qu', 2, 0x8000);
      c.skip(2);
    } else c.u16('dns.qry.class');
    return c.span(at, c.pos);
  }, -1, () => `${name.text}: type ${typeName}, class ${CLASSES[cls] ?? 'Unknown'}${flavour === 'mdns' ? `, "${qu ? 'QU' : 'QM'}" question` : ''}`);
  return { name: name.text, type, typeName, qu };
}

/** One resource record; returns its Info text (` A 1.2.3.4`); A/AAAA/CNAME/PTR go to `keep` when given. */
function dnsRecord(c: Cursor, msgStart: number, flavour: DnsFlavour, keep?: DnsAnswer[], section = 0): string {
  const at = c.pos;
  const name = readDnsName(c, at, msgStart);
  c.need(name.used + 4, undefined, at);
  const type = u16At(c.data, at + name.used);
  const klass = u16At(c.data, at + name.used + 2);
  const cls = flavour === 'mdns' && type !== 41 ? klass & 0x7fff : klass;
  const typeName = DNS_TYPES[type] ?? `Unknown (${type})`;
  c.need(name.used + 10, undefined, at);
  const rdlen = u16At(c.data, at + name.used + 8);
  let info = ` ${typeName}`;
  let detail = '';
  c.group('dns.rr', () => {
    c.add('dns.resp.name', name.text, at, name.used);
    c.skip(name.used);
    c.u16('dns.resp.type');
    if (type === 41) {
      c.u16('dns.rr.udp_payload_size');
      c.u8('dns.resp.ext_rcode');
      c.u8('dns.resp.edns0_version');
      c.group('dns.resp.z', () => {
        c.flag('dns.resp.z.do', 2, 0x8000);
        c.bits('dns.resp.z.reserved', 2, 0x7fff);
        return c.u16();
      }, 2);
    } else {
      if (flavour === 'mdns') {
        c.add('dns.resp.class', cls, c.pos, 2);
        c.flag('dns.resp.cache_flush', 2, 0x8000);
        c.skip(2);
      } else c.u16('dns.resp.class');
      c.u32('dns.resp.ttl');
    }
    c.u16('dns.resp.len');
    const rstart = c.pos;
    const rend = rstart + rdlen;
    const r = rdata(c, type, cls, rstart, rend, msgStart);
    info += r.info;
    detail = r.detail;
    if (keep !== undefined && KEPT_ANSWER_TYPES.has(type) && r.info !== '') keep.push({ name: name.text, type, value: r.info.slice(1), section });
    if (c.pos < rend) c.seek(Math.min(rend, c.capEnd));
    if (rend > c.capEnd) c.need(rend - c.pos);
    return c.span(at, c.pos);
  }, -1, () => (type === 41 ? `${name.text}: type OPT` : `${name.text}: type ${typeName}, class ${CLASSES[cls] ?? 'Unknown'}${detail}`));
  return info;
}

function rdata(c: Cursor, type: number, cls: number, start: number, end: number, msgStart: number): { info: string; detail: string } {
  const len = end - start;
  const nameField = (key: string): string => {
    const n = readDnsName(c, c.pos, msgStart, end - c.pos);
    c.add(key, n.text, c.pos, n.used);
    c.skip(n.used);
    return n.text;
  };
  const charString = (lenKey: string, key: string): string => {
    const n = c.u8(lenKey);
    const at = c.pos;
    c.need(n);
    const s = formatText(utf8.decode(c.data.subarray(at, at + n)));
    c.add(key, s, at, n);
    c.skip(n);
    return s;
  };
  if (len === 0) return { info: '', detail: '' };
  switch (type) {
    case 1:
      if (cls === 1 && len >= 4) {
        const a = c.ipv4('dns.a');
        return { info: ` ${a}`, detail: `, addr ${a}` };
      }
      break;
    case 28:
      if (len >= 16) {
        const a = c.ipv6('dns.aaaa');
        return { info: ` ${a}`, detail: `, addr ${a}` };
      }
      break;
    case 2: {
      const n = nameField('dns.ns');
      return { info: ` ${n}`, detail: `, ns ${n}` };
    }
    case 5: {
      const n = nameField('dns.cname');
      return { info: ` ${n}`, detail: `, cname ${n}` };
    }
    case 12: {
      const n = nameField('dns.ptr.domain_name');
      return { info: ` ${n}`, detail: `, ${n}` };
    }
    case 15: {
      const pref = c.u16('dns.mx.preference');
      const n = nameField('dns.mx.mail_exchange');
      return { info: ` ${pref} ${n}`, detail: `, preference ${pref}, mx ${n}` };
    }
    case 6: {
      const m = nameField('dns.soa.mname');
      nameField('dns.soa.rname');
      c.u32('dns.soa.serial_number');
      c.u32('dns.soa.refresh_interval');
      c.u32('dns.soa.retry_interval');
      c.u32('dns.soa.expire_limit');
      c.u32('dns.soa.minimum_ttl');
      return { info: ` ${m}`, detail: `, mname ${m}` };
    }
    case 13:
      charString('dns.hinfo.cpu_length', 'dns.hinfo.cpu');
      charString('dns.hinfo.os_length', 'dns.hinfo.os');
      return { info: '', detail: '' };
    case 16:
    case 99: {
      let guard = 0;
      while (c.pos < end && guard++ < 65536) charString(type === 16 ? 'dns.txt.length' : 'dns.txt.length', 'dns.txt');
      return { info: '', detail: '' };
    }
    case 33: {
      const pr = c.u16('dns.srv.priority');
      const w = c.u16('dns.srv.weight');
      const port = c.u16('dns.srv.port');
      const t = nameField('dns.srv.target');
      return { info: ` ${pr} ${w} ${port} ${t}`, detail: `, priority ${pr}, weight ${w}, port ${port}, target ${t}` };
    }
    case 41:
      optOptions(c, end);
      return { info: '', detail: '' };
    case 47: {
      const n = nameField('dns.nsec.next_domain_name');
      if (c.pos < end) c.bytes(undefined, end - c.pos);
      return { info: '', detail: `, next domain name ${n}` };
    }
    case 46:
    case 24:
      c.u16('dns.rrsig.type_covered');
      c.u8('dns.rrsig.algorithm');
      c.u8('dns.rrsig.labels');
      c.u32('dns.rrsig.original_ttl');
      c.u32('dns.rrsig.signature_expiration');
      c.u32('dns.rrsig.signature_inception');
      c.u16('dns.rrsig.key_tag');
      nameField('dns.rrsig.signers_name');
      if (c.pos < end) c.bytes('dns.rrsig.signature', end - c.pos);
      return { info: '', detail: '' };
    case 48:
    case 60:
      c.u16('dns.dnskey.flags');
      c.u8('dns.dnskey.protocol');
      c.u8('dns.dnskey.algorithm');
      if (c.pos < end) c.bytes('dns.dnskey.public_key', end - c.pos);
      return { info: '', detail: '' };
    case 43:
    case 59:
    case 32769:
      c.u16('dns.ds.key_id');
      c.u8('dns.ds.algorithm');
      c.u8('dns.ds.digest_type');
      if (c.pos < end) c.bytes('dns.ds.digest', end - c.pos);
      return { info: '', detail: '' };
    case 257: {
      c.group('dns.caa.flags', () => {
        c.flag('dns.caa.flags.issuer_critical', 1, 0x80);
        return c.u8();
      }, 1);
      const tl = c.u8('dns.caa.tag_length');
      c.ascii('dns.caa.tag', tl);
      if (c.pos < end) c.ascii('dns.caa.value', end - c.pos);
      return { info: '', detail: '' };
    }
    case 64:
    case 65: {
      c.u16('dns.svcb.svcpriority');
      const t = nameField('dns.svcb.targetname');
      let guard = 0;
      while (c.pos + 4 <= end && guard++ < 4096) {
        const key = c.peek16();
        const vl = c.peek16(2);
        c.group('dns.svcb.svcparam', () => {
          c.u16('dns.svcb.svcparam.key');
          c.u16('dns.svcb.svcparam.value.length');
          c.bytes('dns.svcb.svcparam.value', vl);
          return c.span(c.pos, c.pos);
        }, -1, () => `SvcParam: ${SVC_KEYS[key] ?? `key${key}`}`);
      }
      return { info: '', detail: `, target ${t}` };
    }
    default:
      break;
  }
  c.bytes('dns.data', len);
  return { info: '', detail: '' };
}

function optOptions(c: Cursor, end: number): void {
  let guard = 0;
  while (c.pos < end && guard++ < 4096) {
    const code = c.peek16();
    const olen = c.peek16(2);
    c.group('dns.opt', () => {
      c.u16('dns.opt.code');
      c.u16('dns.opt.len');
      if (olen > 0) {
        if (code === 10 && olen >= 8) {
          c.bytes('dns.opt.cookie.client', 8);
          if (olen > 8) c.bytes('dns.opt.cookie.server', olen - 8);
        } else if (code === 12) c.bytes('dns.opt.padding', olen);
        else c.bytes('dns.opt.data', olen);
      }
      return c.span(c.pos, c.pos);
    }, -1, () => `Option: ${OPT_CODES[code] ?? `Unknown (${code})`}`);
  }
}

/**
 * Wireshark's "DNS over UDP" heuristic (enabled by default): a standard-query opcode, one
 * question and nothing else for a query, and small section counts for a response.
 */
function looksLikeDns(d: Uint8Array, at: number, end: number): boolean {
  if (end - at <= 12) return false;
  const u16 = (o: number): number => (d[at + o]! << 8) | d[at + o + 1]!;
  const flags = u16(2);
  if ((flags & 0x7800) !== 0) return false;
  const qd = u16(4);
  const an = u16(6);
  const ns = u16(8);
  const ar = u16(10);
  if ((flags & 0x8000) === 0) {
    if (qd !== 1 || an !== 0 || ns !== 0) return false;
  } else if (qd > 1 || an > 100 || ns > 10) return false;
  return ar <= 10;
}

/** Domain Name System over UDP and TCP port 53. */
export const dns = defineProtocol({
  id: 'dns',
  name: 'Domain Name System',
  short: 'DNS',
  bindings: [
    { table: 'udp.port', key: 53 },
    { table: 'tcp.port', key: 53 },
  ],
  heuristics: [{ table: 'udp.port', test: looksLikeDns }],
  fields: DNS_FIELDS,
  dissect(c) {
    const overTcp = c.below.length > 0 && c.below[c.below.length - 1]!.protocol === 'tcp';
    if (!overTcp) {
      const r = dissectDnsMessage(c, 'dns');
      return { summary: r.summary, info: r.info };
    }
    // DNS over TCP: 2-byte length, then the message (several may share a segment). tshark reads
    // the length, the ID and the flags before it adds its item: a segment holding less than that
    // shows no DNS at all, only the read past its end ("unreassembled": TCP payloads are handed
    // on as fragments). A message that goes on in later segments makes TCP skip the segments
    // inside it (tshark's PDU tracking).
    if (c.remaining() >= 2 && c.pos + 2 + c.peek16() > c.repEnd) trackNextPdu(c, c.pos + 2 + c.peek16() - c.repEnd);
    if (c.remaining() < 6) c.need(6, 'dns.length');
    let first = true;
    const summaries: string[] = [];
    let info: Record<string, unknown> = {};
    let guard = 0;
    while (c.remaining() > 0 && guard++ < 256) {
      const len = c.u16('dns.length');
      const end = c.pos + len;
      if (end > c.repEnd && !first) trackNextPdu(c, end - c.repEnd);
      first = false;
      const savedRep = c.repEnd;
      const savedCap = c.capEnd;
      if (end < c.repEnd) {
        c.repEnd = end;
        c.capEnd = Math.min(c.capEnd, end);
      }
      try {
        const r = dissectDnsMessage(c, 'dns');
        summaries.push(r.summary);
        info = r.info;
      } finally {
        c.repEnd = savedRep;
        c.capEnd = savedCap;
      }
      if (end >= c.capEnd) break;
      c.seek(end);
    }
    return { summary: summaries.join(' , '), info };
  },
});
