import type { ProtocolDef } from '../protocol.js';
import { arcnet, arcnetLinux } from './arcnet.js';
import { cdp } from './cdp.js';
import { chdlc, slarp } from './chdlc.js';
import { fddi } from './fddi.js';
import { fr, q933 } from './fr.js';
import { ipoib } from './ipoib.js';
import { nflog } from './nflog.js';
import { nullLoop, nullProto } from './null.js';
import { chap, ipcp, lcp, pap, ppp } from './ppp.js';
import { pppoed, pppoes } from './pppoe.js';
import { pktap } from './pktap.js';
import { ppi } from './ppi.js';
import { radiotap } from './radiotap.js';
import { raw } from './raw.js';
import { sll, sll2 } from './sll.js';
import { wlan, wlanExt, wlanMgt, wlanRadio } from './wlan.js';

/** Protocols of this family, in the order they are registered. */
export const linkProtocols: readonly ProtocolDef[] = [
  sll,
  sll2,
  nullProto,
  nullLoop,
  raw,
  ppp,
  lcp,
  ipcp,
  chap,
  pap,
  pppoed,
  pppoes,
  chdlc,
  slarp,
  cdp,
  ipoib,
  arcnet,
  arcnetLinux,
  fddi,
  nflog,
  pktap,
  radiotap,
  ppi,
  wlanRadio,
  wlan,
  wlanMgt,
  wlanExt,
  fr,
  q933,
];
