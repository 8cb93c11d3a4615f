/**
 * The one-line-per-packet view (`pcapviz list`), with tshark's columns: number, time,
 * source, destination, protocol, length and an Info column.
 */
import type { TimeReference } from '../../capture/frame.js';
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
  // The innermost layer that names a source, outside any ICMP quote, with its destination
  // (Linux cooked headers name only the source, as tshark's columns show). Read from the
  // inside out so that outer layers' addresses (often never formatted) are not asked for.
  let end = 0;
  while (end < layers.length && !layers[end]!.inError) end++;
  for (let i = end - 1; i >= 0; i--) {
    const info = layers[i]!.info;
    const src = info['src'];
    if (typeof src !== 'string' || src === '') continue;
    const dst = info['dst'];
    return [src, typeof dst === 'string' ? dst : ''];
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

const NS = 1_000_000_000;

/** `sec` seconds plus `nsec` nanoseconds (any sign) as text with `digits` decimals, truncated. */
function fixed(sec: number, nsec: number, digits: number): string {
  let s = sec + Math.floor(nsec / NS);
  let n = nsec - Math.floor(nsec / NS) * NS;
  let sign = '';
  if (s < 0) {
    sign = '-';
    if (n > 0) {
      s = -s - 1;
      n = NS - n;
    } else {
      s = -s;
    }
  }
  if (digits <= 0) return `${sign}${s}`;
  if (digits === 6) {
    // Microseconds, the common case: the fraction from two three-digit pieces.
    const us = Math.floor(n / 1000);
    return `${sign}${s}.${DIGITS3[Math.floor(us / 1000)]!}${DIGITS3[us % 1000]!}`;
  }
  const frac = String(n).padStart(9, '0');
  return `${sign}${s}.${digits >= 9 ? frac : frac.slice(0, digits)}`;
}
/** 0..999 as three digits. */
const DIGITS3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Builds list rows; keeps the state the time column needs. */
export class PacketLister {
  private firstSec = 0;
  private firstNsec = 0;
  private started = false;
  private prevSec = 0;
  private prevNsec = 0;
  private readonly timeFormat: TimeFormat;

  constructor(timeFormat: TimeFormat = 'r') {
    this.timeFormat = timeFormat;
  }

  /**
   * The packet's row. Times count from the first frame with a timestamp; `t` gives that and
   * the previous timestamped frame when this lister does not see every packet (frames spread
   * over threads).
   */
  row(p: DissectedPacket, t?: TimeReference): ListRow {
    const f = p.frame;
    if (t !== undefined) {
      this.started = true;
      this.firstSec = t.firstSec;
      this.firstNsec = t.firstNsec;
      this.prevSec = t.hasPrevious ? t.prevSec : f.tsSec;
      this.prevNsec = t.hasPrevious ? t.prevNsec : f.tsNsec;
    } else if (!this.started && f.hasTimestamp) {
      this.started = true;
      this.firstSec = this.prevSec = f.tsSec;
      this.firstNsec = this.prevNsec = f.tsNsec;
    }
    const time = f.hasTimestamp ? this.time(f.tsSec, f.tsNsec, f.tsDigits) : '';
    if (f.hasTimestamp) {
      this.prevSec = f.tsSec;
      this.prevNsec = f.tsNsec;
    }
    const [source, destination] = innermostAddresses(p.layers);
    const top = topLayer(p.layers);
    return {
      number: f.index,
      time,
      source,
      destination,
      protocol: top?.name ?? '',
      length: f.origLen,
      info: this.info(top, p.layers),
    };
  }

  private time(sec: number, nsec: number, digits: number): string {
    switch (this.timeFormat) {
      case 'r':
        return fixed(sec - this.firstSec, nsec - this.firstNsec, digits);
      case 'd':
      case 'dd':
        // Every packet is displayed, so "since the previous displayed" is "since the previous".
        return fixed(sec - this.prevSec, nsec - this.prevNsec, digits);
      case 'e':
        return fixed(sec, nsec, digits);
      default: {
        const wholeSec = sec + Math.floor(nsec / NS);
        const n = nsec - Math.floor(nsec / NS) * NS;
        const frac = String(n).padStart(9, '0').slice(0, digits);
        const d = new Date(wholeSec * 1000);
        const utc = this.timeFormat === 'u' || this.timeFormat === 'ud';
        const pad = (v: number): string => String(v).padStart(2, '0');
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

  /** The top layer's summary, with tshark's mark when dissection stopped on a bad or cut packet. */
  private info(top: LayerNode | undefined, layers: readonly LayerNode[]): string {
    let text = top === undefined ? '' : top.summary;
    // tshark keeps TCP's analysis flags in front of what the application layer writes (TLS appends after ', ').
    if (top !== undefined && top.protocol !== 'tcp') {
      for (const l of layers) {
        if (l.protocol !== 'tcp' || l.inError) continue;
        const prefix = l.info['prefix'] as string | undefined;
        if (prefix) text = `${prefix}${top.protocol === 'tls' ? ', ' : ''}${text}`;
        break;
      }
    }
    for (const l of layers) {
      for (const i of l.issues) {
        if (i.kind === 'malformed') return `${text}[Malformed Packet]`;
        if (i.kind === 'truncated') return text === '' ? '[Packet size limited during capture]' : `${text} [Packet size limited during capture]`;
      }
    }
    return text;
  }
}
