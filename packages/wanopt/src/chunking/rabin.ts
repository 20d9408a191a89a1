import { appendOffset, type ContentDefinedChunker, type RabinScanParameters } from './chunker';
import { ChunkingOptionsError } from './errors';
import { rabinWasmKernel, type RabinWasmKernel } from './rabin-wasm';
import { scanRabin } from './scan';

/** Options of {@link RabinChunker}; every size is in bytes. */
export interface RabinOptions {
  /** Target average chunk size, from 64 to 2^26. Default 4096. */
  readonly averageSize?: number;
  /** Minimum chunk size (except the last), at least 16 and below `averageSize`. Default `averageSize / 4`. */
  readonly minimumSize?: number;
  /** Maximum chunk size, above `averageSize`, at most 2^30. Default `averageSize * 8`. */
  readonly maximumSize?: number;
  /** Sliding window over which the fingerprint is computed, 8 to 1024 bytes. Default 48 (as in LBFS). */
  readonly windowSize?: number;
  /**
   * The modulus: an irreducible polynomial over GF(2) of degree 40 to 63, bit i holding the coefficient of x^i.
   * Checked for irreducibility (Ben-Or). Default {@link DEFAULT_RABIN_POLYNOMIAL}.
   */
  readonly polynomial?: bigint;
  /**
   * The scan loop: `wasm` (WebAssembly, the default where it is available) or `js`. Both give identical boundaries;
   * `wasm` falls back to `js` where WebAssembly is missing.
   */
  readonly kernel?: 'wasm' | 'js';
}

/**
 * The default Rabin modulus, x^53 + x^52 + x^48 + ... + 1 (0x31ba1f40d2e5a9): an irreducible polynomial of degree 53,
 * the first irreducible one found among SHA-256("patronus rabin <n>") values (n = 35) masked to degree 53 with the
 * constant term set.
 */
export const DEFAULT_RABIN_POLYNOMIAL: bigint = 0x31ba1f40d2e5a9n;

/** Degree of a GF(2) polynomial held in a bigint (-1 for zero). */
function degree(polynomial: bigint): number {
  return polynomial === 0n ? -1 : polynomial.toString(2).length - 1;
}

/** `value mod modulus` over GF(2). */
export function polynomialMod(value: bigint, modulus: bigint): bigint {
  const modulusDegree = degree(modulus);
  let remainder = value;
  for (let remainderDegree = degree(remainder); remainderDegree >= modulusDegree; remainderDegree = degree(remainder)) {
    remainder ^= modulus << BigInt(remainderDegree - modulusDegree);
  }
  return remainder;
}

/** `(a * b) mod modulus` over GF(2); `a` must already be reduced. */
export function polynomialMultiplyMod(a: bigint, b: bigint, modulus: bigint): bigint {
  const modulusDegree = degree(modulus);
  const top = 1n << BigInt(modulusDegree);
  let product = 0n;
  let multiplicand = a;
  for (let multiplier = b; multiplier !== 0n; multiplier >>= 1n) {
    if ((multiplier & 1n) !== 0n) product ^= multiplicand;
    multiplicand <<= 1n;
    if ((multiplicand & top) !== 0n) multiplicand ^= modulus;
  }
  return product;
}

function polynomialGcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, polynomialMod(x, y)];
  return x;
}

/**
 * True when `polynomial` is irreducible over GF(2), by Ben-Or's test: P of degree d is irreducible iff
 * gcd(P, x^(2^i) - x) = 1 for every i from 1 to d/2.
 */
export function isIrreduciblePolynomial(polynomial: bigint): boolean {
  const polynomialDegree = degree(polynomial);
  if (polynomialDegree < 1) return false;
  let power = 2n; // x
  for (let i = 1; i <= polynomialDegree >> 1; i++) {
    power = polynomialMultiplyMod(power, power, polynomial); // x^(2^i)
    if (polynomialGcd(polynomial, power ^ 2n) !== 1n) return false;
  }
  return true;
}

/** The precomputed lookup tables of a Rabin fingerprint (each entry a 64-bit remainder split in 32-bit halves). */
export interface RabinTables {
  /** `(t * x^D) mod P` for the 8 bits `t` shifted past degree D: high halves. */
  readonly pushHigh: Int32Array;
  /** Low halves of the push table. */
  readonly pushLow: Int32Array;
  /** `(b * x^(8(w-1))) mod P`, the contribution of byte `b` leaving a window of w bytes: high halves. */
  readonly popHigh: Int32Array;
  /** Low halves of the pop table. */
  readonly popLow: Int32Array;
}

/** Computes the push and pop tables for modulus `polynomial` and a window of `windowSize` bytes. */
export function computeRabinTables(polynomial: bigint, windowSize: number): RabinTables {
  const polynomialDegree = degree(polynomial);
  const pushHigh = new Int32Array(256);
  const pushLow = new Int32Array(256);
  const popHigh = new Int32Array(256);
  const popLow = new Int32Array(256);
  let leaving = 1n; // x^(8(w-1)) mod P
  for (let step = 0; step < windowSize - 1; step++) leaving = polynomialMultiplyMod(leaving, 256n, polynomial);
  for (let byte = 0; byte < 256; byte++) {
    const push = polynomialMod(BigInt(byte) << BigInt(polynomialDegree), polynomial);
    pushHigh[byte] = Number(push >> 32n) | 0;
    pushLow[byte] = Number(push & 0xffffffffn) | 0;
    const pop = polynomialMultiplyMod(leaving, BigInt(byte), polynomial);
    popHigh[byte] = Number(pop >> 32n) | 0;
    popLow[byte] = Number(pop & 0xffffffffn) | 0;
  }
  return { pushHigh, pushLow, popHigh, popLow };
}

function checkInteger(option: string, value: number, low: number, high: number): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new ChunkingOptionsError(option, `must be an integer from ${low} to ${high}, got ${value}`);
  }
}

const defaultTables = new Map<string, RabinTables>();

/**
 * Rabin-fingerprint content-defined chunking (as in LBFS): a polynomial rolling hash over a sliding window, table
 * driven, cutting where the fingerprint hits a value of probability 1 / (average - minimum).
 *
 * @example
 * const chunker = new RabinChunker({ averageSize: 8192, windowSize: 64 });
 * const ends = chunker.split(data);
 */
export class RabinChunker implements ContentDefinedChunker {
  readonly algorithm = 'rabin' as const;
  readonly minimumSize: number;
  readonly averageSize: number;
  readonly maximumSize: number;
  /** The sliding window, in bytes. */
  readonly windowSize: number;
  /** The modulus polynomial. */
  readonly polynomial: bigint;
  /** The fingerprint's low 32 bits, unsigned, must exceed this for a cut. */
  readonly cutAbove: number;
  /** The scan loop in use: `wasm` or `js`. */
  readonly kernel: 'wasm' | 'js';
  private readonly tables: RabinTables;
  private readonly wasm: RabinWasmKernel | undefined;
  private readonly highMask: number;
  private readonly topShift: number;
  private readonly hashStart: number;
  private readonly state: Int32Array = new Int32Array(3);
  private readonly tail: Uint8Array;

  constructor(options: RabinOptions = {}) {
    const averageSize = options.averageSize ?? 4096;
    checkInteger('averageSize', averageSize, 64, 1 << 26);
    const minimumSize = options.minimumSize ?? Math.floor(averageSize / 4);
    checkInteger('minimumSize', minimumSize, 16, averageSize - 1);
    const maximumSize = options.maximumSize ?? averageSize * 8;
    checkInteger('maximumSize', maximumSize, averageSize + 1, 1 << 30);
    const windowSize = options.windowSize ?? 48;
    checkInteger('windowSize', windowSize, 8, 1024);
    const polynomial = options.polynomial ?? DEFAULT_RABIN_POLYNOMIAL;
    const polynomialDegree = degree(polynomial);
    if (polynomialDegree < 40 || polynomialDegree > 63) {
      throw new ChunkingOptionsError('polynomial', `degree must be from 40 to 63, got ${polynomialDegree}`);
    }
    const tableKey = `${polynomial.toString(16)}/${windowSize}`;
    let tables = defaultTables.get(tableKey);
    if (tables === undefined) {
      if (!isIrreduciblePolynomial(polynomial)) {
        throw new ChunkingOptionsError('polynomial', `0x${polynomial.toString(16)} is not irreducible over GF(2)`);
      }
      tables = computeRabinTables(polynomial, windowSize);
      defaultTables.set(tableKey, tables);
    }
    this.averageSize = averageSize;
    this.minimumSize = minimumSize;
    this.maximumSize = maximumSize;
    this.windowSize = windowSize;
    this.polynomial = polynomial;
    this.tables = tables;
    const highBits = polynomialDegree - 32;
    this.highMask = highBits === 31 ? 0x7fffffff : (1 << highBits) - 1;
    this.topShift = highBits - 8;
    this.hashStart = Math.max(0, minimumSize - windowSize);
    this.cutAbove = 0xffffffff - Math.floor(0x100000000 / (averageSize - minimumSize));
    this.tail = new Uint8Array(windowSize);
    this.wasm = options.kernel === 'js' ? undefined : rabinWasmKernel();
    this.kernel = this.wasm === undefined ? 'js' : 'wasm';
  }

  get pendingLength(): number {
    return this.state[2]!;
  }

  private scan(data: Uint8Array, start: number): number {
    const tables = this.tables;
    return scanRabin(
      data,
      start,
      data.length,
      this.tail,
      this.windowSize,
      tables.pushHigh,
      tables.pushLow,
      tables.popHigh,
      tables.popLow,
      this.highMask,
      this.topShift,
      this.state,
      this.hashStart,
      this.minimumSize,
      this.maximumSize,
      this.cutAbove,
    );
  }

  /** Keeps the last `windowSize` stream bytes, which the next push's first bytes may need to pop. */
  private keepTail(data: Uint8Array): void {
    const window = this.windowSize;
    if (data.length >= window) {
      this.tail.set(data.subarray(data.length - window));
    } else {
      this.tail.copyWithin(0, data.length);
      this.tail.set(data, window - data.length);
    }
  }

  push(data: Uint8Array): number[] {
    if (this.wasm !== undefined) {
      const found = this.wasm.scan(data, this.scanParameters(), this.state, this.tail);
      this.keepTail(data);
      return found;
    }
    const ends: number[] = [];
    let start = 0;
    while (start < data.length) {
      const cut = this.scan(data, start);
      if (cut < 0) break;
      ends.push(cut);
      start = cut;
    }
    this.keepTail(data);
    return ends;
  }

  finish(): number {
    const pending = this.state[2]!;
    this.reset();
    return pending;
  }

  scanParameters(): RabinScanParameters {
    const tables = this.tables;
    return {
      algorithm: 'rabin',
      window: this.windowSize,
      pushHigh: tables.pushHigh,
      pushLow: tables.pushLow,
      popHigh: tables.popHigh,
      popLow: tables.popLow,
      highMask: this.highMask,
      topShift: this.topShift,
      hashStart: this.hashStart,
      minimum: this.minimumSize,
      maximum: this.maximumSize,
      cutAbove: this.cutAbove,
    };
  }

  reset(): void {
    this.state.fill(0);
    this.tail.fill(0);
  }

  split(data: Uint8Array): Uint32Array {
    this.reset();
    if (this.wasm !== undefined) {
      const found = this.wasm.scan(data, this.scanParameters(), this.state, this.tail);
      if (this.state[2]! > 0) found.push(data.length);
      this.reset();
      return Uint32Array.from(found);
    }
    const length = data.length;
    let ends: Uint32Array = new Uint32Array(Math.min(1 << 16, Math.ceil(length / this.averageSize) * 2 + 1));
    let count = 0;
    let start = 0;
    while (start < length) {
      let cut = this.scan(data, start);
      if (cut < 0) cut = length;
      ends = appendOffset(ends, count++, cut);
      start = cut;
    }
    this.reset();
    return ends.subarray(0, count);
  }
}
