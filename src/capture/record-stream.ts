import { CaptureDamageError } from './errors.js';
import type { Frame } from './frame.js';

/**
 * Turns a stream of chunks into whole records (pcap records, pcapng blocks) without copying:
 * a record that lies inside one chunk is handed on as a view of that chunk; only a record
 * that straddles two or more chunks is copied, once, into a buffer of its exact size.
 *
 * Subclasses say how many bytes they need to learn a record's size (`peekSize`), what that
 * size is (`recordSize`, which also rejects absurd sizes, so memory stays bounded), and what
 * to do with a whole record (`record`).
 */
export abstract class RecordStream {
  /** Stream offset of the first byte not yet consumed (the start of the pending record). */
  protected offset = 0;
  /** Frames delivered so far (the next frame's number is `frames + 1`). */
  protected frames = 0;

  private part: Buffer | null = null;
  private partFill = 0;
  /** Size of the pending record, or 0 while its size is still unknown. */
  private partSize = 0;

  protected abstract peekSize: number;
  /** Size in bytes of the record starting at `o` (at least `peekSize` bytes are readable). */
  protected abstract recordSize(dv: DataView, o: number): number;
  /** Handles the whole record `buf[o, o + size)`. */
  protected abstract record(buf: Buffer, dv: DataView, o: number, size: number, out: Frame[]): void;
  /**
   * Handles the record at `o` if all of it is among the `avail` bytes and returns its size;
   * returns -1 (consuming nothing) when it is not. Subclasses may override this with a fused
   * version for speed; it must behave exactly like this one.
   */
  protected step(buf: Buffer, dv: DataView, o: number, avail: number, out: Frame[]): number {
    const size = this.recordSize(dv, o);
    if (size > avail) return -1;
    this.record(buf, dv, o, size, out);
    return size;
  }

  /** Message for a stream that ends inside a record. */
  protected abstract cutShortMessage(have: number, size: number): string;

  /** Stream offset of the first byte of the record being assembled (or of the next one). */
  consumed(): number {
    return this.offset;
  }

  /** Number of frames delivered so far. */
  delivered(): number {
    return this.frames;
  }

  /** Consumes one chunk; complete frames are appended to `out`. Throws `CaptureDamageError`. */
  push(chunk: Buffer, out: Frame[]): void {
    let o = 0;
    const n = chunk.length;
    if (this.part !== null) {
      o = this.fillPart(chunk, out);
      if (this.part !== null) return;
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, n);
    while (n - o >= this.peekSize) {
      const size = this.step(chunk, dv, o, n - o, out);
      if (size < 0) break;
      o += size;
      this.offset += size;
    }
    if (o < n) {
      const rest = n - o;
      const peek = this.peekSize;
      if (rest >= peek) {
        this.partSize = this.recordSize(dv, o);
        this.part = Buffer.allocUnsafe(this.partSize);
      } else {
        this.partSize = 0;
        this.part = Buffer.allocUnsafe(peek);
      }
      chunk.copy(this.part, 0, o, n);
      this.partFill = rest;
    }
  }

  /** Called at the end of the stream. Throws `CaptureDamageError` if it ends inside a record. */
  finish(): void {
    if (this.part === null) return;
    const have = this.partFill;
    const size = this.partSize;
    this.part = null;
    throw new CaptureDamageError(this.cutShortMessage(have, size), this.offset, this.frames + 1);
  }

  private fillPart(chunk: Buffer, out: Frame[]): number {
    let part = this.part as Buffer;
    let o = 0;
    if (this.partSize === 0) {
      const take = Math.min(this.peekSize - this.partFill, chunk.length);
      chunk.copy(part, this.partFill, 0, take);
      this.partFill += take;
      o = take;
      if (this.partFill < this.peekSize) return o;
      const size = this.recordSize(new DataView(part.buffer, part.byteOffset, part.length), 0);
      const whole = Buffer.allocUnsafe(size);
      part.copy(whole, 0, 0, this.partFill);
      this.part = part = whole;
      this.partSize = size;
    }
    const take = Math.min(this.partSize - this.partFill, chunk.length - o);
    chunk.copy(part, this.partFill, o, o + take);
    this.partFill += take;
    o += take;
    if (this.partFill === this.partSize) {
      this.part = null;
      this.record(part, new DataView(part.buffer, part.byteOffset, part.length), 0, this.partSize, out);
      this.offset += this.partSize;
    }
    return o;
  }
}
