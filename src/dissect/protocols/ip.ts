import { finishChecksum, onesSum } from '../checksum.js';
import { addressHash, type Cursor } from '../cursor.js';
import { defineProtocol, keyedNext } from '../protocol.js';
import { IP_PROTOCOLS } from './ip-protocols.js';

const IP_PROTO_NEXT = keyedNext('ip.proto');

const OPTION_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)',
  1: 'No-Operation (NOP)',
  7: 'Record Route (RR)',
  68: 'Time Stamp (TS)',
  82: 'Traceroute',
  130: 'Security',
  131: 'Loose Source Route (LSR)',
  133: 'Extended Security',
  134: 'Commercial IP Security Option (CIPSO)',
  136: 'Stream Identifier',
  137: 'Strict Source Route (SSR)',
  148: 'Router Alert',
  25: 'Quick-Start',
};

const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified' } as const;

/**
 * Where an unfinished loose or strict source route keeps the final destination (its last
 * address), or -1. Wireshark then shows the header's destination as the current hop
 * (`ip.cur_rt`) and that last address as `ip.dst`.
 */
export function finalDestination(d: Uint8Array, from: number, end: number): number {
  let p = from;
  for (let guard = 0; p < end && guard < 40; guard++) {
    const type = d[p]!;
    if (type === 0) return -1;
    if (type === 1) {
      p++;
      continue;
    }
    if (p + 2 > end) return -1;
    const len = d[p + 1]!;
    if (len < 2 || p + len > end) return -1;
    if ((type === 131 || type === 137) && len >= 7) {
      const ptr = d[p + 2]!;
      if (ptr <= len) return p + 3 + Math.floor((len - 3) / 4) * 4 - 4;
    }
    p += len;
  }
  return -1;
}

/** Reads the options of an IPv4 header from the position to `end`, each as a group with children. */
function readOptions(c: Cursor, end: number, finalDst: number): void {
  let guard = 0;
  while (c.pos < end && guard++ < 40) {
    const at = c.pos;
    const type = c.peek8();
    if (type === 0 || type === 1) {
      c.group('ip.opt.type', () => {
        c.flag('ip.opt.type.copy', 1, 0x80);
        c.bits('ip.opt.type.class', 1, 0x60);
        c.bits('ip.opt.type.number', 1, 0x1f);
        return c.u8();
      }, 1, (t) => `Type: ${t} (${OPTION_NAMES[t]})`);
      if (type === 0) {
        if (c.pos < end) c.skip(end - c.pos);
        return;
      }
      continue;
    }
    const len = at + 2 <= end ? c.peek8(1) : 0;
    if (len < 2 || at + len > end) {
      // Like Wireshark: a broken option ends the option list, not the packet.
      c.expert('warning', `IPv4 option ${type} with length ${len} runs past the end of the options`, 'ip.opt.len', at);
      c.seek(end);
      return;
    }
    c.group('ip.option', () => {
      c.group('ip.opt.type', () => {
        c.flag('ip.opt.type.copy', 1, 0x80);
        c.bits('ip.opt.type.class', 1, 0x60);
        c.bits('ip.opt.type.number', 1, 0x1f);
        return c.u8();
      }, 1, (t) => `Type: ${t} (${OPTION_NAMES[t] ?? 'Unknown'})`);
      c.u8('ip.opt.len');
      const body = at + len;
      if ((type === 7 || type === 131 || type === 137) && len >= 3) {
        c.u8('ip.opt.ptr');
        const key = type === 7 ? 'ip.rec_rt' : 'ip.src_rt';
        while (c.pos + 4 <= body) c.ipv4(c.pos === finalDst ? 'ip.dst' : key);
      } else if (type === 148 && len === 4) {
        c.u16('ip.opt.ra');
      } else if (type === 68 && len >= 4) {
        c.u8('ip.opt.ptr');
        const flags = c.bits('ip.opt.flag', 1, 0x0f);
        c.bits('ip.opt.overflow', 1, 0xf0);
        c.skip(1);
        while (c.pos + 4 <= body) {
          if (flags !== 0 && c.pos + 8 <= body) c.ipv4('ip.opt.time_stamp_addr');
          if (c.pos + 4 > body) break;
          c.u32('ip.opt.time_stamp');
        }
      }
      if (c.pos < body) c.bytes('ip.opt.data', body - c.pos);
      return c.span(at, body);
    }, len, () => `${OPTION_NAMES[type] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`} (${len} bytes)`);
  }
}

/** Sub-fields read one by one only when one of them is recorded (`Cursor.recordsAny`). */
const DSFIELD_KEYS = ['ip.dsfield.dscp', 'ip.dsfield.ecn'] as const;
const FLAG_KEYS = ['ip.flags.rb', 'ip.flags.df', 'ip.flags.mf'] as const;

/** Internet Protocol version 4. */
export const ip = defineProtocol({
  id: 'ip',
  name: 'Internet Protocol Version 4',
  short: 'IPv4',
  bindings: [
    { table: 'ethertype', key: 0x0800 },
    { table: 'ip.proto', key: 4 },
    { table: 'linktype', key: 228 },
    { table: 'ppp.protocol', key: 0x0021 },
  ],
  fields: {
    'ip.version': { label: 'Version', type: 'u8', mask: 0xf0 },
    'ip.hdr_len': { label: 'Header Length', type: 'u8', mask: 0x0f, scale: 4, format: (v) => `${v} bytes (${v / 4})` },
    'ip.dsfield': { label: 'Differentiated Services Field', type: 'u8', base: 'hex' },
    'ip.dsfield.dscp': { label: 'Differentiated Services Codepoint', type: 'u8', mask: 0xfc },
    'ip.dsfield.ecn': { label: 'Explicit Congestion Notification', type: 'u8', mask: 0x03, values: { 0: 'Not ECN-Capable Transport', 1: 'ECN-Capable Transport codepoint \'01\'', 2: 'ECN-Capable Transport codepoint \'10\'', 3: 'Congestion Experienced' } },
    'ip.len': { label: 'Total Length', type: 'u16' },
    'ip.id': { label: 'Identification', type: 'u16', base: 'hex_dec' },
    'ip.flags': { label: 'Flags', type: 'u8', base: 'hex' },
    'ip.flags.rb': { label: 'Reserved bit', type: 'bool', mask: 0x80, tfs: ['Set', 'Not set'] },
    'ip.flags.df': { label: "Don't fragment", type: 'bool', mask: 0x40, tfs: ['Set', 'Not set'] },
    'ip.flags.mf': { label: 'More fragments', type: 'bool', mask: 0x20, tfs: ['Set', 'Not set'] },
    'ip.frag_offset': { label: 'Fragment Offset', type: 'u16', mask: 0x1fff },
    'ip.ttl': { label: 'Time to Live', type: 'u8' },
    'ip.proto': { label: 'Protocol', type: 'u8', values: IP_PROTOCOLS },
    'ip.checksum': { label: 'Header Checksum', type: 'u16', base: 'hex' },
    'ip.checksum.status': { label: 'Header checksum status', type: 'u8', values: CHECKSUM_STATUS },
    'ip.src': { label: 'Source Address', type: 'ipv4' },
    'ip.dst': { label: 'Destination Address', type: 'ipv4' },
    'ip.addr': { label: 'Source or Destination Address', type: 'ipv4' },
    'ip.cur_rt': { label: 'Current Route', type: 'ipv4' },
    'ip.options': { label: 'Options', type: 'bytes' },
    'ip.option': { label: 'IP Option', type: 'bytes' },
    'ip.opt.type': { label: 'Type', type: 'u8' },
    'ip.opt.type.copy': { label: 'Copy on fragmentation', type: 'bool', mask: 0x80, tfs: ['Yes', 'No'] },
    'ip.opt.type.class': { label: 'Class', type: 'u8', mask: 0x60, values: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' } },
    'ip.opt.type.number': { label: 'Number', type: 'u8', mask: 0x1f },
    'ip.opt.len': { label: 'Length', type: 'u8' },
    'ip.opt.ptr': { label: 'Pointer', type: 'u8' },
    'ip.rec_rt': { label: 'Recorded Route', type: 'ipv4' },
    'ip.src_rt': { label: 'Source Route', type: 'ipv4' },
    'ip.opt.ra': { label: 'Router Alert', type: 'u16' },
    'ip.opt.flag': { label: 'Flag', type: 'u8', mask: 0x0f },
    'ip.opt.overflow': { label: 'Overflow', type: 'u8', mask: 0xf0 },
    'ip.opt.time_stamp': { label: 'Time stamp', type: 'u32' },
    'ip.opt.time_stamp_addr': { label: 'Address', type: 'ipv4' },
    'ip.opt.data': { label: 'Data', type: 'bytes' },
    'ip.fragment': { label: 'Fragment', type: 'bool' },
  },
  dissect(c) {
    const start = c.pos;
    // An IPv6 packet where IPv4 was announced: from a raw-IPv4 link type Wireshark hands it to
    // IPv6 directly; after an ethertype, its IPv4 layer shows the version, then IPv6 follows.
    if (c.peek8() >> 4 === 6 && c.ctx['handedOffFrom'] !== 'ipv6') {
      if (c.below.length === 0) return { handoff: 'ipv6' };
      c.bits('ip.version', 1, 0xf0);
      return { summary: 'Bogus IPv4 version (6, must be 4)', info: { version: 6 }, payloadOffset: start, next: { protocol: 'ipv6' } };
    }
    const version = c.bits('ip.version', 1, 0xf0);
    const ihl = c.bits('ip.hdr_len', 1, 0x0f);
    c.skip(1);
    if (version !== 4) c.malformed(`bogus IP version ${version}`, 'ip.version', start);
    const hlen = ihl * 4;
    if (hlen < 20) c.malformed(`bogus IP header length ${hlen}, must be at least 20`, 'ip.hdr_len', start);
    c.open('ip.dsfield');
    if (c.recordsAny(DSFIELD_KEYS)) {
      c.bits('ip.dsfield.dscp', 1, 0xfc);
      c.bits('ip.dsfield.ecn', 1, 0x03);
    } else c.need(1, 'ip.dsfield.dscp');
    c.close(c.u8());
    const inError = c.ctx['inError'] === true;
    let totalLen = c.peek16();
    if (totalLen === 0) {
      // TSO or BIG TCP: the length is left to the link layer; use what the packet reports.
      totalLen = c.reportedRemaining() + (c.pos - start);
      c.add('ip.len', totalLen, c.pos, 2, `Total Length: ${totalLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))`);
      c.skip(2);
    } else {
      c.u16('ip.len');
    }
    if (totalLen < hlen) c.malformed(`bogus IP length ${totalLen}, less than the header length ${hlen}`, 'ip.len', start + 2);
    const id = c.u16('ip.id');
    const flagsByte = c.peek8();
    c.open('ip.flags');
    if (c.recordsAny(FLAG_KEYS)) {
      c.flag('ip.flags.rb', 1, 0x80);
      c.flag('ip.flags.df', 1, 0x40);
      c.flag('ip.flags.mf', 1, 0x20);
    }
    c.close(flagsByte & 0xe0, 1);
    const mf = (flagsByte & 0x20) !== 0;
    const fragOffset = c.bits('ip.frag_offset', 2, 0x1fff);
    c.skip(2);
    const ttl = c.u8('ip.ttl');
    const proto = c.u8('ip.proto');
    const checksumAt = c.pos;
    const checksum = c.u16('ip.checksum');
    const srcAt = c.pos;
    const src = c.ipv4('ip.src');
    const finalDst = hlen > 20 && start + hlen <= c.capEnd ? finalDestination(c.data, start + 20, start + hlen) : -1;
    const hop = c.ipv4(finalDst >= 0 ? 'ip.cur_rt' : 'ip.dst');
    const dst = finalDst >= 0 ? c.ipv4Text(finalDst) : hop;
    if (c.wantsHidden('ip.addr')) {
      c.add('ip.addr', src, c.pos - 8, 4);
      c.add('ip.addr', dst, finalDst >= 0 ? finalDst : c.pos - 4, 4);
    }
    if (hlen > 20) {
      c.group('ip.options', () => {
        readOptions(c, start + hlen, finalDst);
        return c.span(start + 20, start + hlen);
      }, hlen - 20, () => `Options: (${hlen - 20} bytes)`);
    }
    if (!inError && c.mode === 'full' && c.has(0) && start + hlen <= c.capEnd) {
      const ok = finishChecksum(onesSum(c.data, start, start + hlen)) === 0;
      c.add('ip.checksum.status', ok ? 1 : 0, checksumAt, 0);
      if (!ok) c.expert('warning', `bad IPv4 header checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'ip.checksum', checksumAt);
    }
    if (inError) {
      if (start + totalLen < c.repEnd) c.limit(totalLen);
    } else {
      c.limit(totalLen, 'ip.len');
    }
    const fragment = mf || fragOffset !== 0;
    const d = c.data;
    const dstAt = finalDst >= 0 ? finalDst : srcAt + 4;
    const info = c.infoWanted || fragOffset !== 0 ? { src, dst, srcHash: addressHash(d, srcAt, 4), dstHash: addressHash(d, dstAt, 4), proto, ttl, id, len: totalLen, fragOffset, mf, inError } : undefined;
    // No closure is made when no summary will be read (a fields run).
    const summary = c.summaries
      ? (): string =>
          fragment
            ? `Fragmented IP protocol (proto=${IP_PROTOCOLS[proto] ?? proto} ${proto}, off=${fragOffset * 8}, ID=${id.toString(16).padStart(4, '0')})`
            : `${src} → ${dst}`
      : undefined;
    if (fragOffset !== 0) {
      c.add('ip.fragment', true, start + 6, 0);
      return { summary, info, payloadOffset: start + hlen };
    }
    return { summary, info, payloadOffset: start + hlen, next: IP_PROTO_NEXT(proto) };
  },
});
