import { defineProtocol } from '../protocol.js';

/**
 * Apple PKTAP (LINKTYPE_PKTAP 258): a little-endian header with the interface, process and
 * the DLT of the packet that follows; the inner packet is dissected by its link type.
 */
export const pktap = defineProtocol({
  id: 'pktap',
  name: 'PKTAP packet header',
  short: 'PKTAP',
  bindings: [{ table: 'linktype', key: 258 }],
  fields: {
    'pktap.hdrlen': { label: 'Header length', type: 'u32' },
    'pktap.rectype': { label: 'Record type', type: 'u32' },
    'pktap.dlt': { label: 'DLT', type: 'u32' },
    'pktap.ifname': { label: 'Interface name', type: 'string' },
    'pktap.flags': { label: 'Flags', type: 'u32', base: 'hex' },
    'pktap.pfamily': { label: 'Protocol family', type: 'u32' },
    'pktap.llhdrlen': { label: 'Link-layer header length', type: 'u32' },
    'pktap.lltrlrlen': { label: 'Link-layer trailer length', type: 'u32' },
    'pktap.pid': { label: 'Process ID', type: 'u32' },
    'pktap.cmdname': { label: 'Command name', type: 'string' },
    'pktap.svc_class': { label: 'Service class', type: 'u32' },
    'pktap.iftype': { label: 'Interface type', type: 'u16' },
    'pktap.ifunit': { label: 'Interface unit', type: 'u16' },
    'pktap.epid': { label: 'Effective process ID', type: 'u32' },
    'pktap.ecmdname': { label: 'Effective command name', type: 'string' },
  },
  dissect(c) {
    const start = c.pos;
    const cstr = (key: string, n: number): string => {
      c.need(n, key);
      const b = c.data.subarray(c.pos, c.pos + n);
      const z = b.indexOf(0);
      const len = z < 0 ? n : z;
      const s = String.fromCharCode(...b.subarray(0, len));
      c.add(key, s, c.pos, n);
      c.skip(n);
      return s;
    };
    const hdrlen = c.u32('pktap.hdrlen', true);
    if (hdrlen < 108) c.malformed(`header length ${hdrlen} is too short`, 'pktap.hdrlen', start);
    const rectype = c.u32('pktap.rectype', true);
    const dlt = c.u32('pktap.dlt', true);
    const ifname = cstr('pktap.ifname', 24);
    c.u32('pktap.flags', true);
    c.u32('pktap.pfamily', true);
    c.u32('pktap.llhdrlen', true);
    c.u32('pktap.lltrlrlen', true);
    const pid = c.u32('pktap.pid', true);
    const cmd = cstr('pktap.cmdname', 20);
    c.u32('pktap.svc_class', true);
    c.u16('pktap.iftype', true);
    c.u16('pktap.ifunit', true);
    c.u32('pktap.epid', true);
    cstr('pktap.ecmdname', 20);
    c.need(hdrlen - (c.pos - start), 'pktap.hdrlen');
    return {
      summary: () => `${ifname}, DLT ${dlt}${cmd !== '' ? `, ${cmd} (${pid})` : ''}`,
      info: { dlt, ifname, pid, cmd },
      payloadOffset: start + hdrlen,
      // Record type 1 is a packet; its DLT is a LINKTYPE_ number for the common link types.
      next: rectype === 1 ? { table: 'linktype', keys: [dlt] } : undefined,
    };
  },
});
