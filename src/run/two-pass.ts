/**
 * `list -Y` and `fields -Y` over a large file in two passes, when the filter reads nothing above
 * the transport layer. One pass must dissect every frame with its application layers, since a
 * shown packet's Info or fields may depend on state kept from earlier packets of its
 * conversation (TCP analysis, an HTTP request seen, a TLS version). Most of that work is for
 * frames nobody will see.
 *
 * Pass 1 dissects every frame only as deep as the filter reads (as `fields` does; plain
 * Ethernet/IP/TCP/UDP frames are read as header packets, `header-packet.ts`) and notes, per
 * conversation bucket (`conversationKey`), the last frame the filter matches and the tag of the
 * conversations that match there (pass 2 then tells most other conversations of the bucket
 * apart). Pass 2 dissects a frame fully only when its conversation has a match at or after it,
 * or when it cannot be keyed, or when it may announce media sessions (SIP, SDP) and some match
 * is a UDP packet; it passes over the rest unread. Every frame a match depends on is then
 * dissected in order, as in one pass, so the output is the same. Times stay those of the whole
 * capture: the time reference moves on every frame.
 *
 * Pass 1 gives up (the run falls back to one pass) once it sees that pass 2 would dissect more
 * than a quarter of the frames (half when it reads header packets). Runs it does not suit stay
 * in one pass: standard input and other files that cannot be read twice, compressed and small
 * files, packet selections (`-c`, `--packets`), filters on application fields or on numbering
 * across the capture (`tcp.stream`).
 *
 * Known limit: state that links conversations other than through SIP/SDP media or TFTP transfers
 * (a QUIC connection that migrates to another address or port) is not followed.
 */
import { stat } from 'node:fs/promises';
import type { Frame } from '../capture/frame.js';
import { CaptureError } from '../capture/errors.js';
import { openCapture, type CaptureReader } from '../capture/read-capture.js';
import { Dissector } from '../dissect/dissect-packet.js';
import { mayAnnounceMedia } from '../dissect/protocols/media-sessions.js';
import { type Registry, tableEntry } from '../dissect/registry.js';
import type { DissectedPacket } from '../dissect/tree.js';
import type { DisplayFilter } from '../filter/index.js';
import { CONVERSATION_KEY_BITS, conversationBucket, conversationKey, conversationKeyAt, conversationTag } from './conversation-key.js';
import { HeaderPackets } from './header-packet.js';
import { orderDependent } from './packet-jobs.js';
import { Clock } from './clock.js';

/** A bucket's tag when matching conversations of different tags share it (tags have 13 bits). */
export const MIXED_TAGS = 0xffff;

/** Frames pass 1 reads before it may judge that a second pass would not pay. */
const JUDGE_AFTER = 20_000;
/**
 * Pass 1 gives up once pass 2 would dissect more than this share of the frames read: a pass 1
 * that dissects costs about 40% of one full pass, and the frames pass 2 keeps are often the
 * heavier ones.
 */
const MOST_WORK = 0.25;
/**
 * The same when pass 1 reads plain frames as header packets, which makes it cost about a tenth
 * of a full pass: on bench-1m, two passes that dissect 54% and 62% of the frames in pass 2 took
 * about as long as one pass or less (decisions §12).
 */
const MOST_WORK_HEADERS = 0.5;

/** Whether `filter` suits two passes (its fields and protocols are all at the transport layer or below). */
export function twoPassFilter(filter: DisplayFilter, registry: Registry, fields: readonly string[] = []): boolean {
  if ([...filter.fields, ...fields].some(orderDependent)) return false;
  return new Dissector(registry, { mode: 'select', fields: filter.fields, protocols: filter.protocols }).stopsBeforeApplication;
}

/** Files smaller than this (bytes) are read in one pass (`PCAPVIZ_TWO_PASS_MIN_BYTES`; `PCAPVIZ_TWO_PASS=0` turns two passes off). */
export function twoPassMinBytes(): number {
  if (process.env['PCAPVIZ_TWO_PASS'] === '0') return Infinity;
  const env = process.env['PCAPVIZ_TWO_PASS_MIN_BYTES'];
  const n = Number(env);
  return env !== undefined && env !== '' && Number.isFinite(n) && n >= 0 ? n : 16 * 1024 * 1024;
}

/** Whether `path` (already opened as `reader`) is an uncompressed regular file of at least the two-pass size. */
export async function twoPassFile(path: string, reader: CaptureReader): Promise<boolean> {
  if (path === '-' || reader.compression !== undefined) return false;
  try {
    const s = await stat(path);
    return s.isFile() && s.size >= twoPassMinBytes();
  } catch {
    return false;
  }
}

/** What pass 1 leaves for pass 2. */
export interface MatchPlan {
  /** For each conversation bucket, the number of the last frame the filter matches (0: none). */
  readonly last: Uint32Array;
  /**
   * For each bucket with a match, the tag (`conversationTag`) of the conversations that match,
   * or `MIXED_TAGS` when conversations of different tags do: pass 2 then passes over the frames
   * of other conversations that only share the bucket.
   */
  readonly tags: Uint16Array;
  /**
   * Whether some matching frame has a UDP header (at any depth), or a TCP header when a TCP port
   * is decoded as RTP or RTCP. Media sessions set up by SIP or SDP change only how RTP and RTCP
   * payloads are found and read (SIP's own transactions are per UDP conversation), so otherwise
   * pass 2 need not look for the signalling in the frames it passes over.
   */
  readonly media: boolean;
}

/**
 * Pass 1: the plan of what pass 2 dissects. Undefined when a second pass would not pay or the
 * file cannot be opened again (the caller then reads it in one pass). A read error ends the plan
 * where it happens: pass 2 meets it at the same frame.
 */
export async function planMatches(path: string, registry: Registry, filter: DisplayFilter): Promise<MatchPlan | undefined> {
  let reader: CaptureReader;
  try {
    reader = await openCapture(path);
  } catch (e) {
    if (e instanceof CaptureError) return undefined;
    throw e;
  }
  try {
    const planner = new Planner(registry, filter);
    try {
      for await (const batch of reader.batches()) {
        for (let i = 0; i < batch.length; i++) planner.frame(batch[i]!);
        if (planner.givesUp()) return undefined;
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
    }
    return planner.plan();
  } finally {
    await reader.close();
  }
}

/**
 * Pass 1's work frame by frame, in a class of its own: a small function for the optimising
 * compiler, apart from the reading loop around it.
 */
class Planner {
  private readonly registry: Registry;
  private readonly filter: DisplayFilter;
  private readonly dissector: Dissector;
  /** A filter on header fields is tested on plain frames without dissecting them. */
  private readonly headers: HeaderPackets | undefined;
  private readonly last = new Uint32Array(1 << CONVERSATION_KEY_BITS);
  private readonly tags = new Uint16Array(1 << CONVERSATION_KEY_BITS);
  /** Frames of each bucket since its last match: pass 2 dissects them only if a match follows. */
  private readonly pending = new Uint32Array(1 << CONVERSATION_KEY_BITS);
  private frames = 0;
  /** Frames pass 2 would dissect, as far as known. */
  private work = 0;
  private media = false;

  constructor(registry: Registry, filter: DisplayFilter) {
    this.registry = registry;
    this.filter = filter;
    this.dissector = new Dissector(registry, { mode: 'select', fields: filter.fields, protocols: filter.protocols });
    this.headers = HeaderPackets.create(registry, filter.fields, filter.protocols);
  }

  frame(f: Frame): void {
    this.frames++;
    const headers = this.headers;
    const plain = headers?.read(f);
    const key = plain === undefined ? conversationKey(f) : headers!.ipAt < 0 ? -1 : conversationKeyAt(f.data, headers!.ipAt);
    const p = plain ?? this.dissector.dissect(f);
    const matched = this.filter.matches(p);
    // Pass 1 stops before application layers, which carry no UDP header: all are seen here.
    if (matched && !this.media) this.media = p.layers.some((l) => l.protocol === 'udp') || (p.layers.some((l) => l.protocol === 'tcp') && tcpReachesMedia(this.registry));
    if (key < 0) {
      this.work++;
      return;
    }
    const k = conversationBucket(key);
    if (!matched) {
      this.pending[k]!++;
      return;
    }
    this.work += this.pending[k]! + 1;
    this.pending[k] = 0;
    const tag = conversationTag(key);
    if (this.last[k] === 0) this.tags[k] = tag;
    else if (this.tags[k] !== tag) this.tags[k] = MIXED_TAGS;
    this.last[k] = f.index;
  }

  /** Whether pass 2 would dissect too much of what has been read for two passes to pay. */
  givesUp(): boolean {
    return this.frames >= JUDGE_AFTER && this.work > this.frames * (this.headers !== undefined ? MOST_WORK_HEADERS : MOST_WORK);
  }

  plan(): MatchPlan {
    return { last: this.last, tags: this.tags, media: this.media };
  }
}

/** Protocols whose dissection reads the media sessions SIP and SDP set up. */
const MEDIA_READERS: ReadonlySet<string> = new Set(['rtp', 'rtcp']);

const tcpMedia = new WeakMap<Registry, boolean>();

/**
 * Whether some TCP port leads to a protocol that reads media sessions (none does by default:
 * RTP and RTCP come after UDP; `--decode-as tcp.port==N,rtp` may add one). Found once per registry.
 */
function tcpReachesMedia(registry: Registry): boolean {
  let found = tcpMedia.get(registry);
  if (found === undefined) tcpMedia.set(registry, (found = findTcpMedia(registry)));
  return found;
}

function findTcpMedia(registry: Registry): boolean {
  for (let port = 0; port < 65536; port++) {
    const p = tableEntry(registry, 'tcp.port', port);
    if (p !== undefined && MEDIA_READERS.has(p.id)) return true;
  }
  for (const id of MEDIA_READERS) if ((registry.protocols.get(id)?.heuristics ?? []).some((h) => h.table === 'tcp.port')) return true;
  return false;
}

/**
 * Whether a frame the plan would pass over may carry SIP or SDP (`mayAnnounceMedia`), searched
 * past the transport header when its start is known (`payload` >= 0). A payload that starts with
 * a TLS record header (content type 20 to 23, version 3.x) is encrypted and is not searched:
 * on busy links most bytes are TLS.
 */
function maySignal(d: Uint8Array, payload: number): boolean {
  if (payload < 0) return mayAnnounceMedia(d);
  if (payload + 1 < d.length && d[payload]! >= 20 && d[payload]! <= 23 && d[payload + 1] === 3) return false;
  return mayAnnounceMedia(d, payload);
}

/**
 * Pass 2: hands `each` the packets of the frames the plan needs, dissected in capture order with
 * the time reference of every frame (or read as header packets, with `headers`), and `skip` the
 * other frames; returns the number of frames read.
 */
export async function dissectPlanned(
  reader: CaptureReader,
  dissector: Dissector,
  plan: MatchPlan,
  done: (() => boolean) | undefined,
  each: (p: DissectedPacket) => void | Promise<void>,
  skip: (f: Frame) => void,
  headers?: HeaderPackets,
): Promise<number> {
  const clock = new Clock();
  const payload = new Int32Array(1);
  const { last, tags, media } = plan;
  let frames = 0;
  for await (const batch of reader.batches()) {
    for (let i = 0; i < batch.length; i++) {
      if (done?.()) return frames;
      const f = batch[i]!;
      frames++;
      clock.before(f);
      const key = conversationKey(f, payload);
      const k = key < 0 ? -1 : conversationBucket(key);
      if (k < 0 || (last[k]! >= f.index && (tags[k] === MIXED_TAGS || tags[k] === conversationTag(key))) || (media && maySignal(f.data, payload[0]!))) {
        const r = each(headers?.read(f) ?? dissector.dissect(f, clock));
        clock.after(f);
        if (r !== undefined) await r;
      } else {
        skip(f);
        clock.after(f);
      }
    }
  }
  return frames;
}
