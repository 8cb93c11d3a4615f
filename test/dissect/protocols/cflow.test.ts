import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack } from '../../helpers/dissect.js';

// scapy__netflowv9.pcap #2: NetFlow v9 export with one options template (id 425), CFLOW at 42
const OPTIONS = hex(`
  001094000001001db5cb28ce080045000048000040003f11a796c0a864010a64650181440807003420ec00090001243c
  baa059e8822100000425000000080001001801a90004000800050002002400020025000200000c0df332
`);

describe('cflow', () => {
  it('reads the v9 header and the flowset, summarised as tshark does', () => {
    const p = dissect(OPTIONS);
    expect(stack(p)).toBe('eth/ip/udp/cflow/padding');
    expect([field(p, 'cflow.version').value, field(p, 'cflow.version').offset]).toEqual([9, 42]);
    expect(field(p, 'cflow.count').value).toBe(1);
    expect(field(p, 'cflow.sequence').value).toBe(1061);
    expect(field(p, 'cflow.source_id').value).toBe(8);
    expect([field(p, 'cflow.flowset_id').value, field(p, 'cflow.flowset_length').value]).toEqual([1, 24]);
    expect([field(p, 'cflow.template_id').value, field(p, 'cflow.template_id').offset]).toEqual([425, 66]);
    expect(layer(p, 'cflow').summary).toBe('total: 1 (v9) record Obs-Domain-ID=    8 [Options-Template:425]');
    checkInvariants(p);
  });

  it('a flowset length under 4 stops with a warning', () => {
    const bad = OPTIONS.slice();
    bad[64] = 0;
    bad[65] = 1;
    const l = layer(dissect(bad), 'cflow');
    expect(l.issues.map((i) => i.fieldKey)).toEqual(['cflow.flowset_length']);
  });

  it('every prefix', () => prefixSweep(OPTIONS));
});
