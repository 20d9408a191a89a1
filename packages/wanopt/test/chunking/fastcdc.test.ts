import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ChunkingOptionsError, DEFAULT_GEAR_KEY, deriveGearTable, FastCdcChunker, WanoptError } from '../../src/index';
import { pseudoRandomBytes, referenceFastCdc, referenceGearTable } from './reference';

function pushInPieces(chunker: FastCdcChunker, data: Uint8Array, cuts: readonly number[]): number[] {
  const ends: number[] = [];
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    for (const end of chunker.push(data.subarray(start, cut))) ends.push(start + end);
    start = cut;
  }
  const last = chunker.finish();
  if (last > 0) ends.push(data.length);
  return ends;
}

describe('FastCDC gear table', () => {
  it('is HMAC-SHA256(key, "gear" || block) read as big-endian words, as an independent node:crypto HMAC computes', () => {
    expect(Array.from(deriveGearTable(DEFAULT_GEAR_KEY))).toEqual(referenceGearTable(DEFAULT_GEAR_KEY));
    const key = new TextEncoder().encode('another key');
    expect(Array.from(deriveGearTable(key))).toEqual(referenceGearTable(key));
  });

  it('has these fixed first and last entries for the documented default key', () => {
    const gear = new Uint32Array(deriveGearTable(DEFAULT_GEAR_KEY).buffer);
    expect(Array.from(gear.subarray(0, 4), (value) => value.toString(16))).toEqual([
      '971eeba4',
      'cd9496d8',
      '2d408bb',
      'c71a74a0',
    ]);
    expect(Array.from(gear.subarray(252), (value) => value.toString(16))).toEqual([
      '4706e71c',
      '270a9a65',
      'ec9955f7',
      '4d29dd08',
    ]);
  });

  it('moves boundaries when the key changes (boundaries do not reveal content without the key)', () => {
    const data = pseudoRandomBytes(256 * 1024, 7);
    const a = new FastCdcChunker().split(data);
    const b = new FastCdcChunker({ key: new TextEncoder().encode('secret') }).split(data);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
});

describe('FastCDC boundaries', () => {
  it('match a fixed vector for the default options (4 KiB average) on seeded pseudo-random data', () => {
    const data = pseudoRandomBytes(128 * 1024, 1);
    const ends = new FastCdcChunker().split(data);
    expect(Array.from(ends.subarray(0, 10))).toEqual([
      6119, 11518, 16755, 17983, 25300, 29716, 36317, 42030, 46923, 48760,
    ]);
  });

  it('match the slow reference implementation for the default options', () => {
    const data = pseudoRandomBytes(512 * 1024, 3);
    const gear = referenceGearTable(DEFAULT_GEAR_KEY);
    expect(Array.from(new FastCdcChunker().split(data))).toEqual(referenceFastCdc(data, gear, 1024, 4096, 32768, 2));
  });

  test.prop(
    [
      fc.uint8Array({ minLength: 0, maxLength: 6000 }),
      fc.constantFrom(64, 128, 256),
      fc.integer({ min: 16, max: 63 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 2, max: 8 }),
    ],
    { numRuns: 60 },
  )('match the reference for random data and sizes', (random, average, minimum, level, maximumFactor) => {
    // Low-entropy data (few distinct bytes) exercises long runs and maximum-size cuts.
    const data = random.map((byte) => byte & 3);
    const chunker = new FastCdcChunker({
      averageSize: average,
      minimumSize: Math.min(minimum, average - 1),
      maximumSize: average * maximumFactor,
      normalizationLevel: Math.min(level, Math.log2(average) - 1),
    });
    const gear = referenceGearTable(DEFAULT_GEAR_KEY);
    expect(Array.from(chunker.split(data))).toEqual(
      referenceFastCdc(data, gear, chunker.minimumSize, average, average * maximumFactor, chunker.normalizationLevel),
    );
  });

  test.prop([fc.uint8Array({ minLength: 0, maxLength: 40_000 }), fc.array(fc.nat(), { maxLength: 12 })], {
    numRuns: 60,
  })('are the same when the data arrives in arbitrary pieces as in one buffer', (random, rawCuts) => {
    const data = random.length > 0 ? random : new Uint8Array(0);
    const cuts = [...new Set(rawCuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
    const chunker = new FastCdcChunker({ averageSize: 256, minimumSize: 64, maximumSize: 2048 });
    const whole = Array.from(chunker.split(data));
    expect(pushInPieces(chunker, data, cuts)).toEqual(whole);
  });

  it('keep every chunk between the minimum and maximum size (except the last) and average near 4 KiB', () => {
    const data = pseudoRandomBytes(4 * 1024 * 1024, 11);
    const chunker = new FastCdcChunker();
    const ends = chunker.split(data);
    let previous = 0;
    for (let index = 0; index < ends.length - 1; index++) {
      const length = ends[index]! - previous;
      expect(length).toBeGreaterThanOrEqual(1024);
      expect(length).toBeLessThanOrEqual(32768);
      previous = ends[index]!;
    }
    const average = data.length / ends.length;
    expect(average).toBeGreaterThan(3000);
    expect(average).toBeLessThan(6000);
  });

  it('change only near an insertion: chunks far from an edit keep their boundaries', () => {
    const data = pseudoRandomBytes(1024 * 1024, 5);
    const at = 500_000;
    const inserted = new Uint8Array(data.length + 100);
    inserted.set(data.subarray(0, at));
    inserted.set(pseudoRandomBytes(100, 99), at);
    inserted.set(data.subarray(at), at + 100);
    const chunker = new FastCdcChunker();
    const before = Array.from(chunker.split(data));
    const after = Array.from(chunker.split(inserted));
    const shiftedBack = new Set(after.map((end) => (end > at ? end - 100 : end)));
    const changed = before.filter((end) => !shiftedBack.has(end));
    // Boundaries before the edit are untouched, and the chain resynchronises within a few chunks after it.
    expect(before.filter((end) => end < at).every((end) => shiftedBack.has(end))).toBe(true);
    expect(changed.length).toBeLessThanOrEqual(3);
    expect(changed.every((end) => end > at && end < at + 5 * 32768)).toBe(true);
  });

  it('rejects inconsistent options with a typed error naming the option', () => {
    expect(() => new FastCdcChunker({ averageSize: 3000 })).toThrow(ChunkingOptionsError);
    expect(() => new FastCdcChunker({ averageSize: 4096, minimumSize: 4096 })).toThrow(/minimumSize/);
    expect(() => new FastCdcChunker({ averageSize: 4096, maximumSize: 4096 })).toThrow(/maximumSize/);
    try {
      new FastCdcChunker({ normalizationLevel: 20 });
    } catch (error) {
      expect(error).toBeInstanceOf(WanoptError);
      expect((error as ChunkingOptionsError).code).toBe('ERR_WANOPT_CHUNKING_OPTIONS');
      expect((error as ChunkingOptionsError).option).toBe('normalizationLevel');
    }
  });
});
