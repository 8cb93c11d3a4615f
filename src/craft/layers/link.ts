/** Link layers: Ethernet II, 802.1Q VLAN tags, ARP. */
import { etherTypeOf } from '../bind.js';
import { concat, defineLayer } from '../layer.js';
import { ByteWriter, parseIPv4, parseMac } from '../values.js';

export const Ether = defineLayer(
  'Ether',
  { dst: { t: 'mac' }, src: { t: 'mac' }, type: { t: 'uint', bits: 16 } },
  {
    defaults: { dst: 'ff:ff:ff:ff:ff:ff', src: '00:00:00:00:00:00' },
    encode: ({ layer: l, payload, upper }) => {
      const type = l.has('type') ? l.num('type') : etherTypeOf(upper, 0x9000);
      return concat(new ByteWriter().bytes(parseMac(l.str('dst'))).bytes(parseMac(l.str('src'))).u16(type).done(), payload);
    },
  },
);

export const Dot1Q = defineLayer(
  'Dot1Q',
  { prio: { t: 'uint', bits: 3 }, id: { t: 'uint', bits: 1 }, vlan: { t: 'uint', bits: 12 }, type: { t: 'uint', bits: 16 } },
  {
    defaults: { prio: 0, id: 0, vlan: 1 },
    encode: ({ layer: l, payload, upper }) => {
      const tci = (l.num('prio') << 13) | (l.num('id') << 12) | l.num('vlan');
      const type = l.has('type') ? l.num('type') : etherTypeOf(upper, 0x9000);
      return concat(new ByteWriter().u16(tci).u16(type).done(), payload);
    },
  },
);

export const ARP = defineLayer(
  'ARP',
  {
    hwtype: { t: 'uint', bits: 16 },
    ptype: { t: 'uint', bits: 16 },
    hwlen: { t: 'uint', bits: 8 },
    plen: { t: 'uint', bits: 8 },
    op: { t: 'uint', bits: 16, names: { 'who-has': 1, 'is-at': 2, request: 1, reply: 2 } },
    hwsrc: { t: 'mac' },
    psrc: { t: 'ipv4' },
    hwdst: { t: 'mac' },
    pdst: { t: 'ipv4' },
  },
  {
    defaults: { hwtype: 1, ptype: 0x0800, op: 1, hwsrc: '00:00:00:00:00:00', psrc: '0.0.0.0', hwdst: '00:00:00:00:00:00', pdst: '0.0.0.0' },
    encode: ({ layer: l, payload }) => {
      const hw = parseMac(l.str('hwsrc'));
      const pa = parseIPv4(l.str('psrc'));
      const w = new ByteWriter().u16(l.num('hwtype')).u16(l.num('ptype'));
      w.u8(l.has('hwlen') ? l.num('hwlen') : hw.length).u8(l.has('plen') ? l.num('plen') : pa.length).u16(l.num('op'));
      w.bytes(hw).bytes(pa).bytes(parseMac(l.str('hwdst'))).bytes(parseIPv4(l.str('pdst')));
      return concat(w.done(), payload);
    },
  },
);
