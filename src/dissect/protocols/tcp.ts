import type { Cursor } from '../cursor.js';
import { defineProtocol, type Next } from '../protocol.js';
import type { IssueSeverity } from '../tree.js';
import {
  A_ACK_LOST_PACKET,
  A_DUPLICATE_ACK,
  A_FAST_RETRANSMISSION,
  A_KEEP_ALIVE,
  A_KEEP_ALIVE_ACK,
  A_LOST_PACKET,
  A_OUT_OF_ORDER,
  A_RETRANSMISSION,
  A_REUSED_PORTS,
  A_SPURIOUS_RETRANSMISSION,
  A_WINDOW_FULL,
  A_WINDOW_UPDATE,
  A_ZERO_WINDOW,
  A_ZERO_WINDOW_PROBE,
  A_ZERO_WINDOW_PROBE_ACK,
  analyzeSegment,
  payloadNotDissected,
  type SegmentAnalysis,
} from './tcp-sequence.js';
import { CHECKSUM_STATUS, verifyTransportChecksum } from './transport-checksum.js';

/**
 * The analysis flags as tshark reports them, in the order it checks them (its Info column
 * shows them in the reverse order, each one put in front of the others): the field, the Info
 * text, the expert severity and the expert message. A fast or spurious retransmission is also a
 * retransmission (that field and note too), not shown twice in Info.
 */
const ANALYSIS: readonly (readonly [number, string, string, IssueSeverity, string])[] = [
  [A_SPURIOUS_RETRANSMISSION, 'tcp.analysis.spurious_retransmission', 'TCP Spurious Retransmission', 'note', 'This frame is a (suspected) spurious retransmission'],
  [A_FAST_RETRANSMISSION, 'tcp.analysis.fast_retransmission', 'TCP Fast Retransmission', 'note', 'This frame is a (suspected) fast retransmission'],
  [A_RETRANSMISSION, 'tcp.analysis.retransmission', 'TCP Retransmission', 'note', 'This frame is a (suspected) retransmission'],
  [A_OUT_OF_ORDER, 'tcp.analysis.out_of_order', 'TCP Out-Of-Order', 'warning', 'This frame is a (suspected) out-of-order segment'],
  [A_LOST_PACKET, 'tcp.analysis.lost_segment', 'TCP Previous segment not captured', 'warning', 'Previous segment(s) not captured (common at capture start)'],
  [A_ACK_LOST_PACKET, 'tcp.analysis.ack_lost_segment', 'TCP ACKed unseen segment', 'warning', "ACKed segment that wasn't captured (common at capture start)"],
  [A_KEEP_ALIVE, 'tcp.analysis.keep_alive', 'TCP Keep-Alive', 'note', 'TCP keep-alive segment'],
  [A_WINDOW_UPDATE, 'tcp.analysis.window_update', 'TCP Window Update', 'chat', 'TCP window update'],
  [A_WINDOW_FULL, 'tcp.analysis.window_full', 'TCP Window Full', 'warning', 'TCP window specified by the receiver is now completely full'],
  [A_KEEP_ALIVE_ACK, 'tcp.analysis.keep_alive_ack', 'TCP Keep-Alive ACK', 'note', 'ACK to a TCP keep-alive segment'],
  [A_DUPLICATE_ACK, 'tcp.analysis.duplicate_ack', 'TCP Dup ACK', 'note', 'Duplicate ACK'],
  [A_ZERO_WINDOW_PROBE, 'tcp.analysis.zero_window_probe', 'TCP ZeroWindowProbe', 'note', 'TCP Zero Window Probe'],
  [A_ZERO_WINDOW, 'tcp.analysis.zero_window', 'TCP ZeroWindow', 'warning', 'TCP Zero Window segment'],
  [A_ZERO_WINDOW_PROBE_ACK, 'tcp.analysis.zero_window_probe_ack', 'TCP ZeroWindowProbeAck', 'note', 'ACK to a TCP Zero Window Probe'],
  [A_REUSED_PORTS, 'tcp.analysis.reused_ports', 'TCP Port numbers reused', 'note', 'A new tcp session is started with the same ports as an earlier session in this trace'],
];

/** The Info prefix of a segment's analysis flags: `[TCP Dup ACK 12#1] `. */
export function analysisPrefix(flags: number, dupackFrame: number, dupackNum: number): string {
  let s = '';
  for (const [bit, , text] of ANALYSIS) {
    if ((flags & bit) === 0) continue;
    if (bit === A_RETRANSMISSION && (flags & (A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) !== 0) continue;
    s = bit === A_DUPLICATE_ACK ? `[${text} ${dupackFrame}#${dupackNum}] ${s}` : `[${text}] ${s}`;
  }
  return s;
}

/** tshark's notes on connection set-up and tear-down (SYN, SYN+ACK, FIN, RST). */
function connectionNotes(c: Cursor, flags: number, sport: number, dport: number, at: number): void {
  if ((flags & 0x12) === 0x02) {
    c.add('tcp.connection.syn', '', at, 1, `Connection establish request (SYN): server port ${dport}`);
    c.expert('chat', `Connection establish request (SYN): server port ${dport}`, 'tcp.connection.syn', at);
  } else if ((flags & 0x12) === 0x12) {
    c.add('tcp.connection.sack', '', at, 1, `Connection establish acknowledge (SYN+ACK): server port ${sport}`);
    c.expert('chat', `Connection establish acknowledge (SYN+ACK): server port ${sport}`, 'tcp.connection.sack', at);
  }
  if ((flags & 0x01) !== 0) {
    c.add('tcp.connection.fin', '', at, 1, 'Connection finish (FIN)');
    c.expert('chat', 'Connection finish (FIN)', 'tcp.connection.fin', at);
  }
  if ((flags & 0x04) !== 0) {
    c.add('tcp.connection.rst', '', at, 1, 'Connection reset (RST)');
    c.expert('warning', 'Connection reset (RST)', 'tcp.connection.rst', at);
  }
}

/** Records the analysis fields and expert notes of a segment on the layer. */
function addAnalysis(c: Cursor, a: SegmentAnalysis, start: number): void {
  const flags = a.flags;
  if (flags !== 0) {
    c.add('tcp.analysis.flags', '', start, 0, 'TCP Analysis Flags');
    for (const [bit, key, , severity, message] of ANALYSIS) {
      if ((flags & bit) === 0 && !(bit === A_RETRANSMISSION && (flags & (A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) !== 0)) continue;
      if (bit === A_DUPLICATE_ACK) {
        c.add(key, '', start, 0, `This is a TCP duplicate ack`);
        c.add('tcp.analysis.duplicate_ack_num', a.dupackNum, start, 0, `Duplicate ACK #: ${a.dupackNum}`);
        c.add('tcp.analysis.duplicate_ack_frame', a.dupackFrame, start, 0, `Duplicate to the ACK in frame: ${a.dupackFrame}`);
        c.expert(severity, `${message} (#${a.dupackNum})`, key, start);
      } else {
        c.add(key, '', start, 0, message);
        c.expert(severity, message, key, start);
      }
    }
  }
  if (a.acksFrame !== 0) {
    c.add('tcp.analysis.acks_frame', a.acksFrame, start, 0);
    if ((a.ackRttSec !== 0 || a.ackRttNsec !== 0) && c.wants('tcp.analysis.ack_rtt')) {
      const rtt = `${a.ackRttSec}.${String(a.ackRttNsec).padStart(9, '0')}`;
      c.add('tcp.analysis.ack_rtt', rtt, start, 0, `The RTT to ACK the segment was: ${rtt} seconds`);
    }
  }
  if (a.bytesInFlight >= 0) c.add('tcp.analysis.bytes_in_flight', a.bytesInFlight, start, 0);
}

/** Addresses of the nearest IP layer below (empty strings when there is none). */
const NO_ADDRESSES: Readonly<Record<string, unknown>> = { src: '', dst: '', srcHash: 0, dstHash: 0 };

/** The `info` of the innermost IP layer below (addresses and their hashes). */
function ipBelow(c: Cursor): Readonly<Record<string, unknown>> {
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') return l.info;
  }
  return NO_ADDRESSES;
}

/**
 * Whether the nearest IP header below says this is the first fragment of a datagram that goes
 * on (IPv4 More Fragments, or an IPv6 fragment header with M set): tshark does not reassemble, so
 * the segment's length is not known, it is not analysed, its payload is handed to no one, and a
 * read past the fragment is "unreassembled" rather than malformed.
 */
export function inFirstFragment(c: Cursor): boolean {
  const d = c.data;
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'ipv6.fraghdr') return l.offset + 4 <= d.length && (d[l.offset + 3]! & 0x01) !== 0;
    if (l.protocol === 'ip') return l.offset + 8 <= d.length && (d[l.offset + 6]! & 0x20) !== 0;
    if (l.protocol === 'ipv6') return false;
  }
  return false;
}

/**
 * The application protocol tshark has bound to a TCP conversation (a heuristic dissector that
 * recognised it on ports no dissector is registered for does this): later segments of the
 * connection, both ways, go to it before any port lookup.
 */
const CONVERSATION_DISSECTORS = 'tcp conversation dissectors';
const MAX_CONVERSATION_DISSECTORS = 100_000;

/** The protocol bound to TCP stream `stream`, if any. */
function conversationDissector(c: Cursor, stream: number | undefined): string | undefined {
  if (stream === undefined) return undefined;
  return c.peekSession<Map<number, string>>(CONVERSATION_DISSECTORS)?.get(stream);
}

/** The TCP stream of the segment carrying this layer (undefined outside TCP, or in an ICMP quote). */
export function carryingTcpStream(c: Cursor): number | undefined {
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'tcp') {
      const s = l.info['stream'];
      return typeof s === 'number' && !l.inError ? s : undefined;
    }
  }
  return undefined;
}

/** The ports of the TCP segment carrying this layer ([source, destination]), or undefined. */
export function carryingTcpPorts(c: Cursor): [number, number] | undefined {
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (l.protocol === 'tcp') {
      const s = l.info['srcport'];
      const d = l.info['dstport'];
      return typeof s === 'number' && typeof d === 'number' ? [s, d] : undefined;
    }
  }
  return undefined;
}

/** Binds the TCP conversation carrying this layer to `protocol` (a heuristic recognised it). */
export function setConversationDissector(c: Cursor, protocol: string): void {
  const stream = carryingTcpStream(c);
  if (stream === undefined) return;
  const map = c.session(CONVERSATION_DISSECTORS, () => new Map<number, string>());
  if (map.get(stream) === protocol) return;
  if (map.size >= MAX_CONVERSATION_DISSECTORS) map.delete(map.keys().next().value!);
  map.set(stream, protocol);
}

const OPTION_KINDS: Record<number, string> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Maximum segment size',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  8: 'Time Stamp Option',
  19: 'TCP MD5 signature',
  28: 'User Timeout',
  29: 'TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  69: 'Encryption Negotiation (TCP-ENO)',
  172: 'Accurate ECN Order 0 (AccECN0)',
  174: 'Accurate ECN Order 1 (AccECN1)',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

/** In the order tshark lists them: `[FIN, PSH, ACK]`. */
const FLAG_NAMES: readonly [number, string][] = [
  [0x01, 'FIN'],
  [0x02, 'SYN'],
  [0x04, 'RST'],
  [0x08, 'PSH'],
  [0x10, 'ACK'],
  [0x20, 'URG'],
  [0x40, 'ECE'],
  [0x80, 'CWR'],
  [0x100, 'AE'],
];

/** The flag fields of the flags word, in tree order, and their masks. */
/** The flag fields of the 12-bit flags word, and their masks (`header-packet.ts` reads them too). */
export const TCP_FLAG_KEYS = ['tcp.flags.res', 'tcp.flags.ns', 'tcp.flags.cwr', 'tcp.flags.ece', 'tcp.flags.urg', 'tcp.flags.ack', 'tcp.flags.push', 'tcp.flags.reset', 'tcp.flags.syn', 'tcp.flags.fin'] as const;
export const TCP_FLAG_MASKS: readonly number[] = [0x0e00, 0x0100, 0x0080, 0x0040, 0x0020, 0x0010, 0x0008, 0x0004, 0x0002, 0x0001];
const SET = ['Set', 'Not set'] as const;

/** The flags word as tshark's Info column shows it: `[SYN, ACK]`. */
export function tcpFlagsText(flags: number): string {
  const i = flags & 0xfff;
  return (FLAGS_TEXT[i] ??= flagsText(i));
}
const FLAGS_TEXT: (string | undefined)[] = new Array<string | undefined>(0x1000).fill(undefined);

function flagsText(flags: number): string {
  const names = FLAG_NAMES.filter(([m]) => (flags & m) !== 0).map(([, n]) => n);
  return names.length > 0 ? `[${names.join(', ')}]` : '[<None>]';
}

/** tshark's compact flag string: `·······A··S·`. */
function flagString(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 11; i >= 0; i--) s += (flags >> i) & 1 ? (i >= 9 ? 'R' : letters[11 - i]!) : '·';
  return s;
}

interface OptionSummary {
  mss?: number;
  ws?: number;
  sackPerm?: boolean;
  tsval?: number;
  tsecr?: number;
  sack?: [number, number][];
}

/** Option kind → its field key (others: `tcp.options.unknown`). */
const OPTION_KEYS: Readonly<Record<number, string>> = { 2: 'tcp.options.mss', 3: 'tcp.options.wscale', 4: 'tcp.options.sack_perm', 5: 'tcp.options.sack', 8: 'tcp.options.timestamp', 30: 'tcp.options.mptcp', 34: 'tcp.options.tfo' };

/**
 * The options as `readOptions` reads them (same bounds, same signals), for runs that record no
 * option field (summary mode, or a select-mode run that wants none): only the values summaries
 * and analysis use, with no field groups built.
 */
function readOptionValues(c: Cursor, end: number, out: OptionSummary): void {
  let guard = 0;
  while (c.pos < end && guard++ < 40) {
    const at = c.pos;
    const kind = c.peek8();
    c.skip(1);
    if (kind === 0 || kind === 1) {
      if (kind === 0) {
        if (c.pos < end) c.skip(end - c.pos, 'tcp.options.padding');
        return;
      }
      continue;
    }
    if (at + 2 > end) c.malformed(`TCP option ${kind} runs past the header`, 'tcp.option_len', at);
    const len = c.peek8();
    if (len < 2 || at + len > end) c.malformed(`TCP option ${kind} has bad length ${len}`, 'tcp.option_len', at + 1);
    c.skip(1, 'tcp.option_len');
    if (kind === 2 && len === 4) {
      out.mss = c.u16('tcp.options.mss_val');
    } else if (kind === 3 && len === 3) {
      out.ws = 2 ** Math.min(c.u8('tcp.options.wscale.shift'), 14);
    } else if (kind === 4) {
      out.sackPerm = true;
    } else if (kind === 5) {
      out.sack = [];
      while (c.pos + 8 <= at + len) out.sack.push([c.u32('tcp.options.sack_le'), c.u32('tcp.options.sack_re')]);
    } else if (kind === 8 && len === 10) {
      out.tsval = c.u32('tcp.options.timestamp.tsval');
      out.tsecr = c.u32('tcp.options.timestamp.tsecr');
    } else if (kind === 30 && len >= 3) {
      c.need(1, 'tcp.options.mptcp.subtype');
    } else if (kind === 34 && len > 2) {
      c.skip(len - 2, 'tcp.options.tfo.cookie');
    }
    if (c.pos < at + len) c.skip(at + len - c.pos, 'tcp.options.data');
  }
}

/** What TCP sequence analysis reads from a segment's options: the window-scale shift (-1: none) and the SACK blocks. */
export interface AnalysedOptions {
  wsShift: number;
  sack: [number, number][] | undefined;
}

/**
 * Reads the options of a TCP header held whole in `d` (from `at` to `end`) as the dissector
 * reads them for analysis, without a cursor; false when they are malformed (the dissector then
 * only numbers the segment's stream).
 */
export function scanOptions(d: Uint8Array, at: number, end: number, out: AnalysedOptions): boolean {
  out.wsShift = -1;
  out.sack = undefined;
  let p = at;
  for (let guard = 0; p < end && guard < 40; guard++) {
    const kind = d[p]!;
    if (kind === 0) return true;
    if (kind === 1) {
      p++;
      continue;
    }
    if (p + 2 > end) return false;
    const len = d[p + 1]!;
    if (len < 2 || p + len > end) return false;
    if (kind === 3 && len === 3) out.wsShift = Math.min(d[p + 2]!, 14);
    else if (kind === 5) {
      const sack: [number, number][] = [];
      for (let q = p + 2; q + 8 <= p + len; q += 8) sack.push([u32At(d, q), u32At(d, q + 4)]);
      out.sack = sack;
    }
    p += len;
  }
  return true;
}

const u32At = (d: Uint8Array, p: number): number => ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;

function readOptions(c: Cursor, end: number, out: OptionSummary): void {
  if (!c.wantsAny('tcp.option')) {
    readOptionValues(c, end, out);
    return;
  }
  let guard = 0;
  while (c.pos < end && guard++ < 40) {
    const at = c.pos;
    const kind = c.peek8();
    if (kind === 0 || kind === 1) {
      c.group(kind === 0 ? 'tcp.options.eol' : 'tcp.options.nop', () => {
        c.u8('tcp.option_kind');
        return c.span(at, at + 1);
      }, 1, () => `TCP Option - ${kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)'}`);
      if (kind === 0) {
        if (c.pos < end) c.bytes('tcp.options.padding', end - c.pos);
        return;
      }
      continue;
    }
    if (at + 2 > end) c.malformed(`TCP option ${kind} runs past the header`, 'tcp.option_len', at);
    const len = c.peek8(1);
    if (len < 2 || at + len > end) c.malformed(`TCP option ${kind} has bad length ${len}`, 'tcp.option_len', at + 1);
    const key = OPTION_KEYS[kind] ?? 'tcp.options.unknown';
    let text = `TCP Option - ${OPTION_KINDS[kind] ?? `Unknown (${kind})`}`;
    c.group(key, () => {
      c.u8('tcp.option_kind');
      c.u8('tcp.option_len');
      if (kind === 2 && len === 4) {
        out.mss = c.u16('tcp.options.mss_val');
        text = `TCP Option - Maximum segment size: ${out.mss} bytes`;
      } else if (kind === 3 && len === 3) {
        const shift = c.u8('tcp.options.wscale.shift');
        out.ws = 2 ** Math.min(shift, 14);
        c.add('tcp.options.wscale.multiplier', out.ws, at + 2, 0);
        text = `TCP Option - Window scale: ${shift} (multiply by ${out.ws})`;
      } else if (kind === 4) {
        out.sackPerm = true;
      } else if (kind === 5) {
        out.sack = [];
        while (c.pos + 8 <= at + len) out.sack.push([c.u32('tcp.options.sack_le'), c.u32('tcp.options.sack_re')]);
        c.add('tcp.options.sack.count', out.sack.length, at, 0);
      } else if (kind === 8 && len === 10) {
        out.tsval = c.u32('tcp.options.timestamp.tsval');
        out.tsecr = c.u32('tcp.options.timestamp.tsecr');
        text = `TCP Option - Timestamps: TSval ${out.tsval}, TSecr ${out.tsecr}`;
      } else if (kind === 30 && len >= 3) {
        c.bits('tcp.options.mptcp.subtype', 1, 0xf0);
      } else if (kind === 34) {
        if (len > 2) c.bytes('tcp.options.tfo.cookie', len - 2);
        else c.add('tcp.options.tfo.request', true, at, 2);
      }
      if (c.pos < at + len) c.bytes('tcp.options.data', at + len - c.pos);
      return c.span(at, at + len);
    }, len, () => text);
  }
}

/** Transmission Control Protocol (the segment; stream analysis lives in src/analyze). */
export const tcp = defineProtocol({
  id: 'tcp',
  name: 'Transmission Control Protocol',
  short: 'TCP',
  bindings: [{ table: 'ip.proto', key: 6 }],
  fields: {
    'tcp.srcport': { label: 'Source Port', type: 'u16' },
    'tcp.dstport': { label: 'Destination Port', type: 'u16' },
    'tcp.port': { label: 'Source or Destination Port', type: 'u16' },
    'tcp.len': { label: 'TCP Segment Len', type: 'u32' },
    'tcp.stream': { label: 'Stream index', type: 'u32' },
    'tcp.analysis.flags': { label: 'TCP Analysis Flags', type: 'none' },
    'tcp.analysis.retransmission': { label: 'This frame is a (suspected) retransmission', type: 'none' },
    'tcp.analysis.fast_retransmission': { label: 'This frame is a (suspected) fast retransmission', type: 'none' },
    'tcp.analysis.spurious_retransmission': { label: 'This frame is a (suspected) spurious retransmission', type: 'none' },
    'tcp.analysis.out_of_order': { label: 'This frame is a (suspected) out-of-order segment', type: 'none' },
    'tcp.analysis.lost_segment': { label: 'Previous segment(s) not captured (common at capture start)', type: 'none' },
    'tcp.analysis.ack_lost_segment': { label: "ACKed segment that wasn't captured (common at capture start)", type: 'none' },
    'tcp.analysis.keep_alive': { label: 'TCP keep-alive segment', type: 'none' },
    'tcp.analysis.keep_alive_ack': { label: 'ACK to a TCP keep-alive segment', type: 'none' },
    'tcp.analysis.window_update': { label: 'TCP window update', type: 'none' },
    'tcp.analysis.window_full': { label: 'TCP window specified by the receiver is now completely full', type: 'none' },
    'tcp.analysis.zero_window': { label: 'TCP Zero Window segment', type: 'none' },
    'tcp.analysis.zero_window_probe': { label: 'TCP Zero Window Probe', type: 'none' },
    'tcp.analysis.zero_window_probe_ack': { label: 'ACK to a TCP Zero Window Probe', type: 'none' },
    'tcp.analysis.reused_ports': { label: 'A new tcp session is started with the same ports as an earlier session in this trace', type: 'none' },
    'tcp.analysis.duplicate_ack': { label: 'This is a TCP duplicate ack', type: 'none' },
    'tcp.analysis.duplicate_ack_num': { label: 'Duplicate ACK #', type: 'u32' },
    'tcp.analysis.duplicate_ack_frame': { label: 'Duplicate to the ACK in frame', type: 'framenum' },
    'tcp.analysis.acks_frame': { label: 'This is an ACK to the segment in frame', type: 'framenum' },
    'tcp.analysis.ack_rtt': { label: 'The RTT to ACK the segment was', type: 'rel_time' },
    'tcp.analysis.bytes_in_flight': { label: 'Bytes in flight', type: 'u32' },
    'tcp.connection.syn': { label: 'Connection establish request (SYN)', type: 'none' },
    'tcp.connection.sack': { label: 'Connection establish acknowledge (SYN+ACK)', type: 'none' },
    'tcp.connection.fin': { label: 'Connection finish (FIN)', type: 'none' },
    'tcp.connection.rst': { label: 'Connection reset (RST)', type: 'none' },
    'tcp.connection.fin_active': { label: 'This frame initiates the connection closing', type: 'none' },
    'tcp.connection.fin_passive': { label: 'This frame undergoes the connection closing', type: 'none' },
    'tcp.seq': { label: 'Sequence Number', type: 'u32', unit: '(relative sequence number)' },
    'tcp.seq_raw': { label: 'Sequence Number (raw)', type: 'u32' },
    'tcp.nxtseq': { label: 'Next Sequence Number', type: 'u32' },
    'tcp.ack': { label: 'Acknowledgment Number', type: 'u32', unit: '(relative ack number)' },
    'tcp.ack_raw': { label: 'Acknowledgment number (raw)', type: 'u32' },
    'tcp.hdr_len': { label: 'Header Length', type: 'u8', mask: 0xf0, scale: 4, format: (v) => `${v} bytes (${v / 4})` },
    'tcp.flags': { label: 'Flags', type: 'u16', base: 'hex', mask: 0x0fff },
    'tcp.flags.res': { label: 'Reserved', type: 'bool', mask: 0x0e00, tfs: SET },
    'tcp.flags.ns': { label: 'Accurate ECN', type: 'bool', mask: 0x0100, tfs: SET },
    'tcp.flags.cwr': { label: 'Congestion Window Reduced', type: 'bool', mask: 0x0080, tfs: SET },
    'tcp.flags.ece': { label: 'ECN-Echo', type: 'bool', mask: 0x0040, tfs: SET },
    'tcp.flags.urg': { label: 'Urgent', type: 'bool', mask: 0x0020, tfs: SET },
    'tcp.flags.ack': { label: 'Acknowledgment', type: 'bool', mask: 0x0010, tfs: SET },
    'tcp.flags.push': { label: 'Push', type: 'bool', mask: 0x0008, tfs: SET },
    'tcp.flags.reset': { label: 'Reset', type: 'bool', mask: 0x0004, tfs: SET },
    'tcp.flags.syn': { label: 'Syn', type: 'bool', mask: 0x0002, tfs: SET },
    'tcp.flags.fin': { label: 'Fin', type: 'bool', mask: 0x0001, tfs: SET },
    'tcp.flags.str': { label: 'TCP Flags', type: 'string' },
    'tcp.window_size_value': { label: 'Window', type: 'u16' },
    'tcp.checksum': { label: 'Checksum', type: 'u16', base: 'hex' },
    'tcp.checksum.status': { label: 'Checksum Status', type: 'u8', values: CHECKSUM_STATUS },
    'tcp.urgent_pointer': { label: 'Urgent Pointer', type: 'u16' },
    'tcp.options': { label: 'Options', type: 'bytes' },
    'tcp.option_kind': { label: 'Kind', type: 'u8', values: OPTION_KINDS },
    'tcp.option_len': { label: 'Length', type: 'u8' },
    'tcp.options.eol': { label: 'TCP Option - End of Option List (EOL)', type: 'bytes' },
    'tcp.options.nop': { label: 'TCP Option - No-Operation (NOP)', type: 'bytes' },
    'tcp.options.padding': { label: 'Padding', type: 'bytes' },
    'tcp.options.mss': { label: 'TCP Option - Maximum segment size', type: 'bytes' },
    'tcp.options.mss_val': { label: 'MSS Value', type: 'u16' },
    'tcp.options.wscale': { label: 'TCP Option - Window scale', type: 'bytes' },
    'tcp.options.wscale.shift': { label: 'Shift count', type: 'u8' },
    'tcp.options.wscale.multiplier': { label: 'Multiplier', type: 'u16' },
    'tcp.options.sack_perm': { label: 'TCP Option - SACK permitted', type: 'bytes' },
    'tcp.options.sack': { label: 'TCP Option - SACK', type: 'bytes' },
    'tcp.options.sack_le': { label: 'left edge', type: 'u32' },
    'tcp.options.sack_re': { label: 'right edge', type: 'u32' },
    'tcp.options.sack.count': { label: 'TCP SACK Count', type: 'u8' },
    'tcp.options.sack.dsack': { label: 'D-SACK Sequence', type: 'none' },
    'tcp.options.timestamp': { label: 'TCP Option - Timestamps', type: 'bytes' },
    'tcp.options.timestamp.tsval': { label: 'Timestamp value', type: 'u32' },
    'tcp.options.timestamp.tsecr': { label: 'Timestamp echo reply', type: 'u32' },
    'tcp.options.mptcp': { label: 'TCP Option - Multipath TCP', type: 'bytes' },
    'tcp.options.mptcp.subtype': { label: 'Multipath TCP subtype', type: 'u8', mask: 0xf0 },
    'tcp.options.tfo': { label: 'TCP Option - TCP Fast Open', type: 'bytes' },
    'tcp.options.tfo.cookie': { label: 'Fast Open Cookie', type: 'bytes' },
    'tcp.options.tfo.request': { label: 'Fast Open Cookie Request', type: 'bool' },
    'tcp.options.unknown': { label: 'TCP Option - Unknown', type: 'bytes' },
    'tcp.options.data': { label: 'Payload', type: 'bytes' },
    'tcp.payload': { label: 'TCP payload', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const sport = c.u16('tcp.srcport');
    const dport = c.u16('tcp.dstport');
    if (c.wantsHidden('tcp.port')) {
      c.add('tcp.port', sport, start, 2);
      c.add('tcp.port', dport, start + 2, 2);
    }
    const fragment = c.ctx['inError'] !== true && inFirstFragment(c);
    if (c.reportedRemaining() + 4 < 20 && !fragment) {
      // Shorter than a minimal header even as the packet reports it: Wireshark shows the ports only.
      c.expert('warning', `short segment: ${c.reportedRemaining() + 4} bytes cannot hold a TCP header`, undefined, start);
      return { summary: () => `${sport} → ${dport} [short segment]`, info: { srcport: sport, dstport: dport, short: true } };
    }
    // tshark reads the numbers, flags and window before it shows any of them.
    c.need(12, 'tcp.seq_raw');
    const seq = c.u32('tcp.seq_raw');
    if (c.peek8(4) >> 4 < 5) {
      // A bogus header length: tshark shows the segment length it implies and the header length,
      // not the acknowledgement number, and stops.
      c.skip(4);
      const bogus = c.bits('tcp.hdr_len', 1, 0xf0) * 4;
      const implied = c.reportedRemaining() + (c.pos - start) - bogus;
      if (implied >= 0) c.add('tcp.len', implied, start, 0);
      c.malformed(`bogus TCP header length ${bogus}, must be at least 20`, 'tcp.hdr_len', start + 12);
    }
    const ack = c.u32('tcp.ack_raw');
    const hlen = c.bits('tcp.hdr_len', 1, 0xf0) * 4;
    const reported = c.reportedRemaining() + (c.pos - start);
    const seglen = reported - hlen;
    // A segment shorter than its own header: reported like Wireshark (no length; the options
    // past the end then make the layer malformed). In a first fragment the length is not known.
    if (fragment) {
      // Not known: the reads past the fragment's end are "unreassembled".
    } else if (seglen < 0) c.expert('warning', `short segment: ${reported} bytes do not hold the ${hlen}-byte TCP header`, 'tcp.hdr_len', start + 12);
    else c.add('tcp.len', seglen, start, 0);
    c.open('tcp.flags');
    if (c.recordsAny(TCP_FLAG_KEYS)) for (let i = 0; i < TCP_FLAG_KEYS.length; i++) c.flag(TCP_FLAG_KEYS[i], 2, TCP_FLAG_MASKS[i]!);
    const flags = c.bits(undefined, 2, 0x0fff);
    if (c.wants('tcp.flags.str')) c.add('tcp.flags.str', flagString(flags), c.pos, 0);
    c.skip(2);
    c.close(flags, 2, c.mode === 'full' ? `Flags: 0x${flags.toString(16).padStart(3, '0')} ${tcpFlagsText(flags)}` : undefined);
    if ((flags & 0x07) !== 0 && c.ctx['inError'] !== true) connectionNotes(c, flags, sport, dport, start + 13);
    const win = c.u16('tcp.window_size_value');
    const checksumAt = c.pos;
    const checksum = c.u16('tcp.checksum');
    c.u16('tcp.urgent_pointer');
    const opts: OptionSummary = {};
    // Options matter for summaries, analysis (window scale) and option fields; otherwise skipped.
    if (hlen > 20 && !c.summaries && !c.analysis && !c.wantsAny('tcp.option')) {
      c.seek(Math.min(start + hlen, c.capEnd));
      if (start + hlen > c.capEnd) c.need(start + hlen - c.pos, 'tcp.options');
    } else if (hlen > 20) {
      c.open('tcp.options');
      try {
        readOptions(c, start + hlen, opts);
      } catch (e) {
        // tshark numbers the stream of a segment with broken options before giving up on it.
        if (c.ctx['inError'] !== true && (seglen >= 0 || fragment) && c.analysis) {
          const ip = ipBelow(c);
          const a = analyzeSegment(c, ip['src'] as string, (ip['srcHash'] as number | undefined) ?? 0, sport, ip['dst'] as string, (ip['dstHash'] as number | undefined) ?? 0, dport, seq, ack, flags, seglen, win, -1, undefined, true);
          c.add('tcp.stream', a.stream, start, 0);
        }
        throw e;
      }
      c.close(c.span(start + 20, start + hlen), hlen - 20, `Options: (${hlen - 20} bytes)`);
    }
    // D-SACK (RFC 2883): the first block reports data received twice, below the ACK or inside the second block.
    if (opts.sack !== undefined && opts.sack.length > 0) {
      const [le, re] = opts.sack[0]!;
      const second = opts.sack[1];
      if (((le - ack) | 0) < 0 || (second !== undefined && ((le - second[0]) | 0) >= 0 && ((re - second[1]) | 0) <= 0)) {
        c.expert('warning', 'D-SACK Sequence', 'tcp.options.sack.dsack', start + 20);
      }
    }
    if (c.mode === 'full') {
      const ok = verifyTransportChecksum(c, start, reported, 6);
      if (ok !== undefined) {
        c.add('tcp.checksum.status', ok ? 1 : 0, checksumAt, 0);
        if (!ok) c.expert('warning', `bad TCP checksum 0x${checksum.toString(16).padStart(4, '0')}`, 'tcp.checksum', checksumAt);
      }
    }
    const syn = (flags & 0x02) !== 0;
    const fin = (flags & 0x01) !== 0;
    let analysis = 0;
    let stream: number | undefined;
    // Relative numbers and the scaled window for the summary; raw until the connection is known.
    let relSeq = seq;
    let relAck: number | undefined = (flags & 0x10) !== 0 ? ack : undefined;
    let winShown = win;
    let prefix = '';
    let pduSkip = 0;
    let direction: unknown;
    if (fragment && c.analysis) {
      // tshark numbers the stream of a first fragment's segment but does not analyse it.
      const ip = ipBelow(c);
      stream = analyzeSegment(c, ip['src'] as string, (ip['srcHash'] as number | undefined) ?? 0, sport, ip['dst'] as string, (ip['dstHash'] as number | undefined) ?? 0, dport, seq, ack, flags, 0, win, -1, undefined, true).stream;
      c.add('tcp.stream', stream, start, 0);
    } else if (c.ctx['inError'] !== true && seglen >= 0 && c.analysis) {
      const ip = ipBelow(c);
      const a = analyzeSegment(c, ip['src'] as string, (ip['srcHash'] as number | undefined) ?? 0, sport, ip['dst'] as string, (ip['dstHash'] as number | undefined) ?? 0, dport, seq, ack, flags, seglen, win, opts.ws === undefined ? -1 : Math.log2(opts.ws), opts.sack);
      analysis = a.flags;
      stream = a.stream;
      relSeq = a.relSeq;
      relAck = a.hasAck ? a.relAck : undefined;
      winShown = a.window;
      c.add('tcp.stream', stream, start, 0);
      if (a.fin !== 0) {
        const active = a.fin === 1;
        c.add(active ? 'tcp.connection.fin_active' : 'tcp.connection.fin_passive', '', start + 13, 1, active ? 'This frame initiates the connection closing' : 'This frame undergoes the connection closing');
        c.expert('note', active ? 'This frame initiates the connection closing' : 'This frame undergoes the connection closing', active ? 'tcp.connection.fin_active' : 'tcp.connection.fin_passive', start + 13);
      }
      if (analysis !== 0 && (c.summaries || c.infoWanted)) prefix = analysisPrefix(analysis, a.dupackFrame, a.dupackNum);
      if (analysis !== 0 || a.acksFrame !== 0 || a.bytesInFlight >= 0) addAnalysis(c, a, start);
      // A segment inside a PDU an earlier one started (tshark's PDU tracking without reassembly).
      if (seglen > 0) {
        pduSkip = a.pduSkip;
        if (a.pduFrame !== 0) prefix = `[Continuation to #${a.pduFrame}] ${prefix}`;
      }
      direction = a.direction;
    }
    // Relative numbers as tshark shows them (raw ones where no analysis ran, as in ICMP quotes).
    if (c.wants('tcp.seq')) c.add('tcp.seq', relSeq, start + 4, 4);
    if (c.wants('tcp.ack')) c.add('tcp.ack', relAck ?? ack, start + 8, 4);
    if (c.wants('tcp.nxtseq') && seglen >= 0 && !fragment) c.add('tcp.nxtseq', (relSeq + seglen + (syn ? 1 : 0) + (fin ? 1 : 0)) >>> 0, start + 4, 0);
    if ((seglen > 0 || fragment) && c.wants('tcp.payload') && c.pos < c.capEnd) c.add('tcp.payload', c.data.subarray(c.pos, c.capEnd), c.pos, c.capEnd - c.pos);
    // Where the payload goes, as tshark decides: nowhere for a retransmission, an out-of-order
    // segment, a reset, a first fragment or a segment inside a tracked PDU (the bytes stay a TCP
    // field); to data for a keep-alive; otherwise to the conversation's dissector, then by port.
    let payloadAt = start + hlen;
    let hidePayload = false;
    let next: Next | undefined;
    if (seglen > 0 || fragment) {
      if (fragment || payloadNotDissected(analysis) || (flags & 0x04) !== 0 || pduSkip < 0) hidePayload = true;
      else if ((analysis & A_KEEP_ALIVE) !== 0) next = undefined;
      else {
        if (pduSkip > 0) payloadAt = Math.min(payloadAt + pduSkip, c.capEnd);
        const bound = conversationDissector(c, stream);
        next = bound !== undefined ? { protocol: bound } : { table: 'tcp.port', keys: sport <= dport ? [sport, dport] : [dport, sport] };
      }
    }
    // No closure is made when no summary will be read (a fields run).
    const summary = c.summaries
      ? (): string => {
          let s = `${prefix}${sport} → ${dport} ${tcpFlagsText(flags)} Seq=${relSeq}${relAck !== undefined ? ` Ack=${relAck}` : ''} Win=${winShown}${fragment ? '' : ` Len=${seglen}`}`;
          if (opts.mss !== undefined) s += ` MSS=${opts.mss}`;
          if (opts.sackPerm) s += ' SACK_PERM';
          if (opts.tsval !== undefined) s += ` TSval=${opts.tsval} TSecr=${opts.tsecr}`;
          if (opts.ws !== undefined) s += ` WS=${opts.ws}`;
          for (const [l, r] of opts.sack ?? []) s += ` SLE=${l} SRE=${r}`;
          return s;
        }
      : undefined;
    return {
      summary,
      info: c.infoWanted
        ? { srcport: sport, dstport: dport, seq, ack, flags, window: win, hdrLen: hlen, len: fragment ? undefined : seglen, stream, analysis, prefix, mss: opts.mss, ws: opts.ws, sackPerm: opts.sackPerm, tsval: opts.tsval, tsecr: opts.tsecr, sack: opts.sack, hidePayload, direction, relSeq, relNextSeq: (relSeq + Math.max(seglen, 0)) >>> 0 }
        : undefined,
      payloadOffset: payloadAt,
      next,
    };
  },
});
