/**
 * The produced PDF, read back with pdfjs (and poppler's pdftotext): page count, outline,
 * contents links, metadata, every field's label and value on its packet's pages, and the hex
 * column equal to the packet's bytes.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnGeometry, fieldText, layoutPacket } from '../../src/pdfdump/layout.js';
import { pageGeometry } from '../../src/pdfdump/theme.js';
import { type PdfdumpOptions, writePacketDump } from '../../src/run/run-pdfdump.js';
import { allFields, layoutContext, loadPackets, type LoadedPacket, SMALL_OFFICE, squash } from './helpers.js';

type PdfDoc = Awaited<ReturnType<typeof import('pdfjs-dist/legacy/build/pdf.mjs').getDocument>['promise']>;
interface Item {
  readonly str: string;
  readonly x: number;
  readonly y: number;
}

const FRAMES = [11, 13, 15, 18, 47];
const OPTIONS: PdfdumpOptions = {
  output: '',
  packets: FRAMES.join(','),
  count: undefined,
  paper: 'a4',
  landscape: false,
  theme: 'light',
  connectors: true,
  compact: false,
  decodeAs: [],
};

let dir: string;
let path: string;
let result: Awaited<ReturnType<typeof writePacketDump>>;
let doc: PdfDoc;
let packets: LoadedPacket[];

async function write(file: string, capture: string, o: Partial<PdfdumpOptions>): Promise<Awaited<ReturnType<typeof writePacketDump>>> {
  const out = createWriteStream(file);
  const r = await writePacketDump(capture, 'small-office.pcap', out, { ...OPTIONS, ...o });
  await new Promise<void>((resolve) => out.end(resolve));
  return r;
}

async function open(file: string): Promise<PdfDoc> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const standardFontDataUrl = `${dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
  return pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), useSystemFonts: false, standardFontDataUrl }).promise;
}

async function pageItems(d: PdfDoc, n: number): Promise<Item[]> {
  const content = await (await d.getPage(n)).getTextContent();
  const out: Item[] = [];
  for (const i of content.items) if ('str' in i && i.str !== '') out.push({ str: i.str, x: i.transform[4] as number, y: i.transform[5] as number });
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pcapviz-pdfdump-'));
  path = join(dir, 'dump.pdf');
  result = await write(path, SMALL_OFFICE, {});
  doc = await open(path);
  packets = await loadPackets(SMALL_OFFICE, (i) => FRAMES.includes(i));
}, 120_000);

afterAll(async () => {
  await doc?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('pdfdump: the PDF read back', () => {
  it('has the pages the layout gives: first page, contents, then every chunk of every packet', async () => {
    const ctx = await layoutContext();
    const chunks = packets.reduce((n, { packet, facts }) => n + layoutPacket(packet, facts, ctx).chunks.length, 0);
    expect(result.packets).toBe(5);
    expect(doc.numPages).toBe(result.pages);
    expect(doc.numPages).toBe(1 + 1 + chunks);
    for (let n = 1; n <= doc.numPages; n++) {
      const text = (await pageItems(doc, n)).map((i) => i.str).join(' ');
      expect(text).toContain(`page ${n} of ${doc.numPages}`);
    }
  });

  it('has an outline entry per packet with a child per layer, each leading to its page', async () => {
    const outline = await doc.getOutline();
    expect(outline.map((o) => o.title.split(':')[0])).toEqual(FRAMES.map((f) => `Frame ${f}`));
    expect(outline[2]!.title).toMatch(/^Frame 15: TCP 41475 → 80 \[SYN\]/);
    const ctx = await layoutContext();
    for (let k = 0; k < FRAMES.length; k++) {
      const { packet } = packets[k]!;
      const o = outline[k]!;
      expect(o.items.map((i) => i.title)).toEqual(packet.layers.map((l) => `${ctx.protocolName(l.protocol)}${l.summary !== '' ? `, ${l.summary}` : ''}`));
      const page = await doc.getPageIndex((o.dest as unknown[])[0] as never);
      const text = (await pageItems(doc, page + 1)).map((i) => i.str).join(' ');
      expect(text).toContain(`Frame ${FRAMES[k]}`);
    }
  });

  it('links every contents line to its packet and names its page', async () => {
    const page = await doc.getPage(2);
    const links = (await page.getAnnotations()).filter((a) => a.subtype === 'Link');
    expect(links.map((a) => a.dest)).toEqual([...FRAMES.map((f) => `frame-${f}`), 'contents']);
    const text = (await pageItems(doc, 2)).map((i) => i.str).join(' ');
    expect(text).toContain('Contents');
    for (const f of FRAMES) expect(text).toContain(`Frame ${f}`);
    const dests = await doc.getDestinations();
    for (const f of FRAMES) expect(dests[`frame-${f}`]).toBeDefined();
  });

  it('carries document metadata and the capture summary and legend on its first page', async () => {
    const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, string> };
    expect(info['Title']).toBe('Packet dump of small-office.pcap');
    expect(info['Author']).toBe('pcapviz');
    expect(info['Creator']).toBe('pcapviz pdfdump');
    expect(info['Keywords']).toContain('dns');
    const text = (await pageItems(doc, 1)).map((i) => i.str).join(' ');
    expect(text).toContain('5 packets of 178 frames in the capture are dumped here (chosen with --packets 11,13,15,18,47)');
    expect(text).toContain('173 packets are left out.');
    for (const s of ['File encapsulation', 'ether', 'Packets', '178', 'eth · Ethernet II', 'tls · Transport Layer Security', 'Protocols and their colours']) expect(text).toContain(s);
  });

  it('shows every field label and value of each packet on its pages, and its bytes in the hex column', async () => {
    const outline = await doc.getOutline();
    const page = pageGeometry('a4', false);
    for (let k = 0; k < FRAMES.length; k++) {
      const { packet } = packets[k]!;
      const first = (await doc.getPageIndex((outline[k]!.dest as unknown[])[0] as never)) + 1;
      const next = k + 1 < FRAMES.length ? (await doc.getPageIndex((outline[k + 1]!.dest as unknown[])[0] as never)) + 1 : doc.numPages + 1;
      const g = columnGeometry(page.contentWidth, packet.frame.data.length);
      const items: Item[] = [];
      for (let n = first; n < next; n++) items.push(...(await pageItems(doc, n)).map((i) => ({ ...i, y: i.y + n * 10_000 })));
      const left = squash(items.filter((i) => i.x < page.marginX + g.hexLeft - 2).map((i) => i.str).join(''));
      for (const { field } of allFields(packet)) {
        expect(left, `frame ${FRAMES[k]} ${field.key}`).toContain(squash(fieldText(field)));
        // Most rows read "Label: value"; some (a DNS query, an option) are their value alone, as in Wireshark.
        if (field.display.includes(field.label)) expect(left, `frame ${FRAMES[k]} ${field.key} label`).toContain(squash(field.label));
      }
      // The hex column: offset labels, and the bytes printed on their line.
      const offsets = items.filter((i) => Math.abs(i.x - (page.marginX + g.hexLeft)) < 0.5 && /^[0-9a-f]{4,}$/.test(i.str));
      const seen = new Set<number>();
      for (const o of offsets) {
        // The row's hex text (a reader may split it at the gap after eight bytes).
        const hex = items.filter((i) => Math.abs(i.y - o.y) < 0.5 && i.x > page.marginX + g.cellsLeft - 1 && i.x < page.marginX + g.asciiLeft - 1);
        expect(hex.length, `row ${o.str}`).toBeGreaterThan(0);
        const at = parseInt(o.str, 16);
        const bytes = hex.sort((a, b) => a.x - b.x).map((i) => i.str).join(' ').trim().split(/\s+/).map((b) => parseInt(b, 16));
        expect(bytes).toEqual([...packet.frame.data.subarray(at, at + 16)]);
        seen.add(at);
      }
      expect(seen.size).toBe(Math.ceil(packet.frame.data.length / 16));
    }
  });

  it('is real text to poppler too (pdftotext), Unicode included', () => {
    const r = spawnSync('pdftotext', ['-f', '5', '-l', '5', path, '-'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Frame 15');
    expect(r.stdout).toContain('Maximum segment size');
    expect(r.stdout).toContain('192.168.1.101 → 198.51.100.10');
  });
});

describe('pdfdump options', () => {
  it('--paper letter --landscape, --theme print (hatch patterns), --compact (fewer pages), --no-connectors', async () => {
    const letter = join(dir, 'letter.pdf');
    await write(letter, SMALL_OFFICE, { paper: 'letter', landscape: true });
    const d = await open(letter);
    const view = (await d.getPage(3)).getViewport({ scale: 1 });
    expect([view.width, view.height]).toEqual([792, 612]);
    await d.destroy();

    const print = join(dir, 'print.pdf');
    const p = await write(print, SMALL_OFFICE, { theme: 'print' });
    expect(p.pages).toBe(result.pages);
    expect(readFileSync(print, 'latin1')).toContain('/PatternType 1');

    const dns = Array.from({ length: 20 }, (_, i) => i + 1).join(',');
    const loose = await write(join(dir, 'loose.pdf'), SMALL_OFFICE, { packets: dns });
    const compact = await write(join(dir, 'compact.pdf'), SMALL_OFFICE, { packets: dns, compact: true });
    expect(compact.packets).toBe(20);
    expect(compact.pages).toBeLessThan(loose.pages);
    const c = await open(join(dir, 'compact.pdf'));
    expect(c.numPages).toBe(compact.pages);
    expect((await c.getOutline()).length).toBe(20);
    await c.destroy();

    const bare = join(dir, 'bare.pdf');
    await write(bare, SMALL_OFFICE, { connectors: false });
    expect(readFileSync(bare).length).toBeLessThan(readFileSync(path).length);
  });

  it('without --packets or -c dumps the first 100 packets and says how many were left out', async () => {
    const file = join(dir, 'default.pdf');
    const r = await write(file, SMALL_OFFICE, { packets: undefined });
    expect(r.packets).toBe(100);
    const d = await open(file);
    expect((await d.getOutline()).length).toBe(100);
    const text = (await pageItems(d, 1)).map((i) => i.str).join(' ');
    expect(text).toContain('100 packets of 178 frames in the capture are dumped here.');
    expect(text).toContain('78 packets are left out: without --packets or -c the first 100 are dumped.');
    await d.destroy();
  });

  it('-Y: a display filter leaves packets out, and the first page says so', async () => {
    const r = await write(join(dir, 'filtered.pdf'), SMALL_OFFICE, { packets: undefined, count: 5, filter: 'dns && udp.srcport == 53' });
    expect(r.packets).toBe(5);
    const d = await open(join(dir, 'filtered.pdf'));
    const titles = (await d.getOutline()).map((o) => o.title);
    expect(titles.every((t) => / DNS Standard query response /.test(t))).toBe(true);
    expect((await pageItems(d, 1)).map((i) => i.str).join(' ')).toContain('(chosen with -c 5 -Y "dns && udp.srcport == 53")');
    await d.destroy();
    // A caller's own test works the same way.
    const k = await write(join(dir, 'kept.pdf'), SMALL_OFFICE, { packets: undefined, count: 2, keep: (p) => p.frame.data.length > 300 });
    expect(k.packets).toBe(2);
  });
});
