/**
 * What filters mean: each literal type read as the field it meets, Wireshark 4's operators on
 * fields with several occurrences, absent fields, slices, layers and functions; and the error
 * message of every check the compiler makes.
 */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { compileFilter } from '../../src/filter/index.js';
import { readAbsoluteTime } from '../../src/filter/values.js';
import { errorOf, packet, passes } from './helpers.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const p1 = packet([
  [
    't',
    [
      ['t.u8', 6],
      ['t.u16', 443],
      ['t.u16', 80],
      ['t.u32', 0xdeadbeef],
      ['t.u64', 2n ** 60n + 1n],
      ['t.i32', -5],
      ['t.flag', true],
      ['t.addr', '10.1.2.3'],
      ['t.addr', '192.168.1.7'],
      ['t.addr6', 'fe80::1'],
      ['t.mac', bytes(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc)],
      ['t.data', bytes(0x47, 0x45, 0x54, 0x20, 0x2f)],
      ['t.name', 'www.Example.com'],
      ['t.ratio', 0.25],
      ['t.delay', '1.500000000'],
      ['t.when', 'Mar 12, 2024 10:00:00.250000000 UTC'],
      ['t.oid', '1.3.6.1.2.1'],
      ['t.label', ''],
    ],
  ],
  ['u', [['u.port', 53]]],
]);
const empty = packet([['u', []]]);

describe('literals are read as the type of the field they meet', () => {
  it.each([
    // integers: decimal, hex, octal, binary, character constants, value names
    ['t.u16 == 443', true],
    ['t.u16 == 0x1bb', true],
    ['t.u16 == 0673', true],
    ['t.u16 == 0b110111011', true],
    ['t.u8 == 6', true],
    ["t.u8 == '\\x06'", true],
    ['t.u8 == TCP', true],
    ['t.u8 == tcp', true],
    ['t.u8 == "TCP"', true],
    ['t.u8 == UDP', false],
    ['t.u32 == 0xdeadbeef', true],
    ['t.u64 == 1152921504606846977', true],
    ['t.u64 > 0xfffffffffffffff', true],
    ['t.i32 == -5', true],
    ['t.i32 < 0', true],
    ['t.u16 == -1', false],
    // booleans
    ['t.flag == 1', true],
    ['t.flag == 2', true],
    ['t.flag == 0', false],
    ['t.flag == True', true],
    ['t.flag == FALSE', false],
    ['t.flag == Set', true],
    ['t.flag == "not set"', false],
    // addresses
    ['t.addr == 10.1.2.3', true],
    ['t.addr == 10.0.0.0/8', true],
    ['t.addr == 10.0.0.0/16', false],
    ['t.addr == 0.0.0.0/0', true],
    ['t.addr == "10.1.2.3"', true],
    ['t.addr > 192.168.1.6', true],
    ['t.addr6 == fe80::1', true],
    ['t.addr6 == fe80:0:0:0:0:0:0:1', true],
    ['t.addr6 == fe80::/10', true],
    ['t.addr6 == fec0::/10', false],
    ['t.addr6 == ::ffff:10.1.2.3', false],
    ['t.mac == 00:1b:21:aa:bb:cc', true],
    ['t.mac == 00-1b-21-aa-bb-cc', true],
    ['t.mac == 001b.21aa.bbcc', true],
    ['t.mac == 001b21aabbcc', true],
    ['t.mac == 00:1B:21:AA:BB:CD', false],
    // byte strings
    ['t.data == 47:45:54:20:2f', true],
    ['t.data == 47.45.54.20.2f', true],
    ['t.data == 474554202f', true],
    ['t.data == "GET /"', true],
    ['t.data[0] == 47', true],
    ['t.data[0] == 0x47', true],
    ["t.data[0] == 'G'", true],
    ['t.data > 47:45', true],
    // strings with escapes, raw strings
    ['t.name == "www.Example.com"', true],
    ['t.name == "www.example.com"', false],
    ['t.name == "\\x77ww.Example.com"', true],
    ['t.name == "\\167ww.Example.com"', true],
    ['t.name == r"www.Example.com"', true],
    ['t.name > "www.A"', true],
    // numbers and times
    ['t.ratio == 0.25', true],
    ['t.ratio < 1e-1', false],
    ['t.delay == 1.5', true],
    ['t.delay > 1', true],
    ['t.delay < -0.5', false],
    ['t.when == "2024-03-12 10:00:00.25Z"', true],
    ['t.when > "2024-03-12T10:00:00Z"', true],
    ['t.when < "Mar 12, 2024 10:00:01 UTC"', true],
    ['t.when >= "2024-03-13"', false],
    ['t.oid == 1.3.6.1.2.1', true],
    ['t.oid contains "6.1"', true],
  ])('%s → %s', (filter, expected) => {
    expect(passes(filter, p1)).toBe(expected);
  });

  it('reads times in the forms Wireshark takes', () => {
    const utc = readAbsoluteTime('2024-03-12T10:00:00Z');
    expect(utc).toBe(1710237600n * 1_000_000_000n);
    expect(readAbsoluteTime('Mar 12, 2024 10:00:00 UTC')).toBe(utc);
    expect(readAbsoluteTime('2024-03-12 12:00:00+02:00')).toBe(utc);
    expect(readAbsoluteTime('2024-03-12 10:00:00.123456789Z')).toBe(utc! + 123456789n);
    expect(readAbsoluteTime('2024-13-12')).toBeUndefined();
  });
});

describe("Wireshark 4's operators", () => {
  it.each([
    // two occurrences of t.u16: 443 and 80
    ['t.u16 == 80', true],
    ['t.u16 != 80', false],
    ['t.u16 ~= 80', true],
    ['t.u16 !== 80', true],
    ['t.u16 === 80', false],
    ['t.u16 all_eq 80', false],
    ['t.u16 != 22', true],
    ['t.u16 > 400', true],
    ['t.u16 < 80', false],
    ['t.u16 >= 443', true],
    ['t.u16 <= 80', true],
    ['t.u16 gt 442 and t.u16 lt 81', true],
    ['t.u16 in {22, 80}', true],
    ['t.u16 in {1..79, 81..442}', false],
    ['t.u16 in {400..500}', true],
    ['t.u16 not in {22}', true],
    ['t.u16 & 0x10', true],
    ['t.u16 & 0x0100', true],
    ['t.u16 & 0x0200', false],
    ['t.u32 & 0x80000000 == 0x80000000', true],
    ['t.data[0] & 0x40', true],
    ['t.data[0] & 0x80', false],
    ['t.mac & ff:ff:ff:00:00:00 == 00:1b:21:00:00:00', true],
    ['t.u16 == u.port', false],
    ['t.u16 > u.port', true],
    ['t.addr == t.addr', true],
    ['80 == t.u16', true],
    ['444 > t.u16', true],
    // presence and protocols
    ['t', true],
    ['u and t.label', true],
    ['t.u16', true],
    ['not t', false],
    ['t && !t', false],
    ['t contains 00:00:00', true],
    ['t contains 45:54', false],
    ['t[0:2] == 00:00', true],
    ['frame contains 00:00', true],
    ['frame', true],
    // contains, matches
    ['t.name contains "Example"', true],
    ['t.name contains "example"', false],
    ['t.name matches "example"', true],
    ['t.name matches "(?-i)example"', false],
    ['t.name matches "^www\\\\."', true],
    ['t.name matches r"\\.com$"', true],
    ['t.data contains "ET"', true],
    ['t.data contains 45:54', true],
    ['t.data matches "^get"', true],
    ['t.mac contains 21:aa', true],
    // slices
    ['t.mac[0:3] == 00:1b:21', true],
    ['t.mac[3:] == aa:bb:cc', true],
    ['t.mac[-1] == cc', true],
    ['t.mac[-2:2] == bb:cc', true],
    ['t.mac[1-2] == 1b:21', true],
    ['t.mac[:1,5] == 00:cc', true],
    ['t.mac[4:10]', false],
    ['t.name[0:3] == "www"', true],
    ['t.addr[0] == 0a', true],
    ['t.addr6[0:2] == fe:80', true],
    // functions and layers
    ['len(t.name) == 15', true],
    ['len(t.mac) == 6', true],
    ['count(t.u16) == 2', true],
    ['count(t.u16) == 1', false],
    ['upper(t.name) == "WWW.EXAMPLE.COM"', true],
    ['lower(t.name) contains "example"', true],
    ['t.u16#1 == 80', true],
    ['t.u16#2 == 80', false],
  ])('%s → %s', (filter, expected) => {
    expect(passes(filter, p1)).toBe(expected);
  });

  it('a test of an absent field is false, whatever the operator; "not" makes it true', () => {
    for (const f of ['t.u16 == 1', 't.u16 != 1', 't.u16 ~= 1', 't.u16 === 1', 't.u16 > 0', 't.u16 in {1..9}', 't.name contains "a"', 't.name matches "."', 't.u16 & 1', 't', 't.u16 == u.port']) {
      expect([f, passes(f, empty)]).toEqual([f, false]);
    }
    expect(passes('not t.u16 == 1', empty)).toBe(true);
    expect(passes('t.u16 not in {1}', empty)).toBe(true);
    expect(passes('count(t.u16) == 0', empty)).toBe(true);
    expect(passes('', empty)).toBe(true);
  });

  it('either-direction fields repeat both ends', () => {
    const registry = defaultRegistry();
    const p = packet([
      ['ip', [['ip.src', '10.0.0.1'], ['ip.dst', '10.0.0.2']]],
      ['tcp', [['tcp.srcport', 1234], ['tcp.dstport', 80]]],
    ]);
    const f = (text: string): boolean => compileFilter(text, registry).matches(p);
    expect([f('ip.addr == 10.0.0.2'), f('ip.addr != 10.0.0.2'), f('ip.addr ~= 10.0.0.2'), f('ip.host == "10.0.0.1"')]).toEqual([true, false, true, true]);
    expect([f('tcp.port == 1234'), f('tcp.port == 80'), f('tcp.port != 443'), f('udp.port == 80')]).toEqual([true, true, true, false]);
    expect(compileFilter('ip.addr == 1.2.3.4 && tcp.port == 80', registry).fields).toEqual(['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport']);
  });
});

describe('every error says what is wrong and where', () => {
  const registry = defaultRegistry();
  it.each([
    ['tcp.prot == 80', 'unknown field "tcp.prot" (did you mean tcp.port?)', 'tcp.prot == 80', '^~~~~~~~'],
    ['tcp.flags.sny', 'unknown field "tcp.flags.sny" (did you mean tcp.flags.syn?)', 'tcp.flags.sny', '^~~~~~~~~~~~~'],
    ['ip.src == ip.dts', 'unknown field "ip.dts" (did you mean ip.dst?)', 'ip.src == ip.dts', '          ^~~~~~'],
    ['zzqq', 'unknown field "zzqq"', 'zzqq', '^~~~'],
    ['zzqq == 1', 'unknown field "zzqq"', 'zzqq == 1', '^~~~'],
    ['tcp.prot in {80}', 'unknown field "tcp.prot" (did you mean tcp.port?)', 'tcp.prot in {80}', '^~~~~~~~'],
    ['tcp.prot contains "x"', 'unknown field "tcp.prot" (did you mean tcp.port?)', 'tcp.prot contains "x"', '^~~~~~~~'],
    ['tcp and 80', '80 is a value, not a field or protocol', 'tcp and 80', '        ^~'],
    ['"GET"', '"GET" is a value, not a field or protocol', '"GET"', '^~~~~'],
    ['ip.src == "abc"', '"abc" is not an IPv4 address (ip.src is an IPv4 address)', 'ip.src == "abc"', '          ^~~~~'],
    ['ip.src == 1.2.3', '"1.2.3" is not an IPv4 address (ip.src is an IPv4 address)', 'ip.src == 1.2.3', '          ^~~~~'],
    ['ip.src == 10.0.0.0/33', '"10.0.0.0/33": an IPv4 prefix length is at most 32 (ip.src is an IPv4 address)', 'ip.src == 10.0.0.0/33', '          ^~~~~~~~~~~'],
    ['ipv6.src == fe80::1::2', '"fe80::1::2" is not an IPv6 address (ipv6.src is an IPv6 address)', 'ipv6.src == fe80::1::2', '            ^~~~~~~~~~'],
    ['eth.src == 00:1b:21', '"00:1b:21" has 3 bytes; an Ethernet address has 6 (eth.src is an Ethernet address)', 'eth.src == 00:1b:21', '           ^~~~~~~~'],
    ['tcp.port == 80.0', '"80.0" is not a valid number (tcp.port is an unsigned integer (2 bytes))', 'tcp.port == 80.0', '            ^~~~'],
    ['tcp.port == "80"', '"80": a number is written without quotes (tcp.port is an unsigned integer (2 bytes))', 'tcp.port == "80"', '            ^~~~'],
    ['tcp.port == 70000', '70000 is too large for this field (at most 65535) (tcp.port is an unsigned integer (2 bytes))', 'tcp.port == 70000', '            ^~~~~'],
    ['ip.proto == TCPX', '"TCPX" is neither a number nor one of the value names of this field (ip.proto is an unsigned integer (1 byte))', 'ip.proto == TCPX', '            ^~~~'],
    ['tcp.flags.syn == maybe', '"maybe" is not a boolean (True/False, 1/0) (tcp.flags.syn is a boolean)', 'tcp.flags.syn == maybe', '                 ^~~~~'],
    ['tcp.payload == xyz', '"xyz" is not a byte string (tcp.payload is a byte string)', 'tcp.payload == xyz', '               ^~~'],
    ['frame.time == 1700000000', '"1700000000" is not a date and time such as "2024-03-12 10:00:00" (frame.time is a date and time)', 'frame.time == 1700000000', '              ^~~~~~~~~~'],
    ['frame.time_relative < "1.5"', '"1.5" is not a time offset in seconds (frame.time_relative is a time offset)', 'frame.time_relative < "1.5"', '                      ^~~~~'],
    ['ip.src == tcp.port', 'ip.src and tcp.port cannot be compared: an IPv4 address and an unsigned integer (2 bytes)', 'ip.src == tcp.port', '       ^~'],
    ['ip.proto == tcp', 'ip.proto and tcp cannot be compared: an unsigned integer (1 byte) and a protocol', 'ip.proto == tcp', '         ^~'],
    ['tcp.analysis.retransmission == 1', 'tcp.analysis.retransmission is a label (present or not, no value): test it alone ("tcp.analysis.retransmission"), it has no value for ==', 'tcp.analysis.retransmission == 1', '^~~~~~~~~~~~~~~~~~~~~~~~~~~'],
    ['tcp.port contains 80', 'tcp.port is an unsigned integer (2 bytes): "contains" takes strings, bytes and protocols', 'tcp.port contains 80', '^~~~~~~~'],
    ['tcp.port matches "8"', 'tcp.port is an unsigned integer (2 bytes): "matches" takes strings, bytes and protocols', 'tcp.port matches "8"', '^~~~~~~~'],
    ['http.host matches "(?x)a"', 'invalid regular expression: the (?x) option is not supported', 'http.host matches "(?x)a"', '                  ^~~~~~~'],
    ['http.host matches "a("', 'invalid regular expression: Invalid regular expression: /a(/i: Unterminated group', 'http.host matches "a("', '                  ^~~~'],
    ["http.host matches 'a'", '"matches" takes a regular expression in quotes', "http.host matches 'a'", '                  ^~~'],
    ['tcp.srcport[0:1] == 00', 'tcp.srcport is an unsigned integer (2 bytes) and cannot be sliced (slices take bytes, strings and addresses)', 'tcp.srcport[0:1] == 00', '^~~~~~~~~~~'],
    ['eth.src[2-1] == 00', 'the range 2-1 ends before it starts', 'eth.src[2-1] == 00', '^~~~~~~~~~~~'],
    ['ip.src & 0xff', 'ip.src is an IPv4 address: "&" takes integers and bytes', 'ip.src & 0xff', '^~~~~~'],
    ['tcp.flags & tcp.payload', 'tcp.payload is a byte string: "&" takes two integers or two byte strings', 'tcp.flags & tcp.payload', '            ^~~~~~~~~~~'],
    ['tcp.flags & "x"', '"x" is not a valid number (tcp.flags is an unsigned integer (2 bytes))', 'tcp.flags & "x"', '            ^~~'],
    ['size(ip.src) == 4', 'unknown function "size" (there are len(), count(), upper(), lower())', 'size(ip.src) == 4', '^~~~~~~~~~~~'],
    ['len(ip.src, ip.dst) == 4', 'len() takes one field, not 2', 'len(ip.src, ip.dst) == 4', '^~~~~~~~~~~~~~~~~~~'],
    ['len(tcp.port) == 2', 'len() takes bytes, strings or addresses; tcp.port is an unsigned integer (2 bytes)', 'len(tcp.port) == 2', '    ^~~~~~~~'],
    ['upper(tcp.port) == 2', 'upper() takes a string; tcp.port is an unsigned integer (2 bytes)', 'upper(tcp.port) == 2', '      ^~~~~~~~'],
    ['tcp.port in {80, tcp.srcport}', 'a set holds values; tcp.srcport is a field', 'tcp.port in {80, tcp.srcport}', '                 ^~~~~~~~~~~'],
    ['tcp.flags.syn in {0..1}', 'tcp.flags.syn is a boolean: a range needs ordered values', 'tcp.flags.syn in {0..1}', '                  ^~~~'],
    ['ip.src#0 == 1.2.3.4', 'layer numbers start at 1, not 0', 'ip.src#0 == 1.2.3.4', '^~~~~~~~'],
    ['80 == 80', 'both sides of == are values: one of them must be a field', '80 == 80', '   ^~'],
  ])('%s', (filter, message, echo, caret) => {
    expect(errorOf(filter, registry)).toBe(`filter error: ${message}\n  ${echo}\n  ${caret}`);
  });

  it('syntax errors come the same way', () => {
    expect(errorOf('tcp.port ==', registry)).toBe('filter error: the filter ends too soon: expected a field or value\n  tcp.port ==\n             ^');
    expect(errorOf('tcp.port == 80 xor udp', registry)).toBe(
      'filter error: unexpected "xor": expected an operator, "and" or "or" or the end of the filter\n  tcp.port == 80 xor udp\n                 ^~~',
    );
  });
});
