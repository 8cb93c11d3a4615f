import type { ProtocolDef } from '../protocol.js';
import { megaco } from './megaco.js';

/**
 * Telecom signalling, industrial and discovery protocols, and the link layers that carry them,
 * in the order they are registered.
 */
export const telecomProtocols: readonly ProtocolDef[] = [megaco];
