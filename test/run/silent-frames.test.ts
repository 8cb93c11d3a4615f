/**
 * Worker-thread runs send frames that may announce media sessions to every worker: the batch
 * marks the copies silent (dissected for their state, no record).
 */
import { describe, expect, it } from 'vitest';
import { mayAnnounceMedia } from '../../src/dissect/protocols/media-sessions.js';
import { FrameBatchBuilder, unpackBatch } from '../../src/run/parallel/frame-batch.js';
import { frameOf } from '../helpers/dissect.js';

const time = { firstSec: 1, firstNsec: 0, prevSec: 1, prevNsec: 0, hasPrevious: true };

describe('silent frames for worker threads', () => {
  it('a batch keeps which frames are silent copies', () => {
    const b = new FrameBatchBuilder();
    b.add(frameOf(Uint8Array.from([1, 2, 3]), 1, 3, 1), time);
    b.add(frameOf(Uint8Array.from([4, 5]), 1, 2, 2), time, true);
    const frames = unpackBatch(b.take());
    expect(frames.map((f) => [f.frame.index, [...f.frame.data], f.silent])).toEqual([
      [1, [1, 2, 3], false],
      [2, [4, 5], true],
    ]);
  });

  it('SIP messages and SDP media lines are sent to every worker, other frames are not', () => {
    const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
    expect(mayAnnounceMedia(bytes('\u0000\u0001INVITE sip:b@y SIP/2.0\r\n'))).toBe(true);
    expect(mayAnnounceMedia(bytes('v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n'))).toBe(true);
    expect(mayAnnounceMedia(Uint8Array.from([0x80, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe(false);
    expect(mayAnnounceMedia(bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(false);
  });
});
