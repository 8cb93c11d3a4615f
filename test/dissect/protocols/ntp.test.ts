import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__ntp.pcap #1: NTPv4 client request with a key id and MAC
const CLIENT = hex(
  '001213141516001213141517080045000064e2b5400040110e7fc0a86402c0a86401e2c6007b005049b6' +
    '23000020000000000000000000000000000000000000000000000000000000000000000000000000a4b39cd101fb24bf' +
    '0000000857ea530f6d74350cc5286bfec1ab8ca7',
);

describe('ntp', () => {
  it('reads the flags (leap, version, mode) and the header', () => {
    const p = dissect(CLIENT);
    expect(stack(p)).toBe('eth/ip/udp/ntp');
    const flags = field(p, 'ntp.flags');
    expect(flags.value).toBe(0x23);
    expect(flags.children!.map((f) => [f.key, f.value])).toEqual([['ntp.flags.li', 0], ['ntp.flags.vn', 4], ['ntp.flags.mode', 3]]);
    expect(field(p, 'ntp.flags.mode').bits).toEqual({ offset: 5, length: 3 });
    expect(field(p, 'ntp.ppoll').value).toBe(0);
    expect(field(p, 'ntp.precision').value).toBe(0x20);
    expect(field(p, 'ntp.reftime').value).toBe('NULL');
    expect(field(p, 'ntp.xmt').value).toBe('Jul 25, 1987 21:08:33.007738396 UTC');
    expect(field(p, 'ntp.keyid').offset).toBe(90);
    expect(layer(p, 'ntp').summary).toBe('NTP Version 4, client');
    checkInvariants(p);
  });

  it('control messages (mode 6) read the control header', () => {
    const ctrl = CLIENT.slice(0, 42 + 12);
    ctrl[42] = 0x16; // version 2, mode 6
    ctrl[43] = 0x02; // read variables
    const p = dissect(ctrl, 1, {}, CLIENT.length);
    expect(field(p, 'ntp.flags.mode').value).toBe(6);
    expect(field(p, 'ntp.ctrl.flags2.opcode').value).toBe(2);
  });

  it('every prefix: no throw', () => {
    prefixSweep(CLIENT);
  });
});
