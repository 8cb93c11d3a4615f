#!/usr/bin/env node
// Generates the capture fixtures in fixtures/ deterministically.
//
//   node scripts/make-fixtures.mjs
//
// No dependencies beyond node: built-ins. Every "random" value comes from a
// seeded xorshift generator, so running the script twice gives byte-identical
// files. See fixtures/README.md for what each file contains.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'fixtures');

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

/** xorshift32 generator with a fixed seed; all fixture "randomness" comes from here. */
function createRng(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  // Stir the state so nearby seeds do not start with similar outputs.
  for (let i = 0; i < 16; i++) next();
  return {
    u32: next,
    /** Integer in [lo, hi]. */
    int: (lo, hi) => lo + (next() % (hi - lo + 1)),
    /** Float in [0, 1). */
    float: () => next() / 4294967296,
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

const rng = createRng(0x9c4f_2026);

/** A duration of about `seconds`, varied by +-8% so timestamps look measured. */
const about = (seconds) => seconds * (0.92 + 0.16 * rng.float());

// ---------------------------------------------------------------------------
// Byte helpers
// ---------------------------------------------------------------------------

const toBuf = (part) => (Buffer.isBuffer(part) ? part : typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part));
const cat = (...parts) => Buffer.concat(parts.map(toBuf));
const u8 = (v) => Buffer.from([v & 0xff]);
const be16 = (v) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
};
const be24 = (v) => Buffer.from([(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const be32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};
const le64 = (v) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};

function parseMac(text) {
  const parts = text.split(':');
  if (parts.length !== 6) throw new Error(`bad MAC ${text}`);
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}

function parseIp4(text) {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 ${text}`);
  return Buffer.from(parts);
}

function parseIp6(text) {
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`bad IPv6 ${text}`);
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array(fill).fill('0'), ...tail];
  if (groups.length !== 8) throw new Error(`bad IPv6 ${text}`);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Link-local address derived from a MAC (modified EUI-64). */
function eui64(prefix, mac) {
  const iid = Buffer.from([mac[0] ^ 0x02, mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]]);
  const out = parseIp6(prefix);
  iid.copy(out, 8);
  return out;
}

// ---------------------------------------------------------------------------
// Checksums
// ---------------------------------------------------------------------------

/** Unfolded one's-complement sum of 16-bit big-endian words (odd byte padded with zero). */
function wordSum(buf, start = 0) {
  let sum = start;
  const end = buf.length - (buf.length % 2);
  for (let i = 0; i < end; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2) sum += buf[buf.length - 1] << 8;
  return sum;
}

function finishChecksum(sum) {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

function pseudoHeaderSum(src, dst, proto, length) {
  if (src.length === 4) return wordSum(cat(src, dst, [0, proto], be16(length)));
  return wordSum(cat(src, dst, be32(length), [0, 0, 0, proto]));
}

/** Checksum of a transport segment whose checksum field (at `offset`) is zero, with pseudo-header. */
function fillTransportChecksum(segment, offset, src, dst, proto, zeroMeansNone = false) {
  let sum = finishChecksum(wordSum(segment, pseudoHeaderSum(src, dst, proto, segment.length)));
  if (zeroMeansNone && sum === 0) sum = 0xffff;
  segment.writeUInt16BE(sum, offset);
  return segment;
}

// ---------------------------------------------------------------------------
// Protocol builders (layer 2 .. 4)
// ---------------------------------------------------------------------------

const ETH_IPV4 = 0x0800;
const ETH_ARP = 0x0806;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMPV6 = 58;
const BROADCAST_MAC = parseMac('ff:ff:ff:ff:ff:ff');

function ethernet({ dst, src, type, payload, vlan = null, pad = false }) {
  const header = vlan
    ? cat(dst, src, be16(ETH_VLAN), be16(((vlan.pcp ?? 0) << 13) | vlan.id), be16(type))
    : cat(dst, src, be16(type));
  const frame = cat(header, payload);
  // Frames that went over the wire from another station carry the zero padding
  // up to the 60-byte minimum; frames captured on the sending host do not.
  return pad && frame.length < 60 ? cat(frame, Buffer.alloc(60 - frame.length)) : frame;
}

function ipv4Header({ src, dst, proto, ttl, id, df = true, tos = 0, payloadLength }) {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h[1] = tos;
  h.writeUInt16BE(20 + payloadLength, 2);
  h.writeUInt16BE(id & 0xffff, 4);
  h.writeUInt16BE(df ? 0x4000 : 0, 6);
  h[8] = ttl;
  h[9] = proto;
  src.copy(h, 12);
  dst.copy(h, 16);
  h.writeUInt16BE(finishChecksum(wordSum(h)), 10);
  return h;
}

function ipv6Header({ src, dst, next, hopLimit, flowLabel = 0, payloadLength }) {
  const h = Buffer.alloc(40);
  h.writeUInt32BE((6 << 28) | (flowLabel & 0xfffff));
  h.writeUInt16BE(payloadLength, 4);
  h[6] = next;
  h[7] = hopLimit;
  src.copy(h, 8);
  dst.copy(h, 24);
  return h;
}

function udp(src, dst, sport, dport, payload) {
  const seg = cat(be16(sport), be16(dport), be16(8 + payload.length), be16(0), payload);
  return fillTransportChecksum(seg, 6, src, dst, IPPROTO_UDP, true);
}

const TCP_FLAG_BITS = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

function tcpSegment(src, dst, { sport, dport, seq, ack, flags, window, options, payload }) {
  if (options.length % 4) throw new Error('TCP options must be padded to 32 bits');
  const headerLength = 20 + options.length;
  const h = Buffer.alloc(headerLength);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE(ack >>> 0, 8);
  h[12] = (headerLength / 4) << 4;
  h[13] = [...flags].reduce((bits, f) => bits | TCP_FLAG_BITS[f], 0);
  h.writeUInt16BE(window, 14);
  options.copy(h, 20);
  return fillTransportChecksum(cat(h, payload), 16, src, dst, IPPROTO_TCP);
}

function icmp4(type, code, rest, data) {
  const msg = cat([type, code, 0, 0], rest, data);
  msg.writeUInt16BE(finishChecksum(wordSum(msg)), 2);
  return msg;
}

function icmp6(src, dst, type, code, body) {
  return fillTransportChecksum(cat([type, code, 0, 0], body), 2, src, dst, IPPROTO_ICMPV6);
}

function arp({ op, senderMac, senderIp, targetMac, targetIp }) {
  return cat(be16(1), be16(ETH_IPV4), [6, 4], be16(op), senderMac, senderIp, targetMac, targetIp);
}

/** 56-byte payload as sent by Linux iputils ping: struct timeval (64-bit, LE) then 0x10, 0x11, ... */
function linuxPingPayload(absNs) {
  const sec = absNs / 1_000_000_000n;
  const usec = (absNs % 1_000_000_000n) / 1000n;
  const pattern = Buffer.alloc(40);
  for (let i = 0; i < 40; i++) pattern[i] = 0x10 + i;
  return cat(le64(sec), le64(usec), pattern);
}

// ---------------------------------------------------------------------------
// Application-layer builders
// ---------------------------------------------------------------------------

const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, AAAA: 28 };

/** DNS message writer with RFC 1035 name compression. */
class DnsWriter {
  constructor() {
    this.buf = Buffer.alloc(1500);
    this.pos = 0;
    this.suffixes = new Map();
  }
  u16(v) {
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }
  u32(v) {
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b) {
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
  name(fqdn) {
    const labels = fqdn.split('.').filter(Boolean);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const known = this.suffixes.get(suffix);
      if (known !== undefined) {
        this.u16(0xc000 | known);
        return;
      }
      if (this.pos < 0x3fff) this.suffixes.set(suffix, this.pos);
      const label = Buffer.from(labels[i], 'ascii');
      this.bytes(cat([label.length], label));
    }
    this.bytes(Buffer.from([0]));
  }
  record({ name, type, ttl, data }) {
    this.name(name);
    this.u16(DNS_TYPE[type]);
    this.u16(1); // class IN
    this.u32(ttl);
    const lengthAt = this.pos;
    this.u16(0);
    switch (type) {
      case 'A':
        this.bytes(parseIp4(data));
        break;
      case 'AAAA':
        this.bytes(parseIp6(data));
        break;
      case 'CNAME':
      case 'NS':
        this.name(data);
        break;
      case 'SOA':
        this.name(data.mname);
        this.name(data.rname);
        for (const v of [data.serial, data.refresh, data.retry, data.expire, data.minimum]) this.u32(v);
        break;
      default:
        throw new Error(`unsupported RR type ${type}`);
    }
    this.buf.writeUInt16BE(this.pos - lengthAt - 2, lengthAt);
  }
  result() {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

function dnsMessage({ id, flags, qname, qtype, answers = [], authority = [] }) {
  const w = new DnsWriter();
  for (const v of [id, flags, 1, answers.length, authority.length, 0]) w.u16(v);
  w.name(qname);
  w.u16(DNS_TYPE[qtype]);
  w.u16(1);
  for (const rr of answers) w.record(rr);
  for (const rr of authority) w.record(rr);
  return w.result();
}

const DHCP = { DISCOVER: 1, OFFER: 2, REQUEST: 3, ACK: 5 };

function dhcpMessage({ op, xid, secs = 0, broadcast = true, ciaddr = '0.0.0.0', yiaddr = '0.0.0.0', siaddr = '0.0.0.0', chaddr, options }) {
  const fixed = cat(
    [op, 1, 6, 0],
    be32(xid),
    be16(secs),
    be16(broadcast ? 0x8000 : 0),
    parseIp4(ciaddr),
    parseIp4(yiaddr),
    parseIp4(siaddr),
    parseIp4('0.0.0.0'),
    chaddr,
    Buffer.alloc(10), // rest of the 16-byte chaddr field
    Buffer.alloc(64), // sname
    Buffer.alloc(128), // file
    [0x63, 0x82, 0x53, 0x63], // magic cookie
  );
  const opts = options.map(([code, value]) => cat([code, value.length], value));
  const msg = cat(fixed, ...opts, [255]);
  // BOOTP messages are padded to at least 300 bytes (RFC 1542).
  return msg.length < 300 ? cat(msg, Buffer.alloc(300 - msg.length)) : msg;
}

const NTP_EPOCH_OFFSET = 2_208_988_800n;

function ntpTimestamp(absNs) {
  const sec = absNs / 1_000_000_000n + NTP_EPOCH_OFFSET;
  const frac = ((absNs % 1_000_000_000n) << 32n) / 1_000_000_000n;
  return cat(be32(Number(sec & 0xffffffffn)), be32(Number(frac)));
}

// TLS ---------------------------------------------------------------------

const tlsRecord = (type, version, body) => cat([type], be16(version), be16(body.length), body);
const tlsHandshake = (type, body) => cat([type], be24(body.length), body);
const tlsExt = (type, data) => cat(be16(type), be16(data.length), data);
const vec16 = (data) => cat(be16(data.length), data);
const vec8 = (data) => cat([data.length], data);

function clientHello({ random, sessionId, keyShare, serverName, alpnNames = ['h2', 'http/1.1'] }) {
  const ciphers = [0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const host = Buffer.from(serverName, 'latin1');
  const alpn = cat(...alpnNames.map((n) => vec8(Buffer.from(n, 'latin1'))));
  const extensions = cat(
    tlsExt(0x0000, vec16(cat([0], vec16(host)))), // server_name
    tlsExt(0x0017, Buffer.alloc(0)), // extended_master_secret
    tlsExt(0xff01, Buffer.from([0])), // renegotiation_info
    tlsExt(0x000a, vec16(cat(be16(0x001d), be16(0x0017), be16(0x0018), be16(0x0019)))), // supported_groups
    tlsExt(0x000b, vec8(Buffer.from([0]))), // ec_point_formats
    tlsExt(0x0023, Buffer.alloc(0)), // session_ticket
    tlsExt(0x0010, vec16(alpn)), // ALPN
    tlsExt(0x0005, Buffer.from([1, 0, 0, 0, 0])), // status_request (OCSP)
    tlsExt(0x0033, vec16(cat(be16(0x001d), vec16(keyShare)))), // key_share
    tlsExt(0x002b, vec8(cat(be16(0x0304), be16(0x0303)))), // supported_versions
    tlsExt(
      0x000d,
      vec16(cat(...[0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601].map(be16))),
    ), // signature_algorithms
    tlsExt(0x002d, vec8(Buffer.from([1]))), // psk_key_exchange_modes: psk_dhe_ke
    tlsExt(0x001c, be16(0x4001)), // record_size_limit
  );
  const body = cat(be16(0x0303), random, vec8(sessionId), vec16(cat(...ciphers.map(be16))), vec8(Buffer.from([0])), vec16(extensions));
  return tlsRecord(22, 0x0301, tlsHandshake(1, body));
}

function serverHello({ random, sessionId, keyShare }) {
  const extensions = cat(
    tlsExt(0x002b, be16(0x0304)), // supported_versions: TLS 1.3
    tlsExt(0x0033, cat(be16(0x001d), vec16(keyShare))), // key_share
  );
  const body = cat(be16(0x0303), random, vec8(sessionId), be16(0x1301), [0], vec16(extensions));
  return tlsRecord(22, 0x0303, tlsHandshake(2, body));
}

const tlsChangeCipherSpec = () => tlsRecord(20, 0x0303, Buffer.from([1]));
/** Opaque TLS 1.3 record (encrypted content, outer type application_data). */
const tlsAppData = (length) => tlsRecord(23, 0x0303, rng.bytes(length));

// ---------------------------------------------------------------------------
// Hosts
// ---------------------------------------------------------------------------

function makeHost({ name, mac, ip, ttl = 64, client = false, via = null, ip6 = null, ll6 = null, fixedId = null }) {
  return {
    name,
    mac: via ? via.mac : parseMac(mac), // hosts beyond the gateway appear with the gateway's MAC
    ownMac: mac ? parseMac(mac) : null,
    ip: ip ? parseIp4(ip) : null,
    ip6: ip6 ? parseIp6(ip6) : null,
    ll6: ll6 ?? (mac ? eui64('fe80::', parseMac(mac)) : null),
    ttl,
    client,
    nextId: fixedId ?? rng.int(0x0400, 0xefff),
    fixedId,
  };
}

function takeIpId(host) {
  if (host.fixedId !== null) return host.fixedId;
  const id = host.nextId;
  host.nextId = (host.nextId + 1) & 0xffff;
  return id;
}

const gateway = makeHost({ name: 'gateway', mac: '00:1b:21:00:00:01', ip: '192.168.1.1' }); // Intel; also DHCP server
const dnsServer = makeHost({ name: 'dns', mac: '00:14:22:a0:35:53', ip: '192.168.1.53' }); // Dell server
const alice = makeHost({ name: 'alice', mac: '3c:22:fb:1a:2b:3c', ip: '192.168.1.101', client: true }); // Apple
alice.ip6 = eui64('2001:db8:1::', alice.ownMac);
// alice before DHCP has given her an address (the DHCP client sends IP ID 0).
const aliceUnconfigured = makeHost({ name: 'alice-dhcp', mac: '3c:22:fb:1a:2b:3c', ip: '0.0.0.0', client: true, fixedId: 0 });
const bob = makeHost({ name: 'bob', mac: '00:14:22:5e:81:07', ip: '192.168.1.102', client: true }); // Dell
const carol = makeHost({ name: 'carol', mac: '8c:8d:28:3a:9c:44', ip: '192.168.1.103', client: true }); // Intel
const dave = makeHost({ name: 'dave', mac: 'b8:27:eb:41:d2:0e', ip: '192.168.1.104', client: true }); // Raspberry Pi
const phone = makeHost({ name: 'phone', mac: '00:1a:a1:7c:02:19', ip: '192.168.20.40', client: true }); // Cisco IP phone, voice VLAN 20
const gatewayVlan20 = makeHost({ name: 'gateway-vlan20', mac: '00:1b:21:00:00:01', ip: '192.168.20.1' });
const broadcastHost = { mac: BROADCAST_MAC, ip: parseIp4('255.255.255.255') };

const www = makeHost({ name: 'www.example.com', ip: '198.51.100.10', ttl: 52, via: gateway });
const pingTarget = makeHost({ name: 'ping', ip: '203.0.113.5', ttl: 55, via: gateway });
const cdn = makeHost({ name: 'cdn', ip: '203.0.113.17', ttl: 54, via: gateway });
const udpProbeTarget = makeHost({ name: 'probe', ip: '203.0.113.99', ttl: 51, via: gateway });
const v6Server = makeHost({ name: 'v6', ip6: '2001:db8::1', ttl: 52, via: gateway });

// ---------------------------------------------------------------------------
// Capture assembly
// ---------------------------------------------------------------------------

const CAPTURE_START_NS = BigInt(Date.UTC(2026, 2, 14, 9, 26, 53)) * 1_000_000n + 589_793_238n;
const absTime = (t) => CAPTURE_START_NS + BigInt(Math.round(t * 1e9));

/**
 * Pending packets. Frames are built lazily, after sorting by time, so that
 * per-host IPv4 identification counters increase in capture order.
 */
const pending = [];
function emit(t, build, meta = {}) {
  pending.push({ ns: absTime(t), build, order: pending.length, ...meta });
}

function buildCapture() {
  pending.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.order - b.order));
  return pending.map((p) => ({ ns: p.ns, data: p.build(), comment: p.comment, flags: p.flags }));
}

/** IPv4 datagram in an Ethernet frame, from `from` to `to`; IP ID assigned at build time. */
function ip4Frame(from, to, proto, l4, { df = true, tos = 0, ttl = from.ttl, dstMac = to.mac, vlan = null, onBuild } = {}) {
  const id = takeIpId(from);
  const header = ipv4Header({ src: from.ip, dst: to.ip, proto, ttl, id, df, tos, payloadLength: l4.length });
  if (onBuild) onBuild(header);
  return ethernet({ dst: dstMac, src: from.mac, type: ETH_IPV4, payload: cat(header, l4), vlan, pad: !from.client });
}

function sendUdp(t, from, to, sport, dport, payload, opts = {}) {
  emit(t, () => ip4Frame(from, to, IPPROTO_UDP, udp(from.ip, to.ip, sport, dport, payload), opts), opts.meta);
}

function sendIp6(t, from, to, { src, dst, dstMac, hopLimit, flowLabel = 0, body }) {
  emit(t, () =>
    ethernet({
      dst: dstMac ?? to.mac,
      src: from.mac,
      type: ETH_IPV6,
      payload: cat(ipv6Header({ src, dst, next: IPPROTO_ICMPV6, hopLimit, flowLabel, payloadLength: body.length }), body),
      pad: !from.client,
    }),
  );
}

function sendArp(t, from, { op, dstMac, targetMac, targetIp }, meta) {
  emit(
    t,
    () =>
      ethernet({
        dst: dstMac,
        src: from.mac,
        type: ETH_ARP,
        payload: arp({ op, senderMac: from.mac, senderIp: from.ip, targetMac, targetIp: targetIp.ip }),
        pad: !from.client,
      }),
    meta,
  );
}

/** A TCP connection with Linux-like behaviour: timestamps, window scaling, consistent seq/ack. */
class TcpConnection {
  constructor(client, server, { sport, dport, clientWscale = 7, serverWscale = 7, timestamps = true }) {
    this.timestamps = timestamps;
    this.ends = {
      c: { host: client, peer: 'server', port: sport, seq: rng.u32(), wscale: clientWscale, tsBase: rng.u32() >>> 1, tsRecent: 0, window: 64256 },
      s: { host: server, peer: 'client', port: dport, seq: rng.u32(), wscale: serverWscale, tsBase: rng.u32() >>> 1, tsRecent: 0, window: 65160 },
    };
  }

  /**
   * Send one segment from side `who` ('c' or 's') at time t (seconds from capture start).
   * flags: any of S, A, P, F, R. The ack number is the peer's next sequence number.
   */
  send(t, who, flags, payload = Buffer.alloc(0), { plainOptions = false, window } = {}) {
    const me = this.ends[who];
    const peer = this.ends[who === 'c' ? 's' : 'c'];
    const syn = flags.includes('S');
    const tsval = (me.tsBase + Math.floor(t * 1000)) >>> 0;
    let options = Buffer.alloc(0);
    if (syn) {
      options = cat([2, 4], be16(1460), [4, 2]);
      options = this.timestamps ? cat(options, [8, 10], be32(tsval), be32(me.tsRecent)) : cat(options, [1, 1]);
      options = cat(options, [1, 3, 3, me.wscale]);
    } else if (this.timestamps && !plainOptions) {
      options = cat([1, 1, 8, 10], be32(tsval), be32(me.tsRecent));
    }
    const win = window ?? (syn ? Math.min(me.window, 65535) : me.window >> me.wscale);
    const segment = tcpSegment(me.host.ip, peer.host.ip, {
      sport: me.port,
      dport: peer.port,
      seq: me.seq,
      ack: flags.includes('A') ? peer.seq : 0,
      flags,
      window: win,
      options,
      payload,
    });
    me.seq = (me.seq + payload.length + (syn ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0;
    if (this.timestamps && options.length) peer.tsRecent = tsval;
    const from = me.host;
    const to = peer.host;
    emit(t, () => ip4Frame(from, to, IPPROTO_TCP, segment));
  }
}

// ---------------------------------------------------------------------------
// Traffic: small office
// ---------------------------------------------------------------------------

const ZONE_SOA = {
  'example.com': { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2026031101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 },
  'example.net': { mname: 'ns1.example.net', rname: 'hostmaster.example.net', serial: 2026020901, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 },
  'example.org': { mname: 'ns1.example.org', rname: 'hostmaster.example.org', serial: 2026030402, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 },
  'office.example': { mname: 'ns.office.example', rname: 'admin.office.example', serial: 2026031401, refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
};
const zoneOf = (name) => Object.keys(ZONE_SOA).find((z) => name === z || name.endsWith(`.${z}`));

/** The local resolver's view of the world. */
const DNS_DATA = {
  'www.example.com': { A: ['198.51.100.10'], AAAA: ['2001:db8:10::10'], ttl: 3600 },
  'api.example.com': { A: ['198.51.100.20'], AAAA: ['2001:db8:10::20'], ttl: 300 },
  'login.example.com': { A: ['198.51.100.30'], AAAA: ['2001:db8:10::30'], ttl: 300 },
  'ocsp.example.com': { A: ['198.51.100.44'], AAAA: [], ttl: 1800 },
  'cdn.example.net': {
    chain: ['cdn-lb.example.net', 'edge-fra.cdn-lb.example.net'],
    A: ['203.0.113.17', '203.0.113.18'],
    AAAA: ['2001:db8:cd::17', '2001:db8:cd::18'],
    ttl: 60,
  },
  'images.example.net': { A: ['203.0.113.41', '203.0.113.42'], AAAA: [], ttl: 600 },
  'fonts.example.net': { A: ['203.0.113.40'], AAAA: ['2001:db8:cd::40'], ttl: 86400 },
  'mail.example.org': { A: ['203.0.113.25'], AAAA: ['2001:db8:25::25'], ttl: 3600 },
  'update.example.org': { A: ['203.0.113.60'], AAAA: [], ttl: 900 },
  'intranet.office.example': { A: ['192.168.1.20'], AAAA: [], ttl: 300, local: true },
  'calendar.office.example': { A: ['192.168.1.21'], AAAA: [], ttl: 300, local: true },
  'files.office.example': { A: ['192.168.1.22'], AAAA: [], ttl: 300, local: true },
  'printer.office.example': { A: ['192.168.1.30'], AAAA: [], ttl: 300, local: true },
  'static.example.com': { A: ['198.51.100.12'], AAAA: ['2001:db8:10::12'], ttl: 3600 },
  'status.example.net': { A: ['203.0.113.80'], AAAA: [], ttl: 120 },
  'chat.example.org': { A: ['203.0.113.90', '203.0.113.91'], AAAA: ['2001:db8:25::90'], ttl: 300 },
};

/** Answer section for a query, following any CNAME chain. */
function dnsAnswer(qname, qtype) {
  const entry = DNS_DATA[qname];
  if (!entry) return { rcode: 3, answers: [], authority: [{ name: zoneOf(qname), type: 'SOA', ttl: 300, data: ZONE_SOA[zoneOf(qname)] }] };
  const answers = [];
  let owner = qname;
  for (const target of entry.chain ?? []) {
    answers.push({ name: owner, type: 'CNAME', ttl: entry.ttl, data: target });
    owner = target;
  }
  for (const addr of entry[qtype]) answers.push({ name: owner, type: qtype, ttl: entry.ttl, data: addr });
  const authority = entry[qtype].length ? [] : [{ name: zoneOf(qname), type: 'SOA', ttl: ZONE_SOA[zoneOf(qname)].minimum, data: ZONE_SOA[zoneOf(qname)] }];
  return { rcode: 0, answers, authority, local: !!entry.local };
}

/**
 * A glibc-style lookup: A and AAAA queries from one socket, answered by the local resolver.
 * Returns the time of the last response.
 */
function dnsLookup(t, client, qname, { types = ['A', 'AAAA'], upstreamDelay = 0, firstMeta } = {}) {
  const sport = rng.int(32768, 60999);
  let last = t;
  let qt = t;
  types.forEach((qtype, i) => {
    const id = rng.int(1, 0xffff);
    const query = dnsMessage({ id, flags: 0x0100, qname, qtype });
    sendUdp(qt, client, dnsServer, sport, 53, query, { meta: i === 0 ? firstMeta : undefined });
    const { rcode, answers, authority, local } = dnsAnswer(qname, qtype);
    // QR, RD, RA (+AA for the office zone) and the response code.
    const flags = 0x8180 | (local || zoneOf(qname) === 'office.example' ? 0x0400 : 0) | rcode;
    const response = dnsMessage({ id, flags, qname, qtype, answers, authority });
    const rt = qt + (upstreamDelay ? about(upstreamDelay) : about(0.00035));
    sendUdp(rt, dnsServer, client, 53, sport, response);
    last = Math.max(last, rt);
    qt += about(0.00008);
  });
  return last;
}

function dhcpExchange(t0) {
  const xid = rng.u32();
  const mac = alice.ownMac;
  const clientId = cat([1], mac);
  const hostname = Buffer.from('alice-laptop');
  const paramList = Buffer.from([1, 3, 6, 15, 28, 51, 58, 59, 119]);
  const serverOptions = (type) => [
    [53, Buffer.from([type])],
    [54, gateway.ip],
    [51, be32(86400)],
    [58, be32(43200)],
    [59, be32(75600)],
    [1, parseIp4('255.255.255.0')],
    [28, parseIp4('192.168.1.255')],
    [3, gateway.ip],
    [6, dnsServer.ip],
    [15, Buffer.from('office.example')],
  ];
  const discover = dhcpMessage({
    op: 1,
    xid,
    chaddr: mac,
    options: [[53, Buffer.from([DHCP.DISCOVER])], [61, clientId], [57, be16(1500)], [12, hostname], [55, paramList]],
  });
  const offer = dhcpMessage({ op: 2, xid, yiaddr: '192.168.1.101', siaddr: '192.168.1.1', chaddr: mac, options: serverOptions(DHCP.OFFER) });
  const request = dhcpMessage({
    op: 1,
    xid,
    secs: 1,
    chaddr: mac,
    options: [
      [53, Buffer.from([DHCP.REQUEST])],
      [61, clientId],
      [50, parseIp4('192.168.1.101')],
      [54, gateway.ip],
      [57, be16(1500)],
      [12, hostname],
      [55, paramList],
    ],
  });
  const ack = dhcpMessage({ op: 2, xid, yiaddr: '192.168.1.101', siaddr: '192.168.1.1', chaddr: mac, options: serverOptions(DHCP.ACK) });

  let t = t0;
  sendUdp(t, aliceUnconfigured, broadcastHost, 68, 67, discover, { df: false, tos: 0x10, meta: { flags: 2 } });
  t += about(0.0021);
  sendUdp(t, gateway, broadcastHost, 67, 68, offer, { df: false, tos: 0xc0, meta: { flags: 1 } });
  t += about(0.039);
  sendUdp(t, aliceUnconfigured, broadcastHost, 68, 67, request, { df: false, tos: 0x10 });
  t += about(0.0018);
  sendUdp(t, gateway, broadcastHost, 67, 68, ack, { df: false, tos: 0xc0 });
  return t;
}

function arpExchange(t, asker, target, { unicast = false, meta = {} } = {}) {
  sendArp(t, asker, { op: 1, dstMac: unicast ? target.mac : BROADCAST_MAC, targetMac: unicast ? target.mac : Buffer.alloc(6), targetIp: target }, meta.request);
  const rt = t + about(0.00021);
  sendArp(rt, target, { op: 2, dstMac: asker.mac, targetMac: asker.mac, targetIp: asker }, meta.reply);
  return rt;
}

function neighbourDiscovery(t) {
  const target = gateway.ll6;
  const solicitedNode = Buffer.from(parseIp6('ff02::1:ff00:0'));
  target.copy(solicitedNode, 13, 13, 16);
  const multicastMac = cat([0x33, 0x33], solicitedNode.subarray(12, 16));
  const ns = icmp6(alice.ll6, solicitedNode, 135, 0, cat(be32(0), target, [1, 1], alice.mac));
  sendIp6(t, alice, gateway, { src: alice.ll6, dst: solicitedNode, dstMac: multicastMac, hopLimit: 255, body: ns });
  const na = icmp6(gateway.ll6, alice.ll6, 136, 0, cat(be32(0xe0000000), target, [2, 1], gateway.mac)); // Router, Solicited, Override
  const rt = t + about(0.00019);
  sendIp6(rt, gateway, alice, { src: gateway.ll6, dst: alice.ll6, hopLimit: 255, body: na });
  return rt;
}

function ping6(t) {
  const id = rng.int(1, 0xffff);
  const flow = rng.int(1, 0xfffff);
  const data = linuxPingPayload(absTime(t));
  const req = icmp6(alice.ip6, v6Server.ip6, 128, 0, cat(be16(id), be16(1), data));
  sendIp6(t, alice, gateway, { src: alice.ip6, dst: v6Server.ip6, hopLimit: 64, flowLabel: flow, body: req });
  const rep = icmp6(v6Server.ip6, alice.ip6, 129, 0, cat(be16(id), be16(1), data));
  const rt = t + about(0.0181);
  sendIp6(rt, v6Server, alice, { src: v6Server.ip6, dst: alice.ip6, hopLimit: 52, flowLabel: rng.int(1, 0xfffff), body: rep });
  return rt;
}

function pingSeries(t0, from, to, count) {
  const id = rng.int(1, 0xffff);
  let t = t0;
  for (let seq = 1; seq <= count; seq++) {
    const data = linuxPingPayload(absTime(t));
    const rest = cat(be16(id), be16(seq));
    emit(t, () => ip4Frame(from, to, IPPROTO_ICMP, icmp4(8, 0, rest, data)));
    const rt = t + about(0.0142);
    emit(rt, () => ip4Frame(to, from, IPPROTO_ICMP, icmp4(0, 0, rest, data), { df: false }));
    t += about(1.0003);
  }
}

function udpProbeUnreachable(t) {
  const sport = rng.int(40000, 60000);
  const probePayload = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) probePayload[i] = 0x40 + i;
  const datagram = udp(dave.ip, udpProbeTarget.ip, sport, 33434, probePayload);
  let probeHeader = null;
  emit(t, () => ip4Frame(dave, udpProbeTarget, IPPROTO_UDP, datagram, { df: false, onBuild: (h) => (probeHeader = h) }));
  const rt = t + about(0.0167);
  emit(rt, () => {
    // The destination quotes the datagram as it arrived (13 hops later), with a fixed-up header checksum.
    const quoted = Buffer.from(probeHeader);
    quoted[8] = dave.ttl - 13;
    quoted.writeUInt16BE(0, 10);
    quoted.writeUInt16BE(finishChecksum(wordSum(quoted)), 10);
    return ip4Frame(udpProbeTarget, dave, IPPROTO_ICMP, icmp4(3, 3, be32(0), cat(quoted, datagram)), { df: false, tos: 0xc0 });
  });
}

function ntpOverVlan(t) {
  const vlan = { id: 20, pcp: 0 };
  const clientTx = absTime(t);
  const request = cat([0x23, 0, 6, 0xec], be32(0), be32(0), be32(0), Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8), ntpTimestamp(clientTx));
  sendUdp(t, phone, gatewayVlan20, 123, 123, request, { vlan });
  const rt = t + about(0.00042);
  const serverRx = absTime(rt - 0.00003);
  const serverTx = absTime(rt - 0.00001);
  const reference = absTime(rt - 37.25);
  const response = cat(
    [0x24, 2, 6, 0xe8], // LI 0, VN 4, mode 4 (server); stratum 2; poll 6; precision -24
    be32(0x00000b3c), // root delay
    be32(0x00001a2f), // root dispersion
    parseIp4('203.0.113.123'), // reference id: upstream server
    ntpTimestamp(reference),
    ntpTimestamp(clientTx),
    ntpTimestamp(serverRx),
    ntpTimestamp(serverTx),
  );
  sendUdp(rt, gatewayVlan20, phone, 123, 123, response, { vlan });
}

const HTML_BODY = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Example Domain</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>
    body { background: #f0f0f2; margin: 0; padding: 0; font-family: system-ui, sans-serif; }
    div { width: 600px; margin: 5em auto; padding: 2em; background: #fdfdff; border-radius: 0.5em; }
    a:link, a:visited { color: #38488f; text-decoration: none; }
    @media (max-width: 700px) { div { margin: 0 auto; width: auto; } }
  </style>
</head>
<body>
<div>
  <h1>Example Domain</h1>
  <p>This domain is for use in illustrative examples in documents. You may use this
  domain in literature without prior coordination or asking for permission.</p>
  <p>This page was served to a small office network to produce a packet capture
  fixture for pcapviz. It is long enough that the HTTP response body does not fit in a
  single TCP segment, so the response is split over two segments and a dissector has to
  reassemble it using the Content-Length header.</p>
  <p>Office hours are Monday to Friday, 09:00 to 17:30. For help with the network, the
  printers or the shared calendar, please contact the office administrator.</p>
  <p><a href="https://www.iana.org/domains/example">More information...</a></p>
</div>
</body>
</html>
`;

function httpSession(t0) {
  const conn = new TcpConnection(alice, www, { sport: rng.int(32768, 60999), dport: 80 });
  const rtt = 0.0231;
  let t = t0;
  conn.send(t, 'c', 'S');
  t += about(rtt);
  conn.send(t, 's', 'SA');
  t += about(0.00006);
  conn.send(t, 'c', 'A');
  const request = [
    'GET / HTTP/1.1',
    'Host: www.example.com',
    'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:128.0) Gecko/20100101 Firefox/128.0',
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Accept-Language: en-US,en;q=0.5',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  t += about(0.00011);
  conn.send(t, 'c', 'PA', Buffer.from(request));
  t += about(rtt);
  conn.send(t, 's', 'A');
  const body = Buffer.from(HTML_BODY);
  const date = new Date(Number(absTime(t) / 1_000_000n)).toUTCString();
  const head = [
    'HTTP/1.1 200 OK',
    `Date: ${date}`,
    'Server: nginx',
    'Content-Type: text/html; charset=UTF-8',
    `Content-Length: ${body.length}`,
    'Last-Modified: Thu, 17 Oct 2019 07:18:26 GMT',
    'Cache-Control: max-age=604800',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  const response = cat(head, body);
  const mss = 1448; // 1460 minus the 12-byte timestamp option
  if (response.length <= mss) throw new Error('HTTP response should need two segments');
  t += about(0.0011);
  conn.send(t, 's', 'A', response.subarray(0, mss));
  t += about(0.00002);
  conn.send(t, 's', 'PA', response.subarray(mss));
  t += about(0.00005);
  conn.send(t, 'c', 'A');
  t += about(0.00012);
  conn.send(t, 's', 'FA');
  t += about(0.0004);
  conn.send(t, 'c', 'FA');
  t += about(rtt);
  conn.send(t, 's', 'A');
}

function refusedConnection(t) {
  const conn = new TcpConnection(bob, cdn, { sport: rng.int(32768, 60999), dport: 8080 });
  conn.send(t, 'c', 'S');
  conn.send(t + about(0.0158), 's', 'RA', Buffer.alloc(0), { plainOptions: true, window: 0 });
}

function tlsSession(t0, endAt) {
  const conn = new TcpConnection(alice, www, { sport: rng.int(32768, 60999), dport: 443 });
  const rtt = 0.0229;
  let t = t0;
  conn.send(t, 'c', 'S');
  t += about(rtt);
  conn.send(t, 's', 'SA');
  t += about(0.00005);
  conn.send(t, 'c', 'A');
  const sessionId = rng.bytes(32);
  t += about(0.0012);
  conn.send(t, 'c', 'PA', clientHello({ random: rng.bytes(32), sessionId, keyShare: rng.bytes(32), serverName: 'www.example.com' }));
  t += about(rtt);
  conn.send(t, 's', 'A');
  t += about(0.0016);
  const hello = cat(serverHello({ random: rng.bytes(32), sessionId, keyShare: rng.bytes(32) }), tlsChangeCipherSpec());
  conn.send(t, 's', 'A', cat(hello, tlsAppData(1448 - hello.length - 5))); // EncryptedExtensions + Certificate (part)
  t += about(0.00003);
  conn.send(t, 's', 'PA', cat(tlsAppData(786), tlsAppData(259))); // Certificate rest, CertificateVerify + Finished
  t += about(0.00004);
  conn.send(t, 'c', 'A');
  t += about(0.0031);
  // Client Finished, HTTP/2 preface + SETTINGS, then the HEADERS of the first request.
  conn.send(t, 'c', 'PA', cat(tlsChangeCipherSpec(), tlsAppData(53), tlsAppData(91), tlsAppData(246)));
  t += about(rtt);
  conn.send(t, 's', 'PA', cat(tlsAppData(238), tlsAppData(238), tlsAppData(43))); // session tickets, SETTINGS
  t += about(0.0061);
  conn.send(t, 's', 'A', tlsAppData(1443));
  t += about(0.00003);
  conn.send(t, 's', 'PA', tlsAppData(1219));
  t += about(0.00004);
  conn.send(t, 'c', 'A');
  t += about(0.00002);
  conn.send(t, 'c', 'PA', tlsAppData(31)); // SETTINGS ACK / WINDOW_UPDATE
  t += about(rtt);
  conn.send(t, 's', 'A');

  // Two more requests on the same HTTP/2 connection, a few seconds apart.
  // Each response is acknowledged after every second segment (Linux quick-ack).
  for (const [start, sizes] of [
    [t0 + 4.3107, [612, 1443, 488]],
    [t0 + 8.7702, [955]],
    [t0 + 12.9431, [1443, 1443, 1443, 1443, 1443, 706]],
  ]) {
    t = start;
    conn.send(t, 'c', 'PA', tlsAppData(rng.int(90, 140)));
    t += about(rtt + 0.004);
    sizes.forEach((size, i) => {
      const last = i === sizes.length - 1;
      conn.send(t, 's', last ? 'PA' : 'A', tlsAppData(size));
      t += about(0.00003);
      if (i % 2 === 1 && !last) {
        conn.send(t, 'c', 'A');
        t += about(0.00011);
      }
    });
    t += about(0.00003);
    conn.send(t, 'c', 'A');
  }
  // The browser tab is closed: the client aborts the connection.
  conn.send(endAt, 'c', 'RA');
}

/** A scheduled start time with sub-millisecond scatter, so timestamps are not suspiciously round. */
const jit = (t) => t + rng.float() * 0.0009;

function buildSmallOffice() {
  // alice's laptop joins the network: DHCP, ARP for the gateway, IPv6 neighbour discovery.
  let t = dhcpExchange(0);
  t = arpExchange(t + about(0.108), alice, gateway, { meta: { request: { flags: 2 }, reply: { flags: 1 } } });
  t = neighbourDiscovery(t + about(0.0094));
  ping6(t + about(0.0211));

  // First DNS lookup of the capture, then the HTTP page load.
  t = dnsLookup(jit(0.3204), alice, 'www.example.com', { upstreamDelay: 0.0262, firstMeta: { comment: 'first DNS query' } });
  httpSession(t + about(0.0004));
  dnsLookup(jit(0.6612), alice, 'fonts.example.net', { upstreamDelay: 0.0311 });

  pingSeries(jit(1.1027), carol, pingTarget, 3);

  t = arpExchange(jit(1.5493), bob, dnsServer);
  t = dnsLookup(t + about(0.0002), bob, 'cdn.example.net', { upstreamDelay: 0.0418 });
  refusedConnection(t + about(0.0009));

  // Long-lived HTTPS connection, aborted by the client near the end of the capture.
  tlsSession(jit(2.4418), jit(18.6631));
  dnsLookup(jit(2.4502), alice, 'api.example.com', { upstreamDelay: 0.0196 });
  dnsLookup(jit(3.1172), alice, 'static.example.com', { upstreamDelay: 0.0224 });
  dnsLookup(jit(3.8015), bob, 'images.example.net', { upstreamDelay: 0.0271 });
  dnsLookup(jit(4.6025), bob, 'status.example.net', { upstreamDelay: 0.0291 });
  dnsLookup(jit(5.0113), carol, 'chat.example.org', { upstreamDelay: 0.0357 });
  ntpOverVlan(jit(5.5123));
  dnsLookup(jit(6.0371), carol, 'mail.example.org', { upstreamDelay: 0.0334 });
  arpExchange(jit(6.9917), dave, gateway);
  dnsLookup(jit(7.3076), dave, 'intranet.office.example');
  dnsLookup(jit(7.9011), dave, 'wpad.office.example', { types: ['A'] }); // the NXDOMAIN
  dnsLookup(jit(8.4468), dave, 'printer.office.example');
  udpProbeUnreachable(jit(9.0446));
  dnsLookup(jit(9.8119), carol, 'login.example.com', { upstreamDelay: 0.0213 });
  dnsLookup(jit(10.6139), bob, 'chat.example.org');
  arpExchange(jit(11.0381), gateway, carol, { unicast: true });
  dnsLookup(jit(11.4072), alice, 'api.example.com');
  dnsLookup(jit(12.0307), alice, 'static.example.com');
  dnsLookup(jit(12.5561), dave, 'files.office.example');
  dnsLookup(jit(13.2804), carol, 'update.example.org', { upstreamDelay: 0.0452 });
  dnsLookup(jit(14.0096), bob, 'calendar.office.example');
  dnsLookup(jit(14.8842), dave, 'printer.office.example');
  arpExchange(jit(15.1377), gateway, bob, { unicast: true });
  dnsLookup(jit(15.7383), carol, 'ocsp.example.com', { upstreamDelay: 0.0187 });
  dnsLookup(jit(16.4119), bob, 'www.example.com');
  dnsLookup(jit(16.9954), carol, 'status.example.net');
  arpExchange(jit(17.2208), dnsServer, dave, { unicast: true });
  dnsLookup(jit(18.1046), dave, 'mail.example.org');
  arpExchange(jit(19.2031), gateway, alice, { unicast: true });
  dnsLookup(jit(19.6632), alice, 'cdn.example.net', { upstreamDelay: 0.0388 });

  return buildCapture();
}

// ---------------------------------------------------------------------------
// File writers
// ---------------------------------------------------------------------------

const pad4 = (buf) => (buf.length % 4 ? cat(buf, Buffer.alloc(4 - (buf.length % 4))) : buf);

/** Endian-aware integer encoders for pcapng / pcap. */
function encoder(littleEndian) {
  const u16 = (v) => {
    const b = Buffer.alloc(2);
    littleEndian ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
    return b;
  };
  const u32 = (v) => {
    const b = Buffer.alloc(4);
    littleEndian ? b.writeUInt32LE(v >>> 0) : b.writeUInt32BE(v >>> 0);
    return b;
  };
  const u64 = (v) => {
    const b = Buffer.alloc(8);
    littleEndian ? b.writeBigUInt64LE(BigInt(v)) : b.writeBigUInt64BE(BigInt(v));
    return b;
  };
  return { u16, u32, u64 };
}

/** pcapng writer for one or more sections. */
class PcapngWriter {
  constructor() {
    this.blocks = [];
  }
  block(type, body) {
    const padded = pad4(body);
    const total = padded.length + 12;
    this.blocks.push(cat(this.e.u32(type), this.e.u32(total), padded, this.e.u32(total)));
  }
  /** Options list: [code, Buffer] pairs, terminated by opt_endofopt. Empty list: no options at all. */
  options(list) {
    const present = list.filter(([, value]) => value !== undefined && value !== null);
    if (!present.length) return Buffer.alloc(0);
    return cat(...present.map(([code, value]) => cat(this.e.u16(code), this.e.u16(value.length), pad4(value))), this.e.u16(0), this.e.u16(0));
  }
  section({ littleEndian, userAppl, os, hardware }) {
    this.e = encoder(littleEndian);
    this.interfaces = [];
    const opts = this.options([
      [2, hardware && Buffer.from(hardware)],
      [3, os && Buffer.from(os)],
      [4, userAppl && Buffer.from(userAppl)],
    ]);
    this.block(0x0a0d0d0a, cat(this.e.u32(0x1a2b3c4d), this.e.u16(1), this.e.u16(0), this.e.u64(0xffffffffffffffffn), opts));
  }
  /** tsresol: pcapng if_tsresol byte. Returns the interface id. */
  iface({ linkType, snaplen, name, description, tsresol }) {
    const opts = this.options([
      [2, name && Buffer.from(name)],
      [3, description && Buffer.from(description)],
      [9, Buffer.from([tsresol])],
    ]);
    this.block(1, cat(this.e.u16(linkType), this.e.u16(0), this.e.u32(snaplen), opts));
    this.interfaces.push({ tsresol, snaplen });
    return this.interfaces.length - 1;
  }
  ticks(ifId, ns) {
    const res = this.interfaces[ifId].tsresol;
    if (res & 0x80) return (ns << BigInt(res & 0x7f)) / 1_000_000_000n;
    const exp = 9 - res;
    return exp >= 0 ? ns / 10n ** BigInt(exp) : ns * 10n ** BigInt(-exp);
  }
  timestampWords(ifId, ns) {
    const t = this.ticks(ifId, ns);
    return cat(this.e.u32(Number(t >> 32n)), this.e.u32(Number(t & 0xffffffffn)));
  }
  packet(ifId, { ns, data, comment, flags }) {
    const captured = data.subarray(0, Math.min(data.length, this.interfaces[ifId].snaplen));
    const opts = this.options([
      [1, comment && Buffer.from(comment)],
      [2, flags !== undefined ? this.e.u32(flags) : undefined],
    ]);
    this.block(6, cat(this.e.u32(ifId), this.timestampWords(ifId, ns), this.e.u32(captured.length), this.e.u32(data.length), pad4(captured), opts));
  }
  nameResolution(entries) {
    const records = entries.map(({ addr, names }) => {
      const type = addr.length === 4 ? 1 : 2;
      const value = cat(addr, ...names.map((n) => cat(Buffer.from(n), [0])));
      return cat(this.e.u16(type), this.e.u16(value.length), pad4(value));
    });
    this.block(4, cat(...records, this.e.u16(0), this.e.u16(0)));
  }
  interfaceStatistics(ifId, ns, { startNs, endNs, received, dropped }) {
    const opts = this.options([
      [2, this.timestampWords(ifId, startNs)],
      [3, this.timestampWords(ifId, endNs)],
      [4, this.e.u64(received)],
      [5, this.e.u64(dropped)],
    ]);
    this.block(5, cat(this.e.u32(ifId), this.timestampWords(ifId, ns), opts));
  }
  custom(pen, data) {
    this.block(0x00000bad, cat(this.e.u32(pen), pad4(data)));
  }
  result() {
    return cat(...this.blocks);
  }
}

/** Classic libpcap file. nanos selects the a1b23c4d magic. */
function writePcap(packets, { littleEndian, nanos, snaplen, linkType = 1 }) {
  const e = encoder(littleEndian);
  const header = cat(e.u32(nanos ? 0xa1b23c4d : 0xa1b2c3d4), e.u16(2), e.u16(4), e.u32(0), e.u32(0), e.u32(snaplen), e.u32(linkType));
  const records = packets.map(({ ns, data }) => {
    const sec = ns / 1_000_000_000n;
    const frac = nanos ? ns % 1_000_000_000n : (ns % 1_000_000_000n) / 1000n;
    const captured = data.subarray(0, Math.min(data.length, snaplen));
    return cat(e.u32(Number(sec)), e.u32(Number(frac)), e.u32(captured.length), e.u32(data.length), captured);
  });
  return cat(header, ...records);
}

/** gzip with a fixed header (mtime 0, OS = Unix) so output does not depend on when/where it ran. */
function deterministicGzip(buf) {
  const gz = gzipSync(buf, { level: 9 });
  if (gz.readUInt32LE(4) !== 0) gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return gz;
}

// ---------------------------------------------------------------------------
// multi-interface.pcapng
// ---------------------------------------------------------------------------

function linuxCookedHeader(packetType, addr, protocol) {
  return cat(be16(packetType), be16(1), be16(6), addr, Buffer.alloc(2), be16(protocol));
}

function buildMultiInterface() {
  const w = new PcapngWriter();
  const base1 = BigInt(Date.UTC(2026, 2, 14, 9, 30, 0)) * 1_000_000n + 123_456_789n;
  const at = (base, seconds) => base + BigInt(Math.round(seconds * 1e9));

  // Section 1: little-endian, Ethernet (us) + Linux cooked (ns).
  w.section({ littleEndian: true, userAppl: 'pcapviz make-fixtures', os: 'Linux' });
  const eth0 = w.iface({ linkType: 1, snaplen: 262144, name: 'eth0', tsresol: 6 });
  const any = w.iface({ linkType: 113, snaplen: 262144, name: 'any', description: 'Pseudo-device that captures on all interfaces', tsresol: 9 });

  const host = makeHost({ name: 'ws', mac: '00:14:22:9b:10:6a', ip: '192.168.1.110', client: true });
  const ethFrames = [];
  const cookedPackets = [];

  // eth0: ARP for the gateway, then two pings to 198.51.100.10.
  ethFrames.push(
    ethernet({ dst: BROADCAST_MAC, src: host.mac, type: ETH_ARP, payload: arp({ op: 1, senderMac: host.mac, senderIp: host.ip, targetMac: Buffer.alloc(6), targetIp: gateway.ip }) }),
  );
  ethFrames.push(
    ethernet({ dst: host.mac, src: gateway.mac, type: ETH_ARP, payload: arp({ op: 2, senderMac: gateway.mac, senderIp: gateway.ip, targetMac: host.mac, targetIp: host.ip }), pad: true }),
  );
  const pingId = rng.int(1, 0xffff);
  for (let seq = 1; seq <= 2; seq++) {
    const data = linuxPingPayload(at(base1, seq * 0.9));
    const rest = cat(be16(pingId), be16(seq));
    const req = icmp4(8, 0, rest, data);
    const rep = icmp4(0, 0, rest, data);
    const id = takeIpId(host);
    ethFrames.push(ethernet({ dst: gateway.mac, src: host.mac, type: ETH_IPV4, payload: cat(ipv4Header({ src: host.ip, dst: www.ip, proto: IPPROTO_ICMP, ttl: 64, id, payloadLength: req.length }), req) }));
    ethFrames.push(
      ethernet({
        dst: host.mac,
        src: gateway.mac,
        type: ETH_IPV4,
        payload: cat(ipv4Header({ src: www.ip, dst: host.ip, proto: IPPROTO_ICMP, ttl: 52, id: takeIpId(www), df: false, payloadLength: rep.length }), rep),
        pad: true,
      }),
    );
  }

  // any (Linux cooked): DNS lookups from the same host, seen without Ethernet headers.
  const sport = rng.int(32768, 60999);
  for (const [qname, qtype] of [
    ['www.example.com', 'A'],
    ['www.example.com', 'AAAA'],
    ['mail.example.org', 'A'],
  ]) {
    const id = rng.int(1, 0xffff);
    const q = udp(host.ip, dnsServer.ip, sport, 53, dnsMessage({ id, flags: 0x0100, qname, qtype }));
    const { answers, authority } = dnsAnswer(qname, qtype);
    const r = udp(dnsServer.ip, host.ip, 53, sport, dnsMessage({ id, flags: 0x8180, qname, qtype, answers, authority }));
    cookedPackets.push(cat(linuxCookedHeader(4, host.mac, ETH_IPV4), ipv4Header({ src: host.ip, dst: dnsServer.ip, proto: IPPROTO_UDP, ttl: 64, id: takeIpId(host), payloadLength: q.length }), q));
    cookedPackets.push(cat(linuxCookedHeader(0, dnsServer.mac, ETH_IPV4), ipv4Header({ src: dnsServer.ip, dst: host.ip, proto: IPPROTO_UDP, ttl: 64, id: takeIpId(dnsServer), payloadLength: r.length }), r));
  }

  let t = 0;
  for (let i = 0; i < 6; i++) {
    w.packet(eth0, { ns: at(base1, t), data: ethFrames[i] });
    t += about(0.0003);
    w.packet(any, { ns: at(base1, t), data: cookedPackets[i] });
    t += about(0.45);
    if (i === 2) w.custom(32473, Buffer.from('pcapviz custom block: readers must skip this\n'));
  }

  // Section 2: big-endian, raw IPv4 with 2^-8 s timestamps, NRB and ISB.
  const base2 = BigInt(Date.UTC(2026, 2, 14, 9, 31, 0)) * 1_000_000n + 250_000_000n;
  w.section({ littleEndian: false, userAppl: 'pcapviz make-fixtures', os: 'Linux' });
  const tun0 = w.iface({ linkType: 101, snaplen: 65535, name: 'tun0', tsresol: 0x88 });
  w.nameResolution([
    { addr: parseIp4('10.8.0.6'), names: ['vpn-client.office.example'] },
    { addr: parseIp4('198.51.100.10'), names: ['www.example.com'] },
    { addr: parseIp6('2001:db8::1'), names: ['v6.example.com', 'ipv6.example.com'] },
  ]);
  const vpn = makeHost({ name: 'vpn', ip: '10.8.0.6', via: gateway });
  const pid = rng.int(1, 0xffff);
  const pdata = linuxPingPayload(at(base2, 0.5));
  const echoReq = icmp4(8, 0, cat(be16(pid), be16(1)), pdata);
  const echoRep = icmp4(0, 0, cat(be16(pid), be16(1)), pdata);
  const probe = udp(vpn.ip, www.ip, 43112, 33435, Buffer.alloc(32, 0x40));
  const probeHeader = ipv4Header({ src: vpn.ip, dst: www.ip, proto: IPPROTO_UDP, ttl: 1, id: takeIpId(vpn), df: false, payloadLength: probe.length });
  const router = parseIp4('10.8.0.1');
  const timeExceeded = icmp4(11, 0, be32(0), cat(probeHeader, probe));
  const raw2 = [
    [0.5, cat(ipv4Header({ src: vpn.ip, dst: www.ip, proto: IPPROTO_ICMP, ttl: 64, id: takeIpId(vpn), payloadLength: echoReq.length }), echoReq)],
    [0.5312, cat(ipv4Header({ src: www.ip, dst: vpn.ip, proto: IPPROTO_ICMP, ttl: 52, id: takeIpId(www), df: false, payloadLength: echoRep.length }), echoRep)],
    [1.75, cat(ipv4Header({ src: router, dst: vpn.ip, proto: IPPROTO_ICMP, ttl: 64, id: rng.int(1, 0xffff), df: false, tos: 0xc0, payloadLength: timeExceeded.length }), timeExceeded)],
  ];
  for (const [s, data] of raw2) w.packet(tun0, { ns: at(base2, s), data });
  w.interfaceStatistics(tun0, at(base2, 2.0), { startNs: at(base2, 0), endNs: at(base2, 2.0), received: 3n, dropped: 0n });
  return w.result();
}


// ---------------------------------------------------------------------------
// hostile-strings.pcap
// ---------------------------------------------------------------------------

/**
 * Text fields that try to break every output form: markup for HTML and SVG, Markdown emphasis,
 * links and table pipes, CSV formulas, terminal escape sequences. Each is carried where a
 * dissector turns it into text that reports show: a DNS name (and the address it resolves to,
 * so tables and graphs label a host with it), an HTTP Host, URI and User-Agent, a TLS server name.
 */
const HOSTILE = {
  dnsName: '<script>alert(1)</script>|*x*.[a](javascript:alert(2)).example',
  httpHost: '<img src=x onerror=alert(3)>',
  httpUri: '/<svg/onload=alert(4)>?q=`code`|=1+2',
  userAgent: '=HYPERLINK("http://e.invalid")\u001b[31mred\u001b[0m',
  sni: '"><b>sni</b>_[t](http://e.invalid)',
};

function buildHostileStrings() {
  const base = BigInt(Date.UTC(2026, 2, 14, 10, 0, 0)) * 1_000_000_000n;
  const client = makeHost({ name: 'client', mac: '3c:22:fb:1a:2b:3d', ip: '192.168.1.120', client: true });
  const server = makeHost({ name: 'server', ip: '198.51.100.66', ttl: 52, via: gateway });
  const packets = [];
  let t = 0;
  const push = (from, to, proto, l4) => {
    const data = ethernet({ dst: to === server ? gateway.mac : client.mac, src: from === server ? gateway.mac : client.mac, type: ETH_IPV4, payload: cat(ipv4Header({ src: from.ip, dst: to.ip, proto, ttl: from.ttl, id: takeIpId(from), payloadLength: l4.length }), l4), pad: true });
    packets.push({ ns: base + BigInt(Math.round(t * 1e9)), data });
    t += 0.01;
  };
  // DNS: the hostile name resolves to the server, so the name book labels it.
  const q = dnsMessage({ id: 0x4242, flags: 0x0100, qname: HOSTILE.dnsName, qtype: 'A' });
  const r = dnsMessage({ id: 0x4242, flags: 0x8180, qname: HOSTILE.dnsName, qtype: 'A', answers: [{ name: HOSTILE.dnsName, type: 'A', ttl: 60, data: '198.51.100.66' }] });
  push(client, dnsServer, IPPROTO_UDP, udp(client.ip, dnsServer.ip, 50000, 53, q));
  push(dnsServer, client, IPPROTO_UDP, udp(dnsServer.ip, client.ip, 53, 50000, r));
  // One TCP connection per application: handshake, one request, its answer, close.
  const connection = (sport, dport, request, response, peer = server, send = push) => {
    let cs = 1000;
    let ss = 5000;
    const seg = (from, flags, payload = Buffer.alloc(0)) => {
      const fromClient = from === client;
      const l4 = tcpSegment(from.ip, (fromClient ? peer : client).ip, { sport: fromClient ? sport : dport, dport: fromClient ? dport : sport, seq: fromClient ? cs : ss, ack: flags.includes('A') ? (fromClient ? ss : cs) : 0, flags, window: 64240, options: Buffer.alloc(0), payload });
      send(from, fromClient ? peer : client, IPPROTO_TCP, l4);
      const used = payload.length + (flags.includes('S') || flags.includes('F') ? 1 : 0);
      if (fromClient) cs += used;
      else ss += used;
    };
    seg(client, 'S');
    seg(peer, 'SA');
    seg(client, 'A');
    seg(client, 'PA', Buffer.from(request, 'latin1'));
    seg(peer, 'PA', Buffer.from(response, 'latin1'));
    seg(client, 'FA');
    seg(peer, 'FA');
    seg(client, 'A');
  };
  connection(50001, 80, `GET ${HOSTILE.httpUri} HTTP/1.1\r\nHost: ${HOSTILE.httpHost}\r\nUser-Agent: ${HOSTILE.userAgent}\r\n\r\n`, 'HTTP/1.1 404 <i>Not</i> Found\r\nContent-Length: 0\r\n\r\n');
  const hello = clientHello({ random: Buffer.alloc(32, 7), sessionId: Buffer.alloc(32, 9), keyShare: Buffer.alloc(32, 5), serverName: HOSTILE.sni });
  connection(50002, 443, hello.toString('latin1'), '');
  addHostileFields({ client, connection, packets, base });
  return packets;
}

/**
 * Byte strings (one character per byte) that no output may pass on as markup, syntax, a formula
 * or a terminal control: HTML and SVG elements and attributes, the end of a CDATA section and of
 * a comment, DOT's quotes, backslash, braces, edge operator and HTML-like labels, Markdown's
 * table pipe, code, link and emphasis, ANSI colour, title and clear-screen sequences, NUL and
 * other C0 and C1 controls (C1 as UTF-8), a bidi override (U+202E as UTF-8), and bytes that are
 * not UTF-8.
 */
const EVIL = {
  html: '<script>alert(1)</script>',
  attr: '"><img src=x onerror=alert(1)>',
  xml: ']]>-->',
  dot: '"\\{ }->label=<<b>x</b>>',
  md: '|`x`[x](javascript:alert(1))*_~',
  ansi: '\x1b[31mred\x1b]0;title\x07\x1b[2J',
  controls: '\x00\x01\x08\x7f\xc2\x85\xc2\x9b',
  bidi: '\xe2\x80\xaeevil',
  badUtf8: '\xff\xfe\xc3(',
};
/** What a spreadsheet would run as a formula when a cell starts with it. */
const FORMULA = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(1)', '\t=1+1', '\r=1+1'];
const ALL_EVIL = Object.values(EVIL).join(' ');

/** A DNS name from labels given as byte strings (no compression, any byte allowed). */
const rawDnsName = (labels) => cat(...labels.map((l) => vec8(Buffer.from(l, 'latin1'))), [0]);
const rawDnsRecord = (name, type, data) => cat(name, be16(type), be16(1), be32(300), vec16(data));
const berTlv = (tag, value) => {
  if (value.length > 0xff) throw new Error('BER value too long for this writer');
  return cat([tag], value.length < 0x80 ? [value.length] : [0x81, value.length], value);
};

/**
 * The packets after the first 18 of hostile-strings.pcap: every text field the dissector turns
 * into a value gets hostile bytes (DNS names of a question, CNAME, PTR and TXT; HTTP headers,
 * status phrase and a text body; TLS server name and ALPN; DHCP host name, vendor class and
 * domain; a NetBIOS name; SIP request URI and headers; syslog; SNMP community and a string
 * value; a TFTP file name; SSDP headers; SSH banners; Telnet data; LLDP, CDP and PPPoE discovery
 * text TLVs; RADIUS string attributes; SDP in SIP and RTSP; RTSP URL and headers; MNDP; LDAP
 * DNs, attribute names and messages; Kerberos realms, principal names and e-text; SMB and SMB2
 * share and file names).
 */
function addHostileFields({ client, connection, packets, base }) {
  let t = packets.length * 0.01;
  let nextId = 0x2000;
  const host = (name, ip, mac = null) => makeHost({ name, ip, mac: mac ?? undefined, via: mac ? null : gateway, fixedId: nextId++ });
  const web = host('web', '198.51.100.70');
  const voip = host('voip', '198.51.100.71');
  const shell = host('shell', '198.51.100.72');
  const named = host('named', '203.0.113.66');
  const lanBox = host('lan-box', '192.168.1.77', '00:14:22:77:77:77');
  const agent = host('agent', '192.168.1.161', '00:14:22:16:16:16');
  const logHost = host('loghost', '192.168.1.5', '00:14:22:05:05:05');
  const lanBroadcast = { ip: parseIp4('192.168.1.255'), ownMac: BROADCAST_MAC, ttl: 64, fixedId: 0 };
  const ssdpGroup = { ip: parseIp4('239.255.255.250'), ownMac: parseMac('01:00:5e:7f:ff:fa'), ttl: 4, fixedId: 0 };
  const macOf = (h) => h.ownMac ?? gateway.mac;
  const send = (from, to, proto, l4) => {
    const ip = ipv4Header({ src: from.ip, dst: to.ip, proto, ttl: from.ttl, id: takeIpId(from), payloadLength: l4.length });
    packets.push({ ns: base + BigInt(Math.round(t * 1e9)), data: ethernet({ dst: macOf(to), src: macOf(from), type: ETH_IPV4, payload: cat(ip, l4), pad: true }) });
    t += 0.01;
  };
  const sendUdp = (from, to, sport, dport, payload) => send(from, to, IPPROTO_UDP, udp(from.ip, to.ip, sport, dport, Buffer.from(payload, 'latin1')));

  // DNS: a question of hostile labels, a CNAME to more, the CNAME's address (198.51.100.70, which
  // the later HTTP, TLS and SSH connections reach, so tables and graphs name it), a PTR naming
  // 203.0.113.66 and TXT strings (one of 255 bytes).
  const qname = rawDnsName([FORMULA[0], EVIL.html, EVIL.attr, EVIL.xml, EVIL.dot, EVIL.md, EVIL.ansi, EVIL.controls, EVIL.bidi, EVIL.badUtf8]);
  const cname = rawDnsName([FORMULA[1], EVIL.md, EVIL.html, 'example']);
  const ptrOwner = rawDnsName(['66', '113', '0', '203', 'in-addr', 'arpa']);
  const ptrName = rawDnsName([FORMULA[3], EVIL.attr, EVIL.ansi, EVIL.bidi, 'example']);
  const txt = cat(vec8(Buffer.from(`${FORMULA[2]} ${EVIL.html}${EVIL.ansi}`, 'latin1')), vec8(Buffer.from(`${FORMULA[4]}${ALL_EVIL}`.padEnd(255, 'T'), 'latin1')));
  const header = (id, flags, an) => cat(be16(id), be16(flags), be16(1), be16(an), be16(0), be16(0));
  const question = (name, type) => cat(name, be16(type), be16(1));
  sendUdp(client, dnsServer, 50010, 53, cat(header(0x4343, 0x0100, 0), question(qname, 1)).toString('latin1'));
  sendUdp(dnsServer, client, 53, 50010, cat(header(0x4343, 0x8180, 3), question(qname, 1), rawDnsRecord(qname, 5, cname), rawDnsRecord(cname, 1, parseIp4('198.51.100.70')), rawDnsRecord(qname, 16, txt)).toString('latin1'));
  sendUdp(client, dnsServer, 50011, 53, cat(header(0x4444, 0x0100, 0), question(ptrOwner, 12)).toString('latin1'));
  sendUdp(dnsServer, client, 53, 50011, cat(header(0x4444, 0x8180, 1), question(ptrOwner, 12), rawDnsRecord(ptrOwner, 12, ptrName)).toString('latin1'));
  send(client, named, IPPROTO_UDP, udp(client.ip, named.ip, 50012, 7, Buffer.from('ping')));

  // HTTP: a long URI, headers of every kind, a status phrase and a plain-text body.
  const body = `${FORMULA[5]}\r\n${EVIL.ansi}${EVIL.html}\r\n${EVIL.md}${EVIL.controls}\r\n`;
  connection(
    50003,
    80,
    `GET /${'A'.repeat(1500)}${EVIL.md}${EVIL.ansi} HTTP/1.1\r\nHost: ${FORMULA[3]}${EVIL.html}\r\nReferer: ${EVIL.dot}\r\nCookie: ${EVIL.xml}${EVIL.attr}\r\nUser-Agent: ${EVIL.ansi}${EVIL.bidi}${EVIL.controls}\r\nX-Evil: ${EVIL.badUtf8}${EVIL.html}\r\n\r\n`,
    `HTTP/1.1 200 ${EVIL.ansi}${EVIL.html}\r\nServer: ${FORMULA[1]}${EVIL.md}\r\nContent-Type: text/plain\r\nSet-Cookie: ${FORMULA[0]}${EVIL.attr}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    web,
    send,
  );
  // TLS: server name and ALPN protocol names.
  const hello = clientHello({ random: Buffer.alloc(32, 3), sessionId: Buffer.alloc(32, 4), keyShare: Buffer.alloc(32, 6), serverName: `${FORMULA[2]}${EVIL.ansi}${EVIL.bidi}${EVIL.html}`, alpnNames: [EVIL.html, `${EVIL.md}${EVIL.ansi}`, FORMULA[3]] });
  connection(50004, 443, hello.toString('latin1'), '', web, send);
  // SSH banners and Telnet data.
  connection(50005, 22, `SSH-2.0-${EVIL.ansi}${EVIL.md}${EVIL.html}\r\n`, `SSH-2.0-${FORMULA[0]}${EVIL.attr}\r\n`, shell, send);
  connection(50006, 23, `${FORMULA[3]}${EVIL.ansi}${EVIL.html}\r\n`, `login: ${EVIL.dot}${EVIL.controls}${EVIL.bidi}\r\n`, shell, send);

  // DHCP: a renewing client's host name, vendor class and domain (the host name names the client).
  const dhcp = dhcpMessage({ op: 1, xid: 0x0badf00d, broadcast: false, ciaddr: '192.168.1.120', chaddr: parseMac('3c:22:fb:1a:2b:3d'), options: [
    [53, Buffer.from([DHCP.REQUEST])],
    [12, Buffer.from(`${FORMULA[4]}${EVIL.html}${EVIL.ansi}`, 'latin1')],
    [60, Buffer.from(`${FORMULA[5]}${EVIL.md}${EVIL.bidi}`, 'latin1')],
    [15, Buffer.from(`${EVIL.dot}${EVIL.xml}${EVIL.attr}`, 'latin1')],
  ] });
  send(client, gateway, IPPROTO_UDP, udp(client.ip, gateway.ip, 68, 67, dhcp));

  // NetBIOS name service: a query and a positive answer for a 15-byte name of markup and an escape.
  const nbName = '<b>"|`*_\x1b[2J\xe2\x80\xae';
  const nbEncoded = Buffer.from([...Buffer.from(nbName.padEnd(15, ' ').slice(0, 15) + '\x00', 'latin1')].flatMap((b) => [0x41 + (b >> 4), 0x41 + (b & 15)]));
  const nbQuestion = cat([0x20], nbEncoded, [0], be16(0x20), be16(1));
  sendUdp(client, lanBroadcast, 137, 137, cat(be16(0x1234), be16(0x0110), be16(1), be16(0), be16(0), be16(0), nbQuestion).toString('latin1'));
  sendUdp(lanBox, client, 137, 137, cat(be16(0x1234), be16(0x8500), be16(0), be16(1), be16(0), be16(0), [0x20], nbEncoded, [0], be16(0x20), be16(1), be32(300), be16(6), be16(0), parseIp4('192.168.1.77')).toString('latin1'));

  // SIP: request URI, display name, Call-ID, User-Agent, Subject.
  sendUdp(client, voip, 5060, 5060, `INVITE sip:${EVIL.html}@e.invalid SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.120:5060;branch=z9hG4bK1\r\nFrom: "${EVIL.ansi}${EVIL.md}" <sip:a@e.invalid>;tag=1\r\nTo: <sip:${FORMULA[0]}@e.invalid>\r\nCall-ID: ${EVIL.dot}\r\nCSeq: 1 INVITE\r\nUser-Agent: ${FORMULA[2]}${EVIL.bidi}${EVIL.attr}\r\nSubject: ${EVIL.xml}${EVIL.controls}${EVIL.badUtf8}\r\nContent-Length: 0\r\n\r\n`);
  sendUdp(voip, client, 5060, 5060, `SIP/2.0 486 ${EVIL.html}${EVIL.ansi}\r\nVia: SIP/2.0/UDP 192.168.1.120:5060;branch=z9hG4bK1\r\nFrom: <sip:a@e.invalid>;tag=1\r\nTo: <sip:b@e.invalid>;tag=2\r\nCall-ID: ${EVIL.dot}\r\nCSeq: 1 INVITE\r\nServer: ${EVIL.md}\r\nContent-Length: 0\r\n\r\n`);

  // Syslog, SNMP (community and a string value), TFTP (file name), SSDP (headers).
  sendUdp(client, logHost, 514, 514, `<13>Mar 14 10:00:01 host app: ${FORMULA[1]} ${EVIL.ansi}${EVIL.html}${EVIL.controls}${EVIL.badUtf8}${EVIL.md}`);
  const oid = Buffer.from([0x2b, 6, 1, 2, 1, 1, 5, 0]);
  const snmp = (pduTag, community, value) => berTlv(0x30, cat(berTlv(0x02, Buffer.from([1])), berTlv(0x04, Buffer.from(community, 'latin1')), berTlv(pduTag, cat(berTlv(0x02, Buffer.from([0x2a])), berTlv(0x02, Buffer.from([0])), berTlv(0x02, Buffer.from([0])), berTlv(0x30, berTlv(0x30, cat(berTlv(0x06, oid), value)))))));
  const community = `${FORMULA[3]}${EVIL.attr}${EVIL.ansi}`;
  sendUdp(client, agent, 50020, 161, snmp(0xa0, community, Buffer.from([0x05, 0])).toString('latin1'));
  sendUdp(agent, client, 161, 50020, snmp(0xa2, community, berTlv(0x04, Buffer.from(`${FORMULA[0]}${EVIL.html}${EVIL.md}${EVIL.ansi}`, 'latin1'))).toString('latin1'));
  sendUdp(client, logHost, 50021, 69, `\x00\x01${FORMULA[5]}${EVIL.dot}${EVIL.ansi}\x00octet\x00`);
  sendUdp(lanBox, ssdpGroup, 1900, 1900, `NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nSERVER: ${EVIL.html}${EVIL.ansi}\r\nUSN: ${FORMULA[2]}${EVIL.md}\r\nNT: ${EVIL.dot}\r\n\r\n`);

  // Link layer: frames without IP (LLDP, CDP over 802.2 SNAP, PPPoE discovery).
  const sendFrame = (data) => {
    packets.push({ ns: base + BigInt(Math.round(t * 1e9)), data });
    t += 0.01;
  };
  const latin = (s) => Buffer.from(s, 'latin1');
  // LLDP: chassis id (locally assigned), port id (interface name), port description, system
  // name and description.
  const lldpTlv = (type, value) => cat(be16((type << 9) | value.length), value);
  sendFrame(ethernet({ dst: parseMac('01:80:c2:00:00:0e'), src: lanBox.ownMac, type: 0x88cc, payload: cat(
    lldpTlv(1, cat([7], latin(`${FORMULA[0]}${EVIL.html}${EVIL.ansi}`))),
    lldpTlv(2, cat([5], latin(`${FORMULA[1]}${EVIL.md}${EVIL.bidi}`))),
    lldpTlv(3, be16(120)),
    lldpTlv(4, latin(`${EVIL.dot}${EVIL.xml}${EVIL.controls}`)),
    lldpTlv(5, latin(`${FORMULA[3]}${EVIL.attr}${EVIL.ansi}${EVIL.bidi}`)),
    lldpTlv(6, latin(`${FORMULA[4]}${ALL_EVIL}`)),
    lldpTlv(0, Buffer.alloc(0)),
  ), pad: true }));
  // CDP: device id, software version (two lines), platform, port id, VTP domain, system name.
  const cdpTlv = (type, value) => cat(be16(type), be16(4 + value.length), value);
  const cdpBody = cat([2, 180], be16(0),
    cdpTlv(1, latin(`${FORMULA[2]}${EVIL.html}${EVIL.ansi}`)),
    cdpTlv(5, latin(`${EVIL.md}${EVIL.bidi}\n${FORMULA[0]}${EVIL.attr}${EVIL.controls}`)),
    cdpTlv(6, latin(`${EVIL.dot}${EVIL.ansi}`)),
    cdpTlv(3, latin(`${FORMULA[3]}${EVIL.xml}${EVIL.html}`)),
    cdpTlv(9, latin(`${FORMULA[1]}${EVIL.md}`)),
    cdpTlv(0x14, latin(`${EVIL.attr}${EVIL.ansi}${EVIL.badUtf8}`)),
  );
  // Cisco's checksum adds an odd last byte as it is, not shifted into the high half of a word.
  const cdpOdd = cdpBody.length % 2;
  cdpBody.writeUInt16BE(finishChecksum(wordSum(cdpBody.subarray(0, cdpBody.length - cdpOdd), cdpOdd ? cdpBody[cdpBody.length - 1] : 0)), 2);
  const snap = cat([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c], be16(0x2000), cdpBody);
  sendFrame(ethernet({ dst: parseMac('01:00:0c:cc:cc:cc'), src: agent.ownMac, type: snap.length, payload: snap, pad: true }));
  // PPPoE discovery: a PADI with a hostile service name, a PADO with an AC name and an error tag.
  const pppoeTag = (type, value) => cat(be16(type), be16(value.length), value);
  const pppoe = (code, tags) => cat([0x11, code], be16(0), be16(tags.length), tags);
  sendFrame(ethernet({ dst: BROADCAST_MAC, src: parseMac('3c:22:fb:1a:2b:3d'), type: 0x8863, payload: pppoe(0x09, cat(
    pppoeTag(0x0101, latin(`${FORMULA[0]}${EVIL.html}${EVIL.ansi}${EVIL.bidi}`)),
    pppoeTag(0x0103, Buffer.from([1, 2, 3, 4])),
  )), pad: true }));
  sendFrame(ethernet({ dst: parseMac('3c:22:fb:1a:2b:3d'), src: lanBox.ownMac, type: 0x8863, payload: pppoe(0x07, cat(
    pppoeTag(0x0102, latin(`${FORMULA[3]}${EVIL.md}${EVIL.attr}${EVIL.controls}`)),
    pppoeTag(0x0101, latin(`${EVIL.dot}${EVIL.xml}`)),
    pppoeTag(0x0203, latin(`${FORMULA[2]}${EVIL.ansi}${EVIL.html}`)),
    pppoeTag(0x0103, Buffer.from([1, 2, 3, 4])),
  )), pad: true }));
  // RADIUS: an Access-Request's user name, NAS identifier, called and calling station ids and
  // session id; the Access-Reject's reply message and filter id.
  const aaa = host('aaa', '192.168.1.10', '00:14:22:10:10:10');
  const avp = (type, value) => cat([type, 2 + value.length], value);
  const radius = (code, id, attrs) => cat([code, id], be16(20 + attrs.length), Buffer.alloc(16, 0x5a), attrs);
  sendUdp(client, aaa, 50030, 1812, radius(1, 7, cat(
    avp(1, latin(`${FORMULA[0]}${EVIL.html}${EVIL.ansi}${EVIL.controls}`)),
    avp(2, Buffer.alloc(16, 0x11)),
    avp(32, latin(`${FORMULA[1]}${EVIL.md}${EVIL.bidi}`)),
    avp(30, latin(`${EVIL.dot}${EVIL.xml}`)),
    avp(31, latin(`${FORMULA[3]}${EVIL.attr}`)),
    avp(44, latin(`${FORMULA[2]}${EVIL.ansi}${EVIL.badUtf8}`)),
  )).toString('latin1'));
  sendUdp(aaa, client, 1812, 50030, radius(3, 7, cat(
    avp(18, latin(`${FORMULA[4]}${EVIL.html}${EVIL.md}${EVIL.ansi}${EVIL.bidi}`)),
    avp(11, latin(`${EVIL.attr}${EVIL.dot}${EVIL.controls}`)),
  )).toString('latin1'));

  // SIP with an SDP body: owner, session name and information, URI, e-mail, phone, session and
  // media attributes.
  const sdp = [
    'v=0',
    `o=${EVIL.html} 1 1 IN IP4 192.168.1.120`,
    `s=${FORMULA[0]}${EVIL.ansi}${EVIL.bidi}`,
    `i=${EVIL.md}${EVIL.attr}${EVIL.controls}`,
    `u=http://e.invalid/${EVIL.html}`,
    `e=${FORMULA[3]}${EVIL.dot}`,
    `p=${FORMULA[1]}${EVIL.ansi}`,
    'c=IN IP4 192.168.1.120',
    't=0 0',
    `a=tool:${FORMULA[2]}${EVIL.html}${EVIL.xml}`,
    `a=${EVIL.md}:${EVIL.ansi}${EVIL.badUtf8}`,
    'm=audio 49170 RTP/AVP 0',
    `a=rtpmap:0 ${EVIL.html}/8000`,
    `a=label:${EVIL.attr}${EVIL.dot}`,
    '',
  ].join('\r\n');
  sendUdp(client, voip, 5060, 5060, `INVITE sip:b@e.invalid SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.120:5060;branch=z9hG4bK2\r\nFrom: <sip:a@e.invalid>;tag=3\r\nTo: <sip:b@e.invalid>\r\nCall-ID: ${EVIL.html}${FORMULA[0]}\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`);

  // RTSP: a request URI, Session and Transport headers, and an SDP description in the answer.
  const media = host('media', '198.51.100.73');
  const rtspSdp = ['v=0', 'o=- 1 1 IN IP4 198.51.100.73', `s=${EVIL.html}${EVIL.ansi}`, `i=${FORMULA[0]}${EVIL.md}`, 't=0 0', `a=control:${EVIL.attr}`, 'm=video 0 RTP/AVP 96', ''].join('\r\n');
  connection(
    50031,
    554,
    `DESCRIBE rtsp://198.51.100.73/${EVIL.html}${EVIL.md}${EVIL.ansi} RTSP/1.0\r\nCSeq: 2\r\nSession: ${FORMULA[0]}${EVIL.attr}\r\nTransport: ${EVIL.dot}${EVIL.bidi}${EVIL.controls}\r\nUser-Agent: ${FORMULA[3]}${EVIL.html}\r\n\r\n`,
    `RTSP/1.0 200 ${EVIL.html}${EVIL.ansi}\r\nCSeq: 2\r\nSession: ${EVIL.md}${EVIL.xml}\r\nContent-Type: application/sdp\r\nContent-Length: ${rtspSdp.length}\r\n\r\n${rtspSdp}`,
    media,
    send,
  );

  // MNDP (MikroTik neighbour discovery): identity, version, platform, software id, board, interface.
  const mndpTlv = (type, value) => cat(be16(type), be16(value.length), value);
  sendUdp(lanBox, lanBroadcast, 5678, 5678, cat([0, 0], be16(1),
    mndpTlv(1, lanBox.ownMac),
    mndpTlv(5, latin(`${FORMULA[0]}${EVIL.html}${EVIL.ansi}`)),
    mndpTlv(7, latin(`${FORMULA[2]}${EVIL.md}${EVIL.bidi}`)),
    mndpTlv(8, latin(`${EVIL.dot}${EVIL.xml}`)),
    mndpTlv(11, latin(`${FORMULA[3]}${EVIL.attr}${EVIL.controls}`)),
    mndpTlv(12, latin(`${FORMULA[1]}${EVIL.ansi}${EVIL.badUtf8}`)),
    mndpTlv(16, latin(`${EVIL.html}${EVIL.md}`)),
  ).toString('latin1'));
  // BER with long lengths, for LDAP and Kerberos.
  const ber = (tag, ...parts) => {
    const value = cat(...parts);
    const n = value.length;
    return cat([tag], n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff], value);
  };
  const berInt = (tag, v) => ber(tag, [v]);

  // LDAP: a simple bind's DN and password, a search's base DN and attribute names; the answers'
  // matched DN and error message, an entry's object name and attribute type.
  const directory = host('directory', '192.168.1.11', '00:14:22:11:11:11');
  const ldapMessage = (id, op) => ber(0x30, berInt(0x02, id), op);
  const ldapResult = (tag, code, dn, message) => ber(tag, berInt(0x0a, code), ber(0x04, latin(dn)), ber(0x04, latin(message)));
  connection(
    50032,
    389,
    cat(
      ldapMessage(1, ber(0x60, berInt(0x02, 3), ber(0x04, latin(`cn=${FORMULA[0]}${EVIL.html},dc=${EVIL.ansi}${EVIL.bidi}`)), ber(0x80, latin(`${EVIL.md}${EVIL.controls}`)))),
      ldapMessage(2, ber(0x63,
        ber(0x04, latin(`ou=${EVIL.dot},dc=${FORMULA[3]}${EVIL.attr}${EVIL.xml}`)),
        berInt(0x0a, 2), berInt(0x0a, 0), berInt(0x02, 0), berInt(0x02, 0), ber(0x01, [0]),
        ber(0xa3, ber(0x04, latin('cn')), ber(0x04, latin(`${EVIL.html}${EVIL.ansi}`))),
        ber(0x30, ber(0x04, latin(`${FORMULA[1]}${EVIL.md}`)), ber(0x04, latin(`${EVIL.ansi}${EVIL.badUtf8}`))),
      )),
    ).toString('latin1'),
    cat(
      ldapMessage(1, ldapResult(0x61, 49, `${FORMULA[2]}${EVIL.attr}${EVIL.ansi}`, `${EVIL.html}${EVIL.md}${EVIL.bidi}${EVIL.controls}`)),
      ldapMessage(2, ber(0x64, ber(0x04, latin(`cn=${EVIL.html}${EVIL.ansi},${EVIL.dot}`)), ber(0x30, ber(0x30, ber(0x04, latin(`${FORMULA[0]}${EVIL.md}`)), ber(0x31, ber(0x04, latin(EVIL.html))))))),
      ldapMessage(2, ldapResult(0x65, 32, `${FORMULA[4]}${EVIL.xml}`, `${FORMULA[5]}${EVIL.ansi}${EVIL.badUtf8}`)),
    ).toString('latin1'),
    directory,
    send,
  );

  // Kerberos: an AS-REQ's client and service names and realm; a KRB-ERROR's realms, names and
  // e-text.
  const kdc = host('kdc', '192.168.1.12', '00:14:22:12:12:12');
  const krbString = (s) => ber(0x1b, latin(s));
  const principal = (type, ...names) => ber(0x30, ber(0xa0, berInt(0x02, type)), ber(0xa1, ber(0x30, ...names.map(krbString))));
  const krbRealm = `${FORMULA[0]}${EVIL.html}${EVIL.ansi}`;
  sendUdp(client, kdc, 50033, 88, ber(0x6a, ber(0x30,
    ber(0xa1, berInt(0x02, 5)),
    ber(0xa2, berInt(0x02, 10)),
    ber(0xa4, ber(0x30,
      ber(0xa0, ber(0x03, [0, 0x40, 0x81, 0x00, 0x10])),
      ber(0xa1, principal(1, `${FORMULA[3]}${EVIL.md}${EVIL.bidi}`)),
      ber(0xa2, krbString(krbRealm)),
      ber(0xa3, principal(2, 'krbtgt', `${EVIL.dot}${EVIL.attr}`)),
      ber(0xa5, ber(0x18, latin('20370913024805Z'))),
      ber(0xa7, ber(0x02, [0x12, 0x34, 0x56, 0x78])),
      ber(0xa8, ber(0x30, berInt(0x02, 18))),
    )),
  )).toString('latin1'));
  sendUdp(kdc, client, 88, 50033, ber(0x7e, ber(0x30,
    ber(0xa0, berInt(0x02, 5)),
    ber(0xa1, berInt(0x02, 30)),
    ber(0xa4, ber(0x18, latin('20260314100001Z'))),
    ber(0xa5, berInt(0x02, 0)),
    ber(0xa6, berInt(0x02, 6)),
    ber(0xa7, krbString(`${FORMULA[1]}${EVIL.xml}${EVIL.controls}`)),
    ber(0xa8, principal(1, `${FORMULA[2]}${EVIL.ansi}${EVIL.badUtf8}`)),
    ber(0xa9, krbString(krbRealm)),
    ber(0xaa, principal(2, 'krbtgt', `${EVIL.html}${EVIL.md}`)),
    ber(0xab, krbString(`${FORMULA[4]}${EVIL.ansi}${EVIL.attr}${EVIL.bidi}`)),
  )).toString('latin1'));
  // SMB2 over TCP 445: a tree connect to a hostile share path chained with a create of a hostile
  // file name (UTF-16LE: the byte strings read as UTF-8, so U+202E and C1 controls arrive as such).
  const files = host('files', '192.168.1.13', '00:14:22:13:13:13');
  const utf16 = (s) => Buffer.from(latin(s).toString('utf8'), 'utf16le');
  const le16 = (v) => Buffer.from([v & 0xff, (v >> 8) & 0xff]);
  const le32 = (v) => Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff]);
  const smb2Header = (cmd, { response = false, next = 0, msgId = 0, tid = 0 } = {}) =>
    cat([0xfe, 0x53, 0x4d, 0x42], le16(64), le16(1), Buffer.alloc(4), le16(cmd), le16(1), le32(response ? 1 : 0), le32(next), le64(msgId), le32(0xfeff), le32(tid), le64(0x1234), Buffer.alloc(16));
  const pad8 = (b) => (b.length % 8 ? cat(b, Buffer.alloc(8 - (b.length % 8))) : b);
  const sharePath = utf16(`\\\\files\\${FORMULA[0]}${EVIL.html}${EVIL.ansi}${EVIL.bidi}`);
  const treeBody = cat(le16(9), le16(0), le16(72), le16(sharePath.length), sharePath);
  const treeMsg = pad8(cat(smb2Header(3, { msgId: 2, next: 0 }), treeBody));
  treeMsg.writeUInt32LE(treeMsg.length, 20);
  const fileName = utf16(`${FORMULA[3]}${EVIL.md}${EVIL.dot}${EVIL.controls}\\${EVIL.attr}${EVIL.xml}.txt`);
  const createBody = cat(le16(57), [0, 0], le32(2), Buffer.alloc(16), le32(0x80), le32(0x80), le32(7), le32(1), le32(0x40), le16(120), le16(fileName.length), le32(0), le32(0), fileName);
  const createMsg = cat(smb2Header(5, { msgId: 3, tid: 1 }), createBody);
  const nbss = (msg) => cat([0], be24(msg.length), msg);
  const treeResponse = cat(smb2Header(3, { response: true, msgId: 2, tid: 1 }), le16(16), [1, 0], le32(0), le32(0), le32(0x1f01ff));
  connection(50034, 445, nbss(cat(treeMsg, createMsg)).toString('latin1'), nbss(treeResponse).toString('latin1'), files, send);
  // SMB1 over TCP 445: a Tree Connect AndX to an ASCII share path, an NT Create AndX of a UTF-16LE
  // file name (NUL ends both, so the controls start after it); each answered with an error.
  const smb1 = (cmd, { flags2, response = false, status = 0 }, words, bytes) =>
    cat([0xff, 0x53, 0x4d, 0x42, cmd], le32(status), [response ? 0x98 : 0x18], le16(flags2), le16(0), Buffer.alloc(8), le16(0), le16(1), le16(0xfeff), le16(0x800), le16(4), [words.length / 2], words, le16(bytes.length), bytes);
  const noControls = EVIL.controls.slice(1);
  const smbPath = latin(`\\\\FILES\\${FORMULA[0]}${EVIL.html}${EVIL.ansi}${EVIL.md}${noControls}\x00`);
  const treeConnect = smb1(0x75, { flags2: 0x4001 }, cat([0xff, 0], le16(0), le16(0), le16(1)), cat([0], smbPath, latin('?????\x00')));
  const smbError = (cmd) => smb1(cmd, { flags2: 0xc001, response: true, status: 0xc00000cc }, Buffer.alloc(0), Buffer.alloc(0));
  connection(50035, 445, nbss(treeConnect).toString('latin1'), nbss(smbError(0x75)).toString('latin1'), files, send);
  const smbName = Buffer.from(`\\${latin(`${FORMULA[3]}${EVIL.attr}${EVIL.dot}${EVIL.bidi}${EVIL.ansi}${noControls}`).toString('utf8')}\0`, 'utf16le');
  const createWords = cat([0xff, 0], le16(0), [0], le16(smbName.length - 2), le32(0), le32(0), le32(0x20089), le64(0), le32(0x80), le32(7), le32(1), le32(0x40), le32(2), [0]);
  const createHeaderLength = 32 + 1 + createWords.length + 2;
  const ntCreate = smb1(0xa2, { flags2: 0xc001 | 0x8000 }, createWords, cat(createHeaderLength % 2 ? [0] : [], smbName));
  connection(50036, 445, nbss(ntCreate).toString('latin1'), nbss(smbError(0xa2)).toString('latin1'), files, send);
}

/** Interface name and description, section and packet comments for the pcapng twin. */
const HOSTILE_PCAPNG = {
  ifName: `${FORMULA[0]}${EVIL.ansi}${EVIL.html}`,
  ifDescription: `${EVIL.md}${EVIL.dot}${EVIL.bidi}${EVIL.controls}`,
  comments: [`${FORMULA[1]}${EVIL.attr}${EVIL.ansi}`, `${EVIL.xml}${EVIL.md}${EVIL.badUtf8}`, `${FORMULA[4]}${EVIL.html}${EVIL.controls}${EVIL.bidi}`],
};

function writeHostilePcapng(packets) {
  const w = new PcapngWriter();
  w.section({ littleEndian: true, userAppl: 'pcapviz make-fixtures', os: 'Linux' });
  const ifId = w.iface({ linkType: 1, snaplen: 65535, name: Buffer.from(HOSTILE_PCAPNG.ifName, 'latin1'), description: Buffer.from(HOSTILE_PCAPNG.ifDescription, 'latin1'), tsresol: 9 });
  packets.forEach((p, i) => w.packet(ifId, { ...p, comment: i < HOSTILE_PCAPNG.comments.length ? Buffer.from(HOSTILE_PCAPNG.comments[i], 'latin1') : undefined }));
  return w.result();
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

function writeSmallOfficePcapng(packets) {
  const w = new PcapngWriter();
  w.section({ littleEndian: true, userAppl: 'pcapviz make-fixtures', os: 'Linux' });
  const eth0 = w.iface({ linkType: 1, snaplen: 262144, name: 'eth0', tsresol: 9 });
  for (const p of packets) w.packet(eth0, p);
  return w.result();
}

function main() {
  mkdirSync(OUT_DIR, { recursive: true });
  const packets = buildSmallOffice();
  const multi = buildMultiInterface();
  const hostile = buildHostileStrings();
  const files = {
    'small-office.pcapng': writeSmallOfficePcapng(packets),
    'small-office.pcap': writePcap(packets, { littleEndian: true, nanos: false, snaplen: 262144 }),
    'small-office-snap96.pcap.gz': deterministicGzip(writePcap(packets, { littleEndian: false, nanos: true, snaplen: 96 })),
    'multi-interface.pcapng': multi,
    'hostile-strings.pcap': writePcap(hostile, { littleEndian: true, nanos: true, snaplen: 65535 }),
    'hostile-strings.pcapng': writeHostilePcapng(hostile),
  };
  for (const [name, data] of Object.entries(files)) {
    if (data.length > 100 * 1024) throw new Error(`${name} is ${data.length} bytes, over the 100 KB budget`);
    writeFileSync(join(OUT_DIR, name), data);
    console.log(`${name.padEnd(30)} ${String(data.length).padStart(7)} bytes`);
  }
  console.log(`small-office: ${packets.length} packets`);
}

main();
