import type { ProtocolDef } from '../protocol.js';
import { babel } from './babel.js';
import { bjnp } from './bjnp.js';
import { can } from './can.js';
import { cflow } from './cflow.js';
import { dataTextLines } from './data-text-lines.js';
import { dbLspDisc } from './db-lsp-disc.js';
import { dbus } from './dbus.js';
import { dtp } from './dtp.js';
import { eapol } from './eapol.js';
import { etch } from './etch.js';
import { isakmp } from './isakmp.js';
import { imageGif } from './image-gif.js';
import { imageJfif } from './image-jfif.js';
import { json } from './json.js';
import { loop } from './loop.js';
import { media } from './media.js';
import { mimeMultipart } from './mime_multipart.js';
import { netlink } from './netlink.js';
import { netlinkRoute } from './netlink-route.js';
import { pfcp } from './pfcp.js';
import { png } from './png.js';
import { pptp } from './pptp.js';
import { rip } from './rip.js';
import { rsvp } from './rsvp.js';
import { rtsp } from './rtsp.js';
import { telnet } from './telnet.js';
import { userDlt } from './user_dlt.js';
import { urlencodedForm } from './urlencoded-form.js';
import { wg } from './wg.js';
import { xml } from './xml.js';

/**
 * Application protocols of the second wave (discovery, tunnels' control channels, RPC,
 * routing, remote access), in the order they are registered.
 */
export const appProtocols: readonly ProtocolDef[] = [
  dbLspDisc,
  pptp,
  wg,
  bjnp,
  rip,
  babel,
  eapol,
  isakmp,
  cflow,
  pfcp,
  telnet,
  rtsp,
  rsvp,
  loop,
  dtp,
  etch,
  // link types
  netlink,
  netlinkRoute,
  can,
  dbus,
  userDlt,
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
