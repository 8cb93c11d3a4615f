import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// ndpi__1kxun.pcap #3: M-SEARCH * HTTP/1.1 to 239.255.255.250:1900
const SEARCH = hex(
  '01005e7ffffa185e0f52e8010800450000a1301700000111d359c0a80539effffffada01076c008dc1a0' +
    '4d2d534541524348202a20485454502f312e310d0a486f73743a3233392e3235352e3235352e3235303a313930300d0a' +
    '53543a75726e3a736368656d61732d75706e702d6f72673a6465766963653a496e7465726e6574476174657761794465766963653a310d0a' +
    '4d616e3a22737364703a646973636f766572220d0a4d583a330d0a0d0a',
);

describe('ssdp', () => {
  // The http.* keys are declared by the http protocol (Wireshark dissects SSDP with its HTTP
  // dissector); strict mode checks that every key recorded here is declared.
  const opts = { strict: true };
  it('records the start line and Host as http.* fields, as tshark does', () => {
    const p = dissect(SEARCH, 1, opts);
    expect(stack(p)).toBe('eth/ip/udp/ssdp');
    expect([field(p, 'http.request.method').value, field(p, 'http.request.method').offset]).toEqual(['M-SEARCH', 42]);
    expect(field(p, 'http.request.uri').value).toBe('*');
    expect(field(p, 'http.host').value).toBe('239.255.255.250:1900');
    expect(layer(p, 'ssdp').summary).toBe('M-SEARCH * HTTP/1.1');
  });

  it('every prefix', () => prefixSweep(SEARCH));
});
