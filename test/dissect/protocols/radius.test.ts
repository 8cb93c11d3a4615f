import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, values } from '../../helpers/dissect.js';

// tcpdump__RADIUS.pcap #1 (Access-Request id 5), attributes up to the EAP-Message left out:
// the RADIUS length is patched to cover what is kept.
const REQ = hex(
  '001d60b30184001906eab8c00800450000a700460000ff11a69b0a0000010a000064066d071400933dca' +
    '0105008becfe3d2fe4473ec6299095ee46aedf7704060a00000105060000c35c3d060000000f010e4a6f686e2e4d63477569726b',
);

describe('radius', () => {
  it('reads code, id, length, authenticator and the attributes by name', () => {
    const data = REQ.slice();
    const len = data.length - 42;
    data[44] = len >> 8;
    data[45] = len & 0xff;
    const p = dissect(data, 1, {}, data.length);
    expect([field(p, 'radius.code').value, field(p, 'radius.id').value]).toEqual([1, 5]);
    expect(field(p, 'radius.authenticator').length).toBe(16);
    expect(values(p, 'radius.avp.type')).toEqual([4, 5, 61, 1]);
    expect(field(p, 'radius.NAS_IP_Address').value).toBe('10.0.0.1');
    expect(field(p, 'radius.User_Name').value).toBe('John.McGuirk');
    expect(field(p, 'radius.avp').display).toBe('AVP: t=NAS-IP-Address(4) l=6 val=10.0.0.1');
    expect(layer(p, 'radius').summary).toBe('Access-Request id=5');
  });

  it('a length below 20 is malformed', () => {
    const bad = REQ.slice();
    bad[45] = 4;
    bad[44] = 0;
    expect(layer(dissect(bad), 'radius').issues[0]!.kind).toBe('malformed');
  });

  it('every prefix: no throw', () => prefixSweep(REQ));
});
