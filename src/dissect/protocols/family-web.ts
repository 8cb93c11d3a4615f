import type { ProtocolDef } from '../protocol.js';

/** Protocols of this family, in the order they are registered. */
export const webProtocols: readonly ProtocolDef[] = [];
