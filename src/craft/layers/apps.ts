/** Application layers: HTTP/1.x request and response, TLS ClientHello, NTP. */
import { type BuildContext, concat, defineLayer, show } from '../layer.js';
import { ByteWriter, CraftValueError, toBytes } from '../values.js';

/** Extra header lines, as (name, value) pairs, written in order. */
export type HTTPHeaders = readonly (readonly [string, string])[];

const checkHeaders = (v: unknown): HTTPHeaders => {
  if (!Array.isArray(v) || !v.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')) {
    throw new CraftValueError(`takes a list of (name, value) pairs of strings, not ${show(v)}`);
  }
  for (const [name, value] of v as [string, string][]) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new CraftValueError(`"${name}" is not a header name`);
    if (/[\r\n]/.test(value)) throw new CraftValueError(`the value of header "${name}" holds a line break`);
  }
  return v as HTTPHeaders;
};

/** Header lines and the body; Content-Length added when the body is not empty (always when `always`). */
function httpMessage(b: BuildContext, startLine: string, extra: readonly (readonly [string, string])[], always: boolean): Uint8Array {
  const l = b.layer;
  const bodyBytes = concat(l.bytes('body'), b.payload);
  const headers = [...extra, ...(l.get('headers') as HTTPHeaders)];
  if ((always || bodyBytes.length > 0) && !headers.some(([n]) => n.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(bodyBytes.length)]);
  const text = `${startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return concat(toBytes(text), bodyBytes);
}

function nearestIPDst(below: readonly { name: string; str(f: string): string }[]): string | undefined {
  for (let i = below.length - 1; i >= 0; i--) {
    const l = below[i]!;
    if (l.name === 'IP') return l.str('dst');
    if (l.name === 'IPv6') return `[${l.str('dst')}]`;
  }
  return undefined;
}

export const HTTPRequest = defineLayer(
  'HTTPRequest',
  { method: { t: 'text' }, path: { t: 'text' }, version: { t: 'text' }, host: { t: 'text' }, headers: { t: 'custom', list: true, check: checkHeaders }, body: { t: 'bytes' } },
  {
    defaults: { method: 'GET', path: '/', version: 'HTTP/1.1', headers: [], body: '' },
    ports: () => [49152, 80],
    encode: (b) => {
      const l = b.layer;
      // Host defaults to the destination address below, as HTTP/1.1 requires a Host header.
      const host = l.has('host') ? l.str('host') : nearestIPDst(b.below);
      const extra: [string, string][] = host !== undefined && host !== '' ? [['Host', host]] : [];
      return httpMessage(b, `${l.str('method')} ${l.str('path')} ${l.str('version')}`, extra, false);
    },
  },
);

const REASONS: Readonly<Record<number, string>> = {
  100: 'Continue', 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export const HTTPResponse = defineLayer(
  'HTTPResponse',
  { version: { t: 'text' }, status: { t: 'uint', bits: 16 }, reason: { t: 'text' }, headers: { t: 'custom', list: true, check: checkHeaders }, body: { t: 'bytes' } },
  {
    defaults: { version: 'HTTP/1.1', status: 200, headers: [], body: '' },
    ports: () => [80, 49152],
    encode: (b) => {
      const l = b.layer;
      const status = l.num('status');
      const reason = l.has('reason') ? l.str('reason') : (REASONS[status] ?? 'Unknown');
      return httpMessage(b, `${l.str('version')} ${String(status).padStart(3, '0')} ${reason}`, [], true);
    },
  },
);

function u16List(what: string) {
  return (v: unknown): readonly number[] => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 0x10000)) throw new CraftValueError(`takes a list of 16-bit numbers, not ${show(v)}`);
    if (what === 'cipher suites' && v.length === 0) throw new CraftValueError('takes at least one cipher suite');
    return v as number[];
  };
}

/** Extensions given as they are: (type, bytes). */
export type TLSExtension = readonly [number, string | Uint8Array];

export const TLSClientHello = defineLayer(
  'TLSClientHello',
  {
    /** The record layer's version. */
    record_version: { t: 'uint', bits: 16 },
    /** The ClientHello's legacy_version. */
    version: { t: 'uint', bits: 16 },
    random: { t: 'bytes' },
    session_id: { t: 'bytes' },
    ciphers: { t: 'custom', list: true, check: u16List('cipher suites') },
    comp: { t: 'custom', list: true, check: (v: unknown): readonly number[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 256)) throw new CraftValueError(`takes a list of bytes, not ${show(v)}`);
      return v as number[];
    } },
    /** server_name extension (host name); none when empty. */
    sni: { t: 'text' },
    /** application_layer_protocol_negotiation extension; none when empty. */
    alpn: { t: 'custom', list: true, check: (v: unknown): readonly string[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0 && x.length < 256)) throw new CraftValueError(`takes a list of protocol names, not ${show(v)}`);
      return v as string[];
    } },
    /** supported_versions extension; none when empty. */
    supported_versions: { t: 'custom', list: true, check: u16List('versions') },
    /** supported_groups extension; none when empty. */
    groups: { t: 'custom', list: true, check: u16List('groups') },
    extensions: { t: 'custom', list: true, check: (v: unknown): readonly TLSExtension[] => {
      if (!Array.isArray(v) || !v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'number' && (typeof e[1] === 'string' || e[1] instanceof Uint8Array))) {
        throw new CraftValueError(`takes a list of (type, bytes) pairs, not ${show(v)}`);
      }
      return v as TLSExtension[];
    } },
  },
  {
    defaults: {
      record_version: 0x0301,
      version: 0x0303,
      random: new Uint8Array(32),
      session_id: '',
      ciphers: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f],
      comp: [0],
      sni: '',
      alpn: [],
      supported_versions: [0x0304, 0x0303],
      groups: [29, 23],
      extensions: [],
    },
    ports: () => [49152, 443],
    encode: ({ layer: l, payload }) => {
      const ext = new ByteWriter();
      const add = (type: number, data: Uint8Array): void => void ext.u16(type).u16(data.length).bytes(data);
      const sni = toBytes(l.str('sni'));
      if (sni.length > 0) add(0, new ByteWriter().u16(sni.length + 3).u8(0).u16(sni.length).bytes(sni).done());
      const groups = l.get('groups') as readonly number[];
      if (groups.length > 0) {
        const w = new ByteWriter().u16(groups.length * 2);
        for (const g of groups) w.u16(g);
        add(10, w.done());
      }
      const alpn = l.get('alpn') as readonly string[];
      if (alpn.length > 0) {
        const names = new ByteWriter();
        for (const a of alpn) names.u8(toBytes(a).length).bytes(toBytes(a));
        add(16, new ByteWriter().u16(names.length).bytes(names.done()).done());
      }
      const versions = l.get('supported_versions') as readonly number[];
      if (versions.length > 0) {
        const w = new ByteWriter().u8(versions.length * 2);
        for (const v of versions) w.u16(v);
        add(43, w.done());
      }
      for (const [type, data] of l.get('extensions') as readonly TLSExtension[]) add(type, toBytes(data));
      const random = l.bytes('random');
      if (random.length !== 32) throw new CraftValueError(`TLSClientHello.random takes 32 bytes, not ${random.length}`);
      const body = new ByteWriter().u16(l.num('version')).bytes(random);
      const sid = l.bytes('session_id');
      body.u8(sid.length).bytes(sid);
      const ciphers = l.get('ciphers') as readonly number[];
      body.u16(ciphers.length * 2);
      for (const c of ciphers) body.u16(c);
      const comp = l.get('comp') as readonly number[];
      body.u8(comp.length);
      for (const c of comp) body.u8(c);
      body.u16(ext.length).bytes(ext.done());
      const hs = new ByteWriter().u8(1).u24(body.length).bytes(body.done()).done();
      return concat(new ByteWriter().u8(22).u16(l.num('record_version')).u16(hs.length).bytes(hs).done(), payload);
    },
  },
);

export const NTP = defineLayer(
  'NTP',
  {
    leap: { t: 'uint', bits: 2 },
    version: { t: 'uint', bits: 3 },
    mode: { t: 'uint', bits: 3, names: { reserved: 0, symmetric_active: 1, symmetric_passive: 2, client: 3, server: 4, broadcast: 5, control: 6, private: 7 } },
    stratum: { t: 'uint', bits: 8 },
    poll: { t: 'uint', bits: 8 },
    precision: { t: 'uint', bits: 8 },
    /** Root delay and dispersion, raw 16.16 fixed point. */
    delay: { t: 'uint', bits: 32 },
    dispersion: { t: 'uint', bits: 32 },
    /** Reference id, raw. */
    id: { t: 'uint', bits: 32 },
    /** Timestamps in raw NTP format (seconds since 1900 << 32 | fraction). */
    ref: { t: 'u64' },
    orig: { t: 'u64' },
    recv: { t: 'u64' },
    sent: { t: 'u64' },
  },
  {
    defaults: { leap: 0, version: 4, mode: 'client', stratum: 0, poll: 0, precision: 0, delay: 0, dispersion: 0, id: 0, ref: 0n, orig: 0n, recv: 0n, sent: 0n },
    ports: () => [123, 123],
    encode: ({ layer: l, payload }) => {
      const w = new ByteWriter().u8((l.num('leap') << 6) | (l.num('version') << 3) | l.num('mode')).u8(l.num('stratum')).u8(l.num('poll')).u8(l.num('precision'));
      w.u32(l.num('delay')).u32(l.num('dispersion')).u32(l.num('id'));
      for (const k of ['ref', 'orig', 'recv', 'sent']) w.u64(l.big(k));
      return concat(w.done(), payload);
    },
  },
);
