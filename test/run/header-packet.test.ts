/**
 * Header packets (`header-packet.ts`) stand in for the dissector in the first pass of a filtered
 * run and in `fields` runs on header keys, so on every frame they accept they must hold what a
 * select-mode dissection records: the same layers at the same places and the same values of
 * every header key, each key's values in the same order.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { CaptureError } from '../../src/capture/errors.js';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket, FieldNode, FieldValue, LayerNode } from '../../src/dissect/tree.js';
import { compileFilter, type DisplayFilter } from '../../src/filter/index.js';
import { conversationKey, conversationKeyAt } from '../../src/run/conversation-key.js';
import { HEADER_KEYS, HEADER_PROTOCOLS, HeaderPackets } from '../../src/run/header-packet.js';
import { forEachRecord } from '../../src/run/packet-loop.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { frameOf, hex } from '../helpers/dissect.js';
import { udpPacket } from '../helpers/misc-packets.js';

const registry = defaultRegistry();
const ALL_KEYS = [...HEADER_KEYS];
const LAYERS = [...HEADER_PROTOCOLS].filter((p) => p !== 'frame');

/**
 * What a filter can read of a packet: each layer's place, then its values of each recorded key
 * in order. Values are kept per key and layer, as the filter reads them (the order between
 * different keys of a layer, such as a flag before or after its parent, means nothing to it).
 */
function seen(p: DissectedPacket, keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const l of p.layers) {
    out.push(`${l.protocol} @${l.offset}+${l.length}`);
    const values: string[] = [];
    const walk = (fields: readonly FieldNode[]): void => {
      for (const f of fields) {
        if (keys.has(f.key)) values.push(`  ${f.key}=${f.value instanceof Uint8Array ? [...f.value].join(',') : String(f.value)}`);
        if (f.children) walk(f.children);
      }
    };
    walk(l.fields);
    // A stable sort by key: each key's values keep their order.
    out.push(...values.sort((a, b) => (a.split('=')[0]! < b.split('=')[0]! ? -1 : a.split('=')[0]! > b.split('=')[0]! ? 1 : 0)));
  }
  return out;
}

/** The recorded values of `keys` in layer `l`, by key. */
function valuesOf(l: LayerNode, keys: ReadonlySet<string>): Map<string, FieldValue[]> {
  const out = new Map<string, FieldValue[]>();
  const walk = (fields: readonly FieldNode[]): void => {
    for (const f of fields) {
      if (keys.has(f.key)) {
        let list = out.get(f.key);
        if (list === undefined) out.set(f.key, (list = []));
        list.push(f.value);
      }
      if (f.children) walk(f.children);
    }
  };
  walk(l.fields);
  return out;
}

/** Whether `seen` would give the same lines for both packets (without making them). */
function same(a: DissectedPacket, b: DissectedPacket, keys: ReadonlySet<string>): boolean {
  if (a.layers.length !== b.layers.length) return false;
  for (let i = 0; i < a.layers.length; i++) {
    const x = a.layers[i]!;
    const y = b.layers[i]!;
    if (x.protocol !== y.protocol || x.offset !== y.offset || x.length !== y.length) return false;
    const vx = valuesOf(x, keys);
    const vy = valuesOf(y, keys);
    if (vx.size !== vy.size) return false;
    for (const [k, list] of vx) {
      const other = vy.get(k);
      if (other === undefined || other.length !== list.length || list.some((v, j) => v !== other[j])) return false;
    }
  }
  return true;
}

/**
 * The packet as a run on header fields sees it: only the layers of header protocols (an ARP or
 * ICMP layer, or application layers, hold none of the keys and are no protocol such a run names).
 */
function headerLayers(p: DissectedPacket): DissectedPacket {
  return { ...p, layers: p.layers.filter((l) => HEADER_PROTOCOLS.has(l.protocol)) };
}

function dissector(keys: readonly string[]): Dissector {
  return new Dissector(registry, { mode: 'select', fields: keys, protocols: LAYERS });
}

/** Compares header packets with dissection frame by frame; counts the plain frames. */
class Comparison {
  private readonly headers: HeaderPackets;
  private readonly dissector: Dissector;
  private readonly wanted: ReadonlySet<string>;
  plain = 0;

  constructor(keys: readonly string[] = ALL_KEYS) {
    this.headers = HeaderPackets.create(registry, keys, LAYERS)!;
    this.dissector = dissector(keys);
    this.wanted = new Set(keys);
  }

  frame(f: Frame): void {
    const real = headerLayers(this.dissector.dissect(f));
    const h = this.headers.read(f);
    if (h === undefined) return;
    this.plain++;
    // Strings and a diff only when something differs.
    if (!same(h, real, this.wanted)) expect(seen(h, this.wanted), `frame ${f.index}`).toEqual(seen(real, this.wanted));
    // The first pass keys a plain frame from where its IP header was found: the same key.
    const key = this.headers.ipAt < 0 ? -1 : conversationKeyAt(f.data, this.headers.ipAt);
    if (key !== conversationKey(f)) expect(key, `key of frame ${f.index}`).toBe(conversationKey(f));
  }
}

/** Every capture of the corpus we read: each frame goes to `each` (with a fresh `start` per capture). */
async function eachCorpusFrame(start: () => (f: Frame) => void): Promise<number> {
  let total = 0;
  for (const name of readdirSync(CAPTURES).sort()) {
    let reader;
    try {
      reader = await openCapture(CAPTURES + name);
    } catch {
      continue; // not a capture we read: nothing to compare
    }
    const each = start();
    try {
      for await (const b of reader.batches()) {
        total += b.length;
        for (const f of b) each(f);
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e; // a damaged capture: the frames before the damage count
    } finally {
      await reader.close();
    }
  }
  return total;
}

describe('header packets', () => {
  it('hold what dissection records on every plain frame of the corpus', async () => {
    let plain = 0;
    let last: Comparison | undefined;
    const total = await eachCorpusFrame(() => {
      if (last !== undefined) plain += last.plain;
      const c = (last = new Comparison());
      return (f) => c.frame(f);
    });
    plain += last?.plain ?? 0;
    // Most corpus frames are Ethernet with IP and TCP or UDP: the comparison must cover many.
    expect(plain).toBeGreaterThan(20_000);
    expect(plain).toBeLessThan(total);
  }, 120_000);

  it('hold what dissection records on mutated plain frames, for any choice of keys', () => {
    const tcp = hex(
      '001aa10b0001 54bf64a79954 0800 4500003c038440004006ff380a0102fec63364cd d3bc01bb6793e35a00000000a002faf0 76fa0000 020405b40402080ab63ff44f0000000001030307',
    );
    const tagged = hex('8c8caa750627 a483e7deb91d 8100 0014 86dd 6000000000140640 20010db8000000000000000000000001 20010db8000000000000000000000002 c00001bb0000000100000000501000ff12340000');
    const udp = udpPacket(5353, 53, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // A tagged ARP request with padding, an ICMP echo request, an ICMPv6 neighbour solicitation.
    const arp = hex('ffffffffffff 001aa10b0001 8100 0064 0806 0001 0800 0604 0001 001aa10b0001 0a010201 000000000000 0a0102fe 000000000000000000000000000000000000');
    const echo = hex('001aa10b0001 54bf64a79954 0800 4500001c00010000400100000a0102fec63364cd 0800f7fe00010001');
    const solicit = hex(
      '3333ff000002 001aa10b0001 86dd 6000000000203aff fe800000000000000000000000000001 ff0200000000000000000001ff000002 8700000000000000 20010db8000000000000000000000002 0101001aa10b0001',
    );
    let plain = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(tcp, tagged, udp, arp, echo, solicit),
        fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { maxLength: 4 }),
        // Most frames whole; some cut short by up to 40 bytes.
        fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 1 }),
        fc.subarray(ALL_KEYS, { minLength: 1 }),
        (base, edits, cut, keys) => {
          const data = base.slice(0, Math.max(1, base.length - cut));
          for (const [at, v] of edits) if (at < data.length) data[at] = v;
          const c = new Comparison(keys);
          c.frame(frameOf(data));
          plain += c.plain;
        },
      ),
      { numRuns: 1000 },
    );
    // Not only refusals: many mutated frames are still plain and were compared.
    expect(plain).toBeGreaterThan(300);
  });

  it('give `fields` runs on header keys, filtered or not, the records dissection gives', async () => {
    const keys = ['eth.src', 'vlan.id', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.flags.df', 'ipv6.src', 'ipv6.hlim', 'tcp.srcport', 'tcp.flags', 'tcp.flags.syn', 'tcp.len', 'udp.dstport', 'udp.length'];
    const saved = { ...process.env };
    const rows = async (path: string, filter: string | undefined, headers: boolean): Promise<string> => {
      process.env['PCAPVIZ_HEADER_PACKETS'] = headers ? '1' : '0';
      process.env['PCAPVIZ_TWO_PASS_MIN_BYTES'] = '0';
      const out: string[] = [];
      const exit = await forEachRecord(
        [path],
        { kind: 'fields', keys, options: {} },
        { registry, decodeAs: [], parallel: true, filter: filter === undefined ? undefined : compileFilter(filter, registry) },
        { record: (text) => void out.push(String(text)) },
      );
      return `${out.join('\n')}\nexit ${exit}`;
    };
    try {
      for (const file of ['pcapplusplus__example.pcap', 'pcapplusplus__VlanPackets.pcap', 'pcapplusplus__four_ipv6_http_streams.pcap', 'packetnet__udp-ip-fragmented.pcap', 'arkime__gtp-iphone.pcap']) {
        for (const filter of [undefined, 'tcp.flags.syn == 1 || udp']) {
          const dissected = await rows(CAPTURES + file, filter, false);
          expect(await rows(CAPTURES + file, filter, true), `${file} ${filter ?? ''}`).toBe(dissected);
        }
      }
    } finally {
      process.env = saved;
    }
  }, 60_000);

  it('give a filter the values dissection gives, addresses read straight from the bytes included', async () => {
    const FILTERS = [
      'ip.addr == 10.0.0.0/8',
      'ip.src == 192.168.0.0/16 || ip.dst in {10.0.0.1 172.16.0.0/12}',
      'ip.dst != 224.0.0.0/4 and ip.addr ~= 10.0.0.0/8',
      'ipv6.addr == 2001:db8::/32 or ipv6.src == fe80::/10 or ipv6.dst[0] == ff',
      'eth.addr == ff:ff:ff:ff:ff:ff or eth.src[0:3] == 00:1b:21 or eth.dst.ig == 1',
      'eth.src > 80:00:00:00:00:00 or vlan.id > 10',
      'tcp.port in {80 443 8000..8080} && tcp.flags.syn == 1',
      'udp.port >= 1024 and ip.ttl < 64',
      'tcp.flags & 0x12 == 0x12 or ip.src == ip.dst',
      'len(eth.src) == 6 and count(ip.addr) == 2 and ip.src > ip.dst',
    ];
    // Pass 1's dissector for a filter: as deep as the filter reads.
    const pass1 = (filter: DisplayFilter): Dissector => new Dissector(registry, { mode: 'select', fields: filter.fields, protocols: filter.protocols });
    const runs = FILTERS.map((text) => {
      const filter = compileFilter(text, registry);
      return {
        text,
        filter,
        headers: HeaderPackets.create(registry, filter.fields, filter.protocols)!,
        dissector: pass1(filter),
        plain: 0,
        matched: 0,
        differ: [] as string[],
      };
    });
    for (const r of runs) expect(r.headers, r.text).toBeDefined();
    await eachCorpusFrame(() => {
      // A fresh dissector per capture; one filter for both kinds of packet, as pass 1 has.
      for (const r of runs) r.dissector = pass1(r.filter);
      return (f) => {
        for (const r of runs) {
          const h = r.headers.read(f);
          const fromHeaders = h === undefined ? undefined : r.filter.matches(h);
          const fromDissection = r.filter.matches(r.dissector.dissect(f));
          if (fromHeaders === undefined) continue;
          r.plain++;
          if (fromHeaders) r.matched++;
          if (fromHeaders !== fromDissection && r.differ.length < 5) r.differ.push(`frame ${f.index}: ${fromHeaders} from headers`);
        }
      };
    });
    for (const r of runs) {
      expect(r.differ, r.text).toEqual([]);
      // Each filter tells plain frames apart: some match, some do not.
      expect(r.matched, r.text).toBeGreaterThan(0);
      expect(r.matched, r.text).toBeLessThan(r.plain);
    }
  }, 120_000);

  it('give one filter right answers across more header packet objects than it remembers shapes of', () => {
    // A fields run over many files makes new header packets for each file; the filter stays one.
    const filter = compileFilter('ip.src == 10.1.2.254 && tcp.dstport == 443', registry);
    const hit = hex('001aa10b0001 54bf64a79954 0800 4500002803844000400600000a0102fec63364cd d3bc01bb6793e35a0000000050020000 00000000');
    const miss = hit.slice();
    miss[37] = 0xbc; // destination port 48316
    for (let run = 0; run < 80; run++) {
      const headers = HeaderPackets.create(registry, filter.fields, filter.protocols)!;
      // Three frames per run: the packets of another run's objects would hold its last frame.
      const seen = [hit, miss, hit].map((d) => filter.matches(headers.read(frameOf(d))!));
      expect(seen, `run ${run}`).toEqual([true, false, true]);
    }
  });

  it('refuse fragments, options, tunnels and cut headers', () => {
    const headers = HeaderPackets.create(registry, ['ip.src'], [])!;
    const tcp = hex('001aa10b0001 54bf64a79954 0800 4500002803844000400600000a0102fec63364cd d3bc01bb6793e35a0000000050020000 00000000');
    expect(headers.read(frameOf(tcp))).toBeDefined();
    const fragment = tcp.slice();
    fragment[14 + 6] = 0x20; // more fragments
    expect(headers.read(frameOf(fragment))).toBeUndefined();
    const options = tcp.slice();
    options[14] = 0x46;
    expect(headers.read(frameOf(options))).toBeUndefined();
    expect(headers.read(frameOf(tcp.subarray(0, 50)))).toBeUndefined();
    expect(headers.read(frameOf(udpPacket(1234, 4789, new Uint8Array(16))))).toBeUndefined(); // VXLAN
    expect(headers.read(frameOf(udpPacket(1234, 53, new Uint8Array(16))))).toBeDefined();
    expect(headers.read(frameOf(tcp, 101))).toBeUndefined(); // another link type
    // ICMP: an echo is plain (the IP layer is the last header layer); an error quotes a packet.
    const echo = hex('001aa10b0001 54bf64a79954 0800 4500001c00010000400100000a0102fec63364cd 0800f7fe00010001');
    expect(headers.read(frameOf(echo))?.layers.map((l) => l.protocol)).toEqual(['eth', 'ip']);
    const unreachable = echo.slice();
    unreachable[34] = 3;
    expect(headers.read(frameOf(unreachable))).toBeUndefined();
    // ARP: plain, with no IP header to key its conversation by.
    const arp = hex('ffffffffffff 001aa10b0001 0806 0001 0800 0604 0001 001aa10b0001 0a010201 000000000000 0a0102fe');
    expect(headers.read(frameOf(arp))?.layers.map((l) => l.protocol)).toEqual(['eth']);
    expect(headers.ipAt).toBe(-1);
  });

  it('are made only for filters on header fields and layers', () => {
    const make = (text: string): HeaderPackets | undefined => {
      const f = compileFilter(text, registry);
      return HeaderPackets.create(registry, f.fields, f.protocols);
    };
    expect(make('tcp.port == 443 && tcp.flags.syn == 1')).toBeDefined();
    expect(make('ip.addr == 10.0.0.0/8 and frame.len > 100 and not vlan')).toBeDefined();
    expect(make('tcp.analysis.retransmission')).toBeUndefined();
    expect(make('icmp')).toBeUndefined();
    expect(make('frame.time_delta > 0.5')).toBeUndefined();
    // Decode As that sends a port to a tunnel: frames on that port are not plain.
    const tunnelled = registry.with({ 'tcp.port': { 8080: 'vxlan' } });
    const h = HeaderPackets.create(tunnelled, ['tcp.srcport'], [])!;
    const tcp = hex('001aa10b0001 54bf64a79954 0800 4500002803844000400600000a0102fec63364cd d3bc1f906793e35a0000000050020000 00000000');
    expect(h.read(frameOf(tcp))).toBeUndefined();
  });
});
