import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { EXPONENT, FIELD_POLYNOMIAL, LOGARITHM, divide, inverse, multiply, power } from '../../src/gf/field';
import {
  SingularMatrixError,
  identityMatrix,
  invertMatrix,
  multiplyMatrices,
  vandermondeMatrix,
} from '../../src/gf/matrix';

/** Carry-less multiplication with reduction by 0x11D, bit by bit: the definition the tables must agree with. */
function referenceMultiply(a: number, b: number): number {
  let product = 0;
  for (let bit = 0; bit < 8; bit++) {
    if (b & (1 << bit)) product ^= a << bit;
  }
  for (let bit = 15; bit >= 8; bit--) {
    if (product & (1 << bit)) product ^= FIELD_POLYNOMIAL << (bit - 8);
  }
  return product;
}

const byte = fc.integer({ min: 0, max: 255 });
const nonZero = fc.integer({ min: 1, max: 255 });

describe('GF(2^8) with polynomial 0x11D', () => {
  it('table multiplication equals carry-less multiplication reduced by 0x11D for all 65536 pairs', () => {
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        if (multiply(a, b) !== referenceMultiply(a, b)) expect.fail(`${a}·${b}`);
      }
    }
  });

  it('2 generates the multiplicative group: its 255 powers are the distinct non-zero bytes', () => {
    const seen = new Set<number>();
    for (let index = 0; index < 255; index++) seen.add(EXPONENT[index]!);
    expect(seen.size).toBe(255);
    expect(seen.has(0)).toBe(false);
    expect(LOGARITHM[EXPONENT[200]!]).toBe(200);
  });

  test.prop([byte, byte, byte])('multiplication distributes over XOR (addition)', (a, b, c) => {
    expect(multiply(a, b ^ c)).toBe(multiply(a, b) ^ multiply(a, c));
  });

  test.prop([byte, nonZero])('division undoes multiplication', (a, b) => {
    expect(divide(multiply(a, b), b)).toBe(a);
    expect(multiply(b, inverse(b))).toBe(1);
  });

  test.prop([nonZero, fc.integer({ min: 0, max: 600 })])('power is repeated multiplication', (a, n) => {
    let expected = 1;
    for (let index = 0; index < n; index++) expected = multiply(expected, a);
    expect(power(a, n)).toBe(expected);
  });

  it('0^0 is 1 and 0^n is 0 for n > 0 (the Vandermonde convention of reed-solomon-erasure)', () => {
    expect(power(0, 0)).toBe(1);
    expect(power(0, 3)).toBe(0);
  });
});

describe('matrices over GF(2^8)', () => {
  test.prop([fc.integer({ min: 1, max: 20 })])(
    'a square Vandermonde matrix times its inverse is the identity',
    (size) => {
      const matrix = vandermondeMatrix(size, size);
      expect(multiplyMatrices(matrix, invertMatrix(matrix)).data).toEqual(identityMatrix(size).data);
    },
  );

  it('inverting a singular matrix throws SingularMatrixError with the column that has no pivot', () => {
    const matrix = { rows: 2, columns: 2, data: Uint8Array.of(1, 2, 1, 2) };
    expect(() => invertMatrix(matrix)).toThrow(SingularMatrixError);
    try {
      invertMatrix(matrix);
    } catch (error) {
      expect((error as SingularMatrixError).code).toBe('ERR_WANOPT_SINGULAR_MATRIX');
      expect((error as SingularMatrixError).column).toBe(1);
    }
  });
});
