/**
 * The GF(2^8) multiply-accumulate kernels behind the Reed-Solomon codec: `outputs[r] = XOR_i c(r, i)·inputs[i]`, byte
 * by byte. Two implementations give identical bytes: WebAssembly SIMD (split nibble tables and `i8x16.swizzle`,
 * src/gf/kernel.wat) where the engine supports it, and portable JavaScript (a 256×256 product table, 32-bit words).
 */
import { WanoptError } from '../errors';
import { MULTIPLICATION_TABLE, NIBBLE_TABLES } from './field';
import { KERNEL_WASM_BASE64 } from './kernel-wasm.generated';

/** Which implementation a kernel is. */
export type GaloisKernelKind = 'wasm-simd' | 'javascript';

/** Which kernel to use: the fastest available (`auto`), or one in particular. */
export type GaloisKernelPreference = 'auto' | GaloisKernelKind;

/** Thrown when WebAssembly SIMD is asked for explicitly but the engine lacks it. */
export class GaloisKernelUnavailableError extends WanoptError {
  /** The kernel that was asked for. */
  readonly kind: GaloisKernelKind;

  constructor(kind: GaloisKernelKind, reason: string) {
    super('ERR_WANOPT_KERNEL_UNAVAILABLE', `the ${kind} GF(2^8) kernel is unavailable: ${reason}`);
    this.kind = kind;
  }
}

/** Thrown when the WebAssembly kernel cannot grow its memory to hold a call's shards (beyond 4 GiB, or no memory). */
export class GaloisKernelMemoryError extends WanoptError {
  /** Bytes of linear memory the call needed. */
  readonly bytes: number;

  constructor(bytes: number, options?: ErrorOptions) {
    super('ERR_WANOPT_KERNEL_MEMORY', `the GF(2^8) kernel cannot grow its memory to ${bytes} bytes`, options);
    this.bytes = bytes;
  }
}

/**
 * A GF(2^8) matrix-times-shards kernel. Instances hold scratch state and are not re-entrant; one per codec.
 */
export interface GaloisKernel {
  /** Which implementation this is. */
  readonly kind: GaloisKernelKind;
  /**
   * Sets `outputs[r][0 .. length)` to the XOR over i of `coefficients[r * inputs.length + i] · inputs[i][0 .. length)`.
   * `coefficients` is a row-major outputs.length × inputs.length matrix that the caller treats as immutable (the
   * kernel may cache work keyed on the array object). Every input and output holds at least `length` bytes (bytes);
   * outputs must not alias inputs. The caller validates; this is the hot path.
   */
  multiply(
    coefficients: Uint8Array,
    inputs: readonly Uint8Array[],
    outputs: readonly Uint8Array[],
    length: number,
  ): void;
}

/**
 * The smallest module that uses SIMD: one function returning `v128.const 0`. `WebAssembly.validate` accepts it only
 * on engines with the SIMD proposal (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4).
 */
const SIMD_PROBE: Uint8Array = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version 1
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x16,
  0x01,
  0x14,
  0x00,
  0xfd,
  0x0c, // code section: one body, no locals, v128.const
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x0b, // end
]);

/** The parts of the WebAssembly JavaScript API this module uses (the project's `lib` has no DOM or wasm types). */
interface WebAssemblyMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** True when this engine can compile WebAssembly SIMD (feature detection by validating a tiny SIMD module). */
export function isWasmSimdSupported(): boolean {
  try {
    const api = webAssembly();
    return api !== undefined && api.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Decodes standard base64 without `Buffer` or `atob`, so the module loads in any engine. */
function decodeBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const values = new Uint8Array(128);
  for (let index = 0; index < alphabet.length; index++) values[alphabet.charCodeAt(index)] = index;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const bytes = new Uint8Array((end * 3) >> 2);
  let accumulator = 0;
  let bits = 0;
  let position = 0;
  for (let index = 0; index < end; index++) {
    accumulator = (accumulator << 6) | values[text.charCodeAt(index)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[position++] = (accumulator >> bits) & 0xff;
    }
  }
  return bytes;
}

/** The kernel module's bytes, decoded from the generated source. */
export function kernelWasmBytes(): Uint8Array {
  return decodeBase64(KERNEL_WASM_BASE64);
}

let compiledKernel: object | undefined;

function kernelModule(api: WebAssemblyApi): object {
  // The compiled module is immutable and shareable; each kernel instance gets its own memory.
  compiledKernel ??= new api.Module(kernelWasmBytes());
  return compiledKernel;
}

interface KernelExports {
  readonly memory: WebAssemblyMemory;
  readonly expand: (coefficients: number, count: number, tables: number) => void;
  readonly mul1: MultiplyFunction;
  readonly mul2: MultiplyFunction;
  readonly mul3: MultiplyFunction;
  readonly mul4: MultiplyFunction;
}

type MultiplyFunction = (
  tables: number,
  inputs: number,
  count: number,
  stride: number,
  outputs: number,
  length: number,
) => void;

const PAGE_BYTES = 65536;
/** Where the coefficient bytes of a matrix are staged before expansion (after the 8 KiB of nibble tables). */
const COEFFICIENT_BASE = 8192;
/** Where expanded tables start: after room for a 256×256 coefficient matrix. */
const TABLES_BASE = COEFFICIENT_BASE + 65536;
/** Rows computed per pass over the inputs (the kernel has mul1 .. mul4). */
const ROWS_PER_PASS = 4;

/**
 * The WebAssembly SIMD kernel: copies the inputs into its linear memory (growing it as needed), computes up to four
 * output rows per pass over the data, and copies the outputs back.
 */
export class WasmSimdKernel implements GaloisKernel {
  /** Always `wasm-simd`. */
  readonly kind: GaloisKernelKind = 'wasm-simd';
  private readonly exports: KernelExports;
  private readonly passes: readonly MultiplyFunction[];
  private heap: Uint8Array;
  private expandedCoefficients: Uint8Array | undefined = undefined;
  private expandedInputs = 0;
  private expandedRows = 0;

  constructor() {
    const api = webAssembly();
    if (api === undefined || !isWasmSimdSupported()) {
      throw new GaloisKernelUnavailableError('wasm-simd', 'this engine has no WebAssembly SIMD');
    }
    const instance = new api.Instance(kernelModule(api), {});
    this.exports = instance.exports as KernelExports;
    this.passes = [this.exports.mul1, this.exports.mul2, this.exports.mul3, this.exports.mul4];
    this.heap = new Uint8Array(this.exports.memory.buffer);
    this.heap.set(NIBBLE_TABLES, 0);
  }

  /** Bytes of linear memory this kernel holds now. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** See {@link GaloisKernel.multiply}. */
  multiply(
    coefficients: Uint8Array,
    inputs: readonly Uint8Array[],
    outputs: readonly Uint8Array[],
    length: number,
  ): void {
    const count = inputs.length;
    const rows = outputs.length;
    if (rows === 0) return;
    if (count === 0 || length === 0) {
      for (let row = 0; row < rows; row++) outputs[row]!.fill(0, 0, length);
      return;
    }
    // A stride that is a multiple of 64 lets every pass run whole steps (up to 64 bytes); the padding is scratch.
    // Shards a multiple of 4 KiB apart would all map to the same L1 sets (and alias in the load/store buffers), so
    // such strides get one more cache line.
    let stride = Math.ceil(length / 64) * 64;
    if (stride % 4096 === 0) stride += 64;
    const tablesBytes = rows * count * 32;
    const inputsBase = TABLES_BASE + tablesBytes;
    const outputsBase = inputsBase + count * stride;
    this.reserve(outputsBase + rows * stride);
    let heap = this.heap;
    if (coefficients !== this.expandedCoefficients || count !== this.expandedInputs || rows !== this.expandedRows) {
      this.expand(coefficients, count, rows);
      heap = this.heap;
    }
    for (let index = 0; index < count; index++) {
      const input = inputs[index]!;
      heap.set(input.length === length ? input : input.subarray(0, length), inputsBase + index * stride);
    }
    const passes = this.passes;
    for (let first = 0; first < rows; first += ROWS_PER_PASS) {
      const passRows = Math.min(ROWS_PER_PASS, rows - first);
      passes[passRows - 1]!(
        TABLES_BASE + first * count * 32,
        inputsBase,
        count,
        stride,
        outputsBase + first * stride,
        stride,
      );
    }
    for (let row = 0; row < rows; row++) {
      const start = outputsBase + row * stride;
      outputs[row]!.set(heap.subarray(start, start + length));
    }
  }

  /** Stages the coefficients in pass order (input-major within a pass) and expands them to nibble tables. */
  private expand(coefficients: Uint8Array, count: number, rows: number): void {
    const heap = this.heap;
    let position = COEFFICIENT_BASE;
    for (let first = 0; first < rows; first += ROWS_PER_PASS) {
      const passRows = Math.min(ROWS_PER_PASS, rows - first);
      for (let input = 0; input < count; input++) {
        for (let row = first; row < first + passRows; row++) heap[position++] = coefficients[row * count + input]!;
      }
    }
    this.exports.expand(COEFFICIENT_BASE, rows * count, TABLES_BASE);
    this.expandedCoefficients = coefficients;
    this.expandedInputs = count;
    this.expandedRows = rows;
  }

  private reserve(bytes: number): void {
    // wasm32 addresses 4 GiB at most; fail before any offset arithmetic can wrap.
    if (bytes > 4294967296 - PAGE_BYTES) throw new GaloisKernelMemoryError(bytes);
    const memory = this.exports.memory;
    const have = memory.buffer.byteLength;
    if (bytes <= have) return;
    try {
      memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    } catch (error) {
      throw new GaloisKernelMemoryError(bytes, { cause: error });
    }
    // Growing detaches the old ArrayBuffer: take a fresh view.
    this.heap = new Uint8Array(memory.buffer);
  }
}

/**
 * The portable kernel: one lookup in the 64 KiB product table per byte, reading and writing 32-bit words when the
 * shards are 4-byte aligned (four lookups per load and store instead of four byte accesses each).
 */
export class JavaScriptKernel implements GaloisKernel {
  /** Always `javascript`. */
  readonly kind: GaloisKernelKind = 'javascript';

  /** See {@link GaloisKernel.multiply}. */
  multiply(
    coefficients: Uint8Array,
    inputs: readonly Uint8Array[],
    outputs: readonly Uint8Array[],
    length: number,
  ): void {
    const count = inputs.length;
    const rows = outputs.length;
    for (let row = 0; row < rows; row++) outputs[row]!.fill(0, 0, length);
    // Input-major: each input is read once for all rows while it is in cache.
    for (let index = 0; index < count; index++) {
      const input = inputs[index]!;
      for (let row = 0; row < rows; row++) {
        const coefficient = coefficients[row * count + index]!;
        if (coefficient !== 0) multiplyAdd(coefficient, input, outputs[row]!, length);
      }
    }
  }
}

/** output[0 .. length) ^= coefficient · input[0 .. length). */
function multiplyAdd(coefficient: number, input: Uint8Array, output: Uint8Array, length: number): void {
  const table = MULTIPLICATION_TABLE;
  const base = coefficient << 8;
  let start = 0;
  if (((input.byteOffset | output.byteOffset) & 3) === 0 && length >= 16) {
    const words = length >>> 2;
    const in32 = new Uint32Array(input.buffer, input.byteOffset, words);
    const out32 = new Uint32Array(output.buffer, output.byteOffset, words);
    if (coefficient === 1) {
      for (let index = 0; index < words; index++) out32[index]! ^= in32[index]!;
    } else {
      for (let index = 0; index < words; index++) {
        const word = in32[index]!;
        out32[index]! ^=
          table[base | (word & 0xff)]! |
          (table[base | ((word >>> 8) & 0xff)]! << 8) |
          (table[base | ((word >>> 16) & 0xff)]! << 16) |
          (table[base | (word >>> 24)]! << 24);
      }
    }
    start = words << 2;
  }
  for (let index = start; index < length; index++) output[index]! ^= table[base | input[index]!]!;
}

/**
 * A new kernel: WebAssembly SIMD when available (or asked for), else JavaScript.
 *
 * @example
 * const kernel = createGaloisKernel();
 * const out = new Uint8Array(4);
 * kernel.multiply(Uint8Array.of(2), [Uint8Array.of(1, 2, 3, 4)], [out], 4); // out = 2·[1, 2, 3, 4] = [2, 4, 6, 8]
 */
export function createGaloisKernel(preference: GaloisKernelPreference = 'auto'): GaloisKernel {
  if (preference === 'javascript') return new JavaScriptKernel();
  if (preference === 'wasm-simd') return new WasmSimdKernel();
  return isWasmSimdSupported() ? new WasmSimdKernel() : new JavaScriptKernel();
}
