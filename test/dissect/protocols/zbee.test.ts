import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

const NOFCS = 230;
const WITHFCS = 195;
// scapy__zigbee-join-authenticate.pcap (LINKTYPE_IEEE802_15_4_NOFCS)
// #1: a data frame to the broadcast short address, a secured ZigBee NWK command
const NWK_COMMAND = hex('418833ff01ffff00000912fcff000001d158c50d00006f0d00280100000058c50d00006f0d00004015cd19ab20');
// #3: a beacon from 0x0000 with a ZigBee beacon payload
const BEACON = hex('008063ff010000ffcf000000208473656e736f720000ffffff00');
// #15: an association request (FFD) from a long address
const ASSOC_REQUEST = hex('23c80cff010000ffff072000ffffda1c0001ce');
// #16: an acknowledgement; the two bytes after it are not an FCS on this link type
const ACK = hex('02000c000c');
// #21: an unsecured NWK data frame carrying a secured APS command
const APS_COMMAND = hex(`
  618836ff014d2c000048004d2c00001ed321001000000000db85e1fa15dcd3b17d68fa8e9857ce7bb31338a0eaf818bd
  698b690a022e32cb7387f267571c43
`);

describe('wpan, zbee_nwk, zbee_beacon, zbee_aps', () => {
  it('802.15.4 header: frame control, sequence number, PAN id, short addresses; a secured NWK command', () => {
    const p = dissect(NWK_COMMAND, NOFCS);
    expect(stack(p)).toBe('wpan/zbee_nwk');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect(f('wpan.fcf')).toEqual([0x8841, 0, 2]);
    expect([field(p, 'wpan.frame_type').value, field(p, 'wpan.pan_id_compression').value, field(p, 'wpan.dst_addr_mode').value, field(p, 'wpan.src_addr_mode').value]).toEqual([1, true, 2, 2]);
    expect(f('wpan.seq_no')).toEqual([51, 2, 1]);
    expect(f('wpan.dst_pan')).toEqual([0x01ff, 3, 2]);
    expect(f('wpan.dst16')).toEqual([0xffff, 5, 2]);
    expect(f('wpan.src16')).toEqual([0, 7, 2]);
    expect(f('zbee_nwk.fcf')).toEqual([0x1209, 9, 2]);
    expect([field(p, 'zbee_nwk.frame_type').value, field(p, 'zbee_nwk.proto_version').value, field(p, 'zbee_nwk.security').value]).toEqual([1, 2, true]);
    expect(f('zbee_nwk.dst')).toEqual([0xfffc, 11, 2]);
    expect(f('zbee_nwk.radius')).toEqual([1, 15, 1]);
    expect(f('zbee_nwk.src64')).toEqual(['00:0d:6f:00:00:0d:c5:58', 17, 8]);
    expect([field(p, 'zbee.sec.key_id').value, field(p, 'zbee.sec.ext_nonce').value, field(p, 'zbee.sec.counter').value]).toEqual([1, true, 1]);
    expect(f('zbee.sec.key_seqno')).toEqual([0, 38, 1]);
    expect(f('data.data')).toEqual([hex('4015'), 39, 2]);
    expect(f('zbee.sec.mic')).toEqual([hex('cd19ab20'), 41, 4]);
    expect(layer(p, 'zbee_nwk').summary).toBe('Command, Dst: Broadcast, Src: 0x0000');
    checkInvariants(p);
  });

  it('a beacon: superframe, GTS, pending addresses, then the ZigBee beacon', () => {
    const p = dissect(BEACON, NOFCS);
    expect(stack(p)).toBe('wpan/zbee_beacon');
    expect([field(p, 'wpan.src_pan').value, field(p, 'wpan.src16').offset]).toEqual([0x01ff, 5]);
    expect([field(p, 'wpan.beacon_order').value, field(p, 'wpan.bcn_coord').value, field(p, 'wpan.assoc_permit').value]).toEqual([15, true, true]);
    expect([field(p, 'zbee_beacon.protocol').offset, field(p, 'zbee_beacon.version').value, field(p, 'zbee_beacon.router').value]).toEqual([11, 2, true]);
    expect([field(p, 'zbee_beacon.ext_panid').value, field(p, 'zbee_beacon.tx_offset').value]).toEqual(['00:00:72:6f:73:6e:65:73', 16777215]);
    expect(layer(p, 'zbee_beacon').summary).toBe('Beacon, Src: 0x0000, EPID: 00:00:72:6f:73:6e:65:73');
    checkInvariants(p);
  });

  it('MAC commands and acknowledgements; an FCS on LINKTYPE_IEEE802_15_4_WITHFCS', () => {
    const req = dissect(ASSOC_REQUEST, NOFCS);
    expect(stack(req)).toBe('wpan');
    expect([field(req, 'wpan.src_pan').value, field(req, 'wpan.src64').value, field(req, 'wpan.cmd').value]).toEqual([0xffff, '00:1c:da:ff:ff:00:20:07', 1]);
    expect(field(req, 'wpan.cinfo.device_type').value).toBe(true);
    expect(layer(req, 'wpan').summary).toBe('Association Request, FFD');
    const ack = dissect(ACK, NOFCS);
    expect(stack(ack)).toBe('wpan/data');
    expect(layer(ack, 'wpan').summary).toBe('Ack, Sequence Number: 12');
    const fcs = dissect(ACK, WITHFCS);
    expect(stack(fcs)).toBe('wpan/padding');
    expect([field(fcs, 'wpan.fcs').value, field(fcs, 'wpan.fcs').offset]).toEqual([0x0c00, 3]);
  });

  it('an unsecured NWK data frame hands over to APS; a secured APS command keeps its payload', () => {
    const p = dissect(APS_COMMAND, NOFCS);
    expect(stack(p)).toBe('wpan/zbee_nwk/zbee_aps');
    expect([field(p, 'zbee_aps.type').value, field(p, 'zbee_aps.security').value, field(p, 'zbee_aps.counter').value]).toEqual([1, true, 0]);
    expect([field(p, 'zbee.sec.key_id').value, field(p, 'zbee.sec.ext_nonce').value]).toEqual([2, false]);
    expect(values(p, 'data.data').map((v) => (v as Uint8Array).length)).toEqual([35]);
    expect(field(p, 'zbee.sec.mic').value).toEqual(hex('67571c43'));
    expect(layer(p, 'zbee_aps').summary).toBe('APS: Command');
    checkInvariants(p);
  });

  it('a secured payload shorter than its integrity code is malformed', () => {
    const p = dissect(NWK_COMMAND.subarray(0, 40), NOFCS);
    expect(layer(p, 'zbee_nwk').issues.map((i) => [i.kind, i.fieldKey])).toContainEqual(['malformed', 'zbee.sec.mic']);
  });

  it('every prefix', () => {
    prefixSweep(NWK_COMMAND, NOFCS);
    prefixSweep(BEACON, NOFCS);
    prefixSweep(APS_COMMAND, NOFCS);
  });
});
