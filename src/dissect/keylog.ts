/**
 * TLS secrets in the NSS key log format (what SSLKEYLOGFILE and pcapng Decryption Secrets
 * Blocks of type "TLSK" hold): one `LABEL CLIENT_RANDOM SECRET` line per secret, both values
 * in hex, `#` lines are comments. Protocols look a secret up by label and the ClientHello's
 * client random (TLS 1.3 and QUIC: CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_TRAFFIC_SECRET_0, ...).
 *
 * One store serves one capture: the lines of a user's key log file, plus the capture's own
 * Decryption Secrets Blocks, read as the reader meets them.
 */
import { type DecryptionSecrets, SECRETS_TYPE } from '../capture/secrets.js';

/** Most secrets one store keeps (a key log line is about 200 bytes; later lines are ignored). */
export const MAX_KEYLOG_ENTRIES = 200_000;

const LINE = /^([A-Z0-9_]{1,64})\s+([0-9a-fA-F]{64})\s+([0-9a-fA-F]{2,256})\s*$/;
const latin1 = new TextDecoder('latin1');

export class KeyLog {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly fallback: KeyLog | undefined;
  private readonly blocks: readonly DecryptionSecrets[] | undefined;
  private blocksRead = 0;

  /**
   * `fallback`: another store consulted when this one has no answer (the user's key log file);
   * `blocks`: a capture's Decryption Secrets Blocks, a list that grows while the capture is read.
   */
  constructor(options: { readonly fallback?: KeyLog | undefined; readonly blocks?: readonly DecryptionSecrets[] | undefined } = {}) {
    this.fallback = options.fallback;
    this.blocks = options.blocks;
  }

  /** A store holding the lines of `text`. */
  static fromText(text: string): KeyLog {
    const k = new KeyLog();
    k.addText(text);
    return k;
  }

  /** Adds the key log lines of `text`; returns how many were accepted (others are ignored). */
  addText(text: string): number {
    let n = 0;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const m = LINE.exec(line);
      if (m === null || m[3]!.length % 2 !== 0) continue;
      if (this.entries.size >= MAX_KEYLOG_ENTRIES) break;
      this.entries.set(`${m[1]} ${m[2]!.toLowerCase()}`, Uint8Array.from(Buffer.from(m[3]!, 'hex')));
      n++;
    }
    return n;
  }

  /** Reads the capture's secrets blocks that arrived since the last look. */
  private sync(): void {
    const b = this.blocks;
    if (b === undefined) return;
    while (this.blocksRead < b.length) {
      const s = b[this.blocksRead++]!;
      if (s.type === SECRETS_TYPE.TLS_KEY_LOG) this.addText(latin1.decode(s.data));
    }
  }

  /** Number of secrets known (zero: nothing can be decrypted, protocols skip all key work). */
  get size(): number {
    this.sync();
    return this.entries.size + (this.fallback?.size ?? 0);
  }

  /** The secret logged under `label` for the session whose ClientHello had `clientRandom`. */
  secret(label: string, clientRandom: Uint8Array): Uint8Array | undefined {
    this.sync();
    const key = `${label} ${Buffer.from(clientRandom.buffer, clientRandom.byteOffset, clientRandom.byteLength).toString('hex')}`;
    return this.entries.get(key) ?? this.fallback?.secret(label, clientRandom);
  }
}
