import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

const MTP2 = 140;
// libpcap__isup_load_generator.pcap #1: MTP2 MSU, MTP3 (national, ISUP, OPC 1 → DPC 2, SLS 9),
// ISUP IAM on CIC 14 calling 0483902899 from 71375480; two trailing bytes after the message.
const IAM = hex('1d1d2085024000900e00011100000a03020907039040380982990a06031317734508007989');
// #3: REL on CIC 6, cause 19 (no answer from user)
const REL = hex('1f1e0d850240009006000c02000280930041');
// #8: ACM on CIC 55, backward call indicators 0x0004 (ISDN user part used all the way)
const ACM = hex('22200b85024000903700060004007e2a');

describe('mtp2, mtp3, isup', () => {
  it('an IAM: MTP2 header, routing label, fixed, variable and optional parameters', () => {
    const p = dissect(IAM, MTP2);
    expect(stack(p)).toBe('mtp2/mtp3/isup');
    const f = (k: string): unknown[] => [field(p, k).value, field(p, k).offset, field(p, k).length];
    expect([field(p, 'mtp2.bsn').value, field(p, 'mtp2.fsn').value, field(p, 'mtp2.li').value]).toEqual([29, 29, 32]);
    expect(layer(p, 'mtp2').issues.map((i) => i.message)).toEqual(['Bad length value 32 != payload length 34']);
    expect([field(p, 'mtp3.network_indicator').value, field(p, 'mtp3.service_indicator').value]).toEqual([2, 5]);
    expect(f('mtp3.dpc')).toEqual([2, 4, 4]);
    expect(f('mtp3.opc')).toEqual([1, 4, 4]);
    expect(f('mtp3.sls')).toEqual([9, 4, 4]);
    expect(f('isup.cic')).toEqual([14, 8, 2]);
    expect(f('isup.message_type')).toEqual([1, 10, 1]);
    expect(values(p, 'isup.parameter_type')).toEqual([6, 7, 9, 2, 4, 10, 0]);
    expect(field(p, 'isup.satellite_indicator').value).toBe(1);
    expect(f('isup.calling_partys_category')).toEqual([0x0a, 14, 1]);
    expect(f('isup.mandatory_variable_parameter_pointer')).toEqual([2, 16, 1]);
    expect(f('isup.optional_parameter_part_pointer')).toEqual([9, 17, 1]);
    expect(f('isup.called')).toEqual(['0483902899', 21, 5]);
    expect(field(p, 'isup.called_party_nature_of_address_indicator').value).toBe(3);
    expect(f('isup.calling')).toEqual(['71375480', 30, 4]);
    expect(field(p, 'isup.screening_indicator').value).toBe(3);
    expect(layer(p, 'isup').summary).toBe('IAM (CIC 14) ');
    expect([layer(p, 'mtp3').info['src'], layer(p, 'mtp3').info['dst']]).toEqual(['1', '2']);
    checkInvariants(p);
  });

  it('REL: the cause indicators; ACM: the backward call indicators', () => {
    const rel = dissect(REL, MTP2);
    expect([field(rel, 'isup.cause_indicators').value, field(rel, 'isup.cause_indicators').offset]).toEqual([hex('8093'), 14]);
    expect([field(rel, 'isup.cause_location').value, field(rel, 'isup.cause_indicator').value]).toEqual([0, 19]);
    expect(layer(rel, 'isup').summary).toBe('REL (CIC 6) ');
    const acm = dissect(ACM, MTP2);
    expect(field(acm, 'isup.backw_call_isdn_user_part_indicator').value).toBe(true);
    expect(field(acm, 'isup.charge_indicator').value).toBe(0);
    expect(stack(acm)).toBe('mtp2/mtp3/isup');
  });

  it('fill-in and link status signal units carry nothing further', () => {
    const fisu = dissect(hex('8182 00'), MTP2);
    expect([stack(fisu), layer(fisu, 'mtp2').summary]).toEqual(['mtp2', 'FISU']);
    const lssu = dissect(hex('8182 01 03'), MTP2);
    expect([field(lssu, 'mtp2.sf').value, layer(lssu, 'mtp2').summary]).toEqual([3, 'LSSU (SIOS)']);
  });

  it('a pointer leading outside the message is malformed', () => {
    const bad = REL.slice();
    bad[11] = 0x20;
    expect(layer(dissect(bad, MTP2), 'isup').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'isup.mandatory_variable_parameter_pointer']]);
  });

  it('a pointer to a parameter the capture cut off: the parameter is placed at the cut, truncated', () => {
    const far = IAM.slice();
    far[16] = 0x05; // the called party number 5 bytes on, at 21; the capture ends at 18
    const p = dissect(far.subarray(0, 18), MTP2, {}, IAM.length);
    const isup = layer(p, 'isup');
    expect(values(p, 'isup.parameter_type').length).toBeGreaterThan(0);
    expect(field(p, 'isup.parameter_type', values(p, 'isup.parameter_type').length - 1).offset).toBe(18);
    expect(isup.issues.map((i) => i.kind)).toEqual(['truncated']);
    checkInvariants(p);
  });

  it('every prefix', () => {
    prefixSweep(IAM, MTP2);
    prefixSweep(REL, MTP2);
  });
});
