import { FASTCDC_WASM_BASE64 } from './fastcdc-wasm.generated';

/** Byte offset of the cut-position area in the kernel's memory (after the 1 KiB gear table). */
const CUTS_OFFSET = 1024;
/** Byte offset of the data area: after 65536 cut positions. */
const DATA_OFFSET = CUTS_OFFSET + 65536 * 4;
/**
 * Bytes scanned per kernel call. With chunks of at least 16 bytes a call finds at most 65536 cuts, which is what the
 * cut area holds; the state carries over between calls, so the pieces do not change the boundaries.
 */
const PIECE_BYTES = 1024 * 1024;

/** The parts of the WebAssembly JavaScript API used here (the project's `lib` has no DOM or wasm types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
}

/** The kernel module's exports. */
export interface FastCdcKernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  getHash(): number;
  getLength(): number;
  setState(hash: number, length: number): void;
  scan(
    start: number,
    end: number,
    hashStart: number,
    minimum: number,
    normal: number,
    maximum: number,
    maskSmall: number,
    maskLarge: number,
  ): number;
}

/** Parameters of one FastCDC configuration, as the kernel takes them. */
export interface FastCdcKernelParameters {
  readonly gear: Int32Array;
  readonly hashStart: number;
  readonly minimum: number;
  readonly normal: number;
  readonly maximum: number;
  readonly maskSmall: number;
  readonly maskLarge: number;
}

/**
 * The FastCDC scan loop in WebAssembly (src/chunking/fastcdc.wat): the same boundaries as `scanFastCdc`, without the
 * bounds checks JavaScript pays on every table and byte load (about twice as fast here). One instance serves every
 * chunker: each call loads the caller's state and, when it changed, its gear table.
 */
export class FastCdcWasmKernel {
  private readonly exports: FastCdcKernelExports;
  private readonly bytes: Uint8Array;
  private readonly cuts: Int32Array;
  private readonly gearView: Int32Array;
  private loadedGear: Int32Array | undefined = undefined;

  /**
   * The module's exports, for callers that drive the kernel themselves (ingest) and load their own gear table: the
   * next {@link FastCdcWasmKernel.scan} reloads its table.
   */
  borrowExports(): FastCdcKernelExports {
    this.loadedGear = undefined;
    return this.exports;
  }

  constructor(api: WebAssemblyApi, module: object) {
    this.exports = new api.Instance(module).exports as FastCdcKernelExports;
    const buffer = this.exports.memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.cuts = new Int32Array(buffer, CUTS_OFFSET, 65536);
    this.gearView = new Int32Array(buffer, 0, 256);
  }

  /**
   * Scans `data` from its start, continuing the chunk in `state` ([hash, length]), and returns the end offsets in
   * `data` of the chunks that end in it; `state` is left holding the unfinished chunk.
   */
  scan(data: Uint8Array, parameters: FastCdcKernelParameters, state: Int32Array): number[] {
    const kernel = this.exports;
    if (this.loadedGear !== parameters.gear) {
      this.gearView.set(parameters.gear);
      this.loadedGear = parameters.gear;
    }
    kernel.setState(state[0]!, state[1]!);
    const ends: number[] = [];
    const cuts = this.cuts;
    for (let offset = 0; offset < data.length; offset += PIECE_BYTES) {
      const piece = data.subarray(offset, offset + PIECE_BYTES);
      this.bytes.set(piece, DATA_OFFSET);
      const count = kernel.scan(
        DATA_OFFSET,
        DATA_OFFSET + piece.length,
        parameters.hashStart,
        parameters.minimum,
        parameters.normal,
        parameters.maximum,
        parameters.maskSmall,
        parameters.maskLarge,
      );
      const shift = offset - DATA_OFFSET;
      for (let index = 0; index < count; index++) ends.push(cuts[index]! + shift);
    }
    state[0] = kernel.getHash();
    state[1] = kernel.getLength();
    return ends;
  }
}

let kernel: FastCdcWasmKernel | null | undefined;

/**
 * The shared kernel, compiled on first use; undefined where WebAssembly is unavailable (chunkers then use the
 * JavaScript loop, which gives the same boundaries).
 */
export function fastCdcWasmKernel(): FastCdcWasmKernel | undefined {
  if (kernel === undefined) {
    const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
    try {
      if (api === undefined) throw new Error('no WebAssembly');
      const text = atob(FASTCDC_WASM_BASE64);
      const bytes = new Uint8Array(text.length);
      for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
      kernel = new FastCdcWasmKernel(api, new api.Module(bytes));
    } catch {
      kernel = null;
    }
  }
  return kernel ?? undefined;
}
