import { defineProtocol, keyedNext } from '../protocol.js';

const SERVICE_INDICATORS: Record<number, string> = {
  0: 'Signalling Network Management Message (SNM)',
  1: 'Maintenance Regular Message (MTN)',
  2: 'Maintenance Special Message (MTNS)',
  3: 'SCCP',
  4: 'TUP',
  5: 'ISUP',
  6: 'DUP (call and circuit related messages)',
  7: 'DUP (facility registration and cancellation message)',
  8: 'MTP testing user part',
  9: 'Broadband ISUP',
  10: 'Satellite ISUP',
  12: 'AAL type2 Signaling',
  13: 'Bearer Independent Call Control',
  14: 'Gateway Control Protocol',
};

const NETWORK_INDICATORS: Record<number, string> = {
  0: 'International network',
  1: 'Spare (for international use only)',
  2: 'National network',
  3: 'Reserved for national use',
};

const SI_NEXT = keyedNext('mtp3.service_indicator');

/**
 * SS7 Message Transfer Part level 3 (Q.704), ITU variant: the service information octet
 * (network and service indicators) and the routing label (14-bit destination and origin point
 * codes, signalling link selection, little-endian); the service indicator picks the user part.
 */
export const mtp3 = defineProtocol({
  id: 'mtp3',
  name: 'Message Transfer Part Level 3',
  short: 'MTP3',
  fields: {
    'mtp3.sio': { label: 'Service information octet', type: 'u8', base: 'hex' },
    'mtp3.network_indicator': { label: 'Network indicator', type: 'u8', base: 'hex', mask: 0xc0, values: NETWORK_INDICATORS },
    'mtp3.spare': { label: 'Spare', type: 'u8', base: 'hex', mask: 0x30 },
    'mtp3.service_indicator': { label: 'Service indicator', type: 'u8', base: 'hex', mask: 0x0f, values: SERVICE_INDICATORS },
    'mtp3.routing_label': { label: 'Routing label', type: 'none' },
    'mtp3.dpc': { label: 'DPC', type: 'u32', mask: 0x00003fff },
    'mtp3.opc': { label: 'OPC', type: 'u32', mask: 0x0fffc000 },
    'mtp3.pc': { label: 'PC', type: 'u32' },
    'mtp3.sls': { label: 'Signalling Link Selector', type: 'u32', mask: 0xf0000000 },
  },
  dissect(c) {
    const sio = c.peek8();
    c.group('mtp3.sio', () => {
      c.bits('mtp3.network_indicator', 1, 0xc0);
      c.bits('mtp3.spare', 1, 0x30);
      c.bits('mtp3.service_indicator', 1, 0x0f);
      return c.u8();
    }, 1);
    const at = c.pos;
    const label = c.peek32(0, true);
    const dpc = label & 0x3fff;
    const opc = (label >>> 14) & 0x3fff;
    const sls = label >>> 28;
    c.group('mtp3.routing_label', () => {
      // The label is little-endian: each value's bits are shown over the 32-bit word as read.
      c.add('mtp3.dpc', dpc, at, 4, `DPC: ${dpc}`);
      c.add('mtp3.opc', opc, at, 4, `OPC: ${opc}`);
      if (c.wantsHidden('mtp3.pc')) {
        c.add('mtp3.pc', dpc, at, 4);
        c.add('mtp3.pc', opc, at, 4);
      }
      c.add('mtp3.sls', sls, at, 4, `Signalling Link Selector: ${sls}`);
      c.skip(4);
      return 0;
    }, 4, () => 'Routing label');
    const si = sio & 0x0f;
    return {
      summary: () => `${SERVICE_INDICATORS[si] ?? `Service indicator ${si}`} (OPC ${opc} → DPC ${dpc})`,
      info: { si, ni: sio >> 6, opc, dpc, sls, src: String(opc), dst: String(dpc) },
      next: SI_NEXT(si),
    };
  },
});
