import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/** What the layer that hands bytes to `text` puts in the context: the reader of the item. */
export type TextReader = (c: Cursor) => { summary: string; name?: string | undefined };

/**
 * A top-level text item: a subtree Wireshark adds to the packet's tree outside any protocol
 * (shown as `text` in its protocol hierarchy), such as RTP's RFC 2198 redundant audio data.
 * The layer that dispatches here passes the reader in its context (`ctx.text`); without one the
 * bytes are taken as they are.
 */
export const text = defineProtocol({
  id: 'text',
  name: 'Text item',
  short: 'Text',
  fields: {},
  dissect(c) {
    const read = c.ctx['text'];
    if (typeof read === 'function') {
      const r = (read as TextReader)(c);
      return { summary: r.summary, name: r.name };
    }
    if (c.pos < c.capEnd) c.seek(c.capEnd);
    return { summary: '' };
  },
});
