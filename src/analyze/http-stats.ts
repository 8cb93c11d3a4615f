/**
 * HTTP statistics, close to `tshark -q -z http,tree` and `-z http_req,tree`: requests by method,
 * by host and by URI, responses by status code, and the response time of each request. Over TCP a
 * response answers the oldest unanswered request of its stream (HTTP/1.x answers in order);
 * without a stream (HTTP over SCTP, or a cut TCP header) requests and responses are only counted.
 * Every message of a segment counts (pipelined requests); continuation segments count as other
 * packets. Hosts and URIs are kept up to `maxKeys` distinct keys; the queues of unanswered
 * requests hold at most `maxKeys` × 10 requests in all, the oldest stream then forgotten.
 */
import type { DissectedPacket } from '../dissect/tree.js';
import { DEFAULT_MAX_KEYS, endpointsBefore, KeyCounts, TimeStats } from './key-counts.js';
import { RelativeClock } from './traffic-taps.js';

/** Status phrases for the common codes, as Wireshark shows them next to the number. */
const STATUS: Readonly<Record<number, string>> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export const statusText = (code: number): string => `${code}${STATUS[code] !== undefined ? ` ${STATUS[code]}` : ''}`;

export interface HttpReport {
  /** Packets with an HTTP layer. */
  readonly packets: number;
  readonly requests: number;
  readonly responses: number;
  /** HTTP packets holding neither a request nor a response start (continuations). */
  readonly other: number;
  readonly byMethod: KeyCounts;
  readonly byHost: KeyCounts;
  readonly byUri: KeyCounts;
  readonly byStatus: KeyCounts;
  /** Requests left without a response at the end (over TCP). */
  readonly unanswered: number;
  /** Responses over TCP with no earlier request in their stream. */
  readonly unmatchedResponses: number;
  readonly responseTime: ReturnType<TimeStats['summary']>;
}

interface HttpMessage {
  readonly kind: string;
  readonly method?: string;
  readonly uri?: string;
  readonly code?: number;
  readonly host?: string;
}

export class HttpStatsBuilder {
  private readonly clock = new RelativeClock();
  private packets = 0;
  private requests = 0;
  private responses = 0;
  private other = 0;
  private unmatched = 0;
  private dropped = 0;
  private waiting = 0;
  private readonly byMethod = new KeyCounts(256);
  private readonly byHost: KeyCounts;
  private readonly byUri: KeyCounts;
  private readonly byStatus = new KeyCounts(1000);
  private readonly times = new TimeStats();
  /** tcp.stream → times of its unanswered requests, oldest first. */
  private readonly queues = new Map<number, number[]>();
  private readonly maxWaiting: number;

  constructor(maxKeys: number = DEFAULT_MAX_KEYS) {
    this.byHost = new KeyCounts(maxKeys);
    this.byUri = new KeyCounts(maxKeys);
    this.maxWaiting = maxKeys * 10;
  }

  add(p: DissectedPacket): void {
    const layers = p.layers;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i]!;
      if (l.protocol !== 'http' || l.inError) continue;
      this.packets++;
      const messages = l.info['messages'] as readonly HttpMessage[] | undefined;
      if (messages === undefined || messages.length === 0) {
        this.other++;
        break;
      }
      this.clock.at(p.frame);
      const now = this.clock.sec * 1e9 + this.clock.nsec;
      const stream = endpointsBefore(layers, i).stream;
      for (const m of messages) {
        if (m.kind === 'request') this.request(m, stream, now);
        else if (m.kind === 'response') this.response(m, stream, now);
      }
      break; // one HTTP layer per packet counts (a tunnelled copy would count twice)
    }
  }

  private request(m: HttpMessage, stream: number | undefined, now: number): void {
    this.requests++;
    this.byMethod.add(m.method ?? '');
    if (m.host !== undefined) this.byHost.add(m.host);
    if (m.uri !== undefined) this.byUri.add(m.uri);
    if (stream === undefined) return;
    let q = this.queues.get(stream);
    if (q === undefined) {
      if (this.waiting >= this.maxWaiting) this.forgetOldest();
      q = [];
      this.queues.set(stream, q);
    }
    q.push(now);
    this.waiting++;
  }

  private response(m: HttpMessage, stream: number | undefined, now: number): void {
    this.responses++;
    if (m.code !== undefined) this.byStatus.add(statusText(m.code));
    if (stream === undefined) return;
    const q = this.queues.get(stream);
    const asked = q?.shift();
    if (asked === undefined) {
      this.unmatched++;
      return;
    }
    this.waiting--;
    if (q!.length === 0) this.queues.delete(stream);
    this.times.add(now - asked);
  }

  /** Drops the stream waiting longest (its requests count as unanswered). */
  private forgetOldest(): void {
    const [stream, q] = this.queues.entries().next().value!;
    this.queues.delete(stream);
    this.waiting -= q.length;
    this.dropped += q.length;
  }

  finish(): HttpReport {
    return {
      packets: this.packets,
      requests: this.requests,
      responses: this.responses,
      other: this.other,
      byMethod: this.byMethod,
      byHost: this.byHost,
      byUri: this.byUri,
      byStatus: this.byStatus,
      unanswered: this.waiting + this.dropped,
      unmatchedResponses: this.unmatched,
      responseTime: this.times.summary(),
    };
  }
}
