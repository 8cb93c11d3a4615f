/**
 * Decryption secrets carried by a capture (pcapng Decryption Secrets Blocks): the reader keeps
 * them, in file order, for the dissection to use; it does not interpret them.
 */

/** Secrets types of the pcapng Decryption Secrets Block. */
export const SECRETS_TYPE = {
  /** NSS key log text ("TLSK"): TLS and QUIC secrets by client random. */
  TLS_KEY_LOG: 0x544c534b,
  /** WireGuard key log ("WGKL"). */
  WIREGUARD_KEY_LOG: 0x57474b4c,
  /** ZigBee network keys ("ZNWK"). */
  ZIGBEE_NWK_KEY: 0x5a4e574b,
  /** ZigBee application-support keys ("ZAPK"). */
  ZIGBEE_APS_KEY: 0x5a415053,
} as const;

export interface DecryptionSecrets {
  /** The secrets type (`SECRETS_TYPE`). */
  readonly type: number;
  /** The secrets themselves (a copy: the block's buffer is not kept). */
  readonly data: Uint8Array;
  /** Byte offset of the block in the (decompressed) stream. */
  readonly offset: number;
}

/** Most secrets bytes one capture may carry in all (further blocks are ignored). */
export const MAX_SECRETS_BYTES = 16 * 1024 * 1024;
