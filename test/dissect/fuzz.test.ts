import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import type { Frame } from '../../src/capture/frame.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { checkInvariants, frameOf } from '../helpers/dissect.js';

/** Link types the corpus uses, plus a few nobody binds. */
const LINK_TYPES = [0, 1, 9, 10, 12, 50, 101, 104, 105, 107, 113, 127, 129, 140, 192, 228, 229, 230, 239, 242, 258, 274, 276, 999];

/** Real packets of several captures, as seeds for mutation. */
async function seeds(): Promise<Frame[]> {
  const out: Frame[] = [];
  for (const name of ['pcapplusplus__many-protocols.pcap', 'pcapplusplus__tls2.pcap', 'tcpdump__various_gre.pcap', 'zeek__radiotap.pcap', 'pcapplusplus__sll.pcap', 'zeek__dhcp.pcap', 'ndpi__sctp.cap']) {
    const reader = await openCapture(`${CAPTURES}${name}`);
    let n = 0;
    for await (const f of reader) {
      out.push({ ...f, data: Uint8Array.from(f.data) });
      if (++n >= 150) break;
    }
    await reader.close();
  }
  return out;
}

describe('the dissector on hostile packets', () => {
  const registry = defaultRegistry();
  const full = new Dissector(registry, { strict: true });

  it('random bytes on every link type: no throw, invariants hold (50,000 packets)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 200 }), fc.nat(400), (lt, bytes, extra) => {
        const p = full.dissect(frameOf(bytes, lt, bytes.length + extra));
        checkInvariants(p);
      }),
      { numRuns: 50_000 },
    );
  });

  it('mutated real packets: no throw, no hang, invariants hold (60,000 packets)', async () => {
    const base = await seeds();
    expect(base.length).toBeGreaterThan(500);
    fc.assert(
      fc.property(
        fc.nat(base.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(1600),
        (i, edits, cut) => {
          const f = base[i]!;
          const data = Uint8Array.from(f.data);
          for (const [at, v] of edits) if (data.length > 0) data[at % data.length] = v;
          const captured = data.subarray(0, Math.min(data.length, cut));
          const p = full.dissect({ ...f, data: captured, capLen: captured.length });
          checkInvariants(p);
        },
      ),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 60_000) },
    );
  });

  it('the encapsulation depth is bounded (IPv4 in IPv4, 40 deep)', () => {
    const hdr = (total: number): number[] => [0x45, 0, total >> 8, total & 0xff, 0, 0, 0, 0, 64, 4, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    const bytes: number[] = [];
    for (let i = 0; i < 40; i++) bytes.push(...hdr(20 * (40 - i)));
    const p = full.dissect(frameOf(Uint8Array.from(bytes), 228));
    expect(p.layers.filter((l) => l.protocol === 'ip')).toHaveLength(16);
    expect(p.layers[15]!.issues.map((i) => i.message)).toContain('more than 16 layers of encapsulation; the rest is not dissected');
    expect(p.layers[p.layers.length - 1]!.protocol).toBe('data');
    checkInvariants(p);
  });
});
