/**
 * Output safety: the hostile-strings fixture (markup, DOT and Markdown syntax, spreadsheet
 * formulas, terminal escapes, C0/C1 controls, a bidi override, bytes that are not UTF-8 and a
 * long URI in every text field the dissector decodes; its pcapng twin adds an interface name and
 * description and packet comments) goes through every command and output format of the real
 * CLI, and each output is read back with a parser of its own format:
 *
 * - terminal text (list, show, fields, stats, follow, flow, info tables): no ESC, no C0 or C1
 *   control but a newline (a tab where columns are tab-separated), no bidi override;
 * - CSV: every row has the header's columns, no cell starts like a formula;
 * - Markdown: rendered by markdown-it with raw HTML and every link allowed, it has no element
 *   or link from a packet, and every table row has its header's cells;
 * - HTML and SVG: parsed by jsdom; no element, attribute, script or event handler from a packet;
 * - DOT: parsed by ts-graphviz; every node's tooltip is its host's name, control characters
 *   escaped, and its HTML-like label is well-formed markup holding the name as text;
 * - JSON: parses, and strings are exactly the dissected values;
 * - PDF: the text pdfjs extracts holds the markup as visible characters and no control.
 *
 * One CLI run per command and format, two at a time, shared by the assertions.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JSDOM } from 'jsdom';
import MarkdownIt from 'markdown-it';
import { fromDot } from 'ts-graphviz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { escapeControl } from '../../src/render/text-safety.js';
import { FIXTURES } from '../helpers/capture-bytes.js';
import { parseCsv } from '../helpers/csv.js';
import { allFields } from '../helpers/dissect.js';

const PCAP = `${FIXTURES}hostile-strings.pcap`;
const PCAPNG = `${FIXTURES}hostile-strings.pcapng`;
const BIN = new URL('../../bin/pcapviz.js', import.meta.url).pathname;

/** Printable markup every output that shows DNS names or hosts must show as plain text. */
const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', ']]>-->', '"\\{ }->label=<<b>x</b>>', '|`x`[x](javascript:alert(1))*_~'];

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_NO_TAB = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Fails with the offending character and its surroundings. */
function expectTerminalSafe(text: string, what: string, { tabs = false, crlf = false } = {}): void {
  const s = crlf ? text.replace(/\r\n/g, '\n') : text;
  const m = (tabs ? UNSAFE : UNSAFE_NO_TAB).exec(s);
  const where = m ? `${what}: U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} in ${JSON.stringify(s.slice(Math.max(0, m.index - 40), m.index + 40))}` : '';
  expect(where).toBe('');
}

interface Run {
  readonly status: number | null;
  readonly out: Buffer;
  readonly err: string;
}

/** Runs the CLI; `colour` forces the colours a terminal would get, `tty` runs it on a pseudo-terminal. */
function cli(args: readonly string[]): Promise<Run> {
  const colour = args[0] === COLOUR;
  const tty = args[0] === TTY;
  const rest = colour || tty ? args.slice(1) : args;
  const env = colour ? { ...process.env, NO_COLOR: '', FORCE_COLOR: '1' } : { ...process.env, NO_COLOR: '1' };
  // util-linux script(1) gives the commands a terminal as standard output.
  const [file, argv] = tty ? ['script', ['-qec', rest.join(' '), '/dev/null']] : [process.execPath, [BIN, ...rest]];
  return new Promise((resolve) => {
    execFile(file, argv, { encoding: 'buffer', maxBuffer: 1 << 28, env }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, out: stdout, err: stderr.toString('utf8') });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pcapviz-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture dissected here, and every field key whose value is text in any of its packets. */
const packets: DissectedPacket[] = [];
let textKeys: string[] = [];

const UDP_STREAMS = [1, 7, 8, 13, 15];
const COLOUR = '<colour>';
const TTY = '<tty>';
const HAS_SCRIPT = execFileSync('sh', ['-c', 'command -v script || true']).toString().trim() !== '';
const RUNS: Record<string, readonly string[]> = {};
const add = (name: string, args: readonly string[]): void => {
  RUNS[name] = args;
};
for (const f of ['table', 'json', 'csv']) add(`list ${f}`, ['list', PCAP, '--format', f]);
for (const f of ['text', 'json']) {
  add(`show ${f}`, ['show', PCAP, '--format', f]);
  add(`show ${f} pcapng`, ['show', PCAPNG, '--packets', '1-3', '--format', f]);
}
for (const f of ['table', 'json', 'csv', 'md']) {
  add(`stats ${f}`, ['stats', 'conv,endpoints,protocols,io,tcp,expert,dns,http,tls', PCAP, '--format', f]);
  add(`info ${f}`, ['info', PCAPNG, '--format', f]);
}
// TCP streams: 2 HTTP, 4 SSH, 5 Telnet; UDP streams: 1 DNS, 7 SIP (and SDP), 8 syslog, 13 RADIUS,
// 15 Kerberos.
for (const f of ['ascii', 'hex', 'raw', 'yaml']) add(`follow tcp 2 ${f}`, ['follow', 'tcp', PCAP, '2', '--format', f]);
for (const s of [4, 5]) add(`follow tcp ${s} ascii`, ['follow', 'tcp', PCAP, String(s)]);
for (const s of UDP_STREAMS) add(`follow udp ${s} ascii`, ['follow', 'udp', PCAP, String(s)]);
add('follow udp 7 hex', ['follow', 'udp', PCAP, '7', '--format', 'hex']);
for (const f of ['svg', 'dot', 'json', 'png', 'pdf']) add(`graph ${f}`, ['graph', PCAP, '--format', f, '-o', '-']);
add('graph dot app', ['graph', PCAP, '--format', 'dot', '--layer', 'app', '-o', '-']);
for (const f of ['txt', 'svg', 'mmd', 'pdf']) add(`flow ${f}`, ['flow', PCAP, '--format', f, '-o', '-']);
add('flow txt endpoint', ['flow', PCAP, '--by', 'endpoint', '-o', '-']);
add('pdfdump', ['pdfdump', PCAP, '-o', '-', '--packets', '1-115']);
add('list table colour', [COLOUR, 'list', PCAP]);
add('show text colour', [COLOUR, 'show', PCAP]);
add('flow txt colour', [COLOUR, 'flow', PCAP]);
const onTty = (args: string): string => `'${process.execPath}' '${BIN}' ${args} '${PCAP}' -o - </dev/null; echo "exit $?"`;
if (HAS_SCRIPT) add('follow on a terminal', [TTY, `'${process.execPath}' '${BIN}' follow tcp '${PCAP}' 2 </dev/null`]);
if (HAS_SCRIPT) add('binary to a terminal', [TTY, [onTty('graph --format png'), onTty('report --format pdf'), onTty('flow --format pdf'), onTty('pdfdump')].join('; ')]);
// Every packet's tree in HTML and Markdown; the PDF's packet pages are pdfdump's, checked below.
for (const f of ['html', 'md', 'json']) add(`report ${f}`, ['report', PCAP, '--format', f, '-o', '-', '--dump', '115']);
add('report pdf', ['report', PCAP, '--format', 'pdf', '-o', '-', '--dump', '20']);

const results = new Map<string, Run>();
const run = (name: string): Run => {
  const r = results.get(name);
  if (r === undefined) throw new Error(`no run ${name}`);
  return r;
};
/** Standard output of a run that must succeed, as text. */
const text = (name: string): string => {
  const r = run(name);
  expect(r.status, `${name}: ${r.err}`).toBe(0);
  return r.out.toString('utf8');
};

beforeAll(async () => {
  const reader = await openCapture(PCAP);
  const dissector = new Dissector(defaultRegistry(), { strict: true });
  for await (const frame of reader) packets.push(dissector.dissect(frame));
  const keys = new Set<string>();
  for (const p of packets) for (const f of allFields(p)) if (typeof f.value === 'string' && !f.key.startsWith('frame.')) keys.add(f.key);
  textKeys = [...keys].sort();
  add('fields', ['fields', PCAP, ...textKeys.flatMap((k) => ['-e', k])]);
  add('fields -E', ['fields', PCAP, '-E', 'header=y', '-E', 'separator=,', '-E', 'quote=d', '-E', 'occurrence=a', '-E', 'aggregator=;', ...textKeys.flatMap((k) => ['-e', k])]);
  // batch: both fixtures in one folder.
  const input = join(dir, 'in');
  mkdirSync(input);
  copyFileSync(PCAP, join(input, 'hostile-strings.pcap'));
  copyFileSync(PCAPNG, join(input, 'hostile-strings.pcapng'));
  add('batch', ['batch', input, '-o', join(dir, 'out'), '-q', '-j', '1']);
  const names = Object.keys(RUNS);
  const parallel = 2;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < names.length) {
        const name = names[next++]!;
        results.set(name, await cli(RUNS[name]!));
      }
    }),
  );
}, 400_000);

// ------------------------------------------------------------------ readers of each format

/** The visible text of an HTML or SVG document, after checking it holds nothing a packet made. */
function checkDom(doc: Document, what: string, allowedScripts: number): string {
  expect(doc.querySelectorAll('script').length, `${what}: scripts`).toBe(allowedScripts);
  for (const tag of ['img', 'iframe', 'object', 'embed', 'foreignObject', 'b', 'i', 'svg svg', 'a[href^="javascript"]']) expect(doc.querySelectorAll(tag).length, `${what}: ${tag}`).toBe(0);
  for (const el of doc.querySelectorAll('*')) {
    for (const a of el.attributes) {
      expect(a.name.startsWith('on'), `${what}: ${el.tagName} ${a.name}`).toBe(false);
      // In-page anchors, inline images, and files beside the page (a name of our own: no colon).
      if (['href', 'src', 'xlink:href', 'action'].includes(a.name)) expect(a.value, `${what}: ${el.tagName} ${a.name}`).toMatch(/^(#|data:,$|data:image\/(png|svg\+xml);base64,|[\w./-]+$)/);
    }
  }
  return doc.documentElement.textContent ?? '';
}

function checkSvg(svg: string, what: string): string {
  const doc = new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;
  expect(doc.querySelector('parsererror'), `${what}: not well-formed`).toBeNull();
  for (const el of doc.querySelectorAll('*')) expect(el.namespaceURI, `${what}: ${el.tagName}`).toBe('http://www.w3.org/2000/svg');
  // Text drawn, and tooltips (Graphviz puts them in xlink:title attributes).
  const tooltips = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.localName === 'title').map((a) => a.value));
  const visible = [checkDom(doc, what, 0), ...tooltips].join('\n');
  expectTerminalSafe(visible, what, { tabs: true });
  return visible;
}

function checkMarkdown(md: string, what: string): string {
  // Raw HTML on and every link allowed: whatever markup the text carries would become elements.
  const it = new MarkdownIt({ html: true, linkify: false });
  it.validateLink = () => true;
  const doc = new JSDOM(it.render(md)).window.document;
  const visible = checkDom(doc, what, 0);
  const allowed = new Set(['HTML', 'HEAD', 'BODY', 'H1', 'H2', 'H3', 'H4', 'P', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'CODE', 'PRE', 'UL', 'OL', 'LI', 'EM', 'STRONG', 'A', 'BR', 'HR', 'BLOCKQUOTE']);
  for (const el of doc.querySelectorAll('*')) expect(allowed.has(el.tagName), `${what}: element ${el.tagName}`).toBe(true);
  for (const a of doc.querySelectorAll('a')) expect(a.getAttribute('href'), `${what}: link`).toMatch(/^#/);
  for (const table of doc.querySelectorAll('table')) {
    const width = table.querySelectorAll('thead tr th').length;
    for (const tr of table.querySelectorAll('tbody tr')) expect(tr.children.length, `${what}: a row of ${tr.textContent}`).toBe(width);
  }
  expectTerminalSafe(md, what, { tabs: true });
  return visible;
}

function checkCsv(csv: string, what: string): string[][] {
  expectTerminalSafe(csv, what, { crlf: true });
  const rows = parseCsv(csv);
  expect(rows.length, what).toBeGreaterThan(1);
  const width = rows[0]!.length;
  for (const row of rows) {
    expect(row.length, `${what}: ${JSON.stringify(row)}`).toBe(width);
    for (const cell of row) if (/^[=+\-@\t\r]/.test(cell)) expect(cell, `${what}: formula-looking cell`).toMatch(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/);
  }
  return rows;
}

async function pdfText(pdf: Buffer, what: string): Promise<string> {
  expect(pdf.subarray(0, 5).toString('latin1'), what).toBe('%PDF-');
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const standardFontDataUrl = `${dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
  const d = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, standardFontDataUrl, verbosity: 0 }).promise;
  let out = '';
  for (let n = 1; n <= d.numPages; n++) {
    const content = await (await d.getPage(n)).getTextContent();
    out += content.items.map((i) => ('str' in i ? i.str : '')).join('');
  }
  expectTerminalSafe(out, what, { tabs: true });
  return out;
}

const squash = (s: string): string => s.replace(/\s+/g, '');
function expectMarkupShown(visible: string, what: string, markup: readonly string[] = MARKUP): void {
  for (const m of markup) expect(visible.includes(m) || squash(visible).includes(squash(m)), `${what}: ${m}`).toBe(true);
}

interface JsonField {
  readonly key: string;
  readonly value: unknown;
  readonly children?: readonly JsonField[] | undefined;
}

/** Fields depth first, children after their parent. */
function flatten<T extends JsonField>(fs: readonly T[], out: T[] = []): T[] {
  for (const f of fs) {
    out.push(f);
    if (f.children) flatten(f.children as readonly T[], out);
  }
  return out;
}

/** Strings anywhere inside a JSON value. */
function jsonStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) jsonStrings(x, out);
  return out;
}

// ------------------------------------------------------------------ the fixture itself

describe('the hostile fixture', () => {
  it('puts hostile bytes in the text fields of every protocol it carries', () => {
    for (const k of ['dns.qry.name', 'dns.cname', 'dns.ptr.domain_name', 'dns.txt', 'http.request.uri', 'http.host', 'http.user_agent', 'http.referer', 'http.cookie', 'http.response.phrase', 'http.server', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'dhcp.option.hostname', 'dhcp.option.vendor_class_id', 'dhcp.option.domain_name', 'nbns.name', 'syslog.msg', 'snmp.community', 'tftp.source_file', 'ssdp.line', 'ssh.protocol', 'telnet.data', 'lldp.port.id', 'lldp.port.desc', 'lldp.tlv.system.name', 'lldp.tlv.system.desc', 'cdp.deviceid', 'cdp.software_version', 'cdp.platform', 'cdp.portid', 'cdp.system_name', 'pppoed.tags.service_name', 'pppoed.tags.ac_name', 'pppoed.tags.generic_error', 'radius.User_Name', 'radius.NAS_Identifier', 'radius.Called_Station_Id', 'radius.Reply_Message', 'sdp.session_name', 'sdp.session_info', 'sdp.email', 'sdp.session_attr.value', 'sdp.media_attribute.value', 'rtsp.url', 'rtsp.session', 'rtsp.transport', 'mndp.identity', 'mndp.platform', 'ldap.name', 'ldap.simple', 'ldap.baseObject', 'ldap.AttributeDescription', 'ldap.matchedDN', 'ldap.errorMessage', 'ldap.objectName', 'kerberos.realm', 'kerberos.crealm', 'kerberos.CNameString', 'kerberos.SNameString', 'kerberos.e_text', 'smb2.tree', 'smb2.filename', 'smb.path', 'smb.file']) expect(textKeys, k).toContain(k);
    expect(textKeys.some((k) => k.startsWith('sip.'))).toBe(true);
    expect(packets).toHaveLength(115);
  });
});

// ------------------------------------------------------------------ terminal text

describe('terminal text', () => {
  it.each(['list table', 'show text', 'show text pcapng', 'stats table', 'info table', 'flow txt', 'flow txt endpoint'])('%s: no escape sequence, control or bidi override, markup shown', (name) => {
    const out = text(name);
    expectTerminalSafe(out, name);
    if (!name.startsWith('info') && !name.endsWith('pcapng')) expectMarkupShown(out, name);
  });

  it.each(['list table colour', 'show text colour', 'flow txt colour'])('%s: only colour sequences of our own', (name) => {
    const out = text(name);
    // eslint-disable-next-line no-control-regex
    const sgr = /\u001b\[[0-9;]*m/g;
    expect(out.match(sgr)?.length ?? 0, name).toBeGreaterThan(10);
    const plain = out.replace(sgr, '');
    expectTerminalSafe(plain, name);
    expect(plain).toBe(text(name.replace(' colour', '')));
  });

  it.skipIf(!HAS_SCRIPT)('binary formats refuse a terminal as standard output', () => {
    const r = run('binary to a terminal');
    expect(r.status, r.err).toBe(0);
    const out = r.out.toString('latin1');
    expect(out.match(/exit \d+/g)).toEqual(['exit 1', 'exit 1', 'exit 1', 'exit 1']);
    expect(out).not.toContain('\u0089PNG');
    expect(out).not.toContain('%PDF');
    expect(out.match(/standard output is a terminal/g)).toHaveLength(4);
  });

  it('every run: warnings on stderr are escaped too', () => {
    for (const [name, r] of results) expectTerminalSafe(r.err, `${name} stderr`);
  });

  it('show: every text field of every packet, escaped, and the pcapng comments', () => {
    const out = text('show text');
    expect(out).toContain('\\x1b[31mred');
    expect(text('show text pcapng')).toContain('Comment: +1+1"><img src=x onerror=alert(1)>\\x1b[31mred');
    expect(text('info table')).toContain('=cmd|\' /C calc\'!A0\\x1b[31mred');
  });

  it.each(['tcp 2 ascii', 'tcp 2 hex', 'tcp 2 raw', 'tcp 2 yaml', 'tcp 4 ascii', 'tcp 5 ascii', 'udp 7 hex'])('follow %s: payload bytes never reach the terminal as controls', (name) => {
    // Tabs indent the second peer's data, as tshark does. Through a pipe ASCII keeps every CR
    // (tshark's bytes exactly; the HTTP body holds one that ends no line); on a terminal, below.
    const out = text(`follow ${name}`).replace(/\r/g, name.endsWith('ascii') ? '' : '\r');
    expectTerminalSafe(out, `follow ${name}`, { tabs: true });
    if (name.endsWith('ascii') || name.endsWith('hex')) expect(out).toMatch(/<script>|alert/);
  });

  it.skipIf(!HAS_SCRIPT)('follow ascii on a terminal: a CR that ends no line is a dot', () => {
    const pipe = text('follow tcp 2 ascii');
    expect(pipe).toMatch(/\r=1\+1/);
    // The terminal turns each LF into CRLF; a CR from the packets that ends no line would stay bare.
    const tty = run('follow on a terminal').out.toString('latin1');
    expect(tty).toContain('.=1+1');
    expect(tty).not.toMatch(/\r(?![\r\n])/);
    expectTerminalSafe(tty.replace(/\r/g, ''), 'follow on a terminal', { tabs: true });
  });

  it('follow udp: the text of every UDP stream with hostile payloads, as ASCII', () => {
    for (const s of UDP_STREAMS) {
      const out = text(`follow udp ${s} ascii`);
      expectTerminalSafe(out, `follow udp ${s}`, { tabs: true, crlf: true });
      expect(out, `udp stream ${s}`).toContain('<script>');
    }
  });

  it('fields: one column per field on every line, tab-separated, controls escaped as tshark does', () => {
    const out = text('fields');
    expectTerminalSafe(out, 'fields', { tabs: true });
    const lines = out.split('\n').slice(0, -1);
    expect(lines).toHaveLength(115);
    for (const l of lines) expect(l.split('\t')).toHaveLength(textKeys.length);
    // tshark's escapes for C0 controls; C1 controls and bidi overrides as \u{...}.
    expect(out).toContain('\\033[31mred');
    expect(out).toContain('\\u{202e}evil');
  });

  it('fields -E header=y separator=, quote=d: a header and one line per packet, controls escaped', () => {
    // As tshark, a separator or quote inside a value is not escaped (fields is tshark's format,
    // not CSV); what is escaped is every control, so no value breaks a line.
    const out = text('fields -E');
    expectTerminalSafe(out, 'fields -E');
    const lines = out.split('\n').slice(0, -1);
    expect(lines).toHaveLength(116);
    expect(lines[0]).toBe(textKeys.join(','));
    for (const l of lines.slice(1)) expect(l.startsWith('"')).toBe(true);
  });
});

// ------------------------------------------------------------------ JSON

describe('JSON is exact', () => {
  it('show --format json: every string field equals the dissected value', () => {
    const tree = JSON.parse(text('show json')) as { layers: { fields: unknown[] }[] }[];
    expect(tree).toHaveLength(packets.length);
    let compared = 0;
    tree.forEach((p, i) => {
      const want = packets[i]!.layers.flatMap((l) => flatten(l.fields));
      const got = p.layers.flatMap((l) => flatten(l.fields as readonly JsonField[]));
      expect(got.map((f) => f.key)).toEqual(want.map((f) => f.key));
      want.forEach((f, j) => {
        if (typeof f.value !== 'string') return;
        expect(got[j]!.value, `packet ${i + 1} ${f.key}`).toBe(f.value);
        compared++;
      });
    });
    expect(compared).toBeGreaterThan(200);
  });

  it.each(['list json', 'show json', 'stats json', 'graph json', 'report json', 'info json', 'show json pcapng'])('%s parses, keeps the raw text, and writes controls as escapes', (name) => {
    const json = text(name);
    // C0 controls escaped by JSON itself; C1, bidi and line separators as \u escapes too.
    expectTerminalSafe(json, name);
    expect(json).not.toMatch(/[\u2028\u2029]/);
    const strings = jsonStrings(JSON.parse(json));
    if (name === 'info json') expect(strings).toContain("=cmd|' /C calc'!A0\u001b[31mred\u001b]0;title\u0007\u001b[2J<script>alert(1)</script>");
    else if (name === 'show json pcapng') expect(strings.some((s) => s.includes('+1+1"><img src=x onerror=alert(1)>\u001b[31m'))).toBe(true);
    else expect(strings.some((s) => s.includes('<script>alert(1)</script>'))).toBe(true);
    if (!name.startsWith('info')) expect(strings.some((s) => s.includes('\u202eevil'))).toBe(true);
  });

  it('list json: the info of every packet is the table line\'s, unescaped', () => {
    const rows = JSON.parse(text('list json')) as { number: number; info: string }[];
    const lines = text('list table').split('\n');
    expect(rows).toHaveLength(115);
    for (const r of rows) expect(lines[r.number - 1]!.endsWith(escapeControl(r.info)), `packet ${r.number}`).toBe(true);
  });
});

// ------------------------------------------------------------------ CSV

describe('CSV', () => {
  it.each(['list csv', 'stats csv', 'info csv'])('%s: columns intact, no formula', (name) => {
    const rows = checkCsv(text(name), name);
    if (name !== 'info csv') expectMarkupShown(rows.flat().join('\n'), name);
  });

  it('list csv: each Info cell is the packet\'s info with controls escaped', () => {
    const rows = parseCsv(text('list csv'));
    const info = rows[0]!.indexOf('Info');
    const json = JSON.parse(text('list json')) as { info: string }[];
    json.forEach((r, i) => {
      const want = escapeControl(r.info);
      expect(rows[i + 1]![info]).toBe(/^[=+\-@]/.test(want) ? `'${want}` : want);
    });
  });
});

// ------------------------------------------------------------------ Markdown

describe('Markdown', () => {
  it.each(['stats md', 'info md', 'report md'])('%s: no element or link from a packet, table rows intact', (name) => {
    const visible = checkMarkdown(text(name), name);
    if (name !== 'info md') expectMarkupShown(visible, name);
  });
});

// ------------------------------------------------------------------ HTML and SVG

describe('HTML and SVG', () => {
  it('report html: nothing from a packet becomes markup; the strings are text', () => {
    const doc = new JSDOM(text('report html')).window.document;
    const visible = checkDom(doc, 'report html', 1);
    expectMarkupShown(visible, 'report html');
    expect(visible).toContain('\\x1b[31mred');
    expectTerminalSafe(visible, 'report html', { tabs: true });
  });

  it.each(['graph svg', 'flow svg'])('%s: well-formed SVG, SVG elements only, markup shown as text', (name) => {
    const visible = checkSvg(text(name), name);
    expectMarkupShown(visible, name, name === 'graph svg' ? MARKUP : MARKUP.slice(0, 2));
  });

  it('batch: index.html and its CSV tables', () => {
    expect(run('batch').status, run('batch').err).toBe(0);
    const out = join(dir, 'out');
    const doc = new JSDOM(readFileSync(join(out, 'index.html'), 'utf8')).window.document;
    const visible = checkDom(doc, 'index.html', 1);
    expect(visible).toContain('hostile-strings.pcapng');
    for (const f of ['captures.csv', 'conversations.csv', 'hosts.csv']) checkCsv(readFileSync(join(out, f), 'utf8'), f);
    expectMarkupShown(readFileSync(join(out, 'hosts.csv'), 'utf8'), 'hosts.csv', MARKUP.slice(0, 2));
  });
});

// ------------------------------------------------------------------ DOT, Mermaid

describe('DOT and Mermaid', () => {
  it.each(['graph dot', 'graph dot app'])('%s parses; each node names its host exactly, as text', (name) => {
    const dot = text(name);
    expectTerminalSafe(dot, name);
    const g = fromDot(dot);
    const json = JSON.parse(text('graph json')) as { nodes: { id: string; label?: string; name?: string; names?: string[] }[] };
    const names = new Set(json.nodes.flatMap((n) => n.names ?? (n.name !== undefined ? [n.name] : [])).map(escapeControl));
    expect(names.size).toBeGreaterThan(3);
    let named = 0;
    for (const node of g.nodes) {
      // Graphviz's escString: a backslash escapes the next character, \n is a line break.
      const tooltip = String(node.attributes.get('tooltip') ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      const first = tooltip.split('\n')[0]!;
      if (names.has(first)) named++;
      const label = String(node.attributes.get('label') ?? '').replace(/^<([^]*)>$/, '$1');
      const frag = new JSDOM(`<l>${label}</l>`, { contentType: 'text/xml' }).window.document;
      expect(frag.querySelector('parsererror'), `${name}: label ${label}`).toBeNull();
      for (const el of frag.querySelectorAll('*')) expect(['l', 'b', 'br', 'font'], `${name}: ${el.tagName}`).toContain(el.tagName);
    }
    if (name === 'graph dot') expect(named).toBe(names.size);
  });

  it('flow mmd: no raw markup or control from a packet', () => {
    const mmd = text('flow mmd');
    expectTerminalSafe(mmd, 'flow mmd');
    expect(mmd).not.toMatch(/<script|<img|javascript:/);
  });
});

// ------------------------------------------------------------------ PDF, PNG

describe('PDF and PNG', () => {
  it.each(['report pdf', 'pdfdump', 'flow pdf', 'graph pdf'])('%s: the text holds the markup as characters, no control', async (name) => {
    const r = run(name);
    expect(r.status, r.err).toBe(0);
    const t = await pdfText(r.out, name);
    // The graph draws names shortened to fit their boxes (the full names are in the SVG's tooltips).
    expectMarkupShown(t, name, name === 'graph pdf' ? [MARKUP[0]!, '"><b>sni</b>_[t](http://e.invalid)'] : MARKUP.slice(0, 2));
  }, 30_000);

  it('graph png is an image', () => {
    const r = run('graph png');
    expect(r.status, r.err).toBe(0);
    expect(r.out.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });
});
