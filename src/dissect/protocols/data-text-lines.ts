import { defineBodyProtocol, withType } from './media-body.js';

/** A textual body (text/html, text/plain, text/css, scripts): lines of text, no fields. */
export const dataTextLines = defineBodyProtocol({
  id: 'data-text-lines',
  name: 'Line-based text data',
  short: 'Line-based text data',
  column: { info: withType },
});
