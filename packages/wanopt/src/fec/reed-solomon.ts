/**
 * Systematic Reed-Solomon erasure coding over GF(2^8) (polynomial 0x11D), compatible byte for byte with the
 * reed-solomon-erasure crate, Backblaze JavaReedSolomon and klauspost/reedsolomon.
 *
 * Matrix construction: take the (k + m)×k Vandermonde matrix V(r, c) = r^c over GF(2^8) (0^0 = 1) and multiply it on
 * the right by the inverse of its top k×k square: E = V · V_top⁻¹. The top of E is the identity, so the first k
 * shards are the data itself (systematic), and the bottom m rows are the parity coefficients. Any k rows of V are
 * linearly independent (a Vandermonde matrix with distinct evaluation points 0 .. k + m - 1), and multiplying by an
 * invertible matrix keeps that, so any k rows of E are invertible: any k of the k + m shards recover the data. The
 * evaluation points must be distinct field elements, hence k + m ≤ 256.
 *
 * Decoding inverts the k×k submatrix of E made of the first k surviving rows; the rows of that inverse for the missing
 * data shards are the coefficients that rebuild them from the survivors. Inverses are cached per erasure pattern.
 */
import {
  type GaloisKernel,
  type GaloisKernelKind,
  type GaloisKernelPreference,
  createGaloisKernel,
} from '../gf/kernel';
import { type GaloisMatrix, invertMatrix, multiplyMatrices, selectRows, vandermondeMatrix } from '../gf/matrix';
import { FecParameterError, FecShardError, FecTooFewShardsError } from './errors';

/** The largest k + m: the Vandermonde construction needs k + m distinct elements of GF(2^8). */
export const MAX_TOTAL_SHARDS: number = 256;

/** Options of a {@link ReedSolomon} codec. */
export interface ReedSolomonOptions {
  /** k, the number of data shards (1 .. 255). */
  readonly dataShards: number;
  /** m, the number of parity shards (1 .. 256 - k). */
  readonly parityShards: number;
  /** The GF(2^8) kernel: `auto` (WebAssembly SIMD when available), one kind in particular, or an instance. */
  readonly kernel?: GaloisKernelPreference | GaloisKernel;
  /** How many erasure patterns' decoding matrices to keep (least recently used are dropped). Default 256. */
  readonly decodeCacheSize?: number;
}

/** The encoding matrix E = V · V_top⁻¹ ((k + m)×k) of the construction above. */
export function buildEncodingMatrix(dataShards: number, parityShards: number): GaloisMatrix {
  const total = dataShards + parityShards;
  const vandermonde = vandermondeMatrix(total, dataShards);
  const top = selectRows(
    vandermonde,
    Array.from({ length: dataShards }, (_, index) => index),
  );
  return multiplyMatrices(vandermonde, invertMatrix(top));
}

function checkCount(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FecParameterError(field, `must be an integer in ${min} .. ${max}, got ${String(value)}`);
  }
}

/**
 * A Reed-Solomon erasure codec for k data and m parity shards of equal length.
 *
 * @example
 * const codec = new ReedSolomon({ dataShards: 4, parityShards: 2 });
 * const data = [1, 2, 3, 4].map((value) => new Uint8Array(1024).fill(value));
 * const parity = codec.encode(data);
 * const shards: (Uint8Array | undefined)[] = [...data, ...parity];
 * shards[0] = undefined; // any 2 of the 6 may be lost
 * shards[3] = undefined;
 * codec.reconstruct(shards); // shards[0] and shards[3] are rebuilt, byte for byte
 */
export class ReedSolomon {
  /** k, the number of data shards. */
  readonly dataShards: number;
  /** m, the number of parity shards. */
  readonly parityShards: number;
  /** k + m. */
  readonly totalShards: number;
  /** The (k + m)×k encoding matrix; its top k rows are the identity. */
  readonly encodingMatrix: GaloisMatrix;
  private readonly kernel: GaloisKernel;
  private readonly parityCoefficients: Uint8Array;
  private readonly decodeCache = new Map<number | string, Uint8Array>();
  private readonly decodeCacheSize: number;
  private lastKey: number | string = -0.5;
  private lastMatrix: Uint8Array | undefined = undefined;
  // Scratch lists reused by every call so that reconstruct allocates nothing per call but missing shards.
  private readonly sourceScratch: Uint8Array[] = [];
  private readonly targetScratch: Uint8Array[] = [];

  constructor(options: ReedSolomonOptions) {
    checkCount('dataShards', options.dataShards, 1, MAX_TOTAL_SHARDS - 1);
    checkCount('parityShards', options.parityShards, 1, MAX_TOTAL_SHARDS - options.dataShards);
    const cacheSize = options.decodeCacheSize ?? 256;
    checkCount('decodeCacheSize', cacheSize, 1, 1 << 20);
    this.dataShards = options.dataShards;
    this.parityShards = options.parityShards;
    this.totalShards = options.dataShards + options.parityShards;
    this.decodeCacheSize = cacheSize;
    this.encodingMatrix = buildEncodingMatrix(this.dataShards, this.parityShards);
    this.parityCoefficients = this.encodingMatrix.data.slice(this.dataShards * this.dataShards);
    const kernel = options.kernel ?? 'auto';
    this.kernel = typeof kernel === 'string' ? createGaloisKernel(kernel) : kernel;
  }

  /** Which GF(2^8) kernel this codec runs on. */
  get kernelKind(): GaloisKernelKind {
    return this.kernel.kind;
  }

  /**
   * Computes the m parity shards of k equal-length data shards. Writes into `parity` when given (m arrays of at least
   * the shard length), else allocates. Returns the parity shards.
   */
  encode(data: readonly Uint8Array[], parity?: readonly Uint8Array[]): Uint8Array[] {
    if (data.length !== this.dataShards) {
      throw new FecShardError(-1, `expected ${this.dataShards} data shards, got ${data.length}`);
    }
    const length = data[0]!.length;
    for (let index = 1; index < data.length; index++) {
      if (data[index]!.length !== length) {
        throw new FecShardError(index, `length ${data[index]!.length} differs from shard 0 (${length} bytes)`);
      }
    }
    let outputs: Uint8Array[];
    if (parity === undefined) {
      outputs = [];
      for (let index = 0; index < this.parityShards; index++) outputs.push(new Uint8Array(length));
    } else {
      if (parity.length !== this.parityShards) {
        throw new FecShardError(-1, `expected ${this.parityShards} parity shards, got ${parity.length}`);
      }
      for (let index = 0; index < parity.length; index++) {
        if (parity[index]!.length < length) {
          throw new FecShardError(
            this.dataShards + index,
            `parity buffer of ${parity[index]!.length} bytes < ${length}`,
          );
        }
      }
      outputs = parity as Uint8Array[];
    }
    this.kernel.multiply(this.parityCoefficients, data, outputs, length);
    return outputs;
  }

  /**
   * Rebuilds the missing shards of a stripe in place. `shards` has k + m entries in index order (data, then parity);
   * a missing one is `undefined`, or marked `false` in `present` (then its array is reused as the output buffer).
   * With `dataOnly`, missing parity shards are left alone. Throws {@link FecTooFewShardsError} when fewer than k are
   * present, {@link FecShardError} when lengths differ.
   */
  reconstruct(
    shards: (Uint8Array | undefined)[],
    options: { readonly present?: readonly boolean[]; readonly dataOnly?: boolean } = {},
  ): void {
    const k = this.dataShards;
    const total = this.totalShards;
    if (shards.length !== total) throw new FecShardError(-1, `expected ${total} shards, got ${shards.length}`);
    const present = options.present;
    if (present !== undefined && present.length !== total) {
      throw new FecShardError(-1, `expected ${total} presence flags, got ${present.length}`);
    }
    // Erasure patterns are keyed by the survivors used: a bit mask while it fits a small integer (no allocation per
    // call on the hot path), else a string of indices.
    const isSmall = total <= 30;
    let length = -1;
    let presentCount = 0;
    let smallKey = 0;
    let key = '';
    const sources = this.sourceScratch;
    sources.length = 0;
    for (let index = 0; index < total; index++) {
      const shard = shards[index];
      if (shard === undefined || present?.[index] === false) continue;
      if (length < 0) length = shard.length;
      else if (shard.length !== length) {
        throw new FecShardError(index, `length ${shard.length} differs from the other shards (${length} bytes)`);
      }
      presentCount++;
      if (sources.length < k) {
        sources.push(shard);
        if (isSmall) smallKey |= 1 << index;
        else key += String.fromCharCode(index);
      }
    }
    if (presentCount < k) {
      const missing: number[] = [];
      for (let index = 0; index < total; index++) {
        if (shards[index] === undefined || present?.[index] === false) missing.push(index);
      }
      throw new FecTooFewShardsError(presentCount, k, missing);
    }
    if (presentCount === total) return;
    // Data: rows of the inverse of the survivors' submatrix.
    const targets = this.targetScratch;
    targets.length = 0;
    for (let index = 0; index < k; index++) {
      if (shards[index] === undefined || present?.[index] === false)
        targets.push(this.outputBuffer(shards, index, length));
    }
    if (targets.length > 0) {
      this.kernel.multiply(
        this.decodingCoefficients(isSmall ? smallKey : key, shards, present),
        sources,
        targets,
        length,
      );
      // The data shards are complete now: put them in place so that parity reconstruction reads them.
      let target = 0;
      for (let index = 0; index < k; index++) {
        if (shards[index] === undefined || present?.[index] === false) shards[index] = targets[target++]!;
      }
    }
    if (options.dataOnly === true) return;
    targets.length = 0;
    let parityKey = '\u{ffff}';
    let smallParityKey = 0;
    for (let index = k; index < total; index++) {
      if (shards[index] === undefined || present?.[index] === false) {
        targets.push(this.outputBuffer(shards, index, length));
        if (isSmall) smallParityKey |= 1 << index;
        else parityKey += String.fromCharCode(index);
      }
    }
    if (targets.length === 0) return;
    sources.length = 0;
    for (let index = 0; index < k; index++) sources.push(shards[index]!);
    // Negative keys (and the U+FFFF marker) keep parity rows apart from decoding matrices in the one cache.
    this.kernel.multiply(this.parityRowsCoefficients(isSmall ? -smallParityKey : parityKey), sources, targets, length);
    let target = 0;
    for (let index = k; index < total; index++) {
      if (shards[index] === undefined || present?.[index] === false) shards[index] = targets[target++]!;
    }
  }

  /**
   * True when the parity shards match the data shards (recomputes parity; for checking storage, not the hot path).
   */
  verify(shards: readonly Uint8Array[]): boolean {
    if (shards.length !== this.totalShards) {
      throw new FecShardError(-1, `expected ${this.totalShards} shards, got ${shards.length}`);
    }
    const parity = this.encode(shards.slice(0, this.dataShards));
    for (let index = 0; index < this.parityShards; index++) {
      const expected = parity[index]!;
      const actual = shards[this.dataShards + index]!;
      if (actual.length !== expected.length) return false;
      for (let offset = 0; offset < expected.length; offset++) if (actual[offset] !== expected[offset]) return false;
    }
    return true;
  }

  private outputBuffer(shards: readonly (Uint8Array | undefined)[], index: number, length: number): Uint8Array {
    const existing = shards[index];
    return existing !== undefined && existing.length === length ? existing : new Uint8Array(length);
  }

  /** Decoding rows for the missing data shards, given the first k present shards, cached per erasure pattern. */
  private decodingCoefficients(
    key: number | string,
    shards: readonly (Uint8Array | undefined)[],
    present: readonly boolean[] | undefined,
  ): Uint8Array {
    const cached = this.cachedMatrix(key);
    if (cached !== undefined) return cached;
    const k = this.dataShards;
    const survivors: number[] = [];
    const missing: number[] = [];
    for (let index = 0; index < this.totalShards; index++) {
      const isPresent = shards[index] !== undefined && present?.[index] !== false;
      if (isPresent && survivors.length < k) survivors.push(index);
      if (!isPresent && index < k) missing.push(index);
    }
    const inverse = invertMatrix(selectRows(this.encodingMatrix, survivors));
    const coefficients = selectRows(inverse, missing).data;
    this.storeMatrix(key, coefficients);
    return coefficients;
  }

  /** Encoding rows for the listed parity shards (a negative bit mask, or a marker and indices), cached. */
  private parityRowsCoefficients(key: number | string): Uint8Array {
    const cached = this.cachedMatrix(key);
    if (cached !== undefined) return cached;
    const rows: number[] = [];
    if (typeof key === 'number') {
      for (let index = this.dataShards; index < this.totalShards; index++) if (-key & (1 << index)) rows.push(index);
    } else {
      for (let position = 1; position < key.length; position++) rows.push(key.charCodeAt(position));
    }
    const coefficients = selectRows(this.encodingMatrix, rows).data;
    this.storeMatrix(key, coefficients);
    return coefficients;
  }

  private cachedMatrix(key: number | string): Uint8Array | undefined {
    // Steady loss patterns repeat the same key: answer it without touching the map.
    if (key === this.lastKey) return this.lastMatrix;
    const cache = this.decodeCache;
    const hit = cache.get(key);
    if (hit !== undefined && cache.size > 1) {
      // Move to the most recently used end (Map keeps insertion order).
      cache.delete(key);
      cache.set(key, hit);
    }
    if (hit !== undefined) {
      this.lastKey = key;
      this.lastMatrix = hit;
    }
    return hit;
  }

  private storeMatrix(key: number | string, coefficients: Uint8Array): void {
    const cache = this.decodeCache;
    if (cache.size >= this.decodeCacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(key, coefficients);
    this.lastKey = key;
    this.lastMatrix = coefficients;
  }
}
