import { pcapMagicOf } from './pcap.js';
import { SNOOP_MAGIC } from './snoop.js';

/** What the first bytes of a stream say it is. */
export type Sniffed =
  | { readonly kind: 'pcap' }
  | { readonly kind: 'pcapng' }
  | { readonly kind: 'snoop' }
  | { readonly kind: 'gzip' }
  | { readonly kind: 'zstd' }
  | { readonly kind: 'other'; readonly looksLike: string };

const startsWith = (b: Uint8Array, sig: readonly number[]): boolean =>
  b.length >= sig.length && sig.every((v, i) => b[i] === v);

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Formats we recognise but do not read, with a hint of what to do about them. */
const OTHER_FORMATS: readonly (readonly [readonly number[], string])[] = [
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data (decompress it first: xz -d FILE)'],
  [ascii('BZh'), 'bzip2-compressed data (decompress it first: bunzip2 FILE)'],
  [[0x04, 0x22, 0x4d, 0x18], 'lz4-compressed data (decompress it first: lz4 -d FILE)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive (extract the capture first)'],
  [ascii('GMBU'), 'a Microsoft Network Monitor 2 capture (convert it first: editcap -F pcap FILE out.pcap)'],
  [ascii('RTSS'), 'a Microsoft Network Monitor 1 capture (convert it first: editcap -F pcap FILE out.pcap)'],
  [ascii('XCP\0'), 'a NetXRay / Sniffer capture (convert it first: editcap -F pcap FILE out.pcap)'],
  [ascii('ObserverPktBuffer'), 'a Network Instruments Observer capture (convert it first: editcap -F pcap FILE out.pcap)'],
  [ascii('iptrace '), 'an AIX iptrace capture (convert it first: editcap -F pcap FILE out.pcap)'],
  [ascii('%PDF'), 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
];

/** Recognises a capture container or compression from the first bytes (at least 8 when the stream has them). */
export function sniff(head: Uint8Array): Sniffed {
  if (head.length === 0) return { kind: 'other', looksLike: 'an empty file' };
  if (pcapMagicOf(head)) return { kind: 'pcap' };
  if (startsWith(head, [0x0a, 0x0d, 0x0d, 0x0a])) return { kind: 'pcapng' };
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'gzip' };
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return { kind: 'zstd' };
  if (startsWith(head, SNOOP_MAGIC)) return { kind: 'snoop' };
  for (const [sig, what] of OTHER_FORMATS) if (startsWith(head, sig)) return { kind: 'other', looksLike: what };
  if (head.length < 4) return { kind: 'other', looksLike: `${head.length} bytes, too short for any capture header` };
  const sample = head.subarray(0, 512);
  let printable = 0;
  for (const b of sample) if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x80) printable++;
  if (printable === sample.length) return { kind: 'other', looksLike: 'text' };
  const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return { kind: 'other', looksLike: `unknown data starting with bytes ${hex}` };
}
