/**
 * The one-line-per-packet view (`pcapviz list`), with tshark's columns: number, time,
 * source, destination, protocol, length and an Info column.
 */
import { TcpRelativeSeq } from '../../analyze/tcp-relative.js';
import { tcpFlagsText } from '../../dissect/protocols/tcp.js';
import type { DissectedPacket, LayerNode } from '../../dissect/tree.js';

export type TimeFormat = 'r' | 'a' | 'ad' | 'd' | 'dd' | 'e' | 'u' | 'ud';

export interface ListRow {
  readonly number: number;
  readonly time: string;
  readonly source: string;
  readonly destination: string;
  readonly protocol: string;
  readonly length: number;
  readonly info: string;
}

const TRAILING = new Set(['data', 'padding']);

const ANALYSIS_LABELS: Readonly<Record<string, string>> = {
  retransmission: 'TCP Retransmission',
  fast_retransmission: 'TCP Fast Retransmission',
  duplicate_ack: 'TCP Dup ACK',
  spurious_retransmission: 'TCP Spurious Retransmission',
  out_of_order: 'TCP Out-Of-Order',
  keep_alive: 'TCP Keep-Alive',
};

function innermostAddresses(layers: readonly LayerNode[]): [string, string] {
  let pair: [string, string] | undefined;
  for (const l of layers) {
    if (l.inError) break;
    const src = l.info['src'];
    const dst = l.info['dst'];
    if (typeof src === 'string' && typeof dst === 'string' && src !== '' && dst !== '') pair = [src, dst];
  }
  return pair ?? ['', ''];
}

/** The layer whose name and summary describe the packet: the last one outside any ICMP quote. */
function topLayer(layers: readonly LayerNode[]): LayerNode | undefined {
  let top: LayerNode | undefined;
  for (const l of layers) {
    if (l.inError) break;
    if (TRAILING.has(l.protocol) && top !== undefined) continue;
    if (l.headerLength === 0 && l.length === 0 && top !== undefined) continue;
    top = l;
  }
  return top;
}

function fixed(ns: bigint, digits: number): string {
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  const sec = abs / 1_000_000_000n;
  const frac = String(abs % 1_000_000_000n).padStart(9, '0').slice(0, digits);
  return `${neg ? '-' : ''}${sec}${digits > 0 ? `.${frac}` : ''}`;
}

/** Builds list rows; keeps the state the time column and relative TCP numbers need. */
export class PacketLister {
  private first: bigint | undefined;
  private prev: bigint | undefined;
  private prevDisplayed: bigint | undefined;
  private readonly tcp = new TcpRelativeSeq();
  private readonly timeFormat: TimeFormat;

  constructor(timeFormat: TimeFormat = 'r') {
    this.timeFormat = timeFormat;
  }

  row(p: DissectedPacket): ListRow {
    const f = p.frame;
    const ts = BigInt(f.tsSec) * 1_000_000_000n + BigInt(f.tsNsec);
    this.first ??= ts;
    const prev = this.prev ?? ts;
    this.prev = ts;
    const prevShown = this.prevDisplayed ?? ts;
    this.prevDisplayed = ts;
    const [source, destination] = innermostAddresses(p.layers);
    const top = topLayer(p.layers);
    return {
      number: f.index,
      time: f.hasTimestamp ? this.time(ts, prev, prevShown, f.tsDigits) : '',
      source,
      destination,
      protocol: top?.name ?? '',
      length: f.origLen,
      info: this.info(p, top),
    };
  }

  private time(ts: bigint, prev: bigint, prevShown: bigint, digits: number): string {
    switch (this.timeFormat) {
      case 'r':
        return fixed(ts - this.first!, digits);
      case 'd':
        return fixed(ts - prev, digits);
      case 'dd':
        return fixed(ts - prevShown, digits);
      case 'e':
        return fixed(ts, digits);
      default: {
        const ms = Number(ts / 1_000_000n);
        const frac = String(ts % 1_000_000_000n).padStart(9, '0').slice(0, digits);
        const d = new Date(ms);
        const utc = this.timeFormat === 'u' || this.timeFormat === 'ud';
        const pad = (n: number): string => String(n).padStart(2, '0');
        const date = utc
          ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
          : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
        const clock = utc
          ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
          : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
        const t = `${clock}${digits > 0 ? `.${frac}` : ''}`;
        return this.timeFormat === 'ad' || this.timeFormat === 'ud' ? `${date} ${t}` : t;
      }
    }
  }

  private info(p: DissectedPacket, top: LayerNode | undefined): string {
    if (top === undefined) return '';
    if (top.protocol !== 'tcp' || top.info['short'] === true) return top.summary;
    // TCP: relative sequence numbers need the connection's history.
    const i = top.info as { srcport: number; dstport: number; seq: number; ack: number; flags: number; window: number; len: number; analysis?: string; mss?: number; ws?: number; sackPerm?: boolean; tsval?: number; tsecr?: number };
    const [src, dst] = innermostAddresses(p.layers);
    const shift = i.ws === undefined ? undefined : Math.log2(i.ws);
    const r = this.tcp.relative(src, i.srcport, dst, i.dstport, i.seq, i.ack, i.flags, i.window, shift);
    const note = i.analysis === undefined ? '' : `[${ANALYSIS_LABELS[i.analysis] ?? i.analysis}] `;
    let s = `${note}${i.srcport} → ${i.dstport} ${tcpFlagsText(i.flags)} Seq=${r.seq}${r.ack !== undefined ? ` Ack=${r.ack}` : ''} Win=${r.window} Len=${i.len}`;
    if (i.mss !== undefined) s += ` MSS=${i.mss}`;
    if (i.sackPerm === true) s += ' SACK_PERM';
    if (i.tsval !== undefined) s += ` TSval=${i.tsval} TSecr=${i.tsecr}`;
    if (i.ws !== undefined) s += ` WS=${i.ws}`;
    return s;
  }
}
