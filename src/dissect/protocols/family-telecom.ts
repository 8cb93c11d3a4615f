import type { ProtocolDef } from '../protocol.js';
import { bacapp } from './bacapp.js';
import { bacnet } from './bacnet.js';
import { bvlc } from './bvlc.js';
import { gquic } from './gquic.js';
import { isup } from './isup.js';
import { lisp, lispData } from './lisp.js';
import { megaco } from './megaco.js';
import { mndp } from './mndp.js';
import { mtp2 } from './mtp2.js';
import { mtp3 } from './mtp3.js';
import { sap } from './sap.js';
import { wpan } from './wpan.js';
import { zbeeAps } from './zbee-aps.js';
import { zbeeBeacon, zbeeNwk } from './zbee-nwk.js';

/**
 * Telecom signalling, industrial and discovery protocols, and the link layers that carry them,
 * in the order they are registered.
 */
export const telecomProtocols: readonly ProtocolDef[] = [megaco, lisp, lispData, mndp, bvlc, bacnet, bacapp, sap, gquic, mtp2, mtp3, isup, wpan, zbeeNwk, zbeeBeacon, zbeeAps];
