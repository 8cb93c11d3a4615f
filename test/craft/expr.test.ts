import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CraftError } from '../../src/craft/errors.js';
import { compileCraft, parseCraft } from '../../src/craft/expr.js';
import { dissect, field, stack, values } from '../helpers/dissect.js';

/** The three lines a CraftError prints. */
function errorLines(expr: string): string[] {
  try {
    const s = compileCraft(expr);
    for (const f of s.frames()) void f;
  } catch (e) {
    if (e instanceof CraftError) return e.lines();
    throw e;
  }
  throw new Error(`no error for ${expr}`);
}

const frames = (expr: string): Uint8Array[] => [...compileCraft(expr).frames()];

describe('craft expressions', () => {
  it('parses layers joined by "/" with keyword arguments of every value kind', () => {
    const t = parseCraft(`Ether()/IP(dst="8.8.8.8", ttl=0x40, flags='DF')/TCP(options=[("MSS", 1460), "NOP"], seq=1000)/Raw(load=b"\\x00\\xffa")`);
    expect(t.layers.map((l) => l.name)).toEqual(['Ether', 'IP', 'TCP', 'Raw']);
    const ip = t.layers[1]!;
    expect(ip.args.map((a) => a.name)).toEqual(['dst', 'ttl', 'flags']);
    expect(ip.args[1]!.value).toMatchObject({ kind: 'num', value: 64 });
    expect(t.layers[3]!.args[0]!.value).toMatchObject({ kind: 'bytes', value: '\u0000\u00ffa' });
  });

  it('builds what the library builds', () => {
    const [f] = frames('Ether()/IP(dst="8.8.8.8", ttl=7)/ICMP()');
    const p = dissect(f!);
    expect(stack(p)).toBe('eth/ip/icmp');
    expect(field(p, 'ip.dst').value).toBe('8.8.8.8');
    expect(field(p, 'ip.ttl').value).toBe(7);
    expect(field(p, 'ip.checksum.status').value).toBe(1);
  });

  it('takes a string as a Raw payload, positional arguments where a layer declares them, None as unset, nested calls as values', () => {
    const [a] = frames(`IP()/UDP(dport=9999)/"hello"`);
    expect(Buffer.from(a!.subarray(28)).toString()).toBe('hello');
    const [b] = frames(`IP()/UDP()/Raw("hi")`);
    expect(Buffer.from(b!.subarray(28)).toString()).toBe('hi');
    const [c] = frames('IP(len=None, chksum=None)/ICMP()');
    expect(field(dissect(c!, 228), 'ip.checksum.status').value).toBe(1);
    const [d] = frames(`IP()/UDP()/DNS(qd=DNSQR("example.com", "AAAA"), an=[DNSRR(rrname="example.com", type="AAAA", rdata="::1")])`);
    const p = dissect(d!, 228);
    expect(field(p, 'dns.qry.name').value).toBe('example.com');
    expect(field(p, 'dns.aaaa').value).toBe('::1');
  });

  it('expands lists and ranges into the cartesian product, the first varying field slowest', () => {
    expect(compileCraft('IP()/TCP(dport=[80,443])').count).toBe(2n);
    expect(compileCraft('IP()/TCP(dport=(1,1024))').count).toBe(1024n);
    expect(compileCraft('IP(dst=["10.0.0.1","10.0.0.2","10.0.0.3"])/TCP(dport=[80,443], sport=(1000,1004))').count).toBe(30n);
    const got = frames('IP(ttl=[1,2])/TCP(dport=[80,443])').map((f) => {
      const p = dissect(f, 228);
      return `${String(field(p, 'ip.ttl').value)}:${String(field(p, 'tcp.dstport').value)}`;
    });
    expect(got).toEqual(['1:80', '1:443', '2:80', '2:443']);
    // A list field (options, records) takes the list as its value, not a series.
    expect(compileCraft('IP()/TCP(options=["NOP","NOP"])').count).toBe(1n);
    expect(compileCraft('IP()/UDP()/DNS(qd=["a.example","b.example"])').count).toBe(1n);
    const two = dissect(frames('IP()/UDP()/DNS(qd=["a.example","b.example"])')[0]!, 228);
    expect(values(two, 'dns.qry.name')).toEqual(['a.example', 'b.example']);
  });

  it('keeps a wrong value given explicitly', () => {
    const [f] = frames('IP(chksum=0x1234, len=99, proto=200)/UDP(chksum=1, len=3)/"x"');
    expect(f![10]).toBe(0x12);
    expect(f![11]).toBe(0x34);
    expect((f![2]! << 8) | f![3]!).toBe(99);
    expect(f![9]).toBe(200);
    expect((f![24]! << 8) | f![25]!).toBe(3);
    expect((f![26]! << 8) | f![27]!).toBe(1);
  });

  // [expression, message, the text underlined (its last occurrence; '' for the end)]
  it.each([
    ['Ether()/IPP()/TCP()', 'unknown layer "IPP" (did you mean IP?)', 'IPP'],
    ['IP(ttll=3)', 'IP has no field "ttll" (did you mean ttl?)', 'ttll'],
    ['IP(ttl=300)', 'IP.ttl: 300 is out of range (0 to 255)', '300'],
    ['IP(dst="1.2.3")', 'IP.dst: "1.2.3" is not an IPv4 address', '"1.2.3"'],
    ['IP(ttl=1, ttl=2)', 'IP.ttl is set twice', 'ttl'],
    ['IP(ttl=1)/', 'the expression ends too soon: expected name or string', ''],
    ['IP(ttl=)', 'unexpected ")": expected value', ')'],
    ['IP(ttl=1', 'the expression ends too soon: expected "," or ")"', ''],
    ['IP(dst="8.8.8.8)', 'this string is not closed', '"'],
    ['IP()/TCP(dport=(10,1))', 'TCP.dport: the range ends (1) before it starts (10)', '(10,1)'],
    ['IP()/TCP(dport=[])', 'TCP.dport: an empty list gives no packets', '[]'],
    ['IP()/TCP(dport=[80, "x"])', 'TCP.dport takes an integer, not "x"', '"x"'],
    ['IP()/TCP(flags="SX")', 'TCP.flags: unknown flag "X" (known: F, S, R, P, A, U, E, C, N)', '"SX"'],
    ['IP("8.8.8.8")', 'IP takes no positional arguments: name the field (field=value)', '"8.8.8.8"'],
    ['IP()/UDP()/DNS(an=DNSRR(type="MX", rdata=3))', 'DNSRR.rdata: takes a string, bytes or a list of strings, not 3', '3'],
    ['IP()/TCP(options=[("MSS", 99999)])', 'TCP.options: MSS takes an integer of 16 bits, not 99999', '[("MSS", 99999)]'],
    ['IP()/UDP()/DNS(an=DNSRR(type="A", rdata="nope"))', '"nope" is not an IPv4 address', 'DNS(an=DNSRR(type="A", rdata="nope"))'],
    ['IP()/TCP(dport=(1,2,3))', 'TCP.dport: a tuple here is a range, (first, last) of two integers', '(1,2,3)'],
    ['IP() IP()', 'unexpected "IP": expected "/" or the end of the expression', 'IP'],
  ])('points at the problem in %s', (expr, message, under) => {
    const [m, shown, c] = errorLines(expr);
    expect(m).toBe(`craft error: ${message}`);
    expect(shown).toBe(`  ${expr}`);
    const at = under === '' ? expr.length : expr.lastIndexOf(under);
    expect(c).toBe(`  ${' '.repeat(at)}^${'~'.repeat(Math.max(1, under.length) - 1)}`);
  });

  it('names of Object.prototype are no layers and no fields', () => {
    expect(errorLines('__proto__()')[0]).toBe('craft error: unknown layer "__proto__"');
    expect(errorLines('constructor()')[0]).toBe('craft error: unknown layer "constructor"');
    expect(errorLines('IP(toString=1)')[0]).toMatch(/^craft error: IP has no field "toString"/);
    expect(errorLines('IP(__proto__=1)')[0]).toMatch(/^craft error: IP has no field "__proto__"/);
  });

  it('nested parentheses are parsed once each (24 deep in seconds, not the hours of exponential parsing)', () => {
    const started = performance.now();
    const expr = `IP(ttl=${'('.repeat(24)}7${')'.repeat(24)})`;
    expect(frames(expr)[0]![8]).toBe(7);
    expect(errorLines(`IP(ttl=${'('.repeat(24)}7)`)[0]).toMatch(/^craft error: unexpected/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('is compiled from grammar.peggy by scripts/build-grammar.mjs (run it after editing the grammar)', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const { generateGrammarModule } = (await import(`${root}scripts/build-grammar.mjs`)) as { generateGrammarModule: (t: string) => Promise<string> };
    const made = await generateGrammarModule(readFileSync(`${root}src/craft/grammar.peggy`, 'utf8'));
    expect(made).toBe(readFileSync(`${root}src/craft/grammar.generated.ts`, 'utf8'));
    expect(execFileSync(process.execPath, [`${root}scripts/build-grammar.mjs`, '--check'], { encoding: 'utf8' })).toBe('');
  });
});

describe('Layer.toString', () => {
  it('gives an expression that builds the same bytes, for every packet of the fixed set', async () => {
    const { FIXED_SET } = await import('./fixed-set.js');
    for (const [name, p] of FIXED_SET) {
      const text = p.toString();
      const series = compileCraft(text);
      expect(series.count, name).toBe(1n);
      expect(Buffer.from([...series.frames()][0]!), `${name}: ${text}`).toEqual(Buffer.from(p.build()));
    }
  });
});
