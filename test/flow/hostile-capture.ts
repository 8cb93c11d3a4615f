/**
 * A small capture whose packet-derived strings are hostile to the formats `flow` writes: DNS
 * names and an HTTP request line carrying Mermaid and XML syntax (`;` `#` `:` `%%{` `<` `>` `&`
 * quotes, backslashes, `end`), control characters and a bidi override. Built byte by byte with
 * correct checksums, written as a classic pcap.
 */
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write-capture.js';

const MAC_A = [0x02, 0, 0, 0, 0, 0x0a];
const MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

function sum16(bytes: readonly number[], initial = 0): number {
  let s = initial;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

const checksum = (bytes: readonly number[], initial = 0): number => ~sum16(bytes, initial) & 0xffff;
const be16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const ascii = (s: string): number[] => Array.from(Buffer.from(s, 'latin1'));

function ipv4(src: readonly number[], dst: readonly number[], proto: number, payload: readonly number[], id: number): number[] {
  const h = [0x45, 0, ...be16(20 + payload.length), ...be16(id), 0x40, 0, 64, proto, 0, 0, ...src, ...dst];
  const c = checksum(h);
  h[10] = c >>> 8;
  h[11] = c & 0xff;
  return [...h, ...payload];
}

function pseudo(src: readonly number[], dst: readonly number[], proto: number, len: number): number {
  return sum16([...src, ...dst, 0, proto, ...be16(len)]);
}

function udp(src: readonly number[], dst: readonly number[], sport: number, dport: number, payload: readonly number[]): number[] {
  const seg = [...be16(sport), ...be16(dport), ...be16(8 + payload.length), 0, 0, ...payload];
  const c = checksum(seg, pseudo(src, dst, 17, seg.length)) || 0xffff;
  seg[6] = c >>> 8;
  seg[7] = c & 0xff;
  return seg;
}

function tcp(src: readonly number[], dst: readonly number[], sport: number, dport: number, seq: number, ack: number, flags: number, payload: readonly number[]): number[] {
  const seg = [...be16(sport), ...be16(dport), ...be32(seq), ...be32(ack), 0x50, flags, ...be16(64240), 0, 0, 0, 0, ...payload];
  const c = checksum(seg, pseudo(src, dst, 6, seg.length));
  seg[16] = c >>> 8;
  seg[17] = c & 0xff;
  return seg;
}

const eth = (src: readonly number[], dst: readonly number[], payload: readonly number[]): number[] => [...dst, ...src, 0x08, 0x00, ...payload];

/** A DNS query for a name made of the given labels (bytes as they are, any value). */
function dnsQuery(id: number, labels: readonly string[]): number[] {
  const name: number[] = [];
  for (const l of labels) name.push(l.length, ...ascii(l));
  name.push(0);
  return [...be16(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...name, 0, 1, 0, 1];
}

export const HOSTILE_CLIENT = '10.9.8.7';
export const HOSTILE_SERVER = '10.9.8.53';

/** The hostile capture as pcap bytes (5 packets). */
export function hostileCapture(): Buffer {
  const a = [10, 9, 8, 7];
  const b = [10, 9, 8, 53];
  const frames: number[][] = [];
  frames.push(eth(MAC_A, MAC_B, ipv4(a, b, 17, udp(a, b, 40000, 53, dnsQuery(0x1111, ['a;b#c:d', 'x%%{init', '<y>&z', 'end'])), 1)));
  frames.push(eth(MAC_A, MAC_B, ipv4(a, b, 17, udp(a, b, 40001, 53, dnsQuery(0x2222, ['new\nline', 'tab\there', 'rtl\u00e2\u0080\u00aeevil', 'com'])), 2)));
  frames.push(eth(MAC_A, MAC_B, ipv4(a, b, 17, udp(a, b, 40002, 53, dnsQuery(0x3333, ['\u00ef\u00ac\u0082\u00c2\u00b0\u00c2\u00b059\u00c2\u00b6\u00c3\u009f', '"q\'`', 'back\\slash'])), 3)));
  const req = ascii('GET /p;q#r:s%%{init:{}}<script>alert(1)</script>&amp;"\'`\\end HTTP/1.1\r\nHost: x\r\n\r\n');
  frames.push(eth(MAC_A, MAC_B, ipv4(a, b, 6, tcp(a, b, 40100, 80, 1000, 2000, 0x18, req), 4)));
  frames.push(eth(MAC_B, MAC_A, ipv4(b, a, 6, tcp(b, a, 80, 40100, 2000, 1000 + req.length, 0x10, []), 5)));
  const o = { linkType: 1 } as const;
  return Buffer.concat([encodePcapHeader(o), ...frames.map((f, i) => encodePcapRecord({ tsSec: 1_700_000_000 + i, tsNsec: i * 1000, data: Uint8Array.from(f) }, o))]);
}
