import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// Ethernet/IPv4/TCP 44338 -> 22 (20-byte TCP header) carrying a client banner, as zeek__get-to-ssh-server.pcap's peers
const HEAD = `
  0200 0000 0002 0200 0000 0001 0800
  4500 0039 0001 4000 4006 0000 0a00 0001 0a00 0002
  ad32 0016 0000 0001 0000 0001 5018 ffff 0000 0000
`;
const BANNER = hex(`${HEAD} 5353 482d 322e 302d 4f70 656e 5353 480d 0a`); // "SSH-2.0-OpenSSH\r\n"

describe('ssh', () => {
  it('reads the version banner', () => {
    const p = dissect(BANNER);
    expect(stack(p)).toBe('eth/ip/tcp/ssh');
    const f = field(p, 'ssh.protocol');
    expect([f.value, f.offset, f.length]).toEqual(['SSH-2.0-OpenSSH', 54, 15]);
    expect(layer(p, 'ssh').summary).toBe('Protocol (SSH-2.0-OpenSSH)');
  });

  it('anything else on port 22 is an encrypted packet, never HTTP (even a GET line)', () => {
    const get = hex(`${HEAD} 4745 5420 2f20 4854 5450 2f31 2e31 0d0a 0d`); // "GET / HTTP/1.1\r\n\r"
    const p = dissect(get);
    expect(stack(p)).toBe('eth/ip/tcp/ssh');
    expect(values(p, 'http.request.method')).toEqual([]);
    expect(layer(p, 'ssh').summary).toBe('Encrypted packet (len=17)');
  });

  it('every prefix: no throw', () => {
    prefixSweep(BANNER);
  });
});
