import type { ProtocolDef } from '../protocol.js';
import { http } from './http.js';

/** Protocols of this family, in the order they are registered. */
export const webProtocols: readonly ProtocolDef[] = [http];
