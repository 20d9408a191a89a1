/**
 * Forward error correction: systematic Reed-Solomon over GF(2^8) on a WebAssembly SIMD kernel (JavaScript fallback),
 * packet framing that recovers lost packets without retransmission, and adaptive redundancy.
 *
 * @example
 * import { FecDecoder, FecEncoder } from '@patronus/wanopt/fec';
 * const encoder = new FecEncoder({ dataShards: 10, parityShards: 1 });
 * const decoder = new FecDecoder();
 * const wire = [...Array(10).keys()].flatMap((n) => encoder.encode(new Uint8Array(100 + n).fill(n)));
 * wire.splice(3, 1); // lose data packet 3
 * const delivered = wire.flatMap((packet) => decoder.receive(packet).packets);
 * // delivered holds all 10 packets; packet 3 with `recovered: true`, at its original 103 bytes
 *
 * @packageDocumentation
 */
export { AdaptiveFec, type AdaptiveFecLevel, type AdaptiveFecOptions, DEFAULT_ADAPTIVE_FEC_LEVELS } from './adaptive';
export {
  type FecBlockReport,
  FecDecoder,
  type FecDecoderOptions,
  type FecDecoderStatistics,
  type FecDecodeResult,
  type FecDeliveredPacket,
} from './decoder';
export { FecEncoder, type FecEncoderOptions, type FecRedundancy } from './encoder';
export {
  FecPacketError,
  FecParameterError,
  FecShardError,
  FecTooFewShardsError,
  FecUnrecoverableBlockError,
} from './errors';
export {
  FEC_HEADER_BYTES,
  FEC_MAX_PACKET_BYTES,
  FEC_PACKET_VERSION,
  type FecPacketHeader,
  readFecHeader,
} from './packet';
export { MAX_TOTAL_SHARDS, ReedSolomon, type ReedSolomonOptions, buildEncodingMatrix } from './reed-solomon';
export {
  type GaloisKernel,
  type GaloisKernelKind,
  GaloisKernelMemoryError,
  type GaloisKernelPreference,
  GaloisKernelUnavailableError,
  JavaScriptKernel,
  WasmSimdKernel,
  createGaloisKernel,
  isWasmSimdSupported,
} from '../gf/kernel';
export { type GaloisMatrix, SingularMatrixError } from '../gf/matrix';
