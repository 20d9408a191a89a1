import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chunkId,
  chunkKey,
  FastCdcChunker,
  ingest,
  type IngestResult,
  ParallelIngest,
  RabinChunker,
} from '../../src/index';
import { pseudoRandomBytes } from '../chunking/reference';

const fastCdcPool = new ParallelIngest({
  chunker: new FastCdcChunker({ averageSize: 1024 }),
  threads: 3,
  minimumSegmentBytes: 16 * 1024,
});
const rabinPool = new ParallelIngest({ chunker: 'rabin', threads: 2, minimumSegmentBytes: 64 * 1024 });

afterAll(async () => {
  await fastCdcPool.close();
  await rabinPool.close();
});

function sameResult(a: IngestResult, b: IngestResult): void {
  expect(Array.from(b.ends)).toEqual(Array.from(a.ends));
  expect(Buffer.compare(Buffer.from(b.ids), Buffer.from(a.ids))).toBe(0);
  // The keys are the ids as chunk-store keys, one per chunk.
  expect(b.keys).toEqual(a.keys);
  expect(b.keys.length).toBe(b.ends.length);
  b.keys.forEach((key, index) => {
    expect(key).toBe(chunkKey(b.ids.subarray(index * 32, index * 32 + 32)));
  });
}

describe('ingest', () => {
  it('gives the chunker boundaries and the SHA-256 of each chunk', () => {
    const data = pseudoRandomBytes(200_000, 31);
    const chunker = new FastCdcChunker();
    const { ends, ids } = ingest(data, chunker);
    expect(Array.from(ends)).toEqual(Array.from(chunker.split(data)));
    let start = 0;
    ends.forEach((end, index) => {
      expect(Array.from(ids.subarray(index * 32, index * 32 + 32))).toEqual(
        Array.from(chunkId(data.subarray(start, end))),
      );
      start = end;
    });
  });
});

describe('ingest with the Rabin WebAssembly kernel', () => {
  test.prop([fc.integer({ min: 0, max: 300_000 }), fc.integer(), fc.boolean()], { numRuns: 20 })(
    'gives exactly the boundaries and ids of the JavaScript scan loop',
    (length, seed, repetitive) => {
      const data = repetitive
        ? pseudoRandomBytes(length, seed).map((byte, index) => (index % 61) & byte)
        : pseudoRandomBytes(length, seed);
      const options = { averageSize: 1024, minimumSize: 256, maximumSize: 4096 };
      sameResult(
        ingest(data, new RabinChunker({ ...options, kernel: 'js' })),
        ingest(data, new RabinChunker({ ...options, kernel: 'wasm' })),
      );
    },
  );

  it('leaves a RabinChunker that shares the kernel giving its own boundaries afterwards', () => {
    const data = pseudoRandomBytes(200_000, 36);
    const other = new RabinChunker({ averageSize: 2048, kernel: 'wasm' });
    const before = Array.from(other.split(data));
    ingest(data, new RabinChunker({ averageSize: 8192, windowSize: 32 }));
    expect(Array.from(other.split(data))).toEqual(before);
  });
});

describe('ParallelIngest (worker threads)', () => {
  test.prop([fc.integer({ min: 0, max: 400_000 }), fc.integer(), fc.boolean()], { numRuns: 15 })(
    'gives exactly the boundaries and ids of single-thread ingest (FastCDC)',
    async (length, seed, repetitive) => {
      // Repetitive data (a short period) makes many equal chunks and maximum-size cuts near segment starts.
      const data = repetitive
        ? pseudoRandomBytes(length, seed).map((byte, index) => (index % 97) & byte)
        : pseudoRandomBytes(length, seed);
      // The reference runs the JavaScript kernel; the pool runs WebAssembly in every thread.
      sameResult(ingest(data, new FastCdcChunker({ averageSize: 1024, kernel: 'js' })), await fastCdcPool.ingest(data));
    },
  );

  it('gives exactly the boundaries and ids of single-thread ingest (Rabin), data in a SharedArrayBuffer or not', async () => {
    const data = pseudoRandomBytes(3 * 1024 * 1024 + 17, 32);
    // The reference runs the JavaScript scan loop; ingest and the pool run the WebAssembly kernel in every thread.
    const expected = ingest(data, new RabinChunker({ kernel: 'js' }));
    sameResult(expected, ingest(data, new RabinChunker()));
    sameResult(expected, await rabinPool.ingest(data));
    const shared = new Uint8Array(new SharedArrayBuffer(data.length));
    shared.set(data);
    sameResult(expected, await rabinPool.ingest(shared));
  });

  it('serves calls made concurrently, each with its own correct result', async () => {
    const first = pseudoRandomBytes(700_000, 33);
    const second = pseudoRandomBytes(900_000, 34);
    const [a, b] = await Promise.all([fastCdcPool.ingest(first), fastCdcPool.ingest(second)]);
    sameResult(ingest(first, new FastCdcChunker({ averageSize: 1024 })), a);
    sameResult(ingest(second, new FastCdcChunker({ averageSize: 1024 })), b);
  });

  test.prop([fc.integer({ min: 16 * 1024, max: 120_000 }), fc.integer()], { numRuns: 10 })(
    'gives the single-thread result for buffers just above the parallel threshold (segments rounded to the maximum size)',
    async (length, seed) => {
      const data = pseudoRandomBytes(length, seed);
      sameResult(ingest(data, new FastCdcChunker({ averageSize: 1024, kernel: 'js' })), await fastCdcPool.ingest(data));
    },
  );

  it('gives the single-thread result when a Buffer is passed, and with one worker claiming most segments', async () => {
    const data = Buffer.from(pseudoRandomBytes(1_500_000, 35));
    const expected = ingest(new Uint8Array(data), new FastCdcChunker({ averageSize: 1024, kernel: 'js' }));
    sameResult(expected, ingest(data, new FastCdcChunker({ averageSize: 1024 })));
    // 16 KiB minimum segments: a dozen of them, claimed by whichever of the three threads is free first.
    sameResult(expected, await fastCdcPool.ingest(data));
  });

  it('handles zero-filled data, where every chunk is cut at the maximum size', async () => {
    const data = new Uint8Array(2 * 1024 * 1024);
    sameResult(ingest(data, new FastCdcChunker({ averageSize: 1024 })), await fastCdcPool.ingest(data));
  });
});
