export { compress, type CompressOptions, decompress, type DecompressOptions } from './buffer';
export { ChunkStore, type ChunkStoreStatistics, chunkKey, DEFAULT_STORE_CAPACITY_BYTES } from './chunk-store';
export { type DedupCompression } from './compression';
export { DedupDecoder, type DedupDecodeResult, type DedupDecoderOptions, type DedupDecoderStatistics } from './decoder';
export { DedupEncoder, type DedupEncoderOptions, type DedupEncoderStatistics } from './encoder';
export {
  DedupFormatError,
  DedupIntegrityError,
  DedupMissingChunkError,
  DedupOptionsError,
  DedupProtocolError,
} from './errors';
export { DEDUP_WIRE_VERSION } from './wire';
export { ingest, type IngestResult, ParallelIngest, type ParallelIngestOptions } from './ingest';
export {
  createDedupDecoderStream,
  createDedupDecoderTransformStream,
  createDedupEncoderStream,
  createDedupEncoderTransformStream,
  type DedupDecoderStreamOptions,
  type DedupEncoderNodeStream,
  type DedupEncoderStreamOptions,
  type DedupEncoderTransformStream,
} from './streams';
