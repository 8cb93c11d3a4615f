import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// No corpus capture carries Kerberos: these messages were built with a DER encoder and checked
// against tshark 4.0 (Info column, fields and tree).

// AS-REQ over UDP (10.0.0.1:50000 -> :88): PA-PAC-REQUEST, cname alice, realm EXAMPLE.COM,
// sname krbtgt/EXAMPLE.COM, till/rtime, nonce 0x12345678, etypes 18 17 23. Kerberos at 42.
const AS_REQ = hex(
  '0000000000020000000000010800450000d200004000401100000a0000010a000002c350005800be00006a81b33081b0a103020105a20302010a' +
    'a31530133011a10402020080a20904073005a0030101ffa4818c308189a00703050040810010a1123010a003020101a10930071b05616c696365' +
    'a20d1b0b4558414d504c452e434f4da320301ea003020102a11730151b066b72627467741b0b4558414d504c452e434f4da511180f3230333730' +
    '3931333032343830355aa611180f32303337303931333032343830355aa706020412345678a80b3009020112020111020117',
);

// KRB-ERROR over UDP from port 88: error-code 25 (preauthentication required), e-data.
const ERROR = hex(
  '00000000000200000000000108004500008000004000401100000a0000010a0000020058c350006c00007e623060a003020105a10302011ea411' +
    '180f32303231313031303136343132345aa505020301e240a603020119a90d1b0b4558414d504c452e434f4daa20301ea003020102a1173015' +
    '1b066b72627467741b0b4558414d504c452e434f4dac0404023000',
);

// AS-REP over TCP from port 88: a 4-byte record mark (197), then the reply with its ticket.
const AS_REP_TCP = hex(
  '0000000000020000000000010800450000f100004000400600000a0000010a0000020058c35100000bb8000000015018ffff00000000000000c5' +
    '6b81c23081bfa003020105a10302010ba30d1b0b4558414d504c452e434f4da4123010a003020101a10930071b05616c696365a560615e305c' +
    'a003020105a10d1b0b4558414d504c452e434f4da220301ea003020102a11730151b066b72627467741b0b4558414d504c452e434f4da324' +
    '3022a003020112a103020102a21604141111111111111111111111111111111111111111a62e302ca003020112a103020101a220041e2222' +
    '22222222222222222222222222222222222222222222222222222222',
);

describe('kerberos', () => {
  it('AS-REQ over UDP: pvno, msg-type, pre-authentication data, the request body', () => {
    const p = dissect(AS_REQ);
    expect(stack(p)).toBe('eth/ip/udp/kerberos');
    const msgType = field(p, 'kerberos.msg_type');
    expect([msgType.value, msgType.offset, msgType.length]).toEqual([10, 57, 1]);
    expect([field(p, 'kerberos.pvno').value, field(p, 'kerberos.pvno').offset]).toEqual([5, 52]);
    expect([field(p, 'kerberos.padata_type').value, field(p, 'kerberos.include_pac').value]).toEqual([128, true]);
    expect(field(p, 'kerberos.padata').display).toBe('padata: 1 item');
    const opts = field(p, 'kerberos.kdc_options');
    expect([opts.offset, opts.length]).toEqual([92, 4]);
    expect([field(p, 'kerberos.KDCOptions.forwardable').value, field(p, 'kerberos.KDCOptions.forwardable').bits]).toEqual([true, { offset: 1, length: 1 }]);
    expect([field(p, 'kerberos.KDCOptions.renewable.ok').value, field(p, 'kerberos.KDCOptions.renewable.ok').offset]).toEqual([true, 95]);
    const cname = field(p, 'kerberos.CNameString');
    expect([cname.value, cname.offset, cname.length]).toEqual(['alice', 111, 5]);
    expect([field(p, 'kerberos.realm').value, field(p, 'kerberos.realm').offset]).toEqual(['EXAMPLE.COM', 120]);
    expect(values(p, 'kerberos.SNameString')).toEqual(['krbtgt', 'EXAMPLE.COM']);
    expect(values(p, 'kerberos.name_type')).toEqual([1, 2]);
    expect(field(p, 'kerberos.till').value).toBe('Sep 13, 2037 02:48:05.000000000 UTC');
    expect(field(p, 'kerberos.nonce').value).toBe(0x12345678);
    expect(values(p, 'kerberos.ENCTYPE')).toEqual([18, 17, 23]);
    expect(field(p, 'kerberos.ENCTYPE').display).toBe('ENCTYPE: eTYPE-AES256-CTS-HMAC-SHA1-96 (18)');
    expect(layer(p, 'kerberos').summary).toBe('AS-REQ');
    expect(layer(p, 'kerberos').info).toMatchObject({ msgType: 10, realm: 'EXAMPLE.COM', cname: 'alice', sname: 'krbtgt/EXAMPLE.COM' });
    checkInvariants(p);
  });

  it('KRB-ERROR: the error code names the Info column', () => {
    const p = dissect(ERROR);
    expect(stack(p)).toBe('eth/ip/udp/kerberos');
    const code = field(p, 'kerberos.error_code');
    expect([code.value, code.offset, code.display]).toEqual([25, 86, 'error-code: eRR-PREAUTH-REQUIRED (25)']);
    expect(field(p, 'kerberos.stime').value).toBe('Oct 10, 2021 16:41:24.000000000 UTC');
    expect(field(p, 'kerberos.susec').value).toBe(123456);
    expect(layer(p, 'kerberos').summary).toBe('KRB Error: KRB5KDC_ERR_PREAUTH_REQUIRED');
  });

  it('AS-REP over TCP: the record mark, crealm, cname and the ticket', () => {
    const p = dissect(AS_REP_TCP);
    expect(stack(p)).toBe('eth/ip/tcp/kerberos');
    const len = field(p, 'kerberos.rm.length');
    expect([len.value, len.offset, len.length, len.bits]).toEqual([197, 54, 4, { offset: 1, length: 31 }]);
    expect(field(p, 'kerberos.rm.reserved').value).toBe(false);
    expect(field(p, 'kerberos.crealm').value).toBe('EXAMPLE.COM');
    expect([field(p, 'kerberos.CNameString').value, field(p, 'kerberos.CNameString').offset]).toEqual(['alice', 104]);
    expect(field(p, 'kerberos.tkt_vno').value).toBe(5);
    expect(values(p, 'kerberos.realm')).toEqual(['EXAMPLE.COM']);
    expect(values(p, 'kerberos.etype')).toEqual([18, 18]);
    expect(values(p, 'kerberos.kvno')).toEqual([2, 1]);
    expect(layer(p, 'kerberos').summary).toBe('AS-REP');
    checkInvariants(p);
  });

  it('a TCP record longer than the segment is read as far as it goes, with a note', () => {
    const cut = AS_REP_TCP.slice(0, 120);
    cut[16] = 0;
    cut[17] = 120 - 14; // IPv4 total length
    const p = dissect(cut);
    const k = layer(p, 'kerberos');
    expect(k.issues.map((i) => i.kind)).toEqual(['expert']);
    expect(field(p, 'kerberos.msg_type').value).toBe(11);
    expect(k.summary).toBe('AS-REP');
  });

  it('a UDP payload that does not start with a Kerberos application tag is data, as in tshark', () => {
    const notKrb = ERROR.slice();
    notKrb[42] = 0x30; // a bare SEQUENCE
    expect(stack(dissect(notKrb))).toBe('eth/ip/udp/data');
  });

  it('an element longer than its container is malformed', () => {
    const bad = AS_REQ.slice();
    bad[50] = 0x7f; // the pvno [1] element claims 127 bytes
    const p = dissect(bad);
    expect(layer(p, 'kerberos').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('every prefix: no throw', () => {
    prefixSweep(AS_REQ);
    prefixSweep(ERROR);
    prefixSweep(AS_REP_TCP);
  });
});
