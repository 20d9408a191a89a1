import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { MrtDecompressorMissingError, MrtError } from './errors';

/**
 * Where MRT bytes come from: a file path or `file:` URL, a whole buffer, a Node readable stream, a WHATWG
 * `ReadableStream`, or any (async) iterable of byte chunks.
 */
export type MrtSource =
  | string
  | URL
  | Uint8Array
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/**
 * How the input is compressed: `auto` looks at the magic bytes (gzip `1f 8b`, bzip2 `BZh1`-`BZh9`), the others
 * force a choice.
 */
export type MrtCompression = 'auto' | 'none' | 'gzip' | 'bzip2';

/** A chunk stream with counters the progress display reads. */
export interface ByteCounter {
  /** Bytes taken from the source so far (compressed bytes for compressed input). */
  sourceBytes: number;
}

const GZIP_CHUNK_SIZE = 256 * 1024;

/** Turns any {@link MrtSource} into an async iterable of raw (possibly compressed) chunks. */
export function sourceChunks(source: MrtSource, counter: ByteCounter): AsyncIterable<Uint8Array> {
  const counted = async function* (chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    for await (const chunk of chunks) {
      const bytes = toBytes(chunk);
      counter.sourceBytes += bytes.length;
      yield bytes;
    }
  };
  if (typeof source === 'string' || source instanceof URL) {
    const path = source instanceof URL ? fileURLToPath(source) : source;
    return counted(fileChunks(path));
  }
  if (source instanceof Uint8Array) return counted([source]);
  if (isWebStream(source)) return counted(webStreamChunks(source));
  if (isAsyncIterable(source)) return counted(source as AsyncIterable<Uint8Array>);
  if (isIterable(source)) return counted(source);
  throw new MrtError('ERR_BGP_MRT_SOURCE', 'an MRT source must be a path, URL, buffer, stream or iterable of chunks');
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'EIO';
    throw new MrtError('ERR_BGP_MRT_UNREADABLE', `cannot read ${path}: ${code}`, -1, { cause: error });
  } finally {
    stream.destroy();
  }
}

async function* webStreamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Detects the compression from the first bytes and returns the decompressed chunks. gzip uses `node:zlib`
 * (multi-member files included); bzip2 runs the system `bzip2 -dc` (no npm dependency), and its absence is a
 * {@link MrtDecompressorMissingError}. A gzip stream that ends early yields what it held and then reports through
 * `onTruncated`.
 */
export async function* decompressedChunks(
  chunks: AsyncIterable<Uint8Array>,
  compression: MrtCompression,
  onTruncated: (message: string) => void,
): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let exhausted = false;
  while (headLength < 4) {
    const next = await iterator.next();
    if (next.done === true) {
      exhausted = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    yield* head;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  };
  const first = concatenate(head);
  const kind =
    compression !== 'auto'
      ? compression
      : first[0] === 0x1f && first[1] === 0x8b
        ? 'gzip'
        : first[0] === 0x42 && first[1] === 0x5a && first[2] === 0x68 && first[3]! >= 0x31 && first[3]! <= 0x39
          ? 'bzip2'
          : 'none';
  if (kind === 'none') {
    yield* rest();
    return;
  }
  if (kind === 'gzip') {
    const gunzip = createGunzip({ chunkSize: GZIP_CHUNK_SIZE });
    const input = Readable.from(rest(), { objectMode: false });
    input.on('error', (error) => gunzip.destroy(error));
    input.pipe(gunzip);
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'Z_BUF_ERROR' || (error instanceof Error && /unexpected end of file/i.test(error.message))) {
        onTruncated('gzip stream ends early (truncated file)');
        return;
      }
      if (error instanceof MrtError) throw error;
      throw new MrtError('ERR_BGP_MRT_DECOMPRESSION', `gzip: ${(error as Error).message}`, -1, { cause: error });
    } finally {
      input.destroy();
      gunzip.destroy();
    }
    return;
  }
  yield* bunzip(rest());
}

async function* bunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new MrtDecompressorMissingError(
        'bzip2 input needs the bzip2 program (Debian: apt-get install bzip2); decompress it first or install it',
      );
    }
    throw new MrtError('ERR_BGP_MRT_DECOMPRESSION', `bzip2: ${(error as Error).message}`, -1, { cause: error });
  }
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => {
    if (stderr.length < 4096) stderr += data.toString();
  });
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      resolve(code);
    });
  });
  const state = { closed: false };
  void exit.then(() => {
    state.closed = true;
  });
  child.stdin.on('error', () => {
    // EPIPE when bzip2 stops early: its exit status says why
  });
  const feeder = (async () => {
    try {
      for await (const chunk of input) {
        if (state.closed) break;
        if (!child.stdin.write(chunk)) {
          await new Promise((resolve) => {
            child.stdin.once('drain', resolve);
            child.once('close', resolve);
          });
        }
      }
    } finally {
      child.stdin.end();
    }
  })();
  // The failure is rethrown where the feeder is awaited below; this only marks it handled meanwhile.
  feeder.catch(() => undefined);
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
  } finally {
    if (!state.closed) child.kill();
  }
  await feeder;
  const code = await exit;
  if (code !== 0) {
    throw new MrtError('ERR_BGP_MRT_DECOMPRESSION', `bzip2 -dc exited with ${String(code)}: ${stderr.trim()}`);
  }
}

/** Concatenates chunks into one buffer (one copy). */
export function concatenate(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let position = 0;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new MrtError('ERR_BGP_MRT_SOURCE', 'MRT source chunks must be Uint8Array');
}

function isWebStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as { getReader?: unknown }).getReader === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function isIterable(value: unknown): value is Iterable<Uint8Array> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}
