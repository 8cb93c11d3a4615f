/** `stats io`: packets, bytes and bits/s per `--interval`, as `tshark -q -z io,stat,INTERVAL`. */
import { IoStatsBuilder, type IoReport } from '../../analyze/io-stats.js';
import { IO_CSV_COLUMNS, ioCells, ioJson, ioSection, orderIntervals, type IoSort } from '../../render/stats/io-table.js';
import { type RenderContext, sortFor, type StatsTableDef } from './table.js';

export const io: StatsTableDef<IoReport> = {
  name: 'io',
  describe: 'packets, bytes and bits/s per interval (--interval, default 1s)',
  sorts: ['order', 'packets', 'bytes'],
  transportOnly: () => true,
  reducer: (s) => {
    const b = new IoStatsBuilder(s.intervalNs);
    return { add: (p) => b.add(p), finish: () => b.finish(), taps: b };
  },
  warnings: (r) => (r.leftOut > 0 ? [`io: only the first ${r.intervals.length} intervals are kept; ${r.leftOut} later packets are left out (use a longer --interval)`] : []),
  json: (r, c) => ioJson(r, rows(r, c)),
  csvColumns: () => IO_CSV_COLUMNS,
  csvRows: (r, c) => ioCells(r, rows(r, c)),
  sections: (r, format, c) => [ioSection(r, rows(r, c), format)],
};

const rows = (r: IoReport, c: RenderContext) => orderIntervals(r, sortFor(io, c.settings) as IoSort, c.settings.top);
