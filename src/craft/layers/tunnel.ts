/** Tunnels: VXLAN (over UDP, carrying Ethernet) and GRE (over IP). */
import { etherTypeOf } from '../bind.js';
import { concat, defineLayer } from '../layer.js';
import { ByteWriter, internetChecksum } from '../values.js';

export const VXLAN = defineLayer(
  'VXLAN',
  { flags: { t: 'uint', bits: 8 }, reserved1: { t: 'uint', bits: 24 }, vni: { t: 'uint', bits: 24 }, reserved2: { t: 'uint', bits: 8 } },
  {
    defaults: { flags: 0x08, reserved1: 0, vni: 0, reserved2: 0 },
    ports: (_l, transport) => (transport === 'udp' ? [4789, 4789] : undefined),
    encode: ({ layer: l, payload }) => concat(new ByteWriter().u8(l.num('flags')).u24(l.num('reserved1')).u24(l.num('vni')).u8(l.num('reserved2')).done(), payload),
  },
);

const bit = { t: 'uint', bits: 1 } as const;

export const GRE = defineLayer(
  'GRE',
  {
    chksum_present: bit,
    routing_present: bit,
    key_present: bit,
    seqnum_present: bit,
    strict_route_source: bit,
    recursion_control: { t: 'uint', bits: 3 },
    flags: { t: 'uint', bits: 5 },
    version: { t: 'uint', bits: 3 },
    proto: { t: 'uint', bits: 16 },
    chksum: { t: 'uint', bits: 16 },
    offset: { t: 'uint', bits: 16 },
    key: { t: 'uint', bits: 32 },
    sequence_number: { t: 'uint', bits: 32 },
  },
  {
    defaults: { chksum_present: 0, routing_present: 0, key_present: 0, seqnum_present: 0, strict_route_source: 0, recursion_control: 0, flags: 0, version: 0, offset: 0, key: 0, sequence_number: 0 },
    encode: ({ layer: l, payload, upper }) => {
      const c = l.num('chksum_present') === 1 || l.num('routing_present') === 1;
      const first =
        (l.num('chksum_present') << 15) | (l.num('routing_present') << 14) | (l.num('key_present') << 13) | (l.num('seqnum_present') << 12) |
        (l.num('strict_route_source') << 11) | (l.num('recursion_control') << 8) | (l.num('flags') << 3) | l.num('version');
      const w = new ByteWriter().u16(first).u16(l.has('proto') ? l.num('proto') : etherTypeOf(upper, 0));
      if (c) w.u16(0).u16(l.num('offset'));
      if (l.num('key_present') === 1) w.u32(l.num('key'));
      if (l.num('seqnum_present') === 1) w.u32(l.num('sequence_number'));
      const out = concat(w.done(), payload);
      if (c) {
        const sum = l.has('chksum') ? l.num('chksum') : internetChecksum([out]);
        out[4] = sum >> 8;
        out[5] = sum & 0xff;
      }
      return out;
    },
  },
);
