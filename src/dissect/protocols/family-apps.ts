import type { ProtocolDef } from '../protocol.js';
import { dataTextLines } from './data-text-lines.js';
import { dbLspDisc } from './db-lsp-disc.js';
import { imageGif } from './image-gif.js';
import { imageJfif } from './image-jfif.js';
import { json } from './json.js';
import { media } from './media.js';
import { mimeMultipart } from './mime_multipart.js';
import { png } from './png.js';
import { urlencodedForm } from './urlencoded-form.js';
import { xml } from './xml.js';

/**
 * Application protocols of the second wave (discovery, tunnels' control channels, RPC,
 * routing, remote access), in the order they are registered.
 */
export const appProtocols: readonly ProtocolDef[] = [
  dbLspDisc,
  // HTTP bodies by media type
  dataTextLines,
  media,
  json,
  xml,
  imageGif,
  imageJfif,
  png,
  urlencodedForm,
  mimeMultipart,
];
