/**
 * `readDnsAnswers` reads the parts of a DNS message that name hosts without the dissector's
 * fields and texts. Wherever it gives an answer, that answer must be exactly what
 * `dissectDnsMessage` puts in its `info` (header, questions, kept records), and the dissector
 * must not stop on that message; where it gives none, the caller dissects. Held to each other
 * on every DNS, mDNS and LLMNR message over UDP in the corpus and on mutated copies of them.
 */
import { readdirSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../../src/capture/read-capture.js';
import { Cursor } from '../../../src/dissect/cursor.js';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { type DnsFlavour, dissectDnsMessage, readDnsAnswers } from '../../../src/dissect/protocols/dns.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import { CAPTURES } from '../../helpers/capture-bytes.js';

const registry = defaultRegistry();

interface Message {
  readonly flavour: DnsFlavour;
  /** The UDP payload, as captured. */
  readonly bytes: Uint8Array;
  /** The payload's length as the UDP header gives it (may pass the captured bytes). */
  readonly reported: number;
}

/** Every DNS-like message right after a UDP header in the corpus captures of up to 4 MiB. */
async function corpusMessages(): Promise<Message[]> {
  const out: Message[] = [];
  const files = readdirSync(CAPTURES).filter((n) => !/\.(txt|out|md|tsv)$/.test(n) && statSync(CAPTURES + n).size <= 4 << 20);
  for (const name of files) {
    let reader;
    try {
      reader = await openCapture(CAPTURES + name);
    } catch {
      continue;
    }
    const dissector = new Dissector(registry, { mode: 'summary', summaries: false });
    try {
      for await (const f of reader) {
        const layers = dissector.dissect(f).layers;
        for (let i = 1; i < layers.length; i++) {
          const l = layers[i]!;
          const udp = layers[i - 1]!;
          if ((l.protocol === 'dns' || l.protocol === 'mdns' || l.protocol === 'llmnr') && udp.protocol === 'udp' && l.offset === udp.offset + 8) {
            const reported = Number(udp.info['length']) - 8;
            out.push({ flavour: l.protocol, bytes: f.data.slice(l.offset, Math.min(f.data.length, l.offset + reported)), reported });
          }
        }
      }
    } catch {
      // A damaged file: the messages read before the damage count.
    }
  }
  return out;
}

/** What each reader gives for `m`: the lean answer (or undefined), and the dissector's (or the fault it stopped on). */
function both(m: Message): { lean: unknown; full: unknown; stopped: boolean } {
  const cursor = (): Cursor => {
    const c = new Cursor(registry.fields, 'summary', undefined, false, false);
    c.resetFrame(m.bytes, 0, 1);
    c.beginLayer(0, m.bytes.length, m.reported, {}, []);
    return c;
  };
  const lean = readDnsAnswers(cursor(), m.flavour);
  let full: unknown;
  let stopped = false;
  try {
    const info = dissectDnsMessage(cursor(), m.flavour).info;
    full = { response: info['response'], opcode: info['opcode'], rcode: info['rcode'], questions: info['questions'], records: info['records'] };
  } catch {
    stopped = true;
  }
  return { lean, full, stopped };
}

describe('readDnsAnswers', () => {
  it('gives what the DNS dissector keeps, or nothing, for every DNS-like message over UDP in the corpus', async () => {
    const messages = await corpusMessages();
    let read = 0;
    for (const m of messages) {
      const r = both(m);
      if (r.lean === undefined) continue;
      read++;
      expect({ message: Buffer.from(m.bytes).toString('hex'), stopped: r.stopped, answers: r.lean }).toEqual({ message: Buffer.from(m.bytes).toString('hex'), stopped: false, answers: r.full });
    }
    // The comparison says something only if many messages were read both ways.
    expect(messages.length).toBeGreaterThan(1000);
    expect(read).toBeGreaterThan(messages.length / 2);
  }, 120_000);

  it('gives what the DNS dissector keeps, or nothing, for mutated and cut messages', async () => {
    const messages = (await corpusMessages()).filter((m) => m.bytes.length === m.reported);
    // One message of each distinct shape of its first 64 bytes, so that rare ones are mutated too.
    const seeds = [...new Map(messages.map((m) => [`${m.flavour} ${Buffer.from(m.bytes.subarray(2, 64)).toString('hex')}`, m])).values()];
    let read = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.option(fc.nat(), { freq: 4 }),
        (m, changes, cut) => {
          const bytes = m.bytes.slice();
          for (const [at, value] of changes) bytes[at % bytes.length] = value;
          // A cut keeps the length the UDP header gives: the capture ends inside the message.
          const captured = cut === null ? bytes.length : cut % (bytes.length + 1);
          const r = both({ flavour: m.flavour, bytes: bytes.subarray(0, captured), reported: bytes.length });
          if (r.lean === undefined) return;
          read++;
          expect(r.stopped).toBe(false);
          expect(r.lean).toEqual(r.full);
        },
      ),
      { numRuns: 20_000, seed: 11 },
    );
    expect(read).toBeGreaterThan(2_000);
  }, 120_000);

  it('leaves a message with another record type, or one the dissector stops on, to the dissector', () => {
    const labels = [3, ...Buffer.from('www'), 7, ...Buffer.from('example'), 3, ...Buffer.from('org'), 0];
    const header = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...labels, 0, 1, 0, 1];
    const run = (answer: number[], reported?: number) => {
      const bytes = Uint8Array.from([...header, ...answer]);
      const c = new Cursor(registry.fields, 'summary', undefined, false, false);
      c.resetFrame(bytes, 0, 1);
      c.beginLayer(0, bytes.length, reported ?? bytes.length, {}, []);
      return readDnsAnswers(c, 'dns');
    };
    const a = [0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
    expect(run(a)).toEqual({
      response: true,
      opcode: 0,
      rcode: 0,
      questions: [{ name: 'www.example.org', type: 1 }],
      records: [{ name: 'www.example.org', type: 1, value: '192.0.2.1', section: 0 }],
    });
    // MX: another type.
    expect(run([0xc0, 0x0c, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xc0, 0x0c])).toBeUndefined();
    // The address cut short by the capture.
    expect(run(a.slice(0, -2), a.length + header.length)).toBeUndefined();
    // A CNAME whose target's label runs past the record's data.
    expect(run([0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 3, 5, ...Buffer.from('alias'), 0])).toBeUndefined();
  });

  it('reads NS and SOA records as the dissector frames them, and leaves a cut or overlong SOA to it', () => {
    const labels = [3, ...Buffer.from('www'), 7, ...Buffer.from('example'), 3, ...Buffer.from('org'), 0];
    // No answer; one authority record; the A record after it shows where the next record starts.
    const message = (authority: number[]): Message => {
      const bytes = Uint8Array.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 1, 0, 0, ...labels, 0, 1, 0, 1, ...[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9], ...authority]);
      return { flavour: 'dns', bytes, reported: bytes.length };
    };
    const soa = (rdlen: number, numbers = 20) => [0xc0, 0x10, 0, 6, 0, 1, 0, 0, 0, 60, 0, rdlen, 2, ...Buffer.from('ns'), 0xc0, 0x10, 4, ...Buffer.from('host'), 0xc0, 0x10, ...new Array<number>(numbers).fill(1)];
    const ns = [0xc0, 0x10, 0, 2, 0, 1, 0, 0, 0, 60, 0, 5, 2, ...Buffer.from('ns'), 0xc0, 0x10];
    const read = (authority: number[]) => {
      const r = both(message(authority));
      if (r.lean !== undefined) expect(r.lean).toEqual(r.full);
      return r;
    };
    for (const authority of [ns, soa(32)]) {
      const r = read(authority);
      expect(r.stopped).toBe(false);
      expect((r.lean as { records: unknown[] }).records).toEqual([{ name: 'www.example.org', type: 1, value: '192.0.2.9', section: 0 }]);
    }
    // The data length covers the two names only, and the five numbers after them are cut by the
    // end of the message: the dissector reads them anyway and stops, so must this.
    const cut = read(soa(12, 12));
    expect([cut.stopped, cut.lean]).toEqual([true, undefined]);
    // The second name runs past the record's data: malformed to the dissector.
    const overlong = read(soa(7, 20));
    expect([overlong.stopped, overlong.lean]).toEqual([true, undefined]);
  });
});
