import { fc, test } from '@fast-check/vitest';
import { ReedSolomonErasure } from '@subspace/reed-solomon-erasure.wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FecParameterError, FecShardError, FecTooFewShardsError } from '../../src/fec/errors';
import { ReedSolomon } from '../../src/fec/reed-solomon';
import { WanoptError } from '../../src/errors';

const require = createRequire(import.meta.url);
const reference = ReedSolomonErasure.fromBytes(
  readFileSync(
    require.resolve('@subspace/reed-solomon-erasure.wasm').replace(/index\.js$/, 'reed_solomon_erasure_bg.wasm'),
  ),
);

function pseudoRandomShards(count: number, length: number, seed: number): Uint8Array[] {
  let state = seed >>> 0 || 0x9e3779b9;
  return Array.from({ length: count }, () =>
    new Uint8Array(length).map(() => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    }),
  );
}

/** Every subset of {0 .. n-1} of size at most `max`, as sorted index lists. */
function subsetsUpTo(n: number, max: number): number[][] {
  const result: number[][] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const subset: number[] = [];
    for (let index = 0; index < n; index++) if (mask & (1 << index)) subset.push(index);
    if (subset.length <= max) result.push(subset);
  }
  return result;
}

describe.each(['wasm-simd', 'javascript'] as const)('Reed-Solomon over GF(2^8) (%s kernel)', (kernel) => {
  it('recovers every erasure pattern of m or fewer shards, exhaustively, for every k + m ≤ 8', () => {
    let patterns = 0;
    for (let k = 1; k < 8; k++) {
      for (let m = 1; k + m <= 8; m++) {
        const codec = new ReedSolomon({ dataShards: k, parityShards: m, kernel });
        const data = pseudoRandomShards(k, 37, k * 31 + m);
        const stripe = [...data, ...codec.encode(data)];
        for (const lost of subsetsUpTo(k + m, m)) {
          const shards: (Uint8Array | undefined)[] = stripe.map((shard) => shard);
          for (const index of lost) shards[index] = undefined;
          codec.reconstruct(shards);
          for (let index = 0; index < k + m; index++) {
            if (!Buffer.from(stripe[index]!).equals(shards[index]!)) expect.fail(`k=${k} m=${m} lost ${lost.join()}`);
          }
          patterns++;
        }
      }
    }
    expect(patterns).toBeGreaterThan(1000);
  });

  it('recovers every pattern of up to 3 losses of 10 + 3 with 1 KiB shards', () => {
    const codec = new ReedSolomon({ dataShards: 10, parityShards: 3, kernel });
    const data = pseudoRandomShards(10, 1024, 7);
    const stripe = [...data, ...codec.encode(data)];
    let failures = 0;
    for (const lost of subsetsUpTo(13, 3)) {
      const shards: (Uint8Array | undefined)[] = [...stripe];
      for (const index of lost) shards[index] = undefined;
      codec.reconstruct(shards, { dataOnly: true });
      for (let index = 0; index < 10; index++) if (!Buffer.from(data[index]!).equals(shards[index]!)) failures++;
    }
    expect(failures).toBe(0);
  });

  it('losing more than m shards throws FecTooFewShardsError listing the missing indices', () => {
    const codec = new ReedSolomon({ dataShards: 4, parityShards: 2, kernel });
    const data = pseudoRandomShards(4, 16, 1);
    const shards: (Uint8Array | undefined)[] = [...data, ...codec.encode(data)];
    shards[0] = undefined;
    shards[2] = undefined;
    shards[5] = undefined;
    let caught: unknown;
    try {
      codec.reconstruct(shards);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FecTooFewShardsError);
    expect(caught).toBeInstanceOf(WanoptError);
    expect((caught as FecTooFewShardsError).code).toBe('ERR_WANOPT_FEC_TOO_FEW_SHARDS');
    expect((caught as FecTooFewShardsError).missing).toEqual([0, 2, 5]);
    expect((caught as FecTooFewShardsError).present).toBe(3);
    expect((caught as FecTooFewShardsError).required).toBe(4);
  });

  it('reuses the buffers of shards marked absent in `present` as outputs (no allocation for the caller)', () => {
    const codec = new ReedSolomon({ dataShards: 5, parityShards: 3, kernel });
    const data = pseudoRandomShards(5, 100, 3);
    const stripe = [...data, ...codec.encode(data)];
    const shards: (Uint8Array | undefined)[] = stripe.map((shard) => shard.slice());
    const reused = shards[1]!;
    reused.fill(0xee);
    shards[6]!.fill(0xee);
    codec.reconstruct(shards, { present: [true, false, true, true, true, true, false, true] });
    expect(shards[1]).toBe(reused);
    expect(shards).toEqual(stripe);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 700 }),
      fc.integer(),
      fc.array(fc.nat(), { maxLength: 12 }),
    ],
    { numRuns: 40 },
  )('any k of the k + m shards rebuild the stripe (random k, m, length, losses)', (k, m, length, seed, picks) => {
    const codec = new ReedSolomon({ dataShards: k, parityShards: m, kernel });
    const data = pseudoRandomShards(k, length, seed);
    const stripe = [...data, ...codec.encode(data)];
    const shards: (Uint8Array | undefined)[] = [...stripe];
    for (const pick of picks.slice(0, m)) shards[pick % (k + m)] = undefined;
    codec.reconstruct(shards);
    expect(shards).toEqual(stripe);
    expect(codec.verify(stripe)).toBe(true);
  });
});

describe('Reed-Solomon construction (Vandermonde made systematic, as reed-solomon-erasure)', () => {
  it('the top k rows of the encoding matrix are the identity', () => {
    const codec = new ReedSolomon({ dataShards: 6, parityShards: 3 });
    for (let row = 0; row < 6; row++) {
      for (let column = 0; column < 6; column++) {
        expect(codec.encodingMatrix.data[row * 6 + column]).toBe(row === column ? 1 : 0);
      }
    }
  });

  it('fixed vector: the 10 + 4 parity of bytes (i·131 + 7) mod 256 is what @subspace/reed-solomon-erasure.wasm computes', () => {
    const k = 10;
    const m = 4;
    const length = 64;
    const buffer = new Uint8Array((k + m) * length).map((_, index) => (index * 131 + 7) & 0xff);
    const data = Array.from({ length: k }, (_, index) => buffer.slice(index * length, (index + 1) * length));
    expect(reference.encode(buffer, k, m)).toBe(ReedSolomonErasure.RESULT_OK);
    const parity = new ReedSolomon({ dataShards: k, parityShards: m }).encode(data);
    for (let index = 0; index < m; index++) {
      expect(parity[index]).toEqual(buffer.subarray((k + index) * length, (k + index + 1) * length));
    }
    // The first parity row of 10 + m in this construction, pinned so a change of matrix cannot pass unnoticed.
    expect([
      ...new ReedSolomon({ dataShards: k, parityShards: m }).encodingMatrix.data.subarray(k * k, k * k + k),
    ]).toEqual([129, 150, 175, 184, 210, 196, 254, 232, 3, 2]);
  });

  test.prop(
    [fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 200 }), fc.integer()],
    {
      numRuns: 40,
    },
  )('parity equals reed-solomon-erasure for random k, m and data, with both kernels', (k, m, length, seed) => {
    const data = pseudoRandomShards(k, length, seed);
    const buffer = new Uint8Array((k + m) * length);
    data.forEach((shard, index) => {
      buffer.set(shard, index * length);
    });
    expect(reference.encode(buffer, k, m)).toBe(ReedSolomonErasure.RESULT_OK);
    const expected = Array.from({ length: m }, (_, index) =>
      buffer.slice((k + index) * length, (k + index + 1) * length),
    );
    expect(new ReedSolomon({ dataShards: k, parityShards: m, kernel: 'wasm-simd' }).encode(data)).toEqual(expected);
    expect(new ReedSolomon({ dataShards: k, parityShards: m, kernel: 'javascript' }).encode(data)).toEqual(expected);
  });

  it('shards reconstructed by reed-solomon-erasure from our parity match the lost data', () => {
    const k = 8;
    const m = 3;
    const length = 48;
    const data = pseudoRandomShards(k, length, 99);
    const parity = new ReedSolomon({ dataShards: k, parityShards: m }).encode(data);
    const buffer = new Uint8Array((k + m) * length);
    [...data, ...parity].forEach((shard, index) => {
      buffer.set(shard, index * length);
    });
    buffer.fill(0, 0, 2 * length);
    buffer.fill(0, 5 * length, 6 * length);
    const available = Array.from({ length: k + m }, (_, index) => index !== 0 && index !== 1 && index !== 5);
    expect(reference.reconstruct(buffer, k, m, available)).toBe(ReedSolomonErasure.RESULT_OK);
    expect(buffer.subarray(0, length)).toEqual(data[0]);
    expect(buffer.subarray(5 * length, 6 * length)).toEqual(data[5]);
  });
});

describe('Reed-Solomon parameter and input errors', () => {
  it.each([
    [{ dataShards: 0, parityShards: 1 }, 'dataShards'],
    [{ dataShards: 1.5, parityShards: 1 }, 'dataShards'],
    [{ dataShards: 10, parityShards: 0 }, 'parityShards'],
    [{ dataShards: 200, parityShards: 57 }, 'parityShards'],
    [{ dataShards: 4, parityShards: 2, decodeCacheSize: 0 }, 'decodeCacheSize'],
  ])('rejects %o with FecParameterError naming %s', (options, field) => {
    expect(() => new ReedSolomon(options)).toThrow(FecParameterError);
    try {
      new ReedSolomon(options);
    } catch (error) {
      expect((error as FecParameterError).field).toBe(field);
      expect((error as FecParameterError).code).toBe('ERR_WANOPT_FEC_PARAMETERS');
    }
  });

  it('accepts the largest stripe, k + m = 256', () => {
    const codec = new ReedSolomon({ dataShards: 200, parityShards: 56 });
    const data = pseudoRandomShards(200, 8, 5);
    const stripe = [...data, ...codec.encode(data)];
    const shards: (Uint8Array | undefined)[] = [...stripe];
    for (let index = 0; index < 56; index++) shards[index * 3] = undefined;
    codec.reconstruct(shards);
    expect(shards).toEqual(stripe);
  });

  it('rejects a wrong shard count or shards of different lengths with FecShardError naming the shard', () => {
    const codec = new ReedSolomon({ dataShards: 3, parityShards: 2 });
    expect(() => codec.encode([new Uint8Array(4), new Uint8Array(4)])).toThrow(FecShardError);
    try {
      codec.encode([new Uint8Array(4), new Uint8Array(4), new Uint8Array(5)]);
      expect.fail('no error');
    } catch (error) {
      expect((error as FecShardError).index).toBe(2);
      expect((error as FecShardError).code).toBe('ERR_WANOPT_FEC_SHARD');
    }
    expect(() =>
      codec.encode([new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)], [new Uint8Array(3), new Uint8Array(4)]),
    ).toThrow(FecShardError);
    expect(() => {
      codec.reconstruct([new Uint8Array(4), undefined, new Uint8Array(5), new Uint8Array(4), undefined]);
    }).toThrow(FecShardError);
    expect(() => {
      codec.reconstruct([new Uint8Array(4)]);
    }).toThrow(FecShardError);
  });
});
