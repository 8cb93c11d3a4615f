import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// zeek__gap-data-missing.pcapng #7: a bindResponse with SASL credentials (VLAN, IPv6; LDAP at 78).
const BIND_RESPONSE = hex(
  '3cfa30031230000c29a9e4e38100005086dd6003fcfd00e606402a006020ad0b838000000000000000102a006020ad0b8381fd70e2f9f031' +
    '9dc40185c33cf1b1e196e05313c550182003384900003084000000cc0201156184000000c30a010004000400878200b8a181b53081b2a003' +
    '0a0100a10b06092a864882f712010202a2819d04819a60819706092a864886f71201020202006f8187308184a003020105a10302010fa278' +
    '3076a003020112a26f046dcf52abc493619c63640980bdfd923f91db3685298fb622e67819004a9cc86189b6a3e1c8dda688ac914c0b8e6c' +
    'c6e052634107a7ca669263f1568245eef437543da26d6108a8293917e15ac8123448fb3f95d05eaa345dd6588fc867f29d3430b19f6952f4' +
    'c0bc747e7a1eb998',
);
// #8: after the SASL bind, a buffer wrapped in a Kerberos CFX token (LDAP at 78).
const SASL = hex(
  '3cfa30031230000c29c37feb8100005186dd600e145f00e406402a006020ad0b8381fd70e2f9f0319dc42a006020ad0b8380000000000000' +
    '0010c33c0185e05313c5f1b1e2685018040472b40000000000cc050406ff0000001c000000003a8d97ad6bb2c6480e4e628a4b465f8681be' +
    'c197eb5e5e2e2c4e5b21a491db009426a376c43192c3a3642c8e1da11e1d04cb9dbe38717811e4984f535264a7f72c1892deba3844038ab5' +
    '084be5bdb2d33ca823653dc94882dcc127af05dd78819f38dd13bd5df6a1d11d9b656eae006f30bd1b4e30da4ccc0ebf172c1abebff35fac' +
    '942bee719b2d03bfd7c6010183dc22a4ad0a5eac4b94400f6ec7ad9d51e8f6b3ba746ef9eeee2df25a1acd9fff3f360405f61c07cc5f11be' +
    'c5ab3d641fc3',
);

/** Ethernet, IPv4 and TCP (port 51000 → 389) around `payload` (LDAP at 54). */
function overTcp(payload: string): Uint8Array {
  const body = hex(payload);
  const b = new Uint8Array(54 + body.length);
  b.set(hex('00c095f84dd300c095e019be0800'), 0);
  b.set(hex('4500 0000 0000 4000 4006 0000 0a000001 0a000002'), 14);
  b[16] = (40 + body.length) >> 8;
  b[17] = (40 + body.length) & 0xff;
  b.set(hex('c738 0185 00000001 00000001 5018 0200 0000 0000'), 34);
  b.set(body, 54);
  return b;
}

// A simple bind of the anonymous user, and a search for objectClass under dc=x,dc=y, in one segment.
const BIND_AND_SEARCH = overTcp(
  '300c020101 6007 020103 0400 8000' + // bindRequest(1), version 3, name "", simple ""
    '302e020102 6329 0409 64633d782c64633d79 0a0102 0a0100 020100 020100 010100 870b 6f626a656374436c617373 3000',
);

describe('ldap', () => {
  it('a bind request and a search request in one segment', () => {
    const p = dissect(BIND_AND_SEARCH);
    expect(stack(p)).toBe('eth/ip/tcp/ldap');
    expect(values(p, 'ldap.messageID')).toEqual([1, 2]);
    expect([field(p, 'ldap.messageID').offset, field(p, 'ldap.messageID').length]).toEqual([58, 1]);
    expect(values(p, 'ldap.protocolOp')).toEqual([0, 3]);
    expect(field(p, 'ldap.protocolOp').display).toBe('protocolOp: bindRequest (0)');
    expect([field(p, 'ldap.version').value, field(p, 'ldap.authentication').value]).toEqual([3, 0]);
    const base = field(p, 'ldap.baseObject');
    expect([base.value, base.offset, base.length]).toEqual(['dc=x,dc=y', 77, 9]);
    expect(field(p, 'ldap.scope').display).toBe('scope: wholeSubtree (2)');
    expect(field(p, 'ldap.typesOnly').value).toBe(false);
    expect(layer(p, 'ldap').summary).toBe('bindRequest(1) "<ROOT>" simple  | searchRequest(2) "dc=x,dc=y" wholeSubtree ');
    checkInvariants(p);
  });

  it('a bind response: the result and the server SASL credentials', () => {
    const p = dissect(BIND_RESPONSE);
    expect(stack(p)).toBe('eth/vlan/ipv6/tcp/ldap');
    expect([field(p, 'ldap.messageID').value, field(p, 'ldap.resultCode').display]).toEqual([21, 'resultCode: success (0)']);
    const creds = field(p, 'ldap.serverSaslCreds');
    expect([creds.offset, creds.length]).toEqual([104, 184]);
    expect(layer(p, 'ldap').summary).toBe('bindResponse(21) success ');
    checkInvariants(p);
  });

  it('a SASL buffer: its length and the wrapped payload as tshark counts it', () => {
    const p = dissect(SASL);
    expect([field(p, 'ldap.sasl_buffer_length').value, field(p, 'ldap.sasl_buffer_length').offset]).toEqual([204, 78]);
    expect([field(p, 'ldap.gssapi_encrypted_payload').offset, field(p, 'ldap.gssapi_encrypted_payload').length]).toEqual([142, 144]);
    expect(layer(p, 'ldap').summary).toBe('SASL GSS-API Privacy: payload (144 bytes)');
  });

  it('an element longer than the message around it is malformed', () => {
    const p = dissect(overTcp('3003020501'));
    expect(layer(p, 'ldap').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('a message longer than its segment is read as far as it goes', () => {
    const p = dissect(overTcp('3050020101 604b 020103 0400 a344 040a 4753532d53504e45474f 0480ff 00'));
    expect(field(p, 'ldap.mechanism').value).toBe('GSS-SPNEGO');
    expect(layer(p, 'ldap').issues.map((i) => i.kind)).toEqual(['malformed']);
    expect(layer(p, 'ldap').summary).toBe('bindRequest(1) "<ROOT>" ');
  });

  it('every prefix: no throw', () => {
    prefixSweep(BIND_AND_SEARCH);
    prefixSweep(SASL);
  });
});
