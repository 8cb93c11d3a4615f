/**
 * Names learned from the capture itself, offline (no resolver is asked): a bounded book of
 * address → name fed by the dissected stream. It reads layer `info` records only:
 *
 * - DNS (and mDNS, LLMNR) responses without error: A and AAAA answers name their address with the
 *   name that was asked (a CNAME chain inside the answer leads back to the question); A and AAAA
 *   records of the other sections (name server glue) with their owner; PTR answers name the
 *   address of their `in-addr.arpa` / `ip6.arpa` owner;
 * - TLS ClientHello server name (SNI): names the server (the packet's destination address);
 * - HTTP request Host header: names the server (destination address), unless it is an address;
 * - DHCP host name option: names the client's MAC address, and its IPv4 address when the message
 *   carries one (client address, requested address, or the address an ACK gives that MAC);
 * - NetBIOS: positive name-service answers for unique names (`<00>`, `<20>`), and the source
 *   name of NetBIOS datagrams, name their address.
 *
 * TLS and HTTP names are read from the client side of a TCP connection only: once a side has
 * sent a SYN-ACK or a server's message (a ServerHello, an HTTP response), its later TLS and
 * HTTP layers are not read for names (`quietSide`), so a run may leave that side's application
 * layers undissected and learn the same names. With the handshake captured, a server's side is
 * known from its SYN-ACK before it sends anything else.
 *
 * When several sources name one address, the more trustworthy one wins (DNS, then DHCP and
 * NetBIOS, then SNI and Host, which name virtual servers); between equals the first seen stays.
 * At most `maxEntries` addresses are kept (default `DEFAULT_NAME_BOOK_SIZE`); once full, names for
 * new addresses are counted in `leftOut` and not kept. Feed every packet (`add`), read any time.
 */
import { formatIpv6 } from '../dissect/cursor.js';
import { answeredSyn } from '../dissect/protocols/tcp-sequence.js';
import type { DnsAnswer, DnsAnswers, DnsQuestion } from '../dissect/protocols/dns.js';
import type { DissectedPacket, LayerNode } from '../dissect/tree.js';

/** Most addresses (IP or MAC) a name book keeps: 100,000, a few MB at most. */
export const DEFAULT_NAME_BOOK_SIZE = 100_000;

export type NameSource = 'dns' | 'dhcp' | 'nbns' | 'nbdgm' | 'tls' | 'http';

export interface NameEntry {
  readonly name: string;
  readonly source: NameSource;
  /** Frame number where it was learned. */
  readonly frame: number;
}

/**
 * The protocols `add` reads that are found by port (UDP or TCP), besides TLS and HTTP (which only
 * name the destination, from the client side); keep in step with `add`. A run that reads frames
 * without dissecting them (`HeaderTaps`) dissects every frame that may hold one of them.
 */
export const PORT_NAME_PROTOCOLS: ReadonlySet<string> = new Set(['dns', 'mdns', 'llmnr', 'nbns', 'nbdgm', 'dhcp']);
/** Of those, the ones whose messages name hosts only in responses (the DNS header's QR bit). */
export const DNS_LIKE_PROTOCOLS: ReadonlySet<string> = new Set(['dns', 'mdns', 'llmnr']);

const RANK: Readonly<Record<NameSource, number>> = { dns: 3, dhcp: 2, nbns: 2, nbdgm: 2, tls: 1, http: 1 };

/** Most links followed back through a CNAME chain. */
const MAX_CHAIN = 16;

/** NetBIOS suffixes of a machine's own name: workstation and server service. */
const HOST_SUFFIX = /^(.+)<(00|20)>$/;

export class NameBook {
  private readonly book = new Map<string, NameEntry>();
  /** DHCP: MAC address → host name, to name the address an ACK gives it. */
  private readonly macNames = new Map<string, string>();
  private left = 0;
  /** Sending sides of TCP connections (their TCP layer's `info.direction`) seen sending a server's message. */
  private readonly servers = new WeakSet<object>();
  readonly maxEntries: number;

  constructor(maxEntries: number = DEFAULT_NAME_BOOK_SIZE) {
    this.maxEntries = maxEntries;
  }

  /** The name learned for an address (IPv4, IPv6 or MAC, as the tables print them). */
  nameOf(address: string): string | undefined {
    return this.book.get(address)?.name;
  }

  /** The entry for an address: name, where it came from, the frame it was learned in. */
  entryOf(address: string): NameEntry | undefined {
    return this.book.get(address);
  }

  /** Addresses named so far. */
  get size(): number {
    return this.book.size;
  }

  /** Whether the book has no room for another address. */
  get full(): boolean {
    return this.book.size + this.macNames.size >= this.maxEntries;
  }

  /** Names not kept because the book was full. */
  get leftOut(): number {
    return this.left;
  }

  /** Every address and its entry, in the order they were first named. */
  entries(): IterableIterator<[string, NameEntry]> {
    return this.book.entries();
  }

  /**
   * Whether TLS and HTTP layers sent by this side of a TCP connection (a TCP layer's
   * `info.direction`) are no longer read for names: it has sent a SYN-ACK (the TCP analysis
   * says so) or a server's message.
   */
  quietSide(side: object): boolean {
    return answeredSyn(side) || this.servers.has(side);
  }

  /** Learns what one dissected packet says about names. */
  add(p: DissectedPacket): void {
    const layers = p.layers;
    let src: string | undefined;
    let dst: string | undefined;
    // The sending side of the TCP connection the packet's application layers ride on.
    let side: object | undefined;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i]!;
      if (l.inError) continue;
      switch (l.protocol) {
        case 'ip':
        case 'ipv6': {
          const s = l.info['src'];
          const d = l.info['dst'];
          if (typeof s === 'string' && typeof d === 'string') {
            src = s;
            dst = d;
          }
          break;
        }
        case 'dns':
        case 'mdns':
        case 'llmnr':
          this.fromDns(l.info, p.frame.index);
          break;
        case 'tcp': {
          const d = l.info['direction'];
          side = typeof d === 'object' && d !== null ? d : undefined;
          break;
        }
        case 'tls':
          if (side !== undefined && this.quietSide(side)) break;
          if (dst !== undefined && l.info['clientHello'] === true && typeof l.info['sni'] === 'string') this.learn(dst, l.info['sni'], 'tls', p.frame.index);
          else if (side !== undefined && l.info['serverHello'] === true && l.info['clientHello'] !== true) this.servers.add(side);
          break;
        case 'http':
          if (side !== undefined && this.quietSide(side)) break;
          if (side !== undefined && l.info['kind'] === 'response') this.servers.add(side);
          else if (dst !== undefined) this.fromHttp(l, dst, p.frame.index);
          break;
        case 'dhcp':
          this.fromDhcp(l, p.frame.index);
          break;
        case 'nbns':
          this.fromNbns(l, p.frame.index);
          break;
        case 'nbdgm': {
          const name = hostPart(l.info['source']);
          const at = typeof l.info['sourceIp'] === 'string' && l.info['sourceIp'] !== '0.0.0.0' ? l.info['sourceIp'] : src;
          if (name !== undefined && at !== undefined) this.learn(at, name, 'nbdgm', p.frame.index);
          break;
        }
      }
    }
  }

  /** Keeps `name` for `address` unless a name at least as trusted is there; counts what does not fit. */
  learn(address: string, name: string, source: NameSource, frame: number): void {
    // `<Root>` and other placeholders the DNS dissector shows are not names.
    if (name === '' || address === '' || name.startsWith('<')) return;
    const old = this.book.get(address);
    if (old !== undefined) {
      if (RANK[source] > RANK[old.source]) this.book.set(address, { name, source, frame });
      return;
    }
    if (this.full) {
      this.left++;
      return;
    }
    this.book.set(address, { name, source, frame });
  }

  /**
   * Learns what a DNS, mDNS or LLMNR message names, from its layer's `info` record, or from what
   * `readDnsAnswers` read of it (`HeaderTaps`, which reads some messages without dissecting).
   */
  fromDns(info: Readonly<Record<string, unknown>> | DnsAnswers, frame: number): void {
    // Responses to standard queries (opcode 0) only: an inverse query's answers are not names.
    if (info.response !== true || info.rcode !== 0 || info.opcode !== 0) return;
    const records = info.records as readonly DnsAnswer[] | undefined;
    if (records === undefined || records.length === 0) return;
    // CNAME target → owner, to walk an address record's owner back to the name asked. Without
    // CNAME answers (most responses) every owner stays as it is, and nothing is built.
    let aliasOf: Map<string, string> | undefined;
    for (const r of records) if (r.type === 5 && r.section === 0) (aliasOf ??= new Map()).set(r.value.toLowerCase(), r.name);
    const chains = aliasOf === undefined ? undefined : { aliasOf, questions: new Set(((info.questions as readonly DnsQuestion[] | undefined) ?? []).map((q) => q.name.toLowerCase())) };
    for (const r of records) {
      if (r.type === 1 || r.type === 28) {
        let name = r.name;
        for (let n = 0; chains !== undefined && n < MAX_CHAIN && !chains.questions.has(name.toLowerCase()); n++) {
          const back = chains.aliasOf.get(name.toLowerCase());
          if (back === undefined) break;
          name = back;
        }
        this.learn(r.value, name, 'dns', frame);
      } else if (r.type === 12) {
        const address = reverseAddress(r.name);
        if (address !== undefined) this.learn(address, r.value, 'dns', frame);
      }
    }
  }

  private fromHttp(l: LayerNode, server: string, frame: number): void {
    const messages = (l.info['messages'] as readonly { kind: string; host?: string }[] | undefined) ?? [];
    for (const m of messages) {
      if (m.kind !== 'request' || m.host === undefined) continue;
      const host = hostWithoutPort(m.host);
      if (host !== undefined) this.learn(server, host, 'http', frame);
      return;
    }
  }

  private fromDhcp(l: LayerNode, frame: number): void {
    const info = l.info;
    const mac = typeof info['clientMac'] === 'string' ? info['clientMac'] : undefined;
    const given = (v: unknown): string | undefined => (typeof v === 'string' && v !== '0.0.0.0' ? v : undefined);
    const hostname = typeof info['hostname'] === 'string' && info['hostname'] !== '' ? info['hostname'] : undefined;
    if (hostname !== undefined) {
      if (mac !== undefined) {
        this.learn(mac, hostname, 'dhcp', frame);
        if (!this.macNames.has(mac) && this.book.size + this.macNames.size < this.maxEntries) this.macNames.set(mac, hostname);
      }
      const ip = given(info['clientIp']) ?? given(info['requestedIp']);
      if (ip !== undefined) this.learn(ip, hostname, 'dhcp', frame);
    }
    // An ACK (type 5) gives the client its address: name it after the host name that MAC sent.
    const yours = given(info['yourIp']);
    if (info['messageType'] === 5 && yours !== undefined && mac !== undefined) {
      const name = hostname ?? this.macNames.get(mac);
      if (name !== undefined) this.learn(yours, name, 'dhcp', frame);
    }
  }

  private fromNbns(l: LayerNode, frame: number): void {
    const addresses = l.info['addresses'] as readonly { name: string; address: string; group: boolean }[] | undefined;
    for (const a of addresses ?? []) {
      const name = a.group ? undefined : hostPart(a.name);
      if (name !== undefined && a.address !== '0.0.0.0') this.learn(a.address, name, 'nbns', frame);
    }
  }
}

/** `HOST<20>` → `HOST` for a machine's own NetBIOS name; undefined for other names. */
function hostPart(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const m = HOST_SUFFIX.exec(name);
  return m === null || m[1]!.includes('<') ? undefined : m[1]!;
}

/** `www.example.com:8080` → `www.example.com`; undefined for an address literal or nothing. */
export function hostWithoutPort(host: string): string | undefined {
  const h = host.trim();
  if (h === '' || h.startsWith('[')) return undefined;
  const name = h.replace(/:\d*$/, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':')) return undefined;
  return name;
}

/** The address a PTR owner stands for: `4.3.2.1.in-addr.arpa` → `1.2.3.4`; nibbles of `ip6.arpa` → IPv6. */
export function reverseAddress(owner: string): string | undefined {
  const o = owner.toLowerCase().replace(/\.$/, '');
  if (o.endsWith('.in-addr.arpa')) {
    const parts = o.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((x) => /^\d{1,3}$/.test(x) && Number(x) < 256)) return undefined;
    return parts.reverse().map(Number).join('.');
  }
  if (o.endsWith('.ip6.arpa')) {
    const nibbles = o.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    const bytes = new Uint8Array(16);
    const hex = nibbles.reverse();
    for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex[2 * i]! + hex[2 * i + 1]!, 16);
    return formatIpv6(bytes, 0);
  }
  return undefined;
}
