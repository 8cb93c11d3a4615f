import type { Cursor } from '../cursor.js';
import type { FieldTable } from '../field-types.js';
import { defineProtocol, type DissectResult, type ProtocolDef } from '../protocol.js';

/**
 * Shared shape of the dissectors an HTTP body is handed to by its media type (tshark's
 * `media_type` table): each takes every byte of the body this packet holds. `read` records the
 * fields of the start of the body when it is not content-encoded (a compressed body is not
 * inflated here). `c.ctx.mediaType` is the Content-Type, `c.ctx.encoded` says the body is
 * compressed or chunked.
 */
export function defineBodyProtocol(p: {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly fields?: FieldTable;
  readonly read?: (c: Cursor, end: number) => string | undefined;
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
      return { summary, info: { length, mediaType: c.ctx['mediaType'] } };
    },
  });
}
