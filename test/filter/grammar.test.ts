/**
 * The grammar: every operator and its word forms, precedence, the shapes of values (slices,
 * layers, functions, sets) and the syntax errors, checked on the tree the parser builds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExprNode, ValueNode } from '../../src/filter/ast.js';
import { FilterError } from '../../src/filter/errors.js';
import { parseFilter } from '../../src/filter/parse.js';

function value(v: ValueNode): string {
  switch (v.kind) {
    case 'word':
      return v.text;
    case 'string':
      return `${v.raw ? 'r' : ''}"${Buffer.from(v.bytes).toString('latin1')}"`;
    case 'char':
      return `'${v.code}'`;
    case 'layer':
      return `${value(v.value)}#${v.layer}`;
    case 'slice':
      return `${value(v.value)}[${v.ranges.map((r) => `${r.from}${r.length !== null ? `:${r.length}` : r.to !== null ? `-${r.to}` : ':'}`).join(',')}]`;
    case 'bitand':
      return `(& ${value(v.left)} ${value(v.right)})`;
    case 'call':
      return `${v.name}(${v.args.map(value).join(',')})`;
  }
}

/** The tree as an S-expression. */
function show(e: ExprNode | null): string {
  if (e === null) return '()';
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.kind} ${show(e.left)} ${show(e.right)})`;
    case 'not':
      return `(not ${show(e.expr)})`;
    case 'test':
      return value(e.value);
    case 'compare':
      return `(${e.op} ${value(e.left)} ${value(e.right)})`;
    case 'contains':
    case 'matches':
      return `(${e.kind} ${value(e.left)} ${value(e.right)})`;
    case 'in':
      return `(${e.negated ? 'not-in' : 'in'} ${value(e.value)} {${e.set.map((s) => (s.high === null ? value(s.low) : `${value(s.low)}..${value(s.high)}`)).join(' ')}})`;
  }
}

const tree = (text: string): string => show(parseFilter(text));

function syntaxError(text: string): string {
  try {
    parseFilter(text);
  } catch (e) {
    if (e instanceof FilterError) return `${e.message} @${e.span.start}-${e.span.end}`;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe('filter grammar: operators', () => {
  it.each([
    ['a == 1', '(any_eq a 1)'],
    ['a eq 1', '(any_eq a 1)'],
    ['a any_eq 1', '(any_eq a 1)'],
    ['a != 1', '(all_ne a 1)'],
    ['a ne 1', '(all_ne a 1)'],
    ['a all_ne 1', '(all_ne a 1)'],
    ['a === 1', '(all_eq a 1)'],
    ['a all_eq 1', '(all_eq a 1)'],
    ['a ~= 1', '(any_ne a 1)'],
    ['a !== 1', '(any_ne a 1)'],
    ['a any_ne 1', '(any_ne a 1)'],
    ['a > 1', '(gt a 1)'],
    ['a gt 1', '(gt a 1)'],
    ['a >= 1', '(ge a 1)'],
    ['a ge 1', '(ge a 1)'],
    ['a < 1', '(lt a 1)'],
    ['a lt 1', '(lt a 1)'],
    ['a <= 1', '(le a 1)'],
    ['a le 1', '(le a 1)'],
    ['a contains "x"', '(contains a "x")'],
    ['a matches "x"', '(matches a "x")'],
    ['a ~ "x"', '(matches a "x")'],
    ['a in {1, 2}', '(in a {1 2})'],
    ['a in {1 2 3..5}', '(in a {1 2 3..5})'],
    ['a in { 1 .. 5 , 7, }', '(in a {1..5 7})'],
    ['a not in {1}', '(not-in a {1})'],
    ['a & 0x02', '(& a 0x02)'],
    ['a bitwise_and 2', '(& a 2)'],
    ['a and b', '(and a b)'],
    ['a && b', '(and a b)'],
    ['a or b', '(or a b)'],
    ['a || b', '(or a b)'],
    ['not a', '(not a)'],
    ['!a', '(not a)'],
    ['a==1&&b!=2||!c', '(or (and (any_eq a 1) (all_ne b 2)) (not c))'],
    ['', '()'],
    ['   ', '()'],
  ])('%s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });
});

describe('filter grammar: precedence and grouping', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['a or b or c', '(or (or a b) c)'],
    ['not a and b', '(and (not a) b)'],
    ['not a or not b', '(or (not a) (not b))'],
    ['!a == 1', '(not (any_eq a 1))'],
    ['not not a', '(not (not a))'],
    ['(a or b) and c', '(and (or a b) c)'],
    ['not (a and b)', '(not (and a b))'],
    ['((a))', 'a'],
    ['a & 0x12 == 0x12', '(any_eq (& a 0x12) 0x12)'],
    ['a & 1 & 2', '(& (& a 1) 2)'],
    ['android and orange', '(and android orange)'],
  ])('%s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });
});

describe('filter grammar: values', () => {
  it.each([
    ['eth.src[0:3] == 00:1b:21', '(any_eq eth.src[0:3] 00:1b:21)'],
    ['x[1-2,5]', 'x[1-2,5:1]'],
    ['x[:2]', 'x[0:2]'],
    ['x[-3:]', 'x[-3:]'],
    ['x[-3:3]', 'x[-3:3]'],
    ['ip.src#2 == 1.2.3.4', '(any_eq ip.src#2 1.2.3.4)'],
    ['len(http.host) > 3', '(gt len(http.host) 3)'],
    ['count(ip.src) == 2', '(any_eq count(ip.src) 2)'],
    ['ip.addr == 10.0.0.0/8', '(any_eq ip.addr 10.0.0.0/8)'],
    ['ipv6.addr == fe80::/10', '(any_eq ipv6.addr fe80::/10)'],
    ['ipv6.addr == ::ffff:1.2.3.4', '(any_eq ipv6.addr ::ffff:1.2.3.4)'],
    ['x == -1', '(any_eq x -1)'],
    ['x == "a\\"b\\\\c"', '(any_eq x "a"b\\c")'],
    ['x == "\\x41\\101\\n\\t"', '(any_eq x "AA\n\t")'],
    ['x == "é"', `(any_eq x "${Buffer.from('é').toString('latin1')}")`],
    ['x matches r"\\d+"', '(matches x r"\\d+")'],
    ["x == 'a'", "(any_eq x '97')"],
    ["x == '\\x41'", "(any_eq x '65')"],
    ["x == '\\''", "(any_eq x '39')"],
    ['x == "and"', '(any_eq x "and")'],
  ])('%s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });

  it('keeps the spans of operators and values for error carets', () => {
    const e = parseFilter('tcp.port  ==  80') as Extract<ExprNode, { kind: 'compare' }>;
    expect([e.left.loc, e.opLoc, e.right.loc]).toEqual([
      { start: 0, end: 8 },
      { start: 10, end: 12 },
      { start: 14, end: 16 },
    ]);
  });
});

describe('filter grammar: syntax errors', () => {
  it.each([
    ['a ==', 'the filter ends too soon: expected a field or value @4-5'],
    ['a == 1 and', 'the filter ends too soon: expected a field or value @10-11'],
    ['(a == 1', 'the filter ends too soon: expected an operator, "and" or "or" or ")" @7-8'],
    ['a == 1)', 'unexpected ")": expected an operator, "and" or "or" or the end of the filter @6-7'],
    ['a b', 'unexpected "b": expected an operator, "and" or "or" or the end of the filter @2-3'],
    ['a == 1 xor b', 'unexpected "xor": expected an operator, "and" or "or" or the end of the filter @7-10'],
    ['a ==== b', 'unexpected "=": expected a field or value @5-6'],
    ['a in 5', 'unexpected "5": expected "{" @5-6'],
    ['a in {1 ..}', 'unexpected "}": expected a field or value @10-11'],
    ['a[x]', 'unexpected "x": expected a field or value or ":" @2-3'],
    ['a[1:', 'the filter ends too soon: expected a field or value, "]" or "," @4-5'],
    ['a == "abc', 'the closing quote of a string is missing @9-9'],
    ['a == "\\q"', '\\q is not a valid escape sequence @6-8'],
    ["a == 'GE'", "'GE' is not a character constant (one character in single quotes) @5-9"],
    ['and', 'unexpected "and": expected a field or value or the end of the filter @0-3'],
  ])('%s', (text, expected) => {
    expect(syntaxError(text)).toBe(expected);
  });
});

describe('the generated parser', () => {
  it('is what scripts/build-grammar.mjs makes of grammar.peggy (run it after editing the grammar)', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const { generateGrammarModule } = (await import(`${root}scripts/build-grammar.mjs`)) as { generateGrammarModule: (t: string) => Promise<string> };
    const made = await generateGrammarModule(readFileSync(`${root}src/filter/grammar.peggy`, 'utf8'));
    expect(made === readFileSync(`${root}src/filter/grammar.generated.ts`, 'utf8')).toBe(true);
    expect(execFileSync(process.execPath, [`${root}scripts/build-grammar.mjs`, '--check'], { encoding: 'utf8' })).toBe('');
  });
});
