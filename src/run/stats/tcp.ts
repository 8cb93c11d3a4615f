/** `stats tcp`: one row per TCP connection (state, Zeek conn_state and history, counts each way). */
import { connDurationNs, TcpConnectionBuilder, type TcpConnection, type TcpConnectionReport } from '../../analyze/tcp-connections.js';
import { TCP_CSV_COLUMNS, tcpConnectionCells, tcpConnectionJson, tcpSection } from '../../render/stats/tcp-table.js';
import { orderRows, type StatsSort } from '../../render/stats/order.js';
import { type RenderContext, sortFor, type StatsTableDef } from './table.js';

type Compare = (a: TcpConnection, b: TcpConnection) => number;

const bytes = (c: TcpConnection): number => c.o.bytes + c.r.bytes;
const packets = (c: TcpConnection): number => c.o.packets + c.r.packets;

function tcpOrder(sort: StatsSort): Compare {
  const primary: Compare =
    sort === 'bytes'
      ? (a, b) => bytes(b) - bytes(a)
      : sort === 'packets'
        ? (a, b) => packets(b) - packets(a)
        : sort === 'duration'
          ? (a, b) => connDurationNs(b) - connDurationNs(a)
          : sort === 'start'
            ? (a, b) => a.startSec - b.startSec || a.startNsec - b.startNsec
            : sort === 'name'
              ? (a, b) => (a.orig < b.orig ? -1 : a.orig > b.orig ? 1 : a.origPort - b.origPort)
              : () => 0;
  return (a, b) => primary(a, b) || a.seq - b.seq;
}

export const tcp: StatsTableDef<TcpConnectionReport> = {
  name: 'tcp',
  describe: 'TCP connections: state, Zeek conn_state and history, handshake RTT, retransmissions, resets',
  sorts: ['order', 'bytes', 'packets', 'start', 'duration', 'name'],
  transportOnly: () => true,
  reducer(s) {
    const sort = sortFor(tcp, s);
    const b = new TcpConnectionBuilder({
      maxFlows: s.maxFlows,
      ...(s.top !== undefined ? { keepFinished: { count: s.top, rank: tcpOrder(sort) } } : {}),
    });
    return { add: (p) => b.add(p), finish: () => b.finish() };
  },
  warnings: (r, s) =>
    r.retired === 0
      ? []
      : [`more than ${s.maxFlows} TCP connections at once (--max-flows): ${r.retired} idle ones were retired into final rows${r.discarded > 0 ? ` (${r.discarded} of them could not make --top and were left out)` : ''}`],
  json: (r, c) => rows(r, c).map((x) => tcpConnectionJson(x, r)),
  csvColumns: () => TCP_CSV_COLUMNS,
  csvRows: (r, c) => rows(r, c).map((x) => tcpConnectionCells(x, r)),
  sections: (r, format, c) => [tcpSection(rows(r, c), r, format)],
};

function rows(r: TcpConnectionReport, c: RenderContext): TcpConnection[] {
  return orderRows(r.rows, tcpOrder(sortFor(tcp, c.settings)), c.settings.top);
}
