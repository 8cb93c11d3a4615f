import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// libpcap__wpa-Induction.pcap #1: WPA2 4-way handshake, message 4 (radiotap/802.11/LLC, EAPOL at 56, the 802.11 FCS after it)
const KEY4 = hex(`
  000018008e580000106c6c09c000640000380000ef456f7008012c00000c4182b255000d9382363a000c4182b255a001
  aaaa03000000888e0203005f02030a001000000000000000010000000000000000000000000000000000000000000000
  000000000000000000000000000000000000000000000000000000000000000000000000000000000010bba3bdfbcfde
  2bc537509d71f2ecd10000ef456f70
`);

describe('eapol', () => {
  it('reads the header and the RSN key descriptor, numbering the handshake message', () => {
    const p = dissect(KEY4, 127);
    expect(stack(p)).toBe('radiotap/wlan_radio/wlan/llc/eapol/padding');
    expect([field(p, 'eapol.version').value, field(p, 'eapol.version').offset]).toEqual([2, 56]);
    expect(field(p, 'eapol.type').value).toBe(3);
    expect(field(p, 'eapol.len').value).toBe(95);
    expect(field(p, 'eapol.keydes.type').value).toBe(2);
    expect([field(p, 'wlan_rsna_eapol.keydes.key_info').value, field(p, 'wlan_rsna_eapol.keydes.key_info').offset]).toEqual([0x030a, 61]);
    expect(field(p, 'wlan_rsna_eapol.keydes.key_info.key_mic').value).toBe(true);
    expect(field(p, 'wlan_rsna_eapol.keydes.key_info.key_ack').value).toBe(false);
    expect(field(p, 'eapol.keydes.replay_counter').value).toBe(1n);
    expect(field(p, 'wlan_rsna_eapol.keydes.data_len').value).toBe(0);
    expect(field(p, 'wlan_rsna_eapol.keydes.msgnr').value).toBe(4);
    expect(layer(p, 'eapol').summary).toBe('Key (Message 4 of 4)');
    checkInvariants(p);
  });

  it('the ACK bit without MIC is message 1', () => {
    const m1 = KEY4.slice();
    m1[61] = 0x00;
    m1[62] = 0x8a;
    expect(layer(dissect(m1, 127), 'eapol').summary).toBe('Key (Message 1 of 4)');
  });

  it('a length beyond the frame is a warning, the fields stay', () => {
    const long = KEY4.slice();
    long[59] = 0xff;
    const l = layer(dissect(long, 127), 'eapol');
    expect(l.issues.some((i) => i.kind === 'expert')).toBe(true);
  });

  it('every prefix', () => prefixSweep(KEY4, 127));
});
