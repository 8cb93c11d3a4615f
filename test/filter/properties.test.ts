/**
 * Properties of the filter engine on a real capture: `not (F)` selects exactly the frames `F`
 * does not, `A and B` the frames both select, `A or B` those either selects, and a filter
 * selects the same frames whichever way the command dissects (select mode with only the
 * filter's fields, or every field).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../src/dissect/tree.js';
import { compileFilter, filterDissectOptions } from '../../src/filter/index.js';
import { FIXTURES } from '../helpers/capture-bytes.js';
import { readFrames, selected } from './helpers.js';

const registry = defaultRegistry();
let frames: Frame[] = [];
let packets: DissectedPacket[] = [];

beforeAll(async () => {
  frames = await readFrames(`${FIXTURES}small-office.pcapng`);
  const d = new Dissector(registry, { mode: 'full', strict: true });
  packets = frames.map((f) => d.dissect(f));
});

/** Tests over fields this capture has (and some it does not), in every operator family. */
const ATOMS = [
  'tcp',
  'udp',
  'dns',
  'arp',
  'ipv6',
  'http.request',
  'tcp.port == 80',
  'tcp.port != 80',
  'tcp.port ~= 80',
  'tcp.flags.syn == 1',
  'tcp.flags & 0x10',
  'ip.src == 192.168.1.101',
  'ip.addr == 192.168.1.0/24',
  'ip.ttl < 64',
  'ip.proto in {1, 17}',
  'frame.len > 100',
  'frame.number in {1..60}',
  'eth.dst[0] == ff',
  'eth.src[0:3] == 00:1b:21',
  'dns.qry.name contains "com"',
  'dns.qry.name matches "^www"',
  'icmp.type != 3',
  'ipv6.addr == fe80::/10',
  'frame.time_relative > 2',
  'udp.length >= 60',
  'count(ip.src) == 2',
];

const filterArb = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ATOMS),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a}) and (${b})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a}) || (${b})`),
    tie('expr').map((a) => `!(${a})`),
  ),
})).expr;

const run = (text: string): number[] => selected(compileFilter(text, registry), packets);

describe('filter properties (small-office.pcapng)', () => {
  it('not (F) selects exactly the frames F leaves out', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        const yes = new Set(run(f));
        const no = run(`not (${f})`);
        expect(no).toEqual(packets.map((p) => p.frame.index).filter((n) => !yes.has(n)));
      }),
      { numRuns: 150 },
    );
  });

  it('A and B is the intersection, A or B the union', () => {
    fc.assert(
      fc.property(filterArb, filterArb, (a, b) => {
        const sa = new Set(run(a));
        const sb = new Set(run(b));
        const all = packets.map((p) => p.frame.index);
        expect(run(`(${a}) and (${b})`)).toEqual(all.filter((n) => sa.has(n) && sb.has(n)));
        expect(run(`(${a}) or (${b})`)).toEqual(all.filter((n) => sa.has(n) || sb.has(n)));
      }),
      { numRuns: 100 },
    );
  });

  it('a filter selects the same frames when only its own fields are recorded', () => {
    fc.assert(
      fc.property(filterArb, (text) => {
        const f = compileFilter(text, registry);
        const d = new Dissector(registry, { ...filterDissectOptions({ mode: 'summary' }, f, registry), strict: true });
        const narrow = frames.filter((fr) => f.matches(d.dissect(fr))).map((fr) => fr.index);
        expect(narrow).toEqual(selected(f, packets));
      }),
      { numRuns: 25 },
    );
  });
});
