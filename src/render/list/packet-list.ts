/**
 * The one-line-per-packet view (`pcapviz list`), with tshark's columns: number, time,
 * source, destination, protocol, length and an Info column.
 */
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


function innermostAddresses(layers: readonly LayerNode[]): [string, string] {
  // The innermost layer with both addresses, outside any ICMP quote; read from the inside out
  // so that outer layers' addresses (often never formatted) are not asked for.
  let end = 0;
  while (end < layers.length && !layers[end]!.inError) end++;
  for (let i = end - 1; i >= 0; i--) {
    const info = layers[i]!.info;
    const src = info['src'];
    if (typeof src !== 'string' || src === '') continue;
    const dst = info['dst'];
    if (typeof dst === 'string' && dst !== '') return [src, dst];
  }
  return ['', ''];
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
      info: this.info(top),
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

  private info(top: LayerNode | undefined): string {
    return top === undefined ? '' : top.summary;
  }
}
