import { fstatSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureDamageError, CaptureError, CaptureFormatError } from './errors.js';
import type { CaptureDamage, CaptureFormat, CaptureInterface, CaptureSection, Frame } from './frame.js';
import { PcapParser, type PcapHeader } from './pcap.js';
import type { RecordStream } from './record-stream.js';
import { SnoopParser } from './snoop.js';
import { Decompress } from 'fzstd';
import { PcapngParser } from './pcapng.js';
import type { DecryptionSecrets } from './secrets.js';
import { sniff } from './sniff.js';

export interface OpenCaptureOptions {
  /** Read size in bytes (default 1 MiB). */
  readonly chunkSize?: number;
  /** Stream read when the path is `-` (default: process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * An open capture. Iterate it (frame by frame) or call `batches()` (one array per read chunk,
 * the faster way for whole-capture passes). Once iteration ends, `damage` tells whether the
 * file was read to its end or stopped at a broken record; every frame before it was delivered.
 */
export interface CaptureReader extends AsyncIterable<Frame> {
  /** The path as given (`-` for standard input). */
  readonly path: string;
  /** What messages call it: the path, or `<stdin>`. */
  readonly name: string;
  readonly format: CaptureFormat;
  readonly compression: 'gzip' | 'zstd' | undefined;
  readonly byteOrder: 'little' | 'big';
  /** pcap header version, or the first pcapng section's. */
  readonly version: string;
  /** The classic pcap file header (undefined for pcapng). */
  readonly pcapHeader: PcapHeader | undefined;
  /** Interfaces seen so far (pcap: the file header's one; pcapng: every IDB, in file order). */
  readonly interfaces: readonly CaptureInterface[];
  readonly sections: readonly CaptureSection[];
  /** pcapng blocks seen so far, by type name (SHB, IDB, EPB, SPB, PB, NRB, ISB, DSB, CB, DCB, other). */
  readonly blockCounts: ReadonlyMap<string, number>;
  readonly damage: CaptureDamage | undefined;
  /** pcapng Decryption Secrets Blocks read so far, in file order (grows while reading; pcap: none). */
  readonly secrets: readonly DecryptionSecrets[];
  batches(): AsyncGenerator<readonly Frame[], void, undefined>;
  /** Stops reading and releases the file (iteration does this itself when it ends). */
  close(): Promise<void>;
}

const HEAD_BYTES = 64;
// 512 KiB: as fast as 1 MiB here, and keeps peak memory well under 100 MB (see docs/decisions.md).
const DEFAULT_CHUNK = 512 * 1024;

type ChunkSource = AsyncIterator<Buffer>;

/**
 * Reads a file in chunks with the next two reads already under way while the current chunk is
 * parsed, so parsing never waits for the disk. With one read ahead, the main thread still
 * waited for about 4% of a `stats conv` run on bench-1m (its profile's idle time): a read
 * runs on a thread of libuv's pool, which on two busy cores does not always get one in time;
 * with two, 1%. Every chunk is a fresh buffer: frames keep views of it.
 */
async function* readAhead(fh: FileHandle, chunkSize: number): AsyncGenerator<Buffer> {
  let position = 0;
  const start = (): Promise<{ bytesRead: number; buffer: Buffer }> => {
    const p = fh.read(Buffer.allocUnsafeSlow(chunkSize), 0, chunkSize, position);
    position += chunkSize;
    return p;
  };
  let next = start();
  let after = start();
  try {
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      next = after;
      after = start();
      yield bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    // Reads still under way when the reader stops early must not surface as unhandled errors.
    next.catch(() => undefined);
    after.catch(() => undefined);
  }
}

/**
 * Files of up to this many chunks are read with blocking reads (4 MiB with the default chunk).
 * Reading such a file whole takes less time than the waits for a thread of libuv's pool on busy
 * cores that reading ahead costs, and a batch worker reads hundreds of them one after the other:
 * `batch` on 200 small captures took 13% less time (docs/decisions.md §10).
 */
const SMALL_FILE_CHUNKS = 8;

/** Reads the open file `fd` in chunks with blocking reads, each chunk a fresh buffer (frames keep views of it). */
async function* readBlocking(fd: number, chunkSize: number): AsyncGenerator<Buffer> {
  let position = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafeSlow(chunkSize);
    const n = readSync(fd, buffer, 0, chunkSize, position);
    if (n === 0) return;
    position += n;
    yield n === chunkSize ? buffer : buffer.subarray(0, n);
  }
}

/** Reads chunks until at least `want` bytes are in hand or the stream ends. */
async function readHead(src: ChunkSource, want: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < want) {
    const r = await src.next();
    if (r.done === true) break;
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    parts.push(chunk);
    have += chunk.length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

async function* prepend(head: Buffer, rest: ChunkSource): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (;;) {
    const r = await rest.next();
    if (r.done === true) return;
    yield r.value;
  }
}

function describeOsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err.message ?? String(e);
  }
}

/**
 * Opens a capture file (or standard input for `-`), recognising its format from its first
 * bytes: pcap (µs, ns, modified; either byte order), pcapng, and gzip around either.
 * Throws `CaptureError` when the file cannot be read as a capture at all.
 */
export async function openCapture(path: string, options: OpenCaptureOptions = {}): Promise<CaptureReader> {
  const name = path === '-' ? '<stdin>' : path;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const streams: { destroy(): void }[] = [];
  let closeFile = async (): Promise<void> => {};

  let input: AsyncIterable<Buffer>;
  if (path === '-') {
    input = (options.stdin ?? process.stdin) as AsyncIterable<Buffer>;
  } else {
    let fh;
    // Chunk size for blocking reads (0: read ahead instead).
    let blockingChunk = 0;
    try {
      fh = await open(path, 'r');
      const st = fstatSync(fh.fd);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (st.isFile() && st.size <= SMALL_FILE_CHUNKS * chunkSize) blockingChunk = Math.min(chunkSize, Math.max(st.size, 64 * 1024));
    } catch (e) {
      await fh?.close();
      throw new CaptureError(name, `cannot open: ${describeOsError(e)}`);
    }
    // A small file's chunks are no larger than the file (at least 64 KiB, in case it grows).
    const chunksOfFile = blockingChunk > 0 ? readBlocking(fh.fd, blockingChunk) : readAhead(fh, chunkSize);
    input = chunksOfFile;
    const handle = fh;
    closeFile = async () => {
      await chunksOfFile.return(undefined);
      await handle.close().catch(() => undefined);
    };
  }
  const release = async (): Promise<void> => {
    for (const s of streams) s.destroy();
    await closeFile();
  };

  let chunks: ChunkSource = input[Symbol.asyncIterator]();
  let compression: 'gzip' | 'zstd' | undefined;
  let head: Buffer;
  let kind: ReturnType<typeof sniff>;
  try {
    head = await readHead(chunks, HEAD_BYTES);
    kind = sniff(head);
    if (kind.kind === 'gzip' || kind.kind === 'zstd') {
      compression = kind.kind;
      if (kind.kind === 'gzip') {
        const gunzip = createGunzip({ chunkSize: Math.min(chunkSize, 1 << 20) });
        const compressed = Readable.from(prepend(head, chunks), { objectMode: false });
        compressed.on('error', (e) => gunzip.destroy(e));
        compressed.pipe(gunzip);
        streams.push(compressed, gunzip);
        chunks = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      } else {
        const window = zstdWindow(head);
        if (window !== undefined && window > ZSTD_MAX_WINDOW) {
          await release();
          throw new CaptureError(name, `zstd data needs a ${Math.ceil(window / 2 ** 20)} MiB window, more than the ${ZSTD_MAX_WINDOW / 2 ** 20} MiB zstd itself decodes by default (decompress it first: zstd -d --long=31)`, 0);
        }
        chunks = unzstd(prepend(head, chunks));
      }
      head = await readHead(chunks, HEAD_BYTES);
      const inner = sniff(head);
      if (inner.kind === 'gzip' || inner.kind === 'zstd') {
        kind = { kind: 'other' as const, looksLike: `${inner.kind} inside ${compression} (decompress it once first)` };
      } else if (inner.kind === 'other') {
        kind = { kind: 'other' as const, looksLike: `${compression}-compressed ${inner.looksLike}` };
      } else {
        kind = inner;
      }
    }
  } catch (e) {
    await release();
    if (compression !== undefined) throw new CaptureError(name, `${compression} data is corrupt: ${(e as Error).message}`, 0);
    throw new CaptureError(name, `cannot read: ${describeOsError(e)}`);
  }
  if (kind.kind === 'other') {
    await release();
    throw new CaptureError(name, `not a capture I can read: looks like ${kind.looksLike}`);
  }
  const container = containerFor(kind.kind);
  const parser = container.parser;
  const source = prepend(head, chunks);
  let damage: CaptureDamage | undefined;
  let pending: Frame[] = [];
  let finished = false;

  const onParseError = (e: unknown): void => {
    if (e instanceof CaptureDamageError) {
      damage = { message: e.reason, offset: e.offset, frame: e.frame };
    } else if (e instanceof CaptureFormatError) {
      throw new CaptureError(name, e.reason, e.offset);
    } else {
      throw e;
    }
  };
  const streamError = (e: unknown): CaptureDamage | CaptureError => {
    if (compression !== undefined && !(e as NodeJS.ErrnoException).syscall) {
      return { message: `${compression} data is cut short or corrupt: ${(e as Error).message}`, offset: -1, frame: 0 };
    }
    return new CaptureError(name, `read failed: ${describeOsError(e)}`);
  };

  /** Feeds chunks until the parser knows the file's header (so format facts are known at open). */
  const headerKnown = (): boolean => container.headerKnown();
  try {
    while (!headerKnown() && damage === undefined) {
      const r = await source.next();
      if (r.done === true) {
        try {
          parser.finish();
        } catch (e) {
          onParseError(e);
        }
        finished = true;
        break;
      }
      try {
        parser.push(r.value, pending);
      } catch (e) {
        onParseError(e);
      }
    }
  } catch (e) {
    await release();
    if (e instanceof CaptureError) throw e;
    const err = streamError(e);
    if (err instanceof CaptureError) throw err;
    damage = err;
  }
  if (!headerKnown()) {
    await release();
    throw new CaptureError(name, damage?.message ?? 'file header cut short', damage?.offset ?? 0);
  }

  async function* batches(): AsyncGenerator<readonly Frame[], void, undefined> {
    try {
      if (pending.length > 0) {
        const first = pending;
        pending = [];
        yield first;
      }
      if (damage !== undefined || finished) return;
      for (;;) {
        let r: IteratorResult<Buffer>;
        try {
          r = await source.next();
        } catch (e) {
          const err = streamError(e);
          if (err instanceof CaptureError) throw err;
          damage = { ...err, offset: parser.consumed(), frame: parser.delivered() + 1 };
          try {
            parser.finish();
          } catch {
            // the stream error says it all
          }
          return;
        }
        if (r.done === true) break;
        const out: Frame[] = [];
        try {
          parser.push(r.value, out);
        } catch (e) {
          onParseError(e);
        }
        if (out.length > 0) yield out;
        if (damage !== undefined) return;
      }
      try {
        parser.finish();
      } catch (e) {
        onParseError(e);
      }
    } finally {
      finished = true;
      await release();
    }
  }

  const reader: CaptureReader = {
    path,
    name,
    format: container.format(),
    compression,
    byteOrder: container.byteOrder(),
    version: container.version(),
    pcapHeader: container.pcapHeader(),
    interfaces: container.interfaces(),
    get sections() {
      return container.sections();
    },
    get blockCounts() {
      return container.blockCounts();
    },
    get damage() {
      return damage;
    },
    secrets: container.secrets,
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
    close: release,
  };
  return reader;
}

/** What the reader needs to know of a container format, whatever its parser. */
interface Container {
  readonly parser: RecordStream;
  headerKnown(): boolean;
  format(): CaptureFormat;
  byteOrder(): 'little' | 'big';
  version(): string;
  pcapHeader(): PcapHeader | undefined;
  /** A stable array: pcapng parsers add interfaces to it as they read. */
  interfaces(): readonly CaptureInterface[];
  sections(): readonly CaptureSection[];
  blockCounts(): ReadonlyMap<string, number>;
  /** A stable array: pcapng parsers add Decryption Secrets Blocks to it as they read. */
  readonly secrets: readonly DecryptionSecrets[];
}

const NO_BLOCKS: ReadonlyMap<string, number> = new Map();
const NO_SECRETS: readonly DecryptionSecrets[] = Object.freeze([]);

function singleSection(byteOrder: 'little' | 'big', version: string): readonly CaptureSection[] {
  return [{ index: 0, byteOrder, version, hardware: undefined, os: undefined, application: undefined, comments: [] }];
}

function containerFor(kind: 'pcap' | 'pcapng' | 'snoop'): Container {
  if (kind === 'pcap') {
    const p = new PcapParser();
    let ifaces: CaptureInterface[] | undefined;
    return {
      parser: p,
      headerKnown: () => p.header !== undefined,
      format: () => p.header!.format,
      byteOrder: () => p.header!.byteOrder,
      version: () => `${p.header!.versionMajor}.${p.header!.versionMinor}`,
      pcapHeader: () => p.header,
      interfaces: () => (ifaces ??= [p.iface!]),
      sections: () => singleSection(p.header!.byteOrder, `${p.header!.versionMajor}.${p.header!.versionMinor}`),
      blockCounts: () => NO_BLOCKS,
      secrets: NO_SECRETS,
    };
  }
  if (kind === 'snoop') {
    const p = new SnoopParser();
    let ifaces: CaptureInterface[] | undefined;
    return {
      parser: p,
      headerKnown: () => p.iface !== undefined,
      format: () => 'snoop',
      byteOrder: () => 'big',
      version: () => String(p.version),
      pcapHeader: () => undefined,
      interfaces: () => (ifaces ??= [p.iface!]),
      sections: () => singleSection('big', String(p.version)),
      blockCounts: () => NO_BLOCKS,
      secrets: NO_SECRETS,
    };
  }
  const p = new PcapngParser();
  return {
    parser: p,
    headerKnown: () => p.sections.length > 0,
    format: () => 'pcapng',
    byteOrder: () => p.sections[0]!.byteOrder,
    version: () => p.sections[0]!.version,
    pcapHeader: () => undefined,
    interfaces: () => p.interfaces,
    sections: () => p.sections,
    blockCounts: () => p.blockCounts,
    secrets: p.secrets,
  };
}

/**
 * The largest zstd window read: the reference decoder's default limit (2^27, larger windows need
 * `--long`). The decoder moves its whole window after every block, so a frame header announcing
 * a window of a gigabyte made a 43-byte file take seconds per block.
 */
const ZSTD_MAX_WINDOW = 2 ** 27;

/** The window size the first zstd frame announces (RFC 8878 §3.1.1.1), when the header is in `head`. */
export function zstdWindow(head: Uint8Array): number | undefined {
  if (head.length < 6) return undefined;
  const fhd = head[4]!;
  if ((fhd & 0x20) === 0) {
    const wd = head[5]!;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  // A single segment: the window is the content size, after the dictionary id.
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const sizeBytes = [1, 2, 4, 8][fhd >> 6]!;
  const at = 5 + dictBytes;
  if (head.length < at + sizeBytes) return undefined;
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + head[at + i]!;
  return sizeBytes === 2 ? size + 256 : size;
}

/** Decompresses a zstd stream chunk by chunk (Node 20 has no zstd of its own). */
async function* unzstd(input: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  // Output chunks are copied: the decoder may reuse its buffers, and frames keep views.
  const d = new Decompress((chunk) => {
    out.push(Buffer.from(chunk));
  });
  for (;;) {
    const r = await input.next();
    if (r.done === true) {
      d.push(new Uint8Array(0), true);
      yield* out.splice(0);
      return;
    }
    d.push(r.value);
    if (out.length > 0) yield* out.splice(0);
  }
}
