import { describe, expect, it } from 'vitest';
import { hierarchyPath } from '../../../src/analyze/protocol-hierarchy.js';
import { Dissector } from '../../../src/dissect/dissect-packet.js';
import { defaultRegistry } from '../../../src/dissect/protocols/index.js';
import type { DissectedPacket } from '../../../src/dissect/tree.js';
import { checkInvariants, dissect, field, frameOf, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// zeek__dssetup_DsRoleGetPrimaryDomainInformation_standalone_workstation.cap #5-#8: SMB Trans
// on \PIPE\ (FID 0x400b, \lsarpc) carrying a DCE/RPC Bind to DSSETUP, its Bind_ack, then the
// DsRoleGetPrimaryDomainInformation request and response (NBSS at 66, SMB at 70).
const BIND = hex(
  '000039fe083b000039d1d02e0800450000d2226940004006b41fcde3e3e2cde3e3f3c13b01bd295952cbd3c5590480188218b58300000101' +
    '080a000eed210001ccae0000009aff534d4225000000000801c80000000000000000000000000008ff110008370010000048000000b81000' +
    '0000000000000000000000520048005200020026000b405700005c0050004900500045005c00000005000b0310000000480000001d000000' +
    'b810b8100000000001000000000001006a2819390cb1d0119ba800c04fd92ef500000000045d888aeb1cc9119fe808002b10486002000000',
);
const BIND_ACK = hex(
  '000039d1d02e000039fe083b0800450000b4301f400080066687cde3e3f3cde3e3e201bdc13bd3c5590429595369801842cd053300000101' +
    '080a0001ccae000eed210000007cff534d4225000000008801c80000000000000000000000000008ff11000837000a000044000000000038' +
    '000000440038000000000045000005000c0310000000440000001d000000b810b810736c00000c005c504950455c6c736173730000000100' +
    '000000000000045d888aeb1cc9119fe808002b10486002000000',
);
const REQUEST = hex(
  '000039fe083b000039d1d02e0800450000a4226a40004006b44ccde3e3e2cde3e3f3c13b01bd29595369d3c55984801882182d3800000101' +
    '080a000eed210001ccae0000006cff534d4225000000000801c80000000000000000000000000008ff11000838001000001a000000b81000' +
    '000000000000000000000052001a005200020026000b402900005c0050004900500045005c00000005000003100000001a0000001e000000' +
    '0a000000000000000100',
);
const RESPONSE = hex(
  '000039d1d02e000039fe083b0800450000d83020400080066662cde3e3f3cde3e3e201bdc13bd3c55984295953d98018425d972300000101' +
    '080a0001ccae000eed21000000a0ff534d4225000000008801c80000000000000000000000000008ff11000838000a000068000000000038' +
    '00000068003800000000006900000500020310000000680000001e0000005000000000000000a8e80b000100455c00006173000000003001' +
    '0c000000000000000000000000000000000000000000000000000a000000000000000a00000057004f0052004b00470052004f0055005000' +
    '000000000000',
);

function run(...frames: Uint8Array[]): DissectedPacket[] {
  const d = new Dissector(defaultRegistry(), { strict: true });
  return frames.map((f, i) => d.dissect(frameOf(f, 1, f.length, i + 5)));
}

const hierarchy = (p: DissectedPacket): string[] => {
  const out: string[] = [];
  hierarchyPath(p, (n) => out.push(n));
  return out;
};

describe('smb_pipe, dcerpc and dssetup', () => {
  it('a Bind on a named pipe: the pipe function and FID, the context item and its interface', () => {
    const [p] = run(BIND);
    expect(stack(p!)).toBe('eth/ip/tcp/nbss/smb/smb_pipe/dcerpc');
    const pipe = layer(p!, 'smb_pipe');
    expect([pipe.offset, pipe.headerLength]).toEqual([131, 21]);
    expect([field(p!, 'smb_pipe.function').value, field(p!, 'smb_pipe.function').display]).toEqual([0x26, 'Function: TransactNmPipe (0x0026)']);
    expect([field(p!, 'smb.fid').value, field(p!, 'smb.fid').offset]).toEqual([0x400b, 133]);
    expect([field(p!, 'smb.trans_name').value, field(p!, 'smb.trans_name').offset, field(p!, 'smb.trans_name').length]).toEqual(['\\PIPE\\', 138, 14]);
    expect(layer(p!, 'dcerpc').offset).toBe(152);
    expect([field(p!, 'dcerpc.pkt_type').display, field(p!, 'dcerpc.cn_frag_len').value, field(p!, 'dcerpc.cn_call_id').value]).toEqual(['Packet type: Bind (11)', 72, 29]);
    expect(field(p!, 'dcerpc.drep.byteorder').value).toBe(1);
    const uuid = field(p!, 'dcerpc.cn_bind_to_uuid');
    expect([uuid.value, uuid.offset, uuid.length]).toEqual(['3919286a-b10c-11d0-9ba8-00c04fd92ef5', 184, 16]);
    expect(field(p!, 'dcerpc.cn_bind_trans_id').value).toBe('8a885d04-1ceb-11c9-9fe8-08002b104860');
    expect(layer(p!, 'dcerpc').summary).toBe('Bind: call_id: 29, Fragment: Single, 1 context items: DSSETUP V0.0 (32bit NDR)');
    checkInvariants(p!);
  });

  it('responses are matched to their requests: the pipe of a Trans response, the opnum of an RPC response', () => {
    const [, ack, req, resp] = run(BIND, BIND_ACK, REQUEST, RESPONSE);
    expect(stack(ack!)).toBe('eth/ip/tcp/nbss/smb/smb_pipe/dcerpc');
    expect([layer(ack!, 'smb_pipe').offset, layer(ack!, 'smb_pipe').headerLength]).toEqual([126, 0]);
    expect(field(ack!, 'smb.padding').offset).toBe(125);
    expect([field(ack!, 'dcerpc.cn_sec_addr').value, field(ack!, 'dcerpc.cn_sec_addr').offset]).toEqual(['\\PIPE\\lsass', 152]);
    expect(layer(ack!, 'dcerpc').summary).toBe('Bind_ack: call_id: 29, Fragment: Single, max_xmit: 4280 max_recv: 4280, 1 results: Acceptance');
    expect(hierarchy(ack!)).toEqual(['eth', 'ip', 'tcp', 'nbss', 'smb', 'smb_pipe', 'dcerpc']);

    expect(stack(req!)).toBe('eth/ip/tcp/nbss/smb/smb_pipe/dcerpc/dssetup');
    expect([field(req!, 'dcerpc.opnum').value, field(req!, 'dcerpc.opnum').offset]).toEqual([0, 174]);
    expect(layer(req!, 'dssetup').offset).toBe(176);
    expect(field(req!, 'dssetup.dssetup_DsRoleGetPrimaryDomainInformation.level').display).toBe('Level: DS_ROLE_BASIC_INFORMATION (1)');
    expect(layer(req!, 'dssetup').summary).toBe('DsRoleGetPrimaryDomainInformation request');

    expect(stack(resp!)).toBe('eth/ip/tcp/nbss/smb/smb_pipe/dcerpc/dssetup');
    expect(field(resp!, 'dcerpc.opnum').generated).toBe(true);
    expect(field(resp!, 'dcerpc.request_in').value).toBe(7);
    expect(field(resp!, 'dssetup.dssetup_DsRolePrimaryDomInfoBasic.role').display).toBe('Role: DS_ROLE_STANDALONE_WORKSTATION (0)');
    expect([field(resp!, 'dssetup.werror').value, field(resp!, 'dssetup.werror').offset]).toEqual([0, 226]);
    expect(layer(resp!, 'dssetup').summary).toBe('DsRoleGetPrimaryDomainInformation response');
    for (const p of [ack, req, resp]) checkInvariants(p!);
  });

  it('without the bind the interface is unknown: the stub stays DCE/RPC data', () => {
    const p = dissect(REQUEST);
    expect(stack(p)).toBe('eth/ip/tcp/nbss/smb/smb_pipe/dcerpc');
    expect([field(p, 'dcerpc.stub_data').offset, field(p, 'dcerpc.stub_data').length]).toEqual([176, 2]);
  });

  it('a fragment length shorter than the header is malformed', () => {
    const bad = REQUEST.slice();
    bad[160] = 8;
    const p = dissect(bad);
    expect(layer(p, 'dcerpc').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'dcerpc.cn_frag_len']]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(BIND);
    prefixSweep(REQUEST);
    prefixSweep(BIND_ACK);
  });
});
