export {
  type ContentDefinedChunker,
  type FastCdcScanParameters,
  type RabinScanParameters,
  type ScanParameters,
} from './chunker';
export { ChunkingOptionsError } from './errors';
export { DEFAULT_GEAR_KEY, deriveGearTable, FastCdcChunker, type FastCdcOptions, GEAR_WINDOW_BYTES } from './fastcdc';
export {
  computeRabinTables,
  DEFAULT_RABIN_POLYNOMIAL,
  isIrreduciblePolynomial,
  RabinChunker,
  type RabinOptions,
  type RabinTables,
} from './rabin';
export { scanFastCdc, scanRabin } from './scan';
