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

/** The Info text tshark shows for most bodies: the message's, then the media type in parentheses. */
export const withType = (http: string, type: string): string => `${http}  (${type})`;

export function defineBodyProtocol(p: {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly fields?: FieldTable;
  readonly read?: (c: Cursor, end: number) => string | undefined;
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
