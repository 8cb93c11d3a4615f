/**
 * QUIC packet protection (RFC 9001, QUIC v2 RFC 9369): key derivation from TLS 1.3 secrets,
 * header protection removal, packet number recovery and AEAD decryption, with `node:crypto`.
 * Pure functions over bytes: the QUIC dissector decides which secret applies to a packet.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;

const SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex');
const SALT_D29 = Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex');

/** The salt Initial secrets are extracted with; undefined for versions whose Initials we cannot read. */
export function initialSalt(version: number): Buffer | undefined {
  if (version === QUIC_V1) return SALT_V1;
  if (version === QUIC_V2) return SALT_V2;
  if (version >= 0xff00001d && version <= 0xff000020) return SALT_D29;
  return undefined;
}

export type HashName = 'sha256' | 'sha384';

/** A TLS 1.3 cipher suite as QUIC uses it: the hash of its key schedule, its AEAD, its header protection. */
export interface CipherSuite {
  readonly id: number;
  readonly name: string;
  readonly hash: HashName;
  readonly hashLength: number;
  readonly keyLength: number;
  readonly aead: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  readonly hp: 'aes-128-ecb' | 'aes-256-ecb' | 'chacha20';
}

const AES_128_GCM: CipherSuite = { id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', hash: 'sha256', hashLength: 32, keyLength: 16, aead: 'aes-128-gcm', hp: 'aes-128-ecb' };
const AES_256_GCM: CipherSuite = { id: 0x1302, name: 'TLS_AES_256_GCM_SHA384', hash: 'sha384', hashLength: 48, keyLength: 32, aead: 'aes-256-gcm', hp: 'aes-256-ecb' };
const CHACHA20: CipherSuite = { id: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', hash: 'sha256', hashLength: 32, keyLength: 32, aead: 'chacha20-poly1305', hp: 'chacha20' };

/** The suites QUIC can use (TLS_AES_128_CCM_SHA256 is not supported here). */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map([AES_128_GCM, AES_256_GCM, CHACHA20].map((s) => [s.id, s]));

export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Buffer {
  return createHmac(hash, salt).update(ikm).digest();
}

/** HKDF-Expand-Label of TLS 1.3 (RFC 8446 section 7.1) with an empty context. */
export function hkdfExpandLabel(hash: HashName, secret: Uint8Array, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  const blocks: Buffer[] = [];
  let prev: Buffer = Buffer.alloc(0);
  let have = 0;
  for (let i = 1; have < length; i++) {
    prev = createHmac(hash, secret).update(prev).update(info).update(Buffer.from([i])).digest();
    blocks.push(prev);
    have += prev.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** The client's and the server's Initial secrets, from the client's first Destination Connection ID. */
export function initialSecrets(version: number, dcid: Uint8Array): { client: Buffer; server: Buffer } | undefined {
  const salt = initialSalt(version);
  if (salt === undefined) return undefined;
  const initial = hkdfExtract('sha256', salt, dcid);
  return { client: hkdfExpandLabel('sha256', initial, 'client in', 32), server: hkdfExpandLabel('sha256', initial, 'server in', 32) };
}

/** What protects the packets of one direction at one encryption level. */
export interface PacketKeys {
  readonly suite: CipherSuite;
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly hp: Buffer;
}

/** Packet protection keys from a traffic secret ("quic key/iv/hp"; v2: "quicv2 key/iv/hp"). */
export function packetKeys(suite: CipherSuite, secret: Uint8Array, version: number): PacketKeys {
  const p = version === QUIC_V2 ? 'quicv2' : 'quic';
  return {
    suite,
    key: hkdfExpandLabel(suite.hash, secret, `${p} key`, suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, `${p} iv`, 12),
    hp: hkdfExpandLabel(suite.hash, secret, `${p} hp`, suite.keyLength),
  };
}

/** Initial packet keys of one side (always AES-128-GCM with SHA-256). */
export function initialKeys(version: number, dcid: Uint8Array, side: 'client' | 'server'): PacketKeys | undefined {
  const s = initialSecrets(version, dcid);
  return s === undefined ? undefined : packetKeys(AES_128_GCM, s[side], version);
}

/** The 1-RTT secret after a key update ("quic ku"; v2: "quicv2 ku"). */
export function nextTrafficSecret(suite: CipherSuite, secret: Uint8Array, version: number): Buffer {
  return hkdfExpandLabel(suite.hash, secret, version === QUIC_V2 ? 'quicv2 ku' : 'quic ku', suite.hashLength);
}

/** The five header protection mask bytes for a 16-byte ciphertext sample. */
export function headerMask(keys: PacketKeys, sample: Uint8Array): Buffer {
  if (keys.suite.hp === 'chacha20') {
    // ChaCha20 with the sample as counter (first 4 bytes, little-endian) and nonce (the other 12).
    return createCipheriv('chacha20', keys.hp, sample).update(Buffer.alloc(5));
  }
  return createCipheriv(keys.suite.hp, keys.hp, null).update(sample).subarray(0, 5);
}

/** The full packet number from its truncated encoding (RFC 9000 appendix A.3). */
export function decodePacketNumber(largest: number, truncated: number, pnLength: number): number {
  const expected = largest + 1;
  const win = 2 ** (pnLength * 8);
  const half = win / 2;
  const candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - half && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + half && candidate >= win) return candidate - win;
  return candidate;
}

/** A packet whose header protection is removed. */
export interface UnprotectedHeader {
  /** The first byte without its mask. */
  readonly first: number;
  readonly pnLength: number;
  /** The packet number as sent (truncated). */
  readonly truncatedPn: number;
  /** The header as authenticated: first byte and packet number unmasked. */
  readonly header: Buffer;
}

/**
 * Removes header protection from the packet starting at `start` whose packet number starts
 * at `pnOffset`; the packet (with its 16-byte tag) ends at `end`. Undefined when the packet
 * is too short to hold a sample.
 */
export function removeHeaderProtection(d: Uint8Array, start: number, pnOffset: number, end: number, keys: PacketKeys): UnprotectedHeader | undefined {
  if (pnOffset + 4 + 16 > end) return undefined;
  const mask = headerMask(keys, d.subarray(pnOffset + 4, pnOffset + 20));
  const long = (d[start]! & 0x80) !== 0;
  const first = d[start]! ^ (mask[0]! & (long ? 0x0f : 0x1f));
  const pnLength = (first & 3) + 1;
  const header = Buffer.from(d.subarray(start, pnOffset + pnLength));
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLength; i++) {
    const b = d[pnOffset + i]! ^ mask[1 + i]!;
    header[pnOffset - start + i] = b;
    pn = pn * 256 + b;
  }
  return { first, pnLength, truncatedPn: pn, header };
}

/** Decrypts and authenticates a payload (ciphertext followed by its 16-byte tag); undefined if it fails. */
export function openPayload(keys: PacketKeys, pn: number, header: Uint8Array, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < 16) return undefined;
  const nonce = Buffer.from(keys.iv);
  let rest = pn;
  for (let i = 0; i < 8 && rest > 0; i++) {
    nonce[11 - i]! ^= rest % 256;
    rest = Math.floor(rest / 256);
  }
  try {
    const body = sealed.subarray(0, sealed.length - 16);
    const tag = sealed.subarray(sealed.length - 16);
    if (keys.suite.aead === 'chacha20-poly1305') {
      const cipher = createDecipheriv('chacha20-poly1305', keys.key, nonce, { authTagLength: 16 });
      cipher.setAAD(header, { plaintextLength: body.length });
      cipher.setAuthTag(tag);
      return Buffer.concat([cipher.update(body), cipher.final()]);
    }
    const cipher = createDecipheriv(keys.suite.aead, keys.key, nonce);
    cipher.setAAD(header);
    cipher.setAuthTag(tag);
    return Buffer.concat([cipher.update(body), cipher.final()]);
  } catch {
    return undefined;
  }
}
