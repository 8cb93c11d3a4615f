/**
 * IP addresses written as text (command lines, filters, SDP bodies) read into numbers and bytes.
 * One reader for every place that takes an address from a person or a packet's text.
 */

/**
 * Dotted-quad IPv4 text as a 32-bit unsigned number, or undefined. `strict` refuses octets with
 * leading zeros, as inet_pton does.
 */
export function ipv4FromText(text: string, strict = false): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (strict && p.length > 1 && p[0] === '0')) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/**
 * The 16 bytes of IPv6 text (hex groups, at most one `::`, an optional dotted IPv4 tail), or
 * undefined. `strict` applies to the IPv4 tail as in `ipv4FromText`.
 */
export function ipv6FromText(text: string, strict = false): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let v4: number | undefined;
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    v4 = ipv4FromText(text.slice(lastColon + 1), strict);
    if (v4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const wanted = v4 === undefined ? 8 : 6;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (left === undefined || right === undefined) return undefined;
  const fill = wanted - left.length - right.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const all = [...left, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...right];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (v4 !== undefined) {
    out[12] = v4 >>> 24;
    out[13] = (v4 >>> 16) & 0xff;
    out[14] = (v4 >>> 8) & 0xff;
    out[15] = v4 & 0xff;
  }
  return out;
}
