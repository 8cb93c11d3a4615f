/** `stats tcp`: one row per TCP connection (JSON contract, CSV rows, sections for people and Markdown). */
import { connDurationNs, connState, connStateText, type TcpConnection, type TcpConnectionReport } from '../../analyze/tcp-connections.js';
import type { Column, Row } from '../table/table.js';
import type { StatsSection } from './sections.js';
import { countText, humanBytes, secondsText } from './units.js';

/** One row of `stats tcp --format json`: A is the originator, B the responder; times in seconds. */
export interface TcpConnectionJson {
  stream: number;
  a: string;
  portA: number;
  b: string;
  portB: number;
  state: string;
  connState: string;
  history: string;
  /** Seconds after the capture's first packet. */
  start: number;
  duration: number;
  packetsAtoB: number;
  bytesAtoB: number;
  payloadAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  payloadBtoA: number;
  /** SYN to the originator's ACK of the SYN-ACK, seconds; null when the handshake was not seen. */
  handshakeRtt: number | null;
  retransmissionsAtoB: number;
  retransmissionsBtoA: number;
  /** Segments with RST, both ways. */
  resets: number;
}

const startNs = (c: TcpConnection, r: TcpConnectionReport): number => (c.startSec - r.firstSec) * 1e9 + (c.startNsec - r.firstNsec);
const seconds = (ns: number): number => Number(secondsText(ns));

export function tcpConnectionJson(c: TcpConnection, r: TcpConnectionReport): TcpConnectionJson {
  return {
    stream: c.stream,
    a: c.orig,
    portA: c.origPort,
    b: c.resp,
    portB: c.respPort,
    state: connStateText(c),
    connState: connState(c),
    history: c.history,
    start: seconds(startNs(c, r)),
    duration: seconds(connDurationNs(c)),
    packetsAtoB: c.o.packets,
    bytesAtoB: c.o.bytes,
    payloadAtoB: c.o.payload,
    packetsBtoA: c.r.packets,
    bytesBtoA: c.r.bytes,
    payloadBtoA: c.r.payload,
    handshakeRtt: c.handshakeRttNs >= 0 ? seconds(c.handshakeRttNs) : null,
    retransmissionsAtoB: c.o.retransmissions,
    retransmissionsBtoA: c.r.retransmissions,
    resets: resets(c),
  };
}

/** RST segments, both ways (each side's count of segments carrying RST). */
const resets = (c: TcpConnection): number => c.o.resets + c.r.resets;

export const TCP_CSV_COLUMNS: readonly Column[] = [
  'stream', 'a', 'portA', 'b', 'portB', 'state', 'connState', 'history', 'start', 'duration', 'packetsAtoB', 'bytesAtoB', 'payloadAtoB',
  'packetsBtoA', 'bytesBtoA', 'payloadBtoA', 'handshakeRtt', 'retransmissionsAtoB', 'retransmissionsBtoA', 'resets',
].map((k) => ({ key: k, title: k }));

/** CSV cells: exact numbers, times as exact decimal seconds. */
export function tcpConnectionCells(c: TcpConnection, r: TcpConnectionReport): Row {
  const j = tcpConnectionJson(c, r);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(j)) out[k] = v === null ? '' : String(v);
  out['start'] = secondsText(startNs(c, r));
  out['duration'] = secondsText(connDurationNs(c));
  out['handshakeRtt'] = c.handshakeRttNs >= 0 ? secondsText(c.handshakeRttNs) : '';
  return out;
}

const COLUMNS: readonly Column[] = [
  { key: 'stream', title: 'Stream', align: 'right' },
  { key: 'a', title: 'Originator' },
  { key: 'b', title: 'Responder' },
  { key: 'state', title: 'State' },
  { key: 'connState', title: 'Zeek' },
  { key: 'history', title: 'History' },
  { key: 'start', title: 'Start', align: 'right' },
  { key: 'duration', title: 'Duration', align: 'right' },
  { key: 'ab', title: 'Packets A→B', align: 'right' },
  { key: 'abBytes', title: 'Bytes A→B', align: 'right' },
  { key: 'ba', title: 'Packets B→A', align: 'right' },
  { key: 'baBytes', title: 'Bytes B→A', align: 'right' },
  { key: 'rtt', title: 'Handshake RTT', align: 'right' },
  { key: 'retrans', title: 'Retrans', align: 'right' },
  { key: 'resets', title: 'Resets', align: 'right' },
];

const endpoint = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

export function tcpSection(rows: readonly TcpConnection[], r: TcpConnectionReport, format: 'table' | 'md'): StatsSection {
  const human = format === 'table';
  return {
    title: 'TCP connections',
    columns: COLUMNS,
    empty: 'no TCP connections',
    rows: rows.map((c) => ({
      stream: String(c.stream),
      a: endpoint(c.orig, c.origPort),
      b: endpoint(c.resp, c.respPort),
      state: connStateText(c),
      connState: connState(c),
      history: c.history,
      start: secondsText(startNs(c, r), 6),
      duration: secondsText(connDurationNs(c), 6),
      ab: countText(c.o.packets),
      abBytes: human ? humanBytes(c.o.bytes) : String(c.o.bytes),
      ba: countText(c.r.packets),
      baBytes: human ? humanBytes(c.r.bytes) : String(c.r.bytes),
      rtt: c.handshakeRttNs >= 0 ? secondsText(c.handshakeRttNs, 6) : '',
      retrans: String(c.o.retransmissions + c.r.retransmissions),
      resets: String(resets(c)),
    })),
  };
}
