import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump__HDLC.pcap #17: CDPv2 over Cisco HDLC (checksum 0x162e, odd length).
const CDP = hex(`
8f00200002b4162e000100065230000500fb436973636f20494f5320536f6674776172652c203337303020536f667477617265202843333732352d414456454e54455250524953454b392d4d292c2056657273696f6e2031322e3428392954312c2052454c4541534520534f4654574152452028666332290a546563686e6963616c20537570706f72743a20687474703a2f2f7777772e636973636f2e636f6d2f74656368737570706f72740a436f707972696768742028632920313938362d3230303620627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205765642033302d4175672d30362031383a34382062792070726f645f72656c5f7465616d0006000e436973636f203337323500020011000000010101cc00040a0000010003000d53657269616c312f30000400080000002900090004
`);

describe('cdp', () => {
  it('header, verified checksum, TLVs with their values and offsets', () => {
    const p = dissect(CDP, 104);
    expect(stack(p)).toBe('chdlc/cdp');
    expect([field(p, 'cdp.version').value, field(p, 'cdp.ttl').value]).toEqual([2, 180]);
    expect([field(p, 'cdp.checksum').value, field(p, 'cdp.checksum').offset]).toEqual([0x162e, 6]);
    expect(field(p, 'cdp.checksum.status').value).toBe(1);
    const dev = field(p, 'cdp.deviceid');
    expect([dev.value, dev.offset, dev.length]).toEqual(['R0', 12, 2]);
    expect(values(p, 'cdp.software_version')).toHaveLength(4);
    expect(field(p, 'cdp.platform').value).toBe('Cisco 3725');
    expect(field(p, 'cdp.nrgyz.ip_address').value).toBe('10.0.0.1');
    expect(field(p, 'cdp.portid').value).toBe('Serial1/0');
    expect(field(p, 'cdp.capabilities').value).toBe(0x29);
    expect(field(p, 'cdp.capabilities.router').value).toBe(true);
    expect(field(p, 'cdp.capabilities.host').value).toBe(false);
    expect(layer(p, 'cdp').summary).toBe('Device ID: R0  Port ID: Serial1/0  ');
    checkInvariants(p);
  });

  it('a corrupted byte makes the checksum bad', () => {
    const bad = CDP.slice();
    bad[13] = bad[13]! ^ 0x01;
    const p = dissect(bad, 104);
    expect(field(p, 'cdp.checksum.status').value).toBe(0);
    expect(layer(p, 'cdp').issues.map((i) => i.fieldKey)).toContain('cdp.checksum');
  });

  it('a TLV length below 4 is malformed', () => {
    const bad = CDP.slice();
    bad[11] = 2;
    const p = dissect(bad, 104);
    expect(layer(p, 'cdp').issues.map((i) => [i.kind, i.fieldKey])).toContainEqual(['malformed', 'cdp.tlv.len']);
  });

  it('every prefix: no throw, the cut layer truncated', () => {
    prefixSweep(CDP, 104);
  });
});
