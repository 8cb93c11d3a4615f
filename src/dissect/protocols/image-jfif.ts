import { defineBodyProtocol } from './media-body.js';

/** A JPEG body: the start-of-image marker is recorded. */
export const imageJfif = defineBodyProtocol({
  id: 'image-jfif',
  name: 'JPEG File Interchange Format',
  short: 'JFIF (JPEG) image',
  column: { info: (http) => `${http}  (JPEG JFIF image)` },
  fields: { 'image-jfif.marker': { label: 'Marker', type: 'u16', base: 'hex', values: { 0xffd8: 'Start of Image' } } },
  read(c, end) {
    if (end - c.pos >= 2 && c.peek16() === 0xffd8) c.u16('image-jfif.marker');
    return undefined;
  },
});
