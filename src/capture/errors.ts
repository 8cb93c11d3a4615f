/**
 * Two kinds of trouble a capture file can have:
 * - `CaptureError`: the file cannot be read at all (missing, not a capture, unsupported
 *   version). Commands exit 1.
 * - damage (`CaptureDamageError` inside the reader, `CaptureReader.damage` outside): the file
 *   is a capture but is broken from some point on (cut short, a corrupt length). Everything
 *   before that point is delivered; commands exit 2.
 */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  readonly file: string;
  readonly reason: string;
  readonly offset: number | undefined;

  constructor(file: string, reason: string, offset?: number) {
    super(`${file}: ${reason}${offset === undefined ? '' : ` (at byte ${offset})`}`);
    this.file = file;
    this.reason = reason;
    this.offset = offset;
  }
}

/** Thrown by container parsers; the reader turns it into `CaptureReader.damage`. */
export class CaptureDamageError extends Error {
  override readonly name = 'CaptureDamageError';
  readonly reason: string;
  readonly offset: number;
  readonly frame: number;

  constructor(reason: string, offset: number, frame: number) {
    super(`${reason} (frame ${frame}, at byte ${offset})`);
    this.reason = reason;
    this.offset = offset;
    this.frame = frame;
  }
}

/** Thrown by container parsers when a header says "not something we can read" (exit 1). */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  readonly reason: string;
  readonly offset: number;

  constructor(reason: string, offset: number) {
    super(reason);
    this.reason = reason;
    this.offset = offset;
  }
}
