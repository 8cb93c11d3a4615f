import { PassThrough, Readable } from 'node:stream';
import { openCapture, type CaptureReader, type OpenCaptureOptions } from '../../src/capture/read-capture.js';
import type { Frame } from '../../src/capture/frame.js';

export const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
export const CAPTURES = `${CORPUS}captures/`;
export const TRUTH = `${CORPUS}truth/`;
export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

/** Collects everything a writer writes into one Buffer. */
export class Sink extends PassThrough {
  private readonly parts: Buffer[] = [];
  constructor() {
    super();
    this.on('data', (c: Buffer) => this.parts.push(c));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Serves a byte array through stdin-like stream in chunks of the given sizes (cycled). */
export function chunkedStream(bytes: Uint8Array, chunkSizes: readonly number[] = [1 << 20]): NodeJS.ReadableStream {
  const chunks: Buffer[] = [];
  let o = 0;
  let i = 0;
  while (o < bytes.length) {
    const n = Math.max(1, chunkSizes[i++ % chunkSizes.length]!);
    // Buffer.alloc: each chunk gets its own memory (Buffer.from would share Node's pool).
    const part = bytes.subarray(o, o + n);
    const chunk = Buffer.alloc(part.length);
    chunk.set(part);
    chunks.push(chunk);
    o += n;
  }
  return Readable.from(chunks);
}

export interface ReadResult {
  readonly reader: CaptureReader;
  readonly frames: Frame[];
}

/** Reads a capture held in memory, as if piped to stdin in chunks of `chunkSizes`. */
export async function readBytes(
  bytes: Uint8Array,
  chunkSizes?: readonly number[],
  options: OpenCaptureOptions = {},
): Promise<ReadResult> {
  const reader = await openCapture('-', { ...options, stdin: chunkedStream(bytes, chunkSizes) });
  const frames: Frame[] = [];
  for await (const f of reader) frames.push(f);
  return { reader, frames };
}

/** Reads a capture file from disk. */
export async function readFile(path: string, options: OpenCaptureOptions = {}): Promise<ReadResult> {
  const reader = await openCapture(path, options);
  const frames: Frame[] = [];
  for await (const f of reader) frames.push(f);
  return { reader, frames };
}
