import type { Cursor } from '../cursor.js';
import type { FieldTable } from '../field-types.js';
import { defineProtocol, type DissectResult, type ProtocolDef } from '../protocol.js';

/**
 * Shared shape of the dissectors an HTTP body is handed to by its media type (tshark's
 * `media_type` table): each takes every byte of the body this packet holds. `read` records the
 * fields of the start of the body when it is not content-encoded (a compressed body is not
 * inflated here). `c.ctx.mediaType` is the Content-Type, `c.ctx.encoded` says the body is
 * compressed or chunked, `c.ctx.carrierInfo` gives the carrying message's Info text.
 */
/** A media type without its parameters, lower-cased (`text/html; charset=utf-8` is `text/html`). */
export function baseType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
}

/**
 * Records a read of `n` bytes at `at` that the body does not hold, as tshark's media dissectors
 * hit it when an image goes on in later segments (reassembly off): past the captured bytes but
 * within the packet it is a snaplen cut, past the packet it is a read past the segment (which the
 * hierarchy shows as unreassembled). The layer keeps its fields, name and Info.
 */
export function readPast(c: Cursor, what: string, at: number, n: number): void {
  if (at + n <= c.repEnd) c.addIssue({ kind: 'truncated', severity: 'note', offset: at, fieldKey: undefined, message: `${what}: ${n} bytes needed at offset ${at}, capture ends at ${c.capEnd}` });
  else c.addIssue({ kind: 'malformed', severity: 'error', offset: at, fieldKey: undefined, message: `${what}: ${n} bytes needed at offset ${at}, packet ends at ${c.repEnd}` });
}

/** A read past the end of a body: where, and how many bytes. */
export interface ReadPast {
  readonly at: number;
  readonly n: number;
}

/** Walks the body (inflated when it is compressed) and records where tshark would read past it. */
function walkBody(c: Cursor, walk: (d: Uint8Array, from: number, end: number) => ReadPast | undefined, start: number, end: number): void {
  if (c.ctx['encoded'] !== true) {
    const past = walk(c.data, start, end);
    if (past !== undefined) readPast(c, 'body', past.at, past.n);
    return;
  }
  const decode = c.ctx['decoded'];
  const body = typeof decode === 'function' ? (decode as () => Uint8Array | undefined)() : undefined;
  if (body === undefined) return;
  const past = walk(body, 0, body.length);
  // The inflated body is a buffer of its own: a read past it is a read past the body.
  if (past !== undefined) c.addIssue({ kind: 'malformed', severity: 'error', offset: end, fieldKey: undefined, message: `inflated body: ${past.n} bytes needed at offset ${past.at}, packet ends at ${body.length}` });
}

/** The Info text tshark shows for most bodies: the message's, then the media type in parentheses. */
export const withType = (http: string, type: string): string => `${http}  (${type})`;

export function defineBodyProtocol(p: {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly fields?: FieldTable;
  readonly read?: (c: Cursor, end: number) => string | undefined;
  /**
   * Walks the body's structure in `d[from, end)` the way tshark's dissector reads it; returns
   * where it would read past the end (offset and length), or undefined. A compressed body is
   * walked as inflated.
   */
  readonly walk?: (d: Uint8Array, from: number, end: number) => ReadPast | undefined;
  /**
   * The packet list's columns when the body is the top layer: tshark keeps HTTP's (`HTTP`,
   * the message's Info) and appends what the body dissector adds. `read` is what `read` returned.
   */
  readonly column?: { readonly name?: string; readonly info: (http: string, type: string, read: string | undefined) => string };
}): ProtocolDef {
  return defineProtocol({
    id: p.id,
    name: p.name,
    short: p.short,
    fields: p.fields ?? {},
    dissect(c): DissectResult {
      const start = c.pos;
      const end = c.capEnd;
      let summary: string | undefined;
      if (p.read !== undefined && c.ctx['encoded'] !== true) summary = p.read(c, end);
      if (p.walk !== undefined) walkBody(c, p.walk, start, end);
      if (c.pos < end) c.skip(end - c.pos);
      const length = end - start;
      const mediaType = c.ctx['mediaType'];
      const column = p.column;
      const carrier = c.ctx['carrierInfo'];
      if (column === undefined || typeof carrier !== 'function') return { summary, info: { length, mediaType } };
      const type = typeof mediaType === 'string' ? baseType(mediaType) : '';
      const read = summary;
      return { name: column.name ?? 'HTTP', summary: () => column.info((carrier as () => string)(), type, read), info: { length, mediaType } };
    },
  });
}
