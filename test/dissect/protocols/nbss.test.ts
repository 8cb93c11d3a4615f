import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__dssetup_...standalone_workstation.cap #1: direct-hosted SMB on TCP 445 (NBSS at 66, SMB at 70).
const CLOSE_445 = hex(
  '000039fe083b000039d1d02e080045000061226740004006b492cde3e3e2cde3e3f3c13b01bd29595236d3c5587280188218b12900000101080a' +
    '000eed210001cc6f00000029ff534d4204000000000801c80000000000000000000000000008ff1100083500030a40ffffffff0000',
);

// Checked with tshark 4.0: a session request on TCP 139, SERVER<20> from CLIENT<00> (NBSS at 54).
const SESSION_REQUEST = hex(
  '00000000000200000000000108004500007000004000400600000a0000010a0000029c4b008b00000001000000015018ffff000000008100' +
    '004420464445464643464745464643434143414341434143414341434143414341434100204544454d454a4546454f464543414341434143' +
    '4143414341434143414341414100',
);

// pcapplusplus__IgmpPackets.pcap #66: one byte on TCP 445, not an NBSS header.
const CONTINUATION = hex('00123f97920100221922549e08004500002901394000800641f4a9fe6462a9feff4201bdceb5d69cbb61ff057605501000ff1fb60000000000000000');

/** A TCP segment to port 139 carrying `payload` (checksums zero). */
function on139(payload: string): Uint8Array {
  const p = hex(payload);
  const head = hex('00000000000200000000000108004500000000004000400600000a0000010a0000029c4b008b00000001000000015018ffff00000000');
  head[16] = (40 + p.length) >> 8;
  head[17] = (40 + p.length) & 0xff;
  const out = new Uint8Array(head.length + p.length);
  out.set(head);
  out.set(p, head.length);
  return out;
}

describe('nbss', () => {
  it('direct-hosted SMB: type and 24-bit length, then SMB', () => {
    const p = dissect(CLOSE_445);
    expect(stack(p)).toBe('eth/ip/tcp/nbss/smb');
    expect([field(p, 'nbss.type').value, field(p, 'nbss.type').offset]).toEqual([0, 66]);
    const len = field(p, 'nbss.length');
    expect([len.value, len.offset, len.length]).toEqual([41, 67, 3]);
    expect(values(p, 'nbss.flags')).toEqual([]);
    expect(layer(p, 'nbss').summary).toBe('Session message');
    checkInvariants(p);
  });

  it('a session request on 139: flags, called and calling names', () => {
    const p = dissect(SESSION_REQUEST);
    expect(stack(p)).toBe('eth/ip/tcp/nbss');
    expect([field(p, 'nbss.type').value, field(p, 'nbss.flags').value, field(p, 'nbss.flags.e').bits]).toEqual([0x81, 0, { offset: 7, length: 1 }]);
    expect([field(p, 'nbss.length').value, field(p, 'nbss.length').offset, field(p, 'nbss.length').length]).toEqual([68, 56, 2]);
    const called = field(p, 'nbss.called_name');
    expect([called.value, called.offset, called.length, called.display]).toEqual(['SERVER<20>', 58, 34, 'Called name: SERVER<20> (Server service)']);
    expect(field(p, 'nbss.calling_name').value).toBe('CLIENT<00>');
    expect(layer(p, 'nbss').summary).toBe('Session request, to SERVER<20> from CLIENT<00>');
  });

  it('keep-alive, responses, and the extend flag', () => {
    expect(layer(dissect(on139('85000000')), 'nbss').summary).toBe('Session keep-alive');
    expect(layer(dissect(on139('8200 0000')), 'nbss').summary).toBe('Positive session response');
    const neg = dissect(on139('83000001 80'));
    expect([field(neg, 'nbss.error_code').value, layer(neg, 'nbss').summary]).toEqual([0x80, 'Negative session response, Not listening on called name']);
    const re = dissect(on139('84000006 0a000001 008b'));
    expect([field(re, 'nbss.retarget_ip_address').value, field(re, 'nbss.retarget_port').value]).toEqual(['10.0.0.1', 139]);
    // E set: 65536 + 8
    const ext = dissect(on139('00010008 6162636465666768'));
    expect([field(ext, 'nbss.flags.e').value, field(ext, 'nbss.length').value, stack(ext)]).toEqual([true, 65544, 'eth/ip/tcp/nbss/data']);
  });

  it('anything that is not a plausible header is a continuation, as in tshark', () => {
    const p = dissect(CONTINUATION);
    expect(stack(p)).toBe('eth/ip/tcp/nbss/padding');
    const d = field(p, 'nbss.continuation_data');
    expect([d.offset, d.length]).toEqual([54, 1]);
    expect(layer(p, 'nbss').summary).toBe('NBSS Continuation Message');
    // a keep-alive must have length 0; flags other than E are not NBSS
    expect(layer(dissect(on139('85010000')), 'nbss').summary).toBe('NBSS Continuation Message');
    expect(layer(dissect(on139('00020008 6162636465666768')), 'nbss').summary).toBe('NBSS Continuation Message');
  });

  it('two messages in one segment: NBSS again after the first', () => {
    const p = dissect(on139('85000000 85000000'));
    expect(stack(p)).toBe('eth/ip/tcp/nbss/nbss');
    expect(p.layers.map((l) => l.offset)).toEqual([0, 14, 34, 54, 58]);
  });

  it('a session request shorter than its name is malformed', () => {
    const bad = on139('81000044 20464445');
    expect(layer(dissect(bad), 'nbss').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('every prefix: no throw', () => {
    prefixSweep(CLOSE_445);
    prefixSweep(SESSION_REQUEST);
    prefixSweep(CONTINUATION);
  });
});
