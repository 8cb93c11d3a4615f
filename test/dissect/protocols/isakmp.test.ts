import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump__ikev2four.pcap #2: IKE_SA_INIT response carrying a COOKIE notify (BSD loopback, ISAKMP at 32)
const COOKIE = hex(`
  02000000450000584dc500004011a97cc0a80101c0a8010201f401f400440629a88875a8198992a60000000000000000
  29202220000000000000003c000000200000400600000001c2221e50c16e123f2b0c71aefcf0cb3b798782c6
`);

describe('isakmp', () => {
  it('reads the IKEv2 header and the payload chain', () => {
    const p = dissect(COOKIE, 0);
    expect(stack(p)).toBe('null/ip/udp/isakmp');
    expect([field(p, 'isakmp.ispi').offset, field(p, 'isakmp.ispi').length]).toEqual([32, 8]);
    expect(field(p, 'isakmp.mjver').value).toBe(2);
    expect([field(p, 'isakmp.exchangetype').value, field(p, 'isakmp.exchangetype').offset]).toEqual([34, 50]);
    expect(field(p, 'isakmp.flag_r').value).toBe(true);
    expect(field(p, 'isakmp.flag_i').value).toBe(false);
    expect(field(p, 'isakmp.length').value).toBe(60);
    expect(values(p, 'isakmp.typepayload')).toEqual([41]);
    expect([field(p, 'isakmp.payloadlength').value, field(p, 'isakmp.payloadlength').offset]).toEqual([32, 62]);
    expect(layer(p, 'isakmp').summary).toBe('IKE_SA_INIT MID=00 Responder Response');
    checkInvariants(p);
  });

  it('a payload length under 4 stops the chain with a warning', () => {
    const bad = COOKIE.slice();
    bad[62] = 0;
    bad[63] = 2;
    const l = layer(dissect(bad, 0), 'isakmp');
    expect(l.issues.map((i) => i.fieldKey)).toEqual(['isakmp.payloadlength']);
  });

  it('every prefix', () => prefixSweep(COOKIE, 0));
});
