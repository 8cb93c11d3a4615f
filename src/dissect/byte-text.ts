/**
 * Text of bytes in place, for the text protocols (HTTP, SIP, SDP, RTSP, SSDP) that turn many
 * short header lines into strings per packet. ASCII reads the same in every decoding used here,
 * and Node's native slice of a Buffer costs about half a TextDecoder call on such short texts;
 * so ASCII runs go through a Buffer over the same memory (no copy), made once per byte array
 * (frames are plain Uint8Arrays), and anything else through the decoder the protocol names.
 */
const LATIN1 = new TextDecoder('latin1');
const UTF8 = new TextDecoder('utf-8');

let lastBytes: Uint8Array | undefined;
let lastBuffer: Buffer | undefined;

/** A Buffer over the memory of `d`: `d` itself when it is one, else made once per array. */
function bufferOf(d: Uint8Array): Buffer {
  if (d !== lastBytes) {
    lastBytes = d;
    lastBuffer = Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  }
  return lastBuffer!;
}

function isAscii(d: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (d[i]! >= 0x80) return false;
  return true;
}

/** Bytes `[from, to)` of `d` decoded as TextDecoder('latin1') decodes them. */
export function latin1Text(d: Uint8Array, from: number, to: number): string {
  if (to <= from) return '';
  return isAscii(d, from, to) ? bufferOf(d).toString('latin1', from, to) : LATIN1.decode(d.subarray(from, to));
}

/** Bytes `[from, to)` of `d` decoded as UTF-8 (bad sequences become U+FFFD). */
export function utf8Text(d: Uint8Array, from: number, to: number): string {
  if (to <= from) return '';
  return isAscii(d, from, to) ? bufferOf(d).toString('latin1', from, to) : UTF8.decode(d.subarray(from, to));
}
