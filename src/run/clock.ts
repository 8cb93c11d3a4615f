/** The time reference of frames read in capture order, for runs that do not dissect every frame. */
import type { Frame, TimeReference } from '../capture/frame.js';

/** Tracks the time reference in capture order (first and previous timestamped frame). */
export class Clock implements TimeReference {
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  hasPrevious = false;
  private started = false;

  /** Sets the reference for `f` (call before using it), then remembers `f`. */
  before(f: Frame): void {
    if (!f.hasTimestamp) return;
    if (!this.started) {
      this.started = true;
      this.firstSec = f.tsSec;
      this.firstNsec = f.tsNsec;
    }
  }

  after(f: Frame): void {
    if (!f.hasTimestamp) return;
    this.prevSec = f.tsSec;
    this.prevNsec = f.tsNsec;
    this.hasPrevious = true;
  }
}
