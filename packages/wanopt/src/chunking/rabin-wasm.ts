import { RABIN_WASM_BASE64 } from './rabin-wasm.generated';

/** Byte offset of the cut-position area (after the four kernel tables, 256 i64 each). */
const CUTS_OFFSET = 8192;
/** Byte offset of the data area; the `window` bytes before it hold the stream bytes preceding the piece. */
const DATA_OFFSET = CUTS_OFFSET + 65536 * 4 + 1024;
/** Bytes scanned per call: with chunks of at least 16 bytes, at most the 65536 cuts the cut area holds. */
const PIECE_BYTES = 1024 * 1024;

/** The parts of the WebAssembly JavaScript API used here (the project's `lib` has no DOM or wasm types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
}

/** The Rabin kernel module's exports (layout in src/chunking/rabin.wat). */
export interface RabinKernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  getHigh(): number;
  getLow(): number;
  getLength(): number;
  setState(high: number, low: number, length: number): void;
  scan(
    start: number,
    end: number,
    window: number,
    degree: number,
    hashStart: number,
    minimum: number,
    maximum: number,
    cutAbove: number,
  ): number;
}

/** Parameters of one Rabin configuration, as the kernel takes them. */
export interface RabinKernelParameters {
  readonly window: number;
  readonly pushHigh: Int32Array;
  readonly pushLow: Int32Array;
  readonly popHigh: Int32Array;
  readonly popLow: Int32Array;
  readonly highMask: number;
  readonly topShift: number;
  readonly hashStart: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly cutAbove: number;
}

/**
 * The Rabin scan loop in WebAssembly (src/chunking/rabin.wat): the same boundaries as `scanRabin`, with the
 * fingerprint in one i64 and no bounds checks on its table loads. One instance serves every chunker: each call loads
 * the caller's state and, when they changed, its tables.
 */
export class RabinWasmKernel {
  private readonly exports: RabinKernelExports;
  private readonly bytes: Uint8Array;
  private readonly cuts: Int32Array;
  private readonly tables: Int32Array;
  private loadedTables: Int32Array | undefined = undefined;

  constructor(api: WebAssemblyApi, module: object) {
    this.exports = new api.Instance(module).exports as RabinKernelExports;
    const buffer = this.exports.memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.cuts = new Int32Array(buffer, CUTS_OFFSET, 65536);
    this.tables = new Int32Array(buffer, 0, 2048);
  }

  /**
   * The module's exports, for callers that drive the kernel themselves (ingest) and load their own tables (from
   * {@link rabinKernelTables}): the next {@link RabinWasmKernel.scan} reloads its tables.
   */
  borrowExports(): RabinKernelExports {
    this.loadedTables = undefined;
    return this.exports;
  }

  /**
   * Scans `data`, continuing the chunk in `state` ([high, low, length]); `tail` holds the `window` stream bytes before
   * `data[0]`. Returns the end offsets in `data` of the chunks that end in it and leaves `state` holding the rest.
   */
  scan(data: Uint8Array, parameters: RabinKernelParameters, state: Int32Array, tail: Uint8Array): number[] {
    const kernel = this.exports;
    if (this.loadedTables !== parameters.pushHigh) {
      loadKernelTables(this.tables, parameters);
      this.loadedTables = parameters.pushHigh;
    }
    kernel.setState(state[0]!, state[1]!, state[2]!);
    const window = parameters.window;
    const ends: number[] = [];
    const cuts = this.cuts;
    const bytes = this.bytes;
    for (let offset = 0; offset < data.length; offset += PIECE_BYTES) {
      // The bytes that leave the window first precede the piece: from the tail, from data, or both.
      if (offset >= window) {
        bytes.set(data.subarray(offset - window, offset), DATA_OFFSET - window);
      } else {
        bytes.set(tail.subarray(offset), DATA_OFFSET - window);
        bytes.set(data.subarray(0, offset), DATA_OFFSET - offset);
      }
      const piece = data.subarray(offset, offset + PIECE_BYTES);
      bytes.set(piece, DATA_OFFSET);
      const count = kernel.scan(
        DATA_OFFSET,
        DATA_OFFSET + piece.length,
        window,
        parameters.topShift + 40, // the degree: topShift is D - 40 (the top byte of D bits, above the low 32)
        parameters.hashStart,
        parameters.minimum,
        parameters.maximum,
        parameters.cutAbove,
      );
      const shift = offset - DATA_OFFSET;
      for (let index = 0; index < count; index++) ends.push(cuts[index]! + shift);
    }
    state[0] = kernel.getHigh();
    state[1] = kernel.getLow();
    state[2] = kernel.getLength();
    return ends;
  }
}

/** Kernel tables by the push table they were computed from (one per polynomial and window, as RabinTables are). */
const kernelTablesCache = new WeakMap<Int32Array, Int32Array>();

/**
 * The kernel's four tables for `parameters` (2048 int32 words, to copy to the start of the kernel's memory); computed
 * once per set of Rabin tables (about 0.1 ms of BigInt arithmetic), then shared.
 */
export function rabinKernelTables(parameters: RabinKernelParameters): Int32Array {
  let tables = kernelTablesCache.get(parameters.pushHigh);
  if (tables === undefined) {
    tables = new Int32Array(2048);
    loadKernelTables(tables, parameters);
    kernelTablesCache.set(parameters.pushHigh, tables);
  }
  return tables;
}

function joinHalves(high: Int32Array, low: Int32Array, entry: number): bigint {
  return (BigInt(high[entry]! >>> 0) << 32n) | BigInt(low[entry]! >>> 0);
}

/**
 * Writes the kernel's four tables (see the layout in rabin.wat) as little-endian i64 entries, low half first: the
 * push table folded with the bits it clears, and the pop table moved one byte later (times x^8), so that the kernel's
 * per-byte step is `f = (f << 8) ^ (in ^ pop'[out]) ^ push'[f >> (D - 8)]` with no mask; and the same two moved one
 * byte further (times x^8 again) for the step of two bytes at once.
 */
function loadKernelTables(tables: Int32Array, parameters: RabinKernelParameters): void {
  const degree = BigInt(parameters.topShift + 40);
  const fingerprintMask = (1n << degree) - 1n;
  for (let entry = 0; entry < 256; entry++) {
    const push = joinHalves(parameters.pushHigh, parameters.pushLow, entry);
    const folded = BigInt.asUintN(64, push ^ (BigInt(entry) << degree));
    const pop = joinHalves(parameters.popHigh, parameters.popLow, entry);
    // pop * x^8 mod P: shift by a byte, then reduce the byte pushed past degree D with the push table
    const top = Number(pop >> (degree - 8n));
    const shiftedPop = ((pop << 8n) & fingerprintMask) ^ joinHalves(parameters.pushHigh, parameters.pushLow, top);
    tables[entry * 2] = Number(folded & 0xffffffffn) | 0;
    tables[entry * 2 + 1] = Number(folded >> 32n) | 0;
    tables[512 + entry * 2] = Number(shiftedPop & 0xffffffffn) | 0;
    tables[512 + entry * 2 + 1] = Number(shiftedPop >> 32n) | 0;
    // the two-byte push entry: t * x^(D + 8) mod P is the one-byte entry of t pushed once more, past the top byte
    const pushedAgain =
      ((push << 8n) & fingerprintMask) ^
      joinHalves(parameters.pushHigh, parameters.pushLow, Number(push >> (degree - 8n)));
    const twoByte = BigInt.asUintN(64, pushedAgain ^ (BigInt(entry) << (degree + 8n)));
    // pop * x^16 mod P: the shifted pop pushed once more
    const twicePop =
      ((shiftedPop << 8n) & fingerprintMask) ^
      joinHalves(parameters.pushHigh, parameters.pushLow, Number(shiftedPop >> (degree - 8n)));
    tables[1024 + entry * 2] = Number(twoByte & 0xffffffffn) | 0;
    tables[1024 + entry * 2 + 1] = Number(twoByte >> 32n) | 0;
    tables[1536 + entry * 2] = Number(twicePop & 0xffffffffn) | 0;
    tables[1536 + entry * 2 + 1] = Number(twicePop >> 32n) | 0;
  }
}

let kernel: RabinWasmKernel | null | undefined;

/** The shared kernel, compiled on first use; undefined where WebAssembly is unavailable (then the JS loop runs). */
export function rabinWasmKernel(): RabinWasmKernel | undefined {
  if (kernel === undefined) {
    const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
    try {
      if (api === undefined) throw new Error('no WebAssembly');
      const text = atob(RABIN_WASM_BASE64);
      const bytes = new Uint8Array(text.length);
      for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
      kernel = new RabinWasmKernel(api, new api.Module(bytes));
    } catch {
      kernel = null;
    }
  }
  return kernel ?? undefined;
}
