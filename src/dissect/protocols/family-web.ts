import type { ProtocolDef } from '../protocol.js';
import { http } from './http.js';
import { quic } from './quic.js';
import { ssh } from './ssh.js';
import { tls } from './tls.js';

/** Protocols of this family, in the order they are registered. */
export const webProtocols: readonly ProtocolDef[] = [http, tls, quic, ssh];
