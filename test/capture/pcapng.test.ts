import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import {
  encodeEnhancedPacket,
  encodeInterfaceDescription,
  encodeSectionHeader,
  encodeSimplePacket,
  PcapngWriter,
  unitsPerSecond,
} from '../../src/capture/write-capture.js';
import { readBytes, Sink } from '../helpers/capture-bytes.js';

/** if_tsresol values with the nanosecond step each can represent exactly. */
const RESOLUTIONS = [
  { tsresol: 6, step: 1000 },
  { tsresol: 9, step: 1 },
  { tsresol: 3, step: 1_000_000 },
  { tsresol: 0, step: 1_000_000_000 },
  { tsresol: 0x80 | 8, step: 3_906_250 }, // 2^-8 s
  { tsresol: 0x80 | 10, step: 976_562.5 * 2 }, // 2^-9 s multiples fit 2^-10 exactly
] as const;

const ifaceArb = fc.record({
  linkType: fc.integer({ min: 0, max: 300 }),
  snaplen: fc.integer({ min: 0, max: 262144 }),
  res: fc.constantFrom(...RESOLUTIONS),
  name: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
});

const packetArb = fc.record({
  tsSec: fc.integer({ min: 0, max: 4_000_000_000 }),
  ticks: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 200 }),
  extraOrig: fc.integer({ min: 0, max: 100 }),
  comment: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  flags: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
  ifacePick: fc.nat(),
});

const sectionArb = fc.record({
  bigEndian: fc.boolean(),
  application: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  interfaces: fc.array(ifaceArb, { minLength: 1, maxLength: 4 }),
  packets: fc.array(packetArb, { maxLength: 12 }),
});

describe('pcapng round trip', () => {
  it('sections of either byte order, several interfaces, decimal and binary if_tsresol: every frame comes back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sectionArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }),
        async (sections, chunks) => {
          const sink = new Sink();
          const w = new PcapngWriter(sink);
          const expected: { tsSec: number; tsNsec: number; iface: number; global: number; linkType: number; data: Uint8Array; origLen: number; comments: string[] | undefined; flags: number | undefined; digits: number }[] = [];
          let globalBase = 0;
          for (const s of sections) {
            await w.section({ bigEndian: s.bigEndian, ...(s.application !== undefined ? { application: s.application } : {}) });
            for (const i of s.interfaces) {
              await w.addInterface({ linkType: i.linkType, snaplen: i.snaplen, tsresol: i.res.tsresol, ...(i.name !== undefined ? { name: i.name } : {}) });
            }
            for (const p of s.packets) {
              const iface = p.ifacePick % s.interfaces.length;
              const res = s.interfaces[iface]!.res;
              const tsNsec = Math.floor(Math.min(p.ticks * res.step, 999_999_999) / res.step) * res.step;
              const pkt = {
                tsSec: p.tsSec,
                tsNsec,
                data: p.data,
                origLen: p.data.length + p.extraOrig,
                iface,
                comments: p.comment === undefined ? undefined : [p.comment],
                flags: p.flags,
              };
              await w.write(pkt);
              expected.push({
                ...pkt,
                global: globalBase + iface,
                linkType: s.interfaces[iface]!.linkType,
                digits: [6, 9, 3, 0, 2, 3][RESOLUTIONS.indexOf(res)]!,
              });
            }
            globalBase += s.interfaces.length;
          }
          await w.close();
          const { reader, frames } = await readBytes(sink.bytes(), chunks);
          expect(reader.damage).toBeUndefined();
          expect(reader.format).toBe('pcapng');
          expect(reader.sections.map((s) => s.byteOrder)).toEqual(sections.map((s) => (s.bigEndian ? 'big' : 'little')));
          expect(reader.sections.map((s) => s.application)).toEqual(sections.map((s) => s.application));
          expect(reader.interfaces.map((i) => [i.linkType, i.snaplen, i.tsresol, i.name])).toEqual(
            sections.flatMap((s) => s.interfaces.map((i) => [i.linkType, i.snaplen, i.res.tsresol, i.name])),
          );
          expect(frames).toHaveLength(expected.length);
          frames.forEach((f, n) => {
            const e = expected[n]!;
            expect({ idx: f.index, sec: f.tsSec, nsec: f.tsNsec, iface: f.iface, global: f.ifaceGlobal, lt: f.linkType, orig: f.origLen, cap: f.capLen, comments: f.comments, flags: f.flags, digits: f.tsDigits }).toEqual({
              idx: n + 1,
              sec: e.tsSec,
              nsec: e.tsNsec,
              iface: e.iface,
              global: e.global,
              lt: e.linkType,
              orig: e.origLen,
              cap: e.data.length,
              comments: e.comments,
              flags: e.flags,
              digits: e.digits,
            });
            expect(Buffer.from(f.data).equals(Buffer.from(e.data))).toBe(true);
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('applies if_tsoffset (seconds) to every timestamp of its interface', async () => {
    const iface = { linkType: 1, tsresol: 6, tsOffset: 1_000_000_000n };
    const file = Buffer.concat([
      encodeSectionHeader(),
      encodeInterfaceDescription(iface),
      encodeEnhancedPacket({ tsSec: 1_700_000_000, tsNsec: 123_456_000, data: Buffer.from('x') }, iface),
    ]);
    const { frames } = await readBytes(file);
    expect([frames[0]!.tsSec, frames[0]!.tsNsec]).toEqual([1_700_000_000, 123_456_000]);
  });

  it('converts 64-bit nanosecond tick counts exactly (beyond 2^53)', async () => {
    const iface = { linkType: 1, tsresol: 9 };
    const file = Buffer.concat([
      encodeSectionHeader(),
      encodeInterfaceDescription(iface),
      encodeEnhancedPacket({ tsSec: 4_102_444_800, tsNsec: 999_999_999, data: Buffer.from('x') }, iface),
    ]);
    const { frames } = await readBytes(file);
    expect([frames[0]!.tsSec, frames[0]!.tsNsec, frames[0]!.tsDigits]).toEqual([4_102_444_800, 999_999_999, 9]);
    expect(unitsPerSecond(9)).toBe(1_000_000_000n);
  });
});

/** A raw block: type, body, lengths (little-endian). */
function block(type: number, body: Buffer, lengthOverride?: number, trailerOverride?: number): Buffer {
  const total = 12 + body.length;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(lengthOverride ?? total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(trailerOverride ?? total, total - 4);
  return b;
}

const shb = encodeSectionHeader();
const idb = encodeInterfaceDescription({ linkType: 1, snaplen: 64 });
const epb = (text: string, iface = 0): Buffer =>
  encodeEnhancedPacket({ tsSec: 10, tsNsec: 0, data: Buffer.from(text), iface }, { linkType: 1 });

describe('pcapng blocks', () => {
  it('reads Simple Packet Blocks (no timestamp, captured length limited by the snaplen)', async () => {
    const big = Buffer.alloc(100, 0xab);
    const file = Buffer.concat([shb, idb, encodeSimplePacket({ tsSec: 0, tsNsec: 0, data: big })]);
    const { frames } = await readBytes(file);
    expect(frames.map((f) => [f.hasTimestamp, f.capLen, f.origLen, f.data.length])).toEqual([[false, 64, 100, 64]]);
  });

  it('shows custom blocks as frames and counts them in frame numbers; skips NRB, ISB, DSB and unknown blocks', async () => {
    const pen = Buffer.alloc(4);
    pen.writeUInt32LE(32473);
    const custom = block(0x00000bad, Buffer.concat([pen, Buffer.from('hello!!!')]));
    const file = Buffer.concat([
      shb,
      idb,
      block(4, Buffer.alloc(4)), // NRB with only the end record
      epb('one'),
      custom,
      block(5, Buffer.alloc(12)), // ISB
      block(0x0a, Buffer.alloc(8)), // DSB
      block(0x12345678, Buffer.alloc(16)), // unknown
      epb('two'),
    ]);
    const { frames, reader } = await readBytes(file, [7]);
    expect(frames.map((f) => [f.index, f.kind, Buffer.from(f.data).toString()])).toEqual([
      [1, 'packet', 'one'],
      [2, 'custom', 'hello!!!'],
      [3, 'packet', 'two'],
    ]);
    expect(Object.fromEntries(reader.blockCounts)).toEqual({ SHB: 1, IDB: 1, NRB: 1, EPB: 2, CB: 1, ISB: 1, DSB: 1, other: 1 });
  });

  const damaged: [string, Buffer, RegExp][] = [
    ['a block length that is not a multiple of 4', block(6, Buffer.alloc(20), 34), /block length 34 is not a multiple of 4/],
    ['a block length below the minimum', block(6, Buffer.alloc(20), 8), /block length 8 is below the 12-byte minimum/],
    ['a trailing length that differs', block(6, Buffer.alloc(24), undefined, 999), /does not match its trailing copy 999/],
    ['a packet for an interface that does not exist', epb('x', 3), /names interface 3 but its section has 1/],
  ];
  for (const [what, bad, message] of damaged) {
    it(`stops with a clear damage report at ${what}, keeping the packets before`, async () => {
      const { frames, reader } = await readBytes(Buffer.concat([shb, idb, epb('a'), bad, epb('b')]));
      expect(frames.map((f) => Buffer.from(f.data).toString())).toEqual(['a']);
      expect(reader.damage?.message).toMatch(message);
      expect(reader.damage?.offset).toBe(shb.length + idb.length + epb('a').length);
      expect(reader.damage?.frame).toBe(2);
    });
  }

  for (const [what, bad, message] of damaged) {
    it(`gives the stream offset of ${what} when it comes chunks after the start`, async () => {
      const before = new Array<Buffer>(50).fill(epb('a'));
      const { frames, reader } = await readBytes(Buffer.concat([shb, idb, ...before, bad]), [61, 7, 128]);
      expect(frames).toHaveLength(50);
      expect(reader.damage?.message).toMatch(message);
      expect(reader.damage?.offset).toBe(shb.length + idb.length + 50 * epb('a').length);
      expect(reader.damage?.frame).toBe(51);
    });
  }

  it('reports an option that overruns its block', async () => {
    const body = Buffer.alloc(8);
    body.writeUInt16LE(1); // linktype
    const opt = Buffer.alloc(8);
    opt.writeUInt16LE(2, 0); // if_name
    opt.writeUInt16LE(200, 2); // longer than the block
    const { reader, frames } = await readBytes(Buffer.concat([shb, block(1, Buffer.concat([body, opt]))]));
    expect(frames).toEqual([]);
    expect(reader.damage?.message).toMatch(/option 2 of length 200 overruns its block/);
  });

  it('refuses section versions other than 1.0 and 1.2, naming the version', async () => {
    const bad = Buffer.from(shb);
    bad.writeUInt16LE(2, 12);
    const err = await readBytes(Buffer.concat([bad, idb])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as Error).message).toMatch(/pcapng section version 2\.0 is not supported/);
  });

  it('refuses an absurd block length without trying to buffer it', async () => {
    const huge = Buffer.alloc(12);
    huge.writeUInt32LE(6, 0);
    huge.writeUInt32LE(0xfffffff0, 4);
    const { reader } = await readBytes(Buffer.concat([shb, idb, huge]));
    expect(reader.damage?.message).toMatch(/block length 4294967280 exceeds the \d+-byte limit/);
  });
});
