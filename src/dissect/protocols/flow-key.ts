/**
 * A key for the transport conversation a layer travels in, for protocols that match a reply to
 * its request (RPC by xid, SMB transactions by their ids, DCE/RPC calls): the TCP stream when
 * there is one, otherwise the innermost IP addresses and UDP ports, the same in both directions.
 * Undefined when the layers below say nothing (no IP layer, or info records are not kept).
 */
import type { Cursor } from '../cursor.js';

export function flowKey(c: Cursor): string | undefined {
  let ports: string | undefined;
  for (let i = c.below.length - 1; i >= 0; i--) {
    const l = c.below[i]!;
    if (ports === undefined && l.protocol === 'tcp') {
      const stream = l.info['stream'];
      if (typeof stream === 'number') return `t${stream}`;
      ports = `t${pair(l.info['srcport'], l.info['dstport'])}`;
    } else if (ports === undefined && l.protocol === 'udp') {
      ports = `u${pair(l.info['srcport'], l.info['dstport'])}`;
    } else if (l.protocol === 'ip' || l.protocol === 'ipv6') {
      const src = l.info['src'];
      const dst = l.info['dst'];
      if (typeof src !== 'string' || typeof dst !== 'string') return undefined;
      return `${ports ?? ''}|${src < dst ? `${src}|${dst}` : `${dst}|${src}`}`;
    }
  }
  return undefined;
}

/** Two ports in a fixed order. */
function pair(a: unknown, b: unknown): string {
  const x = typeof a === 'number' ? a : -1;
  const y = typeof b === 'number' ? b : -1;
  return x <= y ? `${x}:${y}` : `${y}:${x}`;
}

/**
 * A bounded map for request/response matching: past `max` entries the oldest tenth is dropped,
 * so a long capture cannot grow it without limit.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  private readonly max: number;
  constructor(max: number) {
    super();
    this.max = max;
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      let n = Math.max(1, Math.floor(this.max / 10));
      for (const k of this.keys()) {
        this.delete(k);
        if (--n <= 0) break;
      }
    }
    return super.set(key, value);
  }
}
