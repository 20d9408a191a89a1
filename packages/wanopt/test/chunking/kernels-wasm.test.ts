import { fc, test } from '@fast-check/vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { FASTCDC_WAT_SHA256, FASTCDC_WASM_BASE64 } from '../../src/chunking/fastcdc-wasm.generated';
import { RABIN_WAT_SHA256, RABIN_WASM_BASE64 } from '../../src/chunking/rabin-wasm.generated';
import { type ContentDefinedChunker, FastCdcChunker, RabinChunker } from '../../src/index';
import { pseudoRandomBytes } from './reference';

const kernels = [
  { name: 'fastcdc', hash: FASTCDC_WAT_SHA256, base64: FASTCDC_WASM_BASE64 },
  { name: 'rabin', hash: RABIN_WAT_SHA256, base64: RABIN_WASM_BASE64 },
];

/**
 * The boundaries a chunker finds when `data` is pushed in pieces cut at `rawCuts` (taken modulo the length), then the
 * length of the last chunk.
 */
function boundariesInPieces(chunker: ContentDefinedChunker, data: Uint8Array, rawCuts: readonly number[]): number[] {
  const cuts = [...new Set(rawCuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const ends: number[] = [];
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    for (const end of chunker.push(data.subarray(start, cut))) ends.push(start + end);
    start = cut;
  }
  return [...ends, chunker.finish()];
}

describe('the committed chunking WebAssembly kernels', () => {
  it.each(kernels)(
    'are exactly what scripts/build-chunking-wasm.mjs compiles from src/chunking/$name.wat today',
    async ({ name, hash, base64 }) => {
      const source = readFileSync(fileURLToPath(new URL(`../../src/chunking/${name}.wat`, import.meta.url)), 'utf8');
      expect(hash).toBe(createHash('sha256').update(source).digest('hex'));
      const toolkit = await wabt();
      const module = toolkit.parseWat(`${name}.wat`, source);
      try {
        module.resolveNames();
        module.validate();
        const compiled = module.toBinary({ write_debug_names: false, canonicalize_lebs: true }).buffer;
        expect(Buffer.from(base64, 'base64').equals(Buffer.from(compiled))).toBe(true);
      } finally {
        module.destroy();
      }
    },
  );

  it('are the default kernels under Node, and the JavaScript loops can be chosen', () => {
    expect(new FastCdcChunker().kernel).toBe('wasm');
    expect(new FastCdcChunker({ kernel: 'js' }).kernel).toBe('js');
    expect(new RabinChunker().kernel).toBe('wasm');
    expect(new RabinChunker({ kernel: 'js' }).kernel).toBe('js');
  });
});

describe('FastCDC WebAssembly and JavaScript kernels', () => {
  it('give identical boundaries on 5 MiB (more than one 1 MiB kernel piece) for the default options', () => {
    const data = pseudoRandomBytes(5 * 1024 * 1024 + 3, 51);
    const wasm = new FastCdcChunker().split(data);
    const js = new FastCdcChunker({ kernel: 'js' }).split(data);
    expect(Array.from(wasm)).toEqual(Array.from(js));
  });

  test.prop(
    [
      fc.uint8Array({ minLength: 0, maxLength: 20_000 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      fc.constantFrom(64, 256, 1024),
      fc.integer({ min: 16, max: 60 }),
      fc.integer({ min: 2, max: 8 }),
      fc.boolean(),
    ],
    { numRuns: 80 },
  )(
    'give identical boundaries for random data, sizes and pieces',
    (random, rawCuts, average, minimum, maximumFactor, lowEntropy) => {
      const data = lowEntropy ? random.map((byte) => byte & 1) : random;
      const options = { averageSize: average, minimumSize: minimum, maximumSize: average * maximumFactor };
      const wasm = new FastCdcChunker(options);
      const js = new FastCdcChunker({ ...options, kernel: 'js' });
      expect(Array.from(wasm.split(data))).toEqual(Array.from(js.split(data)));
      expect(boundariesInPieces(wasm, data, rawCuts)).toEqual(boundariesInPieces(js, data, rawCuts));
    },
  );

  it('keep their own state when two chunkers with different keys interleave pushes', () => {
    const data = pseudoRandomBytes(300_000, 52);
    const a = new FastCdcChunker({ key: new TextEncoder().encode('a') });
    const b = new FastCdcChunker({ key: new TextEncoder().encode('b') });
    const endsA: number[] = [];
    const endsB: number[] = [];
    for (let offset = 0; offset < data.length; offset += 10_000) {
      const piece = data.subarray(offset, offset + 10_000);
      for (const end of a.push(piece)) endsA.push(offset + end);
      for (const end of b.push(piece)) endsB.push(offset + end);
    }
    if (a.finish() > 0) endsA.push(data.length);
    if (b.finish() > 0) endsB.push(data.length);
    expect(endsA).toEqual(
      Array.from(new FastCdcChunker({ key: new TextEncoder().encode('a'), kernel: 'js' }).split(data)),
    );
    expect(endsB).toEqual(
      Array.from(new FastCdcChunker({ key: new TextEncoder().encode('b'), kernel: 'js' }).split(data)),
    );
  });
});

describe('Rabin WebAssembly and JavaScript kernels', () => {
  it('give identical boundaries on 5 MiB (more than one 1 MiB kernel piece) for the default options', () => {
    const data = pseudoRandomBytes(5 * 1024 * 1024 + 5, 53);
    expect(Array.from(new RabinChunker().split(data))).toEqual(
      Array.from(new RabinChunker({ kernel: 'js' }).split(data)),
    );
  });

  test.prop(
    [
      fc.uint8Array({ minLength: 0, maxLength: 20_000 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      fc.integer({ min: 8, max: 120 }),
      fc.integer({ min: 16, max: 200 }),
      fc.integer({ min: 2, max: 8 }),
      fc.boolean(),
    ],
    { numRuns: 80 },
  )(
    'give identical boundaries for random data, windows, sizes and pieces',
    (random, rawCuts, window, minimum, maximumFactor, lowEntropy) => {
      const data = lowEntropy ? random.map((byte) => byte & 1) : random;
      const options = {
        averageSize: 256,
        minimumSize: Math.min(minimum, 255),
        maximumSize: 256 * maximumFactor,
        windowSize: window,
      };
      const wasm = new RabinChunker(options);
      const js = new RabinChunker({ ...options, kernel: 'js' });
      expect(Array.from(wasm.split(data))).toEqual(Array.from(js.split(data)));
      expect(boundariesInPieces(wasm, data, rawCuts)).toEqual(boundariesInPieces(js, data, rawCuts));
    },
  );
});
