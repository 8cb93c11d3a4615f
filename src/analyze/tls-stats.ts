/**
 * TLS handshake statistics: ClientHello and ServerHello counts, server names (SNI), versions
 * offered (the supported_versions list, else the hello's version) and chosen (ServerHello's
 * supported_versions, else its version), ALPN protocols offered and chosen, cipher suites offered
 * (how many ClientHellos list each) and chosen. GREASE values (RFC 8701) are counted under one
 * `GREASE` key. Reads the `tls` layer's info (QUIC's handshake is not counted here). Keys are
 * capped at `maxKeys` distinct values per count.
 */
import type { DissectedPacket } from '../dissect/tree.js';
import { DEFAULT_MAX_KEYS, KeyCounts } from './key-counts.js';

const isGrease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);

export function tlsVersionName(v: number): string {
  if (isGrease(v)) return 'GREASE';
  const known: Readonly<Record<number, string>> = { 0x0002: 'SSL 2.0', 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
  if (known[v] !== undefined) return known[v];
  if (v >> 8 === 0x7f) return `TLS 1.3 draft ${v & 0xff}`;
  return `0x${v.toString(16).padStart(4, '0')}`;
}

/** IANA names of the cipher suites seen most; others as their hex code. */
const SUITES: Readonly<Record<number, string>> = {
  0x0004: 'TLS_RSA_WITH_RC4_128_MD5', 0x0005: 'TLS_RSA_WITH_RC4_128_SHA', 0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA', 0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256', 0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256', 0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384', 0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV',
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc011: 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
};

export const cipherSuiteName = (v: number): string => (isGrease(v) ? 'GREASE' : (SUITES[v] ?? `0x${v.toString(16).padStart(4, '0')}`));

export interface TlsReport {
  /** Packets with a TLS layer. */
  readonly packets: number;
  readonly clientHellos: number;
  readonly serverHellos: number;
  readonly sni: KeyCounts;
  readonly versionsOffered: KeyCounts;
  readonly versionsChosen: KeyCounts;
  readonly alpnOffered: KeyCounts;
  readonly alpnChosen: KeyCounts;
  readonly ciphersOffered: KeyCounts;
  readonly ciphersChosen: KeyCounts;
}

export class TlsStatsBuilder {
  private packets = 0;
  private clientHellos = 0;
  private serverHellos = 0;
  private readonly sni: KeyCounts;
  private readonly versionsOffered = new KeyCounts(256);
  private readonly versionsChosen = new KeyCounts(256);
  private readonly alpnOffered: KeyCounts;
  private readonly alpnChosen: KeyCounts;
  private readonly ciphersOffered = new KeyCounts(1024);
  private readonly ciphersChosen = new KeyCounts(1024);

  constructor(maxKeys: number = DEFAULT_MAX_KEYS) {
    this.sni = new KeyCounts(maxKeys);
    this.alpnOffered = new KeyCounts(maxKeys);
    this.alpnChosen = new KeyCounts(maxKeys);
  }

  add(p: DissectedPacket): void {
    for (const l of p.layers) {
      if (l.protocol !== 'tls' || l.inError) continue;
      this.packets++;
      const info = l.info;
      const alpn = info['alpn'] as readonly string[] | undefined;
      if (info['clientHello'] === true) {
        this.clientHellos++;
        if (typeof info['sni'] === 'string') this.sni.add(info['sni']);
        const offered = info['offeredVersions'] as readonly number[] | undefined;
        const versions = offered !== undefined && offered.length > 0 ? offered : typeof info['helloVersion'] === 'number' ? [info['helloVersion']] : [];
        for (const k of new Set(versions.map(tlsVersionName))) this.versionsOffered.add(k);
        for (const k of new Set((info['offeredCiphers'] as readonly number[] | undefined)?.map(cipherSuiteName) ?? [])) this.ciphersOffered.add(k);
        for (const a of new Set(alpn ?? [])) this.alpnOffered.add(a);
      } else if (info['serverHello'] === true) {
        this.serverHellos++;
        const v = typeof info['selectedVersion'] === 'number' ? info['selectedVersion'] : info['helloVersion'];
        if (typeof v === 'number') this.versionsChosen.add(tlsVersionName(v));
        if (typeof info['cipher'] === 'number') this.ciphersChosen.add(cipherSuiteName(info['cipher']));
        if (alpn !== undefined && alpn.length > 0) this.alpnChosen.add(alpn[0]!);
      }
      break; // the first TLS layer of a packet
    }
  }

  finish(): TlsReport {
    const { packets, clientHellos, serverHellos, sni, versionsOffered, versionsChosen, alpnOffered, alpnChosen, ciphersOffered, ciphersChosen } = this;
    return { packets, clientHellos, serverHellos, sni, versionsOffered, versionsChosen, alpnOffered, alpnChosen, ciphersOffered, ciphersChosen };
  }
}
