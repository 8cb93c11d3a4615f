import { describe, expect, it } from 'vitest';
import { allFields, checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// small-office.pcapng frame 15: 192.168.1.101.41475 > 198.51.100.10.80: Flags [S], seq 3579251312,
// win 64256, options [mss 1460,sackOK,TS val 1537053019 ecr 0,nop,wscale 7], length 0
const SYN = hex(`
  001b21000001 3c22fb1a2b3c 0800
  4500003c63b740004006eab9c0a80165c633640a
  a2030050 d5570a70 00000000 a002 fb00 f19f 0000
  020405b4 0402 080a5b9d915b00000000 01 030307
`);

describe('tcp', () => {
  it('ports, numbers, header length (bits), flags and options with their offsets', () => {
    const p = dissect(SYN);
    expect(stack(p)).toBe('eth/ip/tcp');
    expect([field(p, 'tcp.srcport').value, field(p, 'tcp.srcport').offset]).toEqual([41475, 34]);
    expect([field(p, 'tcp.seq_raw').value, field(p, 'tcp.seq_raw').offset, field(p, 'tcp.seq_raw').length]).toEqual([3579251312, 38, 4]);
    const hl = field(p, 'tcp.hdr_len');
    // In bytes, as Wireshark gives it (the header holds 10 words).
    expect([hl.value, hl.offset, hl.bits]).toEqual([40, 46, { offset: 0, length: 4 }]);
    expect(hl.display).toBe('1010 .... = Header Length: 40 bytes (10)');
    const syn = field(p, 'tcp.flags.syn');
    expect([syn.value, syn.offset, syn.length, syn.bits]).toEqual([true, 46, 2, { offset: 14, length: 1 }]);
    expect(field(p, 'tcp.flags').value).toBe(0x002);
    expect(field(p, 'tcp.len').value).toBe(0);
    expect(field(p, 'tcp.options.mss_val')).toMatchObject({ value: 1460, offset: 56, length: 2 });
    expect(field(p, 'tcp.options.wscale.shift')).toMatchObject({ value: 7, offset: 73 });
    expect(field(p, 'tcp.options.timestamp.tsval').value).toBe(1537053019);
    // Options are children of tcp.options, each option a group of its own fields.
    const opts = field(p, 'tcp.options');
    expect(opts.children!.map((o) => o.key)).toEqual(['tcp.options.mss', 'tcp.options.sack_perm', 'tcp.options.timestamp', 'tcp.options.nop', 'tcp.options.wscale']);
    expect(layer(p, 'tcp').summary).toBe('41475 → 80 [SYN] Seq=0 Win=64256 Len=0 MSS=1460 SACK_PERM TSval=1537053019 TSecr=0 WS=128');
    expect(field(p, 'tcp.checksum.status').value).toBe(1);
    checkInvariants(p);
  });

  it('a header length below 20 is malformed after the fields before it', () => {
    const bad = SYN.slice();
    bad[46] = 0x40;
    const p = dissect(bad);
    expect(layer(p, 'tcp').issues.map((i) => [i.kind, i.fieldKey])).toEqual([['malformed', 'tcp.hdr_len']]);
    // As tshark (ndpi__kerberos_fuzz.pcapng frame 1): the sequence number, the segment length the
    // bogus header length implies and the header length; no acknowledgement number, no flags.
    expect(values(p, 'tcp.seq_raw').length).toBe(1);
    expect(values(p, 'tcp.ack_raw')).toEqual([]);
    expect(values(p, 'tcp.len')).toEqual([bad.length - 34 - 16]);
    expect(values(p, 'tcp.hdr_len')).toEqual([16]);
    expect(values(p, 'tcp.flags')).toEqual([]);
  });

  it('select mode records a flag only when one of its word is asked for, with the same value and bytes as full mode', () => {
    const keys = (p: ReturnType<typeof dissect>): string[] => allFields(p).map((f) => f.key);
    const ports = dissect(SYN, 1, { mode: 'select', fields: ['tcp.srcport'] });
    expect(keys(ports)).toEqual(['tcp.srcport']);
    const full = dissect(SYN);
    const picked = dissect(SYN, 1, { mode: 'select', fields: ['tcp.flags.syn', 'tcp.flags.ack', 'ip.flags.df', 'ip.dsfield.ecn'] });
    expect(keys(picked)).toEqual(['ip.dsfield.ecn', 'ip.flags.df', 'tcp.flags.ack', 'tcp.flags.syn']);
    for (const k of ['tcp.flags.syn', 'tcp.flags.ack', 'ip.flags.df', 'ip.dsfield.ecn']) {
      const { value, offset, length, bits } = field(full, k);
      expect(field(picked, k)).toMatchObject({ value, offset, length, bits });
    }
    expect([field(picked, 'tcp.flags.syn').value, field(picked, 'tcp.flags.ack').value, field(picked, 'ip.flags.df').value]).toEqual([true, false, true]);
  });

  it('a select-mode run that wants no option field reads the options with the same bounds as full mode', () => {
    // With tcp.stream wanted, analysis runs and needs the window scale, so the options are read,
    // but as values only; a cut or broken option must give the same signal as in full mode.
    const faults = (p: ReturnType<typeof dissect>): unknown[] =>
      layer(p, 'tcp').issues.filter((i) => i.kind !== 'expert').map((i) => [i.kind, i.offset, i.fieldKey]);
    const badLength = SYN.slice();
    badLength[59] = 0x30; // the SACK-permitted option claims 48 bytes
    const cases = [badLength, ...Array.from({ length: SYN.length - 54 }, (_, i) => SYN.subarray(0, 54 + i))];
    let faulty = 0;
    for (const bytes of cases) {
      const full = dissect(bytes);
      const picked = dissect(bytes, 1, { mode: 'select', fields: ['tcp.stream', 'tcp.len'] });
      expect(faults(picked)).toEqual(faults(full));
      expect(allFields(picked).map((f) => f.key)).not.toContain('tcp.options');
      if (faults(full).length > 0) faulty++;
    }
    expect(faulty).toBe(cases.length);
    expect(faults(dissect(badLength, 1, { mode: 'select', fields: ['tcp.stream'] }))).toEqual([['malformed', 59, 'tcp.option_len']]);
  });

  it('a wrong checksum is an expert warning, not a failure', () => {
    const bad = SYN.slice();
    bad[51] = bad[51]! ^ 0xff;
    const p = dissect(bad);
    // The SYN's connection note comes first, as in tshark; then the checksum warning.
    expect(layer(p, 'tcp').issues.map((i) => [i.kind, i.severity, i.fieldKey])).toEqual([
      ['expert', 'chat', 'tcp.connection.syn'],
      ['expert', 'warning', 'tcp.checksum'],
    ]);
    expect(field(p, 'tcp.checksum.status').value).toBe(0);
    expect(field(p, 'tcp.options.mss_val').value).toBe(1460);
  });

  it('every prefix', () => {
    prefixSweep(SYN);
    const cut = dissect(SYN.subarray(0, 60), 1, {}, SYN.length);
    expect(layer(cut, 'tcp').issues.map((i) => i.kind)).toEqual(['expert', 'truncated']);
    expect(field(cut, 'tcp.options.mss_val').value).toBe(1460);
  });
});

describe('tcp options in summary runs', () => {
  // Summary runs (list, stats) read options through their own path, without field groups: it
  // must stop at the same byte, with the same signal, as the full reading does.
  const badLength = SYN.slice();
  badLength[55] = 9; // the MSS option claims 9 bytes, past the header
  const unknownKind = SYN.slice();
  unknownKind[54] = 99; // MSS becomes an unknown 4-byte option
  const signals = (p: ReturnType<typeof dissect>): unknown => {
    const tcp = p.layers.find((l) => l.protocol === 'tcp');
    return tcp === undefined ? undefined : [tcp.summary, tcp.headerLength, tcp.issues.filter((i) => i.kind !== 'expert').map((i) => [i.kind, i.offset, i.fieldKey, i.message])];
  };
  for (const [name, bytes] of [['intact', SYN], ['bad option length', badLength], ['unknown option', unknownKind]] as const) {
    it(`${name}: every prefix gives the same TCP summary and signals as the full tree`, () => {
      for (let n = 54; n <= bytes.length; n++) {
        const cut = bytes.subarray(0, n);
        expect(signals(dissect(cut, 1, { mode: 'summary' }, bytes.length)), `${n} bytes`).toEqual(signals(dissect(cut, 1, { mode: 'full' }, bytes.length)));
      }
    });
  }
  it('a bad option length is malformed in both', () => {
    const p = dissect(badLength, 1, { mode: 'summary' });
    expect(layer(p, 'tcp').issues.map((i) => i.kind)).toContain('malformed');
  });
});
