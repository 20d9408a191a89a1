import { DedupFormatError, DedupOptionsError } from './errors';
import { FrameCompression } from './wire';

/** How DATA frames are compressed: not at all, raw deflate, or brotli (both from `node:zlib`). */
export type DedupCompression = 'none' | 'deflate' | 'brotli';

interface ZlibSubset {
  deflateRawSync(data: Uint8Array, options: { level: number }): Uint8Array;
  inflateRawSync(data: Uint8Array, options: { maxOutputLength: number }): Uint8Array;
  brotliCompressSync(data: Uint8Array, options: { params: Record<number, number> }): Uint8Array;
  brotliDecompressSync(data: Uint8Array, options: { maxOutputLength: number }): Uint8Array;
  constants: { BROTLI_PARAM_QUALITY: number; BROTLI_PARAM_SIZE_HINT: number };
}

let zlibModule: ZlibSubset | null | undefined;

/** `node:zlib`, loaded on first use without a static import (so browser bundles load), or undefined. */
function zlib(): ZlibSubset | undefined {
  if (zlibModule === undefined) {
    const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
      ?.getBuiltinModule;
    zlibModule =
      typeof getBuiltinModule === 'function'
        ? ((getBuiltinModule('node:zlib') as ZlibSubset | undefined) ?? null)
        : null;
  }
  return zlibModule ?? undefined;
}

/** The wire code of a compression choice. */
export function compressionCode(compression: DedupCompression): number {
  return FrameCompression[compression];
}

/** Throws unless the compression can run here (`node:zlib` is needed for deflate and brotli). */
export function checkCompressionAvailable(compression: DedupCompression): void {
  if (compression !== 'none' && zlib() === undefined) {
    throw new DedupOptionsError('compression', `${compression} needs node:zlib, which this runtime lacks`);
  }
}

/** Compresses a frame's record section; `level` is the zlib level (deflate 0-9) or the brotli quality (0-11). */
export function compressRecords(records: Uint8Array, compression: DedupCompression, level: number): Uint8Array {
  const library = zlib()!;
  if (compression === 'deflate') return library.deflateRawSync(records, { level });
  return library.brotliCompressSync(records, {
    params: {
      [library.constants.BROTLI_PARAM_QUALITY]: level,
      [library.constants.BROTLI_PARAM_SIZE_HINT]: records.length,
    },
  });
}

/**
 * Decompresses a frame's record section to exactly `rawLength` bytes; zlib stops at `rawLength + 1` bytes, so a
 * decompression bomb costs no more memory than the frame declared.
 */
export function decompressRecords(compressed: Uint8Array, code: number, rawLength: number, offset: number): Uint8Array {
  const library = zlib();
  if (library === undefined) {
    throw new DedupFormatError('compression', offset, `frame compressed with method ${code}, but node:zlib is absent`);
  }
  let records: Uint8Array;
  try {
    records =
      code === FrameCompression.deflate
        ? library.inflateRawSync(compressed, { maxOutputLength: rawLength + 1 })
        : library.brotliDecompressSync(compressed, { maxOutputLength: rawLength + 1 });
  } catch (error) {
    throw new DedupFormatError('records', offset, `cannot decompress: ${(error as Error).message}`);
  }
  if (records.length !== rawLength) {
    throw new DedupFormatError('raw length', offset, `declared ${rawLength} bytes, decompressed to ${records.length}`);
  }
  return records;
}
