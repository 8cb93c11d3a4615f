/**
 * Header fields read straight from a frame's bytes: most frames of a busy link are Ethernet,
 * maybe VLAN-tagged, then IPv4 or IPv6, then TCP or UDP, and a filter or a `fields` run on their
 * header fields needs none of the dissector's machinery for them.
 *
 * `HeaderPackets.read` recognises a "plain" frame: Ethernet (link type 1), up to two 802.1Q
 * tags, IPv4 without options and not a fragment or IPv6 without extension headers, then TCP
 * or UDP; every header whole in the captured bytes and in the lengths the headers give; no port
 * that leads to a tunnel (VXLAN, GTP, ...), so nothing follows that a run stopping before
 * application layers would dissect. ARP frames, and ICMP and ICMPv6 messages that quote no
 * packet (echo, neighbour discovery), are plain too: nothing after their last header layer
 * holds a header field. For such a frame it gives a packet with the header layers and the
 * field values that a `select`-mode dissection records for the keys asked for (each key's
 * values in the same order; layers of other protocols, which hold none of the keys, are left
 * out); for any other frame, undefined, and the caller dissects it. A test holds the two to
 * each other over every frame of the corpus and over mutated frames.
 *
 * The packet says it is reused (`fixedLayers`): a filter indexes each shape's fields once, and
 * reads addresses in its own form straight from the bytes (`DirectField`).
 *
 * Only the fixed header fields below are read this way; a run naming any other field (or a
 * protocol other than these layers') does not use it (`HeaderPackets.create` gives undefined).
 * Users: pass 1 of a two-pass filter, and `fields` runs (with their filter) on these keys only.
 * The packet handed out is reused for the next frame: test it, do not keep it.
 */
import type { Frame } from '../capture/frame.js';
import { formatIpv4, formatIpv6, macText, u16At as u16 } from '../dissect/cursor.js';
import { type Registry, tableEntry } from '../dissect/registry.js';
import { TCP_FLAG_KEYS, TCP_FLAG_MASKS } from '../dissect/protocols/tcp.js';
import type { DissectedPacket, FieldNode, FieldValue, Issue, LayerNode } from '../dissect/tree.js';
import type { FilterType } from '../filter/fields.js';
import type { DirectField } from '../filter/packet-values.js';
import type { Value } from '../filter/values.js';

/** How one field is read: where in its layer, how many bytes, and its value. `end` is where the layer's bytes end. */
interface Spec {
  readonly key: string;
  readonly at: number;
  readonly size: number;
  readonly read: (d: Uint8Array, p: number, end: number) => FieldValue;
  /** For addresses: the value in a filter's form (`type`), read at the field's offset `at`, without its text. */
  readonly direct: { readonly type: FilterType; readonly read: (d: Uint8Array, at: number) => Value } | undefined;
}

const u32 = (d: Uint8Array, p: number): number => ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
const spec = (key: string, at: number, size: number, read: Spec['read'], direct?: Spec['direct']): Spec => ({ key, at, size, read, direct });
// Addresses in filter form: IPv4 as a number, MAC and IPv6 as their bytes.
const IPV4_VALUE = { type: 'ipv4', read: (d, at) => u32(d, at) } as const satisfies Spec['direct'];
const IPV6_VALUE = { type: 'ipv6', read: (d, at) => d.subarray(at, at + 16) } as const satisfies Spec['direct'];
const MAC_VALUE = { type: 'ether', read: (d, at) => d.subarray(at, at + 6) } as const satisfies Spec['direct'];
const bit = (key: string, at: number, size: number, mask: number): Spec =>
  spec(key, at, size, size === 1 ? (d, p) => (d[p + at]! & mask) !== 0 : (d, p) => (u16(d, p + at) & mask) !== 0);

// Each protocol's fields in the order its dissector reads them.
const ETH: readonly Spec[] = [
  spec('eth.dst', 0, 6, (d, p) => macText(d, p), MAC_VALUE),
  bit('eth.dst.lg', 0, 1, 0x02),
  bit('eth.dst.ig', 0, 1, 0x01),
  spec('eth.src', 6, 6, (d, p) => macText(d, p + 6), MAC_VALUE),
  bit('eth.src.lg', 6, 1, 0x02),
  bit('eth.src.ig', 6, 1, 0x01),
  spec('eth.type', 12, 2, (d, p) => u16(d, p + 12)),
];
const VLAN: readonly Spec[] = [
  spec('vlan.priority', 0, 2, (d, p) => d[p]! >> 5),
  spec('vlan.dei', 0, 2, (d, p) => (d[p]! >> 4) & 1),
  spec('vlan.id', 0, 2, (d, p) => u16(d, p) & 0x0fff),
  spec('vlan.etype', 2, 2, (d, p) => u16(d, p + 2)),
];
const IPV4: readonly Spec[] = [
  spec('ip.version', 0, 1, (d, p) => d[p]! >> 4),
  spec('ip.hdr_len', 0, 1, (d, p) => (d[p]! & 0x0f) * 4),
  spec('ip.dsfield', 1, 1, (d, p) => d[p + 1]!),
  spec('ip.dsfield.dscp', 1, 1, (d, p) => d[p + 1]! >> 2),
  spec('ip.dsfield.ecn', 1, 1, (d, p) => d[p + 1]! & 0x03),
  spec('ip.len', 2, 2, (d, p) => u16(d, p + 2)),
  spec('ip.id', 4, 2, (d, p) => u16(d, p + 4)),
  spec('ip.flags', 6, 1, (d, p) => d[p + 6]! & 0xe0),
  bit('ip.flags.rb', 6, 1, 0x80),
  bit('ip.flags.df', 6, 1, 0x40),
  bit('ip.flags.mf', 6, 1, 0x20),
  spec('ip.frag_offset', 6, 2, (d, p) => u16(d, p + 6) & 0x1fff),
  spec('ip.ttl', 8, 1, (d, p) => d[p + 8]!),
  spec('ip.proto', 9, 1, (d, p) => d[p + 9]!),
  spec('ip.checksum', 10, 2, (d, p) => u16(d, p + 10)),
  spec('ip.src', 12, 4, (d, p) => formatIpv4(d, p + 12), IPV4_VALUE),
  spec('ip.dst', 16, 4, (d, p) => formatIpv4(d, p + 16), IPV4_VALUE),
];
const IPV6: readonly Spec[] = [
  spec('ip.version', 0, 1, (d, p) => d[p]! >> 4),
  spec('ipv6.version', 0, 1, (d, p) => d[p]! >> 4),
  spec('ipv6.tclass', 0, 4, (d, p) => (u32(d, p) >>> 20) & 0xff),
  spec('ipv6.tclass.dscp', 0, 4, (d, p) => (u32(d, p) >>> 22) & 0x3f),
  spec('ipv6.tclass.ecn', 0, 4, (d, p) => (u32(d, p) >>> 20) & 0x03),
  spec('ipv6.flow', 0, 4, (d, p) => u32(d, p) & 0xfffff),
  spec('ipv6.plen', 4, 2, (d, p) => u16(d, p + 4)),
  spec('ipv6.nxt', 6, 1, (d, p) => d[p + 6]!),
  spec('ipv6.hlim', 7, 1, (d, p) => d[p + 7]!),
  spec('ipv6.src', 8, 16, (d, p) => formatIpv6(d, p + 8), IPV6_VALUE),
  spec('ipv6.dst', 24, 16, (d, p) => formatIpv6(d, p + 24), IPV6_VALUE),
];
const TCP: readonly Spec[] = [
  spec('tcp.srcport', 0, 2, (d, p) => u16(d, p)),
  spec('tcp.dstport', 2, 2, (d, p) => u16(d, p + 2)),
  spec('tcp.seq_raw', 4, 4, (d, p) => u32(d, p + 4)),
  spec('tcp.ack_raw', 8, 4, (d, p) => u32(d, p + 8)),
  spec('tcp.hdr_len', 12, 1, (d, p) => (d[p + 12]! >> 4) * 4),
  spec('tcp.len', 0, 0, (d, p, end) => end - p - (d[p + 12]! >> 4) * 4),
  spec('tcp.flags', 12, 2, (d, p) => u16(d, p + 12) & 0x0fff),
  ...TCP_FLAG_KEYS.map((key, i) => bit(key, 12, 2, TCP_FLAG_MASKS[i]!)),
  spec('tcp.window_size_value', 14, 2, (d, p) => u16(d, p + 14)),
  spec('tcp.checksum', 16, 2, (d, p) => u16(d, p + 16)),
  spec('tcp.urgent_pointer', 18, 2, (d, p) => u16(d, p + 18)),
];
const UDP: readonly Spec[] = [
  spec('udp.srcport', 0, 2, (d, p) => u16(d, p)),
  spec('udp.dstport', 2, 2, (d, p) => u16(d, p + 2)),
  spec('udp.length', 4, 2, (d, p) => u16(d, p + 4)),
  spec('udp.checksum', 6, 2, (d, p) => u16(d, p + 6)),
];

const SPECS: Readonly<Record<string, readonly Spec[]>> = { eth: ETH, vlan: VLAN, ip: IPV4, ipv6: IPV6, tcp: TCP, udp: UDP };
/** The field keys read from the bytes. */
export const HEADER_KEYS: ReadonlySet<string> = new Set(Object.values(SPECS).flatMap((s) => s.map((x) => x.key)));
/** The protocols whose layers a header packet holds (and `frame`, which every packet has). */
export const HEADER_PROTOCOLS: ReadonlySet<string> = new Set([...Object.keys(SPECS), 'frame']);

const NO_ISSUES: readonly Issue[] = Object.freeze([]);
const EMPTY_BYTES = new Uint8Array(0);
const NO_INFO: Readonly<Record<string, unknown>> = Object.freeze({});
const MAX_VLAN_TAGS = 2;

/** A field of a header packet: its place and value read from its layer's current frame when asked. */
class HeaderField implements DirectField {
  readonly key: string;
  readonly label: string;
  readonly length: number;
  readonly bits = undefined;
  readonly display = '';
  readonly generated: boolean;
  readonly children = undefined;
  private readonly spec: Spec;
  private readonly layer: HeaderLayer;

  constructor(s: Spec, layer: HeaderLayer) {
    this.spec = s;
    this.layer = layer;
    this.key = s.key;
    this.label = s.key;
    this.length = s.size;
    this.generated = s.size === 0;
  }

  get offset(): number {
    return this.layer.offset + this.spec.at;
  }

  get value(): FieldValue {
    const l = this.layer;
    return this.spec.read(l.data, l.offset, l.offset + l.length);
  }

  directReader(type: FilterType): ((d: Uint8Array) => Value) | undefined {
    const direct = this.spec.direct;
    if (direct === undefined || direct.type !== type) return undefined;
    const at = this.spec.at;
    const layer = this.layer;
    return (d) => direct.read(d, layer.offset + at);
  }
}

/** A layer of a header packet: its place set for each frame, its fields those the run wants. */
class HeaderLayer implements LayerNode {
  readonly protocol: string;
  readonly name: string;
  offset = 0;
  headerLength = 0;
  length = 0;
  /** The current frame's bytes. */
  data: Uint8Array = EMPTY_BYTES;
  readonly summary = '';
  readonly info = NO_INFO;
  readonly fields: readonly HeaderField[];
  readonly issues = NO_ISSUES;
  readonly inError = false;

  constructor(protocol: string, wanted: ReadonlySet<string>) {
    this.protocol = protocol;
    this.name = protocol;
    this.fields = SPECS[protocol]!.filter((s) => wanted.has(s.key)).map((s) => new HeaderField(s, this));
  }

  /** Places the layer at `[p, end)` of `d` with a header of `header` bytes (its fields read from there). */
  place(d: Uint8Array, p: number, header: number, end: number): void {
    this.data = d;
    this.offset = p;
    this.headerLength = header;
    this.length = end - p;
  }
}

/**
 * Which ports of one dispatch table lead to a protocol that is not an application layer (a
 * tunnel such as VXLAN or GTP): each port is looked up once, when a frame first uses it.
 */
class PortKinds {
  private readonly registry: Registry;
  private readonly table: string;
  /** Per port: 0 not looked up yet, 1 an application protocol or none, 2 a tunnel. */
  private readonly kinds = new Uint8Array(65536);

  constructor(registry: Registry, table: string) {
    this.registry = registry;
    this.table = table;
  }

  tunnel(port: number): boolean {
    let k = this.kinds[port]!;
    if (k === 0) {
      const p = tableEntry(this.registry, this.table, port);
      this.kinds[port] = k = p !== undefined && p.leaf !== true && p.id !== 'data' ? 2 : 1;
    }
    return k === 2;
  }
}

const portKinds = new WeakMap<Registry, Map<string, PortKinds | undefined>>();

/** The port kinds of `table` for this registry; undefined when a non-application heuristic may claim any port's payload. */
function portKindsOf(registry: Registry, table: 'tcp.port' | 'udp.port'): PortKinds | undefined {
  let tables = portKinds.get(registry);
  if (tables === undefined) portKinds.set(registry, (tables = new Map()));
  if (!tables.has(table)) {
    const anyPort = [...registry.protocols.values()].some((p) => p.leaf !== true && (p.heuristics ?? []).some((h) => h.table === table));
    tables.set(table, anyPort ? undefined : new PortKinds(registry, table));
  }
  return tables.get(table);
}

/** What follows the link headers (and the IP header) of a plain frame: the index of its shape among those of one tag count. */
const Top = {
  Ipv4Tcp: 0,
  Ipv4Udp: 1,
  Ipv6Tcp: 2,
  Ipv6Udp: 3,
  /** IPv4 with ICMP echo. */
  Ipv4Only: 4,
  /** IPv6 with ICMPv6 echo or neighbour discovery. */
  Ipv6Only: 5,
  /** ARP. */
  LinkOnly: 6,
} as const;
type Top = (typeof Top)[keyof typeof Top];
const TOPS = Object.keys(Top).length;
const ETHERTYPE_ARP = 0x0806;
/** ICMP types that quote no packet: echo reply and request. */
const ICMP_PLAIN = new Uint8Array(256);
ICMP_PLAIN[0] = ICMP_PLAIN[8] = 1;
/** ICMPv6 types that quote no packet: echo request and reply, router and neighbour solicitation and advertisement. */
const ICMPV6_PLAIN = new Uint8Array(256);
for (const t of [128, 129, 133, 134, 135, 136]) ICMPV6_PLAIN[t] = 1;

export class HeaderPackets {
  private readonly eth: HeaderLayer;
  private readonly vlans: HeaderLayer[];
  private readonly ip: HeaderLayer;
  private readonly ipv6: HeaderLayer;
  private readonly tcp: HeaderLayer;
  private readonly udp: HeaderLayer;
  private readonly tcpPorts: PortKinds | undefined;
  private readonly udpPorts: PortKinds | undefined;
  private readonly vlanTags: boolean;
  /** Whether ARP, ICMP and ICMPv6 are the registry's usual ones (their frames may be plain). */
  private readonly arp: boolean;
  private readonly icmp: boolean;
  private readonly icmpv6: boolean;
  /** The layers of each shape of plain frame, by tags * TOPS + `Top`. */
  private readonly shapes: (readonly HeaderLayer[])[] = [];
  private readonly packet: { frame: Frame; frameFields: readonly FieldNode[]; layers: readonly LayerNode[]; readonly fixedLayers: true };
  /**
   * Where the last plain frame's IP header starts, as `ipStart` gives it (offset times 8 plus the
   * version), or -1 when it has none (ARP): its conversation key is then found without walking
   * the link headers again.
   */
  ipAt = -1;

  /**
   * Header packets for a run that records `fields` and needs the layers of `protocols`, with
   * `registry`'s dispatch; undefined when some of them are not read from headers, when the
   * registry does not take Ethernet, IPv4, IPv6, TCP and UDP the usual way, or when
   * `PCAPVIZ_HEADER_PACKETS=0` turns them off.
   */
  static create(registry: Registry, fields: readonly string[], protocols: readonly string[]): HeaderPackets | undefined {
    if (process.env['PCAPVIZ_HEADER_PACKETS'] === '0') return undefined;
    if (!fields.every((k) => HEADER_KEYS.has(k)) || !protocols.every((p) => HEADER_PROTOCOLS.has(p))) return undefined;
    const to = (table: string, key: number): string | undefined => tableEntry(registry, table, key)?.id;
    if (to('linktype', 1) !== 'eth' || to('ethertype', 0x0800) !== 'ip' || to('ethertype', 0x86dd) !== 'ipv6') return undefined;
    if (to('ip.proto', 6) !== 'tcp' || to('ip.proto', 17) !== 'udp') return undefined;
    // UDP payloads also go to QUIC and media sessions by conversation, ahead of the port tables.
    const udpOk = ['quic', 'rtp', 'rtcp'].every((id) => registry.protocols.get(id)?.leaf !== false);
    const usual = { arp: to('ethertype', ETHERTYPE_ARP) === 'arp', icmp: to('ip.proto', 1) === 'icmp', icmpv6: to('ip.proto', 58) === 'icmpv6' };
    return new HeaderPackets(registry, new Set(fields), to('ethertype', 0x8100) === 'vlan', udpOk, usual);
  }

  private constructor(registry: Registry, wanted: ReadonlySet<string>, vlanTags: boolean, udpOk: boolean, usual: { arp: boolean; icmp: boolean; icmpv6: boolean }) {
    this.eth = new HeaderLayer('eth', wanted);
    this.vlans = Array.from({ length: MAX_VLAN_TAGS }, () => new HeaderLayer('vlan', wanted));
    this.ip = new HeaderLayer('ip', wanted);
    this.ipv6 = new HeaderLayer('ipv6', wanted);
    this.tcp = new HeaderLayer('tcp', wanted);
    this.udp = new HeaderLayer('udp', wanted);
    this.vlanTags = vlanTags;
    this.arp = usual.arp;
    this.icmp = usual.icmp;
    this.icmpv6 = usual.icmpv6;
    this.tcpPorts = portKindsOf(registry, 'tcp.port');
    this.udpPorts = udpOk ? portKindsOf(registry, 'udp.port') : undefined;
    for (let tags = 0; tags <= MAX_VLAN_TAGS; tags++) {
      const link = [this.eth, ...this.vlans.slice(0, tags)];
      // In `Top` order.
      this.shapes.push(
        [...link, this.ip, this.tcp],
        [...link, this.ip, this.udp],
        [...link, this.ipv6, this.tcp],
        [...link, this.ipv6, this.udp],
        [...link, this.ip],
        [...link, this.ipv6],
        link,
      );
    }
    this.packet = { frame: undefined as unknown as Frame, frameFields: [], layers: [], fixedLayers: true };
  }

  /** The frame as a header packet, or undefined when it is not plain (dissect it). */
  read(f: Frame): DissectedPacket | undefined {
    if (f.kind !== 'packet' || f.linkType !== 1) return undefined;
    const d = f.data;
    const n = d.length;
    if (n < 14) return undefined;
    let type = u16(d, 12);
    let p = 14;
    let tags = 0;
    for (; type === 0x8100 && this.vlanTags; tags++) {
      if (tags === MAX_VLAN_TAGS || p + 4 > n) return undefined;
      type = u16(d, p + 2);
      p += 4;
    }
    const ipAt = p;
    let version: number;
    let proto: number;
    let end: number;
    if (type === 0x0800) {
      if (p + 20 > n || d[p] !== 0x45) return undefined; // version 4, no options
      end = p + u16(d, p + 2);
      // Whole in the captured bytes, and neither a fragment nor a first fragment.
      if (end < p + 20 || end > n || (u16(d, p + 6) & 0x3fff) !== 0) return undefined;
      version = 4;
      proto = d[p + 9]!;
      p += 20;
    } else if (type === 0x86dd) {
      if (p + 40 > n || d[p]! >> 4 !== 6) return undefined;
      end = p + 40 + u16(d, p + 4);
      if (end > n) return undefined;
      version = 6;
      proto = d[p + 6]!;
      p += 40;
    } else if (type === ETHERTYPE_ARP && this.arp) {
      return this.plain(f, tags, Top.LinkOnly, -1, 0, 0, 0, 0);
    } else return undefined;
    let hlen: number;
    let transportEnd = end;
    let top: Top;
    if (proto === 6) {
      if (p + 20 > end || this.tcpPorts === undefined) return undefined;
      hlen = (d[p + 12]! >> 4) * 4;
      if (hlen < 20 || p + hlen > end) return undefined;
      if (this.tcpPorts.tunnel(u16(d, p)) || this.tcpPorts.tunnel(u16(d, p + 2))) return undefined;
      top = version === 4 ? Top.Ipv4Tcp : Top.Ipv6Tcp;
    } else if (proto === 17) {
      if (p + 8 > end || this.udpPorts === undefined) return undefined;
      hlen = 8;
      transportEnd = p + u16(d, p + 4);
      if (transportEnd < p + 8 || transportEnd > end) return undefined;
      if (this.udpPorts.tunnel(u16(d, p)) || this.udpPorts.tunnel(u16(d, p + 2))) return undefined;
      top = version === 4 ? Top.Ipv4Udp : Top.Ipv6Udp;
    } else if (version === 4 ? proto === 1 && this.icmp && p < end && ICMP_PLAIN[d[p]!] === 1 : proto === 58 && this.icmpv6 && p < end && ICMPV6_PLAIN[d[p]!] === 1) {
      // ICMP that quotes no packet: nothing past it is a header layer.
      return this.plain(f, tags, version === 4 ? Top.Ipv4Only : Top.Ipv6Only, ipAt, version, end, 0, 0);
    } else return undefined;
    return this.plain(f, tags, top, ipAt, version, end, p, hlen, transportEnd);
  }

  /** Places the layers of shape `top` for frame `f` (the IP header at `ipAt` up to `end`, the transport header at `p`). */
  private plain(f: Frame, tags: number, top: Top, ipAt: number, version: number, end: number, p: number, hlen: number, transportEnd = 0): DissectedPacket {
    const d = f.data;
    const layers = this.shapes[tags * TOPS + top]!;
    layers[0]!.place(d, 0, 14, d.length);
    for (let t = 0; t < tags; t++) layers[1 + t]!.place(d, 14 + 4 * t, 4, d.length);
    if (ipAt >= 0) {
      layers[1 + tags]!.place(d, ipAt, version === 4 ? 20 : 40, end);
      if (hlen > 0) layers[2 + tags]!.place(d, p, hlen, transportEnd);
      this.ipAt = ipAt * 8 + version;
    } else this.ipAt = -1;
    this.packet.frame = f;
    this.packet.layers = layers;
    return this.packet;
  }
}
