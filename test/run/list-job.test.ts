/** The `list` job: a table line handed to the writer as parts is the same text as the joined line. */
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { escapeControl } from '../../src/render/text-safety.js';
import { createJob } from '../../src/run/packet-jobs.js';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';

const registry = defaultRegistry();

describe('list job', () => {
  it('table lines as parts (raw, for the escaping writer) equal the escaped joined lines', async () => {
    const files = [`${FIXTURES}hostile-strings.pcapng`, `${FIXTURES}small-office.pcapng`, `${CAPTURES}pcapplusplus__many-protocols.pcap`, `${CAPTURES}tcpdump__dns-badlabel.pcap`];
    let lines = 0;
    let parts = 0;
    for (const file of files) {
      const raw = createJob({ kind: 'list', format: 'table', time: 'r', colour: false, raw: true }, registry);
      const plain = createJob({ kind: 'list', format: 'table', time: 'r', colour: false }, registry);
      const d1 = new Dissector(registry, raw.dissect);
      const d2 = new Dissector(registry, plain.dissect);
      const reader = await openCapture(file);
      for await (const batch of reader.batches()) {
        for (const frame of batch) {
          const a = raw.record(d1.dissect(frame));
          const b = plain.record(d2.dissect(frame));
          if (typeof a !== 'string') parts++;
          expect(escapeControl(String(a))).toBe(b);
          lines++;
        }
      }
      await reader.close();
    }
    expect(lines).toBeGreaterThan(1000);
    expect(parts).toBe(lines);
  });
});
