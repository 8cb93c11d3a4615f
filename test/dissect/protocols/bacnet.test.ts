import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';
import { udpPacket } from '../../helpers/misc-packets.js';

// zeek__q-in-q.pcap #1: two 802.1Q tags, UDP 47808, BVLC Original-Broadcast-NPDU, a global
// broadcast NPDU and a who-Is 7001..7001 (BVLC at 50, NPDU at 54, APDU at 60)
const WHO_IS = hex(`
  ffffffffffff00c0e4012ced8100000d8100000a08004500002e479600004011749eac133325ac13333fbac0bac0001a
  b9da810b00120120ffff00ff10080a1b591a1b59
`);

// i-Am device,7001 (max APDU 480, segmentation both, vendor 7): tshark "Unconfirmed-REQ i-Am device,7001 "
const I_AM = udpPacket(47808, 47808, hex('810b0018 0120ffff00ff 1000c402001b592201e091002107'));
// readProperty analog-input,1 present-value, invoke id 1, expecting a reply
const READ_PROPERTY = udpPacket(47808, 47808, hex('810a0011 0104 0205010c 0c00000001 1955'));
// Forwarded-NPDU from 192.168.1.10:47808 carrying a network layer message: I-Am-Router-To-Network 1, 2
const FORWARDED = udpPacket(47808, 47808, hex('81040011 c0a8010abac0 0180 01 0001 0002'));

describe('bvlc, bacnet, bacapp', () => {
  it('who-Is over BACnet/IP: BVLC header, NPDU destination, APDU limits', () => {
    const p = dissect(WHO_IS);
    expect(stack(p)).toBe('eth/vlan/vlan/ip/udp/bvlc/bacnet/bacapp');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('bvlc.type')).toEqual([0x81, 50, 1]);
    expect(f('bvlc.function')).toEqual([0x0b, 51, 1]);
    expect(f('bvlc.length')).toEqual([4, 52, 2]);
    expect(field(p, 'bvlc.length').display).toBe('BVLC-Length: 4 of 18 bytes BACnet packet length');
    expect(f('bacnet.version')).toEqual([1, 54, 1]);
    expect(field(p, 'bacnet.control_dest').value).toBe(true);
    expect(f('bacnet.dnet')).toEqual([65535, 56, 2]);
    expect(f('bacnet.dlen')).toEqual([0, 58, 1]);
    expect(f('bacnet.hopc')).toEqual([255, 59, 1]);
    expect(f('bacapp.type')).toEqual([1, 60, 1]);
    expect(f('bacapp.unconfirmed_service')).toEqual([8, 61, 1]);
    expect(f('bacapp.who_is.low_limit')).toEqual([7001, 63, 2]);
    expect(f('bacapp.who_is.high_limit')).toEqual([7001, 66, 2]);
    expect(values(p, 'bacapp.context_tag_number')).toEqual([0, 1]);
    expect(values(p, 'bacapp.LVT')).toEqual([2, 2]);
    expect(layer(p, 'bacapp').summary).toBe('Unconfirmed-REQ who-Is 7001 7001 ');
    checkInvariants(p);
  });

  it('i-Am shows the device; readProperty the object, property and invoke id', () => {
    const iam = dissect(I_AM);
    expect(values(iam, 'bacapp.objectType')).toEqual([8]);
    expect(values(iam, 'bacapp.instance_number')).toEqual([7001]);
    expect(layer(iam, 'bacapp').summary).toBe('Unconfirmed-REQ i-Am device,7001 ');
    const rp = dissect(READ_PROPERTY);
    expect(stack(rp)).toBe('eth/ip/udp/bvlc/bacnet/bacapp');
    expect([field(rp, 'bacapp.invoke_id').value, field(rp, 'bacapp.confirmed_service').value]).toEqual([1, 12]);
    expect([field(rp, 'bacapp.max_adpu_size').value, field(rp, 'bacapp.SA').value]).toEqual([5, true]);
    expect(field(rp, 'bacapp.property_identifier').value).toBe(85);
    expect(layer(rp, 'bacapp').summary).toBe('Confirmed-REQ   readProperty[  1] analog-input,1 present-value ');
    checkInvariants(rp);
  });

  it('a Forwarded-NPDU carries its origin; a network layer message stays in BACnet', () => {
    const p = dissect(FORWARDED);
    expect(stack(p)).toBe('eth/ip/udp/bvlc/bacnet');
    expect([field(p, 'bvlc.fwd_ip').value, field(p, 'bvlc.fwd_port').value]).toEqual(['192.168.1.10', 47808]);
    expect(field(p, 'bvlc.length').display).toBe('BVLC-Length: 10 of 17 bytes BACnet packet length');
    expect(field(p, 'bacnet.mesgtyp').value).toBe(1);
    expect(values(p, 'bacnet.dnet')).toEqual([1, 2]);
    expect(layer(p, 'bacnet').summary).toBe('I-Am-Router-To-Network');
    checkInvariants(p);
  });

  it('a BVLC type that is neither annex J nor U is malformed; a tag longer than the APDU too', () => {
    const bad = WHO_IS.slice();
    bad[50] = 0x42;
    expect(layer(dissect(bad), 'bvlc').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'bvlc.type']]);
    const long = WHO_IS.slice();
    long[65] = 0x1c; // the high limit claims 4 bytes, 2 are there
    expect(layer(dissect(long), 'bacapp').issues.map((i) => i.kind)).toEqual(['malformed']);
  });

  it('a length other than the datagram\'s is flagged as tshark does', () => {
    const p = dissect(udpPacket(47808, 47808, hex('81040012 c0a8010abac0 0180 01 0001 0002')));
    expect(field(p, 'bvlc.length').display).toBe('BVLC-Length: 10 of 18 bytes (invalid length - expected 17 bytes)');
    expect(layer(p, 'bvlc').issues.map((i) => i.kind)).toEqual(['expert']);
    expect(values(p, 'bacnet.dnet')).toEqual([1, 2]);
  });

  it('every prefix', () => {
    prefixSweep(WHO_IS);
    prefixSweep(READ_PROPERTY);
    prefixSweep(FORWARDED);
  });
});
