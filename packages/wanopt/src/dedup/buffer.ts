import { type ContentDefinedChunker } from '../chunking/chunker';
import { type DedupCompression } from './compression';
import { DedupDecoder } from './decoder';
import { DedupEncoder } from './encoder';
import { DedupFormatError } from './errors';

/** Options of {@link compress}. */
export interface CompressOptions {
  /** The chunker, or the name of one with default options. Default `fastcdc`. */
  readonly chunker?: ContentDefinedChunker | 'fastcdc' | 'rabin';
  /** Frame compression after deduplication. Default `deflate`. */
  readonly compression?: DedupCompression;
  /** zlib level (deflate, default 6) or brotli quality (default 5). */
  readonly compressionLevel?: number;
  /** Chunk store capacity in bytes: repeats further apart than this are not found. Default 100 MB. */
  readonly capacityBytes?: number;
}

/** Options of {@link decompress}. */
export interface DecompressOptions {
  /** Refuse output larger than this many bytes (a bound for untrusted input). Default 2^31 - 1. */
  readonly maximumOutputBytes?: number;
  /** The largest chunk store to keep, in bytes. Default 1 GiB. */
  readonly maximumCapacityBytes?: number;
}

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/**
 * Deduplicates (and by default deflates) a whole buffer into a self-contained dedup stream: repeated chunks within
 * it are sent once. {@link decompress} restores it, checking every chunk's SHA-256.
 *
 * @example
 * const packed = compress(data);
 * const restored = decompress(packed); // byte-identical to data
 */
export function compress(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const encoder = new DedupEncoder({
    chunker: options.chunker ?? 'fastcdc',
    compression: options.compression ?? 'deflate',
    ...(options.compressionLevel === undefined ? {} : { compressionLevel: options.compressionLevel }),
    ...(options.capacityBytes === undefined ? {} : { capacityBytes: options.capacityBytes }),
    returnChannel: false,
  });
  return concatenate([...encoder.write(data), ...encoder.flush()]);
}

/**
 * Restores a buffer made by {@link compress}. Throws a {@link DedupFormatError} for malformed or truncated input and
 * a {@link DedupIntegrityError} when a chunk's bytes do not match its id.
 */
export function decompress(compressed: Uint8Array, options: DecompressOptions = {}): Uint8Array {
  const decoder = new DedupDecoder({
    returnChannel: false,
    ...(options.maximumCapacityBytes === undefined ? {} : { maximumCapacityBytes: options.maximumCapacityBytes }),
  });
  const limit = options.maximumOutputBytes ?? 2 ** 31 - 1;
  const { output } = decoder.receive(compressed);
  decoder.end();
  let total = 0;
  for (const part of output) total += part.length;
  if (total > limit)
    throw new DedupFormatError('output', 0, `output of ${total} bytes exceeds the ${limit}-byte limit`);
  return concatenate(output);
}
