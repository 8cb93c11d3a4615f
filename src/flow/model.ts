/**
 * The sequence diagram model of `pcapviz flow`: lifelines (hosts or host:port endpoints, in order
 * of first appearance), one arrow per packet labelled with the `list` Info column, expert marks,
 * and notes with the TCP connection states at the start and end of each connection. Plain data
 * built in one pass over dissected packets; the renderers (`ascii.ts`, `mermaid.ts`, `svg.ts`,
 * `pdf.ts`) only read it.
 */
import { connState, TcpConnectionBuilder, type ConnState, type TcpConnection } from '../analyze/tcp-connections.js';
import type { TimeReference } from '../capture/frame.js';
import { A_FAST_RETRANSMISSION, A_LOST_PACKET, A_RETRANSMISSION, A_SPURIOUS_RETRANSMISSION } from '../dissect/protocols/tcp-sequence.js';
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';
import { PacketLister } from '../render/list/packet-list.js';
import { countText } from '../render/stats/units.js';
import type { FlowAcks, FlowBy } from './constants.js';
import { formatIpv6 } from '../dissect/cursor.js';
import { ipv6FromText } from '../util/address-text.js';

/** Red: something went wrong (retransmission, lost segment, reset, error); orange: worth a look. */
export type ExpertLevel = 'error' | 'warning';

export interface FlowExpert {
  readonly level: ExpertLevel;
  /** The expert messages of the packet, each once, in the order of its layers. */
  readonly messages: readonly string[];
}

export interface FlowLifeline {
  /** The address (`--by host`) or address and port (`--by endpoint`, `[v6]:port`). */
  readonly key: string;
  /** The address alone. */
  readonly host: string;
  /** A name learned from the capture for the address (DNS, SNI, DHCP...), when known. */
  readonly name: string | undefined;
}

export interface FlowArrow {
  readonly kind: 'arrow';
  /** Frame number, as `list` and Wireshark number it. */
  readonly frame: number;
  /** `list`'s default time column: seconds since the first packet (empty without a timestamp). */
  readonly time: string;
  /** Lifeline indices; equal for a packet a host sends to itself. */
  readonly from: number;
  readonly to: number;
  readonly protocol: string;
  /** Frame length on the wire. */
  readonly length: number;
  /** Exactly `list`'s Info column for the frame. */
  readonly label: string;
  /** A TCP segment with no payload and only the ACK flag. */
  readonly ackOnly: boolean;
  /** Drawn dashed (an ACK-only packet with `--acks dashed`). */
  readonly dashed: boolean;
  readonly expert: FlowExpert | undefined;
  /** `tcp.stream` of the packet, when it is TCP. */
  readonly stream: number | undefined;
}

export interface FlowNote {
  readonly kind: 'note';
  /** Lifelines the note spans (the connection's originator and responder). */
  readonly from: number;
  readonly to: number;
  readonly text: string;
  /**
   * Where in the connection's life the note stands; `cut`: the one note (at the bottom) on the
   * connections that go on past `--max-arrows`, when there are several.
   */
  readonly role: 'start' | 'end' | 'cut';
  /** The connection's `tcp.stream` (the first of them for a `cut` note). */
  readonly stream: number;
}

export type FlowEvent = FlowArrow | FlowNote;

export interface FlowModel {
  /** The capture's name (file name, or `-`). */
  readonly capture: string;
  readonly by: FlowBy;
  readonly acks: FlowAcks;
  /** What was selected, in words (`tcp.stream 0`, `packets 1-10`); empty for every packet. */
  readonly selection: readonly string[];
  readonly lifelines: readonly FlowLifeline[];
  /** Arrows and notes, top to bottom. */
  readonly events: readonly FlowEvent[];
  /** Arrows drawn. */
  readonly arrows: number;
  /** Packets selected that would be arrows (ACK-only packets hidden with `--acks hide` not counted). */
  readonly packets: number;
  /** ACK-only packets left out (`--acks hide`). */
  readonly hiddenAcks: number;
  /** The limit on arrows (0: none). */
  readonly maxArrows: number;
}

/** One side of `--conv`: an address, with or without a port. */
export interface ConvEnd {
  readonly host: string;
  readonly port: number | undefined;
}

export type ConvSpec = readonly [ConvEnd, ConvEnd];

export interface FlowBuildOptions {
  readonly by: FlowBy;
  readonly acks: FlowAcks;
  /** Most arrows drawn; 0 for no limit. */
  readonly maxArrows: number;
  /** Only this `tcp.stream`. */
  readonly stream?: number | undefined;
  /** Only packets between these two ends, either way. */
  readonly conv?: ConvSpec | undefined;
  /** Only these frame numbers (`--packets`). */
  readonly include?: ((frame: number) => boolean) | undefined;
  /** Notes with TCP connection states (default true). */
  readonly states?: boolean | undefined;
}

/** Whether the selection of a model was cut by `--max-arrows`. */
export const flowIsCut = (m: FlowModel): boolean => m.arrows < m.packets;

/** The sentence every output carries when arrows were left out: `showing 300 of 4,512 packets`. */
export function flowCutText(m: FlowModel): string | undefined {
  if (!flowIsCut(m)) return undefined;
  return `showing ${countText(m.arrows)} of ${countText(m.packets)} packets (--max-arrows ${countText(m.maxArrows)})`;
}

/** What the diagram shows, in one line: file, selection, counts. */
export function flowSummaryText(m: FlowModel): string {
  const parts = [m.capture];
  if (m.selection.length > 0) parts.push(m.selection.join(', '));
  const cut = flowCutText(m);
  parts.push(cut ?? `${countText(m.arrows)} packet${m.arrows === 1 ? '' : 's'}`);
  if (m.hiddenAcks > 0) parts.push(`${countText(m.hiddenAcks)} ACK-only packet${m.hiddenAcks === 1 ? '' : 's'} hidden`);
  return parts.join(' · ');
}

/** A lifeline's key for an address and maybe a port: `10.0.0.1:80`, `[2001:db8::1]:443`. */
export function endpointKey(host: string, port: number | undefined): string {
  if (port === undefined) return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** An IPv6 address in the form the dissector prints (lower case, longest zero run compressed). */
function canonicalIpv6(text: string): string | undefined {
  const b = ipv6FromText(text);
  return b === undefined ? undefined : formatIpv6(b, 0);
}

function parseConvEnd(text: string): ConvEnd {
  const t = text.trim();
  const bad = (): Error => new Error(`--conv: cannot read "${t}": give an address or address:port (IPv6 with a port as [2001:db8::1]:443)`);
  const port = (p: string): number => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n > 65535) throw bad();
    return n;
  };
  if (t === '') throw bad();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) {
    const host = canonicalIpv6(bracket[1]!);
    if (host === undefined) throw bad();
    return { host, port: bracket[2] === undefined ? undefined : port(bracket[2]) };
  }
  if (MAC.test(t)) return { host: t.toLowerCase(), port: undefined };
  const colons = t.split(':').length - 1;
  if (colons === 1) {
    const [h, p] = t.split(':') as [string, string];
    if (h === '') throw bad();
    return { host: h.toLowerCase(), port: port(p) };
  }
  if (colons > 1) {
    const host = canonicalIpv6(t);
    if (host === undefined) throw bad();
    return { host, port: undefined };
  }
  return { host: t.toLowerCase(), port: undefined };
}

/** Parses `--conv A,B`; throws with a message. */
export function parseConv(text: string): ConvSpec {
  const parts = text.split(',');
  if (parts.length !== 2) throw new Error(`--conv takes two ends separated by a comma, such as 10.0.0.1,10.0.0.2:80 (got "${text}")`);
  return [parseConvEnd(parts[0]!), parseConvEnd(parts[1]!)];
}

const endMatches = (e: ConvEnd, host: string, port: number | undefined): boolean => e.host === host.toLowerCase() && (e.port === undefined || e.port === port);

/** Whether a packet from `src` to `dst` is between the two ends of `conv`, either way. */
export function convMatches(conv: ConvSpec, src: string, sport: number | undefined, dst: string, dport: number | undefined): boolean {
  const [a, b] = conv;
  return (endMatches(a, src, sport) && endMatches(b, dst, dport)) || (endMatches(a, dst, dport) && endMatches(b, src, sport));
}

/** Index of the innermost layer naming a source address, outside any ICMP quote (-1: none). */
function addressLayer(layers: readonly LayerNode[]): number {
  let end = 0;
  while (end < layers.length && !layers[end]!.inError) end++;
  for (let i = end - 1; i >= 0; i--) {
    const src = layers[i]!.info['src'];
    if (typeof src === 'string' && src !== '') return i;
  }
  return -1;
}

const TRANSPORTS = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

/** Ports of the first transport layer above the address layer, when there is one. */
function portsAbove(layers: readonly LayerNode[], at: number): [number | undefined, number | undefined] {
  for (let i = at + 1; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.inError) break;
    if (!TRANSPORTS.has(l.protocol)) continue;
    const s = l.info['srcport'];
    const d = l.info['dstport'];
    return [typeof s === 'number' ? s : undefined, typeof d === 'number' ? d : undefined];
  }
  return [undefined, undefined];
}

/** The packet's own TCP layer (not one quoted in an ICMP error). */
function tcpLayer(layers: readonly LayerNode[]): LayerNode | undefined {
  for (const l of layers) {
    if (l.inError) return undefined;
    if (l.protocol === 'tcp') return l;
  }
  return undefined;
}

/** A TCP segment without payload whose only flag (of URG, ACK, PSH, RST, SYN, FIN) is ACK. */
export function isAckOnly(tcp: LayerNode | undefined): boolean {
  if (tcp === undefined) return false;
  const flags = tcp.info['flags'];
  const len = tcp.info['len'];
  return typeof flags === 'number' && (flags & 0x3f) === 0x10 && len === 0;
}

const RED_ANALYSIS = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION | A_LOST_PACKET;
/** Expert notes that are about a problem, shown red (the rest of what is marked is orange). */
const RED_KEYS = new Set(['tcp.connection.rst', 'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'tcp.analysis.lost_segment']);

/**
 * The expert mark of a packet, from its layers' issues: errors and warnings always (malformed
 * packets, resets, zero windows, out-of-order segments, bad checksums), and TCP analysis notes
 * (retransmissions, duplicate ACKs, keep-alives); not chat (SYN, FIN), other notes, or a cut by
 * the snaplen.
 */
export function expertOf(layers: readonly LayerNode[]): FlowExpert | undefined {
  let level: ExpertLevel | undefined;
  let messages: string[] | undefined;
  for (const l of layers) {
    if (l.inError) break;
    if (l.protocol === 'tcp' && typeof l.info['analysis'] === 'number' && (l.info['analysis'] & RED_ANALYSIS) !== 0) level = 'error';
    for (const i of l.issues) {
      if (i.kind === 'truncated') continue;
      const bad = i.kind === 'malformed' || i.kind === 'dissector-bug' || i.severity === 'error';
      const shown = bad || i.severity === 'warning' || (i.severity === 'note' && i.fieldKey !== undefined && i.fieldKey.startsWith('tcp.analysis.'));
      if (!shown) continue;
      if (bad || (i.fieldKey !== undefined && RED_KEYS.has(i.fieldKey))) level = 'error';
      else level ??= 'warning';
      messages ??= [];
      if (!messages.includes(i.message)) messages.push(i.message);
    }
  }
  return level === undefined ? undefined : { level, messages: messages ?? [] };
}

/** Zeek's `conn_state` in words. */
const CONN_STATE_TEXT: Readonly<Record<ConnState, string>> = {
  S0: 'SYN without reply',
  S1: 'established, not closed',
  SF: 'established and closed normally',
  REJ: 'rejected',
  S2: 'established, closed by the originator only',
  S3: 'established, closed by the responder only',
  RSTO: 'reset by the originator',
  RSTR: 'reset by the responder',
  RSTOS0: 'SYN, then reset by the originator',
  RSTRH: 'SYN-ACK, then reset by the responder',
  SH: 'SYN, then FIN by the originator',
  SHR: 'SYN-ACK, then FIN by the responder',
  OTH: 'no SYN seen, midstream',
};

function millis(ns: number): string {
  const ms = ns / 1e6;
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3)} ms`;
}

/** How a connection began, as the TCP state machine names it. */
export function connectionStartText(c: TcpConnection): string {
  const { o, r } = c;
  if (o.syn && r.synack) {
    return c.handshakeRttNs >= 0 ? `SYN_SENT → ESTABLISHED (handshake ${millis(c.handshakeRttNs)})` : 'SYN_SENT → SYN_RECEIVED (handshake not completed)';
  }
  if (o.syn) return 'SYN_SENT (no SYN-ACK seen)';
  if (r.synack) return 'SYN_RECEIVED (the SYN was not captured)';
  return 'ESTABLISHED? (no handshake captured: midstream)';
}

/** How a connection ended: Zeek's `conn_state`, its meaning and the `history` letters. */
export function connectionEndText(c: TcpConnection): string {
  const state = connState(c);
  return `${state}, ${CONN_STATE_TEXT[state]} (history ${c.history})`;
}

interface StreamMarks {
  /** Arrows drawn before the stream's first selected packet. */
  startAt: number;
  /** Arrows drawn up to and including its last selected packet. */
  endAt: number;
  /** Its last selected packet came after the cut. */
  pastCut: boolean;
  /** Lifelines of its first drawn arrow (-1: none drawn). */
  from: number;
  to: number;
  /** Its first selected packet was not the connection's first. */
  begunEarlier: boolean;
  /** The connection's latest packet so far was selected (drawn, hidden or past the cut). */
  lastSelected: boolean;
}

/** Builds a flow model from dissected packets (`add` each packet of one capture in order, then `finish`). */
export class FlowBuilder {
  private readonly o: FlowBuildOptions;
  private readonly lister = new PacketLister('r');
  private readonly lifelines: { key: string; host: string }[] = [];
  private readonly lifelineIndex = new Map<string, number>();
  private readonly arrows: FlowArrow[] = [];
  private readonly connections: TcpConnectionBuilder | undefined;
  private readonly streams = new Map<number, StreamMarks>();
  /** Packets of each connection so far, selected or not. */
  private readonly streamPackets = new Map<number, number>();
  private packets = 0;
  private hiddenAcks = 0;
  private firstSec = 0;
  private firstNsec = 0;
  private prevSec = 0;
  private prevNsec = 0;
  private timed = false;

  constructor(options: FlowBuildOptions) {
    this.o = options;
    this.connections = options.states === false ? undefined : new TcpConnectionBuilder();
  }

  private get limit(): number {
    return this.o.maxArrows > 0 ? this.o.maxArrows : Infinity;
  }

  add(p: DissectedPacket): void {
    const f = p.frame;
    // The time reference of list's default column: the first frame with a timestamp.
    const hasPrevious = this.timed;
    const prevSec = this.prevSec;
    const prevNsec = this.prevNsec;
    if (f.hasTimestamp) {
      if (!this.timed) {
        this.timed = true;
        this.firstSec = f.tsSec;
        this.firstNsec = f.tsNsec;
      }
      this.prevSec = f.tsSec;
      this.prevNsec = f.tsNsec;
    }
    const t: TimeReference = { firstSec: this.firstSec, firstNsec: this.firstNsec, prevSec, prevNsec, hasPrevious };
    const layers = p.layers;
    const tcp = tcpLayer(layers);
    const stream = typeof tcp?.info['stream'] === 'number' ? tcp.info['stream'] : undefined;
    // Connection states come from every packet of a connection, drawn or not.
    if (this.connections !== undefined && stream !== undefined) {
      this.connections.add(p);
      this.streamPackets.set(stream, (this.streamPackets.get(stream) ?? 0) + 1);
      const seen = this.streams.get(stream);
      if (seen !== undefined) seen.lastSelected = false;
    }
    if (this.o.include !== undefined && !this.o.include(f.index)) return;
    if (this.o.stream !== undefined && stream !== this.o.stream) return;

    let row: ReturnType<PacketLister['row']> | undefined;
    let ports: [number | undefined, number | undefined] = [undefined, undefined];
    const ends = (): void => {
      row = this.lister.row(p, t);
      const at = addressLayer(layers);
      if (at >= 0) ports = portsAbove(layers, at);
    };
    if (this.o.conv !== undefined) {
      ends();
      if (!convMatches(this.o.conv, row!.source, ports[0], row!.destination, ports[1])) return;
    }

    const ackOnly = isAckOnly(tcp);
    const marks = stream === undefined || this.connections === undefined ? undefined : this.mark(stream);
    if (ackOnly && this.o.acks === 'hide') {
      this.hiddenAcks++;
      if (marks !== undefined) this.markEnd(marks);
      return;
    }
    this.packets++;
    if (this.arrows.length >= this.limit) {
      if (marks !== undefined) this.markEnd(marks);
      return;
    }
    if (row === undefined) ends();
    const r = row!;
    const byEndpoint = this.o.by === 'endpoint';
    const from = this.lifeline(r.source, byEndpoint ? ports[0] : undefined);
    const to = r.destination === '' && r.source === '' ? from : this.lifeline(r.destination, byEndpoint ? ports[1] : undefined);
    this.arrows.push({
      kind: 'arrow',
      frame: r.number,
      time: r.time,
      from,
      to,
      protocol: r.protocol,
      length: r.length,
      label: r.info,
      ackOnly,
      dashed: ackOnly && this.o.acks === 'dashed',
      expert: expertOf(layers),
      stream,
    });
    if (marks !== undefined) {
      if (marks.from < 0) {
        marks.from = from;
        marks.to = to;
      }
      this.markEnd(marks);
    }
  }

  private mark(stream: number): StreamMarks {
    let m = this.streams.get(stream);
    if (m === undefined) {
      m = { startAt: this.arrows.length, endAt: this.arrows.length, pastCut: false, from: -1, to: -1, begunEarlier: (this.streamPackets.get(stream) ?? 0) > 1, lastSelected: false };
      this.streams.set(stream, m);
    }
    return m;
  }

  private markEnd(m: StreamMarks): void {
    m.lastSelected = true;
    m.endAt = this.arrows.length;
    m.pastCut = this.packets > this.arrows.length;
  }

  private lifeline(host: string, port: number | undefined): number {
    const h = host === '' ? '(no address)' : host;
    const key = endpointKey(h, port);
    let i = this.lifelineIndex.get(key);
    if (i === undefined) {
      i = this.lifelines.length;
      this.lifelines.push({ key, host: h });
      this.lifelineIndex.set(key, i);
    }
    return i;
  }

  /** The model; `nameOf` gives names learned from the capture for lifeline addresses. */
  finish(capture: string, selection: readonly string[] = [], nameOf?: (address: string) => string | undefined): FlowModel {
    const lifelines: FlowLifeline[] = this.lifelines.map((l) => ({ key: l.key, host: l.host, name: nameOf?.(l.host) }));
    const notes = this.notes();
    const events: FlowEvent[] = [];
    let n = 0;
    for (let at = 0; at <= this.arrows.length; at++) {
      while (n < notes.length && notes[n]!.at === at) events.push(notes[n++]!.note);
      if (at < this.arrows.length) events.push(this.arrows[at]!);
    }
    return {
      capture,
      by: this.o.by,
      acks: this.o.acks,
      selection,
      lifelines,
      events,
      arrows: this.arrows.length,
      packets: this.packets,
      hiddenAcks: this.hiddenAcks,
      maxArrows: this.o.maxArrows,
    };
  }

  /** Notes with connection states, each with the number of arrows drawn before it; in order. */
  private notes(): { at: number; note: FlowNote }[] {
    if (this.connections === undefined) return [];
    const byStream = new Map<number, TcpConnection>();
    for (const c of this.connections.finish().rows) byStream.set(c.stream, c);
    const out: { at: number; note: FlowNote; order: number }[] = [];
    const pastCut: { stream: number; from: number; to: number; state: ConnState; text: string }[] = [];
    for (const [stream, m] of this.streams) {
      const c = byStream.get(stream);
      if (c === undefined || m.from < 0) continue;
      // The note runs from the originator's lifeline to the responder's, when both are drawn.
      let from = m.from;
      let to = m.to;
      const orig = this.findLifeline(c.orig, c.origPort);
      const resp = this.findLifeline(c.resp, c.respPort);
      if (orig !== undefined && resp !== undefined) {
        from = orig;
        to = resp;
      }
      const who = this.o.by === 'host' ? ` (${c.origPort} → ${c.respPort})` : '';
      const begun = m.begunEarlier ? ', begun earlier' : '';
      out.push({ at: m.startAt, order: 1, note: { kind: 'note', from, to, role: 'start', stream, text: `tcp.stream ${stream}${who}${begun}: ${connectionStartText(c)}` } });
      const end = connectionEndText(c);
      // Its last packet drawn (or hidden) is the connection's last: the end; else it goes on.
      const goesOn = m.pastCut ? 'past the cut' : !m.lastSelected ? 'beyond the selection' : undefined;
      const endText = goesOn !== undefined ? `tcp.stream ${stream} continues ${goesOn}; ends ${end}` : `tcp.stream ${stream} end: ${end}`;
      if (m.pastCut) pastCut.push({ stream, from, to, state: connState(c), text: endText });
      else out.push({ at: m.endAt, order: 0, note: { kind: 'note', from, to, role: 'end', stream, text: endText } });
    }
    // Connections going on past the cut: their own notes when one, else one note for all.
    if (pastCut.length === 1) {
      const p = pastCut[0]!;
      out.push({ at: this.arrows.length, order: 0, note: { kind: 'note', from: p.from, to: p.to, role: 'end', stream: p.stream, text: p.text } });
    } else if (pastCut.length > 1) {
      pastCut.sort((a, b) => a.stream - b.stream);
      const from = Math.min(...pastCut.map((p) => Math.min(p.from, p.to)));
      const to = Math.max(...pastCut.map((p) => Math.max(p.from, p.to)));
      const byState = new Map<ConnState, number[]>();
      for (const p of pastCut) byState.set(p.state, [...(byState.get(p.state) ?? []), p.stream]);
      const states = [...byState].map(([state, streams]) => `${state} (tcp.stream ${streams.join(', ')})`).join(', ');
      const text = `${pastCut.length} connections continue past the cut; final states: ${states}`;
      out.push({ at: this.arrows.length, order: 0, note: { kind: 'note', from, to, role: 'cut', stream: pastCut[0]!.stream, text } });
    }
    // At one position: ends of earlier connections first, then starts; each by stream number.
    out.sort((a, b) => a.at - b.at || a.order - b.order || a.note.stream - b.note.stream);
    return out;
  }

  private findLifeline(host: string, port: number): number | undefined {
    return this.lifelineIndex.get(endpointKey(host === '' ? '(no address)' : host, this.o.by === 'endpoint' ? port : undefined));
  }
}
