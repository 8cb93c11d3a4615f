/**
 * `pcapviz flow` run as a user runs it, each output read back: the SVG as XML with one arrow
 * group per packet (tooltips holding list's Info), the PDF through pdftotext with the lifeline
 * header on every page, the Mermaid text through Mermaid's own parser (messages and participants
 * as the model has them, hostile capture strings coming back as they were), the text diagram
 * against a reviewed golden file and list's columns.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import mermaid from 'mermaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeText } from '../../src/flow/text.js';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';
import { arrowsOf, flowModel, hasTshark, listRows, notesOf, tsharkFrames, type ListRow } from './helpers.js';
import { HOSTILE_CLIENT, HOSTILE_SERVER, hostileCapture } from './hostile-capture.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;
const TLS2 = `${CAPTURES}pcapplusplus__tls2.pcap`;
const RETRANS = `${CAPTURES}arkime__wireshark-retrans.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-flow-'));
const HOSTILE = join(dir, 'hostile.pcap');
beforeAll(() => writeFileSync(HOSTILE, hostileCapture()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flow = (args: string[], out: string): string => {
  const path = join(dir, out);
  const r = runCli(['flow', ...args, '-o', path]);
  expect(r.stderr).toMatch(/wrote/);
  expect(r.status).toBe(0);
  return path;
};

const rowsIn = (path: string, from: number, to: number): ListRow[] => listRows(path).filter((r) => r.number >= from && r.number <= to);

type XmlNode = Record<string, unknown>;

/** Every element named `name` in a parsed XML tree, depth first. */
function elements(node: unknown, name: string, out: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) {
    for (const n of node) elements(n, name, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as XmlNode)) {
      if (k === name) for (const e of Array.isArray(v) ? v : [v]) out.push(e as XmlNode);
      if (!k.startsWith('@_')) elements(v, name, out);
    }
  }
  return out;
}

const parseSvg = (svg: string): unknown => {
  expect(XMLValidator.validate(svg)).toBe(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', trimValues: false, parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: true }).parse(svg);
};

const textOf = (n: unknown): string => (typeof n === 'object' && n !== null ? String((n as XmlNode)['#text'] ?? '') : String(n));

describe('flow SVG', () => {
  it('three hosts: one arrow group per packet with list Info in its tooltip, one head per lifeline, state notes', () => {
    const svg = readFileSync(flow([OFFICE, '--packets', '11-25'], 'office.svg'), 'utf8');
    const tree = parseSvg(svg);
    const groups = elements(tree, 'g');
    const arrows = groups.filter((g) => g['@_class'] === 'arrow');
    const rows = rowsIn(OFFICE, 11, 25);
    expect(arrows.map((g) => Number(g['@_data-frame']))).toEqual(rows.map((r) => r.number));
    arrows.forEach((g, i) => {
      const title = textOf(g['title']).split('\n');
      expect(title[1]).toBe(rows[i]!.info);
      expect(title[0]).toContain(`${rows[i]!.source} → ${rows[i]!.destination}`);
      // The drawn label: the Info, or its start with an ellipsis.
      const texts = elements(g, 'text').map(textOf);
      expect(texts.slice(0, 2)).toEqual([String(rows[i]!.number), rows[i]!.time]);
      expect(texts).toHaveLength(3);
      expect(rows[i]!.info.startsWith(texts[2]!.replace(/…$/, ''))).toBe(true);
    });
    expect(arrows.filter((g) => g['@_data-ack'] === '1').map((g) => Number(g['@_data-frame']))).toEqual([17, 19, 22, 25]);
    const heads = groups.filter((g) => g['@_class'] === 'lifeline-head').map((g) => g['@_data-key']);
    expect(heads).toEqual(['192.168.1.101', '192.168.1.53', '198.51.100.10']);
    expect(groups.filter((g) => g['@_class'] === 'note').map((g) => `${g['@_data-role']}${g['@_data-stream']}`)).toEqual(['start0', 'end0']);
  });

  it('a busy capture: the cut is said, arrows only for the packets drawn', () => {
    const svg = readFileSync(flow([TLS2, '--max-arrows', '40'], 'tls2.svg'), 'utf8');
    const tree = parseSvg(svg);
    expect(elements(tree, 'g').filter((g) => g['@_class'] === 'arrow')).toHaveLength(40);
    expect(svg).toContain(`showing 40 of ${listRows(TLS2).length.toLocaleString('en-US')} packets (--max-arrows 40)`);
  });

  it('expert packets are coloured and say why in the tooltip', () => {
    const tree = parseSvg(readFileSync(flow([RETRANS, '--packets', '1-10'], 'retrans.svg'), 'utf8'));
    const arrows = elements(tree, 'g').filter((g) => g['@_class'] === 'arrow');
    const two = arrows.find((g) => g['@_data-frame'] === '2')!;
    expect(two['@_data-expert']).toBe('error');
    expect(textOf(two['title'])).toContain('[!!] This frame is a (suspected) retransmission');
    const line = elements(two, 'line')[0]!;
    expect(line['@_stroke']).toBe('#cf222e');
  });

  it('hostile capture strings stay text: valid XML, tooltips give back the Info with control characters escaped', () => {
    const tree = parseSvg(readFileSync(flow([HOSTILE], 'hostile.svg'), 'utf8'));
    const arrows = elements(tree, 'g').filter((g) => g['@_class'] === 'arrow');
    const rows = listRows(HOSTILE);
    expect(arrows).toHaveLength(rows.length);
    arrows.forEach((g, i) => expect(textOf(g['title']).split('\n')[1]).toBe(safeText(rows[i]!.info)));
    expect(elements(tree, 'script')).toHaveLength(0);
  });
});

const hasPoppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;

function pdfPages(path: string): string[] {
  const info = spawnSync('pdfinfo', [path], { encoding: 'utf8' });
  expect(info.status).toBe(0);
  const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)![1]);
  const out: string[] = [];
  for (let p = 1; p <= pages; p++) {
    const r = spawnSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', path, '-'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    out.push(r.stdout);
  }
  return out;
}

describe('flow PDF', () => {
  it('opens, is vector with its labels as text', () => {
    const path = flow([OFFICE, '--stream', '0'], 'office.pdf');
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (!hasPoppler) return;
    const [page] = pdfPages(path);
    for (const key of ['192.168.1.101', '198.51.100.10', 'GET / HTTP/1.1', 'HTTP/1.1 200 OK', 'SYN_SENT → ESTABLISHED']) expect(page).toContain(key);
  });

  it.skipIf(!hasPoppler || !hasTshark)('many arrows run over several pages, each with the lifeline header; the cut is said on the last', () => {
    const path = flow([TLS2, '--stream', '84', '--max-arrows', '160'], 'tls2.pdf');
    const pages = pdfPages(path);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const tsharkStream84 = new Set(tsharkFrames(TLS2, 'tcp.stream==84'));
    const ends = spawnSync('tshark', ['-n', '-r', TLS2, '-Y', 'tcp.stream==84', '-c', '1', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ipv6.src', '-e', 'ipv6.dst'], { encoding: 'utf8' });
    const hosts = ends.stdout.trim().split('\t').filter((h) => h !== '');
    pages.forEach((text, i) => {
      for (const h of hosts) expect(text, `page ${i + 1}`).toContain(h);
      expect(text).toContain(`page ${i + 1} of ${pages.length}`);
    });
    expect(pages[pages.length - 1]).toContain('showing 160 of 1,051 packets (--max-arrows 160)');
    // Each drawn frame's number and time on exactly one page, in order.
    const drawn = listRows(TLS2)
      .filter((r) => tsharkStream84.has(r.number))
      .slice(0, 160);
    let page = 0;
    for (const r of drawn) {
      while (page < pages.length && !new RegExp(`\\b${r.number}\\s+${r.time.replace('.', '\\.')}\\b`).test(pages[page]!)) page++;
      expect(page, `frame ${r.number}`).toBeLessThan(pages.length);
    }
  });
});

/** Mermaid's line types: solid and dotted arrows (`->>`, `-->>`), notes. */
const SOLID = 0;
const DOTTED = 1;
const NOTE = 2;
const isArrow = (x: { type: number }): boolean => x.type === SOLID || x.type === DOTTED;

/** Display text as we write it for Mermaid: no `;`, `#`, `:` or `%` except in entity codes. */
const SAFE = '(?:[^;#:%\\n<>]|#\\d+;)*';

/** Mermaid's internal entity markers turned back into characters (what it renders). */
const decodeMermaid = (s: string): string => s.replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCodePoint(Number(n)));

interface MermaidSequence {
  messages: { from?: string; to?: string; message: string; type: number }[];
  actors: Map<string, { description: string }>;
}

async function parseMermaid(text: string): Promise<MermaidSequence> {
  await mermaid.parse(text);
  const d = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = d.db as unknown as { getMessages(): MermaidSequence['messages']; getActors(): MermaidSequence['actors'] };
  return { messages: db.getMessages(), actors: db.getActors() };
}

describe('flow Mermaid', () => {
  it('parses with Mermaid: participants and messages as the model has them', async () => {
    const text = readFileSync(flow([OFFICE, '--packets', '11-41', '--no-names'], 'office.mmd'), 'utf8');
    expect(text.startsWith('sequenceDiagram\n')).toBe(true);
    const seq = await parseMermaid(text);
    const m = await flowModel(OFFICE, { packets: '11-41', acks: 'dashed' });
    expect([...seq.actors.values()].map((a) => decodeMermaid(a.description))).toEqual(m.lifelines.map((l) => l.key));
    const arrows = arrowsOf(m);
    const notes = notesOf(m);
    // Messages: every arrow and note; rect blocks add none.
    const plain = seq.messages.filter(isArrow);
    expect(plain).toHaveLength(arrows.length);
    expect(seq.messages.filter((x) => x.type === NOTE)).toHaveLength(notes.length);
    const rows = rowsIn(OFFICE, 11, 41);
    plain.forEach((x, i) => {
      const r = rows[i]!;
      const marker = arrows[i]!.expert?.level === 'error' ? '(!!) ' : '';
      expect(decodeMermaid(x.message)).toBe(`${marker}${r.number} (${r.time} s) ${r.info}`);
      expect([x.from, x.to]).toEqual([`p${arrows[i]!.from}`, `p${arrows[i]!.to}`]);
    });
    // ACK-only packets use the dotted arrow, the rest the solid one (Mermaid's line types 1 and 0).
    expect(plain.map((x) => x.type)).toEqual(arrows.map((a) => (a.dashed ? DOTTED : SOLID)));
    expect(text).toMatch(/ {2}rect rgba\(207, 34, 46, 0\.14\)\n {4}p\d+->>p\d+: \(!!\) 39 /);
  });

  it('hostile capture strings cannot break out: one message per packet, each giving back its Info', async () => {
    const text = readFileSync(flow([HOSTILE], 'hostile.mmd'), 'utf8');
    const rows = listRows(HOSTILE);
    expect(rows.some((r) => /[;#:<>%]/.test(r.info))).toBe(true);
    const seq = await parseMermaid(text);
    const plain = seq.messages.filter(isArrow);
    expect(plain).toHaveLength(rows.length);
    plain.forEach((x, i) => expect(decodeMermaid(x.message)).toBe(`${rows[i]!.number} (${rows[i]!.time} s) ${safeText(rows[i]!.info)}`));
    expect([...seq.actors.values()].map((a) => decodeMermaid(a.description))).toEqual([HOSTILE_CLIENT, `${HOSTILE_SERVER} (x)`]);
    // Every statement line is one of the forms we write.
    for (const line of text.trimEnd().split('\n').slice(1)) {
      expect(line).toMatch(new RegExp(`^ {2}(%% ${SAFE}|participant p\\d+ as ${SAFE}|Note over p\\d+(,p\\d+)?: ${SAFE}|( {2})?p\\d+-?->>p\\d+: ${SAFE}|rect rgba\\([\\d., ]+\\)|end)$`));
    }
  });

  it('a cut diagram says so in a note over all participants', async () => {
    const text = readFileSync(flow([TLS2, '--max-arrows', '25'], 'tls2.mmd'), 'utf8');
    const seq = await parseMermaid(text);
    const last = seq.messages[seq.messages.length - 1]!;
    expect(last.type).toBe(NOTE);
    expect(decodeMermaid(last.message)).toBe(`showing 25 of ${listRows(TLS2).length.toLocaleString('en-US')} packets (--max-arrows 25)`);
  });
});

describe('flow text', () => {
  it('golden: the HTTP connection of the office capture (reviewed against list and tshark)', () => {
    const out = readFileSync(flow([OFFICE, '--stream', '0', '--no-names'], 'office.txt'), 'utf8');
    expect(out).toBe(readFileSync(new URL('./golden/small-office-stream0.txt', import.meta.url), 'utf8'));
    // Independently of the golden file: an arrow line per packet with list's number and time,
    // the label line above it with the start of list's Info.
    const lines = out.split('\n');
    for (const r of rowsIn(OFFICE, 15, 25)) {
      const at = lines.findIndex((l) => l.startsWith(`${String(r.number).padStart(3)}  ${r.time}`));
      expect(at, `frame ${r.number}`).toBeGreaterThan(0);
      expect(lines[at]).toMatch(/\|[ -]*->\||\|<-[ -]*\|/);
      const label = lines[at - 1]!.replace(/^\s*\|\s+/, '').replace(/\s+\|$/, '');
      expect(r.info.startsWith(label.replace(/…$/, ''))).toBe(true);
    }
  });

  it('standard output by default, the same text as -o file.txt and -o -', () => {
    const file = readFileSync(flow([OFFICE, '--stream', '0'], 'same.txt'), 'utf8');
    const plain = runCli(['flow', OFFICE, '--stream', '0']);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe(file);
    expect(runCli(['flow', OFFICE, '--stream', '0', '-o', '-']).stdout).toBe(file);
    expect(runCli(['flow', OFFICE, '--stream', '0', '-o', '-', '--format', 'mmd']).stdout).toMatch(/^sequenceDiagram\n/);
  });

  it('control characters from packets are escaped, expert packets marked', () => {
    const hostile = runCli(['flow', HOSTILE]).stdout;
    // eslint-disable-next-line no-control-regex
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(hostile).toContain('new\\nline.tab\\there');
    const retrans = runCli(['flow', RETRANS, '--packets', '1-7']).stdout;
    expect(retrans).toMatch(/\(!!\) \[TCP Retransmission\]/);
    expect(retrans).toMatch(/\|=+>\|/);
    expect(retrans).toMatch(/\(!\) \[TCP Dup ACK 6#1\]/);
  });

  it('width stays sensible: 3 lifelines within 130 columns, 8 within 180', async () => {
    const widest = (args: string[]): number => Math.max(...runCli(['flow', OFFICE, ...args]).stdout.split('\n').map((l) => Array.from(l).length));
    expect((await flowModel(OFFICE, { packets: '11-25' })).lifelines).toHaveLength(3);
    expect(widest(['--packets', '11-25'])).toBeLessThanOrEqual(130);
    expect((await flowModel(OFFICE, { packets: '11-33' })).lifelines).toHaveLength(8);
    expect(widest(['--packets', '11-33'])).toBeLessThanOrEqual(180);
  });

  it('bad options are refused with a message', () => {
    for (const [args, msg] of [
      [['--conv', '10.0.0.1'], /two ends/],
      [['--max-arrows', '-1'], /--max-arrows/],
      [['-o', join(dir, 'x.png')], /extension/],
      [['--stream', '1.5'], /--stream/],
    ] as const) {
      const r = runCli(['flow', OFFICE, ...args]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
