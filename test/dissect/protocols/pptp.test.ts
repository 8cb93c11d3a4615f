import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__pptp.pcap #5: Start-Control-Connection-Request, 10.1.1.11:3025 → 10.1.1.10:1723 (PPTP at 54)
const SCCRQ = hex(`
  0800209f6b720000000000000800450000c403b940008006e0640a01010b0a01010a0bd106bbd973edec8b6e1fc85018
  4470746e0000009c00011a2b3c4d00010000010000000000000100000001000008700000000000000000000000000000
  000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
  00004d6963726f736f66742057696e646f7773204e540000000000000000000000000000000000000000000000000000
  000000000000000000000000000000000000
`);

describe('pptp', () => {
  it('reads the header and the Start-Control-Connection fields', () => {
    const p = dissect(SCCRQ);
    expect(stack(p)).toBe('eth/ip/tcp/pptp');
    expect([field(p, 'pptp.length').value, field(p, 'pptp.length').offset]).toEqual([156, 54]);
    expect(field(p, 'pptp.magic_cookie').value).toBe(0x1a2b3c4d);
    expect([field(p, 'pptp.control_message_type').value, field(p, 'pptp.control_message_type').offset]).toEqual([1, 62]);
    expect(field(p, 'pptp.protocol_version').value).toBe(0x100);
    expect(field(p, 'pptp.firmware_revision').value).toBe(2160);
    expect(field(p, 'pptp.host_name').value).toBe('');
    expect([field(p, 'pptp.vendor_name').value, field(p, 'pptp.vendor_name').offset, field(p, 'pptp.vendor_name').length]).toEqual(['Microsoft Windows NT', 146, 64]);
    expect(layer(p, 'pptp').summary).toBe('Start-Control-Connection-Request');
    checkInvariants(p);
  });

  it('a wrong magic cookie is an expert warning, not a failure', () => {
    const bad = SCCRQ.slice();
    bad[58] = 0;
    const l = layer(dissect(bad), 'pptp');
    expect(l.issues.map((i) => [i.kind, i.fieldKey])).toEqual([['expert', 'pptp.magic_cookie']]);
    expect(l.summary).toBe('Start-Control-Connection-Request');
  });

  it('every prefix', () => prefixSweep(SCCRQ));
});
