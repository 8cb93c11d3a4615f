import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// pcapng-test-generator test006 #2: BSD loopback, 192.168.1.139:17500 → 255.255.255.255:17500
const ANNOUNCE = hex(
  '02000000450000a4c6ce00004011f147c0a8018bffffffff445c445c0090ba03' +
    '7b22686f73745f696e74223a20343039343531343438332c202276657273696f' +
    '6e223a205b312c20385d2c2022646973706c61796e616d65223a2022222c2022' +
    '706f7274223a2031373530302c20226e616d65737061636573223a205b323035' +
    '32343235372c203633393533393037322c203633393533393333372c20363339' +
    '3533393535355d7d',
);

describe('db-lsp-disc', () => {
  it('takes UDP 17500 and the whole JSON announcement', () => {
    const p = dissect(ANNOUNCE, 0);
    expect(stack(p)).toBe('null/ip/udp/db-lsp-disc');
    const l = layer(p, 'db-lsp-disc');
    expect([l.offset, l.length]).toEqual([32, 136]);
    expect(l.name).toBe('DB-LSP-DISC/JSON');
    expect(l.summary).toBe('Dropbox LAN sync Discovery Protocol, JavaScript Object Notation');
    expect(l.info).toEqual({ hostInt: 4094514483, port: 17500 });
    checkInvariants(p);
  });

  it('a payload that is not JSON stays db-lsp-disc without JSON values', () => {
    const odd = ANNOUNCE.slice();
    odd[32] = 0x41;
    const l = layer(dissect(odd, 0), 'db-lsp-disc');
    expect(l.name).toBe('DB-LSP-DISC');
    expect(l.info).toEqual({ hostInt: undefined, port: undefined });
  });

  it('every prefix', () => prefixSweep(ANNOUNCE, 0));
});
