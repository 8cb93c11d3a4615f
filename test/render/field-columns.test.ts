/**
 * FieldColumns finds a recorded field's column by scanning the keys when there are few of them
 * and through a map when there are many: both must give the same cells.
 */
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/read-capture.js';
import { Dissector } from '../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../src/dissect/protocols/index.js';
import { FieldColumns } from '../../src/render/fields/field-columns.js';
import { FIXTURES } from '../helpers/capture-bytes.js';

const registry = defaultRegistry();
// Ten distinct keys (past the scan's limit), one repeated and one no protocol declares; numbers,
// addresses, strings, booleans and a multi-occurrence field.
const MANY = ['frame.number', 'ip.src', 'ip.dst', 'tcp.srcport', 'udp.dstport', 'dns.qry.name', 'tcp.flags.syn', 'ip.src', 'ip.ttl', 'no.such.field', 'tcp.options.mss_val', 'eth.src'];

describe('FieldColumns', () => {
  it('gives the same cells whether columns are found by scanning or through the map', async () => {
    const reader = await openCapture(`${FIXTURES}small-office.pcapng`);
    const dissector = new Dissector(registry, { mode: 'select', fields: MANY });
    const all = new FieldColumns(MANY, registry);
    const head = new FieldColumns(MANY.slice(0, 6), registry);
    const tail = new FieldColumns(MANY.slice(6), registry);
    let packets = 0;
    let dns = 0;
    for await (const frame of reader) {
      const p = dissector.dissect(frame);
      const cells = [...all.cells(p).parts];
      expect(cells).toEqual([...head.cells(p).parts, ...tail.cells(p).parts]);
      // The repeated key shows the same value in both of its columns; the unknown one is empty.
      expect(cells[7]).toBe(cells[1]);
      expect(cells[9]).toBe('');
      if (cells[5] !== '') dns++;
      packets++;
    }
    await reader.close();
    expect(packets).toBe(178);
    expect(dns).toBeGreaterThan(0);
  });
});
