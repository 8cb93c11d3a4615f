import { defineProtocol } from '../protocol.js';

/** Most flowsets (v9/IPFIX) or records (v1/v5/v7) read from one export packet. */
const MAX_SETS = 1024;

/** Size of one flow record of the fixed-format versions. */
const RECORD_SIZE: Readonly<Record<number, number>> = { 1: 48, 5: 48, 7: 52 };

/**
 * Cisco NetFlow (versions 1, 5, 7, 9) and IPFIX (version 10) exports (UDP 2055, 9996, 4739):
 * the header, and for v9/IPFIX each flowset's id and length, with the template ids of template
 * sets, as the summary tshark gives (`total: 1 (v9) record Obs-Domain-ID= 8 [Data-Template:424]`).
 */
export const cflow = defineProtocol({
  id: 'cflow',
  name: 'Cisco NetFlow/IPFIX',
  short: 'CFLOW',
  bindings: [
    { table: 'udp.port', key: 2055 },
    { table: 'udp.port', key: 9996 },
    { table: 'udp.port', key: 4739 },
  ],
  fields: {
    'cflow.version': { label: 'Version', type: 'u16' },
    'cflow.count': { label: 'Count', type: 'u16' },
    'cflow.len': { label: 'Length', type: 'u16' },
    'cflow.sysuptime': { label: 'SysUptime', type: 'u32' },
    'cflow.unix_secs': { label: 'CurrentSecs', type: 'u32' },
    'cflow.unix_nsecs': { label: 'CurrentNSecs', type: 'u32' },
    'cflow.exporttime': { label: 'ExportTime', type: 'u32' },
    'cflow.sequence': { label: 'FlowSequence', type: 'u32' },
    'cflow.engine_type': { label: 'EngineType', type: 'u8' },
    'cflow.engine_id': { label: 'EngineId', type: 'u8' },
    'cflow.samplingmode': { label: 'SamplingMode', type: 'u16', mask: 0xc000 },
    'cflow.source_id': { label: 'SourceId', type: 'u32' },
    'cflow.od_id': { label: 'Observation Domain Id', type: 'u32' },
    'cflow.flowset_id': { label: 'FlowSet Id', type: 'u16' },
    'cflow.flowset_length': { label: 'FlowSet Length', type: 'u16' },
    'cflow.template_id': { label: 'Template Id', type: 'u16' },
    'cflow.template_field_count': { label: 'Field Count', type: 'u16' },
  },
  dissect(c) {
    const version = c.u16('cflow.version');
    let count = 0;
    let domain: number | undefined;
    const sets: string[] = [];
    const summary = (): string => {
      const head = `total: ${count} (v${version}) record${count === 1 ? '' : 's'}`;
      return domain === undefined ? head : `${head} Obs-Domain-ID=${String(domain).padStart(5)} ${sets.join(' ')}`.trimEnd();
    };
    c.provisional = summary;
    if (version === 9 || version === 10) {
      if (version === 9) {
        count = c.u16('cflow.count');
        c.u32('cflow.sysuptime');
        c.u32('cflow.unix_secs');
        c.u32('cflow.sequence');
        domain = c.u32('cflow.source_id');
      } else {
        const len = c.u16('cflow.len');
        if (len >= 16 && len <= c.reportedRemaining() + 2) c.limit(len);
        c.u32('cflow.exporttime');
        c.u32('cflow.sequence');
        domain = c.u32('cflow.od_id');
      }
      let n = 0;
      let records = 0;
      while (c.capEnd - c.pos >= 4 && n++ < MAX_SETS) {
        const setAt = c.pos;
        const id = c.u16('cflow.flowset_id');
        const len = c.u16('cflow.flowset_length');
        if (len < 4) {
          c.expert('warning', `flowset length ${len} is less than 4`, 'cflow.flowset_length');
          break;
        }
        const setEnd = Math.min(setAt + len, c.capEnd);
        const templateSet = version === 9 ? id === 0 : id === 2;
        const optionsSet = version === 9 ? id === 1 : id === 3;
        if (templateSet || optionsSet) {
          const ids: number[] = [];
          // Template records: id, field count (then fields of 4 or 8 bytes); the first is enough for the summary.
          if (setEnd - c.pos >= 4) {
            ids.push(c.u16('cflow.template_id'));
            if (templateSet) c.u16('cflow.template_field_count');
          }
          sets.push(`[${templateSet ? 'Data-Template' : 'Options-Template'}:${ids.join(',')}]`);
          records++;
        } else if (id >= 256) {
          sets.push(`[Data:${id}]`);
          records++;
        }
        c.seek(setEnd);
      }
      if (version === 10) count = records;
      if (n > MAX_SETS) c.expert('note', `more than ${MAX_SETS} flowsets; the rest is not read`);
    } else {
      count = c.u16('cflow.count');
      c.u32('cflow.sysuptime');
      c.u32('cflow.unix_secs');
      c.u32('cflow.unix_nsecs');
      if (version !== 1) c.u32('cflow.sequence');
      if (version === 5) {
        c.u8('cflow.engine_type');
        c.u8('cflow.engine_id');
        c.bits('cflow.samplingmode', 2, 0xc000);
        c.skip(2);
      } else if (version === 7) c.skip(4);
      const size = RECORD_SIZE[version];
      if (size !== undefined) c.skip(Math.min(count * size, c.capEnd - c.pos));
    }
    if (c.pos < c.capEnd) c.skip(c.capEnd - c.pos);
    return { summary, info: { version, count, domain } };
  },
});
