import { describe, expect, it } from 'vitest';
import { dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__syslog_udp.pcap #1: <5> (kern.notice) "Sep 12 19:16:12 through logger: test message 21\0"
const MSG = hex(
  '14cf929138f0b09928c8d64608004500004f78d140004011ad710a0000140a000048b9cd0202003b14a8' +
    '3c353e5365702031322031393a31363a3132207468726f756768206c6f676765723a2074657374206d65737361676520323100',
);

describe('syslog', () => {
  it('splits <PRI> into facility and level and reads the message', () => {
    const p = dissect(MSG);
    expect(stack(p)).toBe('eth/ip/udp/syslog');
    expect([field(p, 'syslog.facility').value, field(p, 'syslog.level').value]).toEqual([0, 5]);
    expect([field(p, 'syslog.msg').offset, field(p, 'syslog.msg').length]).toEqual([45, 48]);
    expect(layer(p, 'syslog').summary).toBe('KERN.NOTICE: Sep 12 19:16:12 through logger: test message 21\0');
  });

  it('without a <PRI> the whole payload is the message', () => {
    const bad = MSG.slice();
    bad[42] = 0x41;
    const p = dissect(bad);
    expect(() => field(p, 'syslog.facility')).toThrow();
    expect(field(p, 'syslog.msg').offset).toBe(42);
  });

  it('every prefix: no throw', () => prefixSweep(MSG));
});
