/**
 * The pure layout, checked on real packets: every field with bytes has an outline over exactly
 * its bytes, bit fields mark exactly their bits, every byte is printed once with the right
 * value, connectors start at their field row and end at their own box without crossing hex
 * rows, and connectors of fields in byte order never cross each other.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket, FieldNode } from '../../src/dissect/tree.js';
import { bitPattern, type ByteSpan, cellX, type Chunk, type ChunkBox, type Connector, type FieldRow, fieldSpan, fieldText, layoutPacket, type LayoutContext, measurePacket, type PacketFacts, type PacketLayout } from '../../src/pdfdump/layout.js';
import { CELL, LINE } from '../../src/pdfdump/theme.js';
import { frameOf } from '../helpers/dissect.js';
import { ethIpv4 } from '../helpers/misc-packets.js';
import { allFields, CORPUS, layoutContext, loadPackets, SMALL_OFFICE, squash } from './helpers.js';

const FACTS = { summary: 'test packet', absoluteTime: '', relativeTime: '0.000000', interfaceName: undefined };

/** Bytes covered by an outline segment, read back from its geometry. */
function segmentBytes(l: PacketLayout, c: Chunk, seg: { x: number; y: number; w: number }): number[] {
  const row = c.hexRows.find((h) => Math.abs(h.y + 0.5 - seg.y) < 0.01);
  if (row === undefined) throw new Error(`segment at y=${seg.y} is on no hex row`);
  const out: number[] = [];
  for (let col = 0; col < 16; col++) {
    const x = cellX(l.columns, col);
    if (x >= seg.x - 0.01 && x + CELL <= seg.x + seg.w + 0.01) out.push(row.row * 16 + col);
  }
  return out;
}

/** Bits (absolute) under a bit mark. */
function markBits(l: PacketLayout, c: Chunk, m: { x: number; y: number; w: number }): number[] {
  const row = c.hexRows.find((h) => m.y > h.y && m.y < h.y + LINE);
  if (row === undefined) throw new Error('bit mark on no hex row');
  const out: number[] = [];
  for (let col = 0; col < 16; col++) {
    for (let bit = 0; bit < 8; bit++) {
      const mid = cellX(l.columns, col) + ((bit + 0.5) / 8) * CELL;
      if (mid > m.x && mid < m.x + m.w) out.push((row.row * 16 + col) * 8 + bit);
    }
  }
  return out;
}

const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/** Axis-aligned segments of a polyline. */
function segments(c: Connector): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let i = 1; i < c.points.length; i++) out.push([c.points[i - 1]![0], c.points[i - 1]![1], c.points[i]![0], c.points[i]![1]]);
  return out;
}

/** Whether a horizontal and a vertical segment cross (touching ends do not count). */
function cross(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  const ah = a[1] === a[3];
  const bh = b[1] === b[3];
  if (ah === bh) return false;
  const [h, v] = ah ? [a, b] : [b, a];
  const hy = h[1];
  const vx = v[0];
  const e = 0.01;
  return vx > Math.min(h[0], h[2]) + e && vx < Math.max(h[0], h[2]) - e && hy > Math.min(v[1], v[3]) + e && hy < Math.max(v[1], v[3]) - e;
}

const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6;
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Every check of the layout of one packet. Problems are collected as text (plain comparisons:
 * these loops run over thousands of items) and asserted empty once; returns the connectors checked.
 */
function checkLayout(p: DissectedPacket, facts: PacketFacts, l: PacketLayout, ctx: LayoutContext): number {
  const problems: string[] = [];
  const fail = (what: string): void => {
    if (problems.length < 20) problems.push(`frame ${p.frame.index}: ${what}`);
  };
  const data = p.frame.data;
  // Chunks fit the page, and the first pass measures the same chunks.
  const measured = measurePacket(p, facts, ctx);
  if (measured.length !== l.chunks.length || measured.some((h, i) => !near(h, l.chunks[i]!.height))) fail(`measured ${measured} != ${l.chunks.map((c) => c.height)}`);
  for (const c of l.chunks) if (c.height > ctx.page.bodyHeight) fail(`chunk ${c.part} is ${c.height} high`);

  // Every byte printed with its value; every row placed once (again only as a repeat).
  const printed = new Set<number>();
  for (const c of l.chunks) {
    for (const h of c.hexRows) {
      const [offset, hex] = h.runs;
      if (parseInt(offset!.text, 16) !== h.row * 16) fail(`row ${h.row} labelled ${offset!.text}`);
      const bytes = hex!.text.split(/\s+/).map((b) => parseInt(b, 16));
      if (!same(bytes, [...data.subarray(h.row * 16, h.row * 16 + 16)])) fail(`row ${h.row} prints ${hex!.text}`);
      if (!h.repeated) {
        if (printed.has(h.row)) fail(`row ${h.row} placed twice`);
        printed.add(h.row);
      }
    }
  }
  if (printed.size !== Math.ceil(data.length / 16)) fail(`${printed.size} rows placed for ${data.length} bytes`);

  // Every field with bytes: one row (with the full text), an outline over exactly its bytes.
  const rowsOf = new Map<FieldNode, { r: FieldRow; ci: number }[]>();
  l.chunks.forEach((c, ci) => {
    for (const r of c.rows) {
      const list = rowsOf.get(r.field) ?? [];
      list.push({ r, ci });
      rowsOf.set(r.field, list);
    }
  });
  const boxesOf = new Map<ByteSpan, { c: Chunk; box: ChunkBox }[]>();
  for (const c of l.chunks) {
    for (const box of c.boxes) {
      const list = boxesOf.get(box.span) ?? [];
      list.push({ c, box });
      boxesOf.set(box.span, list);
    }
  }
  let connectors = 0;
  for (const { field, layer, depth } of allFields(p)) {
    const key = field.key;
    const mine = rowsOf.get(field) ?? [];
    if (mine.length === 0) {
      fail(`${key} has no row`);
      continue;
    }
    const text = mine.flatMap(({ r }) => r.runs.filter((x) => x.role !== 'muted' || x.font === 'HI' || x.font === 'UI').map((x) => x.text)).join('');
    if (!squash(text).includes(squash(fieldText(field)))) fail(`${key} row reads ${text}`);
    const span = fieldSpan(field, depth, layer, data.length);
    const head = mine[0]!.r;
    if (span === undefined) {
      if (head.span !== undefined) fail(`${key} has a box but no bytes`);
      continue;
    }
    if (head.span === undefined || head.span.from !== span.from || head.span.to !== span.to || head.span.bits?.from !== span.bits?.from || head.span.bits?.to !== span.bits?.to) {
      fail(`${key} span ${JSON.stringify(head.span)} != ${JSON.stringify(span)}`);
      continue;
    }
    const covered = new Set<number>();
    const bits = new Set<number>();
    for (const { c, box } of boxesOf.get(head.span) ?? []) {
      for (const seg of box.segments) for (const b of segmentBytes(l, c, seg)) covered.add(b);
      for (const m of box.bitMarks) for (const b of markBits(l, c, m)) bits.add(b);
    }
    if (!same([...covered].sort((a, b) => a - b), range(span.from, span.to))) fail(`${key} outlines bytes ${[...covered]} not ${span.from}..${span.to - 1}`);
    if (span.bits !== undefined) {
      if (!same([...bits].sort((a, b) => a - b), range(span.bits.from, span.bits.to))) fail(`${key} marks bits ${[...bits]} not ${span.bits.from}..${span.bits.to - 1}`);
      // The row shows the bits as Wireshark does, read from the frame.
      const pattern = bitPattern(data, span);
      if (!head.runs.some((r) => r.text.startsWith(pattern))) fail(`${key} lacks its bit pattern ${pattern}`);
    } else if (bits.size > 0) fail(`${key} has bit marks`);

    // Its connector: from the row's edge to its own box.
    const c = l.chunks[mine[0]!.ci]!;
    const cn = c.connectors.filter((x) => x.row === head);
    if (!ctx.connectors) {
      if (cn.length > 0) fail(`${key} has a connector`);
      continue;
    }
    if (cn.length !== 1) {
      fail(`${key} has ${cn.length} connectors`);
      continue;
    }
    connectors++;
    const conn = cn[0]!;
    const [sx, sy] = conn.points[0]!;
    const [ex, ey] = conn.points[conn.points.length - 1]!;
    if (!near(sx, l.columns.fieldWidth + 1) || sy <= head.y || sy >= head.y + LINE) fail(`${key} connector starts at ${sx},${sy}`);
    const target = c.hexRows.find((h) => h.row === span.from >> 4 && (h.line < head.line || (h.line === head.line && conn.route === 'level')));
    if (target === undefined) {
      fail(`${key}: its row is not on its page above it`);
      continue;
    }
    const seg = (boxesOf.get(head.span) ?? []).find((b) => b.c === c)!.box.segments[0]!;
    const box = (boxesOf.get(head.span) ?? []).find((b) => b.c === c)!.box;
    if (conn.route === 'direct') {
      if (ex < seg.x || ex > seg.x + seg.w || ey <= target.y || ey > target.y + LINE) fail(`${key} connector ends at ${ex},${ey}, not in its box`);
      if (span.bits !== undefined) {
        const m = box.bitMarks[0]!;
        if (ex < m.x || ex > m.x + m.w) fail(`${key} connector misses its bits`);
      }
      // Its rise passes no other hex row, its level run crosses no hex row.
      for (const h of c.hexRows) {
        if (h === target) continue;
        if (h.y < sy && h.y + LINE > ey) fail(`${key} rise crosses row ${h.row}`);
        if (sy >= h.y && sy <= h.y + LINE) fail(`${key} leg crosses row ${h.row}`);
      }
    } else if (conn.route === 'level') {
      if (span.from % 16 !== 0 || ey !== sy || ex >= l.columns.hexLeft) fail(`${key} level connector ${JSON.stringify(conn.points)}`);
    } else {
      // Gutter lanes lie between the columns; the connector ends at its row's left.
      const lane = conn.points[1]![0];
      if (lane <= l.columns.fieldWidth || lane >= l.columns.hexLeft || ey <= target.y || ey >= target.y + LINE || ex >= l.columns.hexLeft) fail(`${key} gutter connector ${JSON.stringify(conn.points)}`);
    }
  }

  // Fields in byte order make nested L shapes: no two direct connectors of such fields cross.
  for (const c of l.chunks) {
    const direct = c.connectors.filter((x) => x.route === 'direct');
    for (let i = 0; i < direct.length; i++) {
      for (let j = i + 1; j < direct.length; j++) {
        const [a, b] = [direct[i]!, direct[j]!];
        // Only connectors whose vertical spans overlap can cross.
        if (a.points[2]![1] > b.points[0]![1] || b.points[2]![1] > a.points[0]![1]) continue;
        const inOrder = (a.row.line - b.row.line) * (a.points[1]![0] - b.points[1]![0]) >= 0;
        if (!inOrder) continue;
        if (segments(a).some((s) => segments(b).some((t) => cross(s, t)))) fail(`${a.row.field.key} and ${b.row.field.key} cross`);
      }
    }
  }
  expect(problems).toEqual([]);
  return connectors;
}

describe('pdfdump layout', () => {
  it('DNS, a TCP SYN with options, an HTTP request and a TLS ClientHello: boxes, bits, bytes, connectors', async () => {
    const ctx = await layoutContext();
    const wanted = new Set([11, 13, 15, 18, 47]);
    const packets = await loadPackets(SMALL_OFFICE, (i) => wanted.has(i));
    expect(packets.map((x) => x.packet.frame.index)).toEqual([11, 13, 15, 18, 47]);
    let connectors = 0;
    for (const { packet, facts } of packets) connectors += checkLayout(packet, facts, layoutPacket(packet, facts, ctx), ctx);
    expect(connectors).toBeGreaterThan(200);
  });

  it('holds on every packet of a range of corpus captures, in both paper sizes and orientations', async () => {
    const captures = ['tcpdump__dns_udp.pcap', 'tcpdump__edns-opts.pcap', 'pcapplusplus__tls1_3.pcap', 'pcapplusplus__tls2.pcap', 'libpcap__ipv6_ext_headers.pcap', 'packetnet__tcp_with_extra_bytes.pcap', 'packetnet__gre_all_options.pcap', 'arkime__twovlan.pcap', 'arkime__80211http.pcap', 'tcpdump__ipv6_jumbogram_1.pcap', 'zeek__dns-corrupt.pcap', 'zeek__mdns.pcap', 'ndpi__snmp.pcap'];
    const contexts = [await layoutContext(), await layoutContext({ paper: 'letter', landscape: true })];
    let packets = 0;
    for (const name of captures) {
      for (const { packet, facts } of await loadPackets(`${CORPUS}/${name}`, (i) => i <= 12, false, 12)) {
        for (const ctx of contexts) checkLayout(packet, facts, layoutPacket(packet, facts, ctx), ctx);
        packets++;
      }
    }
    expect(packets).toBeGreaterThan(60);
  });

  it('holds on the first packets of every capture in the corpus', async () => {
    const ctx = await layoutContext();
    let packets = 0;
    for (const name of readdirSync(CORPUS).filter((n) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(n)).sort()) {
      let loaded: Awaited<ReturnType<typeof loadPackets>>;
      try {
        loaded = await loadPackets(`${CORPUS}/${name}`, (i) => i <= 2, false, 2);
      } catch {
        continue; // unreadable on purpose (bad versions, cut headers)
      }
      for (const { packet, facts } of loaded) {
        checkLayout(packet, facts, layoutPacket(packet, facts, ctx), ctx);
        packets++;
      }
    }
    expect(packets).toBeGreaterThan(400);
  }, 300_000);

  it('a jumbo frame (9,000 bytes) runs over several pages, each with the header, every byte once', async () => {
    const ctx = await layoutContext();
    const payload = new Uint8Array(9000 - 14 - 20 - 8).map((_, i) => (i * 7) & 0xff);
    const udp = Uint8Array.from([0x30, 0x39, 0x30, 0x3a, (payload.length + 8) >> 8, (payload.length + 8) & 0xff, 0, 0, ...payload]);
    const bytes = ethIpv4(17, udp);
    expect(bytes.length).toBe(9000);
    const p = new Dissector(defaultRegistry(), { mode: 'full', strict: true }).dissect(frameOf(bytes));
    const l = layoutPacket(p, FACTS, ctx);
    expect(l.chunks.length).toBeGreaterThan(5);
    for (const c of l.chunks) {
      expect(c.parts).toBe(l.chunks.length);
      expect(c.header.some((r) => r.text === 'Frame 1')).toBe(true);
    }
    expect(l.chunks[1]!.header.some((r) => /part 2 of \d+, continued/.test(r.text))).toBe(true);
    checkLayout(p, FACTS, l, ctx);
  });

  it('--no-connectors: boxes without connectors', async () => {
    const ctx = await layoutContext({ connectors: false });
    for (const { packet, facts } of await loadPackets(SMALL_OFFICE, (i) => i === 15)) {
      const l = layoutPacket(packet, facts, ctx);
      expect(l.chunks.flatMap((c) => c.connectors)).toHaveLength(0);
      checkLayout(packet, facts, l, ctx);
    }
  });

  it('a long value wraps onto further lines and loses nothing', async () => {
    const ctx = await layoutContext();
    const value = `GET /${'abcdefghij/'.repeat(40)}index.html HTTP/1.1\r\nHost: example.com\r\n\r\n`;
    const tcp = Uint8Array.from([0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0, ...Buffer.from(value, 'latin1')]);
    const p = new Dissector(defaultRegistry(), { mode: 'full', strict: true }).dissect(frameOf(ethIpv4(6, tcp)));
    const l = layoutPacket(p, FACTS, ctx);
    const long = l.chunks.flatMap((c) => c.rows).find((r) => r.field.display.includes('abcdefghij/abcdefghij'));
    expect(long).toBeDefined();
    expect(long!.lines).toBeGreaterThan(3);
    checkLayout(p, FACTS, l, ctx);
  });
});
