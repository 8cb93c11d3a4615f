/**
 * Conversation and endpoint taps read straight from a plain frame's headers (`HeaderPackets`
 * says which frames are plain): the Ethernet, IPv4 or IPv6, TCP and UDP taps that `forEachTap`
 * finds in the dissected packet, without dissecting it (the io table reads only the frame; the
 * graph takes TCP segments without payload only, `HeaderTaps.payloadless`). TCP segments still
 * go through the same sequence analysis the TCP dissector runs (`Dissector.tcpSegment`, same
 * connection table), so `tcp.stream` is the same, and frames read here and frames dissected may
 * follow each other in any order.
 *
 * UDP conversation rows are numbered by `UdpStreams`, which needs two things of the dissector: the
 * protocol a datagram carries, when it is one that opens a conversation of its own (SNMP, TFTP to
 * port 69), and the media endpoints SDP announces. So, when those rows are wanted, a datagram is
 * read here only if neither its ports nor the table's heuristics can lead to such a protocol
 * (`Openers`) and its payload has no mark of SIP or SDP (`mayAnnounceMedia`), and a TCP segment
 * only if its payload has no such mark: SIP over TCP is read segment by segment, without
 * reassembly, so a segment without one announces nothing. Endpoint rows need only the headers.
 *
 * With a name book, a frame is read here only when dissecting it could teach the book nothing
 * more than what is read here:
 * - a UDP datagram whose ports lead to no protocol the book reads, a DNS, mDNS or LLMNR query
 *   (only responses name hosts), or a response that repeats, but for its id, one already
 *   read (`SeenResponses`);
 * - a DNS, mDNS or LLMNR response read whole here, without a fault, by `readDnsAnswers` or the
 *   DNS dissector's own code (`HeaderTaps.dnsResponse`): the book learns from what they give
 *   what it would learn from the dissected layer's `info`;
 * - a TCP segment without payload, or one whose ports lead to no protocol the book reads (DNS
 *   over TCP), that is not a SYN, and whose TLS or HTTP layers the book would not read: its
 *   destination already has a name (they only name the destination, and never replace a name),
 *   or its side of the connection has sent a SYN-ACK or a server's message (`NameBook.quietSide`).
 * Every frame that could name something is dissected, in capture order, so the book ends the
 * same. Once both sides of a connection are like that, nothing of it can name anything again
 * (both conditions only ever become true), and its segments keep only what numbering streams
 * needs (`analyzeSegment`'s `baseOnly`); without names that is all any segment keeps, except in
 * the graph's mode, where the dissected segments of a connection read its whole analysis.
 */
import { DNS_LIKE_PROTOCOLS, type NameBook, PORT_NAME_PROTOCOLS } from '../analyze/names.js';
import type { TrafficTap, TrafficType } from '../analyze/traffic-taps.js';
import type { Frame } from '../capture/frame.js';
import { addressHash, Cursor, ipv4TextAt, ipv6TextAt, macText, u16At as u16 } from '../dissect/cursor.js';
import type { Dissector } from '../dissect/dissect-packet.js';
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';
import { type DnsAnswers, type DnsFlavour, dissectDnsMessage, readDnsAnswers } from '../dissect/protocols/dns.js';
import { scanOptions } from '../dissect/protocols/tcp.js';
import { type SegmentHeader, settledSegment, settleSides, sideSettled } from '../dissect/protocols/tcp-sequence.js';
import { type Registry, tableEntry } from '../dissect/registry.js';
import { CONVERSATION_OPENERS, opensConversation } from '../analyze/udp-streams.js';
import { mayAnnounceMedia } from '../dissect/protocols/media-sessions.js';
import { HeaderPackets } from './header-packet.js';

/** What reads taps: `frame` once per frame, then `tap` for each of its taps (the tap object is reused). */
export interface TapSink {
  frame(f: Frame): void;
  tap(t: TrafficTap): void;
}

/** What a port table leads a port to, looked up when a frame first uses the port (0: not yet). */
const PortKind = {
  /** No entry: the table's heuristics decide. */
  None: 1,
  /** A protocol the name book does not read. */
  Silent: 2,
  /** DNS, mDNS or LLMNR: their queries name nothing. */
  DnsLike: 3,
  /** Any other protocol the name book reads. */
  Naming: 4,
} as const;
type PortKind = (typeof PortKind)[keyof typeof PortKind];

/** Per port table: the kind of each port (0: not looked up yet) and what its heuristics may find. */
class PortTable {
  private readonly registry: Registry;
  private readonly table: string;
  private readonly kinds = new Uint8Array(65536);
  /** The protocol of each port's entry (null: none; undefined: not looked up yet). */
  private readonly ids = new Array<string | null | undefined>(65536).fill(undefined);
  /** What a payload on two ports without entries may turn out to be, by the table's heuristics. */
  private readonly heuristic: PortKind;

  constructor(registry: Registry, table: string) {
    this.registry = registry;
    this.table = table;
    const found = [...registry.protocols.values()].filter((p) => PORT_NAME_PROTOCOLS.has(p.id) && (p.heuristics ?? []).some((h) => h.table === table));
    this.heuristic = found.length === 0 ? PortKind.Silent : found.every((p) => DNS_LIKE_PROTOCOLS.has(p.id)) ? PortKind.DnsLike : PortKind.Naming;
  }

  /**
   * What a payload between ports `a` and `b` may be for the name book: the table's entries for
   * either port come first (either may be the one used), its heuristics when neither has one.
   */
  kind(a: number, b: number): PortKind {
    const ka = this.entry(a);
    const kb = this.entry(b);
    if (ka === PortKind.None && kb === PortKind.None) return this.heuristic;
    return Math.max(ka, kb) as PortKind;
  }

  /** The protocol the table's entry for `port` leads to (undefined: no entry), looked up once per port. */
  id(port: number): string | undefined {
    let id = this.ids[port];
    if (id === undefined) this.ids[port] = id = tableEntry(this.registry, this.table, port)?.id ?? null;
    return id ?? undefined;
  }

  private entry(port: number): PortKind {
    let k = this.kinds[port]! as PortKind | 0;
    if (k === 0) {
      const id = this.id(port);
      k = id === undefined ? PortKind.None : !PORT_NAME_PROTOCOLS.has(id) ? PortKind.Silent : DNS_LIKE_PROTOCOLS.has(id) ? PortKind.DnsLike : PortKind.Naming;
      this.kinds[port] = k;
    }
    return k;
  }
}

/**
 * Whether a datagram between two ports may be dissected as a protocol that opens a UDP
 * conversation of its own (`UdpStreams`): the port table's entry for either port, or a heuristic
 * of the table, may lead to it, and it opens one for the destination port.
 */
class Openers {
  private readonly ports: PortTable;
  /** Per opener: whether some heuristic of `udp.port` may find it on any ports. */
  private readonly heuristic: readonly boolean[];

  constructor(registry: Registry, ports: PortTable) {
    this.ports = ports;
    this.heuristic = CONVERSATION_OPENERS.map((id) => (registry.protocols.get(id)?.heuristics ?? []).some((h) => h.table === 'udp.port'));
  }

  may(sport: number, dport: number): boolean {
    const a = this.ports.id(sport);
    const b = this.ports.id(dport);
    for (let i = 0; i < CONVERSATION_OPENERS.length; i++) {
      const id = CONVERSATION_OPENERS[i]!;
      if ((this.heuristic[i] === true || a === id || b === id) && opensConversation(id, dport)) return true;
    }
    return false;
  }
}

/** The protocols whose messages `HeaderTaps.dnsResponse` reads, each as the DNS dissector's flavour. */
const DNS_FLAVOURS: ReadonlyMap<string, DnsFlavour> = new Map<string, DnsFlavour>([
  ['dns', 'dns'],
  ['mdns', 'mdns'],
  ['llmnr', 'llmnr'],
]);
const NO_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_LAYERS: readonly LayerNode[] = Object.freeze([]);

const u32 = (d: Uint8Array, p: number): number => ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;

/** Most DNS-like responses remembered by their bytes (about 200 bytes each). */
const MAX_SEEN_RESPONSES = 8192;

/**
 * DNS, mDNS and LLMNR responses over UDP that were dissected and given to the name book, by their
 * bytes after the transaction id. A later datagram with the same bytes is read the same way if
 * it is read as any of the three (their records are the same), and everything such a response
 * names then already has a DNS name, which nothing replaces; read as anything else, it names
 * nothing. So while the book has room (then it had room before too, and nothing was left out),
 * it can teach the book nothing. Lookups are repeated a lot, so in a busy capture most responses
 * repeat an earlier one but for their id.
 */
class SeenResponses {
  private readonly byHash = new Map<number, Uint8Array[]>();
  private count = 0;

  /** Whether the message at `[from, end)` (from its flags on) repeats a remembered response. */
  has(d: Uint8Array, from: number, end: number): boolean {
    return this.among(this.byHash.get(messageHash(d, from, end)), d, from, end);
  }

  /** Remembers the message at `[from, end)` (from its flags on), up to `MAX_SEEN_RESPONSES`. */
  add(d: Uint8Array, from: number, end: number): void {
    if (this.count >= MAX_SEEN_RESPONSES) return;
    const h = messageHash(d, from, end);
    const seen = this.byHash.get(h);
    if (this.among(seen, d, from, end)) return;
    const copy = d.slice(from, end);
    if (seen === undefined) this.byHash.set(h, [copy]);
    else seen.push(copy);
    this.count++;
  }

  private among(seen: readonly Uint8Array[] | undefined, d: Uint8Array, from: number, end: number): boolean {
    if (seen === undefined) return false;
    for (let i = 0; i < seen.length; i++) if (sameBytes(seen[i]!, d, from, end)) return true;
    return false;
  }
}

function messageHash(d: Uint8Array, from: number, end: number): number {
  let h = 0x811c9dc5;
  for (let p = from; p < end; p++) h = Math.imul(h ^ d[p]!, 0x01000193);
  return h;
}

function sameBytes(s: Uint8Array, d: Uint8Array, from: number, end: number): boolean {
  if (s.length !== end - from) return false;
  for (let i = 0; i < s.length; i++) if (s[i] !== d[from + i]) return false;
  return true;
}

export class HeaderTaps {
  private readonly headers: HeaderPackets;
  private readonly registry: Registry;
  private readonly book: NameBook | undefined;
  private readonly tcpPorts: PortTable;
  private readonly udpPorts: PortTable;
  private readonly responses = new SeenResponses();
  private readonly eth: boolean;
  private readonly ip: boolean;
  private readonly ipv6: boolean;
  private readonly tcp: boolean;
  private readonly udp: boolean;
  /** UDP conversation rows are wanted: see the module's comment. */
  private readonly openers: Openers | undefined;
  /** Only TCP segments without payload are read here (`HeaderTaps.payloadless`). */
  private readonly payloadless: boolean;
  /** The TCP header of the current frame, as analysis reads it. */
  private readonly segment: SegmentHeader = {
    src: '',
    srcHash: 0,
    sport: 0,
    dst: '',
    dstHash: 0,
    dport: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    seglen: 0,
    window: 0,
    wsShift: -1,
    sack: undefined,
  };
  /** Reads DNS-like responses for the name book (`dnsResponse`), recording no fields; made when first needed. */
  private dnsCursor: Cursor | undefined;
  /** The two sides of a segment's connection, as `Dissector.tcpSides` gives them. */
  private readonly sides: [object, object] = [{}, {}];
  private readonly t: { -readonly [K in keyof TrafficTap]: TrafficTap[K] } = {
    type: 'eth',
    src: '',
    dst: '',
    srcPort: undefined,
    dstPort: undefined,
    stream: undefined,
    carries: undefined,
  };

  /**
   * Taps of the `types` tables for plain frames, with `registry`'s dispatch; undefined when
   * header packets are off (`HeaderPackets.create`). `udpStreams`: UDP conversation rows are
   * wanted (not only endpoints). With `book`, frames that might name something are left to the
   * dissector.
   */
  static create(registry: Registry, types: readonly TrafficType[], book: NameBook | undefined, udpStreams: boolean): HeaderTaps | undefined {
    const headers = HeaderPackets.create(registry, [], []);
    return headers === undefined ? undefined : new HeaderTaps(headers, registry, types, book, udpStreams && types.includes('udp'), false);
  }

  /**
   * Taps of TCP segments that carry no payload only (every other frame is left to the
   * dissector), for a reader that also tallies what each packet carries: such a segment carries
   * nothing but TCP. Each one goes through the full TCP analysis the dissector would run, so the
   * dissected segments of its connection read the same. Undefined when header packets are off.
   */
  static payloadless(registry: Registry, types: readonly TrafficType[]): HeaderTaps | undefined {
    const headers = HeaderPackets.create(registry, [], []);
    return headers === undefined ? undefined : new HeaderTaps(headers, registry, types, undefined, false, true);
  }

  private constructor(headers: HeaderPackets, registry: Registry, types: readonly TrafficType[], book: NameBook | undefined, udpStreams: boolean, payloadless: boolean) {
    this.headers = headers;
    this.registry = registry;
    this.book = book;
    this.tcpPorts = new PortTable(registry, 'tcp.port');
    this.udpPorts = new PortTable(registry, 'udp.port');
    this.eth = types.includes('eth');
    this.ip = types.includes('ip');
    this.ipv6 = types.includes('ipv6');
    this.tcp = types.includes('tcp');
    this.udp = types.includes('udp');
    this.openers = udpStreams ? new Openers(registry, this.udpPorts) : undefined;
    this.payloadless = payloadless;
  }

  /**
   * Gives a plain frame's taps to `sinks` and returns true; returns false, having changed
   * nothing, when the frame must be dissected instead. TCP analysis runs in `dissector`.
   */
  feed(f: Frame, dissector: Dissector, sinks: readonly TapSink[]): boolean {
    const packet = this.headers.read(f);
    if (packet === undefined) return false;
    const layers = packet.layers;
    const last = layers[layers.length - 1]!;
    if (this.payloadless && (last.protocol !== 'tcp' || last.length > last.headerLength)) return false;
    const d = f.data;
    const ipAt = this.headers.ipAt;
    const book = this.book;
    let src = '';
    let dst = '';
    let srcHash = 0;
    let dstHash = 0;
    let version = 0;
    if (ipAt >= 0) {
      const at = ipAt >> 3;
      version = ipAt & 7;
      if (version === 4) {
        src = ipv4TextAt(d, at + 12);
        dst = ipv4TextAt(d, at + 16);
        srcHash = addressHash(d, at + 12, 4);
        dstHash = addressHash(d, at + 16, 4);
      } else {
        src = ipv6TextAt(d, at + 8);
        dst = ipv6TextAt(d, at + 24);
        srcHash = addressHash(d, at + 8, 16);
        dstHash = addressHash(d, at + 24, 16);
      }
    }
    let stream = -1;
    const h = this.segment;
    if (last.protocol === 'tcp') {
      const at = last.offset;
      const hlen = last.headerLength;
      h.src = src;
      h.srcHash = srcHash;
      h.sport = u16(d, at);
      h.dst = dst;
      h.dstHash = dstHash;
      h.dport = u16(d, at + 2);
      h.seq = u32(d, at + 4);
      h.ack = u32(d, at + 8);
      h.flags = u16(d, at + 12) & 0x0fff;
      h.seglen = last.length - hlen;
      h.window = u16(d, at + 14);
      if (this.openers !== undefined && h.seglen > 0 && mayAnnounceMedia(d, at + hlen)) return false;
      // Broken options: the dissector numbers the segment's stream but taps nothing.
      if (hlen > 20) {
        if (!scanOptions(d, at + 20, at + hlen, h)) return false;
      } else {
        h.wsShift = -1;
        h.sack = undefined;
      }
      // Without names nothing but the stream is read of any segment, here or dissected (the
      // dissection then stops below application layers): only what numbering streams needs is
      // kept. With names, the same once neither side can name anything any more.
      let baseOnly = book === undefined && !this.payloadless;
      if (book !== undefined) {
        // A SYN may open a new connection on the same ports: its sides are not known before analysis.
        const silent = (h.flags & 0x02) === 0 && this.tcpPorts.kind(h.sport, h.dport) === PortKind.Silent;
        const sides = this.sides;
        const known = silent && dissector.tcpSides(h, sides);
        // A settled connection keeps its bases without being looked up again.
        if (known && sideSettled(sides[0])) stream = settledSegment(sides, h.seq, h.ack, h.flags);
        else {
          const sending = silent && (book.nameOf(dst) !== undefined || (known && book.quietSide(sides[0])));
          if (h.seglen > 0 && !sending) return false;
          baseOnly = sending && known && (book.nameOf(src) !== undefined || book.quietSide(sides[1]));
          if (baseOnly) settleSides(sides);
        }
      }
      if (stream < 0 && (this.tcp || book !== undefined || this.payloadless)) stream = dissector.tcpSegment(f, h, baseOnly).stream;
    } else if (last.protocol === 'udp') {
      if (book !== undefined && !this.quietDatagram(f, last.offset, last.length, book, dissector)) return false;
      const openers = this.openers;
      if (openers !== undefined && (openers.may(u16(d, last.offset), u16(d, last.offset + 2)) || (last.length > 8 && mayAnnounceMedia(d, last.offset + 8)))) return false;
    }

    for (let i = 0; i < sinks.length; i++) sinks[i]!.frame(f);
    const t = this.t;
    if (this.eth) this.visit(sinks, 'eth', macText(d, 6), macText(d, 0));
    if (version === 4 ? this.ip : version === 6 && this.ipv6) this.visit(sinks, version === 4 ? 'ip' : 'ipv6', src, dst);
    if (stream >= 0 && this.tcp) {
      t.srcPort = h.sport;
      t.dstPort = h.dport;
      t.stream = stream;
      this.visit(sinks, 'tcp', src, dst);
      t.srcPort = t.dstPort = t.stream = undefined;
    } else if (this.udp && last.protocol === 'udp') {
      // What the datagram carries matters to UDP streams only when it opens a conversation:
      // such datagrams were left to the dissector above.
      t.srcPort = u16(d, last.offset);
      t.dstPort = u16(d, last.offset + 2);
      this.visit(sinks, 'udp', src, dst);
      t.srcPort = t.dstPort = undefined;
    }
    return true;
  }

  private visit(sinks: readonly TapSink[], type: TrafficType, src: string, dst: string): void {
    const t = this.t;
    t.type = type;
    t.src = src;
    t.dst = dst;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.tap(t);
  }

  /**
   * Whether dissecting the UDP datagram at `at` (`length` bytes with its header) could teach the
   * name book nothing more: its ports lead to no protocol the book reads, or to DNS-like ones
   * and the message is a query, or a response repeating one already read while the book has
   * room, or a response the book has just learned from (`dnsResponse`).
   */
  private quietDatagram(f: Frame, at: number, length: number, book: NameBook, dissector: Dissector): boolean {
    const d = f.data;
    const k = this.udpPorts.kind(u16(d, at), u16(d, at + 2));
    if (k === PortKind.Silent) return true;
    if (k !== PortKind.DnsLike || length < 8 + 12) return false;
    // The DNS header's QR bit: only responses name hosts.
    if ((d[at + 8 + 2]! & 0x80) === 0) return true;
    if (!book.full && this.responses.has(d, at + 10, at + length)) return true;
    return this.dnsResponse(f, at, length, book, dissector);
  }

  /**
   * Reads the DNS-like response in the UDP datagram at `at` (`length` bytes with its header) as
   * dissecting its frame would, and gives the name book what it says: true when done, false
   * when the frame must be dissected instead. The datagram's protocol is found as the UDP
   * dissector finds it (the port table, lower port first, then its heuristics), only while no
   * conversation is known that could claim the datagram before the table. A response with an
   * error or to another opcode names nothing and needs no reading. Otherwise the message is read
   * by `readDnsAnswers` (A, AAAA, CNAME, PTR, NS, SOA and OPT records) or else by the DNS
   * dissector's own code, recording no fields; a fault (a cut or malformed message) leaves the
   * frame to the dissector, so that the book reads what such a layer keeps.
   */
  private dnsResponse(f: Frame, at: number, length: number, book: NameBook, dissector: Dissector): boolean {
    if (!dissector.udpByPortsOnly()) return false;
    const d = f.data;
    const end = at + length;
    const sport = u16(d, at);
    const dport = u16(d, at + 2);
    const lo = Math.min(sport, dport);
    const hi = Math.max(sport, dport);
    // The table's entries (looked up once per port), then its heuristics when neither port has one.
    const id = this.udpPorts.id(lo) ?? this.udpPorts.id(hi) ?? this.registry.resolve({ table: 'udp.port', keys: [lo, hi] }, d, at + 8, end)?.id;
    const flavour = id === undefined ? undefined : DNS_FLAVOURS.get(id);
    if (flavour === undefined) return false;
    // Only answers to standard queries without an error name hosts (`NameBook.fromDns`),
    // whatever the rest of the message holds.
    if ((u16(d, at + 10) & 0x780f) !== 0) return true;
    const c = (this.dnsCursor ??= new Cursor(this.registry.fields, 'summary', undefined, false, false));
    c.resetFrame(d, 0, f.index);
    c.beginLayer(at + 8, end, end, NO_CONTEXT, NO_LAYERS);
    // The common message first (A, AAAA, CNAME, PTR, NS, SOA and OPT records only), then any other.
    let info: Readonly<Record<string, unknown>> | DnsAnswers | undefined = readDnsAnswers(c, flavour);
    if (info === undefined) {
      c.beginLayer(at + 8, end, end, NO_CONTEXT, NO_LAYERS);
      try {
        info = dissectDnsMessage(c, flavour).info;
      } catch {
        return false;
      }
    }
    book.fromDns(info, f.index);
    this.responses.add(d, at + 10, end);
    return true;
  }

  /**
   * Told of every packet that was dissected instead (with names): DNS-like responses right
   * after a UDP header are remembered (`SeenResponses`).
   */
  dissected(p: DissectedPacket): void {
    const layers = p.layers;
    for (let i = 1; i < layers.length; i++) {
      const l = layers[i]!;
      if (!DNS_LIKE_PROTOCOLS.has(l.protocol) || l.inError || l.info['response'] !== true) continue;
      const udp = layers[i - 1]!;
      if (udp.protocol === 'udp' && l.offset === udp.offset + 8 && udp.offset + udp.length <= p.frame.data.length && udp.length >= 8 + 12) {
        this.responses.add(p.frame.data, udp.offset + 10, udp.offset + udp.length);
      }
      return;
    }
  }
}
