import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__dssetup_...standalone_workstation.cap #1: Close Request on TCP 445 (NBSS at 66, SMB at 70).
const CLOSE = hex(
  '000039fe083b000039d1d02e080045000061226740004006b492cde3e3e2cde3e3f3c13b01bd29595236d3c5587280188218b12900000101' +
    '080a000eed210001cc6f00000029ff534d4204000000000801c80000000000000000000000000008ff1100083500030a40ffffffff0000',
);
// #3: NT Create AndX Request for \\lsarpc (Unicode).
const NT_CREATE = hex(
  '000039fe083b000039d1d02e08004500009c226840004006b456cde3e3e2cde3e3f3c13b01bd29595263d3c5589980188218a51500000101' +
    '080a000eed210001ccae00000064ff534d42a2000000000801c80000000000000000000000000008ff110008360018ff000000000e000000' +
    '0000000000009f01020000000000000000000000000003000000010000000000000002000000001100005c006c0073006100720070006300' +
    '0000',
);
// #4: NT Create AndX Response, FID 0x400b.
const NT_CREATE_RESPONSE = hex(
  '000039d1d02e000039fe083b08004500009f301e40008006669dcde3e3f3cde3e3e201bdc13bd3c55899295952cb8018436be12c00000101' +
    '080a0001ccae000eed2100000067ff534d42a2000000008801c80000000000000000000000000008ff110008360022ff006700000b400100' +
    '0000000000000000000000000000000000000000000000000000000000000000000080000000001000000000000000000000000000000200' +
    'ff05000000',
);
// Checked with tshark 4.0: a Session Setup AndX Response with STATUS_MORE_PROCESSING_REQUIRED (SMB at 58).
const SESSION_SETUP_ERROR = hex(
  '00000000000200000000000108004500004f00004000400600000a0000010a00000201bd9c4300000001000000015018ffff000000000000' +
    '0023ff534d4273160000c09807c80000000000000000000000000000fffe00080200000000',
);

describe('smb', () => {
  it('reads the header: command, NT status, flags, ids; the Close FID names the Info column', () => {
    const p = dissect(CLOSE);
    expect(stack(p)).toBe('eth/ip/tcp/nbss/smb');
    expect([field(p, 'smb.server_component').value, field(p, 'smb.server_component').display]).toEqual([0x424d53ff, 'Server Component: SMB']);
    const cmd = field(p, 'smb.cmd');
    expect([cmd.value, cmd.offset, cmd.display]).toEqual([0x04, 74, 'SMB Command: Close (0x04)']);
    expect([field(p, 'smb.nt_status').value, field(p, 'smb.nt_status').offset, field(p, 'smb.nt_status').length]).toEqual([0, 75, 4]);
    expect([field(p, 'smb.flags').value, field(p, 'smb.flags.response').value, field(p, 'smb.flags.caseless').bits]).toEqual([0x08, false, { offset: 4, length: 1 }]);
    // Flags2 is little-endian: Unicode (0x8000) lies in the second byte, Long Names Allowed (0x0001) in the first
    expect(field(p, 'smb.flags2').value).toBe(0xc801);
    expect([field(p, 'smb.flags2.string').value, field(p, 'smb.flags2.string').offset, field(p, 'smb.flags2.string').bits]).toEqual([true, 81, { offset: 0, length: 1 }]);
    expect([field(p, 'smb.flags2.long_names_allowed').value, field(p, 'smb.flags2.long_names_allowed').offset]).toEqual([true, 80]);
    expect([field(p, 'smb.tid').value, field(p, 'smb.tid').offset, field(p, 'smb.pid').value, field(p, 'smb.uid').value, field(p, 'smb.mid').value]).toEqual([2048, 94, 4607, 2048, 53]);
    expect([field(p, 'smb.wct').value, field(p, 'smb.fid').value, field(p, 'smb.fid').offset, field(p, 'smb.bcc').value]).toEqual([3, 0x400a, 103, 0]);
    expect(layer(p, 'smb').summary).toBe('Close Request, FID: 0x400a');
    expect(layer(p, 'smb').info).toEqual({ cmd: 4, response: false, status: 0 });
    checkInvariants(p);
  });

  it('NT Create AndX: the Unicode path of the request, the FID of the response', () => {
    const req = dissect(NT_CREATE);
    const file = field(req, 'smb.file');
    expect([file.value, file.offset, file.length]).toEqual(['\\lsarpc', 154, 14]);
    expect(values(req, 'smb.cmd')).toEqual([0xa2, 0xff]);
    expect(layer(req, 'smb').summary).toBe('NT Create AndX Request, Path: \\lsarpc');
    const resp = dissect(NT_CREATE_RESPONSE);
    expect(field(resp, 'smb.flags.response').value).toBe(true);
    expect(field(resp, 'smb.fid').value).toBe(0x400b);
    expect(layer(resp, 'smb').summary).toBe('NT Create AndX Response, FID: 0x400b');
  });

  it('an NT error status is appended to the Info column', () => {
    const p = dissect(SESSION_SETUP_ERROR);
    expect(field(p, 'smb.nt_status').display).toBe('NT Status: STATUS_MORE_PROCESSING_REQUIRED (0xc0000016)');
    expect(layer(p, 'smb').summary).toBe('Session Setup AndX Response, Error: STATUS_MORE_PROCESSING_REQUIRED');
  });

  it('a message longer than its segment (reassembly off) is read as far as it goes, with a note', () => {
    const cut = CLOSE.slice(0, 95);
    cut[16] = 0;
    cut[17] = 95 - 14; // IPv4 total length
    const p = dissect(cut);
    expect(field(p, 'smb.cmd').value).toBe(4);
    expect(layer(p, 'smb').issues.map((i) => i.kind)).toEqual(['expert']);
  });

  it('a byte count running past the message is malformed', () => {
    const bad = CLOSE.slice();
    bad[102] = 0x30; // WCT 48: 96 bytes of words in a 41-byte message
    const p = dissect(bad);
    expect(layer(p, 'smb').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('every prefix: no throw', () => {
    prefixSweep(CLOSE);
    prefixSweep(NT_CREATE);
    prefixSweep(SESSION_SETUP_ERROR);
  });
});
