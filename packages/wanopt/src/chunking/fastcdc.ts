import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { appendOffset, type ContentDefinedChunker, type FastCdcScanParameters } from './chunker';
import { ChunkingOptionsError } from './errors';
import { fastCdcWasmKernel, type FastCdcWasmKernel } from './fastcdc-wasm';
import { scanFastCdc } from './scan';

/** Options of {@link FastCdcChunker}; every size is in bytes. */
export interface FastCdcOptions {
  /** Target average chunk size, a power of two from 64 to 2^26. Default 4096. */
  readonly averageSize?: number;
  /** Minimum chunk size (except the last), at least 16 and below `averageSize`. Default `averageSize / 4`. */
  readonly minimumSize?: number;
  /** Maximum chunk size, above `averageSize`, at most 2^30. Default `averageSize * 8`. */
  readonly maximumSize?: number;
  /**
   * Normalization level (FastCDC section 3.3): the small mask has `log2(averageSize) + level` bits and the large one
   * `log2(averageSize) - level`. 0 disables normalized chunking. Default 2, as the paper recommends.
   */
  readonly normalizationLevel?: number;
  /**
   * The key the gear table is derived from (see {@link deriveGearTable}). A secret key keeps chunk boundaries, and so
   * chunk sizes seen on the wire, from revealing content. Default {@link DEFAULT_GEAR_KEY}.
   */
  readonly key?: Uint8Array;
  /**
   * The scan loop: `wasm` (WebAssembly, the default where it is available) or `js`. Both give identical boundaries;
   * `wasm` falls back to `js` where WebAssembly is missing.
   */
  readonly kernel?: 'wasm' | 'js';
}

/** The documented default gear key: the UTF-8 bytes of `patronus-wanopt-fastcdc-gear-v1`. */
export const DEFAULT_GEAR_KEY: Uint8Array = new TextEncoder().encode('patronus-wanopt-fastcdc-gear-v1');

/** The gear-hash window: a 32-bit gear hash shifts one bit per byte, so it covers the last 32 bytes. */
export const GEAR_WINDOW_BYTES = 32;

/**
 * Derives the 256-entry gear table from a key: entry `j` is the big-endian 32-bit word at bytes `4(j mod 8)` of
 * HMAC-SHA256(key, "gear" || byte(floor(j / 8))), i.e. 32 HMAC blocks of 8 words each. Keyed, so the table (and so
 * where boundaries fall) cannot be predicted without the key.
 *
 * @example
 * const gear = deriveGearTable(new TextEncoder().encode('my secret'));
 */
export function deriveGearTable(key: Uint8Array): Int32Array {
  const table = new Int32Array(256);
  const message = new Uint8Array([0x67, 0x65, 0x61, 0x72, 0]); // "gear" || block
  for (let block = 0; block < 32; block++) {
    message[4] = block;
    const digest = hmac(sha256, key, message);
    const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
    for (let word = 0; word < 8; word++) table[block * 8 + word] = view.getInt32(word * 4, false);
  }
  return table;
}

let defaultGearTable: Int32Array | undefined;

function gearTableFor(key: Uint8Array | undefined): Int32Array {
  if (key === undefined) return (defaultGearTable ??= deriveGearTable(DEFAULT_GEAR_KEY));
  return deriveGearTable(key);
}

/** A mask selecting the top `bits` bits of a 32-bit word, as a signed 32-bit number. */
function topBitsMask(bits: number): number {
  return bits >= 32 ? -1 : ~((1 << (32 - bits)) - 1) | 0;
}

function checkInteger(option: string, value: number, low: number, high: number): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new ChunkingOptionsError(option, `must be an integer from ${low} to ${high}, got ${value}`);
  }
}

/**
 * FastCDC content-defined chunking: gear rolling hash, cut-point skipping below the minimum size and normalized
 * chunking with two masks (Xia et al. 2016/2020), with a keyed gear table.
 *
 * @example
 * const chunker = new FastCdcChunker({ averageSize: 4096 });
 * const ends = chunker.split(data); // exclusive end offset of each chunk
 */
export class FastCdcChunker implements ContentDefinedChunker {
  readonly algorithm = 'fastcdc' as const;
  readonly minimumSize: number;
  readonly averageSize: number;
  readonly maximumSize: number;
  /** Normalization level in use. */
  readonly normalizationLevel: number;
  /** The gear table in use (256 signed 32-bit entries). */
  readonly gear: Int32Array;
  /** Mask applied while the chunk is shorter than the average (top `log2(average) + level` bits). */
  readonly maskSmall: number;
  /** Mask applied once the chunk reaches the average (top `log2(average) - level` bits). */
  readonly maskLarge: number;
  /** The scan loop in use: `wasm` or `js`. */
  readonly kernel: 'wasm' | 'js';
  private readonly hashStart: number;
  private readonly state: Int32Array = new Int32Array(2);
  private readonly wasm: FastCdcWasmKernel | undefined;

  constructor(options: FastCdcOptions = {}) {
    const averageSize = options.averageSize ?? 4096;
    checkInteger('averageSize', averageSize, 64, 1 << 26);
    if ((averageSize & (averageSize - 1)) !== 0) {
      throw new ChunkingOptionsError('averageSize', `must be a power of two, got ${averageSize}`);
    }
    const minimumSize = options.minimumSize ?? averageSize / 4;
    checkInteger('minimumSize', minimumSize, 16, averageSize - 1);
    const maximumSize = options.maximumSize ?? averageSize * 8;
    checkInteger('maximumSize', maximumSize, averageSize + 1, 1 << 30);
    const level = options.normalizationLevel ?? 2;
    const bits = Math.log2(averageSize);
    checkInteger('normalizationLevel', level, 0, Math.min(bits - 1, 32 - bits));
    this.averageSize = averageSize;
    this.minimumSize = minimumSize;
    this.maximumSize = maximumSize;
    this.normalizationLevel = level;
    this.gear = gearTableFor(options.key);
    this.maskSmall = topBitsMask(bits + level);
    this.maskLarge = topBitsMask(bits - level);
    this.hashStart = Math.max(0, minimumSize - GEAR_WINDOW_BYTES);
    this.wasm = options.kernel === 'js' ? undefined : fastCdcWasmKernel();
    this.kernel = this.wasm === undefined ? 'js' : 'wasm';
  }

  get pendingLength(): number {
    return this.state[1]!;
  }

  push(data: Uint8Array): number[] {
    if (this.wasm !== undefined) return this.wasm.scan(data, this.scanParameters(), this.state);
    const ends: number[] = [];
    const length = data.length;
    let start = 0;
    while (start < length) {
      const cut = scanFastCdc(
        data,
        start,
        length,
        this.gear,
        this.state,
        this.hashStart,
        this.minimumSize,
        this.averageSize,
        this.maximumSize,
        this.maskSmall,
        this.maskLarge,
      );
      if (cut < 0) break;
      ends.push(cut);
      start = cut;
    }
    return ends;
  }

  finish(): number {
    const pending = this.state[1]!;
    this.reset();
    return pending;
  }

  scanParameters(): FastCdcScanParameters {
    return {
      algorithm: 'fastcdc',
      gear: this.gear,
      hashStart: this.hashStart,
      minimum: this.minimumSize,
      normal: this.averageSize,
      maximum: this.maximumSize,
      maskSmall: this.maskSmall,
      maskLarge: this.maskLarge,
    };
  }

  reset(): void {
    this.state[0] = 0;
    this.state[1] = 0;
  }

  split(data: Uint8Array): Uint32Array {
    this.reset();
    if (this.wasm !== undefined) {
      const found = this.wasm.scan(data, this.scanParameters(), this.state);
      if (this.state[1]! > 0) found.push(data.length);
      this.reset();
      return Uint32Array.from(found);
    }
    const length = data.length;
    let ends: Uint32Array = new Uint32Array(Math.min(1 << 16, Math.ceil(length / this.averageSize) * 2 + 1));
    let count = 0;
    let start = 0;
    while (start < length) {
      let cut = scanFastCdc(
        data,
        start,
        length,
        this.gear,
        this.state,
        this.hashStart,
        this.minimumSize,
        this.averageSize,
        this.maximumSize,
        this.maskSmall,
        this.maskLarge,
      );
      if (cut < 0) cut = length;
      ends = appendOffset(ends, count++, cut);
      start = cut;
    }
    this.reset();
    return ends.subarray(0, count);
  }
}
