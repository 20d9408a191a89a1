import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  ChunkingOptionsError,
  computeRabinTables,
  DEFAULT_RABIN_POLYNOMIAL,
  isIrreduciblePolynomial,
  RabinChunker,
} from '../../src/index';
import { pseudoRandomBytes, referenceMod, referenceRabin } from './reference';

function pushInPieces(chunker: RabinChunker, data: Uint8Array, cuts: readonly number[]): number[] {
  const ends: number[] = [];
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    for (const end of chunker.push(data.subarray(start, cut))) ends.push(start + end);
    start = cut;
  }
  if (chunker.finish() > 0) ends.push(data.length);
  return ends;
}

function joinHalves(high: number, low: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

describe('Rabin polynomial and tables', () => {
  it('uses an irreducible default polynomial of degree 53 and rejects reducible ones', () => {
    expect(DEFAULT_RABIN_POLYNOMIAL.toString(2).length - 1).toBe(53);
    expect(isIrreduciblePolynomial(DEFAULT_RABIN_POLYNOMIAL)).toBe(true);
    // x^2 + 1 = (x + 1)^2 and x^53 + x^52 (divisible by x) are reducible; x^2 + x + 1 is irreducible.
    expect(isIrreduciblePolynomial(0b101n)).toBe(false);
    expect(isIrreduciblePolynomial((1n << 53n) | (1n << 52n))).toBe(false);
    expect(isIrreduciblePolynomial(0b111n)).toBe(true);
    expect(() => new RabinChunker({ polynomial: (1n << 53n) | (1n << 52n) })).toThrow(ChunkingOptionsError);
  });

  it('has push and pop tables equal to t * x^53 mod P and b * x^(8(w-1)) mod P by long division', () => {
    const tables = computeRabinTables(DEFAULT_RABIN_POLYNOMIAL, 48);
    for (let byte = 0; byte < 256; byte++) {
      expect(joinHalves(tables.pushHigh[byte]!, tables.pushLow[byte]!)).toBe(
        referenceMod(BigInt(byte) << 53n, DEFAULT_RABIN_POLYNOMIAL),
      );
      expect(joinHalves(tables.popHigh[byte]!, tables.popLow[byte]!)).toBe(
        referenceMod(BigInt(byte) << BigInt(8 * 47), DEFAULT_RABIN_POLYNOMIAL),
      );
    }
  });

  it('has these fixed table entries for the default polynomial and 48-byte window', () => {
    const tables = computeRabinTables(DEFAULT_RABIN_POLYNOMIAL, 48);
    expect(joinHalves(tables.pushHigh[1]!, tables.pushLow[1]!).toString(16)).toBe('11ba1f40d2e5a9');
    expect(joinHalves(tables.pushHigh[255]!, tables.pushLow[255]!).toString(16)).toBe('13baeeb785f4b7');
    expect(joinHalves(tables.popHigh[1]!, tables.popLow[1]!).toString(16)).toBe('1d669f808466b6');
    expect(joinHalves(tables.popHigh[128]!, tables.popLow[128]!).toString(16)).toBe('19773fbc446863');
  });
});

describe('Rabin boundaries', () => {
  it('match a fixed vector for the default options on seeded pseudo-random data', () => {
    const data = pseudoRandomBytes(64 * 1024, 1);
    expect(Array.from(new RabinChunker().split(data).subarray(0, 10))).toEqual([
      3233, 8411, 10485, 12796, 14590, 18851, 21476, 29320, 32681, 38743,
    ]);
  });

  it('match the slow BigInt reference for the default options', () => {
    const data = pseudoRandomBytes(96 * 1024, 2);
    expect(Array.from(new RabinChunker().split(data))).toEqual(
      referenceRabin(data, DEFAULT_RABIN_POLYNOMIAL, 48, 1024, 4096, 32768),
    );
  });

  test.prop(
    [
      fc.uint8Array({ minLength: 0, maxLength: 3000 }),
      fc.integer({ min: 8, max: 80 }),
      fc.integer({ min: 16, max: 100 }),
      fc.integer({ min: 2, max: 6 }),
    ],
    { numRuns: 25 },
  )('match the reference for random data, windows and sizes', (random, window, minimum, maximumFactor) => {
    const data = random.map((byte) => byte & 7);
    const average = 128;
    const chunker = new RabinChunker({
      averageSize: average,
      minimumSize: minimum,
      maximumSize: average * maximumFactor,
      windowSize: window,
    });
    expect(Array.from(chunker.split(data))).toEqual(
      referenceRabin(data, DEFAULT_RABIN_POLYNOMIAL, window, minimum, average, average * maximumFactor),
    );
  });

  test.prop(
    [
      fc.uint8Array({ minLength: 0, maxLength: 30_000 }),
      fc.array(fc.nat(), { maxLength: 16 }),
      fc.integer({ min: 8, max: 100 }),
    ],
    { numRuns: 60 },
  )('are the same when the data arrives in arbitrary pieces as in one buffer', (data, rawCuts, window) => {
    const cuts = [...new Set(rawCuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
    const chunker = new RabinChunker({ averageSize: 256, minimumSize: 32, maximumSize: 2048, windowSize: window });
    const whole = Array.from(chunker.split(data));
    expect(pushInPieces(chunker, data, cuts)).toEqual(whole);
  });

  it('average near the configured size and keep chunks within the bounds', () => {
    const data = pseudoRandomBytes(4 * 1024 * 1024, 12);
    const ends = new RabinChunker().split(data);
    let previous = 0;
    for (let index = 0; index < ends.length - 1; index++) {
      expect(ends[index]! - previous).toBeGreaterThanOrEqual(1024);
      expect(ends[index]! - previous).toBeLessThanOrEqual(32768);
      previous = ends[index]!;
    }
    const average = data.length / ends.length;
    expect(average).toBeGreaterThan(3500);
    expect(average).toBeLessThan(4700);
  });

  it('change only near an insertion', () => {
    const data = pseudoRandomBytes(1024 * 1024, 6);
    const at = 400_000;
    const inserted = new Uint8Array(data.length + 37);
    inserted.set(data.subarray(0, at));
    inserted.set(pseudoRandomBytes(37, 3), at);
    inserted.set(data.subarray(at), at + 37);
    const chunker = new RabinChunker();
    const before = Array.from(chunker.split(data));
    const after = new Set(Array.from(chunker.split(inserted), (end) => (end > at ? end - 37 : end)));
    const changed = before.filter((end) => !after.has(end));
    expect(changed.length).toBeLessThanOrEqual(3);
    expect(changed.every((end) => end > at && end < at + 5 * 32768)).toBe(true);
  });
});
