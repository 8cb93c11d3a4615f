import { defineBodyProtocol, withType } from './media-body.js';

/** A body of a media type no dissector is registered for (tshark's `media`). */
export const media = defineBodyProtocol({
  id: 'media',
  name: 'Media Type',
  short: 'Media',
  column: { info: withType },
  fields: { 'media.type': { label: 'Media type', type: 'string' } },
  read(c) {
    const type = c.ctx['mediaType'];
    if (typeof type === 'string') c.add('media.type', type, c.pos, 0);
    return undefined;
  },
});
