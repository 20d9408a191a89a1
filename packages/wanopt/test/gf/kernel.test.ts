import { fc, test } from '@fast-check/vitest';
import { describe, expect, it, vi } from 'vitest';
import { multiply } from '../../src/gf/field';
import {
  GaloisKernelMemoryError,
  GaloisKernelUnavailableError,
  JavaScriptKernel,
  WasmSimdKernel,
  createGaloisKernel,
  isWasmSimdSupported,
} from '../../src/gf/kernel';

/** out_r = XOR_i c(r, i)·in_i, one byte at a time: the reference both kernels must match. */
function referenceMultiply(coefficients: Uint8Array, inputs: Uint8Array[], rows: number, length: number): Uint8Array[] {
  const outputs: Uint8Array[] = [];
  for (let row = 0; row < rows; row++) {
    const out = new Uint8Array(length);
    for (let index = 0; index < inputs.length; index++) {
      const coefficient = coefficients[row * inputs.length + index]!;
      for (let offset = 0; offset < length; offset++) out[offset]! ^= multiply(coefficient, inputs[index]![offset]!);
    }
    outputs.push(out);
  }
  return outputs;
}

/** Shards placed at a random byte offset inside a larger buffer, so unaligned views are exercised too. */
const problem = fc
  .record({
    inputs: fc.integer({ min: 1, max: 12 }),
    rows: fc.integer({ min: 1, max: 9 }),
    length: fc.integer({ min: 1, max: 300 }),
    misalignment: fc.integer({ min: 0, max: 7 }),
    seed: fc.integer(),
  })
  .map(({ inputs, rows, length, misalignment, seed }) => {
    let state = seed >>> 0 || 1;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) & 0xff;
    };
    const coefficients = new Uint8Array(inputs * rows).map(next);
    // Special coefficients take other code paths: 0 (skip) and 1 (plain XOR).
    if (coefficients.length > 2) {
      coefficients[0] = 0;
      coefficients[1] = 1;
    }
    const shards = Array.from({ length: inputs }, () => {
      const backing = new Uint8Array(length + misalignment).map(next);
      return backing.subarray(misalignment, misalignment + length);
    });
    return { coefficients, shards, rows, length };
  });

describe('GF(2^8) multiply-accumulate kernels', () => {
  it('detects WebAssembly SIMD in this Node and picks the SIMD kernel by default', () => {
    expect(isWasmSimdSupported()).toBe(true);
    expect(createGaloisKernel().kind).toBe('wasm-simd');
    expect(createGaloisKernel('javascript').kind).toBe('javascript');
  });

  it('falls back to the JavaScript kernel when the engine rejects the SIMD probe module', () => {
    // The project's `lib` has no WebAssembly types; the global is there at run time.
    const api = (globalThis as unknown as { WebAssembly: { validate: (bytes: Uint8Array) => boolean } }).WebAssembly;
    const validate = vi.spyOn(api, 'validate').mockReturnValue(false);
    try {
      expect(isWasmSimdSupported()).toBe(false);
      expect(createGaloisKernel().kind).toBe('javascript');
      expect(() => createGaloisKernel('wasm-simd')).toThrow(GaloisKernelUnavailableError);
    } finally {
      validate.mockRestore();
    }
    expect(isWasmSimdSupported()).toBe(true);
  });

  const wasm = new WasmSimdKernel();
  const javascript = new JavaScriptKernel();

  test.prop([problem], { numRuns: 200 })(
    'the WebAssembly SIMD and JavaScript kernels produce identical bytes, equal to the byte-wise reference',
    ({ coefficients, shards, rows, length }) => {
      const expected = referenceMultiply(coefficients, shards, rows, length);
      const fromWasm = Array.from({ length: rows }, () => new Uint8Array(length).fill(0xaa));
      const fromJavaScript = Array.from({ length: rows }, () => new Uint8Array(length).fill(0x55));
      wasm.multiply(coefficients, shards, fromWasm, length);
      javascript.multiply(coefficients, shards, fromJavaScript, length);
      expect(fromWasm).toEqual(expected);
      expect(fromJavaScript).toEqual(expected);
    },
  );

  it('grows WebAssembly memory for large shards and stays correct after growth', () => {
    const kernel = new WasmSimdKernel();
    const before = kernel.memoryBytes;
    const length = 70_000; // 7 shards of 70 kB: several times the initial 128 KiB of linear memory
    const inputs = Array.from({ length: 5 }, (_, index) => {
      const shard = new Uint8Array(length);
      for (let offset = 0; offset < length; offset++) shard[offset] = (offset * (index + 3)) & 0xff;
      return shard;
    });
    const coefficients = Uint8Array.of(7, 9, 200, 1, 0, 33, 44, 55, 66, 77);
    const outputs = [new Uint8Array(length), new Uint8Array(length)];
    kernel.multiply(coefficients, inputs, outputs, length);
    expect(kernel.memoryBytes).toBeGreaterThan(before);
    const expected = [new Uint8Array(length), new Uint8Array(length)];
    javascript.multiply(coefficients, inputs, expected, length);
    expect(outputs).toEqual(expected);
  });

  it('a call needing more than 4 GiB of linear memory throws GaloisKernelMemoryError, and the kernel still works', () => {
    const kernel = new WasmSimdKernel();
    // Two 2.1 GB views of one small buffer are never read: the layout check fails first.
    const huge = { length: 2_100_000_000 } as Uint8Array;
    expect(() => {
      kernel.multiply(Uint8Array.of(1, 1), [huge, huge], [new Uint8Array(1)], 2_100_000_000);
    }).toThrow(GaloisKernelMemoryError);
    const output = new Uint8Array(2);
    kernel.multiply(Uint8Array.of(3), [Uint8Array.of(1, 2)], [output], 2);
    expect([...output]).toEqual([3, 6]);
  });

  it('writes only `length` bytes of each output and reuses cached tables across calls with new coefficients', () => {
    const inputs = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)];
    const output = new Uint8Array(5).fill(9);
    wasm.multiply(Uint8Array.of(1, 0), inputs, [output], 3);
    expect([...output]).toEqual([1, 2, 3, 9, 9]);
    wasm.multiply(Uint8Array.of(0, 1), inputs, [output], 3);
    expect([...output]).toEqual([4, 5, 6, 9, 9]);
  });
});
