import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// tcpdump__unsupported-link-type-dbus.pcap #1: a RemoveMatch method call to org.freedesktop.DBus (LINKTYPE_DBUS)
const CALL = hex(`
  6c01010192000000170000007f00000001016f00150000002f6f72672f667265656465736b746f702f44427573000000
  06017300140000006f72672e667265656465736b746f702e444275730000000002017300140000006f72672e66726565
  6465736b746f702e4442757300000000030173000b00000052656d6f76654d6174636800000000000801670001730000
  8d000000747970653d277369676e616c272c73656e6465723d276f72672e667265656465736b746f702e48616c272c70
  6174683d272f6f72672f667265656465736b746f702f48616c2f4d616e61676572272c696e746572666163653d276f72
  672e667265656465736b746f702e48616c2e4d616e61676572272c6d656d6265723d2744657669636552656d6f766564
  2700
`);

describe('dbus', () => {
  it('reads the fixed header and the header fields in the announced byte order', () => {
    const p = dissect(CALL, 231);
    expect(stack(p)).toBe('dbus');
    expect(field(p, 'dbus.endianness').value).toBe(0x6c);
    expect(field(p, 'dbus.message_type').value).toBe(1);
    expect([field(p, 'dbus.body_length').value, field(p, 'dbus.body_length').offset]).toEqual([146, 4]);
    expect(field(p, 'dbus.serial').value).toBe(23);
    expect([field(p, 'dbus.path').value, field(p, 'dbus.path').offset, field(p, 'dbus.path').length]).toEqual(['/org/freedesktop/DBus', 24, 21]);
    expect(field(p, 'dbus.destination').value).toBe('org.freedesktop.DBus');
    expect(field(p, 'dbus.member').value).toBe('RemoveMatch');
    expect(field(p, 'dbus.signature').value).toBe('s');
    expect(layer(p, 'dbus').summary).toBe('RemoveMatch() @ /org/freedesktop/DBus');
    checkInvariants(p);
  });

  it('an unknown endianness marker is malformed', () => {
    const bad = CALL.slice();
    bad[0] = 0x78;
    const l = layer(dissect(bad, 231), 'dbus');
    expect(l.issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'dbus.endianness']]);
  });

  it('every prefix', () => prefixSweep(CALL, 231));
});
