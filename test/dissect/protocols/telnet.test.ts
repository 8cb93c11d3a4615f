import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// arkime__mpls-basic.pcap #35: DO SUPPRESS-GO-AHEAD, WILL NAWS, WILL REMOTE-FLOW-CONTROL over MPLS (Telnet at 58)
const NEGOTIATE = hex(`
  003096e6fc3900309605283888470001ddff45c0003100020000ff06a4e00a0102010a2200012af9001798320ffc8dd5
  8ea55018102079ac0000fffd03fffb1ffffb21
`);

describe('telnet', () => {
  it('reads IAC commands and their options', () => {
    const p = dissect(NEGOTIATE);
    expect(stack(p)).toBe('eth/mpls/ip/tcp/telnet');
    expect(values(p, 'telnet.cmd')).toEqual([253, 251, 251]);
    expect(values(p, 'telnet.subcmd')).toEqual([3, 31, 33]);
    expect([field(p, 'telnet.cmd').offset, field(p, 'telnet.subcmd', 2).offset]).toEqual([59, 66]);
    expect(layer(p, 'telnet').summary).toBe('Telnet Data ...');
    checkInvariants(p);
  });

  it('text between commands is telnet.data; a doubled IAC stays in the text', () => {
    const text = new Uint8Array([...NEGOTIATE.subarray(0, 58), 0x6c, 0x73, 0xff, 0xff, 0x0d, 0x0a, 0xff, 0xf1]);
    const p = dissect(text, 1, {});
    expect(values(p, 'telnet.data')).toEqual(['ls\xff\xff\r\n']);
    expect(values(p, 'telnet.cmd')).toEqual([241]);
  });

  it('every prefix', () => prefixSweep(NEGOTIATE));
});
