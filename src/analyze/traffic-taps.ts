/**
 * What the conversation and endpoint tables read from a dissected packet: one "tap" per header
 * that tshark's conversation taps see (Ethernet, IPv4, IPv6, TCP, UDP), in layer order. Every
 * header counts, so a tunnelled packet gives several IP taps; headers quoted inside an ICMP or
 * ICMPv6 error are skipped, as tshark skips them. tshark queues a tap only once a header has
 * been read, so a few cut or broken headers give none (see `forEachTap`).
 */
import type { Frame } from '../capture/frame.js';
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';

export const TRAFFIC_TYPES = ['eth', 'ip', 'ipv6', 'tcp', 'udp'] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

/** Whether `t` names a table (for option parsing). */
export function isTrafficType(t: string): t is TrafficType {
  return (TRAFFIC_TYPES as readonly string[]).includes(t);
}

export interface TrafficTap {
  readonly type: TrafficType;
  readonly src: string;
  readonly dst: string;
  /** TCP and UDP only. */
  readonly srcPort: number | undefined;
  readonly dstPort: number | undefined;
  /** tcp.stream (TCP only). */
  readonly stream: number | undefined;
  /** The protocol carried (TCP and UDP only; undefined when none): some open conversations of their own. */
  readonly carries: string | undefined;
}

/** IPv6 extension headers (AH included), which tshark dissects inside the IPv6 dissector. */
const IPV6_EXTENSIONS = new Set(['ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'ah']);

const hasDamage = (l: LayerNode): boolean => l.issues.some((i) => i.kind === 'truncated' || i.kind === 'malformed');

/**
 * Whether tshark taps the IPv6 header at `layers[i]`: its dissector queues the tap when it hands
 * the payload on after the extension headers, so a header whose extension chain is cut or
 * broken, or that carries a fragment other than the first, gives none.
 */
export function ipv6Tapped(layers: readonly LayerNode[], i: number): boolean {
  let last = layers[i]!;
  if (hasDamage(last)) return false;
  for (let j = i + 1; j < layers.length; j++) {
    const l = layers[j]!;
    if (!IPV6_EXTENSIONS.has(l.protocol)) return true;
    if (hasDamage(l)) return false;
    if (l.protocol === 'ipv6.fraghdr' && l.info['offset'] !== 0) return false;
    last = l;
  }
  return !announcesExtension(last);
}

/** Next-header values of the extension headers tshark reads inside IPv6 (hop-by-hop, routing, fragment, AH, destination options). */
const EXTENSION_HEADERS = new Set([0, 43, 44, 51, 60]);

/**
 * Whether the last header of an IPv6 chain announces an extension header that is not there (the
 * payload length left no room for it): tshark's IPv6 dissector fails reading it.
 */
export function announcesExtension(l: LayerNode): boolean {
  const nxt = l.info['nxt'];
  return typeof nxt === 'number' && EXTENSION_HEADERS.has(nxt) && !(l.protocol === 'ipv6.fraghdr' && l.info['offset'] !== 0);
}

/**
 * Calls `visit` once per tap of the packet, for the types in `wanted`. The tap object handed to
 * `visit` is reused: copy what you keep.
 */
export function forEachTap(p: DissectedPacket, wanted: ReadonlySet<TrafficType>, visit: (t: TrafficTap) => void): void {
  const tap = {
    type: 'eth' as TrafficType,
    src: '',
    dst: '',
    srcPort: undefined as number | undefined,
    dstPort: undefined as number | undefined,
    stream: undefined as number | undefined,
    carries: undefined as string | undefined,
  };
  // Addresses of the innermost IP header so far: TCP and UDP rows are keyed by them.
  let ipSrc: string | undefined;
  let ipDst: string | undefined;
  const layers = p.layers;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.inError) continue;
    const proto = l.protocol;
    if (proto === 'tcp' || proto === 'udp') {
      if (!wanted.has(proto) || ipSrc === undefined || ipDst === undefined) continue;
      const sp = l.info['srcport'];
      const dp = l.info['dstport'];
      if (typeof sp !== 'number' || typeof dp !== 'number') continue;
      const stream = l.info['stream'];
      // A TCP header too short to hold one has no stream in tshark, and no tap.
      if (proto === 'tcp' && typeof stream !== 'number') continue;
      tap.type = proto;
      tap.src = ipSrc;
      tap.dst = ipDst;
      tap.srcPort = sp;
      tap.dstPort = dp;
      tap.stream = typeof stream === 'number' ? stream : undefined;
      tap.carries = layers[i + 1]?.protocol;
      visit(tap);
      tap.srcPort = tap.dstPort = tap.stream = tap.carries = undefined;
      continue;
    }
    if (proto === 'ipv6.routing') {
      // A type 0 routing header with segments left: tshark's TCP/UDP see its last address as
      // the destination (the IPv6 row keeps the header's).
      const finalDst = l.info['finalDst'];
      if (typeof finalDst === 'string' && ipDst !== undefined) ipDst = finalDst;
      continue;
    }
    if (proto !== 'ip' && proto !== 'ipv6' && (proto !== 'eth' || !wanted.has('eth'))) continue;
    const src = l.info['src'];
    const dst = l.info['dst'];
    // An IPv4 header announcing version 6 has no addresses: the IPv6 layer after it does.
    if (typeof src !== 'string' || typeof dst !== 'string') continue;
    if (proto !== 'eth') {
      ipSrc = src;
      ipDst = dst;
    }
    if (!wanted.has(proto) || (proto === 'ipv6' && !ipv6Tapped(layers, i))) continue;
    tap.type = proto;
    tap.src = src;
    tap.dst = dst;
    visit(tap);
  }
}

/**
 * Time of each packet relative to the capture's first packet, as tshark keeps it: whole seconds
 * and nanoseconds (borrowing as Wireshark's `nstime_delta` does).
 */
export class RelativeClock {
  private sec0: number | undefined;
  private nsec0 = 0;
  sec = 0;
  nsec = 0;

  /** Sets `sec` and `nsec` to the frame's time after the first frame's. */
  at(f: Frame): void {
    if (this.sec0 === undefined) {
      this.sec0 = f.tsSec;
      this.nsec0 = f.tsNsec;
    }
    let sec = f.tsSec - this.sec0;
    let nsec = f.tsNsec - this.nsec0;
    if (sec > 0 && nsec < 0) {
      nsec += 1e9;
      sec--;
    } else if (sec < 0 && nsec > 0) {
      nsec -= 1e9;
      sec++;
    }
    this.sec = sec;
    this.nsec = nsec;
  }
}

/** Orders two (seconds, nanoseconds) times. */
export const compareTime = (aSec: number, aNsec: number, bSec: number, bNsec: number): number => (aSec !== bSec ? aSec - bSec : aNsec - bNsec);

/** A time in seconds, as tshark converts it for printing (`nstime_to_sec`). */
export const timeSeconds = (sec: number, nsec: number): number => sec + nsec / 1e9;
