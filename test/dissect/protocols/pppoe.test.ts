import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// pcapplusplus__PPPoESession.pcap #1: session data carrying LCP, padded to 60 bytes.
const SESSION = hex(`
  ca010e880006 cc050e880000 8864          # Ethernet
  11 00 0011 0014                        # PPPoE: v1 t1, code 0, session 0x0011, length 20
  c021 02020012 010405dc 0304c023 050601fccbfb
  000000000000000000000000000000000000000000000000
`);
// tcpdump__pppoe.pcap: PADI with PPP-Max-Payload and Host-Uniq tags.
const PADI = hex(`
  ffffffffffff 000c29903a8b 8863
  11 09 0000 0012
  0101 0000  0120 0002 05dc  0103 0004 16372c16
`);

describe('pppoe', () => {
  it('session: header fields with offsets and bits, PPP without address/control, padding left out', () => {
    const p = dissect(SESSION);
    expect(stack(p)).toBe('eth/pppoes/ppp/lcp/padding');
    const v = field(p, 'pppoe.version');
    expect([v.value, v.offset, v.bits]).toEqual([1, 14, { offset: 0, length: 4 }]);
    expect(field(p, 'pppoe.type').bits).toEqual({ offset: 4, length: 4 });
    expect([field(p, 'pppoe.session_id').value, field(p, 'pppoe.session_id').offset]).toEqual([0x11, 16]);
    expect([field(p, 'pppoe.payload_length').value, field(p, 'pppoe.payload_length').offset]).toEqual([20, 18]);
    expect([field(p, 'ppp.protocol').value, field(p, 'ppp.protocol').offset]).toEqual([0xc021, 20]);
    expect(layer(p, 'pppoes').summary).toBe('Session Data, Session ID: 0x0011');
    checkInvariants(p);
  });

  it('discovery: code and tags', () => {
    const p = dissect(PADI);
    expect(stack(p)).toBe('eth/pppoed');
    expect(field(p, 'pppoe.code').value).toBe(0x09);
    expect(values(p, 'pppoed.tags.service_name')).toEqual([]); // empty: not shown, as in tshark
    expect(layer(p, 'pppoed').info['tags']).toEqual(['Service-Name', 'PPP-Max-Payload', 'Host-Uniq']);
    expect([field(p, 'pppoed.tags.max_payload').offset, field(p, 'pppoed.tags.max_payload').length]).toEqual([28, 2]);
    expect(Buffer.from(field(p, 'pppoed.tags.host_uniq').value as Uint8Array).toString('hex')).toBe('16372c16');
    expect(layer(p, 'pppoed').summary).toBe('Active Discovery Initiation (PADI)');
  });

  it('a tag running past the payload is malformed', () => {
    const bad = PADI.slice();
    bad[33] = 0x40;
    const p = dissect(bad);
    expect(layer(p, 'pppoed').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'pppoed.tag_length']]);
  });

  it('a payload length beyond the frame: the tags item ends with the captured bytes', () => {
    const long = PADI.slice();
    long[18] = 0x72; // payload length 0x7212
    const p = dissect(long);
    const tags = field(p, 'pppoed.tags');
    expect([tags.offset, tags.offset + tags.length]).toEqual([20, PADI.length]);
    checkInvariants(p);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(SESSION);
    prefixSweep(PADI);
  });
});
