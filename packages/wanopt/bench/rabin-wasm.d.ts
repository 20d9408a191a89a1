// Types for the benchmark competitor rabin-wasm (it ships none): the parts bench/chunking.bench.ts uses.
declare module 'rabin-wasm' {
  /** A Rabin chunker compiled from AssemblyScript. */
  export interface RabinWasm {
    /** Chunk lengths of `buffer` (the chunker carries state across calls). */
    fingerprint(buffer: Uint8Array): Int32Array;
  }
  /** Creates a chunker: average size 2^bits, minimum and maximum sizes and window, in bytes. */
  export function create(bits: number, minimum: number, maximum: number, windowSize: number): Promise<RabinWasm>;
}
